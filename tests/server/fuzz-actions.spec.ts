/**
 * Hostile input for every form action and every writing endpoint of src/routes, against the built
 * server: the forms are read from the pages (so later routes are covered) and sent back empty,
 * with scripts, formulas, path tricks, wrong types, oversized and repeated fields, JSON instead of a
 * form, hostile files, and another region's application in the hidden fields. Every answer is a
 * clear error (never a server error); a refused request writes nothing; no role other than the
 * office touches an application it may not see; afterwards no page renders the injected markup,
 * and neither the audit log nor the server output holds the personal data typed in.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sessionCookie, withDb, serveFile } from './harness';
import { discoverRoutes, urlOf, type Route } from './routes';
import { COLUMNS, expected, makeWorld, paramsFor, type Column, type World } from './world';
import { get, postAction, request, answerText, type Answer } from './http';
import { HOSTILE_STRINGS, SCRIPT, XSS_MARKER, fingerprint, pick, rng } from '../support/hostile';
import { idCheckChar } from '../../src/lib/domain/identifiers';

const routes = discoverRoutes().filter((r) => r.group !== 'public');
let world: World;
const r = rng(424242);

/** Personal data typed into the forms; it must never reach the audit log or the server output. */
const PROBE_PHONE = '13987654321';
const PROBE_ID = '21010219791231005' + idCheckChar('21010219791231005');
const CJK = /[\u4e00-\u9fff]/;

const served = serveFile('fuzz', (db) => {
	world = makeWorld(db);
});

/* ------------------------------------------------------------------ who acts */

const ACTOR: Record<Route['group'], Column> = {
	office: 'office',
	city: 'city',
	expert: 'expert',
	observer: 'observer',
	admin: 'sysadmin',
	security: 'secadmin',
	audit: 'auditadmin',
	'signed-in': 'office',
	public: 'anonymous'
};

/** A hostile action may deactivate or reset its own account: sign the actor in again if so. */
async function ensureSession(column: Column) {
	const probe = await get(served.server.base, '/', world.cookies[column]);
	if (probe.location?.startsWith('/login')) {
		const username = world.users[column as Exclude<Column, 'anonymous'>];
		withDb(served.dbFile, (db) => {
			db.$client.prepare('UPDATE users SET active = 1, failed_logins = 0, locked_until = NULL WHERE username = ?').run(username);
			world.cookies[column] = sessionCookie(db, username);
		});
	}
}

/* ------------------------------------------------------------------ forms of a page */

type Field = { name: string; type: string; value: string; options: string[] };

const decode = (s: string) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
const attr = (attrs: string, name: string) => {
	const m = new RegExp(`\\s${name}="([^"]*)"`).exec(attrs);
	return m ? decode(m[1]) : null;
};

/** The fields of every POST form of a page, by action name. */
export function scrapeForms(html: string): Map<string, Field[]> {
	const out = new Map<string, Field[]>();
	for (const f of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
		if ((attr(f[1], 'method') ?? 'get').toLowerCase() !== 'post') continue;
		const action = attr(f[1], 'action') ?? '';
		const m = /^(?:[^?]*)\?\/([A-Za-z_$][\w$]*)/.exec(action);
		const name = m ? m[1] : action === '' || action === '?' ? 'default' : null;
		if (!name) continue;
		const fields = out.get(name) ?? [];
		for (const i of f[2].matchAll(/<input\b([^>]*)>/g)) {
			const n = attr(i[1], 'name');
			if (n) fields.push({ name: n, type: (attr(i[1], 'type') ?? 'text').toLowerCase(), value: attr(i[1], 'value') ?? '', options: [] });
		}
		for (const t of f[2].matchAll(/<textarea\b([^>]*)>/g)) {
			const n = attr(t[1], 'name');
			if (n) fields.push({ name: n, type: 'textarea', value: '', options: [] });
		}
		for (const s of f[2].matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
			const n = attr(s[1], 'name');
			if (n) fields.push({ name: n, type: 'select', value: '', options: [...s[2].matchAll(/<option\b([^>]*)>/g)].map((o) => attr(o[1], 'value') ?? '') });
		}
		out.set(name, fields);
	}
	return out;
}

/* ------------------------------------------------------------------ values */

function plausible(f: Field): string {
	const n = f.name.toLowerCase();
	if (/phone|tel|mobile|电话/.test(n)) return PROBE_PHONE;
	if (/idnumber|id_number|身份证/.test(n)) return PROBE_ID;
	if (/email/.test(n)) return 'probe@example.cn';
	if (f.type === 'select') return f.options.find((o) => o) ?? '';
	if (f.type === 'hidden' || f.type === 'radio') return f.value;
	if (f.type === 'checkbox') return f.value || 'on';
	if (f.type === 'number') return '3';
	if (f.type === 'date') return '2023-06-10';
	if (f.type === 'file') return '';
	if (/password|next|repeat|current/.test(n)) return 'Passw0rd-fuzz-1';
	return '测试文本';
}

function hostile(f: Field): string {
	if (f.type === 'number') return pick(r, ['abc', '1e309', '-1', '0x1F', '99999999999999999999', 'NaN', '1,5', ...HOSTILE_STRINGS]);
	if (f.type === 'date') return pick(r, ['2023-02-30', '0000-00-00', '9999-99-99', '2023/06/10', SCRIPT]);
	if (f.type === 'select' || f.type === 'radio' || f.type === 'checkbox') return pick(r, ['<script>', '../../etc/passwd', 'constructor', '__proto__', '', '1 OR 1=1']);
	return pick(r, HOSTILE_STRINGS);
}

type Variant = { label: string; body: BodyInit; type: string | null };

function urlencoded(pairs: [string, string][]): string {
	return new URLSearchParams(pairs).toString();
}

function variants(fields: Field[], foreign: string | null): Variant[] {
	const form = 'application/x-www-form-urlencoded';
	const named = fields.filter((f) => f.type !== 'file' && f.type !== 'submit' && f.type !== 'button');
	const list: Variant[] = [
		{ label: 'empty', body: '', type: form },
		{ label: 'plausible', body: urlencoded(named.map((f) => [f.name, plausible(f)])), type: form },
		{ label: 'hostile', body: urlencoded(named.map((f) => [f.name, hostile(f)])), type: form },
		{ label: 'hostile again', body: urlencoded(named.map((f) => [f.name, hostile(f)])), type: form },
		{ label: 'wrong types', body: urlencoded(named.map((f) => [f.name, f.type === 'textarea' || f.type === 'text' ? '{"$ne":null}' : 'abc'])), type: form },
		{ label: 'oversized', body: urlencoded(named.map((f) => [f.name, 'x'.repeat(Math.floor(400_000 / Math.max(1, named.length)))])), type: form },
		{ label: 'repeated', body: urlencoded(named.flatMap((f) => Array.from({ length: 300 }, () => [f.name, plausible(f)] as [string, string]))), type: form },
		{ label: 'unknown fields', body: urlencoded([['__proto__[admin]', '1'], ['constructor', 'x'], ['role', 'office'], ['userId', 'u-1']]), type: form },
		{ label: 'json', body: JSON.stringify(Object.fromEntries(named.map((f) => [f.name, { $gt: '' }]))), type: 'application/json' },
		{ label: 'no content type', body: 'a=1', type: null },
		{ label: 'broken multipart', body: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nunterminated', type: 'multipart/form-data; boundary=x' }
	];
	if (foreign) {
		const swapped = named.map((f): [string, string] => [f.name, f.type === 'hidden' || /applicationid|^id$|appid/i.test(f.name) ? foreign : plausible(f)]);
		list.push({ label: 'another region’s application', body: urlencoded([...swapped, ['applicationId', foreign], ['id', foreign]]), type: form });
	}
	const files = fields.filter((f) => f.type === 'file');
	if (files.length) {
		const make = (content: Uint8Array, filename: string, mime: string) => {
			const fd = new FormData();
			for (const f of named) fd.append(f.name, plausible(f));
			for (const f of files) fd.append(f.name, new Blob([content as Uint8Array<ArrayBuffer>], { type: mime }), filename);
			return fd;
		};
		const random = new Uint8Array(300_000).map(() => Math.floor(r() * 256));
		list.push(
			{ label: 'file: random bytes with a path-trick name', body: make(random, '../../../../etc/passwd.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'), type: null },
			{ label: 'file: empty', body: make(new Uint8Array(0), 'empty.pdf', 'application/pdf'), type: null },
			{ label: 'file: html with a script name', body: make(new TextEncoder().encode(`<html>${SCRIPT}</html>`), `${SCRIPT}.pdf`, 'text/html'), type: null },
			{ label: 'file: executable', body: make(new TextEncoder().encode('MZ\u0090\u0000 this program'), 'setup.exe', 'application/x-msdownload'), type: null },
			{ label: 'file: too big', body: make(new Uint8Array(3 * 1024 * 1024), 'big.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'), type: null }
		);
	}
	return list;
}

/* ------------------------------------------------------------------ checks */

/** Everything stored about one application: its row, child rows and audit entries. */
function appFingerprint(appId: string): string {
	const h = createHash('sha256');
	const tables = served.look.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all() as string[];
	for (const t of tables) {
		const cols = (served.look.prepare(`PRAGMA table_info("${t}")`).all() as { name: string }[]).map((c) => c.name);
		if (t === 'applications') h.update(JSON.stringify(served.look.prepare('SELECT * FROM applications WHERE id = ?').raw().all(appId)));
		else if (cols.includes('application_id')) h.update(t + JSON.stringify(served.look.prepare(`SELECT * FROM "${t}" WHERE application_id = ? ORDER BY rowid`).raw().all(appId)));
		else if (t === 'score_sheets') continue;
	}
	h.update(JSON.stringify(served.look.prepare(`SELECT * FROM sheet_points WHERE sheet_id IN (SELECT id FROM score_sheets WHERE application_id = ?) ORDER BY rowid`).raw().all(appId)));
	h.update(JSON.stringify(served.look.prepare(`SELECT id FROM audit_log WHERE entity_id = ? OR detail LIKE ?`).raw().all(appId, `%"${appId}"%`)));
	return h.digest('hex');
}

const isRefusal = (a: Answer) => (a.action ? a.action.type === 'failure' || a.action.type === 'error' : a.status >= 400);

async function check(label: string, actor: Column, send: () => Promise<Answer>, problems: string[]) {
	const before = fingerprint(served.look);
	const foreignBefore = actor === 'office' ? null : appFingerprint(world.foreignApp);
	let a: Answer;
	try {
		a = await send();
	} catch (e) {
		problems.push(`${label}: 请求失败 ${e instanceof Error ? e.message : String(e)}`);
		return;
	}
	if (a.status >= 500 || a.action?.status === 500) problems.push(`${label}: 服务器错误 HTTP ${a.status} ${a.body.slice(0, 160)}`);
	else if (a.verdict === 'login' || a.verdict === 'forbidden') problems.push(`${label}: 执行者被拒绝（${a.verdict}），无法测试`);
	else if (isRefusal(a)) {
		if (fingerprint(served.look) !== before) problems.push(`${label}: 请求被拒绝（HTTP ${a.status}），但写入了数据`);
		// The framework's own answers (body too large, not a form) are plain; ours must say what is wrong in Chinese.
		if (![413, 415].includes(a.status) && a.action?.status !== 415 && !CJK.test(answerText(a))) problems.push(`${label}: 错误信息不明确：${answerText(a).slice(0, 160)}`);
	}
	if (foreignBefore !== null && appFingerprint(world.foreignApp) !== foreignBefore) problems.push(`${label}: 改动了无权查看的申报 ${world.foreignApp}`);
}

/* ------------------------------------------------------------------ the tests */

describe('hostile form input', () => {
	for (const route of routes) {
		if (!route.actions.length && !route.methods.some((m) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(m))) continue;
		it(`${route.id}: every action refuses malformed and hostile input cleanly`, async () => {
			const actor = ACTOR[route.group];
			await ensureSession(actor);
			const { values } = paramsFor(served.look, route, world);
			const url = urlOf(route, values);
			const forms = route.page ? scrapeForms((await get(served.server.base, url, world.cookies[actor])).body) : new Map<string, Field[]>();
			const problems: string[] = [];
			const foreign = actor === 'office' ? null : world.foreignApp;
			for (const action of route.actions) {
				for (const v of variants(forms.get(action) ?? [], foreign)) {
					await ensureSession(actor);
					await check(`${action} [${v.label}]`, actor, () => postAction(served.server.base, url, action, world.cookies[actor], v.body, v.type), problems);
				}
			}
			for (const method of route.methods.filter((m) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(m))) {
				const bodies: [string, string, string][] = [
					['empty', '', 'application/json'],
					['not JSON', '{"version": 1,', 'application/json'],
					['wrong types', JSON.stringify({ version: 'x', points: [1, 2], comments: 'x', comment: { a: 1 } }), 'application/json'],
					['hostile', JSON.stringify({ version: 0, points: { __proto__: 1, '../../x': 5, [SCRIPT]: 1 }, comment: SCRIPT }), 'application/json'],
					['huge', JSON.stringify({ version: 0, points: {}, comment: 'x'.repeat(400_000) }), 'application/json'],
					['deep', '{"a":'.repeat(5000) + '1' + '}'.repeat(5000), 'application/json'],
					['form instead of JSON', 'version=1&points=x', 'application/x-www-form-urlencoded']
				];
				for (const [label, body, type] of bodies) {
					await ensureSession(actor);
					await check(`${method} [${label}]`, actor, () => request(served.server.base, method, url, { cookie: world.cookies[actor], headers: { 'content-type': type }, body }), problems);
				}
			}
			expect(problems).toEqual([]);
		});
	}

	it('afterwards no page renders the injected markup, and no personal data typed in reached the logs', async () => {
		const rendered: string[] = [];
		for (const route of discoverRoutes().filter((x) => x.page)) {
			const { values, scope } = paramsFor(served.look, route, world);
			for (const column of COLUMNS) {
				if (expected(route, scope, column) !== 'allowed') continue;
				if (column !== 'anonymous') await ensureSession(column);
				const a = await get(served.server.base, urlOf(route, values), world.cookies[column]);
				if (a.body.includes(`onerror="${XSS_MARKER}"`) || a.body.includes(`<script>window.${XSS_MARKER.replace(/-/g, '_')}`)) rendered.push(`${column} ${urlOf(route, values)}`);
			}
		}
		expect(rendered, '页面把注入的脚本当作标记输出').toEqual([]);
		const audit = (served.look.prepare('SELECT actor, action, entity, entity_id, detail FROM audit_log').raw().all() as unknown[][]).map((x) => x.join(' ')).join('\n');
		const output = served.server.output();
		for (const secret of [PROBE_PHONE, PROBE_ID, ...world.idNumbers, ...world.phones]) {
			expect(audit.includes(secret), `审计日志含有个人信息 ${secret.slice(0, 3)}…`).toBe(false);
			expect(output.includes(secret), `服务器输出含有个人信息 ${secret.slice(0, 3)}…`).toBe(false);
		}
	});
});
