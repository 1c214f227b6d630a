/**
 * Batches: several in one database. The office (or the operator's `batch create`) creates a batch,
 * from a previous one (quotas, closed occupations, rubrics and settings copied for editing) or
 * with the notice's defaults, and archives a finished one (read-only, still browsable and
 * exportable). The expert pool, the accounts, the institutions and the audit log are shared.
 */
import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db';
import * as s from '../db/schema';
import { audit, type Actor } from '../audit';
import { batchById, ID_SEPARATOR, listBatches } from '../scope';
import { Refusal } from '../refusal';
import { DEFAULT_BATCH } from '../../domain/bundle';
import { batchPhase, canArchive, PHASE_LABELS, type Phase } from '../../domain/phases';
import { normalizeShort } from '../../domain/normalize';

const text = (v: unknown): string => (typeof v === 'string' ? String(normalizeShort(v)) : '');

export const BATCH_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

export type BatchListing = {
	id: string;
	name: string;
	createdAt: string;
	archived: boolean;
	archivedAt: string | null;
	phase: Phase;
	phaseLabel: string;
	copiedFrom: string | null;
	deadline: string | null;
	applications: number;
	/** The batch the command line and the pages use when none is chosen. */
	isDefault: boolean;
};

/** Every batch in the order they were created, with what a list shows. */
export function batchListing(db: Db): BatchListing[] {
	const counts = new Map(
		db
			.select({ b: s.applications.batchId, n: sql<number>`count(*)` })
			.from(s.applications)
			.groupBy(s.applications.batchId)
			.all()
			.map((r) => [r.b, r.n])
	);
	const rows = listBatches(db).reverse();
	const current = rows.filter((r) => !r.archivedAt).at(-1) ?? rows.at(-1);
	return rows.map((b) => {
		const phase = batchPhase(b);
		return {
			id: b.id,
			name: b.name,
			createdAt: b.createdAt,
			archived: !!b.archivedAt,
			archivedAt: b.archivedAt,
			phase,
			phaseLabel: PHASE_LABELS[phase],
			copiedFrom: b.copiedFrom,
			deadline: b.deadline,
			applications: counts.get(b.id) ?? 0,
			isDefault: b.id === current?.id
		};
	});
}

export type CreateBatchInput = { id: unknown; name: unknown; from?: unknown };

function parseCreate(db: Db, input: CreateBatchInput): { id: string; name: string; from: s.BatchRow | null } {
	const errors: Record<string, string> = {};
	const id = text(input.id);
	const name = text(input.name);
	if (!id) errors.id = '请填写批次编号';
	else if (!BATCH_ID.test(id)) errors.id = '批次编号只能包含字母、数字和 . _ : -，以字母或数字开头，不超过100个字符';
	else if (batchById(db, id)) errors.id = `批次编号 "${id}" 已被使用`;
	if (!name) errors.name = '请填写批次名称';
	else if ([...name].length > 100) errors.name = '批次名称不能超过100个字';
	let from: s.BatchRow | null = null;
	const fromId = typeof input.from === 'string' ? input.from.trim() : '';
	if (fromId) {
		from = batchById(db, fromId) ?? null;
		if (!from) errors.from = `没有批次 "${fromId}"，不能从它复制设置`;
	}
	if (Object.keys(errors).length) throw new Refusal(Object.values(errors)[0], 400, errors);
	return { id, name, from };
}

/**
 * Creates a batch. From another batch: its quotas, closed evaluation occupations, dates, the
 * formal-check and aggregation settings, the draw's options, the fee standard and the rating
 * threshold, and the current version of each rubric (as version 1, editable). Without one: the
 * notice's defaults (the default rubrics are created on first use).
 */
export function createBatch(db: Db, input: CreateBatchInput, actor: Actor): s.BatchRow {
	return db.transaction((t) => {
		const tx = t as unknown as Db;
		const { id, name, from } = parseCreate(tx, input);
		const d = DEFAULT_BATCH;
		const base = from ?? null;
		tx.insert(s.batches)
			.values({
				id,
				name,
				deadline: base ? base.deadline : d.deadline,
				foundedOnOrBefore: base ? base.foundedOnOrBefore : d.foundedOnOrBefore,
				minAnnualScale: base ? base.minAnnualScale : d.minAnnualScale,
				closedEvaluationOccupations: [...(base ? base.closedEvaluationOccupations : d.closedEvaluationOccupations)],
				quotas: structuredClone(base ? base.quotas : d.quotas),
				aggregation: structuredClone(base ? base.aggregation : d.aggregation),
				perApplication: base?.perApplication ?? 5,
				maxLoad: base?.maxLoad ?? null,
				onePerUnit: base?.onePerUnit ?? false,
				minExpertRating: base?.minExpertRating ?? null,
				feeStandard: base?.feeStandard ?? null,
				objectiveTolerance: base?.objectiveTolerance ?? 0,
				copiedFrom: base?.id ?? null,
				createdAt: new Date().toISOString()
			})
			.run();
		const copied: string[] = [];
		if (base) {
			for (const type of ['training', 'evaluation'] as const) {
				const rub = tx
					.select()
					.from(s.rubrics)
					.where(and(eq(s.rubrics.batchId, base.id), eq(s.rubrics.type, type)))
					.orderBy(desc(s.rubrics.version), desc(sql`rowid`))
					.get();
				if (!rub) continue;
				const ext = rub.id.split(ID_SEPARATOR)[0].replace(/-v\d+(-\d+)?$/, '');
				const taken = (x: string) => !!tx.select({ id: s.rubrics.id }).from(s.rubrics).where(eq(s.rubrics.id, x)).get();
				const newId = taken(ext) ? `${ext}${ID_SEPARATOR}${id}` : ext;
				tx.insert(s.rubrics).values({ id: newId, batchId: id, type, version: 1 }).run();
				const crit = tx.select().from(s.criteria).where(eq(s.criteria.rubricId, rub.id)).orderBy(asc(s.criteria.position)).all();
				for (const c of crit) tx.insert(s.criteria).values({ ...c, rubricId: newId }).run();
				copied.push(newId);
			}
		}
		audit(tx, actor, 'batch.create', 'batch', id, { name, from: base?.id ?? null, rubrics: copied });
		return batchById(tx, id)!;
	});
}

/** Archives a batch: read-only from then on. Archiving an archived batch changes nothing. */
export function archiveBatch(db: Db, id: string, actor: Actor): { archived: boolean; already: boolean } {
	return db.transaction((t) => {
		const tx = t as unknown as Db;
		const batch = batchById(tx, id);
		if (!batch) throw new Refusal(`没有批次 "${id}"`, 404, { id: `没有批次 "${id}"` });
		const phase = batchPhase(batch);
		if (!canArchive(phase)) return { archived: true, already: true };
		tx.update(s.batches).set({ archivedAt: new Date().toISOString() }).where(eq(s.batches.id, id)).run();
		audit(tx, actor, 'batch.archive', 'batch', id, { name: batch.name, phase, locked: !!batch.resultsLockedAt });
		return { archived: true, already: false };
	});
}

/** Batches not archived (where new work goes). */
export function openBatches(db: Db): s.BatchRow[] {
	return db.select().from(s.batches).where(isNull(s.batches.archivedAt)).orderBy(desc(s.batches.createdAt)).all();
}
