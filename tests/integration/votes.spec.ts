/**
 * Issue 14, point 2: the meeting decides by vote. Who votes (the non-conflicted panel of the
 * application), one open round per application, a member may change the vote until closing, the
 * tally fixed at closing, a passed motion recorded as the decision, the decision gate (a departing
 * decision needs a passed vote or a written reason), secrecy until closing in every page load the
 * expert, the observer and the office read, and the 综合评审意见 (point 3).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { setDb, type Db } from '../../src/lib/server/db';
import * as s from '../../src/lib/server/db/schema';
import { importBundle } from '../../src/lib/server/services/bundle-import';
import { SYSTEM_ACTOR, type Actor } from '../../src/lib/server/audit';
import { memoryDb } from '../../src/lib/server/db';
import { requireScope } from '../../src/lib/server/scope';
import { findApplicationResult, lockResults, moveMeeting, recordDecision } from '../../src/lib/server/services/results';
import { castVote, closeVote, eligibleOf, expertBallot, openVote, saveOpinion, voteBoard } from '../../src/lib/server/services/votes';
import { meetingView } from '../../src/lib/server/queries/meeting';
import { Refusal } from '../../src/lib/server/refusal';
import { EXPERTS, expertUser, OFFICE_USER, scoringBundle } from './scoring-fixture';
import type { SessionUser } from '../../src/lib/server/auth';
import { computeResults } from '../../src/lib/server/services/batch-state';
import { FIRST_BATCH, seedFirstBatch } from '../../src/lib/server/demo/first-batch';
import { generateDemoBundle } from '../../src/lib/server/demo/generate';

const BATCH = 'ln-2023-b2';
const RUBRIC = { id: 'rub-t', type: 'training', criteria: [{ id: 'all', name: '综合', maxPoints: 100, guidance: null }] };
const CHAIR: Actor = { userId: 'u-office', name: 'office' };
const as = (expertId: string): Actor => ({ userId: `u-${expertId}`, name: expertId });

/** The scoring fixture (app-1: exp-1..3; app-5: exp-1 declared a conflict) with sheets, users and commitments. */
function world(): Db {
	const db = memoryDb();
	const b = scoringBundle() as Record<string, any>;
	b.rubrics = [RUBRIC];
	const sheet = (applicationId: string, expertId: string, points: number) => ({ applicationId, expertId, rubricId: 'rub-t', status: 'submitted', points: { all: points }, comment: '', explanation: null });
	b.scores = [sheet('app-1', 'exp-1', 80), sheet('app-1', 'exp-2', 82), sheet('app-1', 'exp-3', 84), sheet('app-2', 'exp-1', 90), sheet('app-2', 'exp-2', 91)];
	importBundle(db, b, SYSTEM_ACTOR);
	db.update(s.batches).set({ assignmentsPublishedAt: new Date(Date.now() + 1000).toISOString() }).run();
	db.insert(s.users).values({ id: 'u-office', username: 'office', displayName: '省厅', role: 'office', passwordHash: 'x' }).run();
	db.insert(s.users).values({ id: 'u-observer', username: 'observer', displayName: '监督', role: 'observer', passwordHash: 'x' }).run();
	for (const e of EXPERTS) {
		db.insert(s.users).values({ id: `u-${e.id}`, username: e.id, displayName: e.name, role: 'expert', expertId: e.id, passwordHash: 'x' }).run();
		db.insert(s.commitments).values({ expertId: e.id, batchId: BATCH, textHash: 'test' }).run();
	}
	return db;
}

const scope = (db: Db) => requireScope(db, BATCH);
const refusedWith = (f: () => unknown): Refusal => {
	try {
		f();
	} catch (e) {
		if (e instanceof Refusal) return e;
		throw e;
	}
	throw new Error('not refused');
};

describe('who votes', () => {
	it('the members drawn onto the application, without a conflict or a declined invitation', () => {
		const db = world();
		expect(eligibleOf(db, scope(db).batch, 'app-1')).toEqual(['exp-1', 'exp-2', 'exp-3']);
		// A declared conflict, a declined invitation: out.
		db.insert(s.declarations).values({ applicationId: 'app-1', expertId: 'exp-3', ground: 'employment', reason: '曾在该单位任职' }).run();
		db.insert(s.invitations).values({ batchId: BATCH, expertId: 'exp-2', status: 'declined', reason: '出差' }).run();
		expect(eligibleOf(db, scope(db).batch, 'app-1')).toEqual(['exp-1']);
		// app-5: its only member declared a conflict: nobody votes and no vote can be opened.
		expect(eligibleOf(db, scope(db).batch, 'app-5')).toEqual([]);
		moveMeeting(scope(db), 'app-5', CHAIR);
		expect(refusedWith(() => openVote(scope(db), { applicationId: 'app-5', motion: 'proposed' }, CHAIR)).message).toMatch(/没有有表决权/);
	});

	it('an expert not on the panel cannot vote', () => {
		const db = world();
		moveMeeting(scope(db), 'app-2', CHAIR);
		const round = openVote(scope(db), { applicationId: 'app-2', motion: 'proposed' }, CHAIR);
		const r = refusedWith(() => castVote(scope(db), 'exp-3', { roundId: round, choice: 'agree' }, as('exp-3')));
		expect(r.status).toBe(403);
		expect(db.select().from(s.votes).all()).toEqual([]);
	});
});

describe('a round', () => {
	let db: Db;
	beforeEach(() => {
		db = world();
	});

	it('opens only on the current item, one at a time, with a valid motion', () => {
		expect(refusedWith(() => openVote(scope(db), { applicationId: 'app-1', motion: 'proposed' }, CHAIR)).message).toMatch(/当前评议事项/);
		moveMeeting(scope(db), 'app-1', CHAIR);
		expect(refusedWith(() => openVote(scope(db), { applicationId: 'app-1', motion: 'maybe' as 'proposed' }, CHAIR)).field).toBe('motion');
		openVote(scope(db), { applicationId: 'app-1', motion: 'proposed' }, CHAIR);
		const again = refusedWith(() => openVote(scope(db), { applicationId: 'app-1', motion: 'not-proposed' }, CHAIR));
		expect(again.status).toBe(409);
		expect(db.select().from(s.voteRounds).all()).toHaveLength(1);
	});

	it('a member changes the vote until closing; the tally counts the last vote; afterwards nothing moves', () => {
		moveMeeting(scope(db), 'app-1', CHAIR);
		const round = openVote(scope(db), { applicationId: 'app-1', motion: 'not-proposed' }, CHAIR);
		castVote(scope(db), 'exp-1', { roundId: round, choice: 'agree' }, as('exp-1'));
		castVote(scope(db), 'exp-1', { roundId: round, choice: 'disagree' }, as('exp-1'));
		castVote(scope(db), 'exp-2', { roundId: round, choice: 'abstain' }, as('exp-2'));
		expect(db.select().from(s.votes).where(eq(s.votes.roundId, round)).all()).toHaveLength(2);
		expect(voteBoard(scope(db), 'app-1').open).toMatchObject({ voted: 2, eligible: 3 });
		const out = closeVote(scope(db), round, CHAIR);
		expect(out).toEqual({ tally: { agree: 0, disagree: 1, abstain: 1, eligible: 3 }, passed: false });
		expect(db.select().from(s.voteRounds).where(eq(s.voteRounds.id, round)).get()?.tally).toEqual({ agree: 0, disagree: 1, abstain: 1, eligible: 3 });
		expect(refusedWith(() => castVote(scope(db), 'exp-3', { roundId: round, choice: 'agree' }, as('exp-3'))).message).toMatch(/已经结束/);
		expect(refusedWith(() => closeVote(scope(db), round, CHAIR)).status).toBe(409);
		// A failed vote records no decision.
		expect(db.select().from(s.decisions).all()).toEqual([]);
	});

	it('a passed motion becomes the decision, resting on the round', () => {
		moveMeeting(scope(db), 'app-1', CHAIR);
		const round = openVote(scope(db), { applicationId: 'app-1', motion: 'site-visit' }, CHAIR);
		castVote(scope(db), 'exp-1', { roundId: round, choice: 'agree' }, as('exp-1'));
		castVote(scope(db), 'exp-2', { roundId: round, choice: 'agree' }, as('exp-2'));
		castVote(scope(db), 'exp-3', { roundId: round, choice: 'disagree' }, as('exp-3'));
		expect(closeVote(scope(db), round, CHAIR).passed).toBe(true);
		expect(db.select().from(s.decisions).where(eq(s.decisions.applicationId, 'app-1')).get()).toMatchObject({ decision: 'site-visit', voteRoundId: round, reason: null });
	});

	it('a vote of a member whose conflict was confirmed during the round is kept but not counted', () => {
		moveMeeting(scope(db), 'app-1', CHAIR);
		const round = openVote(scope(db), { applicationId: 'app-1', motion: 'proposed' }, CHAIR);
		castVote(scope(db), 'exp-3', { roundId: round, choice: 'agree' }, as('exp-3'));
		db.insert(s.declarations).values({ applicationId: 'app-1', expertId: 'exp-3', ground: 'kinship', reason: '亲属在该单位' }).run();
		expect(closeVote(scope(db), round, CHAIR).tally).toEqual({ agree: 0, disagree: 0, abstain: 0, eligible: 2 });
		expect(db.select().from(s.votes).all()).toHaveLength(1);
	});

	it('a vote cannot be cast once the chair moved to another item', () => {
		moveMeeting(scope(db), 'app-1', CHAIR);
		const round = openVote(scope(db), { applicationId: 'app-1', motion: 'proposed' }, CHAIR);
		moveMeeting(scope(db), 'app-2', CHAIR);
		expect(refusedWith(() => castVote(scope(db), 'exp-1', { roundId: round, choice: 'agree' }, as('exp-1'))).message).toMatch(/不是当前评议事项/);
	});

	it('every step is audited; a cast names the round, never the choice', () => {
		moveMeeting(scope(db), 'app-1', CHAIR);
		const round = openVote(scope(db), { applicationId: 'app-1', motion: 'proposed' }, CHAIR);
		castVote(scope(db), 'exp-1', { roundId: round, choice: 'agree' }, as('exp-1'));
		castVote(scope(db), 'exp-1', { roundId: round, choice: 'disagree' }, as('exp-1'));
		closeVote(scope(db), round, CHAIR);
		const entries = db.$client.prepare(`SELECT action, detail FROM audit_log WHERE action LIKE 'vote.%' ORDER BY id`).all() as { action: string; detail: string }[];
		expect(entries.map((e) => e.action)).toEqual(['vote.open', 'vote.cast', 'vote.cast', 'vote.close']);
		for (const e of entries.filter((x) => x.action === 'vote.cast')) expect(e.detail).not.toMatch(/agree|abstain|choice/);
		expect(JSON.parse(entries[3].detail)).toMatchObject({ tally: { agree: 0, disagree: 1, abstain: 0, eligible: 3 }, passed: false });
		expect(JSON.parse(entries[3].detail).votes).toMatch(/^[0-9a-f]{64}$/);
	});

	it('nothing is opened, cast or closed once the results are locked', () => {
		moveMeeting(scope(db), 'app-1', CHAIR);
		const round = openVote(scope(db), { applicationId: 'app-1', motion: 'proposed' }, CHAIR);
		// A vote still open refuses the lock (it could never be closed afterwards), and nothing is written.
		const lockAudits = () => db.select().from(s.auditLog).where(eq(s.auditLog.action, 'results.lock')).all().length;
		expect(refusedWith(() => lockResults(scope(db), CHAIR, { confirmed: true, reason: '测试锁定：评审报告签字另行核对' })).message).toMatch(new RegExp(`会议表决尚未结束（第 ${round} 号表决）`));
		expect(scope(db).batch.resultsLockedAt).toBeNull();
		expect(lockAudits()).toBe(0);
		castVote(scope(db), 'exp-1', { roundId: round, choice: 'agree' }, as('exp-1'));
		closeVote(scope(db), round, CHAIR);
		lockResults(scope(db), CHAIR, { confirmed: true, reason: '测试锁定：评审报告签字另行核对' });
		expect(lockAudits()).toBe(1);
		expect(refusedWith(() => castVote(scope(db), 'exp-1', { roundId: round, choice: 'disagree' }, as('exp-1'))).message).toMatch(/已锁定/);
		expect(refusedWith(() => closeVote(scope(db), round, CHAIR)).message).toMatch(/已锁定/);
		expect(refusedWith(() => openVote(scope(db), { applicationId: 'app-1', motion: 'pending' }, CHAIR)).message).toMatch(/已锁定/);
		expect(refusedWith(() => saveOpinion(scope(db), { applicationId: 'app-1', text: '该机构培训体系完整，师资较强。' }, CHAIR)).message).toMatch(/已锁定/);
		expect(db.select().from(s.votes).all().map((v) => v.choice)).toEqual(['agree']);
		expect(db.select().from(s.reviewOpinions).all()).toEqual([]);
	});
});

describe('the decision gate', () => {
	it('a departing decision needs a passed vote on it or a written reason', () => {
		const db = world();
		const dflt = findApplicationResult(scope(db), 'app-1')!.defaultProposed;
		const departing = dflt ? 'not-proposed' : 'proposed';
		expect(refusedWith(() => recordDecision(scope(db), { applicationId: 'app-1', decision: departing, reason: '' }, CHAIR)).field).toBe('reason');

		moveMeeting(scope(db), 'app-1', CHAIR);
		// A failed vote does not open the gate.
		const failed = openVote(scope(db), { applicationId: 'app-1', motion: departing }, CHAIR);
		castVote(scope(db), 'exp-1', { roundId: failed, choice: 'agree' }, as('exp-1'));
		closeVote(scope(db), failed, CHAIR);
		expect(refusedWith(() => recordDecision(scope(db), { applicationId: 'app-1', decision: departing, reason: '' }, CHAIR)).field).toBe('reason');
		expect(db.select().from(s.decisions).all()).toEqual([]);

		// A passed one does: its decision is recorded at closing, and recording it again rests on the round.
		const passed = openVote(scope(db), { applicationId: 'app-1', motion: departing }, CHAIR);
		for (const e of ['exp-1', 'exp-2']) castVote(scope(db), e, { roundId: passed, choice: 'agree' }, as(e));
		closeVote(scope(db), passed, CHAIR);
		db.delete(s.decisions).run();
		recordDecision(scope(db), { applicationId: 'app-1', decision: departing, reason: '' }, CHAIR);
		expect(db.select().from(s.decisions).get()).toMatchObject({ decision: departing, voteRoundId: passed, reason: null });

		// The reason path still works without a vote (another application).
		recordDecision(scope(db), { applicationId: 'app-2', decision: 'pending', reason: '材料需要补充核实' }, CHAIR);
		expect(db.select().from(s.decisions).where(eq(s.decisions.applicationId, 'app-2')).get()).toMatchObject({ decision: 'pending', voteRoundId: null });
	});
});

describe('secrecy until closing: the page loads of the expert, the observer and the office', () => {
	let db: Db;
	beforeAll(() => {
		db = world();
		setDb(db);
	});
	afterAll(() => setDb(null));

	function event(user: SessionUser, route: string) {
		const url = new URL(`http://127.0.0.1${route}`);
		return {
			locals: { user, session: null },
			url,
			params: {},
			route: { id: route },
			request: new Request(url),
			cookies: { get: () => undefined, set: () => undefined, delete: () => undefined, getAll: () => [] },
			getClientAddress: () => '127.0.0.1',
			setHeaders: () => undefined,
			parent: async () => ({}),
			depends: () => undefined,
			untrack: <T>(f: () => T) => f(),
			fetch
		} as never;
	}
	const OBSERVER: SessionUser = { ...OFFICE_USER, id: 'u-observer', username: 'observer', role: 'observer' };
	async function loads() {
		const expert = await import('../../src/routes/(expert)/expert/meeting/+page.server');
		const observer = await import('../../src/routes/(observer)/observer/meeting/+page.server');
		const office = await import('../../src/routes/(office)/office/meeting/+page.server');
		const screen = await import('../../src/routes/(office)/office/meeting/screen/+page.server');
		const text = async (f: () => unknown) => JSON.stringify(await f());
		return {
			'exp-1': await text(() => expert.load(event(expertUser('exp-1'), '/expert/meeting'))),
			'exp-2': await text(() => expert.load(event(expertUser('exp-2'), '/expert/meeting'))),
			'exp-3': await text(() => expert.load(event(expertUser('exp-3'), '/expert/meeting'))),
			observer: await text(() => observer.load(event(OBSERVER, '/observer/meeting'))),
			office: await text(() => office.load(event(OFFICE_USER, '/office/meeting?app=app-1'))),
			screen: await text(() => screen.load(event(OFFICE_USER, '/office/meeting/screen')))
		};
	}
	const choiceWords = /:"(agree|disagree|abstain)"/g;

	it('before closing: only the own vote, the chair only how many voted; after closing the tally for all', async () => {
		moveMeeting(scope(db), 'app-1', CHAIR);
		const round = openVote(scope(db), { applicationId: 'app-1', motion: 'proposed' }, CHAIR);
		castVote(scope(db), 'exp-1', { roundId: round, choice: 'agree' }, as('exp-1'));
		castVote(scope(db), 'exp-2', { roundId: round, choice: 'disagree' }, as('exp-2'));
		const open = await loads();
		// Each member sees their own vote and nothing else; exp-3 (not voted) sees no vote at all.
		expect(open['exp-1'].match(choiceWords)).toEqual([':"agree"']);
		expect(open['exp-2'].match(choiceWords)).toEqual([':"disagree"']);
		expect(open['exp-3'].match(choiceWords)).toBeNull();
		expect(open['exp-3']).toContain(`"roundId":${round}`);
		for (const who of ['observer', 'office', 'screen'] as const) {
			expect(open[who].match(choiceWords), who).toBeNull();
			expect(open[who], who).not.toMatch(/tally/);
			expect(open[who], who).toContain('"openVote"');
		}
		for (const who of ['exp-1', 'exp-2', 'exp-3', 'observer', 'screen'] as const) {
			expect(open[who], who).not.toMatch(/"voted"|tally/);
		}
		expect(open.office).toMatch(/"voted":2,"eligible":3/);
		expect(expertBallot(scope(db), 'exp-3')).toMatchObject({ mine: null });

		closeVote(scope(db), round, CHAIR);
		const closed = await loads();
		for (const who of ['exp-1', 'exp-2', 'exp-3', 'observer', 'office', 'screen'] as const) {
			expect(closed[who], who).toContain('"tally":{"agree":1,"disagree":1,"abstain":0,"eligible":3}');
			// Still no member's own vote shown back after closing: only the tally.
			expect(closed[who].match(choiceWords), who).toBeNull();
		}
		// An expert not on the item's panel learns nothing.
		const view = meetingView(scope(db), { expertId: 'exp-3' });
		expect(view.state).toBe('item');
		db.insert(s.declarations).values({ applicationId: 'app-1', expertId: 'exp-3', ground: 'other', reason: '其他关系' }).run();
		expect(JSON.stringify(meetingView(scope(db), { expertId: 'exp-3' }))).not.toMatch(/tally/);
	});
});

describe('综合评审意见', () => {
	it('is validated, saved, revised, audited and shown to the panel', () => {
		const db = world();
		expect(refusedWith(() => saveOpinion(scope(db), { applicationId: 'app-1', text: '太短' }, CHAIR)).field).toBe('text');
		expect(refusedWith(() => saveOpinion(scope(db), { applicationId: 'app-1', text: '意'.repeat(2001) }, CHAIR)).field).toBe('text');
		expect(refusedWith(() => saveOpinion(scope(db), { applicationId: 'no-such', text: '该机构培训体系完整，师资较强。' }, CHAIR)).status).toBe(404);
		expect(db.select().from(s.reviewOpinions).all()).toEqual([]);
		saveOpinion(scope(db), { applicationId: 'app-1', text: '  该机构培训体系完整，师资较强。  ' }, CHAIR);
		saveOpinion(scope(db), { applicationId: 'app-1', text: '该机构培训体系完整，师资较强，建议推荐。' }, CHAIR);
		expect(db.select().from(s.reviewOpinions).where(eq(s.reviewOpinions.applicationId, 'app-1')).get()).toMatchObject({
			text: '该机构培训体系完整，师资较强，建议推荐。',
			userId: 'u-office'
		});
		const entries = db.$client.prepare(`SELECT detail FROM audit_log WHERE action = 'opinion.save' ORDER BY id`).all() as { detail: string }[];
		expect(entries.map((e) => JSON.parse(e.detail).revised)).toEqual([false, true]);
		moveMeeting(scope(db), 'app-1', CHAIR);
		const view = meetingView(scope(db), { expertId: 'exp-2' });
		expect(view.state === 'item' && view.item.opinion).toBe('该机构培训体系完整，师资较强，建议推荐。');
		expect(db.select().from(s.reviewOpinions).where(and(eq(s.reviewOpinions.applicationId, 'app-2'))).all()).toEqual([]);
	});
});

describe('the demo (demo/votes.ts)', () => {
	it('第一批: an opinion for every application and two closed votes, one departing from the default rule and resting on its round', () => {
		const db = memoryDb();
		const second = generateDemoBundle();
		importBundle(db, second, SYSTEM_ACTOR);
		seedFirstBatch(db, second);
		const b1 = requireScope(db, FIRST_BATCH.id);
		const apps = computeResults(b1).results.groups.flatMap((g) => g.applications);
		const ofBatch = new Set(apps.map((a) => a.id));
		expect(db.select().from(s.reviewOpinions).all().filter((o) => ofBatch.has(o.applicationId)).map((o) => o.applicationId).sort()).toEqual([...ofBatch].sort());
		const rounds = db.select().from(s.voteRounds).all().filter((r) => ofBatch.has(r.applicationId));
		expect(rounds).toHaveLength(2);
		for (const r of rounds) expect(r.closedAt && r.tally).toBeTruthy();
		const decided = db.select().from(s.decisions).all().filter((d) => d.voteRoundId !== null && ofBatch.has(d.applicationId));
		expect(decided).toHaveLength(2);
		const departing = apps.filter((a) => decided.some((d) => d.applicationId === a.id) && a.decision !== (a.defaultProposed ? 'proposed' : 'not-proposed'));
		expect(departing).toHaveLength(1);
		expect(decided.find((d) => d.applicationId === departing[0].id)?.reason).toBeNull();
	});
});
