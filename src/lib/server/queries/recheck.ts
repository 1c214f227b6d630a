/**
 * The re-check (复核) of a batch as the office's page, the lock's open items and the review report
 * read it: the findings of domain/recheck.ts over the sheets that count in the results, each marked
 * handled or not, and every correction made (who, when, why).
 */
import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db';
import * as s from '../db/schema';
import type { BatchScope } from '../scope';
import { computeResults, type ResultsState } from '../services/batch-state';
import { markHandled, recheckFindings, type MarkedFinding, type RecheckCorrection, type RecheckCriterion, type RecheckSheet } from '../../domain/recheck';
import { pairKey } from '../../domain/aggregation';

type Q = Pick<Db, 'select' | 'all'>;

/** Per sheet of the batch: its id, rubric and declared total (the results' scores do not carry them). */
function sheetFacts(db: Q, batchId: string): Map<string, { id: number; rubricId: string; declaredTotal: number | null }> {
	const rows = db.all<{ id: number; application_id: string; expert_id: string; rubric_id: string; declared_total: number | null }>(
		sql`SELECT id, application_id, expert_id, rubric_id, declared_total FROM score_sheets WHERE application_id IN (SELECT id FROM applications WHERE batch_id = ${batchId})`
	);
	return new Map(rows.map((r) => [pairKey(r.application_id, r.expert_id), { id: r.id, rubricId: r.rubric_id, declaredTotal: r.declared_total }]));
}

/** The criteria of each rubric of the batch, objective flag included. */
function rubricCriteria(db: Q, batchId: string): Map<string, RecheckCriterion[]> {
	const rows = db
		.select({ rubricId: s.criteria.rubricId, id: s.criteria.id, name: s.criteria.name, maxPoints: s.criteria.maxPoints, objective: s.criteria.objective })
		.from(s.criteria)
		.innerJoin(s.rubrics, eq(s.rubrics.id, s.criteria.rubricId))
		.where(eq(s.rubrics.batchId, batchId))
		.orderBy(asc(s.criteria.rubricId), asc(s.criteria.position))
		.all();
	const out = new Map<string, RecheckCriterion[]>();
	for (const r of rows) {
		const list = out.get(r.rubricId) ?? [];
		list.push({ id: r.id, name: r.name, maxPoints: r.maxPoints, objective: r.objective });
		out.set(r.rubricId, list);
	}
	return out;
}

export type CorrectionRow = {
	id: number;
	sheetId: number;
	applicationId: string;
	expertId: string;
	criterionId: string | null;
	rule: string;
	oldValue: number | null;
	newValue: number | null;
	reason: string;
	userId: string | null;
	userName: string | null;
	at: string;
	/** old = new: the office confirmed the value as correct (核实无误). */
	confirmation: boolean;
};

/** Every correction of the batch's sheets, oldest first, with who made it. */
export function corrections(scope: { db: Q; batch: s.BatchRow }): CorrectionRow[] {
	const { db, batch } = scope;
	return db
		.select({
			id: s.scoreCorrections.id,
			sheetId: s.scoreCorrections.sheetId,
			applicationId: s.sheets.applicationId,
			expertId: s.sheets.expertId,
			criterionId: s.scoreCorrections.criterionId,
			rule: s.scoreCorrections.rule,
			oldValue: s.scoreCorrections.oldValue,
			newValue: s.scoreCorrections.newValue,
			reason: s.scoreCorrections.reason,
			userId: s.scoreCorrections.userId,
			userName: s.users.displayName,
			at: s.scoreCorrections.at
		})
		.from(s.scoreCorrections)
		.innerJoin(s.sheets, eq(s.sheets.id, s.scoreCorrections.sheetId))
		.innerJoin(s.applications, eq(s.applications.id, s.sheets.applicationId))
		.leftJoin(s.users, eq(s.users.id, s.scoreCorrections.userId))
		.where(eq(s.applications.batchId, batch.id))
		.orderBy(asc(s.scoreCorrections.id))
		.all()
		.map((r) => ({ ...r, confirmation: r.oldValue !== null && r.newValue !== null && Math.abs(r.oldValue - r.newValue) < 1e-9 }));
}

export type RecheckGroup = {
	occupation: string;
	type: 'training' | 'evaluation';
	findings: MarkedFinding[];
	open: number;
};

export type RecheckState = {
	groups: RecheckGroup[];
	findings: MarkedFinding[];
	open: number;
	corrections: CorrectionRow[];
	tolerance: number;
	/** The sheets re-checked (every sheet of the results), with their rubric's criteria. */
	sheets: RecheckSheet[];
};

/** The batch's re-check: every finding (handled or not) per (occupation, type) group, and the corrections. */
export function recheckState(scope: BatchScope, state: ResultsState = computeResults(scope)): RecheckState {
	const { db, batch } = scope;
	const facts = sheetFacts(db, batch.id);
	const criteria = rubricCriteria(db, batch.id);
	const sheets: RecheckSheet[] = [];
	for (const sc of state.input.sheets) {
		const f = facts.get(pairKey(sc.applicationId, sc.expertId));
		if (!f) continue;
		sheets.push({
			sheetId: f.id,
			applicationId: sc.applicationId,
			expertId: sc.expertId,
			status: sc.status,
			points: sc.points,
			declaredTotal: f.declaredTotal,
			explanation: sc.explanation,
			criteria: criteria.get(f.rubricId) ?? []
		});
	}
	const tolerance = batch.objectiveTolerance ?? 0;
	const findings = recheckFindings({
		applications: state.input.applications,
		sheets,
		assigned: state.input.assigned,
		hardConflicts: state.input.hardConflicts,
		settings: state.input.settings,
		objectiveTolerance: tolerance
	});
	const all = corrections(scope);
	const marked = markHandled(findings, all as RecheckCorrection[]);
	const groups: RecheckGroup[] = state.results.groups.map((g) => {
		const own = marked.filter((f) => f.occupation === g.occupation && f.type === g.type);
		return { occupation: g.occupation, type: g.type, findings: own, open: own.filter((f) => !f.handled).length };
	});
	return { groups, findings: marked, open: marked.filter((f) => !f.handled).length, corrections: all, tolerance, sheets };
}

/** The names the page shows: experts by id, applications by id (institution name), criteria by sheet. */
export function recheckNames(db: Q, applicationIds: string[], expertIds: string[]) {
	const apps = applicationIds.length
		? db
				.select({ id: s.applications.id, name: s.institutions.name })
				.from(s.applications)
				.innerJoin(s.institutions, eq(s.institutions.id, s.applications.institutionId))
				.where(inArray(s.applications.id, applicationIds))
				.all()
		: [];
	const experts = expertIds.length ? db.select({ id: s.experts.id, name: s.experts.name }).from(s.experts).where(inArray(s.experts.id, expertIds)).all() : [];
	return {
		applications: Object.fromEntries(apps.map((a) => [a.id, a.name])) as Record<string, string>,
		experts: Object.fromEntries(experts.map((e) => [e.id, e.name])) as Record<string, string>
	};
}
