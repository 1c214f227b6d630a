/**
 * Issue 15, point 3: the expert's scoring page shows the application's uploaded materials with an
 * inline preview, and /attachments/[id] serves them to an expert exactly when the scoring page
 * itself may be opened — assigned, the roster published, the commitment signed, no conflict — and
 * answers everyone else as for an attachment that does not exist.
 */
import { and, asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { serveFile, sessionCookie } from './harness';
import { request } from './http';
import { makeWorld, type World } from './world';
import * as s from '../../src/lib/server/db/schema';
import { expertRelation } from '../../src/lib/server/queries/reviews';

let world: World;
/** An expert assigned to X after the roster was published (so not yet visible), with a session. */
let late: { expert: string; cookie: string };

const served = serveFile('expert-attachments', (db) => {
	world = makeWorld(db);
	const onX = new Set(db.select({ e: s.assignments.expertId }).from(s.assignments).where(eq(s.assignments.applicationId, world.app.id)).all().map((r) => r.e));
	const batch = db.select().from(s.batches).get()!;
	const later = new Date(Date.now() + 3_600_000).toISOString();
	for (const { id } of db.select({ id: s.experts.id }).from(s.experts).orderBy(asc(s.experts.id)).all()) {
		if (onX.has(id) || id === world.experts.unassigned) continue;
		db.insert(s.assignments).values({ applicationId: world.app.id, expertId: id, source: 'manual', reason: '测试：发布后追加', createdAt: later }).run();
		db.insert(s.commitments).values({ expertId: id, batchId: batch.id, textHash: 'test' }).onConflictDoNothing().run();
		if (!expertRelation(db, id, world.app.id).hardConflict) {
			late = { expert: id, cookie: sessionCookie(db, id) };
			break;
		}
		db.delete(s.assignments).where(and(eq(s.assignments.applicationId, world.app.id), eq(s.assignments.expertId, id))).run();
	}
	if (!late) throw new Error('没有可追加的专家');
});

const get = (cookie: string | null, p: string) => request(served.server.base, 'GET', p, { cookie, headers: { accept: 'text/html' } });
const attachmentsOf = (app: string) =>
	served.look.prepare('SELECT id, kind, mime, filename FROM attachments WHERE application_id = ? ORDER BY id').all(app) as { id: string; kind: string; mime: string; filename: string }[];

describe('materials on the scoring page', () => {
	it('the demo has real files, and the assigned expert sees each one with a preview and a link', async () => {
		const files = attachmentsOf(world.app.id);
		expect(files.map((f) => f.kind)).toContain('registration-certificate');
		const page = await get(world.cookies.expert, `/expert/applications/${world.app.id}`);
		expect(page.status).toBe(200);
		expect(page.body).toContain('附件材料（' + files.length + '）');
		for (const f of files) {
			expect(page.body).toContain(`href="/attachments/${f.id}"`);
			expect(page.body).toMatch(new RegExp(`<(iframe|img) src="/attachments/${f.id}[#"]`));
			const file = await request(served.server.base, 'GET', `/attachments/${f.id}`, { cookie: world.cookies.expert });
			expect(file.status).toBe(200);
			expect(file.headers.get('content-type')).toBe(f.mime);
			expect(file.headers.get('content-disposition')).toMatch(/^inline; /);
			expect(file.body.startsWith(f.mime === 'application/pdf' ? '%PDF-' : '\ufffdPNG')).toBe(true);
		}
	});

	it('an expert not assigned, recused, or not yet published gets the 404 of a missing file', async () => {
		const [f] = attachmentsOf(world.app.id);
		const missing = await get(world.cookies.expert, '/attachments/att-does-not-exist');
		expect(missing.status).toBe(404);
		const norm = (body: string, id: string) => body.split(id).join('ID').replace(/nonce="[^"]*"/g, '');
		for (const cookie of [world.cookies['expert-unassigned'], world.cookies['expert-conflict'], late.cookie]) {
			const a = await get(cookie, `/attachments/${f.id}`);
			const b = await get(cookie, '/attachments/att-does-not-exist');
			expect(a.status).toBe(404);
			expect(norm(a.body, f.id)).toEqual(norm(b.body, 'att-does-not-exist'));
		}
		// The files of an application the expert is not on are refused too.
		const foreign = attachmentsOf(world.foreignApp)[0] ?? attachmentsOf(served.look.prepare(`SELECT application_id FROM attachments WHERE application_id NOT IN (SELECT application_id FROM assignments WHERE expert_id = ?) LIMIT 1`).pluck().get(world.experts.assigned) as string)[0];
		expect((await get(world.cookies.expert, `/attachments/${foreign.id}`)).status).toBe(404);
	});

	it('publishing the roster opens the late expert’s page and files together', async () => {
		const [f] = attachmentsOf(world.app.id);
		expect((await get(late.cookie, `/expert/applications/${world.app.id}`)).status).toBe(404);
		const rw = new (await import('better-sqlite3')).default(served.dbFile);
		rw.prepare('UPDATE batches SET assignments_published_at = ?').run(new Date(Date.now() + 7_200_000).toISOString());
		rw.close();
		expect((await get(late.cookie, `/expert/applications/${world.app.id}`)).status).toBe(200);
		expect((await get(late.cookie, `/attachments/${f.id}`)).status).toBe(200);
	});
});
