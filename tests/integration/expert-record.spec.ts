/**
 * The expert's record (履职记录) and the office's 履职评价 across two batches: the record is
 * computed per batch and never mixes them, ratings in and after the due date, the expert's reply
 * once, and the draw leaving out experts below the batch's rating threshold (on and off).
 *
 * 第一批 (ln-2022-b1, archived): old-1 with exp-1 (submitted late, 40 points, abnormal without an
 * explanation) and exp-2 (on time, 90, abnormal, explained); meeting 2022-09-29/30 (exp-1 present,
 * then left early). The due date is 5 working days after 09-30 over the National Day holiday and
 * its two 调休 weekend days: 2022-10-12.
 * 第二批 (ln-2023-b2, the scoring fixture, deadline 2023-07-10): exp-1 on app-1 (on time, 80),
 * app-2 (draft), app-3 (nothing), app-5 (recused: declared).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../src/lib/server/db';
import * as s from '../../src/lib/server/db/schema';
import { batchById, type BatchScope } from '../../src/lib/server/scope';
import { Refusal } from '../../src/lib/server/refusal';
import { batchExpertRecords, expertBatchRecord, expertHistory, ratingExclusions } from '../../src/lib/server/queries/expert-record';
import { rateExpert, replyToRating, saveRatingThreshold } from '../../src/lib/server/services/expert-record';
import { runDraw } from '../../src/lib/server/services/assignment';
import { beijingDate } from '../../src/lib/domain/time';
import type { Actor } from '../../src/lib/server/audit';
import { auditActions, scoringDb } from './scoring-fixture';

const OFFICE: Actor = { userId: null, name: 'office' };
const actorFor = (expertId: string): Actor => ({ userId: null, name: expertId });

const B1 = 'ln-2022-b1';
const B2 = 'ln-2023-b2';
const TODAY = '2023-08-01';

function scope(db: Db, id: string): BatchScope {
	return { db, batch: batchById(db, id)! };
}

function sheet(db: Db, applicationId: string, expertId: string, rubricId: string, total: number, opts: { submittedAt?: string; explanation?: string } = {}) {
	const id = db
		.insert(s.sheets)
		.values({
			applicationId,
			expertId,
			rubricId,
			status: opts.submittedAt ? 'submitted' : 'draft',
			submittedAt: opts.submittedAt ?? null,
			explanation: opts.explanation ?? null
		})
		.returning({ id: s.sheets.id })
		.get().id;
	db.insert(s.sheetPoints).values({ sheetId: id, criterionId: 'all', position: 0, points: total }).run();
}

function rubric(db: Db, id: string, batchId: string) {
	db.insert(s.rubrics).values({ id, batchId, type: 'training' }).run();
	db.insert(s.criteria).values({ rubricId: id, id: 'all', position: 0, name: '总分', maxPoints: 100 }).run();
}

/** The scoring fixture (第二批) and an archived 第一批 before it. */
function twoBatches(): Db {
	const db = scoringDb();
	const b2 = batchById(db, B2)!;
	db.insert(s.batches)
		.values({
			id: B1,
			name: '辽宁省第一批',
			deadline: '2022-06-15',
			closedEvaluationOccupations: [],
			quotas: b2.quotas,
			aggregation: b2.aggregation,
			scoringDeadline: '2022-07-01',
			assignmentsPublishedAt: '2022-06-20T00:00:00.000Z',
			resultsLockedAt: '2022-10-01T00:00:00.000Z',
			archivedAt: '2022-12-01T00:00:00.000Z',
			createdAt: '2022-05-01T00:00:00.000Z',
			meeting: { applicationId: null, startedAt: '2022-09-29T01:00:00.000Z', chairUserId: null }
		})
		.run();
	db.insert(s.applications)
		.values({ id: 'old-1', batchId: B1, institutionId: 'inst-1', type: 'training', occupation: 'ai', region: 'shenyang', levels: ['junior'], status: 'accepted' })
		.run();
	rubric(db, 'rub-b1', B1);
	rubric(db, 'rub-b2', B2);
	for (const e of ['exp-1', 'exp-2']) db.insert(s.assignments).values({ applicationId: 'old-1', expertId: e, createdAt: '2022-06-19T00:00:00.000Z' }).run();
	sheet(db, 'old-1', 'exp-1', 'rub-b1', 40, { submittedAt: '2022-07-05T02:00:00.000Z' });
	sheet(db, 'old-1', 'exp-2', 'rub-b1', 90, { submittedAt: '2022-06-30T02:00:00.000Z', explanation: '该单位师资和场地条件突出' });
	const d1 = db.insert(s.meetingDays).values({ batchId: B1, date: '2022-09-29' }).returning({ id: s.meetingDays.id }).get().id;
	const d2 = db.insert(s.meetingDays).values({ batchId: B1, date: '2022-09-30' }).returning({ id: s.meetingDays.id }).get().id;
	db.insert(s.attendance).values({ dayId: d1, expertId: 'exp-1', status: 'present' }).run();
	db.insert(s.attendance).values({ dayId: d2, expertId: 'exp-1', status: 'left-early', note: '下午提前离会' }).run();
	db.insert(s.attendance).values({ dayId: d1, expertId: 'exp-2', status: 'present' }).run();

	// 第二批: exp-1 submits app-1 on time, keeps app-2 as a draft, has nothing on app-3.
	sheet(db, 'app-1', 'exp-1', 'rub-b2', 80, { submittedAt: '2023-07-05T02:00:00.000Z' });
	sheet(db, 'app-1', 'exp-2', 'rub-b2', 82, { submittedAt: '2023-07-06T02:00:00.000Z' });
	sheet(db, 'app-1', 'exp-3', 'rub-b2', 78, { submittedAt: '2023-07-06T02:00:00.000Z' });
	sheet(db, 'app-2', 'exp-1', 'rub-b2', 70);
	return db;
}

const points = (expertise: number, fairness: number, discipline: number, timeliness: number) => ({ points: { expertise, fairness, discipline, timeliness }, note: '评价说明' });

describe('the record per batch', () => {
	let db: Db;
	beforeEach(() => {
		db = twoBatches();
	});

	it('counts assignments, timeliness, abnormal scores, severity, conflicts and attendance of one batch only', () => {
		const r1 = expertBatchRecord(scope(db, B1), 'exp-1', TODAY)!;
		expect(r1.batch).toMatchObject({ id: B1, archived: true, closed: true });
		expect(r1.assignments).toBe(1);
		expect(r1.items.map((i) => i.applicationId)).toEqual(['old-1']);
		expect(r1.timeliness).toEqual({ 'on-time': 0, late: 1, missing: 0, open: 0 });
		expect(r1.abnormal).toBe(1);
		expect(r1.explained).toBe(0);
		expect(r1.severity).toEqual({ severity: -50, shared: 1 });
		expect(r1.declared).toEqual([]);
		expect(r1.attendance.map((a) => [a.date, a.status])).toEqual([
			['2022-09-29', 'present'],
			['2022-09-30', 'left-early']
		]);
		expect(r1.meetingEnd).toBe('2022-09-30');
		expect(r1.due).toBe('2022-10-12');

		const r2 = expertBatchRecord(scope(db, B2), 'exp-1', TODAY)!;
		expect(r2.assignments).toBe(4);
		expect(r2.recused).toBe(1);
		expect(r2.items.find((i) => i.applicationId === 'app-5')?.recused).toBe('专家本人声明回避');
		// A draft's points are no submitted total.
		expect(r2.items.find((i) => i.applicationId === 'app-2')).toMatchObject({ total: null, timeliness: 'missing', submittedAt: null });
		expect(r2.items.find((i) => i.applicationId === 'app-1')).toMatchObject({ total: 80, timeliness: 'on-time' });
		expect(r2.timeliness).toEqual({ 'on-time': 1, late: 0, missing: 2, open: 0 });
		expect(r2.abnormal).toBe(0);
		expect(r2.severity).toEqual({ severity: 0, shared: 1 });
		expect(r2.declared.map((d) => d.applicationId)).toEqual(['app-5']);
		expect(r2.attendance).toEqual([]);
		// No meeting day and the chair never started the meeting: not yet due.
		expect(r2.due).toBeNull();
		expect(r2.ratingStatus).toBe('not-due');
	});

	it('the explained abnormal score counts as explained; before the deadline a missing sheet is still open', () => {
		const r = expertBatchRecord(scope(db, B1), 'exp-2', TODAY)!;
		expect([r.abnormal, r.explained]).toEqual([1, 1]);
		expect(r.timeliness['on-time']).toBe(1);
		const early = expertBatchRecord(scope(db, B2), 'exp-1', '2023-07-01')!;
		expect(early.timeliness).toEqual({ 'on-time': 1, late: 0, missing: 0, open: 2 });
	});

	it('a detected hard conflict on an assigned application the expert did not declare is marked undeclared', () => {
		db.update(s.experts).set({ workUnit: '辽宁甲乙智能科技有限公司' }).where(eq(s.experts.id, 'exp-3')).run();
		const r = expertBatchRecord(scope(db, B2), 'exp-3', TODAY)!;
		expect(r.detected.find((c) => c.applicationId === 'app-1')).toMatchObject({ code: 'SAME_UNIT', hard: true, assigned: true, undeclared: true });
		expect(r.recused).toBe(1);
		// The same rule in 第一批 (old-1 is inst-1 too) is 第一批's, not 第二批's.
		expect(r.detected.map((c) => c.applicationId)).not.toContain('old-1');
		// exp-1's declared conflict on app-5 is declared, not detected.
		expect(expertBatchRecord(scope(db, B2), 'exp-1', TODAY)!.detected.filter((c) => c.undeclared)).toEqual([]);
	});

	it('lists the participants of a batch only: exp-3 has nothing in 第一批', () => {
		expect(batchExpertRecords(scope(db, B1), { today: TODAY }).map((r) => r.expertId)).toEqual(['exp-1', 'exp-2']);
		expect(expertBatchRecord(scope(db, B1), 'exp-3', TODAY)).toBeNull();
		expect(batchExpertRecords(scope(db, B2), { today: TODAY }).map((r) => r.expertId)).toEqual(['exp-1', 'exp-2', 'exp-3']);
	});

	it('the history holds every batch the expert took part in, the newest first, and the average rating', () => {
		rateExpert(scope(db, B1), 'exp-1', points(15, 15, 10, 10), OFFICE);
		const h = expertHistory(db, 'exp-1', TODAY);
		expect(h.records.map((r) => r.batch.id)).toEqual([B2, B1]);
		expect(h.average).toBe(50);
		expect(h.records[1].rating?.total).toBe(50);
		expect(h.records[0].rating).toBeNull();
		expect(expertHistory(db, 'exp-3', TODAY).records.map((r) => r.batch.id)).toEqual([B2]);
	});
});

describe('履职评价', () => {
	let db: Db;
	beforeEach(() => {
		db = twoBatches();
	});

	it('a rating after the due date is kept and marked late; one within it is not', () => {
		const late = rateExpert(scope(db, B1), 'exp-1', points(20, 20, 10, 5), OFFICE);
		expect(late).toEqual({ total: 55, late: true, due: '2022-10-12' });
		// 第二批's meeting is today: the due date lies ahead.
		const today = beijingDate(new Date());
		db.insert(s.meetingDays).values({ batchId: B2, date: today }).run();
		const onTime = rateExpert(scope(db, B2), 'exp-1', points(28, 27.5, 18, 20), OFFICE);
		expect(onTime.late).toBe(false);
		expect(onTime.due! > today).toBe(true);
		const r1 = expertBatchRecord(scope(db, B1), 'exp-1', TODAY)!;
		expect(r1.rating).toMatchObject({ total: 55, late: true, by: null });
		expect(r1.ratingStatus).toBe('rated-late');
		expect(expertBatchRecord(scope(db, B2), 'exp-1')!.ratingStatus).toBe('rated');
		expect(auditActions(db).filter((a) => a === 'expert.rate')).toHaveLength(2);
	});

	it('refuses points out of bounds or an expert who took no part, and writes nothing', () => {
		const before = auditActions(db).length;
		const bad = (() => {
			try {
				rateExpert(scope(db, B1), 'exp-1', points(20, 31, 10, 5), OFFICE);
			} catch (e) {
				return e;
			}
		})() as Refusal;
		expect(bad).toBeInstanceOf(Refusal);
		expect(bad.errors['points.fairness']).toContain('0 到 30');
		expect(() => rateExpert(scope(db, B1), 'exp-3', points(20, 20, 10, 5), OFFICE)).toThrow('未参加');
		expect(db.select().from(s.expertRatings).all()).toEqual([]);
		expect(auditActions(db).length).toBe(before);
	});

	it('the office may correct a rating until the expert replies; the expert replies once', () => {
		rateExpert(scope(db, B1), 'exp-1', points(20, 20, 10, 5), OFFICE);
		const first = db.select().from(s.expertRatings).get()!;
		rateExpert(scope(db, B1), 'exp-1', points(22, 20, 10, 5), OFFICE);
		const corrected = db.select().from(s.expertRatings).get()!;
		expect(corrected.total).toBe(57);
		expect(corrected.at).toBe(first.at);
		expect(auditActions(db)).toContain('expert.rating.update');

		expect(() => replyToRating(db, 'exp-1', B1, ' ', actorFor('exp-1'))).toThrow('不少于2');
		replyToRating(db, 'exp-1', B1, '当日下午因单位急事提前离会，已向主持人请假。', actorFor('exp-1'));
		const replied = db.select().from(s.expertRatings).get()!;
		expect(replied.reply).toContain('提前离会');
		expect(replied.repliedAt).not.toBeNull();
		expect(() => replyToRating(db, 'exp-1', B1, '再说明一次', actorFor('exp-1'))).toThrow('只能说明一次');
		expect(() => rateExpert(scope(db, B1), 'exp-1', points(30, 30, 20, 20), OFFICE)).toThrow('不能再修改');
		expect(db.select().from(s.expertRatings).get()!.total).toBe(57);
		expect(auditActions(db).filter((a) => a === 'expert.rating.reply')).toHaveLength(1);
	});

	it("an expert cannot reply to another expert's rating (the same answer as none)", () => {
		rateExpert(scope(db, B1), 'exp-1', points(20, 20, 10, 5), OFFICE);
		expect(() => replyToRating(db, 'exp-2', B1, '这不是我的评价', actorFor('exp-2'))).toThrow('没有找到该履职评价');
		expect(db.select().from(s.expertRatings).where(and(eq(s.expertRatings.expertId, 'exp-1'), eq(s.expertRatings.batchId, B1))).get()!.reply).toBeNull();
	});
});

describe('the draw and the rating threshold', () => {
	let db: Db;
	beforeEach(() => {
		db = twoBatches();
		// exp-1: 50 in 第一批 and 70 in 第二批 (average 60); exp-2: 90; exp-3 never rated.
		rateExpert(scope(db, B1), 'exp-1', points(15, 15, 10, 10), OFFICE);
		rateExpert(scope(db, B2), 'exp-1', points(20, 20, 15, 15), OFFICE);
		rateExpert(scope(db, B1), 'exp-2', points(27, 27, 18, 18), OFFICE);
	});

	const drawnOn = (applicationId: string) =>
		db
			.select({ e: s.assignments.expertId })
			.from(s.assignments)
			.where(eq(s.assignments.applicationId, applicationId))
			.all()
			.map((r) => r.e)
			.sort();

	it('off by default: nobody is left out and exp-1 is drawn onto app-4', () => {
		expect(batchById(db, B2)!.minExpertRating).toBeNull();
		expect(ratingExclusions(scope(db, B2))).toEqual([]);
		const out = runDraw(scope(db, B2), { seed: 'rec' }, OFFICE);
		expect(out.excluded).toEqual([]);
		expect(drawnOn('app-4')).toEqual(['exp-1', 'exp-2', 'exp-3']);
		expect(db.select().from(s.draws).where(eq(s.draws.id, out.drawId)).get()!.excluded).toBeNull();
	});

	it('on: exp-1 (average 60) is left out below 65, exp-3 (no rating) is not; the draw record says so', () => {
		expect(saveRatingThreshold(scope(db, B2), '65', OFFICE)).toBe(65);
		expect(ratingExclusions(scope(db, B2))).toEqual([{ expertId: 'exp-1', average: 60 }]);
		const out = runDraw(scope(db, B2), { seed: 'rec' }, OFFICE);
		expect(out.excluded).toEqual([{ expertId: 'exp-1', average: 60 }]);
		expect(drawnOn('app-4')).toEqual(['exp-2', 'exp-3']);
		const record = db.select().from(s.draws).where(eq(s.draws.id, out.drawId)).get()!;
		expect(record.excluded).toEqual([{ expertId: 'exp-1', average: 60 }]);
		expect(auditActions(db)).toContain('batch.rating-threshold');
		// The threshold is 第二批's: 第一批 keeps none.
		expect(batchById(db, B1)!.minExpertRating).toBeNull();
	});

	it('at exactly the average nobody is left out; a bad threshold is refused and changes nothing; archived batches keep theirs', () => {
		saveRatingThreshold(scope(db, B2), '60', OFFICE);
		expect(ratingExclusions(scope(db, B2))).toEqual([]);
		expect(() => saveRatingThreshold(scope(db, B2), '120', OFFICE)).toThrow('0 到 100');
		expect(batchById(db, B2)!.minExpertRating).toBe(60);
		expect(() => saveRatingThreshold(scope(db, B1), '50', OFFICE)).toThrow('已归档');
		saveRatingThreshold(scope(db, B2), '', OFFICE);
		expect(batchById(db, B2)!.minExpertRating).toBeNull();
	});
});

describe('the demo ratings', () => {
	it('rate every participant of a finished batch deterministically, once', async () => {
		const { seedExpertRatings, demoPoints } = await import('../../src/lib/server/demo/expert-ratings');
		const db = twoBatches();
		expect(seedExpertRatings(scope(db, B1))).toEqual({ rated: 2 });
		expect(seedExpertRatings(scope(db, B1))).toEqual({ rated: 0 });
		const rows = db.select().from(s.expertRatings).all();
		expect(rows.map((r) => r.expertId).sort()).toEqual(['exp-1', 'exp-2']);
		expect(rows.find((r) => r.expertId === 'exp-1')!.points).toEqual(demoPoints('exp-1', true));
		const h1 = expertBatchRecord(scope(db, B1), 'exp-1', TODAY)!;
		expect(h1.rating!.total).toBeLessThan(65);
		expect(h1.rating!.reply).not.toBeNull();
		expect(h1.rating!.late).toBe(false);
		expect(expertBatchRecord(scope(db, B1), 'exp-2', TODAY)!.rating!.late).toBe(true);
	});
});
