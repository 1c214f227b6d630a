/**
 * Sign-in (GB/T 22239-2019 8.1.4.1 b: 登录失败处理) without denial of service or enumeration.
 *
 * - Failed sign-ins are counted per (username as typed, normalized; client address) in
 *   `login_failures`: `maxFailedLogins` failures within `lockoutMinutes` lock that pair for
 *   `lockoutMinutes` (the security administrator's settings). Someone guessing from one address
 *   locks out only themselves; the account's owner signs in from their own address as usual.
 *   Unknown usernames are counted alike.
 * - Every refusal — unknown user, wrong password, locked pair, deactivated account — gets the same
 *   message and costs the same: one argon2 verification (against a dummy hash when there is no
 *   such user) and one transaction with its audit entry.
 * - A client address with IP_LIMIT failed attempts within a minute must wait a minute, whatever the
 *   usernames (a meeting room of experts behind one address signs in freely; spraying from one
 *   address does not). That message names no account.
 * - The audit log records every success and failure with the client address (the username as
 *   typed for a failure, unless it looks like personal data typed into the wrong field; never a
 *   password) and every lock.
 */
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import type { Db } from '../db';
import { loginFailures, users } from '../db/schema';
import { createSession, currentSecuritySettings, generateSessionToken, verifyPassword } from '../auth';
import { audit } from '../audit';
import { passwordExpired } from '../../domain/passwords';

/** The one answer to every refused sign-in. */
export const LOGIN_REFUSED = '用户名或密码错误，或尝试次数过多已被暂时锁定';
/** The answer when the client address is flooding. */
export const LOGIN_THROTTLED = '尝试次数过多，请一分钟后再试';

const IP_LIMIT = 30;
const IP_WINDOW_MS = 60_000;
const MINUTE = 60_000;
const failuresByIp = new Map<string, number[]>();

function recentFailures(ip: string, now: number): number[] {
	const list = (failuresByIp.get(ip) ?? []).filter((t) => now - t < IP_WINDOW_MS);
	failuresByIp.set(ip, list);
	return list;
}

function ipAllowed(ip: string, now: number): boolean {
	return recentFailures(ip, now).length < IP_LIMIT;
}

function recordIpFailure(ip: string, now: number): void {
	if (failuresByIp.size > 10_000) failuresByIp.clear();
	recentFailures(ip, now).push(now);
}

/**
 * An argon2id hash of a random password nobody knows, with the parameters of `hashPassword`:
 * verifying against it costs what verifying a real account's password costs.
 */
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$AjZRzJPQQQSYVmigcYKqCw$xkHn0KRGf7oDIF5EFYl9jyDfTpcr5FjZl3oevMJwq2s';

/**
 * What the audit log keeps of the username typed in a failed sign-in: as typed (trimmed) when it
 * names an account or looks like a username; withheld (null) when it could be personal data typed
 * into the wrong field — a phone or ID number (six digits in a row), a name in Chinese, an e-mail
 * address, anything longer than a username may be.
 */
export function auditableUsername(typed: string, knownAccount: boolean): string | null {
	const t = typed.trim();
	if (knownAccount) return t;
	if (t.length > 40 || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(t) || /\d{6,}/.test(t)) return null;
	return t;
}

/** The key failures are counted under: the username as typed, NFKC, trimmed, lower case. */
export function normalizeUsername(username: string): string {
	return username.normalize('NFKC').trim().toLowerCase();
}

export type LoginResult =
	| { ok: true; token: string; expiresAt: Date; role: string; mustChangePassword: boolean }
	| { ok: false; message: string };

type Refusal = 'unknown' | 'password' | 'locked' | 'inactive';

export async function login(db: Db, username: string, password: string, address: string): Promise<LoginResult> {
	const now = Date.now();
	const ip = address || 'unknown';
	if (!ipAllowed(ip, now)) return { ok: false, message: LOGIN_THROTTLED };
	const name = normalizeUsername(username);
	const settings = currentSecuritySettings(db);
	const pair = db
		.select()
		.from(loginFailures)
		.where(and(eq(loginFailures.username, name), eq(loginFailures.address, ip)))
		.get();
	const locked = !!pair?.lockedUntil && pair.lockedUntil.getTime() > now;
	const user = db.select().from(users).where(eq(users.username, name)).get();
	// Always exactly one verification, whatever the outcome will be.
	const valid = await verifyPassword(user?.passwordHash ?? DUMMY_HASH, password);
	const refusal: Refusal | null = !user ? 'unknown' : locked ? 'locked' : !valid ? 'password' : !user.active ? 'inactive' : null;

	if (refusal || !user) {
		recordIpFailure(ip, now);
		const typed = auditableUsername(username, !!user);
		const actor = { userId: null, name: typed ?? '（未记录的用户名）' };
		const lockoutMs = settings.lockoutMinutes * MINUTE;
		db.transaction((tx) => {
			let failures = pair?.failures ?? 0;
			if (refusal !== 'locked') {
				// Read again inside the transaction: concurrent attempts each count.
				const row = tx
					.select()
					.from(loginFailures)
					.where(and(eq(loginFailures.username, name), eq(loginFailures.address, ip)))
					.get();
				const stale = !row || now - row.lastAt.getTime() > lockoutMs || (!!row.lockedUntil && row.lockedUntil.getTime() <= now);
				failures = stale ? 1 : row.failures + 1;
				const lockNow = failures >= settings.maxFailedLogins;
				const values = { failures, lastAt: new Date(now), lockedUntil: lockNow ? new Date(now + lockoutMs) : null };
				tx.insert(loginFailures)
					.values({ username: name, address: ip, ...values })
					.onConflictDoUpdate({ target: [loginFailures.username, loginFailures.address], set: values })
					.run();
				// Rows of pairs nobody tried for a while go (the table stays small).
				tx.delete(loginFailures)
					.where(
						and(
							lt(loginFailures.lastAt, new Date(now - Math.max(lockoutMs, 24 * 60 * MINUTE))),
							or(isNull(loginFailures.lockedUntil), lt(loginFailures.lockedUntil, new Date(now)))
						)
					)
					.run();
				if (lockNow) {
					audit(tx, actor, 'user.locked', 'user', user?.id ?? null, {
						username: typed,
						address: ip,
						failures,
						minutes: settings.lockoutMinutes
					});
				}
			}
			audit(tx, actor, 'user.login-failed', 'user', user?.id ?? null, {
				username: typed,
				address: ip,
				reason: refusal ?? 'unknown',
				failures
			});
		});
		return { ok: false, message: LOGIN_REFUSED };
	}

	const token = generateSessionToken();
	let expiresAt = new Date(now);
	db.transaction((tx) => {
		expiresAt = createSession(tx as unknown as Db, token, user.id, ip, now).expiresAt;
		tx.delete(loginFailures)
			.where(and(eq(loginFailures.username, name), eq(loginFailures.address, ip)))
			.run();
		tx.update(users).set({ lastLoginAt: new Date(now).toISOString() }).where(eq(users.id, user.id)).run();
		audit(tx, { userId: user.id, name: user.username }, 'user.login', 'user', user.id, { address: ip });
	});
	const expired = passwordExpired(user.passwordChangedAt, user.createdAt, settings.passwordMaxAgeDays, now);
	return { ok: true, token, expiresAt, role: user.role, mustChangePassword: user.mustChangePassword || expired };
}
