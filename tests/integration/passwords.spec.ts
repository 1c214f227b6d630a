/**
 * Passwords in the services (services/users.ts) and the command line: the rules of
 * domain/passwords.ts with the settings, initial and reset passwords must be changed, the last
 * passwordHistory passwords are not reused, the demo accounts keep their printed passwords.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { memoryDb, openDatabase, type Db } from '../../src/lib/server/db';
import { auditLog, passwordHistory, users } from '../../src/lib/server/db/schema';
import { UserError, changeOwnPassword, createUser, resetPassword } from '../../src/lib/server/services/users';
import { updateSecuritySettings } from '../../src/lib/server/services/security-settings';
import { SYSTEM_ACTOR } from '../../src/lib/server/audit';
import { passwordProblem } from '../../src/lib/domain/passwords';
import { cli, tempDir } from './helpers';

const office = (password: string | null, username = 'city-anshan') =>
	({ username, displayName: '鞍山', role: 'city', region: 'anshan', expertId: null, password }) as const;

const row = (db: Db, username: string) => db.select().from(users).where(eq(users.username, username)).get()!;

async function refusal(p: Promise<unknown>): Promise<{ field: string; message: string }> {
	try {
		await p;
	} catch (e) {
		if (e instanceof UserError) return { field: e.field, message: e.message };
		throw e;
	}
	throw new Error('not refused');
}

describe('passwords of accounts', () => {
	it('an administrator’s password keeps the rules, naming the field', async () => {
		const db = memoryDb();
		expect(await refusal(createUser(db, office('Short1a'), SYSTEM_ACTOR))).toEqual({ field: 'password', message: '密码至少10个字符' });
		expect((await refusal(createUser(db, office('alllowercase123'), SYSTEM_ACTOR))).message).toMatch(/至少三类/);
		expect((await refusal(createUser(db, office('My-City-Anshan-1'), SYSTEM_ACTOR))).message).toBe('密码不能包含用户名');
		expect((await refusal(createUser(db, office('Woaini1314!'), SYSTEM_ACTOR))).message).toMatch(/常见密码/);
		expect(db.select().from(users).all()).toHaveLength(0);
		updateSecuritySettings(db, SYSTEM_ACTOR, { passwordMinLength: '14' });
		expect((await refusal(createUser(db, office('Liaoning-Rev7'), SYSTEM_ACTOR))).message).toBe('密码至少14个字符');
	});

	it('initial passwords (given or generated) must be changed; generated ones keep the rules', async () => {
		const db = memoryDb();
		const given = await createUser(db, office('Liaoning-Review7'), SYSTEM_ACTOR);
		expect(row(db, 'city-anshan')).toMatchObject({ mustChangePassword: true });
		expect(row(db, 'city-anshan').passwordChangedAt).toBeTruthy();
		const made = await createUser(db, office(null, 'city-dalian'), SYSTEM_ACTOR);
		expect(passwordProblem(made.password, { minLength: 10, username: 'city-dalian' })).toBeNull();
		expect(row(db, 'city-dalian').mustChangePassword).toBe(true);
		expect(db.select().from(passwordHistory).where(eq(passwordHistory.userId, given.id)).all()).toHaveLength(1);
	});

	it('the demo seed’s accounts keep their printed passwords and need no change', async () => {
		const db = memoryDb();
		await createUser(db, { username: 'office', displayName: '处室', role: 'office', region: null, expertId: null, password: 'Office2023demo' }, SYSTEM_ACTOR, { demo: true });
		expect(row(db, 'office')).toMatchObject({ mustChangePassword: false });
		expect(Date.now() - Date.parse(row(db, 'office').passwordChangedAt!)).toBeLessThan(60_000);
		// Without the seed's flag the same password is refused (it contains the username).
		expect((await refusal(createUser(db, { username: 'office2', displayName: 'x', role: 'office', region: null, expertId: null, password: 'Office2023demo' }, SYSTEM_ACTOR))).message).toBe('密码不能包含用户名');
	});

	it('changing one’s own password: current one needed, rules, not one of the last 5; audited without the password', async () => {
		const db = memoryDb();
		const { id } = await createUser(db, office('Initial-Pass-0'), SYSTEM_ACTOR);
		const actor = { userId: id, name: 'city-anshan' };
		expect(await refusal(changeOwnPassword(db, id, 'not-it', 'Liaoning-Pass-1', actor))).toEqual({ field: 'current', message: '当前密码不正确' });
		expect(await refusal(changeOwnPassword(db, id, 'Initial-Pass-0', 'Initial-Pass-0', actor))).toMatchObject({ field: 'next' });
		expect((await refusal(changeOwnPassword(db, id, 'Initial-Pass-0', 'password', actor))).field).toBe('next');
		let current = 'Initial-Pass-0';
		for (let i = 1; i <= 5; i++) {
			await changeOwnPassword(db, id, current, `Liaoning-Pass-${i}`, actor, '192.0.2.5');
			current = `Liaoning-Pass-${i}`;
		}
		expect(row(db, 'city-anshan').mustChangePassword).toBe(false);
		// The last five (Pass-1 … Pass-5) are refused; the one before them is allowed again.
		for (let i = 1; i <= 4; i++) {
			expect(await refusal(changeOwnPassword(db, id, current, `Liaoning-Pass-${i}`, actor)), `Pass-${i}`).toEqual({
				field: 'next',
				message: '新密码不能与最近5次使用过的密码相同'
			});
		}
		await changeOwnPassword(db, id, current, 'Initial-Pass-0', actor);
		const changes = db.select().from(auditLog).where(eq(auditLog.action, 'user.change-password')).all();
		expect(changes).toHaveLength(6);
		expect(JSON.parse(changes[0].detail!)).toEqual({ username: 'city-anshan', address: '192.0.2.5' });
		expect(JSON.stringify(db.select().from(auditLog).all())).not.toMatch(/Liaoning-Pass|Initial-Pass/);
	});

	it('a reset password must be changed; a given one is not one of the last ones', async () => {
		const db = memoryDb();
		const { id } = await createUser(db, office('Initial-Pass-0'), SYSTEM_ACTOR);
		await changeOwnPassword(db, id, 'Initial-Pass-0', 'Liaoning-Pass-1', { userId: id, name: 'x' });
		expect(row(db, 'city-anshan').mustChangePassword).toBe(false);
		expect((await refusal(resetPassword(db, 'city-anshan', 'Liaoning-Pass-1', SYSTEM_ACTOR))).message).toMatch(/最近5次/);
		const generated = await resetPassword(db, 'city-anshan', null, SYSTEM_ACTOR);
		expect(passwordProblem(generated, { minLength: 10, username: 'city-anshan' })).toBeNull();
		expect(row(db, 'city-anshan').mustChangePassword).toBe(true);
		expect(db.select().from(auditLog).where(eq(auditLog.action, 'user.reset-password')).all()).toHaveLength(1);
	});

	it('the command line uses the same rules', async () => {
		const file = path.join(tempDir(), 'p.db');
		const weak = await cli(file, 'user', 'add', 'o1', '--role', 'office', '--password', 'qwertyuiop1!');
		expect(weak.code).toBe(1);
		expect(weak.stderr).toMatch(/password: .*常见密码/);
		const add = await cli(file, 'user', 'add', 'o1', '--role', 'office');
		expect(add.code).toBe(0);
		const pw = /初始密码：(\S+)/.exec(add.stdout)![1];
		expect(passwordProblem(pw, { minLength: 10, username: 'o1' })).toBeNull();
		expect((await cli(file, 'user', 'reset', 'o1', '--password', 'o1-Reset-pass-9')).stderr).toMatch(/密码不能包含用户名/);
		expect((await cli(file, 'user', 'reset', 'o1', '--password', 'Reset-pass-9x')).code).toBe(0);
		const db = openDatabase(file);
		try {
			expect(row(db, 'o1').mustChangePassword).toBe(true);
		} finally {
			db.$client.close();
		}
	});
});
