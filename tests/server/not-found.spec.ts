/**
 * One 404 for "does not exist" and "exists but is not yours" (issue 12, point 14), against the built
 * server: application pages, their data, the expert's sheet endpoint, attachments (served and
 * deleted) answer another region's or another panel's object exactly as an id that does not exist
 * — same status, same body — so ids cannot be probed.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { serveFile } from './harness';
import { postAction, request, type Answer } from './http';
import { makeWorld, type World } from './world';
import { storeBlob } from '../../src/lib/server/files';

let world: World;
let attachmentId: string;
const MISSING_APP = 'app-does-not-exist';
const MISSING_ATT = 'att-does-not-exist';

const served = serveFile('not-found', (db) => {
	world = makeWorld(db);
	// A stored attachment of X (the city of X's region sees it; the other city must not learn it exists).
	const dir = path.join(path.dirname(db.$client.name), 'files');
	const pdf = new TextEncoder().encode('%PDF-1.4\n%%EOF\n');
	const { sha256 } = storeBlob(pdf, dir);
	attachmentId = 'att-notfound-test';
	db.$client
		.prepare(`INSERT INTO attachments (id, application_id, kind, filename, mime, size, sha256) VALUES (?, ?, 'extra', 'x.pdf', 'application/pdf', ?, ?)`)
		.run(attachmentId, world.app.id, pdf.length, sha256);
});

/** The answer as a prober sees it: status and body, with the probed id itself and the per-response CSP nonce taken out. */
function seen(a: Answer, id: string): { status: number; body: string } {
	return { status: a.status, body: a.body.split(id).join('ID').replace(/nonce="[^"]*"/g, 'nonce=""') };
}

/** `status`: SvelteKit answers a page's __data.json with 200 and the 404 inside. */
async function same(cookie: string | null, make: (id: string) => Promise<Answer>, existing: string, missing: string, status = 404) {
	const raw = await make(existing);
	const a = seen(raw, existing);
	const b = seen(await make(missing), missing);
	expect(a.status, `${raw.headers.get('content-type')} ${raw.body.slice(0, 200)}`).toBe(status);
	expect(a).toEqual(b);
	return a;
}

const get = (cookie: string | null, p: string, accept = 'application/json') => request(served.server.base, 'GET', p, { cookie, headers: { accept } });

describe('one 404 for missing and not yours', () => {
	it('application pages and their data, for another city and an expert not on the panel', async () => {
		const other = world.cookies['city-other'];
		for (const accept of ['application/json', 'text/html']) {
			await same(other, (id) => get(other, `/city/applications/${id}`, accept), world.app.id, MISSING_APP);
		}
		const data = await same(other, (id) => get(other, `/city/applications/${id}/__data.json`), world.app.id, MISSING_APP, 200);
		expect(data.body).toContain('没有找到该申报，或您无权查看');
		const expert = world.cookies['expert-unassigned'];
		for (const p of ['/expert/applications/ID', '/expert/applications/ID/__data.json', '/expert/applications/ID/sheet']) {
			const a = await same(expert, (id) => get(expert, p.replace('ID', id)), world.app.id, MISSING_APP, p.endsWith('__data.json') ? 200 : 404);
			expect(a.body).toContain('没有找到该申报，或您无权查看');
		}
		// The conflicted expert is on the panel but recused: the same answer again.
		const conflicted = world.cookies['expert-conflict'];
		await same(conflicted, (id) => get(conflicted, `/expert/applications/${id}/sheet`), world.app.id, MISSING_APP);
	});

	it('attachments: served and deleted, for another city', async () => {
		const own = await request(served.server.base, 'GET', `/attachments/${attachmentId}`, { cookie: world.cookies.city });
		expect(own.status).toBe(200);
		const other = world.cookies['city-other'];
		for (const accept of ['application/json', 'text/html']) {
			const a = await same(other, (id) => get(other, `/attachments/${id}`, accept), attachmentId, MISSING_ATT);
			expect(a.body).toContain('没有找到该附件，或您无权查看');
		}
		// Deleting through the other city's own application page: same refusal, nothing deleted.
		const mine = served.look.prepare(`SELECT id FROM applications WHERE region = (SELECT region FROM users WHERE username = ?) ORDER BY id LIMIT 1`).pluck().get(world.users['city-other']) as string;
		const del = (id: string) =>
			postAction(served.server.base, `/city/applications/${mine}`, 'deleteAttachment', other, new URLSearchParams({ id, filename: 'x.pdf' }).toString());
		const a = await del(attachmentId);
		const b = await del(MISSING_ATT);
		expect(a.action).toEqual(b.action);
		expect(a.status).toBe(b.status);
		expect(JSON.stringify(a.action)).toContain('没有找到该附件，或您无权查看');
		expect(served.look.prepare('SELECT count(*) FROM attachments WHERE id = ?').pluck().get(attachmentId)).toBe(1);
	});
});
