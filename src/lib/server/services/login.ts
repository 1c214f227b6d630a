/**
 * Sign-in with lockout: after MAX_FAILED_LOGINS failures an account is locked for LOCKOUT_MS, and
 * a client address with IP_LIMIT failed attempts within a minute must wait (a meeting room of
 * experts behind one address signs in freely; guessing from one address does not). Unknown users and wrong passwords
 * get the same message, and an unknown user costs the same argon2 work.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { users } from '../db/schema';
import { LOCKOUT_MS, MAX_FAILED_LOGINS, createSession, generateSessionToken, hashPassword, verifyPassword } from '../auth';
import { audit } from '../audit';

const IP_LIMIT = 30;
const IP_WINDOW_MS = 60_000;
const failuresByIp = new Map<string, number[]>();

function recentFailures(ip: string, now: number): number[] {
	const list = (failuresByIp.get(ip) ?? []).filter((t) => now - t < IP_WINDOW_MS);
	failuresByIp.set(ip, list);
	return list;
}

function ipAllowed(ip: string, now: number): boolean {
	return recentFailures(ip, now).length < IP_LIMIT;
}

function recordFailure(ip: string, now: number): void {
	if (failuresByIp.size > 10_000) failuresByIp.clear();
	recentFailures(ip, now).push(now);
}

let dummyHash: Promise<string> | null = null;

export type LoginResult =
	| { ok: true; token: string; expiresAt: Date; role: string; mustChangePassword: boolean }
	| { ok: false; message: string };

export async function login(db: Db, username: string, password: string, ip: string): Promise<LoginResult> {
	const now = Date.now();
	if (!ipAllowed(ip, now)) return { ok: false, message: '尝试次数过多，请一分钟后再试' };
	const user = db.select().from(users).where(eq(users.username, username)).get();
	if (!user) {
		dummyHash ??= hashPassword('dummy-password-0');
		await verifyPassword(await dummyHash, password);
		recordFailure(ip, now);
		return { ok: false, message: '用户名或密码不正确' };
	}
	if (user.lockedUntil && user.lockedUntil.getTime() > now) {
		const minutes = Math.ceil((user.lockedUntil.getTime() - now) / 60000);
		return { ok: false, message: `连续登录失败次数过多，账号已临时锁定，请 ${minutes} 分钟后再试或联系省厅重置密码` };
	}
	const valid = await verifyPassword(user.passwordHash, password);
	if (!valid) {
		recordFailure(ip, now);
		const failed = user.failedLogins + 1;
		const lock = failed >= MAX_FAILED_LOGINS;
		db.transaction((tx) => {
			tx.update(users)
				.set({ failedLogins: lock ? 0 : failed, lockedUntil: lock ? new Date(now + LOCKOUT_MS) : user.lockedUntil })
				.where(eq(users.id, user.id))
				.run();
			if (lock) audit(tx, { userId: user.id, name: user.username }, 'user.locked', 'user', user.id, { failures: failed });
		});
		return {
			ok: false,
			message: lock ? '连续登录失败次数过多，账号已临时锁定15分钟' : '用户名或密码不正确'
		};
	}
	if (!user.active) return { ok: false, message: '该账号已停用，请联系省厅人才开发处' };
	const token = generateSessionToken();
	const session = createSession(db, token, user.id);
	db.transaction((tx) => {
		tx.update(users).set({ failedLogins: 0, lockedUntil: null, lastLoginAt: new Date().toISOString() }).where(eq(users.id, user.id)).run();
		audit(tx, { userId: user.id, name: user.username }, 'user.login', 'user', user.id, null);
	});
	return { ok: true, token, expiresAt: session.expiresAt, role: user.role, mustChangePassword: user.mustChangePassword };
}
