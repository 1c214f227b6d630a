/**
 * Experts never see other experts' sheets or totals. Two other experts score the applications
 * exp-1 also scores, with marked comments and totals nobody else has; then every expert-facing
 * page load (found by walking src/routes/(expert)), the sheet endpoint, the offline workbook and
 * the offline preview are called as exp-1 and their whole output is searched for the marks.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { setDb, type Db } from '../../src/lib/server/db';
import { getSheet, saveSheet } from '../../src/lib/server/services/scoring';
import { actorFor, expertUser, scoringDb } from './scoring-fixture';
import type { SessionUser } from '../../src/lib/server/auth';

const ROUTES = path.resolve(__dirname, '../../src/routes/(expert)');
const ME = 'exp-1';
/** What must never reach exp-1: the other experts' ids, names, comments and totals. */
const SECRETS = ['exp-2', 'exp-3', '专家乙', '专家丙', '乙的评语', '丙的评语', '乙的说明', '丙的项评语'];
const SECRET_TOTALS = [93.5, 41.5, 97.5];

function seeded(): Db {
	const db = scoringDb();
	const put = (app: string, exp: string, points: Record<string, number>, comment: string, submit: boolean, comments: Record<string, string> = {}) =>
		saveSheet(db, app, exp, { version: getSheet(db, app, exp).version, points, comments, comment }, actorFor(exp), { submit });
	// app-1: exp-1 80 (own), exp-2 93.5, exp-3 41.5 → mean 71.67; exp-1 deviates 8.33 < 14.33: not abnormal.
	put('app-1', ME, { qualification: 8, standing: 12, scale: 16, faculty: 12, facilities: 12, management: 8, plan: 12 }, '甲的意见', true);
	put('app-1', 'exp-2', { qualification: 9.5, standing: 14.5, scale: 19, faculty: 14, facilities: 14, management: 9, plan: 13.5 }, '乙的评语', true, { scale: '乙的评语·规模' });
	put('app-1', 'exp-3', { qualification: 4.5, standing: 6.5, scale: 8.5, faculty: 6, facilities: 6, management: 4, plan: 6 }, '丙的评语', true, { plan: '丙的项评语' });
	// app-2: exp-2 drafts 97.5 points (draft), exp-1 has not started.
	put('app-2', 'exp-2', { qualification: 10, standing: 15, scale: 20, faculty: 15, facilities: 15, management: 10, plan: 12.5 }, '乙的评语二', false);
	// app-4 (exp-2 only) is not exp-1's.
	put('app-4', 'exp-2', { qualification: 9.5, standing: 14.5, scale: 19, faculty: 14, facilities: 14, management: 9, plan: 13.5 }, '乙的评语三', true);
	db.$client.prepare(`UPDATE score_sheets SET explanation = '乙的说明' WHERE expert_id = 'exp-2'`).run();
	return db;
}

function walk(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(path.join(dir, d.name)) : [path.join(dir, d.name)]));
}

function event(user: SessionUser, route: string, params: Record<string, string> = {}, request?: Request) {
	const url = new URL(`http://127.0.0.1${route}`);
	return {
		locals: { user, session: null },
		url,
		params,
		route: { id: route },
		request: request ?? new Request(url),
		cookies: { get: () => undefined, set: () => undefined, delete: () => undefined, getAll: () => [] },
		getClientAddress: () => '127.0.0.1',
		setHeaders: () => undefined,
		parent: async () => ({}),
		depends: () => undefined,
		untrack: <T>(f: () => T) => f(),
		fetch
	} as never;
}

/** Runs a load/handler; SvelteKit's redirect and error objects come back as values. */
async function run(f: () => unknown): Promise<unknown> {
	try {
		const out = await f();
		if (out instanceof Response) {
			const type = out.headers.get('content-type') ?? '';
			return type.includes('json') ? await out.json() : type.includes('sheet') ? await workbookText(Buffer.from(await out.arrayBuffer())) : await out.text();
		}
		return out;
	} catch (e) {
		return { thrown: e };
	}
}

/** Every cell value of every worksheet, hidden ones included, as one text. */
async function workbookText(buf: Buffer): Promise<string> {
	const wb = new ExcelJS.Workbook();
	await wb.xlsx.load(buf as unknown as ArrayBuffer);
	const out: string[] = [];
	for (const ws of wb.worksheets) ws.eachRow({ includeEmpty: false }, (row) => row.eachCell({ includeEmpty: false }, (c) => void out.push(JSON.stringify(c.value))));
	return out.join('\n');
}

function leaks(value: unknown): string[] {
	const text = typeof value === 'string' ? value : JSON.stringify(value, (_k, v) => (v instanceof Error ? { message: v.message } : v));
	const found = SECRETS.filter((s) => text.includes(s));
	for (const t of SECRET_TOTALS) if (new RegExp(`(?<![\\d.])${String(t).replace('.', '\\.')}(?![\\d])`).test(text)) found.push(String(t));
	return found;
}

let db: Db;
const me = expertUser(ME);
const MY_APPS = ['app-1', 'app-2', 'app-3'];
const outputs = new Map<string, unknown>();

beforeAll(() => {
	db = seeded();
	setDb(db);
});
afterAll(() => setDb(null));

describe('expert isolation', () => {
	it('the seed really holds the other experts’ marks (the test can fail)', () => {
		expect(leaks(getSheet(db, 'app-1', 'exp-2'))).toEqual(expect.arrayContaining(['exp-2', '乙的评语', '93.5']));
		expect(leaks(getSheet(db, 'app-1', 'exp-3'))).toEqual(expect.arrayContaining(['丙的评语', '丙的项评语', '41.5']));
	});

	const pages = walk(ROUTES).filter((f) => f.endsWith('+page.server.ts'));
	it('walks the expert pages', () => {
		expect(pages.map((p) => path.relative(ROUTES, p).split(path.sep).join('/'))).toEqual(
			expect.arrayContaining(['expert/+page.server.ts', 'expert/applications/[id]/+page.server.ts', 'expert/print/+page.server.ts', 'expert/offline/+page.server.ts'])
		);
	});

	for (const file of pages) {
		const rel = path.relative(ROUTES, file).split(path.sep).join('/');
		it(`${rel}: the load shows nothing of another expert`, async () => {
			const mod = await import(/* @vite-ignore */ file);
			if (typeof mod.load !== 'function') return;
			const route = '/' + rel.replace(/\/?\+page\.server\.ts$/, '');
			const ids = route.includes('[id]') ? MY_APPS : [null];
			for (const id of ids) {
				const out = await run(() => mod.load(event(me, id ? route.replace('[id]', id) : route, id ? { id } : {})));
				expect(leaks(out), `${route} ${id ?? ''}`).toEqual([]);
				outputs.set(id ? route.replace('[id]', id) : route, out);
			}
		});
	}

	it('the pages did show the own sheets (they were not empty or redirected)', () => {
		expect(JSON.stringify(outputs.get('/expert'))).toContain('"total":80');
		expect(JSON.stringify(outputs.get('/expert/applications/app-1'))).toContain('甲的意见');
		expect(JSON.stringify(outputs.get('/expert/print'))).toContain('甲的意见');
		expect(JSON.stringify(outputs.get('/expert/offline'))).toContain('"tasks":3');
	});

	it('the sheet endpoint answers with the own sheet only, and 404 for another expert’s application', async () => {
		const mod = await import('../../src/routes/(expert)/expert/applications/[id]/sheet/+server');
		for (const id of MY_APPS) {
			const out = await run(() => mod.GET(event(me, `/expert/applications/${id}/sheet`, { id })));
			expect(leaks(out), id).toEqual([]);
		}
		const own = (await run(() => mod.GET(event(me, '/expert/applications/app-1/sheet', { id: 'app-1' })))) as { total: number; comment: string };
		expect([own.total, own.comment]).toEqual([80, '甲的意见']);
		const other = (await run(() => mod.GET(event(me, '/expert/applications/app-4/sheet', { id: 'app-4' })))) as { thrown: { status: number } };
		expect(other.thrown.status).toBe(404);
	});

	it('the offline workbook and its preview hold the own sheets only', async () => {
		const download = await import('../../src/routes/(expert)/expert/offline/download/+server');
		const res = (await download.GET(event(me, '/expert/offline/download'))) as Response;
		const buf = Buffer.from(await res.arrayBuffer());
		const text = await workbookText(buf);
		expect(text).toContain('甲的意见');
		expect(leaks(text)).toEqual([]);

		const offline = await import('../../src/routes/(expert)/expert/offline/+page.server');
		const form = new FormData();
		form.set('file', new File([new Uint8Array(buf)], 'offline.xlsx'));
		const request = new Request('http://127.0.0.1/expert/offline?/preview', { method: 'POST', body: form });
		const out = await run(() => offline.actions.preview(event(me, '/expert/offline', {}, request)));
		expect((out as { items: unknown[] }).items).toHaveLength(3);
		expect(leaks(out)).toEqual([]);
	});
	it('before the invitation is confirmed the offline and print pages say why the list is empty', async () => {
		const batchId = db.$client.prepare('SELECT id FROM batches LIMIT 1').pluck().get() as string;
		db.$client.prepare(`INSERT INTO invitations (batch_id, expert_id, status) VALUES (?, ?, 'pending')`).run(batchId, ME);
		try {
			const offline = await import('../../src/routes/(expert)/expert/offline/+page.server');
			const o = (await run(() => offline.load(event(me, '/expert/offline')))) as { tasks: number; invitation: string | null };
			expect(o.tasks).toBe(0);
			expect(o.invitation).toContain('尚未确认本批次的评审邀请');
			const print = await import('../../src/routes/(expert)/expert/print/+page.server');
			const p = (await run(() => print.load(event(me, '/expert/print')))) as { emptyText: string | null };
			expect(p.emptyText).toContain('请先在“我的评审任务”中确认参加');
			db.$client.prepare(`UPDATE invitations SET status = 'declined', reason = '出差' WHERE expert_id = ?`).run(ME);
			const d = (await run(() => offline.load(event(me, '/expert/offline')))) as { invitation: string | null };
			expect(d.invitation).toBe('您本批次的评审邀请为“不能参加”，没有需要评分的申报。');
		} finally {
			db.$client.prepare('DELETE FROM invitations WHERE expert_id = ?').run(ME);
		}
		const after = await import('../../src/routes/(expert)/expert/offline/+page.server');
		expect(((await run(() => after.load(event(me, '/expert/offline')))) as { invitation: string | null }).invitation).toBeNull();
	});
});
