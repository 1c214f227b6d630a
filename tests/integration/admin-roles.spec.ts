/**
 * 三员分立 on the server side: the account service within the actor's scope (the office: expert
 * accounts only; the system administrator: every role), the last account manager, backups from
 * the page's service, the audit administrator's verification, lockouts — and refused requests
 * (403 of requireRole/requirePermission, 404 of an application the user may not see) noted during
 * the request and written as `access.denied` audit entries in a transaction of their own.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { isHttpError } from '@sveltejs/kit';
import { memoryDb, openDatabase, migrate, type Db } from '../../src/lib/server/db';
import * as s from '../../src/lib/server/db/schema';
import { SYSTEM_ACTOR, audit } from '../../src/lib/server/audit';
import { UserError, createUser, listUsers, resetPassword, setUserActive } from '../../src/lib/server/services/users';
import { manageableRoles, type Role } from '../../src/lib/domain/permissions';
import { collectDenials, noteDenial, recordDenial } from '../../src/lib/server/denials';
import { requirePermission, requireRole } from '../../src/lib/server/guard';
import { visibleApplication } from '../../src/lib/server/services/access';
import { cityApplication } from '../../src/lib/server/services/applications';
import { importBundle } from '../../src/lib/server/services/bundle-import';
import { listBackups, runBackup } from '../../src/lib/server/services/backups';
import { runAuditVerification } from '../../src/lib/server/services/audit-verify';
import { currentLockouts, liftLockout } from '../../src/lib/server/services/lockouts';
import type { SessionUser } from '../../src/lib/server/auth';
import { cli, fullBundle, tempDir } from './helpers';

const PW = 'Kx7-wq2-Lm9z';

async function account(db: Db, username: string, role: Role, extra: { region?: string; expertId?: string } = {}) {
	const u = await createUser(
		db,
		{ username, displayName: username, role, region: extra.region ?? null, expertId: extra.expertId ?? null, password: PW },
		SYSTEM_ACTOR
	);
	return { userId: u.id, name: username };
}

const entries = (db: Db, action: string) => db.select().from(s.auditLog).where(eq(s.auditLog.action, action)).all();

function sessionUser(db: Db, username: string): SessionUser {
	const u = db.select().from(s.users).where(eq(s.users.username, username)).get()!;
	return { id: u.id, username: u.username, displayName: u.displayName, role: u.role, region: u.region, expertId: u.expertId, mustChangePassword: false };
}

function event(user: SessionUser | null, pathname = '/office/applications') {
	return { locals: { user, session: null }, url: new URL(`http://localhost${pathname}?q=secret`) } as never;
}

describe('accounts within the actor’s scope', () => {
	it('the office creates, resets and deactivates expert accounts only', async () => {
		const db = memoryDb();
		importBundle(db, fullBundle(), SYSTEM_ACTOR);
		const office = await account(db, 'office', 'office');
		await account(db, 'city-anshan', 'city', { region: 'anshan' });
		const scope = { manageable: manageableRoles('office') };
		const expertId = db.select().from(s.experts).get()!.id;

		const made = await createUser(db, { username: 'exp-x', displayName: '专家', role: 'expert', region: null, expertId, password: null }, office, scope);
		expect(made.username).toBe('exp-x');
		expect(await resetPassword(db, 'exp-x', null, office, scope)).toMatch(/^[A-Za-z2-9]{12}$/);
		setUserActive(db, 'exp-x', false, office, scope);

		const refusals: UserError[] = [];
		for (const attempt of [
			() => createUser(db, { username: 'sys2', displayName: '系统', role: 'sysadmin', region: null, expertId: null, password: PW }, office, scope),
			() => createUser(db, { username: 'city-x', displayName: '市局', role: 'city', region: 'dalian', expertId: null, password: PW }, office, scope),
			() => resetPassword(db, 'city-anshan', null, office, scope),
			async () => setUserActive(db, 'city-anshan', false, office, scope)
		]) {
			await expect(attempt()).rejects.toBeInstanceOf(UserError);
			await attempt().catch((e) => refusals.push(e));
		}
		expect(refusals.every((e) => e.status === 403), refusals.map((e) => e.message).join('；')).toBe(true);
		expect(db.select().from(s.users).where(eq(s.users.username, 'city-anshan')).get()!.active).toBe(true);
		expect(db.select().from(s.users).where(eq(s.users.username, 'sys2')).get()).toBeUndefined();
		expect(listUsers(db, scope.manageable).map((u) => u.username)).toEqual(['exp-x']);
	});

	it('the system administrator manages every role, the other administrators included, and every change is audited', async () => {
		const db = memoryDb();
		const sys = await account(db, 'sysadmin', 'sysadmin');
		const scope = { manageable: manageableRoles('sysadmin') };
		await createUser(db, { username: 'secadmin', displayName: '安全', role: 'secadmin', region: null, expertId: null, password: PW }, sys, scope);
		await createUser(db, { username: 'auditadmin', displayName: '审计', role: 'auditadmin', region: null, expertId: null, password: PW }, sys, scope);
		await createUser(db, { username: 'office', displayName: '省厅', role: 'office', region: null, expertId: null, password: PW }, sys, scope);
		await resetPassword(db, 'auditadmin', null, sys, scope);
		setUserActive(db, 'secadmin', false, sys, scope);
		setUserActive(db, 'secadmin', true, sys, scope);
		const mine = db.select().from(s.auditLog).where(eq(s.auditLog.actor, 'sysadmin')).all().map((e) => e.action);
		expect(mine).toEqual(['user.create', 'user.create', 'user.create', 'user.reset-password', 'user.deactivate', 'user.activate']);
		expect(JSON.stringify(entries(db, 'user.reset-password'))).not.toMatch(/password":/);
		// Not oneself: no reset here, no deactivation.
		await expect(resetPassword(db, 'sysadmin', null, sys, scope)).rejects.toThrow(/自己/);
		expect(() => setUserActive(db, 'sysadmin', false, sys, scope)).toThrow(/自己/);
	});

	it('the last active account of a role that manages accounts cannot be deactivated', async () => {
		const db = memoryDb();
		const a = await account(db, 'sys-a', 'sysadmin');
		await account(db, 'sys-b', 'sysadmin');
		await account(db, 'office', 'office');
		setUserActive(db, 'sys-b', false, a);
		expect(() => setUserActive(db, 'sys-a', false, SYSTEM_ACTOR)).toThrow(/最后一个启用的系统管理员账号/);
		expect(() => setUserActive(db, 'office', false, a)).toThrow(/最后一个启用的省厅人才开发处账号/);
		expect(db.select().from(s.users).where(eq(s.users.username, 'sys-a')).get()!.active).toBe(true);
		expect(entries(db, 'user.deactivate')).toHaveLength(1);
		// A second office account makes the first one deactivatable.
		await account(db, 'office-2', 'office');
		setUserActive(db, 'office', false, a);
	});

	it('cli user add takes the three administrator roles', async () => {
		const file = path.join(tempDir(), 'admins.db');
		for (const role of ['sysadmin', 'secadmin', 'auditadmin']) {
			const r = await cli(file, 'user', 'add', `${role}-1`, '--role', role, '--password', PW);
			expect(r.code, r.stderr).toBe(0);
		}
		const list = JSON.parse((await cli(file, 'user', 'list', '--json')).stdout).users;
		expect(list.map((u: { role: string }) => u.role).sort()).toEqual(['auditadmin', 'secadmin', 'sysadmin']);
		expect((await cli(file, 'user', 'add', 'x', '--role', 'root')).stderr).toMatch(/sysadmin、secadmin、auditadmin/);
	});
});

describe('refused requests become access.denied audit entries', () => {
	it('a wrong role or a missing permission is noted with the user, role, method, path and reason, not the query', async () => {
		const db = memoryDb();
		await account(db, 'sysadmin', 'sysadmin');
		await account(db, 'office', 'office');
		const sys = sessionUser(db, 'sysadmin');
		const { result, denial } = await collectDenials(async () => {
			try {
				requireRole(event(sys), 'office');
				return 'allowed';
			} catch (e) {
				return isHttpError(e) ? e.status : 'other';
			}
		});
		expect(result).toBe(403);
		expect(denial).toEqual({ status: 403, entity: 'route', entityId: null, reason: 'role:office' });
		expect(recordDenial(db, { userId: sys.id, username: sys.username, role: sys.role, method: 'GET', path: '/office/applications' }, denial!)).toBe(true);
		const [e] = entries(db, 'access.denied');
		expect(e.actor).toBe('sysadmin');
		expect(e.userId).toBe(sys.id);
		expect(JSON.parse(e.detail!)).toEqual({ role: 'sysadmin', method: 'GET', path: '/office/applications', status: 403, reason: 'role:office' });

		const office = sessionUser(db, 'office');
		const second = await collectDenials(async () => {
			for (const p of ['audit.verify', 'security.settings', 'backup.run', 'account.manage'] as const) {
				try {
					requirePermission(event(office, '/audit'), p);
				} catch {
					/* noted */
				}
			}
			return requirePermission(event(office, '/office/audit'), 'audit.read').username;
		});
		expect(second.result).toBe('office');
		expect(second.denial?.reason).toBe('audit.verify');
		// The office may read the audit log: no refusal when the permission is held.
		expect((await collectDenials(async () => requirePermission(event(office), 'audit.read'))).denial).toBeNull();
		// Anonymous: sent to the login page, nothing noted.
		const anon = await collectDenials(async () => {
			try {
				requireRole(event(null), 'office');
			} catch {
				/* redirect */
			}
		});
		expect(anon.denial).toBeNull();
	});

	it('the 404 of an application that exists but is hidden is noted with its id; a missing one is not', async () => {
		const db = memoryDb();
		const bundle = fullBundle();
		importBundle(db, bundle, SYSTEM_ACTOR);
		const app = db.select().from(s.applications).get()!;
		const other = (['anshan', 'dalian', 'shenyang'] as const).find((r) => r !== app.region)!;
		await account(db, 'city-other', 'city', { region: other });
		await account(db, 'auditadmin', 'auditadmin');
		for (const username of ['city-other', 'auditadmin']) {
			const user = sessionUser(db, username);
			const hidden = await collectDenials(async () => {
				try {
					visibleApplication(db, user, app.id);
				} catch (e) {
					return isHttpError(e) ? e.status : 'other';
				}
			});
			expect(hidden.result, username).toBe(404);
			expect(hidden.denial, username).toEqual({ status: 404, entity: 'application', entityId: app.id, reason: 'not-visible' });
			const missing = await collectDenials(async () => {
				try {
					visibleApplication(db, user, 'no-such-application');
				} catch {
					/* 404 */
				}
			});
			expect(missing.denial, username).toBeNull();
		}
		// The city's own page goes through the applications service: the same note.
		const viaService = await collectDenials(async () => {
			try {
				cityApplication(db, sessionUser(db, 'city-other'), app.id);
			} catch {
				/* 404 */
			}
		});
		expect(viaService.denial).toMatchObject({ status: 404, entity: 'application', entityId: app.id });
	});

	it('a note inside a transaction that rolls back is still written afterwards, in its own transaction', async () => {
		const db = memoryDb();
		await account(db, 'office', 'office');
		const user = sessionUser(db, 'office');
		const { denial } = await collectDenials(async () => {
			try {
				db.transaction((tx) => {
					audit(tx, SYSTEM_ACTOR, 'doomed.change');
					noteDenial({ status: 404, entity: 'attachment', entityId: 'att-1', reason: 'not-visible' });
					throw new Error('refused');
				});
			} catch {
				/* rolled back */
			}
		});
		expect(entries(db, 'doomed.change')).toHaveLength(0);
		expect(recordDenial(db, { userId: user.id, username: 'office', role: 'office', method: 'POST', path: '/attachments/att-1' }, denial!)).toBe(true);
		expect(entries(db, 'access.denied')[0].entityId).toBe('att-1');
	});

	it('a failing audit write never throws out of the refusal', async () => {
		const closed = memoryDb();
		closed.$client.close();
		expect(recordDenial(closed, { userId: 'u', username: 'x', role: 'city', method: 'GET', path: '/office' }, { status: 403, entity: 'route', entityId: null, reason: 'role:office' })).toBe(false);
	});
});

describe('the administrators’ services', () => {
	it('sysadmin: an online backup into the backup directory, listed and audited', async () => {
		const dir = tempDir();
		const file = path.join(dir, 'workbench.db');
		const db = openDatabase(file);
		migrate(db);
		const sys = await account(db, 'sysadmin', 'sysadmin');
		const out = path.join(dir, 'backups');
		const { name, summary } = await runBackup(db, sys, out, new Date('2026-12-05T12:00:00.123Z'));
		expect(name).toBe('workbench-20261205T120000123Z.db');
		expect(summary.counts.users).toBe(1);
		expect(fs.statSync(path.join(out, name)).mode & 0o777).toBe(0o600);
		expect(listBackups(out).map((b) => b.name)).toEqual([name]);
		const [e] = entries(db, 'backup.run');
		expect(e.actor).toBe('sysadmin');
		expect(e.entityId).toBe(name);
		// Two backups in the same millisecond are refused rather than overwritten.
		await expect(runBackup(db, sys, out, new Date('2026-12-05T12:00:00.123Z'))).rejects.toThrow(/已存在/);
		db.$client.close();
	});

	it('auditadmin: the verification reports an intact chain, then the first changed entry, and is itself recorded', async () => {
		const db = memoryDb();
		const aud = await account(db, 'auditadmin', 'auditadmin');
		const first = runAuditVerification(db, aud);
		expect(first.ok).toBe(true);
		expect(first.entries).toBeGreaterThan(0);
		expect(entries(db, 'audit.verify')).toHaveLength(1);
		db.$client.prepare(`UPDATE audit_log SET detail = '{"username":"mallory"}' WHERE id = 1`).run();
		const second = runAuditVerification(db, aud);
		expect(second.ok).toBe(false);
		expect(second.problems[0].id).toBe(1);
	});

	it('secadmin: current lockouts are listed and one can be lifted (audited)', async () => {
		const db = memoryDb();
		const sec = await account(db, 'secadmin', 'secadmin');
		const now = new Date();
		db.insert(s.loginFailures).values({ username: 'office', address: '10.0.0.9', failures: 5, lastAt: now, lockedUntil: new Date(now.getTime() + 600_000) }).run();
		db.insert(s.loginFailures).values({ username: 'city-anshan', address: '10.0.0.8', failures: 2, lastAt: now, lockedUntil: null }).run();
		expect(currentLockouts(db, now).map((l) => `${l.username}@${l.address}`)).toEqual(['office@10.0.0.9']);
		expect(liftLockout(db, sec, 'office', '10.0.0.9')).toBe(true);
		expect(liftLockout(db, sec, 'office', '10.0.0.9')).toBe(false);
		expect(currentLockouts(db, now)).toEqual([]);
		expect(entries(db, 'security.unlock')[0].actor).toBe('secadmin');
	});
});
