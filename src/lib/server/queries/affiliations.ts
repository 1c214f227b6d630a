/**
 * The experts' standing conflict profiles (table `expert_affiliations`), shared by every batch like
 * the expert pool itself.
 */
import { asc, eq, lte } from 'drizzle-orm';
import type { Db } from '../db';
import * as s from '../db/schema';
import type { Affiliation } from '../../domain/conflicts';

type Q = Pick<Db, 'select'>;

export type AffiliationRow = typeof s.expertAffiliations.$inferSelect;

/** One expert's entries: former units first, then relatives, each in the order entered. */
export function expertAffiliations(db: Q, expertId: string): AffiliationRow[] {
	return db
		.select()
		.from(s.expertAffiliations)
		.where(eq(s.expertAffiliations.expertId, expertId))
		.orderBy(asc(s.expertAffiliations.kind), asc(s.expertAffiliations.id))
		.all();
}

/**
 * Every expert's entries as conflict detection reads them. `createdUpTo` (an ISO time) leaves out
 * entries added later: a batch whose results are locked or archived is judged on the profiles as
 * they stood then.
 */
export function loadAffiliations(db: Q, createdUpTo?: string | null): Affiliation[] {
	const q = db
		.select({
			expertId: s.expertAffiliations.expertId,
			kind: s.expertAffiliations.kind,
			unit: s.expertAffiliations.unit,
			relation: s.expertAffiliations.relation,
			endedOn: s.expertAffiliations.endedOn
		})
		.from(s.expertAffiliations);
	return (createdUpTo ? q.where(lte(s.expertAffiliations.createdAt, createdUpTo)) : q).orderBy(asc(s.expertAffiliations.id)).all();
}
