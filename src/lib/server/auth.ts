/**
 * Sessions after the Lucia guide: a random token in an httpOnly cookie, only its SHA-256 in the
 * database. A session ends when it has not been used for `sessionIdleMinutes` and, used or not,
 * `sessionMaxHours` after sign-in (the security administrator's settings, GB/T 22239-2019
 * 8.1.4.1 d); the cookie expires with the cap. Passwords: argon2id.
 *
 * validateSessionToken runs on every request, the score sheet's autosave included (benchmarked):
 * one prepared read of the session and its account, one prepared read of the (small) settings
 * table, and at most one prepared update — the last use is written only when the stored one is
 * older than `touchInterval` (30 s at most), so most requests write nothing.
 */
import { hash, verify } from '@node-rs/argon2';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { eq, sql } from 'drizzle-orm';
import type { Db } from './db';
import { prepared } from './db/prepared';
import { sessions, settings, users, type SessionRow, type UserRow } from './db/schema';
import { resolveSecuritySettings, type SecuritySettings } from '../domain/security-settings';
import { passwordExpired } from '../domain/passwords';

export const SESSION_COOKIE = 'session';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * `mustChangePassword` is true for an initial or reset password (users.must_change_password) and
 * for an expired one (older than `passwordMaxAgeDays`): then only the password page opens.
 */
export type SessionUser = Pick<UserRow, 'id' | 'username' | 'displayName' | 'role' | 'region' | 'expertId' | 'mustChangePassword'>;

let resolved: { key: string; value: SecuritySettings } | null = null;

/**
 * The security settings in force (stored over environment over defaults), read with one prepared
 * query of the small settings table — every request reads them, so a change applies at once, from
 * any process. The resolution is kept while rows and environment stay the same.
 */
export function currentSecuritySettings(db: Pick<Db, 'select'>): SecuritySettings {
	const rows = prepared(db, 'auth.settings', (d) => d.select({ key: settings.key, value: settings.value }).from(settings).prepare()).all();
	const env = { SESSION_IDLE_MINUTES: process.env.SESSION_IDLE_MINUTES, SESSION_MAX_HOURS: process.env.SESSION_MAX_HOURS };
	const key = JSON.stringify([rows, env.SESSION_IDLE_MINUTES, env.SESSION_MAX_HOURS]);
	if (resolved?.key !== key) {
		const stored: Record<string, unknown> = {};
		for (const r of rows) stored[r.key] = r.value;
		resolved = { key, value: Object.freeze(resolveSecuritySettings(stored, env)) };
	}
	return resolved.value;
}

/** How stale the stored last use may get before a request writes it again: at most 30 s, a tenth of the idle timeout. */
export function touchInterval(idleMs: number): number {
	return Math.max(1000, Math.min(30_000, Math.floor(idleMs / 10)));
}

export function generateSessionToken(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

export function sessionIdOf(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

/** A new session of `userId`, ending at the absolute cap from now (`expiresAt`, also the cookie's expiry). */
export function createSession(db: Db, token: string, userId: string, address: string | null = null, now = Date.now()): SessionRow {
	const { sessionMaxHours } = currentSecuritySettings(db);
	const session: SessionRow = {
		id: sessionIdOf(token),
		userId,
		expiresAt: new Date(now + sessionMaxHours * HOUR),
		createdAt: new Date(now).toISOString(),
		lastSeenAt: new Date(now),
		address
	};
	db.insert(sessions).values(session).run();
	return session;
}

/** When a session ends if nothing more happens: idle end and absolute cap (ms since the epoch). */
export type SessionDeadlines = { idleEndsAt: number; capEndsAt: number; idleMs: number; touchMs: number };

export function sessionDeadlines(session: SessionRow, s: Pick<SecuritySettings, 'sessionIdleMinutes' | 'sessionMaxHours'>): SessionDeadlines {
	const created = Date.parse(session.createdAt);
	const byCap = Number.isNaN(created) ? Infinity : created + s.sessionMaxHours * HOUR;
	const capEndsAt = Math.min(session.expiresAt.getTime(), byCap);
	const lastSeen = session.lastSeenAt?.getTime() ?? (Number.isNaN(created) ? 0 : created);
	const idleMs = s.sessionIdleMinutes * MINUTE;
	return { idleEndsAt: lastSeen + idleMs, capEndsAt, idleMs, touchMs: touchInterval(idleMs) };
}

export type SessionValidation = { session: SessionRow; user: SessionUser } | { session: null; user: null };

export function validateSessionToken(db: Db, token: string, now = Date.now()): SessionValidation {
	const id = sessionIdOf(token);
	// Runs on every request: prepared queries (built once per connection).
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
	const settingsNow = currentSecuritySettings(db);
	const { idleEndsAt, capEndsAt, touchMs } = sessionDeadlines(session, settingsNow);
	if (!user.active || now >= capEndsAt || now >= idleEndsAt) {
		invalidateSession(db, id);
		return { session: null, user: null };
	}
	if (now - (session.lastSeenAt?.getTime() ?? 0) >= touchMs) {
		prepared(db, 'auth.touch', (d) =>
			d
				.update(sessions)
				.set({ lastSeenAt: sql`${sql.placeholder('at')}` })
				.where(eq(sessions.id, sql.placeholder('id')))
				.prepare()
		).run({ id, at: now });
		session.lastSeenAt = new Date(now);
	}
	const expired = passwordExpired(user.passwordChangedAt, user.createdAt, settingsNow.passwordMaxAgeDays, now);
	return {
		session,
		user: {
			id: user.id,
			username: user.username,
			displayName: user.displayName,
			role: user.role,
			region: user.region,
			expertId: user.expertId,
			mustChangePassword: user.mustChangePassword || expired
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
