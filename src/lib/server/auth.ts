/**
 * Sessions after the Lucia guide: a random token in the cookie, only its SHA-256 in the database,
 * 30-day sliding expiry (renewed when less than 15 days remain). Passwords: argon2id.
 */
import { hash, verify } from '@node-rs/argon2';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { eq, sql } from 'drizzle-orm';
import type { Db } from './db';
import { prepared } from './db/prepared';
import { sessions, users, type SessionRow, type UserRow } from './db/schema';

export const SESSION_COOKIE = 'session';
const DAY = 24 * 60 * 60 * 1000;
export const SESSION_LIFETIME = 30 * DAY;
const RENEW_WITHIN = 15 * DAY;

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MS = 15 * 60 * 1000;

export type SessionUser = Pick<UserRow, 'id' | 'username' | 'displayName' | 'role' | 'region' | 'expertId' | 'mustChangePassword'>;

export function generateSessionToken(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

export function sessionIdOf(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export function createSession(db: Db, token: string, userId: string): SessionRow {
	const session = { id: sessionIdOf(token), userId, expiresAt: new Date(Date.now() + SESSION_LIFETIME) };
	db.insert(sessions).values(session).run();
	return { ...session, createdAt: new Date().toISOString() };
}

export type SessionValidation = { session: SessionRow; user: SessionUser } | { session: null; user: null };

export function validateSessionToken(db: Db, token: string): SessionValidation {
	const id = sessionIdOf(token);
	// Runs on every request: a prepared query (built once per connection).
	const row = prepared(db, 'auth.session', (d) =>
		d
			.select({ session: sessions, user: users })
			.from(sessions)
			.innerJoin(users, eq(sessions.userId, users.id))
			.where(eq(sessions.id, sql.placeholder('id')))
			.prepare()
	).get({ id });
	if (!row) return { session: null, user: null };
	const { session, user } = row;
	if (Date.now() >= session.expiresAt.getTime() || !user.active) {
		db.delete(sessions).where(eq(sessions.id, id)).run();
		return { session: null, user: null };
	}
	if (Date.now() >= session.expiresAt.getTime() - RENEW_WITHIN) {
		session.expiresAt = new Date(Date.now() + SESSION_LIFETIME);
		db.update(sessions).set({ expiresAt: session.expiresAt }).where(eq(sessions.id, id)).run();
	}
	return {
		session,
		user: {
			id: user.id,
			username: user.username,
			displayName: user.displayName,
			role: user.role,
			region: user.region,
			expertId: user.expertId,
			mustChangePassword: user.mustChangePassword
		}
	};
}

export function invalidateSession(db: Db, sessionId: string): void {
	db.delete(sessions).where(eq(sessions.id, sessionId)).run();
}

export function invalidateUserSessions(db: Db, userId: string): void {
	db.delete(sessions).where(eq(sessions.userId, userId)).run();
}

export function hashPassword(password: string): Promise<string> {
	// argon2id (the library's default algorithm) with OWASP-recommended parameters.
	return hash(password, { memoryCost: 19456, timeCost: 2, outputLen: 32, parallelism: 1 });
}

export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	return verify(passwordHash, password).catch(() => false);
}

/** Password rules: at least 10 characters with letters and digits. Returns a Chinese message or null. */
export function passwordProblem(password: string): string | null {
	if (password.length < 10) return '密码至少10个字符';
	if (password.length > 128) return '密码不能超过128个字符';
	if (!/[A-Za-z]/.test(password) || !/\d/.test(password)) return '密码须同时包含字母和数字';
	return null;
}

/** A readable random initial password (no 0/O/1/l) that satisfies passwordProblem. */
export function generatePassword(length = 12): string {
	const letters = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ';
	const digits = '23456789';
	const all = letters + digits;
	const bytes = new Uint8Array(length);
	crypto.getRandomValues(bytes);
	const chars = Array.from(bytes, (b) => all[b % all.length]);
	chars[0] = letters[bytes[0] % letters.length];
	chars[length - 1] = digits[bytes[length - 1] % digits.length];
	return chars.join('');
}
