/**
 * Sessions (Lucia guide, GB/T 22239-2019 8.1.4.1 d): only the token's SHA-256 stored; a session
 * ends when unused for sessionIdleMinutes and, used or not, sessionMaxHours after sign-in; the last
 * use is written at most every touchInterval; an expired password asks for a change.
 * Time is passed to validateSessionToken / createSession (`now`), so nothing waits.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { memoryDb, type Db } from '../../src/lib/server/db';
import { sessions, users } from '../../src/lib/server/db/schema';
import { createSession, generateSessionToken, sessionIdOf, touchInterval, validateSessionToken } from '../../src/lib/server/auth';
import { createUser, resetPassword, setUserActive } from '../../src/lib/server/services/users';
import { updateSecuritySettings } from '../../src/lib/server/services/security-settings';
import { SYSTEM_ACTOR } from '../../src/lib/server/audit';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.parse('2026-03-02T08:00:00Z');

afterEach(() => {
	delete process.env.SESSION_IDLE_MINUTES;
	delete process.env.SESSION_MAX_HOURS;
});

async function withUser() {
	const db = memoryDb();
	const u = await createUser(db, { username: 'office', displayName: '处室', role: 'office', region: null, expertId: null, password: 'Passw0rd123' }, SYSTEM_ACTOR);
	return { db, userId: u.id };
}

const lastSeen = (db: Db, token: string) => db.select().from(sessions).where(eq(sessions.id, sessionIdOf(token))).get()?.lastSeenAt?.getTime() ?? null;

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

	it('ends a session unused for 30 minutes (default); any use keeps it going', async () => {
		const { db, userId } = await withUser();
		const token = generateSessionToken();
		const s = createSession(db, token, userId, '10.0.0.1', T0);
		expect(s.address).toBe('10.0.0.1');
		expect(lastSeen(db, token)).toBe(T0);
		// Used every 29 minutes for two hours: still alive.
		for (let t = T0 + 29 * MIN; t < T0 + 2 * HOUR; t += 29 * MIN) expect(validateSessionToken(db, token, t).session, new Date(t).toISOString()).not.toBeNull();
		const last = lastSeen(db, token)!;
		expect(validateSessionToken(db, token, last + 30 * MIN - 1).session).not.toBeNull();
		const again = lastSeen(db, token)!;
		// 30 minutes without a request: ended, and the row is gone.
		expect(validateSessionToken(db, token, again + 30 * MIN).session).toBeNull();
		expect(db.select().from(sessions).all()).toHaveLength(0);
		expect(validateSessionToken(db, token, again + 1).session).toBeNull();
	});

	it('writes the last use at most every touchInterval (the save path stays one read)', async () => {
		const { db, userId } = await withUser();
		const token = generateSessionToken();
		createSession(db, token, userId, null, T0);
		expect(touchInterval(30 * MIN)).toBe(30_000);
		expect(touchInterval(MIN)).toBe(6000);
		validateSessionToken(db, token, T0 + 10_000);
		validateSessionToken(db, token, T0 + 29_999);
		expect(lastSeen(db, token)).toBe(T0);
		validateSessionToken(db, token, T0 + 30_000);
		expect(lastSeen(db, token)).toBe(T0 + 30_000);
	});

	it('ends a session at the absolute cap (12 h by default) however busy; the cookie expiry is the cap', async () => {
		const { db, userId } = await withUser();
		const token = generateSessionToken();
		const s = createSession(db, token, userId, null, T0);
		expect(s.expiresAt.getTime()).toBe(T0 + 12 * HOUR);
		let t = T0;
		for (; t < T0 + 12 * HOUR; t += 10 * MIN) expect(validateSessionToken(db, token, t).session).not.toBeNull();
		expect(validateSessionToken(db, token, T0 + 12 * HOUR).session).toBeNull();
	});

	it('honours the settings: SESSION_IDLE_MINUTES=1, and a changed idle time or cap applies to open sessions', async () => {
		const { db, userId } = await withUser();
		process.env.SESSION_IDLE_MINUTES = '1';
		const a = generateSessionToken();
		createSession(db, a, userId, null, T0);
		expect(validateSessionToken(db, a, T0 + 59_000).session).not.toBeNull();
		expect(validateSessionToken(db, a, T0 + 59_000 + MIN).session).toBeNull();
		delete process.env.SESSION_IDLE_MINUTES;

		const b = generateSessionToken();
		createSession(db, b, userId, null, T0);
		updateSecuritySettings(db, SYSTEM_ACTOR, { sessionIdleMinutes: '5' });
		expect(validateSessionToken(db, b, T0 + 4 * MIN).session).not.toBeNull();
		expect(validateSessionToken(db, b, T0 + 9 * MIN + 1).session).toBeNull();

		const c = generateSessionToken();
		createSession(db, c, userId, null, T0);
		updateSecuritySettings(db, SYSTEM_ACTOR, { sessionIdleMinutes: '600', sessionMaxHours: '2' });
		expect(validateSessionToken(db, c, T0 + HOUR).session).not.toBeNull();
		expect(validateSessionToken(db, c, T0 + 2 * HOUR).session).toBeNull();
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

	it('an initial password, and a password older than passwordMaxAgeDays, must be changed', async () => {
		const { db, userId } = await withUser();
		const token = generateSessionToken();
		createSession(db, token, userId, null, T0);
		expect(validateSessionToken(db, token, T0).user?.mustChangePassword).toBe(true);
		db.update(users).set({ mustChangePassword: false, passwordChangedAt: new Date(T0 - 89 * 24 * HOUR).toISOString() }).where(eq(users.id, userId)).run();
		expect(validateSessionToken(db, token, T0).user?.mustChangePassword).toBe(false);
		db.update(users).set({ passwordChangedAt: new Date(T0 - 91 * 24 * HOUR).toISOString() }).where(eq(users.id, userId)).run();
		expect(validateSessionToken(db, token, T0 + 1).user?.mustChangePassword).toBe(true);
		updateSecuritySettings(db, SYSTEM_ACTOR, { passwordMaxAgeDays: '0' });
		expect(validateSessionToken(db, token, T0 + 2).user?.mustChangePassword).toBe(false);
	});
});
