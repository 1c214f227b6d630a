/**
 * Groups (occupation, type) whose final list an open objection holds: an objection that is
 * received (待受理) or accepted (已受理) and not yet closed keeps its application's group out of the
 * final list (the national decision page, the memo) until it is answered. Rejected (不予受理) and
 * closed objections hold nothing.
 */
import { and, eq, inArray } from 'drizzle-orm';
import * as s from '../db/schema';
import type { BatchScope } from '../scope';

export const OPEN_OBJECTION_STATUSES = ['received', 'accepted'] as const satisfies readonly s.ObjectionStatus[];

export const groupKey = (occupation: string, type: string) => `${occupation}|${type}`;

/** groupKey → ids of the open objections holding it. */
export function heldGroups({ db, batch }: BatchScope): Map<string, number[]> {
	const rows = db
		.select({ id: s.objections.id, occupation: s.applications.occupation, type: s.applications.type })
		.from(s.objections)
		.innerJoin(s.applications, eq(s.applications.id, s.objections.applicationId))
		.where(and(eq(s.objections.batchId, batch.id), inArray(s.objections.status, [...OPEN_OBJECTION_STATUSES])))
		.orderBy(s.objections.id)
		.all();
	const out = new Map<string, number[]>();
	for (const r of rows) {
		const k = groupKey(r.occupation, r.type);
		out.set(k, [...(out.get(k) ?? []), r.id]);
	}
	return out;
}
