/**
 * The demo's first batch (辽宁省第一批, 2022): finished and archived, so that the header switches
 * between two batches, the history pages have an earlier batch to show and its results and memo
 * stay browsable. Built from the same generator with its own seed: a selection of its applications
 * (every sheet submitted), a few institutions that apply again in the second batch (same credit
 * code: the same institution), the shared expert pool of the second batch, the draw's roster and
 * the meeting's default decisions; then locked and archived with 2022 dates.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import * as s from '../db/schema';
import { generateDemoBundle } from './generate';
import { importBundle } from '../services/bundle-import';
import { computeResults } from '../services/batch-state';
import { lockResults } from '../services/results';
import { seedFirstBatchRecheck } from './recheck';
import { seedFirstBatchVotes } from './votes';
import { signFirstBatchReports } from './review-reports';
import { seedPublicityDemo } from './publicity';
import { SYSTEM_ACTOR } from '../audit';
import { batchById } from '../scope';
import { seedNationalDemo } from './national';
import type { FullBundle } from '../../domain/bundle';

export const FIRST_BATCH = { id: 'ln-2022-b1', name: '辽宁省第一批' } as const;

/** Institutions of the second batch that had applied in the first (same institution, same credit code). */
const RETURNING = 8;

export function firstBatchBundle(second: FullBundle): FullBundle {
	const b = generateDemoBundle({ seed: 'ln-2022-b1-demo' });
	const rename = (id: string) => `b1-${id}`;
	// Only applications every expert finished: the first batch is closed.
	const submitted = new Set(b.scores.filter((x) => x.status === 'submitted').map((x) => `${x.applicationId}|${x.expertId}`));
	const complete = b.applications.filter((a) => {
		const mine = b.assignments.filter((x) => x.applicationId === a.id);
		return mine.length >= 3 && mine.every((x) => submitted.has(`${x.applicationId}|${x.expertId}`));
	});
	const keep = new Set(complete.slice(0, 30).map((a) => a.id));
	const returning = new Map(second.institutions.slice(0, RETURNING).map((i) => [i.id, i]));
	const instId = (id: string) => (returning.has(id) ? id : rename(id));
	const usedInst = new Set(b.applications.filter((a) => keep.has(a.id)).map((a) => a.institutionId));
	return {
		...b,
		batch: {
			...b.batch,
			id: FIRST_BATCH.id,
			name: FIRST_BATCH.name,
			deadline: '2022-09-30',
			foundedOnOrBefore: '2017-12-31',
			// The first batch chose evaluation institutions for these three (closed in the second).
			closedEvaluationOccupations: []
		},
		institutions: b.institutions.filter((i) => usedInst.has(i.id)).map((i) => returning.get(i.id) ?? { ...i, id: rename(i.id) }),
		applications: b.applications
			.filter((a) => keep.has(a.id))
			.map((a) => ({
				...a,
				id: rename(a.id),
				institutionId: instId(a.institutionId),
				recommendation: a.recommendation ? { ...a.recommendation, date: '2022-09-20' } : a.recommendation
			})),
		// The pool is shared: the second batch's experts are the ones stored.
		experts: [],
		rubrics: b.rubrics.map((r) => ({ ...r, id: `${r.id}-2022` })),
		assignments: b.assignments.filter((x) => keep.has(x.applicationId)).map((x) => ({ ...x, applicationId: rename(x.applicationId) })),
		declarations: [],
		scores: b.scores
			.filter((x) => keep.has(x.applicationId) && x.status === 'submitted')
			.map((x) => ({ ...x, applicationId: rename(x.applicationId), rubricId: `${x.rubricId}-2022` })),
		decisions: []
	};
}

/** Loads the first batch into a database that holds the second batch's demo (its experts). */
export function seedFirstBatch(db: Db, second: FullBundle): void {
	const bundle = firstBatchBundle(second);
	importBundle(db, bundle, SYSTEM_ACTOR);
	const id = FIRST_BATCH.id;
	db.update(s.applications).set({ status: 'accepted' }).where(eq(s.applications.batchId, id)).run();
	db.update(s.batches)
		.set({ createdAt: '2022-08-01T01:00:00.000Z', assignmentsPublishedAt: '2022-10-10T01:00:00.000Z', scoringDeadline: '2022-10-25' })
		.where(eq(s.batches.id, id))
		.run();
	const experts = [...new Set(bundle.assignments.map((a) => a.expertId))];
	for (const e of experts) db.insert(s.commitments).values({ expertId: e, batchId: id, textHash: 'demo', acceptedAt: '2022-10-11T02:00:00.000Z' }).onConflictDoNothing().run();
	// The re-check before the meeting's decisions and the lock: an objective criterion, a corrected paper total, confirmations.
	seedFirstBatchRecheck({ db, batch: batchById(db, id)! });
	// The meeting confirmed the default rule for every application.
	const scope = { db, batch: batchById(db, id)! };
	const { results } = computeResults(scope);
	for (const g of results.groups) {
		for (const a of g.applications) {
			db.insert(s.decisions)
				.values({ applicationId: a.id, decision: a.defaultProposed ? 'proposed' : 'not-proposed', reason: null, at: '2022-11-08T06:00:00.000Z' })
				.run();
		}
	}
	seedFirstBatchVotes(scope); // two closed votes (one departing from the default rule), an opinion for every application
	// Must run last before locking: the signatures' digest covers everything the reports print (the other demo data above).
	signFirstBatchReports({ db, batch: batchById(db, id)! });
	lockResults({ db, batch: batchById(db, id)! }, SYSTEM_ACTOR, { confirmed: true });
	seedPublicityDemo({ db, batch: batchById(db, id)! }); // 公示 2022-11-14 (5 working days, closed), two objections
	// The coordinating group's decisions and the directory entries they produce (demo/national.ts).
	seedNationalDemo({ db, batch: batchById(db, id)! });
	db.update(s.batches).set({ resultsLockedAt: '2022-11-10T02:00:00.000Z', archivedAt: '2023-03-01T02:00:00.000Z' }).where(eq(s.batches.id, id)).run();
}
