/**
 * The batch scope: every per-batch query and service takes `{ db, batch }` instead of a bare `Db`
 * (docs/patterns.md §1). The shared things — the expert pool and accounts, the institutions, the
 * audit log — are read with the `db` alone.
 *
 * Which batch: the one a request names (the header's switcher, `--batch ID` on the command line),
 * else the most recently created batch that is not archived (else the most recent one).
 */
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from './db';
import * as s from './db/schema';
import { batchPhase, PHASE_LABELS, type Phase } from '../domain/phases';
import { Refusal } from './refusal';

export type BatchScope = { db: Db; batch: s.BatchRow };

type Q = Pick<Db, 'select'>;

export function batchById(db: Q, id: string): s.BatchRow | undefined {
	return db.select().from(s.batches).where(eq(s.batches.id, id)).get();
}

/** Every batch, the newest first. */
export function listBatches(db: Q): s.BatchRow[] {
	return db.select().from(s.batches).orderBy(desc(s.batches.createdAt), desc(sql`rowid`)).all();
}

/** The most recently created batch that is not archived; when all are archived, the newest. */
export function defaultBatchRow(db: Q): s.BatchRow | undefined {
	return (
		db.select().from(s.batches).where(isNull(s.batches.archivedAt)).orderBy(desc(s.batches.createdAt), desc(sql`rowid`)).limit(1).get() ??
		db.select().from(s.batches).orderBy(desc(s.batches.createdAt), desc(sql`rowid`)).limit(1).get()
	);
}

/**
 * The scope of the named batch (refused with 404 when there is none), or of the default batch.
 * With no batch at all in the database the scope's batch is undefined: callers that need one
 * refuse (`requireBatch`).
 */
export function scopeOf(db: Db, id?: string | null): { db: Db; batch: s.BatchRow | undefined } {
	if (id) {
		const batch = batchById(db, id);
		if (!batch) throw new Refusal(`没有批次 ${id}`, 404, { batch: `没有批次 ${id}` });
		return { db, batch };
	}
	return { db, batch: defaultBatchRow(db) };
}

/** The scope of the named or default batch; refused when the database holds no batch. */
export function requireScope(db: Db, id?: string | null): BatchScope {
	const scope = scopeOf(db, id);
	if (!scope.batch) throw new Refusal('数据库中还没有评审批次：请先导入批次数据或新建批次', 404);
	return scope as BatchScope;
}

/** The same scope with the batch row read again (inside a transaction, after a write). */
export function freshScope(scope: BatchScope, db: Db = scope.db): BatchScope {
	const batch = batchById(db, scope.batch.id);
	if (!batch) throw new Refusal(`没有批次 ${scope.batch.id}`, 404);
	return { db, batch };
}

export function phaseOf(scope: { batch: s.BatchRow }): Phase {
	return batchPhase(scope.batch);
}

/**
 * Refuses unless the batch's phase allows the write (`canChangeScores`, `canWrite`, …). The batch
 * row is read again on `tx`, so a lock or an archive by another request in between counts.
 * An archived batch always answers that it is archived.
 */
export function requirePhase(tx: Pick<Db, 'select'>, scope: { batch: s.BatchRow }, allowed: (p: Phase) => boolean, message: string): Phase {
	const row = batchById(tx, scope.batch.id) ?? scope.batch;
	const phase = batchPhase(row);
	if (allowed(phase)) return phase;
	if (phase === 'archived') throw new Refusal(`批次「${row.name}」已归档，只能查看和导出，不能修改`, 409);
	throw new Refusal(message, 409);
}

export function phaseLabel(scope: { batch: s.BatchRow }): string {
	return PHASE_LABELS[phaseOf(scope)];
}

/*
 * Ids across batches. Applications and rubrics belong to a batch, but bundles of different batches
 * may reuse the same ids (`app-1`, `rub-training`). The first batch to use an id stores it as it
 * is; a later batch that brings the same id stores it as `id@batch`. Everything a person or a
 * script reads (the bundle, the command line's JSON) shows the id as the bundle gave it.
 */
export const ID_SEPARATOR = '@';

/** The id as its bundle gave it. */
export function externalId(id: string, batchId: string): string {
	const suffix = `${ID_SEPARATOR}${batchId}`;
	return id.endsWith(suffix) ? id.slice(0, -suffix.length) : id;
}

/** The stored id of a batch's own object named `ext` by a bundle: `ext` unless another batch holds it. */
export function storedId(ext: string, batchId: string, heldBy: (id: string) => string | undefined): string {
	const owner = heldBy(ext);
	if (owner === undefined || owner === batchId) return ext;
	const alt = `${ext}${ID_SEPARATOR}${batchId}`;
	return alt;
}

/** The batch that holds application `id` (undefined when none). */
export function applicationBatch(db: Q, id: string): string | undefined {
	return db.select({ b: s.applications.batchId }).from(s.applications).where(eq(s.applications.id, id)).get()?.b;
}

export function rubricBatch(db: Q, id: string): string | undefined {
	return db.select({ b: s.rubrics.batchId }).from(s.rubrics).where(eq(s.rubrics.id, id)).get()?.b;
}

/** Whether application `id` belongs to the scope's batch. */
export function inBatch(scope: { db: Q; batch: s.BatchRow }, applicationId: string): boolean {
	return !!scope.db
		.select({ id: s.applications.id })
		.from(s.applications)
		.where(and(eq(s.applications.id, applicationId), eq(s.applications.batchId, scope.batch.id)))
		.get();
}
