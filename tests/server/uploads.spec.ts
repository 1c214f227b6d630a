/**
 * Upload sizes against the built server (issue 12, point 13): the documented 10 MB uploads work
 * (adapter-node's own body limit is 512 KB; scripts/serve.js, the demo and the harness start the
 * server with BODY_SIZE_LIMIT 12M), a file over 10 MB gets 413 with a Chinese message, and a body
 * over the server's limit gets 413 in Chinese too — JSON for fetch endpoints, the error page for a
 * form — with nothing written.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { freshDb, removeDb, serveFile, sessionCookie, startServer, withDb, type Server } from './harness';
import { answerText, postAction, request } from './http';

type Draft = { id: string; region: string };
let draft: Draft;
let city: string;
let expert: string;
let expertApp: string;

const served = serveFile('uploads', (db) => {
	draft = cityDraft(db);
	city = sessionCookie(db, `city-${draft.region}`);
	const a = db.$client
		.prepare(
			`SELECT u.username, a.application_id AS app FROM assignments a JOIN users u ON u.expert_id = a.expert_id
			 WHERE u.active = 1 ORDER BY a.application_id LIMIT 1`
		)
		.get() as { username: string; app: string } | undefined;
	if (!a) throw new Error('no expert with an assignment in the demo database');
	expert = sessionCookie(db, a.username);
	expertApp = a.app;
});

/** The first application, made a city draft (the demo batch has none), as the city that may edit it. */
function cityDraft(db: import('../../src/lib/server/db').Db): Draft {
	const d = db.$client.prepare(`SELECT id, region FROM applications ORDER BY id LIMIT 1`).get() as Draft;
	db.$client.prepare(`UPDATE applications SET status = 'draft' WHERE id = ?`).run(d.id);
	return d;
}

/** A valid PDF of `bytes` bytes (header, one empty page, padding in a comment, trailer). */
function pdf(bytes: number): Buffer {
	const head = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n%');
	const tail = Buffer.from('\ntrailer<</Root 1 0 R>>\n%%EOF\n');
	return Buffer.concat([head, Buffer.alloc(bytes - head.length - tail.length, 'x'), tail]);
}

function uploadForm(bytes: number, name = 'scan.pdf'): FormData {
	const form = new FormData();
	form.set('kind', 'extra');
	form.set('file', new File([new Uint8Array(pdf(bytes))], name, { type: 'application/pdf' }));
	return form;
}

const MB = 1024 * 1024;
const page = () => `/city/applications/${draft.id}`;
const attachments = () => served.look.prepare('SELECT count(*) FROM attachments WHERE application_id = ?').pluck().get(draft.id) as number;
const filesDir = () => path.join(path.dirname(served.dbFile), 'files');
const storedFiles = () => (fs.existsSync(filesDir()) ? fs.readdirSync(filesDir()).length : 0);
const auditCount = () => served.look.prepare('SELECT count(*) FROM audit_log').pluck().get() as number;

describe('uploads up to 10 MB', () => {
	it('a 9.5 MB PDF attachment is stored', async () => {
		const before = attachments();
		const a = await postAction(served.server.base, page(), 'upload', city, uploadForm(9.5 * MB, '营业执照.pdf'), null);
		expect(a.status, answerText(a)).toBe(200);
		expect(a.action?.type).toBe('success');
		expect(attachments()).toBe(before + 1);
		const row = served.look.prepare('SELECT size, mime FROM attachments WHERE application_id = ? ORDER BY uploaded_at DESC LIMIT 1').get(draft.id);
		expect(row).toEqual({ size: 9.5 * MB, mime: 'application/pdf' });
	});

	it('an 11 MB PDF gets 413 with the Chinese message, and nothing is written', async () => {
		const [rows, files, log] = [attachments(), storedFiles(), auditCount()];
		// use:enhance: SvelteKit's failure answer carries the status; the form shows the message.
		const a = await postAction(served.server.base, page(), 'upload', city, uploadForm(11 * MB), null);
		expect(a.action).toMatchObject({ type: 'failure', status: 413 });
		expect(answerText(a)).toContain('文件 11.0 MB，超过 10 MB 的上限');
		// A browser without JavaScript: HTTP 413 and the page with the message.
		const plain = await request(served.server.base, 'POST', `${page()}?/upload`, { cookie: city, headers: { accept: 'text/html' }, body: uploadForm(11 * MB) });
		expect(plain.status).toBe(413);
		expect(plain.body).toContain('文件 11.0 MB，超过 10 MB 的上限');
		expect([attachments(), storedFiles(), auditCount()]).toEqual([rows, files, log]);
	});

	it('a body over the server limit gets 413 in Chinese: on the page of a form, as JSON from an endpoint', async () => {
		const [rows, files, log] = [attachments(), storedFiles(), auditCount()];
		// use:enhance: SvelteKit's JSON error, which the page shows on its error view.
		const enhanced = await postAction(served.server.base, page(), 'upload', city, uploadForm(13 * MB), null);
		expect(enhanced.status).toBe(413);
		expect(enhanced.action?.type).toBe('error');
		expect(enhanced.action?.error?.message).toMatch(/^提交的内容过大（服务器每次最多接收 12 MB）：上传的文件不能超过 10 MB/);
		// A browser without JavaScript: the error page with the message.
		const plain = await request(served.server.base, 'POST', `${page()}?/upload`, { cookie: city, headers: { accept: 'text/html' }, body: uploadForm(13 * MB) });
		expect(plain.status).toBe(413);
		expect(plain.body).toContain('提交的内容过大');
		expect(plain.body).toContain('413 提交的内容过大');
		// A fetch endpoint (the sheet's autosave).
		const big = JSON.stringify({ version: 0, points: {}, comment: 'x'.repeat(13 * MB) });
		const save = await request(served.server.base, 'POST', `/expert/applications/${expertApp}/sheet`, {
			cookie: expert,
			headers: { 'content-type': 'application/json', accept: 'application/json' },
			body: big
		});
		expect(save.status).toBe(413);
		expect(JSON.parse(save.body).error).toMatch(/^提交的内容过大/);
		expect([attachments(), storedFiles(), auditCount()]).toEqual([rows, files, log]);
	});
});

describe('the server started without BODY_SIZE_LIMIT (npm start, scripts/serve.js)', () => {
	let server: Server;
	let dbFile: string;
	let cookie: string;
	let id: string;
	beforeAll(async () => {
		dbFile = freshDb(inject('templateDb'), 'uploads-default');
		withDb(dbFile, (db) => {
			const d = cityDraft(db);
			id = d.id;
			cookie = sessionCookie(db, `city-${d.region}`);
		});
		server = await startServer({ db: dbFile, env: { BODY_SIZE_LIMIT: undefined } as unknown as Record<string, string> });
	});
	afterAll(async () => {
		await server?.stop();
		if (dbFile) removeDb(dbFile);
	});

	it('still takes a 9.5 MB attachment', async () => {
		const a = await postAction(server.base, `/city/applications/${id}`, 'upload', cookie, uploadForm(9.5 * MB), null);
		expect(a.status, answerText(a)).toBe(200);
		expect(a.action?.type).toBe('success');
	});
});
