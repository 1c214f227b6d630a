/**
 * The office's 履职评价 of an expert for a batch, the expert's reply to it, and the draw's rating
 * threshold. One transaction each, audited; a refused request writes nothing.
 *
 * A rating belongs to the expert's standing record rather than to the batch's review: it moves no
 * result, so it may be given (and the expert may reply) in every phase, an archived batch included.
 * The office may correct a rating until the expert has replied to it; the time of the first rating
 * is kept (逾期 is judged on it), every change is in the audit log with the totals before and after.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db';
import * as s from '../db/schema';
import { audit, type Actor } from '../audit';
import { Refusal } from '../refusal';
import { batchById, requirePhase, type BatchScope } from '../scope';
import { batchParticipants, ratingDue } from '../queries/expert-record';
import { canWrite } from '../../domain/phases';
import { checkRating, checkReply, checkThreshold, ratingLate } from '../../domain/expert-record';

const EXPERT_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

export type RatingInput = { points: Record<string, unknown>; note?: unknown };

/** Rates (or corrects the rating of) an expert who took part in the batch. */
export function rateExpert(scope: BatchScope, expertId: string, input: RatingInput, actor: Actor): { total: number; late: boolean; due: string | null } {
	if (!EXPERT_ID.test(expertId)) throw new Refusal('专家编号格式不正确', 400, { expertId: '专家编号格式不正确' });
	const checked = checkRating(input);
	if (Object.keys(checked.problems).length) {
		throw new Refusal(Object.values(checked.problems)[0], 400, checked.problems);
	}
	return scope.db.transaction((tx) => {
		const batch = batchById(tx, scope.batch.id);
		if (!batch) throw new Refusal(`没有批次 ${scope.batch.id}`, 404);
		const sc = { db: tx, batch };
		const expert = tx.select({ id: s.experts.id, name: s.experts.name }).from(s.experts).where(eq(s.experts.id, expertId)).get();
		if (!expert) throw new Refusal('没有找到该专家', 404, { expertId: '没有找到该专家' });
		if (!batchParticipants(sc).has(expertId)) {
			throw new Refusal(`${expert.name} 未参加「${batch.name}」的评审（没有分配、评分或出席记录），不能评价`, 409, { expertId: '该专家未参加本批次评审' });
		}
		const before = tx
			.select()
			.from(s.expertRatings)
			.where(and(eq(s.expertRatings.expertId, expertId), eq(s.expertRatings.batchId, batch.id)))
			.get();
		if (before?.reply) throw new Refusal('专家已对该评价作出说明，评价不能再修改', 409);
		const { due } = ratingDue(sc);
		const now = new Date().toISOString();
		const at = before?.at ?? now;
		const values = { points: checked.points, total: checked.total, note: checked.note, userId: actor.userId };
		if (before) {
			tx.update(s.expertRatings).set(values).where(and(eq(s.expertRatings.expertId, expertId), eq(s.expertRatings.batchId, batch.id))).run();
		} else {
			tx.insert(s.expertRatings).values({ ...values, expertId, batchId: batch.id, at }).run();
		}
		const late = ratingLate(due, at);
		audit(tx, actor, before ? 'expert.rating.update' : 'expert.rate', 'expert', expertId, {
			batch: batch.id,
			points: checked.points,
			total: checked.total,
			due,
			late,
			...(before ? { previousTotal: before.total, previousPoints: before.points } : {})
		});
		return { total: checked.total, late, due };
	});
}

/** The expert's explanation of a rating: once per rating. */
export function replyToRating(db: Db, expertId: string, batchId: string, raw: unknown, actor: Actor): void {
	const { reply, problem } = checkReply(raw);
	if (problem) throw new Refusal(problem, 400, { reply: problem });
	db.transaction((tx) => {
		const where = and(eq(s.expertRatings.expertId, expertId), eq(s.expertRatings.batchId, batchId));
		const rating = tx.select().from(s.expertRatings).where(where).get();
		// Someone else's rating and a rating that does not exist answer alike.
		if (!rating) throw new Refusal('没有找到该履职评价', 404);
		if (rating.reply) throw new Refusal('您已对该评价作出说明，每项评价只能说明一次', 409, { reply: '已作出说明' });
		tx.update(s.expertRatings).set({ reply, repliedAt: new Date().toISOString() }).where(where).run();
		audit(tx, actor, 'expert.rating.reply', 'expert', expertId, { batch: batchId, length: reply!.length });
	});
}

/** The draw's threshold: experts whose average rating is below it are left out (null: off). */
export function saveRatingThreshold(scope: BatchScope, raw: unknown, actor: Actor): number | null {
	const { value, problem } = checkThreshold(raw);
	if (problem) throw new Refusal(problem, 400, { minExpertRating: problem });
	scope.db.transaction((tx) => {
		requirePhase(tx, scope, canWrite, '本批次不能再修改设置');
		const before = batchById(tx, scope.batch.id)?.minExpertRating ?? null;
		tx.update(s.batches).set({ minExpertRating: value }).where(eq(s.batches.id, scope.batch.id)).run();
		audit(tx, actor, 'batch.rating-threshold', 'batch', scope.batch.id, { minExpertRating: value, previous: before });
	});
	return value;
}
