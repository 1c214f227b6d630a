import { describe, expect, it, vi, afterEach } from 'vitest';
import { eq } from 'drizzle-orm';
import { memoryDb } from '../../src/lib/server/db';
import { sessions, users } from '../../src/lib/server/db/schema';
import {
	SESSION_LIFETIME,
	createSession,
	generateSessionToken,
	passwordProblem,
	sessionIdOf,
	validateSessionToken
} from '../../src/lib/server/auth';
import { login } from '../../src/lib/server/services/login';
import { createUser, resetPassword, setUserActive } from '../../src/lib/server/services/users';
import { SYSTEM_ACTOR } from '../../src/lib/server/audit';

afterEach(() => vi.useRealTimers());

async function withUser() {
	const db = memoryDb();
	const u = await createUser(db, { username: 'office', displayName: '处室', role: 'office', region: null, expertId: null, password: 'Passw0rd123' }, SYSTEM_ACTOR);
	return { db, userId: u.id };
}

describe('sessions (Lucia guide)', () => {
	it('stores only the SHA-256 of the token', async () => {
		const { db, userId } = await withUser();
		const token = generateSessionToken();
		createSession(db, token, userId);
		const rows = db.select().from(sessions).all();
		expect(rows).toHaveLength(1);
		expect(rows[0].id).toBe(sessionIdOf(token));
		expect(rows[0].id).not.toContain(token);
		expect(rows[0].id).toMatch(/^[0-9a-f]{64}$/);
		expect(validateSessionToken(db, token).user?.username).toBe('office');
		expect(validateSessionToken(db, token + 'x').user).toBeNull();
	});

	it('expires after 30 days and renews when less than 15 days remain', async () => {
		const { db, userId } = await withUser();
		const token = generateSessionToken();
		vi.useFakeTimers({ toFake: ['Date'] });
		vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
		createSession(db, token, userId);
		vi.setSystemTime(new Date('2026-01-10T00:00:00Z'));
		const early = validateSessionToken(db, token);
		expect(early.session?.expiresAt.toISOString()).toBe('2026-01-31T00:00:00.000Z');
		vi.setSystemTime(new Date('2026-01-20T00:00:00Z'));
		const renewed = validateSessionToken(db, token);
		expect(renewed.session?.expiresAt.getTime()).toBe(new Date('2026-01-20T00:00:00Z').getTime() + SESSION_LIFETIME);
		vi.setSystemTime(new Date('2026-03-01T00:00:00Z'));
		expect(validateSessionToken(db, token).session).toBeNull();
		expect(db.select().from(sessions).all()).toHaveLength(0);
	});

	it('a password reset or deactivation ends the sessions', async () => {
		const { db, userId } = await withUser();
		const t1 = generateSessionToken();
		createSession(db, t1, userId);
		await resetPassword(db, 'office', 'AnotherPass99', SYSTEM_ACTOR);
		expect(validateSessionToken(db, t1).user).toBeNull();
		await createUser(db, { username: 'obs', displayName: '监督', role: 'observer', region: null, expertId: null, password: 'Passw0rd123' }, SYSTEM_ACTOR);
		const obs = db.select().from(users).where(eq(users.username, 'obs')).get()!;
		const t2 = generateSessionToken();
		createSession(db, t2, obs.id);
		setUserActive(db, 'obs', false, SYSTEM_ACTOR);
		expect(validateSessionToken(db, t2).user).toBeNull();
	});
});

describe('sign-in', () => {
	it('hashes passwords with argon2id and signs in with the right one', async () => {
		const { db } = await withUser();
		const row = db.select().from(users).get()!;
		expect(row.passwordHash).toMatch(/^\$argon2id\$/);
		expect((await login(db, 'office', 'Passw0rd123', '127.0.0.1')).ok).toBe(true);
		const bad = await login(db, 'office', 'wrong-pass-1', '127.0.0.2');
		expect(bad).toEqual({ ok: false, message: '用户名或密码不正确' });
		expect(await login(db, 'nobody', 'wrong-pass-1', '127.0.0.2')).toEqual({ ok: false, message: '用户名或密码不正确' });
	});

	it('locks the account after 5 failures, even for the right password', async () => {
		const { db } = await withUser();
		for (let i = 0; i < 4; i++) expect((await login(db, 'office', 'wrong', `10.0.0.${i}`)).ok).toBe(false);
		const fifth = await login(db, 'office', 'wrong', '10.0.1.1');
		expect(fifth.ok || fifth.message).toMatch(/锁定/);
		const right = await login(db, 'office', 'Passw0rd123', '10.0.1.2');
		expect(right.ok).toBe(false);
		expect(!right.ok && right.message).toMatch(/锁定/);
		await resetPassword(db, 'office', 'Passw0rd456', SYSTEM_ACTOR);
		expect((await login(db, 'office', 'Passw0rd456', '10.0.1.3')).ok).toBe(true);
	});

	it('refuses a deactivated account', async () => {
		const { db } = await withUser();
		await createUser(db, { username: 'obs', displayName: '监督', role: 'observer', region: null, expertId: null, password: 'Passw0rd123' }, SYSTEM_ACTOR);
		setUserActive(db, 'obs', false, SYSTEM_ACTOR);
		const r = await login(db, 'obs', 'Passw0rd123', '10.0.2.1');
		expect(!r.ok && r.message).toMatch(/停用/);
	});

	it('password rules', () => {
		expect(passwordProblem('short1')).toMatch(/10/);
		expect(passwordProblem('onlyletterslong')).toMatch(/字母和数字/);
		expect(passwordProblem('Passw0rd123')).toBeNull();
	});
});
