/**
 * Demo 履职评价 for a finished batch (the archived 第一批): every expert who took part is rated,
 * deterministically from the expert id; the lowest-rated expert (about 55 points) shows the draw's
 * threshold at work, one late rating shows 逾期, and one rating carries the expert's reply.
 * Idempotent: a rating that exists is left as it is.
 */
import { createHash } from 'node:crypto';
import type { BatchScope } from '../scope';
import * as s from '../db/schema';
import { audit, SYSTEM_ACTOR } from '../audit';
import { batchParticipants, ratingDue } from '../queries/expert-record';
import { RATING_CRITERIA, ratingTotal } from '../../domain/expert-record';
import { addDays } from '../../domain/workdays';

function unit(id: string, salt: string): number {
	return createHash('sha256').update(`${salt}|${id}`).digest()[0] / 255;
}

/** Points per criterion: between 75 % and 100 % of each maximum (in 0.5 steps); `low` gives about 55 in all. */
export function demoPoints(expertId: string, low = false): Record<string, number> {
	return Object.fromEntries(
		RATING_CRITERIA.map((c) => {
			const share = low ? 0.5 + 0.1 * unit(expertId, c.key) : 0.75 + 0.25 * unit(expertId, c.key);
			return [c.key, Math.round(c.max * share * 2) / 2];
		})
	);
}

export function seedExpertRatings(scope: BatchScope): { rated: number } {
	const { db, batch } = scope;
	return db.transaction((tx) => {
		const sc = { db: tx, batch };
		const ids = [...batchParticipants(sc)].sort();
		const { due } = ratingDue(sc);
		// On time: the working day before the due date's calendar day; late: a week after it.
		const base = due ?? (batch.resultsLockedAt ?? batch.createdAt).slice(0, 10);
		let rated = 0;
		ids.forEach((expertId, i) => {
			const points = demoPoints(expertId, i === 0);
			const late = i === 1 && due !== null;
			const at = `${late ? addDays(base, 7) : addDays(base, -1)}T02:00:00.000Z`;
			const reply = i === 0 ? '评审期间本人所在单位有紧急任务，个别评分表提交较晚，今后将提前安排时间。' : null;
			const n = tx
				.insert(s.expertRatings)
				.values({
					expertId,
					batchId: batch.id,
					points,
					total: ratingTotal(points),
					note: i === 0 ? '个别评分表逾期提交，异常评分说明不够具体。' : null,
					userId: null,
					at,
					reply,
					repliedAt: reply ? `${addDays(at.slice(0, 10), 2)}T03:00:00.000Z` : null
				})
				.onConflictDoNothing()
				.run().changes;
			rated += n;
		});
		if (rated) audit(tx, SYSTEM_ACTOR, 'demo.seed-ratings', 'batch', batch.id, { rated });
		return { rated };
	});
}
