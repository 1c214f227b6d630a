/**
 * Issue 15, point 18: long tables come in pages of 100 rows (`?page=N`), the filters kept in the
 * page links, the counts of the whole list kept; a bad page number is a clear 400.
 */
import { describe, expect, it } from 'vitest';
import { serveFile, sessionCookie } from './harness';
import { request } from './http';

let office: string;
const served = serveFile('paging', (db) => {
	office = sessionCookie(db, 'office');
});
const get = (p: string) => request(served.server.base, 'GET', p, { cookie: office, headers: { accept: 'text/html' } });
const rowsOf = (html: string) => (html.match(/data-testid="sheet-(?!counts")[^"]+"/g) ?? []).length;

describe('paged tables', () => {
	it('the office sheets list: 100 a page, page links in Chinese, every sheet on exactly one page', async () => {
		const total = served.look.prepare(`SELECT count(*) FROM score_sheets WHERE application_id IN (SELECT id FROM applications WHERE batch_id = (SELECT id FROM batches WHERE archived_at IS NULL ORDER BY created_at DESC LIMIT 1))`).pluck().get() as number;
		expect(total).toBeGreaterThan(100);
		const pages = Math.ceil(total / 100);
		const first = await get('/office/sheets');
		expect(first.status).toBe(200);
		expect(rowsOf(first.body)).toBe(100);
		expect(first.body).toContain(`第 1–100 份，共 ${total} 份`);
		expect(first.body).toMatch(/<a href="\?page=2"[^>]*>下一页<\/a>/);
		expect(first.body).toContain(`共 ${total} 份：已提交`);
		const seen = new Set<string>();
		for (let p = 1; p <= pages; p++) {
			const a = await get(`/office/sheets?page=${p}`);
			for (const m of a.body.match(/data-testid="sheet-(?!counts")[^"]+"/g) ?? []) seen.add(m);
		}
		expect(seen.size).toBe(total);
		const last = await get(`/office/sheets?page=${pages}`);
		expect(last.body).toMatch(/<a href="\?page=\d+"[^>]*>上一页<\/a>/);
		expect(last.body).toContain(`aria-current="page">第 ${pages} 页`);
	});

	it('a filter stays in the page links, and a bad page number is refused in Chinese', async () => {
		const drafts = served.look.prepare(`SELECT count(*) FROM score_sheets WHERE status = 'draft' AND application_id IN (SELECT id FROM applications WHERE batch_id = (SELECT id FROM batches WHERE archived_at IS NULL ORDER BY created_at DESC LIMIT 1))`).pluck().get() as number;
		const a = await get('/office/sheets?state=submitted');
		const submitted = served.look.prepare(`SELECT count(*) FROM score_sheets WHERE status = 'submitted' AND application_id IN (SELECT id FROM applications WHERE batch_id = (SELECT id FROM batches WHERE archived_at IS NULL ORDER BY created_at DESC LIMIT 1))`).pluck().get() as number;
		if (submitted > 100) expect(a.body).toContain('href="?state=submitted&amp;page=2"');
		else expect(rowsOf(a.body)).toBe(submitted);
		expect(drafts).toBeGreaterThanOrEqual(0);
		for (const bad of ['0', 'x', '-2']) {
			const r = await get(`/office/sheets?page=${bad}`);
			expect(r.status).toBe(400);
			expect(r.body).toContain('参数 page 应为正整数');
		}
		for (const p of ['/office/applications?page=x', '/office/conflicts?page=0']) expect((await get(p)).status).toBe(400);
	});
});
