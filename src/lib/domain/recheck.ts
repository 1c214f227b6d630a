/**
 * The re-check (复核) before the results are locked (财政部令第87号 §64): per application, the
 * sheets that count (submitted, assigned, without a hard conflict — the aggregation's valid sheets)
 * are checked for
 *
 * - TOTAL_MISMATCH     a declared total (typed from a paper sheet, or the total cell of an offline
 *                      workbook) that is not the sum of the sheet's points;
 * - OUT_OF_RANGE       points below 0, above the criterion's maxPoints, not a multiple of 0.5, on a
 *                      criterion the sheet's rubric does not have, or a criterion of the rubric
 *                      without points;
 * - OBJECTIVE_DIFFERS  a criterion marked objective on which the panel's points differ by more than
 *                      the batch's tolerance (every member's value listed);
 * - ABNORMAL_SCORE     the aggregation's rule (`isAbnormalTotal`), with whether the expert wrote
 *                      the explanation.
 *
 * Drafts and excluded sheets are not re-checked: a draft is still the expert's (the lock's open
 * items list it) and an excluded sheet does not enter the results.
 *
 * A finding is handled when it is gone (a correction moved the points or the declared total) or, for
 * OBJECTIVE_DIFFERS and ABNORMAL_SCORE, when the office confirmed the values as they stand (核实无误:
 * a correction row with old = new). A confirmation holds only for the values it confirmed: when the
 * points move afterwards (or a new member's sheet joins), the finding is open again.
 */
import type { AggregationSettings } from './bundle';
import { EPSILON, isAbnormalTotal, meanOf, pairKey, sheetTotal } from './aggregation';
import { isHalfStep } from './rubric';

export const RECHECK_RULES = ['TOTAL_MISMATCH', 'OUT_OF_RANGE', 'OBJECTIVE_DIFFERS', 'ABNORMAL_SCORE'] as const;
export type RecheckRule = (typeof RECHECK_RULES)[number];

export const RECHECK_LABELS: Record<RecheckRule, string> = {
	TOTAL_MISMATCH: '合计与各项得分之和不符',
	OUT_OF_RANGE: '得分超出范围或缺项',
	OBJECTIVE_DIFFERS: '客观评分项评分不一致',
	ABNORMAL_SCORE: '异常评分'
};

/** The findings the office may confirm as correct (核实无误) without changing a value. */
export const CONFIRMABLE_RULES: readonly RecheckRule[] = ['OBJECTIVE_DIFFERS', 'ABNORMAL_SCORE'];

export function isRecheckRule(x: unknown): x is RecheckRule {
	return typeof x === 'string' && (RECHECK_RULES as readonly string[]).includes(x);
}

export function recheckLabel(rule: string): string {
	return isRecheckRule(rule) ? RECHECK_LABELS[rule] : rule;
}

export type RecheckCriterion = { id: string; name: string; maxPoints: number; objective?: boolean };

export type RecheckSheet = {
	sheetId: number;
	applicationId: string;
	expertId: string;
	status: 'draft' | 'submitted';
	points: Record<string, number>;
	/** The total as written on paper or in the offline workbook; null when scored in the app. */
	declaredTotal: number | null;
	explanation: string | null;
	/** The criteria of the sheet's own rubric (version). */
	criteria: RecheckCriterion[];
};

export type RecheckInput = {
	/** The applications re-checked (those in the results). */
	applications: { id: string; occupation: string; type: 'training' | 'evaluation' }[];
	sheets: RecheckSheet[];
	/** `pairKey(applicationId, expertId)` of every assignment. */
	assigned: Set<string>;
	/** pairKey → the hard conflict code. */
	hardConflicts: Map<string, string>;
	settings: Pick<AggregationSettings, 'deviationPct'>;
	/** Points: an objective criterion's panel may differ by this much (batches.objective_tolerance). */
	objectiveTolerance: number;
};

export type OutOfRangeKind = 'negative' | 'above-max' | 'not-half-step' | 'missing' | 'unknown-criterion';

export type RecheckFinding = {
	/** Stable within the batch: names the rule and the sheet (or application) and criterion. */
	key: string;
	rule: RecheckRule;
	applicationId: string;
	occupation: string;
	type: 'training' | 'evaluation';
	/** The sheet (null for OBJECTIVE_DIFFERS, which concerns the panel). */
	sheetId: number | null;
	expertId: string | null;
	criterionId: string | null;
	criterionName: string | null;
	/** One Chinese sentence without names (the page adds the expert and the institution). */
	detail: string;
	/** TOTAL_MISMATCH: the declared total and the sum of the points. */
	declaredTotal?: number;
	sum?: number;
	/** OUT_OF_RANGE: what is wrong, the value (null when missing) and the maximum. */
	kind?: OutOfRangeKind;
	value?: number | null;
	maxPoints?: number;
	/** OBJECTIVE_DIFFERS: every member's value (by expert id), the spread and the tolerance. */
	members?: { sheetId: number; expertId: string; points: number }[];
	spread?: number;
	tolerance?: number;
	/** ABNORMAL_SCORE: the total, the mean of the valid totals, the deviation and whether explained. */
	total?: number;
	mean?: number;
	deviation?: number;
	explained?: boolean;
};

const fmt = (x: number) => String(Math.round(x * 100) / 100);

function outOfRange(points: number, max: number): OutOfRangeKind | null {
	if (!Number.isFinite(points)) return 'not-half-step';
	if (points < 0) return 'negative';
	if (points - max > EPSILON) return 'above-max';
	if (!isHalfStep(points)) return 'not-half-step';
	return null;
}

const OUT_OF_RANGE_TEXT: Record<OutOfRangeKind, (name: string, value: number | null, max: number) => string> = {
	negative: (n, v) => `“${n}”得分 ${fmt(v!)} 为负数`,
	'above-max': (n, v, m) => `“${n}”得分 ${fmt(v!)} 超过满分 ${fmt(m)}`,
	'not-half-step': (n, v) => `“${n}”得分 ${Number.isFinite(v) ? fmt(v!) : String(v)} 不是 0.5 的整数倍`,
	missing: (n) => `已提交的评分表缺少“${n}”的得分`,
	'unknown-criterion': (n, v) => `评分项“${n}”不在该评分表的评分细则中（得分 ${fmt(v!)}）`
};

/** Every finding of the re-check, in the order of the applications given, then sheet and criterion. */
export function recheckFindings(input: RecheckInput): RecheckFinding[] {
	const out: RecheckFinding[] = [];
	const byApp = new Map<string, RecheckSheet[]>();
	for (const sh of input.sheets) {
		const list = byApp.get(sh.applicationId);
		if (list) list.push(sh);
		else byApp.set(sh.applicationId, [sh]);
	}
	const tolerance = Math.max(0, input.objectiveTolerance || 0);
	for (const app of input.applications) {
		const base = { applicationId: app.id, occupation: app.occupation, type: app.type };
		const counting = (byApp.get(app.id) ?? [])
			.filter((sh) => {
				const key = pairKey(app.id, sh.expertId);
				return sh.status === 'submitted' && input.assigned.has(key) && !input.hardConflicts.has(key);
			})
			.sort((a, b) => (a.expertId < b.expertId ? -1 : a.expertId > b.expertId ? 1 : a.sheetId - b.sheetId));

		for (const sh of counting) {
			const sheetBase = { ...base, sheetId: sh.sheetId, expertId: sh.expertId };
			const sum = sheetTotal(sh.points);
			if (sh.declaredTotal !== null && Math.abs(sh.declaredTotal - sum) > EPSILON) {
				out.push({
					...sheetBase,
					key: `TOTAL_MISMATCH|${sh.sheetId}|`,
					rule: 'TOTAL_MISMATCH',
					criterionId: null,
					criterionName: null,
					detail: `填写的合计 ${fmt(sh.declaredTotal)} 分，各项得分之和为 ${fmt(sum)} 分`,
					declaredTotal: sh.declaredTotal,
					sum
				});
			}
			const known = new Set(sh.criteria.map((c) => c.id));
			for (const c of sh.criteria) {
				const has = Object.prototype.hasOwnProperty.call(sh.points, c.id);
				const value = has ? sh.points[c.id] : null;
				const kind: OutOfRangeKind | null = value === null ? 'missing' : outOfRange(value, c.maxPoints);
				if (!kind) continue;
				out.push({
					...sheetBase,
					key: `OUT_OF_RANGE|${sh.sheetId}|${c.id}`,
					rule: 'OUT_OF_RANGE',
					criterionId: c.id,
					criterionName: c.name,
					detail: OUT_OF_RANGE_TEXT[kind](c.name, value, c.maxPoints),
					kind,
					value,
					maxPoints: c.maxPoints
				});
			}
			for (const id of Object.keys(sh.points)) {
				if (known.has(id)) continue;
				out.push({
					...sheetBase,
					key: `OUT_OF_RANGE|${sh.sheetId}|${id}`,
					rule: 'OUT_OF_RANGE',
					criterionId: id,
					criterionName: id,
					detail: OUT_OF_RANGE_TEXT['unknown-criterion'](id, sh.points[id], 0),
					kind: 'unknown-criterion',
					value: sh.points[id],
					maxPoints: 0
				});
			}
		}

		// OBJECTIVE_DIFFERS: per criterion marked objective in the sheets' rubric (by criterion id).
		const objective = new Map<string, string>();
		for (const sh of counting) for (const c of sh.criteria) if (c.objective && !objective.has(c.id)) objective.set(c.id, c.name);
		for (const [criterionId, name] of objective) {
			const members = counting
				.filter((sh) => sh.criteria.some((c) => c.id === criterionId && c.objective) && Number.isFinite(sh.points[criterionId]))
				.map((sh) => ({ sheetId: sh.sheetId, expertId: sh.expertId, points: sh.points[criterionId] }));
			if (members.length < 2) continue;
			const values = members.map((m) => m.points);
			const spread = Math.max(...values) - Math.min(...values);
			if (spread - tolerance <= EPSILON) continue;
			out.push({
				...base,
				key: `OBJECTIVE_DIFFERS|${app.id}|${criterionId}`,
				rule: 'OBJECTIVE_DIFFERS',
				sheetId: null,
				expertId: null,
				criterionId,
				criterionName: name,
				detail: `客观评分项“${name}”各专家评分相差 ${fmt(spread)} 分，超过允许误差 ${fmt(tolerance)} 分`,
				members,
				spread,
				tolerance
			});
		}

		// ABNORMAL_SCORE: the aggregation's rule over the same valid totals.
		const totals = counting.map((sh) => sheetTotal(sh.points));
		if (totals.length >= 2) {
			const mean = meanOf(totals);
			counting.forEach((sh, i) => {
				if (!isAbnormalTotal(totals[i], mean, totals.length, input.settings.deviationPct)) return;
				const explained = !!sh.explanation?.trim();
				out.push({
					...base,
					key: `ABNORMAL_SCORE|${sh.sheetId}|`,
					rule: 'ABNORMAL_SCORE',
					sheetId: sh.sheetId,
					expertId: sh.expertId,
					criterionId: null,
					criterionName: null,
					detail: `总分 ${fmt(totals[i])} 分，偏离平均分 ${fmt(mean)} 分 ${fmt(totals[i] - mean)} 分（超过 ${fmt(input.settings.deviationPct)}%）；${explained ? '专家已填写说明' : '专家未填写说明'}`,
					total: totals[i],
					mean,
					deviation: totals[i] - mean,
					explained
				});
			});
		}
	}
	return out;
}

/** A stored correction as the re-check reads it. A confirmation (核实无误) has old = new. */
export type RecheckCorrection = { sheetId: number; criterionId: string | null; rule: string; oldValue: number | null; newValue: number | null };

export function isConfirmation(c: Pick<RecheckCorrection, 'oldValue' | 'newValue'>): boolean {
	return c.oldValue !== null && c.newValue !== null && Math.abs(c.oldValue - c.newValue) <= EPSILON;
}

/**
 * Whether a (still present) finding was confirmed as correct for the values it shows now:
 * OBJECTIVE_DIFFERS needs a confirmation on every member's sheet for that criterion holding the
 * member's current points; ABNORMAL_SCORE one on the sheet holding its current total. Other rules
 * are never handled while present: they are handled by correcting the value.
 */
export function isConfirmed(f: RecheckFinding, corrections: readonly RecheckCorrection[]): boolean {
	const confirmations = corrections.filter((c) => c.rule === f.rule && isConfirmation(c));
	if (f.rule === 'OBJECTIVE_DIFFERS') {
		return (f.members ?? []).every((m) =>
			confirmations.some((c) => c.sheetId === m.sheetId && c.criterionId === f.criterionId && Math.abs(c.newValue! - m.points) <= EPSILON)
		);
	}
	if (f.rule === 'ABNORMAL_SCORE') {
		return confirmations.some((c) => c.sheetId === f.sheetId && c.criterionId === null && Math.abs(c.newValue! - f.total!) <= EPSILON);
	}
	return false;
}

export type MarkedFinding = RecheckFinding & { handled: boolean };

/** The findings with `handled` set (confirmed as correct), in their order. */
export function markHandled(findings: readonly RecheckFinding[], corrections: readonly RecheckCorrection[]): MarkedFinding[] {
	return findings.map((f) => ({ ...f, handled: isConfirmed(f, corrections) }));
}
