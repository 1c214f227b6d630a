/**
 * Sign-in (services/login.ts): lockout per (username as typed, client address) from the settings,
 * never for the account as a whole; one message for unknown user, wrong password, locked pair and
 * deactivated account; security events in the audit log (address, the username as typed, never
 * the password).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import { memoryDb, type Db } from '../../src/lib/server/db';
import { auditLog, loginFailures, sessions, users } from '../../src/lib/server/db/schema';
import { LOGIN_REFUSED, auditableUsername, login, normalizeUsername } from '../../src/lib/server/services/login';
import { createUser, resetPassword, setUserActive } from '../../src/lib/server/services/users';
import { updateSecuritySettings } from '../../src/lib/server/services/security-settings';
import { SYSTEM_ACTOR } from '../../src/lib/server/audit';

afterEach(() => vi.useRealTimers());

const PW = 'Passw0rd123';

async function world(): Promise<Db> {
	const db = memoryDb();
	await createUser(db, { username: 'office', displayName: '处室', role: 'office', region: null, expertId: null, password: PW }, SYSTEM_ACTOR);
	await createUser(db, { username: 'obs', displayName: '监督', role: 'observer', region: null, expertId: null, password: PW }, SYSTEM_ACTOR);
	return db;
}

const entries = (db: Db, action: string) =>
	db
		.select()
		.from(auditLog)
		.where(eq(auditLog.action, action))
		.all()
		.map((e) => ({ ...e, detail: e.detail ? JSON.parse(e.detail) : null }));

describe('sign-in', () => {
	it('hashes passwords with argon2id and signs in with the right one, recording the address', async () => {
		const db = await world();
		expect(db.select().from(users).get()!.passwordHash).toMatch(/^\$argon2id\$/);
		const ok = await login(db, 'office', PW, '192.0.2.10');
		expect(ok.ok).toBe(true);
		const session = db.select().from(sessions).get()!;
		expect(session.address).toBe('192.0.2.10');
		expect(entries(db, 'user.login').map((e) => e.detail)).toEqual([{ address: '192.0.2.10' }]);
		// Typed with capitals and spaces: the same account.
		expect((await login(db, '  Office ', PW, '192.0.2.10')).ok).toBe(true);
		expect(normalizeUsername(' ＯＦＦＩＣＥ ')).toBe('office');
	});

	it('one message for unknown user, wrong password, locked pair and deactivated account', async () => {
		const db = await world();
		setUserActive(db, 'obs', false, SYSTEM_ACTOR);
		const refused = { ok: false, message: LOGIN_REFUSED };
		expect(await login(db, 'nobody', 'Whatever123', '192.0.2.1')).toEqual(refused);
		expect(await login(db, 'office', 'wrong-pass-1', '192.0.2.1')).toEqual(refused);
		expect(await login(db, 'obs', PW, '192.0.2.1')).toEqual(refused);
		for (let i = 0; i < 5; i++) await login(db, 'office', 'wrong-pass-1', '192.0.2.2');
		expect(await login(db, 'office', PW, '192.0.2.2')).toEqual(refused);
		expect(LOGIN_REFUSED).toBe('用户名或密码错误，或尝试次数过多已被暂时锁定');
		// The audit log tells them apart (for the auditor, not the visitor).
		expect(entries(db, 'user.login-failed').map((e) => e.detail.reason)).toEqual(['unknown', 'password', 'inactive', 'password', 'password', 'password', 'password', 'password', 'locked']);
	});

	it('locks the (username, address) pair after maxFailedLogins, not the account for everyone', async () => {
		const db = await world();
		vi.useFakeTimers({ toFake: ['Date'] });
		vi.setSystemTime(new Date('2026-03-01T08:00:00Z'));
		const attacker = '203.0.113.66';
		for (let i = 0; i < 4; i++) expect((await login(db, 'office', 'guess-' + i, attacker)).ok).toBe(false);
		// Four failures: the right password still works from there (and clears the count).
		expect((await login(db, 'office', PW, attacker)).ok).toBe(true);
		expect(db.select().from(loginFailures).all()).toHaveLength(0);
		for (let i = 0; i < 5; i++) expect((await login(db, 'office', 'guess-' + i, attacker)).ok).toBe(false);
		const row = db.select().from(loginFailures).get()!;
		expect(row).toMatchObject({ username: 'office', address: attacker, failures: 5 });
		expect(row.lockedUntil!.getTime()).toBe(Date.parse('2026-03-01T08:15:00Z'));
		// Locked from that address, even with the right password, also typed differently …
		expect((await login(db, 'office', PW, attacker)).ok).toBe(false);
		expect((await login(db, 'OFFICE', PW, attacker)).ok).toBe(false);
		// … but the owner, from another address, signs in; the old per-account columns stay unused.
		expect((await login(db, 'office', PW, '198.51.100.1')).ok).toBe(true);
		const account = db.select().from(users).where(eq(users.username, 'office')).get()!;
		expect(account.failedLogins).toBe(0);
		expect(account.lockedUntil).toBeNull();
		// The lock was audited once, with the address and the username as typed.
		expect(entries(db, 'user.locked').map((e) => e.detail)).toEqual([{ username: 'office', address: attacker, failures: 5, minutes: 15 }]);
		// After lockoutMinutes the pair may try again.
		vi.setSystemTime(new Date('2026-03-01T08:15:00.001Z'));
		expect((await login(db, 'office', PW, attacker)).ok).toBe(true);
	});

	it('counts unknown usernames alike, and failures older than the lockout time are forgotten', async () => {
		const db = await world();
		vi.useFakeTimers({ toFake: ['Date'] });
		vi.setSystemTime(new Date('2026-03-01T08:00:00Z'));
		for (let i = 0; i < 4; i++) await login(db, 'ghost', 'x1234567890', '203.0.113.1');
		vi.setSystemTime(new Date('2026-03-01T08:16:00Z'));
		await login(db, 'ghost', 'x1234567890', '203.0.113.1');
		expect(db.select().from(loginFailures).get()).toMatchObject({ username: 'ghost', failures: 1, lockedUntil: null });
		for (let i = 0; i < 4; i++) await login(db, 'Ghost', 'x1234567890', '203.0.113.1');
		expect(db.select().from(loginFailures).get()!.lockedUntil).not.toBeNull();
	});

	it('takes threshold and duration from the security settings', async () => {
		const db = await world();
		updateSecuritySettings(db, SYSTEM_ACTOR, { maxFailedLogins: '3', lockoutMinutes: '2' });
		vi.useFakeTimers({ toFake: ['Date'] });
		vi.setSystemTime(new Date('2026-03-01T08:00:00Z'));
		for (let i = 0; i < 3; i++) await login(db, 'office', 'wrong-pass-1', '203.0.113.9');
		expect((await login(db, 'office', PW, '203.0.113.9')).ok).toBe(false);
		vi.setSystemTime(new Date('2026-03-01T08:02:00.001Z'));
		expect((await login(db, 'office', PW, '203.0.113.9')).ok).toBe(true);
	});

	it('an administrator’s reset lifts the locks of the account', async () => {
		const db = await world();
		for (let i = 0; i < 5; i++) await login(db, 'office', 'wrong-pass-1', '203.0.113.7');
		expect((await login(db, 'office', PW, '203.0.113.7')).ok).toBe(false);
		await resetPassword(db, 'office', 'Fresh-Start-2026', SYSTEM_ACTOR);
		expect(db.select().from(loginFailures).all()).toHaveLength(0);
		const r = await login(db, 'office', 'Fresh-Start-2026', '203.0.113.7');
		expect(r.ok && r.mustChangePassword).toBe(true);
	});

	it('failures record the username as typed and the address, never the password', async () => {
		const db = await world();
		await login(db, 'Offic', 'MySecretGuess-1', '192.0.2.77');
		const [e] = entries(db, 'user.login-failed');
		expect(e.actor).toBe('Offic');
		expect(e.userId).toBeNull();
		expect(e.detail).toMatchObject({ username: 'Offic', address: '192.0.2.77', reason: 'unknown' });
		const all = JSON.stringify(db.select().from(auditLog).all());
		expect(all).not.toContain('MySecretGuess-1');
		expect(all).not.toContain(PW);
	});

	it('a phone or ID number typed as the username is not written to the audit log', async () => {
		const db = await world();
		await login(db, '13812345678', 'x1234567890', '192.0.2.78');
		await login(db, '21110219900101376X', 'x1234567890', '192.0.2.78');
		await login(db, '张三', 'x1234567890', '192.0.2.78');
		const failed = entries(db, 'user.login-failed');
		expect(failed.map((e) => e.detail.username)).toEqual([null, null, null]);
		expect(failed.map((e) => e.detail.address)).toEqual(['192.0.2.78', '192.0.2.78', '192.0.2.78']);
		const all = JSON.stringify(db.select().from(auditLog).all());
		for (const secret of ['13812345678', '21110219900101376X', '张三']) expect(all).not.toContain(secret);
		expect(auditableUsername(' exp-01 ', false)).toBe('exp-01');
		expect(auditableUsername('someone@example.com', false)).toBeNull();
		expect(auditableUsername('Office', true)).toBe('Office');
	});
});
