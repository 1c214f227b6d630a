/**
 * The meeting's vote against the built server (issue 14, point 2): until the chair closes the
 * round, no page, page data or event stream of another member, the observer or the screens shows
 * a vote or a per-choice count; the chair's page shows how many voted; a cast sends no event to the
 * experts' or the observer's stream. After closing, the tally is on every meeting page.
 */
import { describe, expect, it } from 'vitest';
import { serveFile, sessionCookie } from './harness';
import { postAction, request } from './http';
import { makeWorld, type World } from './world';

let world: World;
let other: { expert: string; cookie: string };

const served = serveFile('votes', (db) => {
	world = makeWorld(db);
	const c = db.$client;
	// A second voting member of X's panel (no conflict, committed).
	const e = c
		.prepare(
			`SELECT a.expert_id FROM assignments a WHERE a.application_id = ? AND a.expert_id NOT IN (?, ?)
			   AND NOT EXISTS (SELECT 1 FROM declarations d WHERE d.application_id = a.application_id AND d.expert_id = a.expert_id)
			   AND NOT EXISTS (SELECT 1 FROM invitations i WHERE i.expert_id = a.expert_id AND i.status IN ('declined', 'expired'))
			 ORDER BY a.expert_id LIMIT 1`
		)
		.pluck()
		.get(world.app.id, world.experts.assigned, world.experts.conflict) as string | undefined;
	if (!e) throw new Error('X 没有第二位有表决权的专家');
	c.prepare(`INSERT OR IGNORE INTO commitments (expert_id, batch_id, text_hash) SELECT ?, batch_id, 'test' FROM applications WHERE id = ?`).run(e, world.app.id);
	other = { expert: e, cookie: sessionCookie(db, e) };
});

const CHOICE = /"(agree|disagree|abstain)"/;

async function act(path: string, action: string, cookie: string | null, fields: Record<string, string>) {
	const a = await postAction(served.server.base, path, action, cookie, new URLSearchParams(fields).toString());
	expect(a.action?.type, JSON.stringify(a.action)).toBe('success');
	return a;
}

/** Collects what an event stream sends while `during` runs and for `after` ms more. */
async function collect(path: string, cookie: string | null, during: () => Promise<void>, after = 1200): Promise<string> {
	const ctl = new AbortController();
	const res = await fetch(`${served.server.base}${path}`, { headers: cookie ? { cookie } : {}, signal: ctl.signal });
	expect(res.headers.get('content-type') ?? '').toContain('text/event-stream');
	const reader = res.body!.getReader();
	const dec = new TextDecoder();
	let text = '';
	const reading = (async () => {
		try {
			for (;;) {
				const { value, done } = await reader.read();
				if (done) break;
				text += dec.decode(value, { stream: true });
			}
		} catch {
			/* aborted */
		}
	})();
	await new Promise((r) => setTimeout(r, 200));
	await during();
	await new Promise((r) => setTimeout(r, after));
	ctl.abort();
	await reading;
	return text;
}
const events = (text: string) => [...text.matchAll(/event: meeting\ndata: (.*)\n/g)].map((m) => JSON.parse(m[1]) as { kind: string });

describe('a vote in the meeting', () => {
	it('stays secret until closed, in pages, page data and event streams; then every meeting page shows the tally', async () => {
		const base = served.server.base;
		await act('/office/meeting', 'move', world.cookies.office, { applicationId: world.app.id });
		const opening = collect('/expert/meeting/events', other.cookie, () => act('/office/meeting', 'voteOpen', world.cookies.office, { applicationId: world.app.id, motion: 'proposed' }).then(() => {}));
		expect(events(await opening).map((e) => e.kind)).toEqual(['vote']);
		const roundId = String(served.look.prepare(`SELECT id FROM vote_rounds WHERE application_id = ? AND closed_at IS NULL`).pluck().get(world.app.id));

		// E1 votes (and changes the vote) while the other member's, the observer's and the chair's streams listen.
		let observerText = '';
		let chairText = '';
		const otherText = await collect('/expert/meeting/events', other.cookie, async () => {
			observerText = await collect('/observer/meeting/events', world.cookies.observer, async () => {
				chairText = await collect('/office/meeting/events?ballots=1', world.cookies.office, async () => {
					await act('/expert/meeting', 'vote', world.cookies.expert, { roundId, choice: 'disagree' });
					await act('/expert/meeting', 'vote', world.cookies.expert, { roundId, choice: 'agree' });
				});
			});
		});
		expect(events(otherText), '其他专家的事件流收到了投票事件').toEqual([]);
		expect(events(observerText), '监督员的事件流收到了投票事件').toEqual([]);
		expect(events(chairText).map((e) => e.kind)).toEqual(['ballot', 'ballot']);
		expect(chairText).not.toMatch(CHOICE);
		expect(chairText).not.toContain(world.app.id);

		const page = (path: string, cookie: string | null) => request(base, 'GET', path, { cookie, headers: { accept: 'text/html' } });
		const mine = await page('/expert/meeting', world.cookies.expert);
		expect(mine.body).toContain('您已投：同意');
		const theirs = await page('/expert/meeting', other.cookie);
		expect(theirs.body).toContain('data-testid="ballot"');
		expect(theirs.body).toContain('您尚未投票');
		expect(theirs.body).not.toContain('您已投');
		for (const [who, path, cookie] of [
			['other', '/expert/meeting/__data.json', other.cookie],
			['observer', '/observer/meeting/__data.json', world.cookies.observer],
			['office', `/office/meeting/__data.json?app=${world.app.id}`, world.cookies.office],
			['screen', '/office/meeting/screen/__data.json', world.cookies.office]
		] as const) {
			const data = await request(base, 'GET', path, { cookie });
			expect(data.status, who).toBe(200);
			expect(data.body, who).not.toMatch(CHOICE);
			expect(data.body, who).not.toContain('tally');
		}
		const chair = await page(`/office/meeting?app=${world.app.id}`, world.cookies.office);
		expect(chair.body).toMatch(/data-testid="vote-turnout">1 \/ \d+</);
		const observer = await page('/observer/meeting', world.cookies.observer);
		expect(observer.body).toContain('会议表决进行中');
		expect(observer.body).not.toContain('已投票');

		// Closing: the tally for the panel, the observer and the chair; the experts' stream hears it.
		const closing = collect('/expert/meeting/events', other.cookie, () => act('/office/meeting', 'voteClose', world.cookies.office, { roundId }).then(() => {}));
		expect(events(await closing).map((e) => e.kind)).toContain('vote');
		for (const [path, cookie] of [
			['/expert/meeting', other.cookie],
			['/observer/meeting', world.cookies.observer],
			[`/office/meeting?app=${world.app.id}`, world.cookies.office],
			['/office/meeting/screen', world.cookies.office]
		] as const) {
			const p = await page(path, cookie);
			expect(p.body, path).toMatch(/同意 1 · 不同意 0 · 弃权 0/);
		}
		// The cast is refused now.
		const late = await postAction(base, '/expert/meeting', 'vote', other.cookie, new URLSearchParams({ roundId, choice: 'agree' }).toString());
		expect(late.action?.type).toBe('failure');
		expect(JSON.stringify(late.action)).toContain('已经结束');
	});

	it('an expert cannot open or close a vote, nor the office vote', async () => {
		const open = await postAction(served.server.base, '/office/meeting', 'voteOpen', world.cookies.expert, new URLSearchParams({ applicationId: world.app.id, motion: 'proposed' }).toString());
		expect(open.verdict).toBe('forbidden');
		const vote = await postAction(served.server.base, '/expert/meeting', 'vote', world.cookies.office, new URLSearchParams({ roundId: '1', choice: 'agree' }).toString());
		expect(vote.verdict).toBe('forbidden');
	});
});
