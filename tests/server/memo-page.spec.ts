/**
 * Issue 14, point 9: the memo page shows the 版头/版记 settings form for a batch that can still be
 * written, and an archived batch's memo read-only (its forms were shown, and saving was refused
 * with 已归档).
 */
import { describe, expect, it } from 'vitest';
import { serveFile, sessionCookie } from './harness';
import { request } from './http';

let office: string;
const served = serveFile('memo-page', (db) => {
	office = sessionCookie(db, 'office');
});
const get = (p: string, batch: string) => request(served.server.base, 'GET', p, { cookie: `${office}; batch=${batch}`, headers: { accept: 'text/html' } });

describe('memo page', () => {
	it('an archived batch: the settings and the paragraphs shown, no form to change them', async () => {
		const r = await get('/office/memo', 'ln-2022-b1');
		expect(r.status).toBe(200);
		expect(r.body).toContain('批次已归档，报告为只读');
		expect(r.body).not.toContain('action="?/settings"');
		expect(r.body).not.toContain('action="?/save"');
		expect(r.body).not.toMatch(/<textarea/);
		// the demo's settings of 第一批, in the read-only list and the preview
		expect(r.body).toContain('辽人社〔2022〕87号');
		expect(r.body).toContain('抄送：人力资源社会保障部专业技术人员管理司。');
	});

	it('the current batch: both forms, the settings filled in', async () => {
		const r = await get('/office/memo', 'ln-2023-b2');
		expect(r.status).toBe(200);
		expect(r.body).toContain('action="?/settings"');
		expect(r.body).toContain('action="?/save"');
		expect(r.body).toMatch(/name="documentNo"[^>]*value="辽人社〔2023〕45号"|value="辽人社〔2023〕45号"[^>]*name="documentNo"/);
		expect(r.body).not.toContain('批次已归档，报告为只读');
	});
});
