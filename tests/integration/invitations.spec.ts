/**
 * The draw's logistics (issue 13, items 7 and 8): invitations after publication, the expert's
 * answer, the office's replacement of a decline or an expired invitation by the next alternate,
 * the draw record and the observer's confirmation.
 */
import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import * as s from '../../src/lib/server/db/schema';
import type { Db } from '../../src/lib/server/db';
import { assignByHand, drawExperts, nextAlternate, publishAssignments } from '../../src/lib/server/services/assignment-admin';
import { answerInvitation, replaceInvitee, setReplyDeadline } from '../../src/lib/server/services/invitations';
import { confirmDrawRecord } from '../../src/lib/server/services/draw-record';
import { expertInvitation, invitationBoard, replacementHistory } from '../../src/lib/server/queries/invitations';
import { drawList, drawRecord } from '../../src/lib/server/queries/draw-record';
import { expertRelation, expertTasks } from '../../src/lib/server/queries/reviews';
import { applicationRoster } from '../../src/lib/server/queries/assignment-board';
import { Refusal } from '../../src/lib/server/refusal';
import { requireScope, type BatchScope } from '../../src/lib/server/scope';
import type { Actor } from '../../src/lib/server/audit';
import { OFFICE, auditActions, commit, world } from './draw-world';

const expertActor = (id: string): Actor => ({ userId: null, name: id });
const asExpert = (expertId: string) => ({ role: 'expert' as const, expertId });

/** A published draw of the small world; every drawn expert has signed the commitment. */
function published(): { db: Db; scope: BatchScope; drawId: number } {
	const db = world(3);
	const r = drawExperts(requireScope(db), { scope: 'all', seed: 'invite-1' }, OFFICE);
	publishAssignments(requireScope(db), OFFICE);
	for (const e of new Set(db.select().from(s.assignments).all().map((a) => a.expertId))) commit(db, e);
	return { db, scope: requireScope(db), drawId: r.drawId };
}

function refusal(fn: () => unknown): Refusal {
	try {
		fn();
	} catch (e) {
		if (e instanceof Refusal) return e;
		throw e;
	}
	throw new Error('expected a Refusal');
}

/** Everything a refused write must leave as it was. */
function snapshot(db: Db) {
	return JSON.stringify({
		invitations: db.select().from(s.invitations).all(),
		assignments: db.select().from(s.assignments).all(),
		alternates: db.select().from(s.alternates).all(),
		replacements: db.select().from(s.replacements).all(),
		draws: db.select().from(s.draws).all(),
		batch: db.select().from(s.batches).all(),
		audit: auditActions(db).length
	});
}

const seatsOf = (db: Db, expertId: string) => db.select().from(s.assignments).where(eq(s.assignments.expertId, expertId)).all().map((a) => a.applicationId).sort();
const statusOf = (db: Db, expertId: string) =>
	db.select().from(s.invitations).where(eq(s.invitations.expertId, expertId)).get()?.status;
/** An expert drawn for app-a (the first by id). */
const drawnOn = (db: Db, app: string) => db.select().from(s.assignments).where(eq(s.assignments.applicationId, app)).all().map((a) => a.expertId).sort()[0];

describe('invitations after publication', () => {
	it('invites every drawn expert, pending, when the roster is published', () => {
		const { db } = published();
		const drawn = [...new Set(db.select().from(s.assignments).all().map((a) => a.expertId))].sort();
		const invited = db.select().from(s.invitations).all();
		expect(invited.map((i) => i.expertId).sort()).toEqual(drawn);
		expect(new Set(invited.map((i) => i.status))).toEqual(new Set(['pending']));
		expect(auditActions(db)).toContain('assignment.publish');
	});

	it('does not invite after the fact the experts of a roster published before invitations existed (they stay open)', () => {
		const db = world(2);
		drawExperts(requireScope(db), { scope: 'all', seed: 'legacy' }, OFFICE);
		publishAssignments(requireScope(db), OFFICE);
		db.delete(s.invitations).run(); // as a database from before invitations
		const onRoster = new Set(db.select().from(s.assignments).all().map((a) => a.expertId));
		const free = applicationRoster(requireScope(db), 'app-b')!.eligible.find((e) => !onRoster.has(e.id))!;
		expect(free).toBeDefined();
		const t = Date.now();
		while (Date.now() === t) {
			/* let the clock move past the first publication */
		}
		assignByHand(requireScope(db), { applicationId: 'app-b', expertId: free.id, reason: '补充一位专家' }, OFFICE);
		publishAssignments(requireScope(db), OFFICE);
		expect(db.select().from(s.invitations).all().map((i) => [i.expertId, i.status])).toEqual([[free.id, 'pending']]);
		const old = [...onRoster][0];
		expect(expertRelation(db, old, db.select().from(s.assignments).where(eq(s.assignments.expertId, old)).get()!.applicationId).confirmed).toBe(true);
	});

	it('lets the expert see the task list but open nothing before confirming', () => {
		const { db, scope } = published();
		const e = drawnOn(db, 'app-a');
		expect(expertTasks(requireScope(db), e, { listOnly: true }).tasks.length).toBeGreaterThan(0);
		expect(expertTasks(requireScope(db), e).tasks).toEqual([]);
		expect(expertRelation(db, e, 'app-a').confirmed).toBe(false);
		answerInvitation(scope, asExpert(e), e, { answer: 'confirm' }, expertActor(e));
		expect(statusOf(db, e)).toBe('confirmed');
		expect(expertRelation(db, e, 'app-a').confirmed).toBe(true);
		expect(expertTasks(requireScope(db), e).tasks.map((t) => t.applicationId)).toContain('app-a');
		expect(auditActions(db).at(-1)).toBe('invitation.confirm');
	});

	it('requires a reason to decline, refuses a second answer, and writes nothing when refused', () => {
		const { db, scope } = published();
		const e = drawnOn(db, 'app-a');
		const before = snapshot(db);
		const r = refusal(() => answerInvitation(scope, asExpert(e), e, { answer: 'decline', reason: ' ' }, expertActor(e)));
		expect(r.errors.reason).toMatch(/原因/);
		expect(refusal(() => answerInvitation(scope, asExpert(e), e, { answer: 'later' }, expertActor(e))).errors.answer).toBeTruthy();
		expect(snapshot(db)).toBe(before);
		answerInvitation(scope, asExpert(e), e, { answer: 'decline', reason: '评审期间出国访问' }, expertActor(e));
		expect(db.select().from(s.invitations).where(eq(s.invitations.expertId, e)).get()).toMatchObject({ status: 'declined', reason: '评审期间出国访问' });
		const after = snapshot(db);
		expect(refusal(() => answerInvitation(scope, asExpert(e), e, { answer: 'confirm' }, expertActor(e))).message).toMatch(/已答复/);
		expect(snapshot(db)).toBe(after);
	});

	it("refuses an expert answering another expert's invitation, and a non-expert", () => {
		const { db, scope } = published();
		const [a, b] = [...new Set(db.select().from(s.assignments).all().map((x) => x.expertId))].sort();
		const before = snapshot(db);
		const r = refusal(() => answerInvitation(scope, asExpert(a), b, { answer: 'decline', reason: '替他答复' }, expertActor(a)));
		expect(r.status).toBe(403);
		expect(refusal(() => answerInvitation(scope, { role: 'office', expertId: null }, b, { answer: 'confirm' }, OFFICE)).status).toBe(403);
		expect(snapshot(db)).toBe(before);
		expect(statusOf(db, b)).toBe('pending');
	});

	it('refuses answers after the reply deadline (Beijing date), and before publication', () => {
		const { db, scope } = published();
		setReplyDeadline(scope, { replyDeadline: '2023-07-01' }, OFFICE);
		const e = drawnOn(db, 'app-a');
		// 2023-07-02 00:30 in Beijing, still 07-01 in UTC.
		const late = new Date('2023-07-01T16:30:00Z');
		const before = snapshot(db);
		expect(refusal(() => answerInvitation(requireScope(db), asExpert(e), e, { answer: 'confirm' }, expertActor(e), late)).message).toMatch(/答复期限（2023-07-01）已过/);
		expect(snapshot(db)).toBe(before);
		expect(expertInvitation(requireScope(db), e, late)?.status).toBe('expired');
		expect(expertInvitation(requireScope(db), e, new Date('2023-07-01T15:30:00Z'))?.status).toBe('pending');

		const fresh = world(3);
		drawExperts(requireScope(fresh), { scope: 'all', seed: 'invite-1' }, OFFICE);
		const x = drawnOn(fresh, 'app-a');
		expect(refusal(() => answerInvitation(requireScope(fresh), asExpert(x), x, { answer: 'confirm' }, expertActor(x))).message).toMatch(/尚未发布/);
	});

	it('validates the reply deadline and audits it', () => {
		const { db, scope } = published();
		const before = snapshot(db);
		expect(refusal(() => setReplyDeadline(scope, { replyDeadline: '2023-13-01' }, OFFICE)).errors.replyDeadline).toMatch(/答复截止日期/);
		expect(snapshot(db)).toBe(before);
		expect(setReplyDeadline(scope, { replyDeadline: '2023-07-01' }, OFFICE)).toBe('2023-07-01');
		expect(db.select().from(s.batches).get()!.replyDeadline).toBe('2023-07-01');
		expect(auditActions(db).at(-1)).toBe('invitation.deadline');
		setReplyDeadline(scope, { replyDeadline: '' }, OFFICE);
		expect(db.select().from(s.batches).get()!.replyDeadline).toBeNull();
	});
});

describe('replacing a decline or an expired invitation', () => {
	it('seats the next alternate on every application of the expert, records it and invites the new expert', () => {
		const { db, scope, drawId } = published();
		const e = drawnOn(db, 'app-a');
		const seats = seatsOf(db, e);
		const expected = new Map(seats.map((a) => [a, nextAlternate(requireScope(db), a)]));
		answerInvitation(scope, asExpert(e), e, { answer: 'decline', reason: '评审期间出国访问' }, expertActor(e));
		const board = invitationBoard(requireScope(db));
		const row = board.rows.find((r) => r.expertId === e)!;
		expect(row).toMatchObject({ status: 'declined', cause: 'declined' });
		expect(row.seats.map((x) => [x.applicationId, x.next?.id])).toEqual(seats.map((a) => [a, expected.get(a)]));

		const out = replaceInvitee(requireScope(db), { expertId: e }, OFFICE);
		expect(out.cause).toBe('declined');
		expect(out.replaced.map((r) => r.applicationId)).toEqual(seats);
		expect(seatsOf(db, e)).toEqual([]);
		for (const { applicationId, to } of out.replaced) {
			expect(to).toBe(expected.get(applicationId));
			expect(db.select().from(s.assignments).where(and(eq(s.assignments.applicationId, applicationId), eq(s.assignments.expertId, to))).get()?.source).toBe('replacement');
			expect(statusOf(db, to)).toBeDefined();
		}
		const rows = db.select().from(s.replacements).all();
		expect(rows).toHaveLength(seats.length);
		expect(rows[0]).toMatchObject({ fromExpertId: e, cause: 'declined', reason: '评审期间出国访问', drawId });
		const fresh = out.replaced.map((r) => r.to).filter((to) => !db.select().from(s.assignments).all().some((a) => a.expertId === to && a.source === 'draw'));
		for (const to of fresh) expect(statusOf(db, to)).toBe('pending');
		expect(auditActions(db)).toContain('invitation.replace');
		// The roster shows who replaced whom.
		const roster = applicationRoster(requireScope(db), seats[0])!;
		expect(roster.replacements[0]).toMatchObject({ from: { id: e }, to: { id: out.replaced[0].to }, causeLabel: '专家不能参加' });
		// Once replaced, nothing more to replace.
		expect(refusal(() => replaceInvitee(requireScope(db), { expertId: e }, OFFICE)).message).toMatch(/没有分配/);
	});

	it('records an unanswered invitation as expired (cause no-answer) when the office replaces after the deadline', () => {
		const { db, scope } = published();
		setReplyDeadline(scope, { replyDeadline: '2023-07-01' }, OFFICE);
		const e = drawnOn(db, 'app-b');
		const onDay = new Date('2023-07-01T15:00:00Z');
		const before = snapshot(db);
		expect(refusal(() => replaceInvitee(requireScope(db), { expertId: e }, OFFICE, onDay)).message).toMatch(/待确认.*不需要替换/);
		expect(snapshot(db)).toBe(before);
		const after = new Date('2023-07-02T02:00:00Z');
		const out = replaceInvitee(requireScope(db), { expertId: e }, OFFICE, after);
		expect(out.cause).toBe('no-answer');
		expect(statusOf(db, e)).toBe('expired');
		expect(db.select().from(s.replacements).get()).toMatchObject({ fromExpertId: e, cause: 'no-answer', reason: '答复期限 2023-07-01 前未答复' });
		expect(auditActions(db)).toEqual(expect.arrayContaining(['invitation.expire', 'invitation.replace']));
	});

	it('never offers an expert who declined, and refuses (writing nothing) when no alternate is left', () => {
		const { db, scope } = published();
		// Decline every alternate of app-a who is invited anywhere, then the drawn expert: the remaining alternates are used or refused.
		const e = drawnOn(db, 'app-a');
		const alts = db.select().from(s.alternates).where(eq(s.alternates.applicationId, 'app-a')).all().map((a) => a.expertId);
		for (const alt of alts) {
			db.insert(s.invitations).values({ batchId: scope.batch.id, expertId: alt, status: 'declined', reason: '另有安排' }).onConflictDoUpdate({ target: [s.invitations.batchId, s.invitations.expertId], set: { status: 'declined', reason: '另有安排' } }).run();
		}
		expect(nextAlternate(requireScope(db), 'app-a')).toBeNull();
		answerInvitation(scope, asExpert(e), e, { answer: 'decline', reason: '身体原因' }, expertActor(e));
		const appAOnly = seatsOf(db, e).length === 1;
		if (appAOnly) {
			const before = snapshot(db);
			expect(refusal(() => replaceInvitee(requireScope(db), { expertId: e }, OFFICE)).message).toMatch(/没有可用的候补专家/);
			expect(snapshot(db)).toBe(before);
		} else {
			const out = replaceInvitee(requireScope(db), { expertId: e }, OFFICE);
			expect(out.unfilled).toContain('app-a');
			expect(seatsOf(db, e)).toEqual(['app-a']);
		}
	});

	it('cannot answer or replace in a locked or an archived batch', () => {
		const { db } = published();
		const [a, b] = [...new Set(db.select().from(s.assignments).all().map((x) => x.expertId))].sort();
		answerInvitation(requireScope(db), asExpert(b), b, { answer: 'decline', reason: '出差' }, expertActor(b));
		db.update(s.batches).set({ resultsLockedAt: new Date().toISOString() }).run();
		let before = snapshot(db);
		expect(refusal(() => answerInvitation(requireScope(db), asExpert(a), a, { answer: 'confirm' }, expertActor(a))).message).toMatch(/已锁定/);
		expect(refusal(() => replaceInvitee(requireScope(db), { expertId: b }, OFFICE)).message).toMatch(/已锁定/);
		expect(refusal(() => setReplyDeadline(requireScope(db), { replyDeadline: '2023-07-01' }, OFFICE)).message).toMatch(/已锁定/);
		expect(snapshot(db)).toBe(before);
		db.update(s.batches).set({ archivedAt: new Date().toISOString() }).run();
		before = snapshot(db);
		expect(refusal(() => answerInvitation(requireScope(db), asExpert(a), a, { answer: 'confirm' }, expertActor(a))).message).toMatch(/已归档/);
		expect(refusal(() => replaceInvitee(requireScope(db), { expertId: b }, OFFICE)).message).toMatch(/已归档/);
		expect(snapshot(db)).toBe(before);
	});
});

describe('the draw record', () => {
	function observer(db: Db) {
		db.insert(s.users).values({ id: 'u-obs', username: 'observer', displayName: '监督员王', role: 'observer', passwordHash: 'x' }).run();
		return { id: 'u-obs', role: 'observer' as const };
	}

	it('holds the draw as drawn: seed, scope, settings, drawn experts and alternates, and the replacements since', () => {
		const { db, scope, drawId } = published();
		const drawnA = db.select().from(s.assignments).where(eq(s.assignments.applicationId, 'app-a')).all().map((a) => a.expertId).sort();
		const altsA = db.select().from(s.alternates).where(eq(s.alternates.applicationId, 'app-a')).orderBy(s.alternates.rank).all().map((a) => a.expertId);
		const e = drawnA[0];
		answerInvitation(scope, asExpert(e), e, { answer: 'decline', reason: '出差' }, expertActor(e));
		const out = replaceInvitee(requireScope(db), { expertId: e }, OFFICE);
		const rec = drawRecord(requireScope(db), drawId);
		expect(rec).toMatchObject({ id: drawId, seed: 'invite-1', scope: 'all', scopeLabel: '全部职业', exact: true, settings: { perApplication: 3, maxLoad: null, onePerUnit: false } });
		const a = rec.applications.find((x) => x.id === 'app-a')!;
		expect(a.drawn.map((x) => x.id).sort()).toEqual(drawnA);
		expect(a.alternates.map((x) => x.id)).toEqual(altsA);
		const to = out.replaced.find((r) => r.applicationId === 'app-a')!.to;
		expect(a.drawn.find((x) => x.id === e)!.replacedBy).toBe(db.select().from(s.experts).where(eq(s.experts.id, to)).get()!.name);
		expect(a.alternates.find((x) => x.id === to)!.seated).toBe(true);
		expect(rec.replacements.map((r) => r.from.id)).toContain(e);
		expect(rec.excluded).toEqual([]);
		expect(replacementHistory(requireScope(db), { drawId }).length).toBe(out.replaced.length);
		expect(drawList(requireScope(db))[0]).toMatchObject({ id: drawId, seed: 'invite-1', confirmedAt: null });
	});

	it('shows the experts the rating threshold left out', () => {
		const { db, drawId } = published();
		db.update(s.draws).set({ excluded: [{ expertId: 'e6', average: 58.5 }] }).where(eq(s.draws.id, drawId)).run();
		expect(drawRecord(requireScope(db), drawId).excluded).toEqual([expect.objectContaining({ id: 'e6', name: '甲六', average: 58.5 })]);
	});

	it('is confirmed by the observer once, audited; the office cannot confirm; another batch or an archived batch refuses', () => {
		const { db, drawId } = published();
		const obs = observer(db);
		let before = snapshot(db);
		expect(refusal(() => confirmDrawRecord(requireScope(db), { id: 'u-office', role: 'office' }, drawId, OFFICE)).status).toBe(403);
		expect(refusal(() => confirmDrawRecord(requireScope(db), obs, 9999, { userId: 'u-obs', name: 'observer' })).status).toBe(404);
		expect(refusal(() => confirmDrawRecord(requireScope(db), obs, 'x1', { userId: 'u-obs', name: 'observer' })).status).toBe(400);
		expect(snapshot(db)).toBe(before);
		confirmDrawRecord(requireScope(db), obs, String(drawId), { userId: 'u-obs', name: 'observer' });
		const d = db.select().from(s.draws).where(eq(s.draws.id, drawId)).get()!;
		expect(d.confirmedBy).toBe('u-obs');
		expect(d.confirmedAt).toBeTruthy();
		expect(auditActions(db).at(-1)).toBe('draw.confirm');
		expect(drawRecord(requireScope(db), drawId)).toMatchObject({ confirmedBy: '监督员王' });
		before = snapshot(db);
		expect(refusal(() => confirmDrawRecord(requireScope(db), obs, drawId, { userId: 'u-obs', name: 'observer' })).message).toMatch(/不能重复确认/);
		expect(snapshot(db)).toBe(before);

		const second = drawExperts(requireScope(db), { scope: 'ic', seed: 'again' }, OFFICE).drawId;
		db.update(s.batches).set({ archivedAt: new Date().toISOString() }).run();
		before = snapshot(db);
		expect(refusal(() => confirmDrawRecord(requireScope(db), obs, second, { userId: 'u-obs', name: 'observer' })).message).toMatch(/已归档/);
		expect(snapshot(db)).toBe(before);
	});
});

describe('the demo seed of the draw logistics', () => {
	it('records a draw, a decline replaced by the next alternate, and the observer confirmation, deterministically', async () => {
		const { seedDrawLogistics } = await import('../../src/lib/server/demo/draw-logistics');
		const make = () => {
			const { db } = published();
			db.insert(s.users).values({ id: 'u-office', username: 'office', displayName: '省厅', role: 'office', passwordHash: 'x' }).run();
			db.insert(s.users).values({ id: 'u-obs', username: 'observer', displayName: '监督员', role: 'observer', passwordHash: 'x' }).run();
			const out = seedDrawLogistics(requireScope(db))!;
			return { db, out };
		};
		const { db, out } = make();
		expect(out.replacedBy.length).toBeGreaterThan(0);
		expect(statusOf(db, out.declined)).toBe('declined');
		const rec = drawRecord(requireScope(db), out.drawId);
		expect(rec.confirmedBy).toBe('监督员');
		expect(rec.operator).toBe('省厅');
		expect(replacementHistory(requireScope(db)).every((r) => r.cause === 'declined' && r.from.id === out.declined)).toBe(true);
		for (const to of out.replacedBy) expect(statusOf(db, to)).toBe('confirmed');
		// Published again: the new experts see their applications.
		for (const r of replacementHistory(requireScope(db))) expect(expertRelation(db, r.to!.id, r.applicationId).published).toBe(true);
		const again = make().out;
		expect({ ...again, drawId: 0 }).toEqual({ ...out, drawId: 0 });
	});
});
