/**
 * The office's writes on the draw page: draw settings, the draw itself (src/lib/server/services/
 * assignment.ts runs the engine), replacing an expert by the next alternate, assigning or
 * unassigning by hand with a reason, and publishing the roster to the experts. Every change is
 * audited; a refused request writes nothing.
 */
import { Refusal } from '../refusal';
import { and, eq, gt, sql } from 'drizzle-orm';
import * as z from 'zod';
import type { Db } from '../db';
import * as s from '../db/schema';
import { audit, type Actor } from '../audit';
import { batchById, requirePhase, type BatchScope } from '../scope';
import { canChangeScores, canWrite } from '../../domain/phases';
import { hardConflictCodes } from '../queries/reviews';
import { RECOMMENDED_STATUSES } from './batch-state';
import { replaceExpert, runDraw } from './assignment';
import { conflictLabel, isConflictCode } from '../../domain/conflicts';
import { OCCUPATION_KEYS, occupationShort } from '../../domain/occupations';

export class AssignmentError extends Refusal {
	constructor(
		field: string,
		message: string,
		/** The request may be repeated with `confirm` set (an expert who already submitted a sheet). */
		public needsConfirm = false
	) {
		super(message, 400, { [field]: message });
	}
	/** The field it names (always one). */
	override get field(): string {
		return Object.keys(this.errors)[0];
	}
}

const id = z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,120}$/, { message: '编号格式不正确' });
const reason = z.string().trim().min(2, { message: '请填写理由（至少2个字）' }).max(500, { message: '理由不能超过500个字' });

function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
	const r = schema.safeParse(input);
	if (!r.success) {
		const i = r.error.issues[0];
		throw new AssignmentError(String(i.path[0] ?? 'form'), i.message);
	}
	return r.data;
}

/** Applications of the scope's batch (every assignment of the batch is on one of them). */
const ofBatch = (scope: BatchScope) => sql`${s.assignments.applicationId} IN (SELECT id FROM applications WHERE batch_id = ${scope.batch.id})`;

/* ---------- settings ---------- */

export const drawSettingsInput = z.object({
	perApplication: z.coerce
		.number({ message: '每项专家人数应为整数' })
		.int({ message: '每项专家人数应为整数' })
		.min(1, { message: '每项专家人数至少为1' })
		.max(15, { message: '每项专家人数不能超过15' }),
	maxLoad: z.preprocess(
		(v) => (v === '' || v === null || v === undefined ? null : typeof v === 'string' ? (v.trim() === '' ? null : Number(v.trim())) : v),
		z
			.number({ message: '评审上限应为整数' })
			.int({ message: '评审上限应为整数' })
			.min(1, { message: '评审上限至少为1' })
			.max(200, { message: '评审上限不能超过200' })
			.nullable()
	),
	onePerUnit: z.boolean()
});
export type DrawSettingsInput = { perApplication: string | number; maxLoad: string | number | null; onePerUnit: boolean };

export function saveDrawSettings(scope: BatchScope, input: DrawSettingsInput, actor: Actor): void {
	const v = parse(drawSettingsInput, input);
	const batch = scope.batch;
	scope.db.transaction((tx) => {
		requirePhase(tx, scope, canWrite, '');
		tx.update(s.batches).set({ perApplication: v.perApplication, maxLoad: v.maxLoad, onePerUnit: v.onePerUnit }).where(eq(s.batches.id, batch.id)).run();
		audit(tx, actor, 'assignment.settings', 'batch', batch.id, v);
	});
}

/* ---------- the draw ---------- */

export const drawInput = z.object({
	scope: z.union([z.literal('all'), z.enum(OCCUPATION_KEYS)], { message: '请选择抽取范围' }),
	seed: z
		.string()
		.trim()
		.max(100, { message: '随机种子不能超过100个字符' })
		.regex(/^[\x21-\x7e]*$/, { message: '随机种子只能使用字母、数字和英文符号' })
		.transform((v) => (v === '' ? null : v))
});
export type DrawInput = { scope: string; seed?: string | null };

export type DrawReport = {
	drawId: number;
	seed: string;
	scope: string;
	perApplication: number;
	made: number;
	/** Every application of the scope already had its experts: nothing was added. */
	nothingToFill: boolean;
	unfilled: { applicationId: string; institutionName: string; missing: number; reason: string }[];
	skippedBlocking: string[];
	maxLoad: number;
};

/** Assignments decide whose sheets count: none of them changes while the results are locked. */
function requireUnlocked(scope: BatchScope): void {
	requirePhase(scope.db, scope, canChangeScores, '评审结果已锁定，不能再改变专家分配；请先由省厅重新开放结果');
}

/**
 * Draws for one occupation or the whole batch with the batch's settings; applications with an
 * unresolved blocking finding are left out. The seed (given or generated) is recorded with the draw.
 */
export function drawExperts(scope: BatchScope, input: DrawInput, actor: Actor): DrawReport {
	const { db } = scope;
	const v = parse(drawInput, input);
	requireUnlocked(scope);
	const r = runDraw(scope, { seed: v.seed ?? undefined, occupation: v.scope === 'all' ? null : v.scope, skipBlocking: true }, actor);
	const names = institutionNames(db);
	return {
		drawId: r.drawId,
		seed: r.seed,
		scope: v.scope,
		perApplication: r.perApplication,
		made: r.assignments.length,
		nothingToFill: r.assignments.length === 0 && r.unfilled.length === 0,
		unfilled: r.unfilled.map((u) => ({ applicationId: u.applicationId, institutionName: names.get(u.applicationId) ?? '', missing: u.missing, reason: u.reason })),
		skippedBlocking: r.skippedBlocking,
		maxLoad: r.maxLoad
	};
}

function institutionNames(db: Db): Map<string, string> {
	return new Map(
		db
			.select({ id: s.applications.id, name: s.institutions.name })
			.from(s.applications)
			.innerJoin(s.institutions, eq(s.applications.institutionId, s.institutions.id))
			.all()
			.map((r) => [r.id, r.name])
	);
}

/* ---------- one pair ---------- */

export const pairInput = z.object({ applicationId: id, expertId: id, reason, confirm: z.boolean().default(false) });
export type PairInput = { applicationId: string; expertId: string; reason: string; confirm?: boolean };

function loadPair(scope: BatchScope, applicationId: string, expertId: string) {
	const { db } = scope;
	const app = db
		.select()
		.from(s.applications)
		.where(and(eq(s.applications.id, applicationId), eq(s.applications.batchId, scope.batch.id)))
		.get();
	if (!app) throw new AssignmentError('applicationId', `申报 "${applicationId}" 不存在`);
	const expert = db.select().from(s.experts).where(eq(s.experts.id, expertId)).get();
	if (!expert) throw new AssignmentError('expertId', `专家 "${expertId}" 不存在`);
	const assignment = db
		.select()
		.from(s.assignments)
		.where(and(eq(s.assignments.applicationId, applicationId), eq(s.assignments.expertId, expertId)))
		.get();
	const sheet = db
		.select({ status: s.sheets.status })
		.from(s.sheets)
		.where(and(eq(s.sheets.applicationId, applicationId), eq(s.sheets.expertId, expertId)))
		.get();
	return { app, expert, assignment, submitted: sheet?.status === 'submitted' };
}

const SUBMITTED_WARNING = '该专家已提交此申报的评分表：取消其分配后，该评分表保留备查但不再计入汇总。确认无误请勾选“确认”后重新提交。';

function hardLabels(codes: string[]): string {
	return codes.map((c) => (isConflictCode(c) ? conflictLabel(c) : c)).join('；');
}

/** Current number of assignments of an expert (the whole batch). */
function loadOf(scope: BatchScope, expertId: string): number {
	return scope.db.select({ n: sql<number>`count(*)` }).from(s.assignments).where(and(eq(s.assignments.expertId, expertId), ofBatch(scope))).get()?.n ?? 0;
}

/**
 * Assigns an expert by hand: active, reviewing the application's occupation, not already on it and
 * without a hard conflict (detected, declared or confirmed). The per-expert limit does not apply to
 * a hand assignment; the page shows the load.
 */
export function assignByHand(scope: BatchScope, input: PairInput, actor: Actor): void {
	const { db } = scope;
	const v = parse(pairInput, input);
	requireUnlocked(scope);
	const { app, expert, assignment } = loadPair(scope, v.applicationId, v.expertId);
	if (!RECOMMENDED_STATUSES.includes(app.status)) throw new AssignmentError('applicationId', '该申报不在已推荐或已受理状态，不能分配专家');
	if (!expert.active) throw new AssignmentError('expertId', `专家 ${expert.name} 已停用，不能分配`);
	if (!expert.occupations.includes(app.occupation)) {
		throw new AssignmentError('expertId', `专家 ${expert.name} 不评审“${occupationShort(app.occupation)}”职业`);
	}
	if (assignment) throw new AssignmentError('expertId', `专家 ${expert.name} 已分配到此申报`);
	const hard = hardConflictCodes(db, v.expertId, v.applicationId);
	if (hard.length) throw new AssignmentError('expertId', `专家 ${expert.name} 与此申报须回避（${hardLabels(hard)}），不能分配`);
	db.transaction((tx) => {
		tx.insert(s.assignments).values({ applicationId: v.applicationId, expertId: v.expertId, source: 'manual', reason: v.reason }).run();
		tx.delete(s.alternates).where(and(eq(s.alternates.applicationId, v.applicationId), eq(s.alternates.expertId, v.expertId))).run();
		audit(tx, actor, 'assignment.assign', 'application', v.applicationId, { expertId: v.expertId, reason: v.reason });
	});
}

/** Removes an expert from an application with a reason; a submitted sheet needs `confirm` (it is then no longer counted). */
export function unassignExpert(scope: BatchScope, input: PairInput, actor: Actor): void {
	const { db } = scope;
	const v = parse(pairInput, input);
	requireUnlocked(scope);
	const { expert, assignment, submitted } = loadPair(scope, v.applicationId, v.expertId);
	if (!assignment) throw new AssignmentError('expertId', `专家 ${expert.name} 未分配到此申报`);
	if (submitted && !v.confirm) throw new AssignmentError('confirm', SUBMITTED_WARNING, true);
	db.transaction((tx) => {
		tx.delete(s.assignments).where(and(eq(s.assignments.applicationId, v.applicationId), eq(s.assignments.expertId, v.expertId))).run();
		audit(tx, actor, 'assignment.unassign', 'application', v.applicationId, { expertId: v.expertId, reason: v.reason, submittedSheet: submitted });
	});
}

/**
 * The first alternate of the application (by rank of the last draw) who can still take the seat:
 * active, of the occupation, not on the application, no hard conflict, under the per-expert limit.
 */
export function nextAlternate(scope: BatchScope, applicationId: string): string | null {
	const { db } = scope;
	const app = db.select().from(s.applications).where(eq(s.applications.id, applicationId)).get();
	if (!app) return null;
	const batch = batchById(db, app.batchId);
	const assigned = new Set(
		db.select({ e: s.assignments.expertId }).from(s.assignments).where(eq(s.assignments.applicationId, applicationId)).all().map((r) => r.e)
	);
	const ranked = db.select().from(s.alternates).where(eq(s.alternates.applicationId, applicationId)).orderBy(s.alternates.rank).all();
	for (const alt of ranked) {
		if (assigned.has(alt.expertId)) continue;
		const e = db.select().from(s.experts).where(eq(s.experts.id, alt.expertId)).get();
		if (!e || !e.active || !e.occupations.includes(app.occupation)) continue;
		if (batch?.maxLoad != null && loadOf(scope, e.id) >= batch.maxLoad) continue;
		if (hardConflictCodes(db, e.id, applicationId).length) continue;
		return e.id;
	}
	return null;
}

/** Replaces an assigned expert by the next usable alternate; returns the new expert's id. */
export function replaceWithAlternate(scope: BatchScope, input: PairInput, actor: Actor): string {
	const v = parse(pairInput, input);
	requireUnlocked(scope);
	const { expert, assignment, submitted } = loadPair(scope, v.applicationId, v.expertId);
	if (!assignment) throw new AssignmentError('expertId', `专家 ${expert.name} 未分配到此申报`);
	if (submitted && !v.confirm) throw new AssignmentError('confirm', SUBMITTED_WARNING, true);
	const next = nextAlternate(scope, v.applicationId);
	if (!next) throw new AssignmentError('expertId', '没有可用的候补专家：请重新抽取该职业（会生成新的候补名单），或手工指定专家');
	return replaceExpert(scope, v.applicationId, v.expertId, v.reason, actor, next);
}

/* ---------- publication ---------- */

/** Assignments made after the last publication (all of them before the first). */
export function unpublishedCount(scope: BatchScope): number {
	const batch = batchById(scope.db, scope.batch.id) ?? scope.batch;
	const at = batch.assignmentsPublishedAt ?? null;
	const where = and(ofBatch(scope), at ? gt(s.assignments.createdAt, at) : undefined);
	return scope.db.select({ n: sql<number>`count(*)` }).from(s.assignments).where(where).get()?.n ?? 0;
}

/**
 * Publishes the roster: every assignment made so far becomes visible to its expert (after the
 * commitment). Refused when there is nothing new to publish.
 */
export function publishAssignments(scope: BatchScope, actor: Actor): { publishedAt: string; assignments: number; newlyPublished: number } {
	const { db } = scope;
	requireUnlocked(scope);
	const batch = batchById(db, scope.batch.id) ?? scope.batch;
	const total = db.select({ n: sql<number>`count(*)` }).from(s.assignments).where(ofBatch(scope)).get()?.n ?? 0;
	if (total === 0) throw new AssignmentError('form', '还没有任何分配，请先抽取专家');
	const fresh = unpublishedCount(scope);
	if (batch.assignmentsPublishedAt && fresh === 0) throw new AssignmentError('form', '自上次发布以来分配没有变化，无需再次发布');
	const publishedAt = new Date().toISOString();
	db.transaction((tx) => {
		tx.update(s.batches).set({ assignmentsPublishedAt: publishedAt }).where(eq(s.batches.id, batch.id)).run();
		audit(tx, actor, 'assignment.publish', 'batch', batch.id, { assignments: total, newlyPublished: fresh, previous: batch.assignmentsPublishedAt });
	});
	return { publishedAt, assignments: total, newlyPublished: fresh };
}
