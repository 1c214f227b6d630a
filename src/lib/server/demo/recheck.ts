/**
 * Demo data of the re-check (复核). Deterministic; writes the tables directly (no phase checks).
 *
 * 第一批 (before its lock): the training rubric's 培训规模 criterion is marked objective, with the
 * tolerance set so that one application's panel differs beyond it — confirmed as correct (核实无误);
 * one sheet was a paper sheet whose typed total was wrong and was corrected; every abnormal total
 * the re-check lists is confirmed too, so the finished batch has no open finding.
 *
 * 第二批 (in its meeting): one submitted sheet came from an offline workbook whose typed total does
 * not match its points — an open TOTAL_MISMATCH for the office to handle.
 */
import { and, asc, eq } from 'drizzle-orm';
import * as s from '../db/schema';
import { batchById, type BatchScope } from '../scope';
import { recheckState } from '../queries/recheck';
import { computeResults } from '../services/batch-state';
import { pairKey, sheetTotal } from '../../domain/aggregation';

/** The criterion of the default training rubric scored from the form's own figures. */
const OBJECTIVE_CRITERION = 'scale';

function officeUserId(scope: BatchScope): string | null {
	return scope.db.select({ id: s.users.id }).from(s.users).where(eq(s.users.username, 'office')).get()?.id ?? null;
}

/** The first valid sheet (submitted, assigned, no hard conflict) of a recommended training application, by sheet id. */
function firstCountingSheet(scope: BatchScope): { id: number } | undefined {
	const valid = new Set<string>();
	for (const g of computeResults(scope).results.groups) {
		if (g.type !== 'training') continue;
		for (const a of g.applications) for (const sh of a.sheets) if (sh.valid) valid.add(pairKey(a.id, sh.expertId));
	}
	return scope.db
		.select({ id: s.sheets.id, a: s.sheets.applicationId, e: s.sheets.expertId })
		.from(s.sheets)
		.innerJoin(s.applications, eq(s.applications.id, s.sheets.applicationId))
		.where(eq(s.applications.batchId, scope.batch.id))
		.orderBy(asc(s.sheets.id))
		.all()
		.find((r) => valid.has(pairKey(r.a, r.e)));
}

function fresh(scope: BatchScope): BatchScope {
	return { db: scope.db, batch: batchById(scope.db, scope.batch.id)! };
}

function pointsOf(scope: BatchScope, sheetId: number): Record<string, number> {
	const out: Record<string, number> = {};
	for (const p of scope.db.select().from(s.sheetPoints).where(eq(s.sheetPoints.sheetId, sheetId)).all()) out[p.criterionId] = p.points;
	return out;
}

export function seedFirstBatchRecheck(scope: BatchScope): void {
	const { db } = scope;
	const userId = officeUserId(scope);
	// 1. 培训规模 is objective in the batch's training rubric(s).
	const rubrics = db.select({ id: s.rubrics.id }).from(s.rubrics).where(and(eq(s.rubrics.batchId, scope.batch.id), eq(s.rubrics.type, 'training'))).all();
	for (const r of rubrics) {
		db.update(s.criteria).set({ objective: true }).where(and(eq(s.criteria.rubricId, r.id), eq(s.criteria.id, OBJECTIVE_CRITERION))).run();
	}
	// The tolerance: the second-largest spread on it, so that only the widest panel is listed.
	const spreads = recheckState(fresh(scope))
		.findings.filter((f) => f.rule === 'OBJECTIVE_DIFFERS')
		.map((f) => f.spread!)
		.sort((a, b) => b - a);
	const below = spreads.find((x) => x < spreads[0]);
	const tolerance = spreads.length === 0 ? 2 : Math.min(20, below ?? Math.max(0, spreads[0] - 0.5));
	db.update(s.batches).set({ objectiveTolerance: tolerance }).where(eq(s.batches.id, scope.batch.id)).run();

	// 2. A paper sheet: the total written on it was 10 points off; corrected to the sum of its points.
	const paper = firstCountingSheet(fresh(scope));
	if (paper) {
		const sum = sheetTotal(pointsOf(scope, paper.id));
		const typed = sum + 10 <= 100 ? sum + 10 : sum - 10;
		db.update(s.sheets).set({ declaredTotal: sum }).where(eq(s.sheets.id, paper.id)).run();
		db.insert(s.scoreCorrections)
			.values({
				sheetId: paper.id,
				criterionId: null,
				rule: 'TOTAL_MISMATCH',
				oldValue: typed,
				newValue: sum,
				reason: `纸质评分表合计誊录为 ${typed} 分，与各项得分之和 ${sum} 分不符；经与评审专家当面核对，按各项得分更正`,
				userId,
				at: '2022-11-09T02:30:00.000Z'
			})
			.run();
	}

	// 3. What is still listed is confirmed as correct: the objective criterion's widest panel and the abnormal totals.
	const state = recheckState(fresh(scope));
	let minute = 0;
	for (const f of state.findings) {
		if (f.handled) continue;
		const at = `2022-11-09T03:${String(minute++ % 60).padStart(2, '0')}:00.000Z`;
		const rows =
			f.rule === 'OBJECTIVE_DIFFERS'
				? f.members!.map((m) => ({ sheetId: m.sheetId, criterionId: f.criterionId, value: m.points }))
				: f.rule === 'ABNORMAL_SCORE'
					? [{ sheetId: f.sheetId!, criterionId: null, value: f.total! }]
					: [];
		const reason =
			f.rule === 'OBJECTIVE_DIFFERS'
				? '各专家对近5年培训人数中合作培训部分的认定不同：经核对申报表，各自依据均有出处，评分保持不变'
				: '经核对申报材料和专家填写的偏差说明，评分依据充分，保持不变';
		for (const r of rows) {
			db.insert(s.scoreCorrections)
				.values({ sheetId: r.sheetId, criterionId: r.criterionId, rule: f.rule, oldValue: r.value, newValue: r.value, reason, userId, at })
				.run();
		}
	}
}

export function seedSecondBatchRecheck(scope: BatchScope): void {
	const { db } = scope;
	// The first counting training sheet came in from an offline workbook whose 合计 cell was typed over.
	const sheet = firstCountingSheet(scope);
	if (!sheet) return;
	const sum = sheetTotal(pointsOf(scope, sheet.id));
	db.update(s.sheets)
		.set({ declaredTotal: sum >= 5 ? sum - 5 : sum + 5 })
		.where(eq(s.sheets.id, sheet.id))
		.run();
}
