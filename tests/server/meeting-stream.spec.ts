/**
 * The live meeting for experts, against the built server (issue 12, point 15): the meeting page
 * and its event stream show the current item only to an expert of its panel (assigned, published)
 * without a hard conflict; an expert not on the panel and one with a conflict get a neutral state
 * without the application's id or name; an expert who has not signed the commitment (评审承诺书)
 * gets nothing, not even ids. The stream tells experts that something changed, never which
 * application.
 */
import { describe, expect, it } from 'vitest';
import { serveFile, sessionCookie } from './harness';
import { postAction, request } from './http';
import { makeWorld, type World } from './world';

let world: World;
let uncommitted: { expert: string; cookie: string };
let name: string;

const served = serveFile('meeting-stream', (db) => {
	world = makeWorld(db);
	const c = db.$client;
	// A fourth expert on X's panel, without the commitment.
	const e4 = c
		.prepare(`SELECT expert_id FROM assignments WHERE application_id = ? AND expert_id NOT IN (?, ?) ORDER BY expert_id LIMIT 1`)
		.pluck()
		.get(world.app.id, world.experts.assigned, world.experts.conflict) as string | undefined;
	if (!e4) throw new Error('X 没有第三位评审专家');
	c.prepare(`DELETE FROM commitments WHERE expert_id = ?`).run(e4);
	c.prepare(`DELETE FROM declarations WHERE expert_id = ? AND application_id = ?`).run(e4, world.app.id);
	uncommitted = { expert: e4, cookie: sessionCookie(db, e4) };
	name = c.prepare(`SELECT i.name FROM applications a JOIN institutions i ON i.id = a.institution_id WHERE a.id = ?`).pluck().get(world.app.id) as string;
});

/** X's id as a whole word (app-1 must not match app-15), and its institution's name. */
const revealsX = (text: string) => new RegExp(`${world.app.id}(?![\\w-])`).test(text) || text.includes(name);

async function moveTo(applicationId: string) {
	const a = await postAction(served.server.base, '/office/meeting', 'move', world.cookies.office, new URLSearchParams({ applicationId }).toString());
	expect(a.action?.type, JSON.stringify(a.action)).toBe('success');
}

/** Opens the expert's event stream and collects what it sends until `until` resolves. */
async function listen(cookie: string | null, until: () => Promise<void>): Promise<{ status: number; text: string }> {
	const ctl = new AbortController();
	const res = await fetch(`${served.server.base}/expert/meeting/events`, { headers: cookie ? { cookie } : {}, signal: ctl.signal, redirect: 'manual' });
	if (!(res.headers.get('content-type') ?? '').includes('text/event-stream')) {
		return { status: res.status, text: await res.text() };
	}
	const reader = res.body!.getReader();
	const dec = new TextDecoder();
	let text = '';
	const reading = (async () => {
		try {
			for (;;) {
				const { value, done } = await reader.read();
				if (done) break;
				text += dec.decode(value, { stream: true });
				if (text.includes('event: meeting')) break;
			}
		} catch {
			/* aborted */
		}
	})();
	await until();
	await Promise.race([reading, new Promise((r) => setTimeout(r, 3000))]);
	ctl.abort();
	return { status: res.status, text };
}

describe('the expert meeting page', () => {
	it('shows X to its panel and nothing of X to an expert not on it, conflicted or uncommitted', async () => {
		await moveTo(world.app.id);
		const page = (cookie: string | null) => request(served.server.base, 'GET', '/expert/meeting', { cookie, headers: { accept: 'text/html' } });

		const panel = await page(world.cookies.expert);
		expect(panel.status).toBe(200);
		expect(panel.body).toContain('data-testid="meeting-title"');
		expect(revealsX(panel.body)).toBe(true);

		const other = await page(world.cookies['expert-unassigned']);
		expect(other.status).toBe(200);
		expect(other.body).toContain('data-testid="meeting-elsewhere"');
		expect(revealsX(other.body), '未分配的专家看到了当前申报').toBe(false);

		const conflicted = await page(world.cookies['expert-conflict']);
		expect(conflicted.status).toBe(200);
		expect(conflicted.body).toContain('data-testid="meeting-recused"');
		expect(revealsX(conflicted.body), '回避的专家看到了当前申报').toBe(false);

		const notSigned = await page(uncommitted.cookie);
		expect(notSigned.status).toBe(303);
		expect(notSigned.location).toBe('/expert/commitment');
		expect(revealsX(notSigned.body)).toBe(false);

		// The page's data as the client router loads it: the same rule.
		for (const cookie of [world.cookies['expert-unassigned'], world.cookies['expert-conflict'], uncommitted.cookie]) {
			const data = await request(served.server.base, 'GET', '/expert/meeting/__data.json', { cookie });
			expect(revealsX(data.body), data.body.slice(0, 300)).toBe(false);
		}
		const data = await request(served.server.base, 'GET', '/expert/meeting/__data.json', { cookie: world.cookies.expert });
		expect(revealsX(data.body)).toBe(true);
	});
});

describe('the expert event stream', () => {
	it('tells committed experts that the chair moved, without the application; the uncommitted get 403 and nothing', async () => {
		await moveTo(world.foreignApp);
		for (const cookie of [world.cookies.expert, world.cookies['expert-unassigned'], world.cookies['expert-conflict']]) {
			const got = await listen(cookie, () => moveTo(world.app.id));
			expect(got.status).toBe(200);
			expect(got.text).toMatch(/event: meeting\ndata: \{/);
			const data = JSON.parse(/event: meeting\ndata: (.*)\n/.exec(got.text)![1]);
			expect(data).toEqual({ seq: expect.any(Number), at: expect.any(String), kind: 'move' });
			expect(revealsX(got.text)).toBe(false);
			await moveTo(world.foreignApp);
		}
		const refused = await listen(uncommitted.cookie, () => moveTo(world.app.id));
		expect(refused.status).toBe(403);
		expect(refused.text).not.toContain('event:');
		expect(revealsX(refused.text)).toBe(false);
		expect((await listen(null, async () => {})).status).not.toBe(200);
	});
});
