/**
 * The per-address limit of sign-in (services/login.ts): 30 failed attempts from one client address
 * within a minute make that address wait, whatever the account (on top of the per-(account, address)
 * lockout of login.spec.ts); other addresses and successful
 * sign-ins (a meeting room of experts behind one address) are not affected.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { memoryDb } from '../../src/lib/server/db';
import { loginFailures } from '../../src/lib/server/db/schema';
import { LOGIN_REFUSED, login } from '../../src/lib/server/services/login';
import { createUser } from '../../src/lib/server/services/users';
import { SYSTEM_ACTOR } from '../../src/lib/server/audit';

afterEach(() => vi.useRealTimers());

const LIMITED = '尝试次数过多，请一分钟后再试';

async function world() {
	const db = memoryDb();
	for (const name of ['office', 'obs']) {
		await createUser(
			db,
			{ username: name, displayName: name, role: name === 'office' ? 'office' : 'observer', region: null, expertId: null, password: 'Passw0rd123' },
			SYSTEM_ACTOR
		);
	}
	return db;
}

describe('per-address sign-in limit', () => {
	it('30 failures from one address within a minute block that address only, for a minute', async () => {
		const db = await world();
		vi.useFakeTimers({ toFake: ['Date'] });
		vi.setSystemTime(new Date('2026-03-01T08:00:00Z'));
		const ip = '198.51.100.7';
		// Spread over unknown names and a real account (4 failures: below the account lockout of 5).
		for (let i = 0; i < 26; i++) expect(await login(db, `nobody-${i}`, 'wrong-pass-1', ip)).toEqual({ ok: false, message: LOGIN_REFUSED });
		for (let i = 0; i < 4; i++) expect(await login(db, 'obs', 'wrong-pass-1', ip)).toEqual({ ok: false, message: LOGIN_REFUSED });
		vi.setSystemTime(new Date('2026-03-01T08:00:30Z'));
		// The 31st attempt is refused before the password is looked at, even the right one.
		expect(await login(db, 'office', 'Passw0rd123', ip)).toEqual({ ok: false, message: LIMITED });
		expect(await login(db, 'obs', 'Passw0rd123', ip)).toEqual({ ok: false, message: LIMITED });
		// The refused attempts did not count against the accounts.
		const failures = (name: string) =>
			db.select().from(loginFailures).where(and(eq(loginFailures.username, name), eq(loginFailures.address, ip))).get()?.failures ?? 0;
		expect(failures('office')).toBe(0);
		expect(failures('obs')).toBe(4);
		// Another address signs in normally.
		expect((await login(db, 'office', 'Passw0rd123', '198.51.100.8')).ok).toBe(true);
		// A minute after the failures, the address may try again.
		vi.setSystemTime(new Date('2026-03-01T08:01:00.001Z'));
		expect((await login(db, 'office', 'Passw0rd123', ip)).ok).toBe(true);
	});

	it('failures older than a minute do not count (sliding window)', async () => {
		const db = await world();
		vi.useFakeTimers({ toFake: ['Date'] });
		const ip = '198.51.100.20';
		vi.setSystemTime(new Date('2026-03-02T08:00:00Z'));
		for (let i = 0; i < 20; i++) await login(db, `ghost-${i}`, 'x', ip);
		vi.setSystemTime(new Date('2026-03-02T08:00:50Z'));
		for (let i = 0; i < 9; i++) await login(db, `ghost-b${i}`, 'x', ip);
		// 29 failures in the window: one more attempt is allowed (and fails), then the limit holds.
		expect(await login(db, 'ghost-last', 'x', ip)).toEqual({ ok: false, message: LOGIN_REFUSED });
		expect(await login(db, 'office', 'Passw0rd123', ip)).toEqual({ ok: false, message: LIMITED });
		// At 08:01:00.001 the first 20 have left the window: 10 remain, sign-in works again.
		vi.setSystemTime(new Date('2026-03-02T08:01:00.001Z'));
		expect((await login(db, 'office', 'Passw0rd123', ip)).ok).toBe(true);
	});

	it('successful sign-ins from one address are never limited', async () => {
		const db = await world();
		const ip = '198.51.100.30';
		for (let i = 0; i < 35; i++) expect((await login(db, i % 2 ? 'office' : 'obs', 'Passw0rd123', ip)).ok).toBe(true);
	});
});
