/**
 * Sign-in with lockout: after MAX_FAILED_LOGINS failures an account is locked for LOCKOUT_MS, and
 * each client address may try at most IP_LIMIT times a minute. Unknown users and wrong passwords
 * get the same message, and an unknown user costs the same argon2 work.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { users } from '../db/schema';
import { LOCKOUT_MS, MAX_FAILED_LOGINS, createSession, generateSessionToken, hashPassword, verifyPassword } from '../auth';
import { audit } from '../audit';

const IP_LIMIT = 20;
const IP_WINDOW_MS = 60_000;
const attemptsByIp = new Map<string, number[]>();

function ipAllowed(ip: string, now: number): boolean {
	const list = (attemptsByIp.get(ip) ?? []).filter((t) => now - t < IP_WINDOW_MS);
	list.push(now);
	attemptsByIp.set(ip, list);
	if (attemptsByIp.size > 10_000) attemptsByIp.clear();
	return list.length <= IP_LIMIT;
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
		return { ok: false, message: '用户名或密码不正确' };
	}
	if (user.lockedUntil && user.lockedUntil.getTime() > now) {
		const minutes = Math.ceil((user.lockedUntil.getTime() - now) / 60000);
		return { ok: false, message: `连续登录失败次数过多，账号已临时锁定，请 ${minutes} 分钟后再试或联系省厅重置密码` };
	}
	const valid = await verifyPassword(user.passwordHash, password);
	if (!valid) {
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
