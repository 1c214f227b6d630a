/** The expert's side: their assignments, the relation to one application, the commitment. */
import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { prepared } from '../db/prepared';
import { cacheClient, generation } from '../db/generations';
import * as s from '../db/schema';
import { loadApplicationById, loadInstitutions, expertFromRow } from './bundle';
import { requirePhase, type BatchScope } from '../scope';
import { canWrite } from '../../domain/phases';
import { detectPair } from '../../domain/conflicts';
import { commitmentText } from '../../domain/commitment';
import type { ExpertRelation } from '../../domain/permissions';
import { audit, type Actor } from '../audit';
import { opener, phoneMatchKey } from '../personal-data';

export function commitmentHash(): string {
	return createHash('sha256').update(commitmentText()).digest('hex');
}

export function hasCommitted(db: Db, expertId: string, batch: Pick<s.BatchRow, 'id'> | null | undefined): boolean {
	if (!batch) return false;
	return !!prepared(db, 'reviews.commitment', (d) =>
		d
			.select({ expertId: s.commitments.expertId })
			.from(s.commitments)
			.where(and(eq(s.commitments.expertId, sql.placeholder('expertId')), eq(s.commitments.batchId, sql.placeholder('batchId'))))
			.prepare()
	).get({ expertId, batchId: batch.id });
}

export function acceptCommitment(scope: BatchScope, expertId: string, actor: Actor): void {
	const { db, batch } = scope;
	db.transaction((tx) => {
		requirePhase(tx, scope, canWrite, '');
		tx.insert(s.commitments).values({ expertId, batchId: batch.id, textHash: commitmentHash() }).onConflictDoNothing().run();
		audit(tx, actor, 'expert.commitment', 'expert', expertId, { batchId: batch.id });
	});
}

/** Hard conflict codes per pair, per connection, against the intake counter (all their inputs are intake tables). */
const pairCache = new WeakMap<object, { n: number; codes: Map<string, string[]> }>();

/** Hard conflicts between one expert and one application: detected, declared, or confirmed by the office. */
export function hardConflictCodes(db: Db, expertId: string, applicationId: string): string[] {
	const client = cacheClient(db);
	const n = client ? generation(db, 'intake') : null;
	if (!client || n === null) return pairConflictCodes(db, expertId, applicationId);
	let cache = pairCache.get(client);
	if (!cache || cache.n !== n) pairCache.set(client, (cache = { n, codes: new Map() }));
	const key = `${applicationId}|${expertId}`;
	let codes = cache.codes.get(key);
	if (!codes) cache.codes.set(key, (codes = pairConflictCodes(db, expertId, applicationId)));
	return [...codes];
}

function pairConflictCodes(db: Db, expertId: string, applicationId: string): string[] {
	const expertRow = prepared(db, 'reviews.expert', (d) => d.select().from(s.experts).where(eq(s.experts.id, sql.placeholder('id'))).prepare()).get({ id: expertId });
	const found = loadApplicationById(db, applicationId);
	if (!expertRow || !found) return [];
	const institution = loadInstitutions(db, new Set([found.app.institutionId]))[0];
	const pair = { expertId, applicationId };
	const declarations = prepared(db, 'reviews.declarations', (d) =>
		d
			.select()
			.from(s.declarations)
			.where(and(eq(s.declarations.expertId, sql.placeholder('expertId')), eq(s.declarations.applicationId, sql.placeholder('applicationId'))))
			.prepare()
	).all(pair);
	const reviews = prepared(db, 'reviews.conflictReviews', (d) =>
		d
			.select()
			.from(s.conflictReviews)
			.where(and(eq(s.conflictReviews.expertId, sql.placeholder('expertId')), eq(s.conflictReviews.applicationId, sql.placeholder('applicationId'))))
			.prepare()
	).all(pair);
	const confirmed = new Set(reviews.filter((r) => r.decision === 'confirmed').map((r) => r.code));
	return detectPair(expertFromRow(expertRow, opener(db)), found.app, institution, declarations, phoneMatchKey(db))
		.filter((c) => c.hard || confirmed.has(c.code))
		.map((c) => c.code);
}

/**
 * An assignment is published when the office has published after it was made: assignments drawn,
 * replaced or added by hand after the last publication stay hidden from the expert until the next.
 */
export function isPublished(assignmentCreatedAt: string, publishedAt: string | null | undefined): boolean {
	return !!publishedAt && assignmentCreatedAt <= publishedAt;
}

/** The batch an application belongs to (its roster, publication and commitment). */
function applicationBatchRow(db: Db, applicationId: string): s.BatchRow | undefined {
	return prepared(db, 'reviews.applicationBatch', (d) =>
		d
			.select({ batch: s.batches })
			.from(s.applications)
			.innerJoin(s.batches, eq(s.batches.id, s.applications.batchId))
			.where(eq(s.applications.id, sql.placeholder('id')))
			.prepare()
	).get({ id: applicationId })?.batch;
}

export function expertRelation(db: Db, expertId: string, applicationId: string): ExpertRelation {
	const batch = applicationBatchRow(db, applicationId);
	const row = prepared(db, 'reviews.assignment', (d) =>
		d
			.select({ createdAt: s.assignments.createdAt })
			.from(s.assignments)
			.where(and(eq(s.assignments.expertId, sql.placeholder('expertId')), eq(s.assignments.applicationId, sql.placeholder('applicationId'))))
			.prepare()
	).get({ expertId, applicationId });
	const assigned = !!row;
	return {
		assigned,
		hardConflict: assigned ? hardConflictCodes(db, expertId, applicationId).length > 0 : false,
		published: !!row && isPublished(row.createdAt, batch?.assignmentsPublishedAt),
		committed: hasCommitted(db, expertId, batch)
	};
}

export type ExpertTask = {
	applicationId: string;
	institutionName: string;
	type: 'training' | 'evaluation';
	occupation: string;
	region: string;
	sheetStatus: 'not-started' | 'draft' | 'submitted' | 'returned';
	total: number | null;
	conflict: string[];
};

/** The expert's published assignments, with the state of each sheet; conflicted ones are left out. */
export function expertTasks(scope: BatchScope, expertId: string): { tasks: ExpertTask[]; recused: number } {
	const { db, batch } = scope;
	if (!batch.assignmentsPublishedAt) return { tasks: [], recused: 0 };
	const rows = db
		.select({ applicationId: s.assignments.applicationId, createdAt: s.assignments.createdAt, institutionName: s.institutions.name, app: s.applications })
		.from(s.assignments)
		.innerJoin(s.applications, eq(s.assignments.applicationId, s.applications.id))
		.innerJoin(s.institutions, eq(s.applications.institutionId, s.institutions.id))
		.where(and(eq(s.assignments.expertId, expertId), eq(s.applications.batchId, batch.id)))
		.all()
		.filter((r) => isPublished(r.createdAt, batch.assignmentsPublishedAt));
	const inBatch = new Set(rows.map((r) => r.applicationId));
	const sheetRows = db.select().from(s.sheets).where(eq(s.sheets.expertId, expertId)).all().filter((x) => inBatch.has(x.applicationId));
	const points = new Map<number, number>();
	for (const sh of sheetRows) {
		const pts = db.select().from(s.sheetPoints).where(eq(s.sheetPoints.sheetId, sh.id)).all();
		points.set(sh.id, pts.reduce((a, p) => a + p.points, 0));
	}
	const tasks: ExpertTask[] = [];
	let recused = 0;
	for (const r of rows) {
		const conflict = hardConflictCodes(db, expertId, r.applicationId);
		if (conflict.length) {
			recused++;
			continue;
		}
		const sheet = sheetRows.find((x) => x.applicationId === r.applicationId);
		tasks.push({
			applicationId: r.applicationId,
			institutionName: r.institutionName,
			type: r.app.type,
			occupation: r.app.occupation,
			region: r.app.region,
			sheetStatus: !sheet ? 'not-started' : sheet.status === 'submitted' ? 'submitted' : sheet.returnedReason ? 'returned' : 'draft',
			total: sheet ? (points.get(sheet.id) ?? 0) : null,
			conflict
		});
	}
	tasks.sort((a, b) => a.occupation.localeCompare(b.occupation) || a.institutionName.localeCompare(b.institutionName, 'zh'));
	return { tasks, recused };
}
