/**
 * The office's rubric editor (评分细则) and the scoring deadline. A rubric is editable until it is
 * frozen: `rubrics.frozen_at` is set when the first sheet on it is submitted, and a rubric that has
 * (or had) a submitted sheet counts as frozen even without the stamp (imported bundles). A frozen
 * rubric never changes; "新建版本" copies it into version + 1, which `currentRubric` hands to the
 * sheets not started yet. Every change is one transaction with its audit entry.
 */
import { Refusal } from '../refusal';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import * as z from 'zod';
import type { Db } from '../db';
import * as s from '../db/schema';
import { audit, type Actor } from '../audit';
import { batchById, externalId, requirePhase, type BatchScope } from '../scope';
import { canChangeScores, canWrite } from '../../domain/phases';
import { currentRubric, rubricById } from './scoring';
import { isHalfStep, rubricProblems, rubricTotal } from '../../domain/rubric';
import type { Criterion, Rubric } from '../../domain/bundle';

export type RubricType = 'training' | 'evaluation';
export const RUBRIC_TYPES: RubricType[] = ['training', 'evaluation'];

export class RubricError extends Refusal {
	constructor(
		status: 400 | 404 | 409,
		message: string,
		/** Field → message, e.g. `criteria.2.maxPoints`; `criteria` for the rubric as a whole. */
		errors: Record<string, string> = {}
	) {
		super(message, status, errors);
	}
}

export type RubricVersion = {
	id: string;
	type: RubricType;
	version: number;
	frozen: boolean;
	frozenAt: string | null;
	createdAt: string;
	criteria: Criterion[];
	total: number;
	sheets: { draft: number; submitted: number };
};

export type RubricOverview = {
	type: RubricType;
	/** The version new sheets get (the highest). */
	current: RubricVersion;
	/** Every version of the type, newest first (the current one included). */
	versions: RubricVersion[];
};

/**
 * Frozen: stamped by a submission, or with a submitted sheet on it, or with a sheet whose submitted
 * scores were kept in sheet_history (returned for re-scoring).
 */
export function isRubricFrozen(db: Db, rubricId: string): boolean {
	const row = db.select({ frozenAt: s.rubrics.frozenAt }).from(s.rubrics).where(eq(s.rubrics.id, rubricId)).get();
	if (!row) return false;
	if (row.frozenAt) return true;
	const submitted = db
		.select({ id: s.sheets.id })
		.from(s.sheets)
		.where(and(eq(s.sheets.rubricId, rubricId), eq(s.sheets.status, 'submitted')))
		.get();
	if (submitted) return true;
	const history = db
		.select({ id: s.sheetHistory.id })
		.from(s.sheetHistory)
		.innerJoin(s.sheets, eq(s.sheetHistory.sheetId, s.sheets.id))
		.where(eq(s.sheets.rubricId, rubricId))
		.get();
	return !!history;
}

function versionInfo(db: Db, row: typeof s.rubrics.$inferSelect): RubricVersion {
	const rubric = rubricById(db, row.id)!;
	const counts = db
		.select({ status: s.sheets.status, n: sql<number>`count(*)` })
		.from(s.sheets)
		.where(eq(s.sheets.rubricId, row.id))
		.groupBy(s.sheets.status)
		.all();
	return {
		id: row.id,
		type: row.type,
		version: row.version,
		frozen: isRubricFrozen(db, row.id),
		frozenAt: row.frozenAt,
		createdAt: row.createdAt,
		criteria: rubric.criteria,
		total: rubricTotal(rubric),
		sheets: {
			draft: counts.find((c) => c.status === 'draft')?.n ?? 0,
			submitted: counts.find((c) => c.status === 'submitted')?.n ?? 0
		}
	};
}

/** Both types' rubrics (the defaults are created on first use, as for the experts). */
export function rubricOverview(scope: BatchScope): RubricOverview[] {
	const { db, batch } = scope;
	return RUBRIC_TYPES.map((type) => {
		const current = currentRubric(scope, type);
		const rows = db
			.select()
			.from(s.rubrics)
			.where(and(eq(s.rubrics.batchId, batch.id), eq(s.rubrics.type, type)))
			.orderBy(desc(s.rubrics.version), desc(sql`rowid`))
			.all();
		const versions = rows.map((r) => versionInfo(db, r));
		return { type, current: versions.find((v) => v.id === current.id)!, versions };
	});
}

/* ---------------------------------------------------------------- editing */

export const CRITERION_ID = /^[a-z][a-z0-9-]{0,39}$/;
export const MAX_CRITERIA = 20;

/** One criterion as the editor sends it (strings from a form are accepted for maxPoints). */
/** `objective`: the criterion is scored from the form's own figures (a ticked box sends “on”). */
export type CriterionInput = { id: string; name: string; maxPoints: number | string; guidance: string; objective?: boolean | string | null };

const criterionSchema = z.object({
	id: z.string().trim().regex(CRITERION_ID, { message: '编号只能含小写字母、数字和连字符，以字母开头，不超过40个字符' }),
	name: z.string().trim().min(1, { message: '请填写评分项名称' }).max(40, { message: '评分项名称不能超过40个字' }),
	maxPoints: z.number({ message: '满分应为数字' }),
	guidance: z.string().trim().max(1000, { message: '评分要点不能超过1000字' })
});

function toNumber(v: number | string): number {
	if (typeof v === 'number') return v;
	const t = v.normalize('NFKC').trim().replace(/[，,]/g, '.');
	return t === '' || !/^-?\d+(\.\d+)?$/.test(t) ? NaN : Number(t);
}

/**
 * Checks an edited list of criteria; returns them clean or throws RubricError with every problem
 * keyed by field (`criteria.<i>.<field>`, `criteria` for the sum and duplicates).
 */
export function validateCriteria(input: CriterionInput[]): Criterion[] {
	const errors: Record<string, string> = {};
	if (input.length === 0) errors['criteria'] = '至少需要一个评分项';
	if (input.length > MAX_CRITERIA) errors['criteria'] = `评分项不能超过${MAX_CRITERIA}个`;
	const out: Criterion[] = [];
	input.forEach((c, i) => {
		const n = i + 1;
		const parsed = criterionSchema.safeParse({ ...c, maxPoints: toNumber(c.maxPoints) });
		if (!parsed.success) {
			for (const issue of parsed.error.issues) {
				const key = `criteria.${i}.${String(issue.path[0])}`;
				if (!errors[key]) errors[key] = `第${n}项：${issue.message}`;
			}
			return;
		}
		const v = parsed.data;
		if (!(v.maxPoints > 0) || !isHalfStep(v.maxPoints)) {
			errors[`criteria.${i}.maxPoints`] = `第${n}项：满分应大于0且为0.5的整数倍`;
			return;
		}
		const objective = c.objective === true || c.objective === 'on' || c.objective === 'true';
		out.push({ id: v.id, name: v.name, maxPoints: v.maxPoints, guidance: v.guidance, ...(objective ? { objective: true as const } : {}) });
	});
	const ids = input.map((c) => c.id.trim());
	ids.forEach((id, i) => {
		if (id && ids.indexOf(id) !== i && !errors[`criteria.${i}.id`]) errors[`criteria.${i}.id`] = `第${i + 1}项：编号“${id}”与前面的评分项重复`;
	});
	if (Object.keys(errors).length === 0) {
		const problems = rubricProblems({ id: 'x', type: 'training', criteria: out });
		if (problems.length) errors['criteria'] = problems.join('；');
	}
	if (Object.keys(errors).length) throw new RubricError(400, Object.values(errors)[0], errors);
	return out;
}

const same = (a: Criterion[], b: Criterion[]) =>
	a.length === b.length &&
	a.every(
		(c, i) =>
			c.id === b[i].id && c.name === b[i].name && c.maxPoints === b[i].maxPoints && (c.guidance ?? '') === (b[i].guidance ?? '') && !!c.objective === !!b[i].objective
	);

export type UpdateResult = { rubric: Rubric; changed: boolean; draftsTouched: number };

/**
 * Replaces the criteria of a rubric that is not frozen. Draft points on criteria that were
 * removed are dropped and those drafts get a new version (an open scoring page then reloads
 * instead of saving over it); points above a lowered maximum stay and are shown as errors to the
 * expert, never changed silently.
 */
export function updateRubric(db: Db, rubricId: string, input: CriterionInput[], actor: Actor): UpdateResult {
	const criteria = validateCriteria(input);
	return db.transaction((tx) => {
		const row = tx.select().from(s.rubrics).where(eq(s.rubrics.id, rubricId)).get();
		if (!row) throw new RubricError(404, '没有找到该评分细则');
		requirePhase(tx, { batch: batchById(tx, row.batchId)! }, canChangeScores, '评审结果已锁定，不能修改评分细则');
		if (isRubricFrozen(tx as unknown as Db, rubricId)) {
			throw new RubricError(409, '该评分细则已有提交的评分表，已冻结，不能修改；请新建版本');
		}
		const latest = tx
			.select({ id: s.rubrics.id })
			.from(s.rubrics)
			.where(and(eq(s.rubrics.batchId, row.batchId), eq(s.rubrics.type, row.type)))
			.orderBy(desc(s.rubrics.version), desc(sql`rowid`))
			.get();
		if (latest?.id !== rubricId) throw new RubricError(409, '只能修改当前版本的评分细则');
		const before = rubricById(tx as unknown as Db, rubricId)!;
		if (same(before.criteria, criteria)) return { rubric: before, changed: false, draftsTouched: 0 };

		tx.delete(s.criteria).where(eq(s.criteria.rubricId, rubricId)).run();
		criteria.forEach((c, position) =>
			tx.insert(s.criteria).values({ rubricId, id: c.id, position, name: c.name, maxPoints: c.maxPoints, guidance: c.guidance || null, objective: c.objective === true }).run()
		);
		const removed = before.criteria.map((c) => c.id).filter((id) => !criteria.some((c) => c.id === id));
		let draftsTouched = 0;
		if (removed.length) {
			const drafts = tx.select({ id: s.sheets.id, version: s.sheets.version }).from(s.sheets).where(eq(s.sheets.rubricId, rubricId)).all();
			const now = new Date().toISOString();
			for (const d of drafts) {
				const dropped = tx
					.delete(s.sheetPoints)
					.where(and(eq(s.sheetPoints.sheetId, d.id), inArray(s.sheetPoints.criterionId, removed)))
					.run().changes;
				if (dropped > 0) {
					tx.update(s.sheets).set({ version: d.version + 1, updatedAt: now }).where(eq(s.sheets.id, d.id)).run();
					draftsTouched++;
				}
			}
		}
		audit(tx, actor, 'rubric.update', 'rubric', rubricId, {
			type: row.type,
			version: row.version,
			criteria: criteria.map((c) => `${c.id}:${c.maxPoints}`),
			objective: criteria.filter((c) => c.objective).map((c) => c.id),
			removed,
			draftsTouched
		});
		return { rubric: rubricById(tx as unknown as Db, rubricId)!, changed: true, draftsTouched };
	});
}

/** `rub-training` → `rub-training-v2`; `rub-training-v2` → `rub-training-v3`; a taken id gets `-2`, `-3` … */
export function nextRubricId(currentId: string, version: number, taken: (id: string) => boolean): string {
	const base = currentId.replace(/-v\d+$/, '');
	const first = `${base}-v${version}`;
	if (!taken(first)) return first;
	for (let n = 2; ; n++) if (!taken(`${first}-${n}`)) return `${first}-${n}`;
}

/**
 * Copies the current (frozen) rubric of a type into version + 1: sheets not started yet get it;
 * sheets already started keep theirs. Refused while the current version is still editable.
 */
export function createRubricVersion(scope: BatchScope, type: RubricType, actor: Actor): Rubric {
	if (!RUBRIC_TYPES.includes(type)) throw new RubricError(400, '申报类型无效', { type: '申报类型无效' });
	const { db } = scope;
	const current = currentRubric(scope, type);
	return db.transaction((tx) => {
		requirePhase(tx, scope, canChangeScores, '评审结果已锁定，不能新建评分细则版本');
		const row = tx.select().from(s.rubrics).where(eq(s.rubrics.id, current.id)).get()!;
		const latest = tx
			.select({ id: s.rubrics.id })
			.from(s.rubrics)
			.where(and(eq(s.rubrics.batchId, row.batchId), eq(s.rubrics.type, type)))
			.orderBy(desc(s.rubrics.version), desc(sql`rowid`))
			.get();
		if (latest?.id !== row.id) throw new RubricError(409, '评分细则已有更新的版本，请刷新页面');
		if (!isRubricFrozen(tx as unknown as Db, row.id)) throw new RubricError(409, '当前版本尚未冻结，可以直接修改，无需新建版本');
		const version = row.version + 1;
		// Numbered from the id the bundle gave; neither it nor its batch-suffixed form may be taken.
		const taken = (x: string) => !!tx.select({ id: s.rubrics.id }).from(s.rubrics).where(eq(s.rubrics.id, x)).get();
		const id = nextRubricId(externalId(row.id, row.batchId), version, (x) => taken(x) || taken(`${x}@${row.batchId}`));
		tx.insert(s.rubrics).values({ id, batchId: row.batchId, type, version }).run();
		const crit = tx.select().from(s.criteria).where(eq(s.criteria.rubricId, row.id)).orderBy(asc(s.criteria.position)).all();
		for (const c of crit) tx.insert(s.criteria).values({ ...c, rubricId: id }).run();
		audit(tx, actor, 'rubric.version', 'rubric', id, { type, from: row.id, version });
		return rubricById(tx as unknown as Db, id)!;
	});
}

/* ---------------------------------------------------------------- deadline */

/** A real calendar date `YYYY-MM-DD`, or '' / null to clear. */
export function parseDeadline(value: string | null | undefined): string | null {
	const t = (value ?? '').trim();
	if (t === '') return null;
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
	const d = m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : null;
	if (!m || !d || d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3] || +m[1] < 2000 || +m[1] > 2100) {
		throw new RubricError(400, '评分截止日期应为有效日期，格式如 2023-07-10', { scoringDeadline: '评分截止日期应为有效日期，格式如 2023-07-10' });
	}
	return t;
}

/** Sets (or clears) the date by which experts should submit their sheets; shown on the expert home. */
export function setScoringDeadline(scope: BatchScope, value: string | null, actor: Actor): string | null {
	const deadline = parseDeadline(value);
	scope.db.transaction((tx) => {
		requirePhase(tx, scope, canWrite, '');
		const batch = batchById(tx, scope.batch.id)!;
		if ((batch.scoringDeadline ?? null) === deadline) return;
		tx.update(s.batches).set({ scoringDeadline: deadline }).where(eq(s.batches.id, batch.id)).run();
		audit(tx, actor, 'batch.scoring-deadline', 'batch', batch.id, { scoringDeadline: deadline });
	});
	return deadline;
}
