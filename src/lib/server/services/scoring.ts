/**
 * Score sheets: autosaved drafts with a version check (two tabs never overwrite each other
 * silently), submission (complete, bounded, 0.5 steps; freezes the rubric), the office's return
 * with a reason (the first scores are kept in sheet_history), and the abnormal-score explanation.
 * Every write is one synchronous SQLite transaction, committed with synchronous = FULL before the
 * answer: an acknowledged save survives a crash and a power loss. Autosaves that arrive together
 * share one commit (saveSheetTogether, db/group-commit.ts).
 */
import { Refusal } from '../refusal';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import * as z from 'zod';
import type { Db } from '../db';
import { prepared } from '../db/prepared';
import { commitTogether } from '../db/group-commit';
import * as s from '../db/schema';
import { audit, type Actor } from '../audit';
import { batchPhase, canChangeScores } from '../../domain/phases';
import { ID_SEPARATOR, type BatchScope } from '../scope';
import { defaultRubric, pointsProblems } from '../../domain/rubric';
import type { Rubric } from '../../domain/bundle';
import { meanOf } from '../../domain/aggregation';

export class ScoringError extends Refusal {
	constructor(
		status: 400 | 403 | 404 | 409,
		message: string,
		field: string | null = null,
		public details: { criterionId: string; message: string }[] = [],
		/** 'locked': the office has locked the results (the page shows 已锁定, not a conflict). */
		public code: 'locked' | null = null
	) {
		super(message, status, field ? { [field]: message } : {});
	}
}

type Tx = Db;

/** The current rubric of a type: the latest version in the batch; the default one is created on first use. */
export function currentRubric({ db, batch }: { db: Db; batch: s.BatchRow }, type: 'training' | 'evaluation'): Rubric {
	let row = prepared(db, 'scoring.currentRubric', (d) =>
		d
			.select()
			.from(s.rubrics)
			.where(and(eq(s.rubrics.batchId, sql.placeholder('batchId')), eq(s.rubrics.type, sql.placeholder('type'))))
			.orderBy(desc(s.rubrics.version), desc(sql`rowid`))
			.prepare()
	).get({ batchId: batch.id, type });
	if (!row) {
		const def = defaultRubric(type);
		db.transaction((tx) => {
			const id = tx.select().from(s.rubrics).where(eq(s.rubrics.id, def.id)).get() ? `${def.id}${ID_SEPARATOR}${batch.id}` : def.id;
			tx.insert(s.rubrics).values({ id, batchId: batch.id, type }).run();
			def.criteria.forEach((c, position) =>
				tx.insert(s.criteria).values({ rubricId: id, id: c.id, position, name: c.name, maxPoints: c.maxPoints, guidance: c.guidance }).run()
			);
		});
		row = db.select().from(s.rubrics).where(and(eq(s.rubrics.batchId, batch.id), eq(s.rubrics.type, type))).get()!;
	}
	return rubricById(db, row.id)!;
}

export function rubricById(db: Db, id: string): Rubric | null {
	const row = prepared(db, 'scoring.rubric', (d) => d.select().from(s.rubrics).where(eq(s.rubrics.id, sql.placeholder('id'))).prepare()).get({ id });
	if (!row) return null;
	const crit = prepared(db, 'scoring.criteria', (d) =>
		d.select().from(s.criteria).where(eq(s.criteria.rubricId, sql.placeholder('id'))).orderBy(asc(s.criteria.position)).prepare()
	).all({ id });
	return { id, type: row.type, criteria: crit.map((c) => ({ id: c.id, name: c.name, maxPoints: c.maxPoints, guidance: c.guidance, ...(c.objective ? { objective: true as const } : {}) })) };
}

export type SheetView = {
	id: number | null;
	applicationId: string;
	expertId: string;
	rubric: Rubric;
	status: 'draft' | 'submitted';
	points: Record<string, number>;
	comments: Record<string, string>;
	comment: string;
	explanation: string;
	returnedReason: string | null;
	version: number;
	updatedAt: string | null;
	submittedAt: string | null;
	total: number;
	/** Set when every sheet of the application is in and this one deviates by more than deviationPct. */
	abnormal: { mean: number; deviationPct: number } | null;
	/** The office has locked the results: the sheet can no longer be changed. */
	locked: boolean;
};

/*
 * The queries of every save and of the scoring page, prepared once per connection (see
 * db/prepared.ts): autosave runs them for every change of every expert.
 */
const applicationType = (db: Db, id: string) =>
	prepared(db, 'scoring.applicationType', (d) =>
		d.select({ type: s.applications.type, batchId: s.applications.batchId }).from(s.applications).where(eq(s.applications.id, sql.placeholder('id'))).prepare()
	).get({ id });

const batchRow = (db: Db, id: string) =>
	prepared(db, 'scoring.batch', (d) => d.select().from(s.batches).where(eq(s.batches.id, sql.placeholder('id'))).prepare()).get({ id })!;

/** The scope of an application's own batch (a sheet is scored, returned and explained in it). */
export function applicationScope(db: Db, applicationId: string): (BatchScope & { type: 'training' | 'evaluation' }) | null {
	const app = applicationType(db, applicationId);
	return app ? { db, batch: batchRow(db, app.batchId), type: app.type } : null;
}

/** Scores of the batch can no longer change: locked (已锁定) or archived. */
function frozen(batch: s.BatchRow): boolean {
	return !canChangeScores(batchPhase(batch));
}

function refuseFrozen(batch: s.BatchRow, message: string): void {
	if (!frozen(batch)) return;
	if (batch.archivedAt) throw new ScoringError(409, `批次「${batch.name}」已归档，只能查看，不能修改评分`, null, [], 'locked');
	throw new ScoringError(409, message, null, [], 'locked');
}

const sheetRow = (db: Db, applicationId: string, expertId: string) =>
	prepared(db, 'scoring.sheet', (d) =>
		d
			.select()
			.from(s.sheets)
			.where(and(eq(s.sheets.applicationId, sql.placeholder('applicationId')), eq(s.sheets.expertId, sql.placeholder('expertId'))))
			.prepare()
	).get({ applicationId, expertId });

const sheetPointRows = (db: Db, sheetId: number) =>
	prepared(db, 'scoring.points', (d) =>
		d.select().from(s.sheetPoints).where(eq(s.sheetPoints.sheetId, sql.placeholder('sheetId'))).orderBy(asc(s.sheetPoints.position)).prepare()
	).all({ sheetId });

export function getSheet(db: Db, applicationId: string, expertId: string): SheetView {
	const app = applicationScope(db, applicationId);
	if (!app) throw new ScoringError(404, '没有找到该申报');
	const row = sheetRow(db, applicationId, expertId);
	const rubric = row ? rubricById(db, row.rubricId)! : currentRubric(app, app.type);
	const pts = row ? sheetPointRows(db, row.id) : [];
	const points = Object.fromEntries(pts.map((p) => [p.criterionId, p.points]));
	const comments = Object.fromEntries(pts.filter((p) => p.comment).map((p) => [p.criterionId, p.comment!]));
	return {
		id: row?.id ?? null,
		applicationId,
		expertId,
		rubric,
		status: row?.status ?? 'draft',
		points,
		comments,
		comment: row?.comment ?? '',
		explanation: row?.explanation ?? '',
		returnedReason: row?.returnedReason ?? null,
		version: row?.version ?? 0,
		updatedAt: row?.updatedAt ?? null,
		submittedAt: row?.submittedAt ?? null,
		total: pts.reduce((a, p) => a + p.points, 0),
		abnormal: row?.status === 'submitted' ? abnormality(db, applicationId, expertId) : null,
		locked: frozen(app.batch)
	};
}

/** What an expert sends when saving. Points may be missing (a draft), never out of bounds. */
export const sheetInput = z.strictObject({
	version: z.number().int().min(0),
	points: z.record(z.string().max(100), z.number().nullable()),
	comments: z.record(z.string().max(100), z.string().max(2000, { message: '每项评语不能超过2000字' })).default({}),
	comment: z.string().max(5000, { message: '总体意见不能超过5000字' }).default(''),
	explanation: z.string().max(5000, { message: '说明不能超过5000字' }).optional()
});
export type SheetInput = z.infer<typeof sheetInput>;

function checkPoints(rubric: Rubric, points: Record<string, number | null>, complete: boolean) {
	const clean = Object.fromEntries(Object.entries(points).filter(([, v]) => v !== null)) as Record<string, number>;
	const problems = pointsProblems(rubric, clean, { complete });
	if (problems.length) throw new ScoringError(400, problems[0].message, `points.${problems[0].criterionId}`, problems);
	for (const k of Object.keys(points)) if (!rubric.criteria.some((c) => c.id === k)) throw new ScoringError(400, `未知的评分项“${k}”`, `points.${k}`);
	return clean;
}

function writePoints(tx: Tx, sheetId: number, rubric: Rubric, points: Record<string, number>, comments: Record<string, string>) {
	prepared(tx, 'scoring.deletePoints', (d) => d.delete(s.sheetPoints).where(eq(s.sheetPoints.sheetId, sql.placeholder('sheetId'))).prepare()).run({
		sheetId
	});
	// A prepared insert run once per row, in criteria order: autosave runs this for every change.
	const insert = prepared(tx, 'scoring.insertPoint', (d) =>
		d
			.insert(s.sheetPoints)
			.values({
				sheetId: sql.placeholder('sheetId'),
				criterionId: sql.placeholder('criterionId'),
				position: sql.placeholder('position'),
				points: sql.placeholder('points'),
				comment: sql.placeholder('comment')
			})
			.prepare()
	);
	rubric.criteria.forEach((c, position) => {
		if (points[c.id] === undefined) return;
		insert.run({ sheetId, criterionId: c.id, position, points: points[c.id], comment: comments[c.id]?.trim() || null });
	});
}

/** The columns a save writes, as placeholders; `explanation` only when the expert sent one. */
const savedColumns = (withExplanation: boolean) => ({
	rubricId: sql.placeholder('rubricId'),
	status: sql.placeholder('status'),
	comment: sql.placeholder('comment'),
	...(withExplanation ? { explanation: sql.placeholder('explanation') } : {}),
	version: sql.placeholder('version'),
	updatedAt: sql.placeholder('updatedAt'),
	submittedAt: sql.placeholder('submittedAt')
});

function updateSheet(tx: Tx, withExplanation: boolean) {
	return prepared(tx, withExplanation ? 'scoring.updateSheetExplained' : 'scoring.updateSheet', (d) =>
		d
			.update(s.sheets)
			.set(savedColumns(withExplanation) as unknown as Partial<typeof s.sheets.$inferInsert>)
			.where(eq(s.sheets.id, sql.placeholder('id')))
			.prepare()
	);
}

function insertSheet(tx: Tx, withExplanation: boolean) {
	return prepared(tx, withExplanation ? 'scoring.insertSheetExplained' : 'scoring.insertSheet', (d) =>
		d
			.insert(s.sheets)
			.values({
				applicationId: sql.placeholder('applicationId'),
				expertId: sql.placeholder('expertId'),
				...savedColumns(withExplanation)
			} as unknown as typeof s.sheets.$inferInsert)
			.returning({ id: s.sheets.id })
			.prepare()
	);
}

/**
 * Saves a draft. `input.version` is the version the client started from; if the stored sheet has
 * moved on (another tab, another device) the save is refused with 409 and nothing is written.
 */
export function saveSheet(db: Db, applicationId: string, expertId: string, input: SheetInput, actor: Actor, opts: { submit?: boolean } = {}): SheetView {
	const result = db.transaction((tx) => {
		const app = applicationScope(tx as unknown as Db, applicationId);
		if (!app) throw new ScoringError(404, '没有找到该申报');
		refuseFrozen(app.batch, '评审结果已锁定，不能再修改评分');
		const row = sheetRow(tx as unknown as Db, applicationId, expertId);
		const current = row?.version ?? 0;
		if (input.version !== current) {
			throw new ScoringError(409, '此评分表已在其他窗口或设备上修改过。为避免相互覆盖，本次保存未生效，请先载入最新内容。');
		}
		if (row?.status === 'submitted') throw new ScoringError(409, '评分表已提交，不能再修改；如需修改请联系省厅退回。');
		const rubric = row ? rubricById(tx as unknown as Db, row.rubricId)! : currentRubric(app, app.type);
		const points = checkPoints(rubric, input.points, !!opts.submit);
		const comments = Object.fromEntries(Object.entries(input.comments).filter(([k]) => rubric.criteria.some((c) => c.id === k)));
		const now = new Date().toISOString();
		const values = {
			rubricId: rubric.id,
			status: (opts.submit ? 'submitted' : 'draft') as 'draft' | 'submitted',
			comment: input.comment.trim() || null,
			...(input.explanation !== undefined ? { explanation: input.explanation.trim() || null } : {}),
			version: current + 1,
			updatedAt: now,
			submittedAt: opts.submit ? now : null
		};
		let sheetId: number;
		const explained = values.explanation !== undefined;
		const params = { explanation: null, ...values };
		if (row) {
			updateSheet(tx as unknown as Db, explained).run({ ...params, id: row.id });
			sheetId = row.id;
		} else {
			sheetId = insertSheet(tx as unknown as Db, explained).get({ ...params, applicationId, expertId })!.id;
		}
		writePoints(tx as unknown as Db, sheetId, rubric, points, comments);
		if (opts.submit) {
			tx.update(s.rubrics).set({ frozenAt: now }).where(and(eq(s.rubrics.id, rubric.id), sql`${s.rubrics.frozenAt} IS NULL`)).run();
			const total = Object.values(points).reduce((a, b) => a + b, 0);
			audit(tx, actor, 'sheet.submit', 'sheet', String(sheetId), { applicationId, expertId, total });
		}
		return sheetId;
	});
	void result;
	return getSheet(db, applicationId, expertId);
}

/**
 * saveSheet for the autosave endpoint: the same checks, writes and answer, committed in one
 * transaction with the saves that arrive at the same time, each in its own savepoint (a refused or
 * conflicting save is rolled back alone and rejects with its ScoringError). Resolves with the
 * stored sheet once the shared commit returned; rejects every save of the group if it failed.
 */
export function saveSheetTogether(db: Db, applicationId: string, expertId: string, input: SheetInput, actor: Actor, opts: { submit?: boolean } = {}): Promise<SheetView> {
	return commitTogether(db, (tx) => saveSheet(tx, applicationId, expertId, input, actor, opts));
}

/** The office returns a submitted sheet for re-scoring; the submitted version is kept in sheet_history. */
export function returnSheet(db: Db, applicationId: string, expertId: string, reason: string, actor: Actor): void {
	const text = reason.trim();
	if (text.length < 2) throw new ScoringError(400, '请填写退回理由', 'reason');
	if (text.length > 1000) throw new ScoringError(400, '退回理由不能超过1000字', 'reason');
	db.transaction((tx) => {
		const row = tx.select().from(s.sheets).where(and(eq(s.sheets.applicationId, applicationId), eq(s.sheets.expertId, expertId))).get();
		if (!row) throw new ScoringError(404, '没有找到该评分表');
		if (row.status !== 'submitted') throw new ScoringError(409, '只有已提交的评分表可以退回');
		refuseFrozen(applicationScope(tx as unknown as Db, applicationId)!.batch, '评审结果已锁定，请先重新开放');
		const pts = tx.select().from(s.sheetPoints).where(eq(s.sheetPoints.sheetId, row.id)).all();
		const rounds = tx.select({ n: sql<number>`count(*)` }).from(s.sheetHistory).where(eq(s.sheetHistory.sheetId, row.id)).get()?.n ?? 0;
		tx.insert(s.sheetHistory)
			.values({
				sheetId: row.id,
				round: rounds + 1,
				total: pts.reduce((a, p) => a + p.points, 0),
				points: Object.fromEntries(pts.map((p) => [p.criterionId, p.points])),
				comment: row.comment,
				returnedReason: text
			})
			.run();
		tx.update(s.sheets)
			.set({ status: 'draft', returnedReason: text, version: row.version + 1, updatedAt: new Date().toISOString(), submittedAt: null })
			.where(eq(s.sheets.id, row.id))
			.run();
		audit(tx, actor, 'sheet.return', 'sheet', String(row.id), { applicationId, expertId, reason: text });
	});
}

/** Stores the expert's written explanation of an abnormal score (allowed on a submitted sheet). */
export function explainSheet(db: Db, applicationId: string, expertId: string, explanation: string, actor: Actor): void {
	const text = explanation.trim();
	if (text.length < 5) throw new ScoringError(400, '请填写不少于5个字的书面说明', 'explanation');
	if (text.length > 5000) throw new ScoringError(400, '说明不能超过5000字', 'explanation');
	db.transaction((tx) => {
		const row = tx.select().from(s.sheets).where(and(eq(s.sheets.applicationId, applicationId), eq(s.sheets.expertId, expertId))).get();
		if (!row) throw new ScoringError(404, '没有找到该评分表');
		refuseFrozen(applicationScope(tx as unknown as Db, applicationId)!.batch, '评审结果已锁定，不能再修改书面说明');
		tx.update(s.sheets).set({ explanation: text, updatedAt: new Date().toISOString() }).where(eq(s.sheets.id, row.id)).run();
		audit(tx, actor, 'sheet.explain', 'sheet', String(row.id), { applicationId, expertId });
	});
}

/**
 * ABNORMAL_SCORE for one expert's sheet: once every assigned expert's sheet of the application is
 * submitted, a total that deviates from their mean by more than the batch's deviationPct.
 */
/**
 * `abnormality` of every submitted sheet at once (key `applicationId|expertId`), with three queries
 * instead of several per sheet: the office's list of all sheets asks for each of them.
 */
export function abnormalities(scope: BatchScope): Map<string, { mean: number; deviationPct: number }> {
	const { db, batch } = scope;
	const out = new Map<string, { mean: number; deviationPct: number }>();
	const pct = batch.aggregation.deviationPct;
	const ofBatch = sql`${s.assignments.applicationId} IN (SELECT id FROM applications WHERE batch_id = ${batch.id})`;
	const assigned = new Map<string, Set<string>>();
	for (const a of db.select({ app: s.assignments.applicationId, e: s.assignments.expertId }).from(s.assignments).where(ofBatch).all()) {
		if (!assigned.has(a.app)) assigned.set(a.app, new Set());
		assigned.get(a.app)!.add(a.e);
	}
	const totals = new Map<number, number>();
	for (const p of db
		.select({ id: s.sheetPoints.sheetId, total: sql<number>`sum(${s.sheetPoints.points})` })
		.from(s.sheetPoints)
		.innerJoin(s.sheets, eq(s.sheets.id, s.sheetPoints.sheetId))
		.where(eq(s.sheets.status, 'submitted'))
		.groupBy(s.sheetPoints.sheetId)
		.all())
		totals.set(p.id, p.total);
	const byApp = new Map<string, { expertId: string; total: number }[]>();
	for (const r of db
		.select({ id: s.sheets.id, app: s.sheets.applicationId, e: s.sheets.expertId })
		.from(s.sheets)
		.where(eq(s.sheets.status, 'submitted'))
		.orderBy(asc(s.sheets.id))
		.all()) {
		if (!assigned.get(r.app)?.has(r.e)) continue;
		if (!byApp.has(r.app)) byApp.set(r.app, []);
		byApp.get(r.app)!.push({ expertId: r.e, total: totals.get(r.id) ?? 0 });
	}
	for (const [app, sheets] of byApp) {
		const panel = assigned.get(app)!;
		// As abnormality(): only once every assigned expert has submitted, and at least two of them.
		if (sheets.length < 2 || [...panel].some((e) => !sheets.some((x) => x.expertId === e))) continue;
		const mean = meanOf(sheets.map((x) => x.total));
		for (const x of sheets) if (Math.abs(x.total - mean) - (pct / 100) * mean > 1e-9) out.set(`${app}|${x.expertId}`, { mean, deviationPct: pct });
	}
	return out;
}

export function abnormality(db: Db, applicationId: string, expertId: string): { mean: number; deviationPct: number } | null {
	const batch = applicationScope(db, applicationId)?.batch;
	if (!batch) return null;
	const assigned = db.select({ e: s.assignments.expertId }).from(s.assignments).where(eq(s.assignments.applicationId, applicationId)).all().map((r) => r.e);
	const sheetRows = db.select().from(s.sheets).where(eq(s.sheets.applicationId, applicationId)).all();
	const submitted = sheetRows.filter((r) => r.status === 'submitted' && assigned.includes(r.expertId));
	if (submitted.length < 2 || assigned.some((e) => !submitted.find((r) => r.expertId === e))) return null;
	const totals = new Map<string, number>();
	for (const r of submitted) {
		const pts = db.select({ p: s.sheetPoints.points }).from(s.sheetPoints).where(eq(s.sheetPoints.sheetId, r.id)).all();
		totals.set(r.expertId, pts.reduce((a, p) => a + p.p, 0));
	}
	const mean = meanOf([...totals.values()]);
	const mine = totals.get(expertId);
	if (mine === undefined) return null;
	const pct = batch.aggregation.deviationPct;
	return Math.abs(mine - mean) - (pct / 100) * mean > 1e-9 ? { mean, deviationPct: pct } : null;
}
