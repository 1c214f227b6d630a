/**
 * Reads of score sheets for the office's sheet list (评分表) and for the printable per-expert
 * score sheet (评审专家评分表). The expert-facing read (`expertPrint`) only ever selects the
 * expert's own sheets.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db';
import * as s from '../db/schema';
import type { BatchScope } from '../scope';
import { expertTasks } from './reviews';
import { abnormalities, currentRubric, rubricById } from '../services/scoring';
import type { Criterion } from '../../domain/bundle';

export type SheetState = 'draft' | 'submitted' | 'returned';

export type SheetListRow = {
	sheetId: number;
	applicationId: string;
	institutionName: string;
	occupation: string;
	type: 'training' | 'evaluation';
	region: string;
	expertId: string;
	expertName: string;
	rubricId: string;
	/** `returned`: a draft the office sent back (it carries the reason). */
	state: SheetState;
	total: number;
	scored: number;
	criteria: number;
	submittedAt: string | null;
	updatedAt: string;
	abnormal: { mean: number; deviationPct: number } | null;
	explanation: string | null;
	returnedReason: string | null;
	/** How many times it was returned (rounds kept in sheet_history). */
	rounds: number;
};

export type SheetFilter = { occupation?: string | null; state?: SheetState | null; expertId?: string | null; abnormalOnly?: boolean };

export function sheetState(row: { status: 'draft' | 'submitted'; returnedReason: string | null }): SheetState {
	return row.status === 'submitted' ? 'submitted' : row.returnedReason ? 'returned' : 'draft';
}

/** Every stored sheet (drafts included) with its total and abnormal flag, filtered; for the office. */
export function listSheets(scope: BatchScope, filter: SheetFilter = {}): SheetListRow[] {
	const { db } = scope;
	const conds = [eq(s.applications.batchId, scope.batch.id)];
	if (filter.occupation) conds.push(eq(s.applications.occupation, filter.occupation));
	if (filter.expertId) conds.push(eq(s.sheets.expertId, filter.expertId));
	const rows = db
		.select({
			sheet: s.sheets,
			institutionName: s.institutions.name,
			occupation: s.applications.occupation,
			type: s.applications.type,
			region: s.applications.region,
			expertName: s.experts.name
		})
		.from(s.sheets)
		.innerJoin(s.applications, eq(s.sheets.applicationId, s.applications.id))
		.innerJoin(s.institutions, eq(s.applications.institutionId, s.institutions.id))
		.innerJoin(s.experts, eq(s.sheets.expertId, s.experts.id))
		.where(and(...conds))
		.orderBy(asc(s.applications.occupation), asc(s.applications.type), asc(s.sheets.applicationId), asc(s.sheets.expertId))
		.all();
	const ids = rows.map((r) => r.sheet.id);
	const sums = new Map<number, { total: number; n: number }>();
	const rounds = new Map<number, number>();
	const critCount = new Map<string, number>();
	for (let i = 0; i < ids.length; i += 500) {
		const chunk = ids.slice(i, i + 500);
		for (const p of db
			.select({ id: s.sheetPoints.sheetId, total: sql<number>`sum(${s.sheetPoints.points})`, n: sql<number>`count(*)` })
			.from(s.sheetPoints)
			.where(inArray(s.sheetPoints.sheetId, chunk))
			.groupBy(s.sheetPoints.sheetId)
			.all())
			sums.set(p.id, { total: p.total, n: p.n });
		for (const h of db
			.select({ id: s.sheetHistory.sheetId, n: sql<number>`count(*)` })
			.from(s.sheetHistory)
			.where(inArray(s.sheetHistory.sheetId, chunk))
			.groupBy(s.sheetHistory.sheetId)
			.all())
			rounds.set(h.id, h.n);
	}
	for (const c of db.select({ id: s.criteria.rubricId, n: sql<number>`count(*)` }).from(s.criteria).groupBy(s.criteria.rubricId).all()) {
		critCount.set(c.id, c.n);
	}
	const flagged = abnormalities(scope);
	const out: SheetListRow[] = [];
	for (const r of rows) {
		const state = sheetState(r.sheet);
		if (filter.state && state !== filter.state) continue;
		const abnormal = r.sheet.status === 'submitted' ? (flagged.get(`${r.sheet.applicationId}|${r.sheet.expertId}`) ?? null) : null;
		if (filter.abnormalOnly && !abnormal) continue;
		out.push({
			sheetId: r.sheet.id,
			applicationId: r.sheet.applicationId,
			institutionName: r.institutionName,
			occupation: r.occupation,
			type: r.type,
			region: r.region,
			expertId: r.sheet.expertId,
			expertName: r.expertName,
			rubricId: r.sheet.rubricId,
			state,
			total: sums.get(r.sheet.id)?.total ?? 0,
			scored: sums.get(r.sheet.id)?.n ?? 0,
			criteria: critCount.get(r.sheet.rubricId) ?? 0,
			submittedAt: r.sheet.submittedAt,
			updatedAt: r.sheet.updatedAt,
			abnormal,
			explanation: r.sheet.explanation,
			returnedReason: r.sheet.returnedReason,
			rounds: rounds.get(r.sheet.id) ?? 0
		});
	}
	return out;
}

/** Experts who have at least one sheet (for the filter of the list). */
export function expertsWithSheets({ db, batch }: BatchScope): { id: string; name: string }[] {
	return db
		.selectDistinct({ id: s.experts.id, name: s.experts.name })
		.from(s.experts)
		.innerJoin(s.sheets, eq(s.sheets.expertId, s.experts.id))
		.innerJoin(s.applications, eq(s.applications.id, s.sheets.applicationId))
		.where(eq(s.applications.batchId, batch.id))
		.orderBy(asc(s.experts.id))
		.all();
}

/* ---------------------------------------------------------------- printable sheet */

export type PrintRow = {
	applicationId: string;
	institutionName: string;
	region: string;
	state: SheetState | 'not-started';
	points: Record<string, number>;
	total: number | null;
	submittedAt: string | null;
	comment: string | null;
};

export type PrintGroup = {
	occupation: string;
	type: 'training' | 'evaluation';
	rubricId: string;
	rubricVersion: number;
	criteria: Criterion[];
	rows: PrintRow[];
};

export type ExpertPrint = {
	expert: { id: string; name: string; workUnit: string | null; title: string | null };
	batchName: string | null;
	groups: PrintGroup[];
	submitted: number;
	total: number;
};

/**
 * The printable score sheet of one expert: their published, non-recused applications grouped by
 * (occupation, type, rubric), with the points of their own sheet only. Null when no such expert.
 */
export function expertPrint(scope: BatchScope, expertId: string): ExpertPrint | null {
	const { db, batch } = scope;
	const expert = db.select().from(s.experts).where(eq(s.experts.id, expertId)).get();
	if (!expert) return null;
	const { tasks } = expertTasks(scope, expertId);
	const groups = new Map<string, PrintGroup>();
	let submitted = 0;
	for (const t of tasks) {
		const sheet = db
			.select()
			.from(s.sheets)
			.where(and(eq(s.sheets.applicationId, t.applicationId), eq(s.sheets.expertId, expertId)))
			.get();
		const rubric = sheet ? rubricById(db, sheet.rubricId)! : currentRubric(scope, t.type);
		const version = db.select({ v: s.rubrics.version }).from(s.rubrics).where(eq(s.rubrics.id, rubric.id)).get()?.v ?? 1;
		const pts = sheet ? db.select().from(s.sheetPoints).where(eq(s.sheetPoints.sheetId, sheet.id)).all() : [];
		const key = `${t.occupation}|${t.type}|${rubric.id}`;
		let g = groups.get(key);
		if (!g) {
			g = { occupation: t.occupation, type: t.type, rubricId: rubric.id, rubricVersion: version, criteria: rubric.criteria, rows: [] };
			groups.set(key, g);
		}
		if (sheet?.status === 'submitted') submitted++;
		g.rows.push({
			applicationId: t.applicationId,
			institutionName: t.institutionName,
			region: t.region,
			state: sheet ? sheetState(sheet) : 'not-started',
			points: Object.fromEntries(pts.map((p) => [p.criterionId, p.points])),
			total: sheet ? pts.reduce((a, p) => a + p.points, 0) : null,
			submittedAt: sheet?.submittedAt ?? null,
			comment: sheet?.comment ?? null
		});
	}
	return {
		expert: { id: expert.id, name: expert.name, workUnit: expert.workUnit, title: expert.title },
		batchName: batch?.name ?? null,
		groups: [...groups.values()],
		submitted,
		total: tasks.length
	};
}
