/**
 * The authorization matrix: every page, form action and endpoint of src/routes × every role
 * (anonymous, office, the city of the application's region, a city of another region, the expert
 * assigned, an expert not assigned, an expert assigned but with a declared conflict, the
 * observer, the system, security and audit administrators), against the built server. The
 * expectation comes from the route group and the object: a route added without a guard fails here.
 * A denied request must write nothing but its own `access.denied` audit entry — exactly one for a
 * signed-in user's 403 and for the 404 of an application that exists but is hidden, none for the
 * anonymous; pages of roles other than the office must not carry a full ID number (nor phone,
 * except the city's own forms).
 */
import { describe, expect, it } from 'vitest';
import { serveFile, withDb } from './harness';
import { loadApplicationById, loadInstitutions } from '../../src/lib/server/queries/bundle';
import { discoverRoutes, urlOf, type Route } from './routes';
import { ADMIN_COLUMNS, COLUMNS, ROLE_OF, expected, makeWorld, paramsFor, type Column, type World } from './world';
import { get, postAction, request, type Answer } from './http';
import { fingerprint } from '../support/hostile';
import { maskIdNumber, maskPhone } from '../../src/lib/domain/identifiers';
import { DEMO_PASSWORDS } from '../../src/lib/server/demo/seed';

const routes = discoverRoutes();

type DeniedEntry = { id: number; actor: string; entity: string | null; entity_id: string | null; detail: string };
const lastDenial = () => (served.look.prepare(`SELECT coalesce(max(id), 0) FROM audit_log`).pluck().get() as number);
const deniedSince = (id: number) =>
	served.look.prepare(`SELECT id, actor, entity, entity_id, detail FROM audit_log WHERE id > ? AND action = 'access.denied' ORDER BY id`).all(id) as DeniedEntry[];
let world: World;

const served = serveFile('authz', (db) => {
	world = makeWorld(db);
});

type Kind = { type: 'page' } | { type: 'action'; name: string } | { type: 'method'; name: string };

function send(kind: Kind, url: string, cookie: string | null): Promise<Answer> {
	if (kind.type === 'page') return get(served.server.base, url, cookie);
	if (kind.type === 'action') return postAction(served.server.base, url, kind.name, cookie);
	return request(served.server.base, kind.name, url, { cookie, headers: { 'content-type': 'application/json' }, body: kind.name === 'GET' ? null : '{}' });
}

/** Personal data a column must not receive. */
function forbiddenData(column: Column): string[] {
	if (column === 'office' || column === 'anonymous') return [];
	// The city of X's region fills in its applications' phones itself; ID numbers stay masked for it too.
	return column === 'city' ? world.idNumbers : [...world.idNumbers, ...world.phones];
}

async function matrix(route: Route, kind: Kind) {
	const { values, scope } = paramsFor(served.look, route, world);
	const url = urlOf(route, values);
	const problems: string[] = [];
	const cells = COLUMNS.map((column) => ({ column, want: expected(route, scope, column) }));
	// Public routes: no guard to check; they must answer without a server error.
	if (route.group === 'public') {
		for (const { column } of cells) {
			const a = await send(kind, url, world.cookies[column]);
			if (a.verdict === 'server-error') problems.push(`${column}: ${a.status}`);
		}
		expect(problems).toEqual([]);
		return;
	}
	const denied = cells.filter((c) => c.want !== 'allowed');
	const allowed = cells.filter((c) => c.want === 'allowed');
	const before = fingerprint(served.look);
	for (const { column, want } of denied) {
		const seen = lastDenial();
		const a = await send(kind, url, world.cookies[column]);
		if (a.verdict !== want) problems.push(`${column}: 应为 ${want}，实为 ${a.verdict}（HTTP ${a.status}${a.action ? ' ' + JSON.stringify(a.action).slice(0, 120) : ''}）`);
		const logged = deniedSince(seen);
		if (column === 'anonymous') {
			if (logged.length) problems.push(`${column}: 匿名请求不应记入 access.denied`);
		} else if (logged.length !== 1) problems.push(`${column}: 被拒绝的请求应记 1 条 access.denied，实为 ${logged.length} 条`);
		else {
			const e = logged[0];
			const d = JSON.parse(e.detail) as { role: string; method: string; path: string; status: number };
			const method = kind.type === 'page' ? 'GET' : kind.type === 'action' ? 'POST' : kind.name;
			if (e.actor !== world.users[column as Exclude<Column, 'anonymous'>] || d.role !== ROLE_OF[column] || d.method !== method || d.path !== url.split('?')[0])
				problems.push(`${column}: access.denied 记录不符 ${e.actor} ${e.detail}`);
			if (want === 'not-found' && !(e.entity_id === world.app.id || url.includes(String(e.entity_id)) || String(e.entity_id).startsWith(world.app.id)))
				problems.push(`${column}: access.denied 未记对象编号（${e.entity} ${e.entity_id}）`);
		}
	}
	if (fingerprint(served.look) !== before) problems.push('被拒绝的请求写入了数据库');
	for (const { column } of allowed) {
		const a = await send(kind, url, world.cookies[column]);
		const ok = kind.type === 'page' && scope !== 'unknown' ? ['allowed'] : ['allowed', 'not-found'];
		if (!ok.includes(a.verdict)) problems.push(`${column}: 应允许，实为 ${a.verdict}（HTTP ${a.status}${a.location ? ' → ' + a.location : ''}${a.action ? ' ' + JSON.stringify(a.action).slice(0, 160) : ''}）`);
		for (const secret of forbiddenData(column)) {
			if (a.body.includes(secret)) problems.push(`${column}: 页面含有完整的个人信息 ${maskIdNumber(secret)}`);
		}
		if (['city-other', 'expert-unassigned', 'expert-conflict'].includes(column) && new RegExp(`/applications/${world.app.id}["/?#]`).test(a.body)) {
			problems.push(`${column}: 页面列出了无权查看的申报 ${world.app.id}`);
		}
	}
	expect(problems, `${kind.type === 'page' ? 'GET' : kind.name} ${url}`).toEqual([]);
}

describe('authorization matrix', () => {
	it('reads the route tree', () => {
		const ids = routes.map((r) => r.id);
		expect(ids).toContain('(office)/office/applications/[id]');
		expect(ids).toContain('(expert)/expert/applications/[id]/sheet');
		expect(routes.find((r) => r.id === '(office)/office/users')?.actions.length).toBeGreaterThan(0);
		expect(routes.filter((r) => r.group === 'signed-in').map((r) => r.id)).toContain('account/password');
		expect(routes.length).toBeGreaterThan(25);
		expect(routes.filter((r) => r.group === 'admin').map((r) => r.id)).toEqual(expect.arrayContaining(['(admin)/admin/users', '(admin)/admin/backups']));
		expect(routes.filter((r) => r.group === 'security').map((r) => r.id)).toContain('(security)/security');
		expect(routes.filter((r) => r.group === 'audit').map((r) => r.id)).toEqual(expect.arrayContaining(['(audit)/audit', '(audit)/audit/export']));
	});

	for (const route of routes) {
		describe(route.id || '/', () => {
			if (route.page || route.methods.includes('GET')) it('GET × every role', () => matrix(route, { type: 'page' }));
			if (route.group !== 'public') {
				for (const name of route.actions) it(`action ${name} × every role`, () => matrix(route, { type: 'action', name }));
				for (const name of route.methods.filter((m) => m !== 'GET' && m !== 'fallback')) it(`${name} × every role`, () => matrix(route, { type: 'method', name }));
			}
		});
	}
});

describe('三员分立', () => {
	const HOME = { sysadmin: '/admin/users', secadmin: '/security', auditadmin: '/audit' } as const;

	it('each administrator lands on its own page and gets 403 on every other group, the review included', async () => {
		for (const column of ADMIN_COLUMNS) {
			const root = await get(served.server.base, '/', world.cookies[column]);
			expect(root.status, column).toBe(303);
			const home = await get(served.server.base, root.location!, world.cookies[column]);
			expect(home.status === 200 || home.location === HOME[column], `${column} ${root.location}`).toBe(true);
			expect((await get(served.server.base, HOME[column], world.cookies[column])).status, column).toBe(200);
			for (const path of ['/office', `/office/applications/${world.app.id}`, '/city', '/expert', '/observer', '/observer/audit', ...Object.values(HOME).filter((p) => p !== HOME[column])]) {
				expect((await get(served.server.base, path, world.cookies[column])).status, `${column} ${path}`).toBe(403);
			}
		}
	});

	it('the system and security administrators\' pages show nothing of the application', async () => {
		const name = served.look.prepare('SELECT i.name FROM applications a JOIN institutions i ON i.id = a.institution_id WHERE a.id = ?').pluck().get(world.app.id) as string;
		for (const [column, path] of [['sysadmin', '/admin/users'], ['sysadmin', '/admin/backups'], ['secadmin', '/security']] as const) {
			const page = await get(served.server.base, path, world.cookies[column]);
			expect(page.status).toBe(200);
			expect(page.body.includes(name), `${path} 含有申报单位名称`).toBe(false);
			expect(page.body.includes(world.app.id), `${path} 含有申报编号`).toBe(false);
		}
	});

	it('the security administrator changes a setting and the system administrator makes a backup, each audited under its own name', async () => {
		const saved = await postAction(served.server.base, '/security', 'save', world.cookies.secadmin, new URLSearchParams({ sessionIdleMinutes: '45' }));
		expect(saved.action?.type, JSON.stringify(saved.action)).toBe('success');
		expect(served.look.prepare(`SELECT value FROM settings WHERE key = 'sessionIdleMinutes'`).pluck().get()).toBe('45');
		const change = served.look.prepare(`SELECT actor, detail FROM audit_log WHERE action = 'settings.update' ORDER BY id DESC`).get() as { actor: string; detail: string };
		expect(change.actor).toBe('secadmin');
		expect(JSON.parse(change.detail)).toEqual({ sessionIdleMinutes: { from: 30, to: 45 } });
		const bad = await postAction(served.server.base, '/security', 'save', world.cookies.secadmin, new URLSearchParams({ maxFailedLogins: '1' }));
		expect(bad.action?.type).toBe('failure');
		expect(bad.action?.data).toContain('连续登录失败锁定次数');

		const made = await postAction(served.server.base, '/admin/backups', 'run', world.cookies.sysadmin);
		expect(made.action?.type, JSON.stringify(made.action)).toBe('success');
		const entry = served.look.prepare(`SELECT actor, entity_id FROM audit_log WHERE action = 'backup.run' ORDER BY id DESC`).get() as { actor: string; entity_id: string };
		expect(entry.actor).toBe('sysadmin');
		const list = await get(served.server.base, '/admin/backups', world.cookies.sysadmin);
		expect(list.body).toContain(entry.entity_id);
	});

	it('the audit administrator sees the other administrators\' actions and the refused requests', async () => {
		const page = await get(served.server.base, '/audit?actor=sysadmin', world.cookies.auditadmin);
		expect(page.status).toBe(200);
		expect(page.body).toContain('access.denied');
		const csv = await get(served.server.base, '/audit/export?format=csv&action=access.denied', world.cookies.auditadmin);
		expect(csv.status).toBe(200);
		for (const who of ['sysadmin', 'secadmin', 'office']) expect(csv.body, who).toContain(`,${who},`);
		const all = await get(served.server.base, '/audit/export?format=csv', world.cookies.auditadmin);
		for (const action of ['settings.update', 'backup.run']) expect(all.body, action).toContain(`,${action},`);
		const verify = await postAction(served.server.base, '/audit', 'verify', world.cookies.auditadmin);
		expect(verify.action?.type).toBe('success');
		const checked = served.look.prepare(`SELECT actor, detail FROM audit_log WHERE action = 'audit.verify' ORDER BY id DESC`).get() as { actor: string; detail: string };
		expect(checked.actor).toBe('auditadmin');
		expect(JSON.parse(checked.detail)).toMatchObject({ ok: true, problems: 0 });
	});
});

describe('personal data', () => {
	it('the office sees the full ID number and phones; every other role a masked one', async () => {
		// Stored SM4-encrypted: the file holds ciphertext, the loaders give the numbers back.
		const stored = served.look
			.prepare('SELECT i.legal_rep_id_number AS id, a.lead_phone AS phone FROM applications a JOIN institutions i ON i.id = a.institution_id WHERE a.id = ?')
			.get(world.app.id) as { id: string; phone: string | null };
		expect(stored.id).toMatch(/^sm4:/);
		const detail = withDb(served.dbFile, (db) => {
			const app = loadApplicationById(db, world.app.id)!.app;
			return { id: loadInstitutions(db, new Set([app.institutionId]))[0].legalRep!.idNumber!, phone: app.lead?.phone ?? null };
		});
		expect(detail.id).toMatch(/^\d{17}[\dX]$/);
		if (detail.phone) expect(stored.phone).toMatch(/^sm4:/);
		const office = await get(served.server.base, `/office/applications/${world.app.id}`, world.cookies.office);
		expect(office.body).toContain(detail.id);
		if (detail.phone) expect(office.body).toContain(detail.phone);
		for (const [column, path] of [
			['city', `/city/applications/${world.app.id}`],
			['expert', `/expert/applications/${world.app.id}`]
		] as const) {
			const page = await get(served.server.base, path, world.cookies[column]);
			expect(page.status, column).toBe(200);
			expect(page.body, column).not.toContain(detail.id);
			expect(page.body, column).toContain(maskIdNumber(detail.id));
			if (detail.phone && column === 'expert') {
				expect(page.body).not.toContain(detail.phone);
				expect(page.body).toContain(maskPhone(detail.phone));
			}
		}
	});

	it('after a scripted session nothing personal is in the audit log or the server output', async () => {
		// Sign in through the real form as every role, and fail a few times with personal data typed in.
		for (const [username, password] of [
			['office', DEMO_PASSWORDS.office],
			[world.users.city, DEMO_PASSWORDS.city],
			[world.users.expert, DEMO_PASSWORDS.expert],
			['observer', DEMO_PASSWORDS.observer],
			[world.phones[0], world.idNumbers[0]],
			['office', world.idNumbers[0]]
		]) {
			const body = new URLSearchParams({ username, password });
			const a = await request(served.server.base, 'POST', '/login', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
			expect(a.status).toBeLessThan(500);
		}
		const audit = (served.look.prepare('SELECT actor, action, entity, entity_id, detail FROM audit_log').raw().all() as unknown[][]).map((r) => r.join(' ')).join('\n');
		expect(audit).toMatch(/user\.login/);
		const output = served.server.output();
		for (const secret of [...world.idNumbers, ...world.phones]) {
			expect(audit.includes(secret), `审计日志含有 ${maskPhone(secret)}`).toBe(false);
			expect(output.includes(secret), `服务器输出含有 ${maskPhone(secret)}`).toBe(false);
		}
	});
});
