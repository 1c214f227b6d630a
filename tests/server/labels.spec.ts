/**
 * Codes are not shown to people (issue 15, point 5), against the built server: the office's
 * applications list and conflicts page show finding and conflict rules in Chinese; the codes
 * (QUOTA_EXCEEDED, SHARED_UNIT_WITH_STAFF …) stay in tooltips and form values only. The audit log
 * reads as sentences with names, the action code kept in the raw entry.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { serveFile, sessionCookie } from './harness';
import { get } from './http';
import { eq } from 'drizzle-orm';
import { audit } from '../../src/lib/server/audit';
import * as s from '../../src/lib/server/db/schema';
import { CONFLICT_CODES } from '../../src/lib/domain/conflicts';
import { FINDING_CODES } from '../../src/lib/domain/formal-check';

let office = '';
let officeName = '';
const served = serveFile('labels', (db) => {
	office = sessionCookie(db, 'office');
	const user = db.select().from(s.users).where(eq(s.users.username, 'office')).get()!;
	officeName = user.displayName;
	db.transaction((tx) => audit(tx, { userId: user.id, name: user.username }, 'user.login', 'user', user.id, { address: '127.0.0.1' }));
});

/** What a person reads: the page without scripts, styles and tags (attributes such as title and value go with the tags). */
function visibleText(html: string): string {
	return html
		.replace(/<script[\s\S]*?<\/script>/g, ' ')
		.replace(/<style[\s\S]*?<\/style>/g, ' ')
		.replace(/<[^>]+>/g, ' ')
		.replace(/&[a-z]+;|&#\d+;/g, ' ');
}

const CODES = [...FINDING_CODES, ...CONFLICT_CODES];
const shownCodes = (text: string) => CODES.filter((c) => new RegExp(`\\b${c}\\b`).test(text));
const inTooltips = (html: string) => CODES.filter((c) => html.includes(`title="${c}"`) || new RegExp(`title="[^"]*（${c}）"`).test(html));

describe('Chinese labels, not codes', () => {
	let pages: Record<string, string> = {};
	beforeAll(async () => {
		for (const p of ['/office/applications', '/office/conflicts', '/office/audit', '/office/assignments?occupation=ai']) {
			const a = await get(served.server.base, p, office);
			expect(a.status, p).toBe(200);
			pages[p] = a.body;
		}
	});

	it('the applications list labels its findings in Chinese (codes only in tooltips and option values)', () => {
		const html = pages['/office/applications'];
		expect(shownCodes(visibleText(html))).toEqual([]);
		expect(inTooltips(html).length, 'the demo data has findings (their codes in tooltips)').toBeGreaterThan(0);
		expect(html).toMatch(/data-testid="finding-label"[^>]*>[^<]*[\u4e00-\u9fff]/);
	});

	it('the conflicts page labels its rules in Chinese', () => {
		const html = pages['/office/conflicts'];
		expect(shownCodes(visibleText(html))).toEqual([]);
		expect(inTooltips(html).length, 'the demo data has conflicts (their codes in tooltips)').toBeGreaterThan(0);
		expect(html).toMatch(/data-testid="conflict-label"[^>]*>[^<]*[\u4e00-\u9fff]/);
	});

	it('the audit log reads as sentences with names; the action code stays in the raw entry', () => {
		const html = pages['/office/audit'];
		const sentences = [...html.matchAll(/data-testid="audit-sentence"[^>]*>([^<]*)</g)].map((m) => m[1]);
		expect(sentences.length).toBeGreaterThan(0);
		for (const x of sentences) {
			expect(x).toMatch(/[\u4e00-\u9fff]/);
			expect(x).not.toMatch(/\b[a-z-]+\.[a-z-]+\b/);
			expect(x).not.toContain('执行操作');
		}
		// The login of the office, by its display name and address.
		expect(sentences).toContain(`${officeName} 登录（地址 127.0.0.1）`);
		expect(sentences.some((x) => x.includes('载入演示数据'))).toBe(true);
		expect(html).toContain('<summary');
	});

	it('the draw matrix heads its columns with institution names, the ids only in the title (point 8)', () => {
		const html = pages['/office/assignments?occupation=ai'];
		const start = html.indexOf('data-testid="matrix"');
		const head = html.slice(start, html.indexOf('</thead>', start));
		const names = [...head.matchAll(/data-testid="matrix-app-name"[^>]*>([^<]*)</g)].map((m) => m[1]);
		expect(names.length).toBeGreaterThan(1);
		for (const n of names) expect(n).toMatch(/^[\u4e00-\u9fff（）()·\w]+$/);
		expect(visibleText(head)).not.toMatch(/app-\d+/);
		expect(head).toMatch(/title="[^"]*app-\d+[^"]*"/);
	});
});
