/**
 * An institution's history across batches (issue 13, item 4), for the office's application page:
 * its applications in other batches (institutions are shared and recognised by USCC, so the same
 * institution id) with status, the meeting's decision, score and rank, and its directory entries.
 *
 * Results come from `computeResults` of each of those batches — one batch at a time, and only the
 * batches it applied in (they are cached per batch against the intake counter).
 */
import { and, asc, eq, inArray, ne } from 'drizzle-orm';
import * as s from '../db/schema';
import { batchById, externalId, type BatchScope } from '../scope';
import { computeResults } from '../services/batch-state';
import type { ApplicationResult } from '../../domain/aggregation';
import { validityOn, type Validity } from '../../domain/directory';

export type HistoryApplication = {
	id: string;
	/** The id as its batch's bundle gave it. */
	shownId: string;
	batchId: string;
	batchName: string;
	batchArchived: boolean;
	occupation: string;
	type: 'training' | 'evaluation';
	levels: string[];
	status: s.ApplicationStatus;
	/** Null when the application did not enter the results (a draft, returned). */
	result: Pick<ApplicationResult, 'score' | 'rank' | 'n' | 'proposed' | 'decision'> | null;
	/** The directory entry this application produced (the national decision), if any. */
	directory: { validFrom: string; validTo: string | null; documentNo: string | null } | null;
	/** The coordinating group's decision recorded for it, if any. */
	national: { decision: 'confirmed' | 'not-confirmed'; date: string; documentNo: string } | null;
};

export type HistoryDirectoryEntry = {
	id: number;
	occupation: string;
	type: 'training' | 'evaluation';
	levels: string[];
	validFrom: string;
	validTo: string | null;
	documentNo: string | null;
	batchName: string | null;
	validity: Validity;
};

export type InstitutionHistory = { applications: HistoryApplication[]; directory: HistoryDirectoryEntry[] };

/** The institution's applications in batches other than the scope's, and its directory entries (validity on `day`). */
export function institutionHistory(scope: BatchScope, institutionId: string, day: string): InstitutionHistory {
	const { db } = scope;
	const entries = db
		.select({ e: s.directoryEntries, batchName: s.batches.name })
		.from(s.directoryEntries)
		.leftJoin(s.batches, eq(s.batches.id, s.directoryEntries.batchId))
		.where(eq(s.directoryEntries.institutionId, institutionId))
		.orderBy(asc(s.directoryEntries.validFrom), asc(s.directoryEntries.id))
		.all();
	const produced = new Map(entries.filter((r) => r.e.applicationId).map((r) => [r.e.applicationId!, r.e]));

	const rows = db
		.select({
			id: s.applications.id,
			batchId: s.applications.batchId,
			occupation: s.applications.occupation,
			type: s.applications.type,
			levels: s.applications.levels,
			status: s.applications.status
		})
		.from(s.applications)
		.where(and(eq(s.applications.institutionId, institutionId), ne(s.applications.batchId, scope.batch.id)))
		.orderBy(asc(s.applications.id))
		.all();

	const byBatch = new Map<string, typeof rows>();
	for (const r of rows) {
		const list = byBatch.get(r.batchId);
		if (list) list.push(r);
		else byBatch.set(r.batchId, [r]);
	}
	const national = new Map(
		rows.length
			? db
					.select({ id: s.nationalDecisions.applicationId, decision: s.nationalDecisions.decision, date: s.nationalDecisions.date, documentNo: s.nationalDecisions.documentNo })
					.from(s.nationalDecisions)
					.where(inArray(s.nationalDecisions.applicationId, rows.map((r) => r.id)))
					.all()
					.map(({ id, ...d }) => [id, d])
			: []
	);
	const applications: HistoryApplication[] = [];
	for (const [batchId, list] of byBatch) {
		const batch = batchById(db, batchId);
		if (!batch) continue;
		const results = new Map<string, ApplicationResult>();
		for (const g of computeResults({ db, batch }).results.groups) for (const a of g.applications) results.set(a.id, a);
		for (const r of list) {
			const res = results.get(r.id);
			const d = produced.get(r.id);
			applications.push({
				id: r.id,
				shownId: externalId(r.id, batchId),
				batchId,
				batchName: batch.name,
				batchArchived: !!batch.archivedAt,
				occupation: r.occupation,
				type: r.type,
				levels: r.levels,
				status: r.status,
				result: res ? { score: res.score, rank: res.rank, n: res.n, proposed: res.proposed, decision: res.decision } : null,
				directory: d ? { validFrom: d.validFrom, validTo: d.validTo, documentNo: d.documentNo } : null,
				national: national.get(r.id) ?? null
			});
		}
	}
	// Newest batch first (by creation), then by id.
	const created = new Map([...byBatch.keys()].map((id) => [id, batchById(db, id)?.createdAt ?? '']));
	applications.sort((a, b) => (created.get(b.batchId) ?? '').localeCompare(created.get(a.batchId) ?? '') || a.id.localeCompare(b.id));

	return {
		applications,
		directory: entries.map(({ e, batchName }) => ({
			id: e.id,
			occupation: e.occupation,
			type: e.type,
			levels: e.levels,
			validFrom: e.validFrom,
			validTo: e.validTo,
			documentNo: e.documentNo,
			batchName,
			validity: validityOn(e, day)
		}))
	};
}
