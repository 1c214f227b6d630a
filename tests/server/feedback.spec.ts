/**
 * Issue 14, items 7 and 8 against the built server, on the demo's 第一批 (locked, its national
 * decisions recorded, here with its publicity begun): the city downloads the 评审反馈函 of its own
 * region's application, a city of another region gets the 404 of a missing application (noted as
 * refused), an expert 403; the office's 国家确定结果 page shows the recorded decisions.
 */
import { describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import { asc, eq } from 'drizzle-orm';
import { serveFile, sessionCookie } from './harness';
import { request } from './http';
import * as s from '../../src/lib/server/db/schema';
import { FIRST_BATCH } from '../../src/lib/server/demo/first-batch';
import { DEMO_NATIONAL } from '../../src/lib/server/demo/national';

let app: { id: string; region: string };
let cookies: { office: string; city: string; other: string; expert: string };

const served = serveFile('feedback', (db) => {
	db.update(s.batches).set({ publicityStart: '2022-11-14', publicityEnd: '2022-11-18', publicityDays: 5 }).where(eq(s.batches.id, FIRST_BATCH.id)).run();
	const confirmed = db
		.select({ id: s.applications.id, region: s.applications.region })
		.from(s.nationalDecisions)
		.innerJoin(s.applications, eq(s.applications.id, s.nationalDecisions.applicationId))
		.where(eq(s.nationalDecisions.decision, 'confirmed'))
		.orderBy(asc(s.applications.id))
		.get();
	if (!confirmed) throw new Error('演示数据中没有已确定的申报');
	app = confirmed;
	const other = db.select({ region: s.users.region }).from(s.users).where(eq(s.users.role, 'city')).all().find((u) => u.region !== app.region)!.region!;
	cookies = {
		office: `${sessionCookie(db, 'office')}; batch=${FIRST_BATCH.id}`,
		city: sessionCookie(db, `city-${app.region}`),
		other: sessionCookie(db, `city-${other}`),
		expert: sessionCookie(db, 'exp-01')
	};
});

const get = (cookie: string, p: string) => request(served.server.base, 'GET', p, { cookie });
const count = (sql: string, ...args: unknown[]) => served.look.prepare(sql).pluck().get(...args) as number;

describe('the feedback letter and the national decisions on the demo', () => {
	it('the city downloads its own region\'s letter; another city gets 404 (noted), an expert 403', async () => {
		const res = await fetch(`${served.server.base}/city/applications/${app.id}/feedback`, { headers: { cookie: cookies.city } });
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toContain('wordprocessingml');
		const zip = await JSZip.loadAsync(Buffer.from(await res.arrayBuffer()));
		const xml = await zip.file('word/document.xml')!.async('string');
		expect(xml).toContain('评审反馈函');
		expect(xml).toContain(DEMO_NATIONAL.documentNo);
		expect(count(`SELECT count(*) FROM audit_log WHERE action = 'feedback.download' AND entity_id = ?`, app.id)).toBe(1);

		const denied = count(`SELECT count(*) FROM audit_log WHERE action = 'access.denied' AND entity = 'feedback' AND entity_id = ?`, app.id);
		expect((await get(cookies.other, `/city/applications/${app.id}/feedback`)).status).toBe(404);
		expect(count(`SELECT count(*) FROM audit_log WHERE action = 'access.denied' AND entity = 'feedback' AND entity_id = ?`, app.id)).toBe(denied + 1);
		expect((await get(cookies.expert, `/city/applications/${app.id}/feedback`)).status).toBe(403);
		expect((await get(cookies.city, `/office/applications/${app.id}/feedback`)).status).toBe(403);
		expect((await get(cookies.office, `/office/applications/${app.id}/feedback`)).status).toBe(200);
	});

	it('the office\'s page lists 第一批\'s decisions with their 文号 and offers the letters', async () => {
		const page = await get(cookies.office, '/office/national');
		expect(page.status).toBe(200);
		expect(page.body).toContain(DEMO_NATIONAL.documentNo);
		expect(page.body).toContain('未确定');
		expect(page.body).toContain(`/office/applications/${app.id}/feedback`);
		// Archived: read-only.
		expect(page.body).toContain('批次已归档');
	});
});
