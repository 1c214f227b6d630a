import { describe, it, expect } from 'vitest';
import {
	RECHECK_LABELS,
	RECHECK_RULES,
	isConfirmation,
	markHandled,
	recheckFindings,
	recheckLabel,
	type RecheckCorrection,
	type RecheckCriterion,
	type RecheckInput,
	type RecheckSheet
} from './recheck';
import { aggregate, isAbnormalTotal, pairKey } from './aggregation';
import { DEFAULT_AGGREGATION } from './bundle';

const CRITERIA: RecheckCriterion[] = [
	{ id: 'scale', name: '培训规模与经验', maxPoints: 20, objective: true },
	{ id: 'faculty', name: '师资队伍', maxPoints: 30 },
	{ id: 'plan', name: '下步规划', maxPoints: 50 }
];

let nextId = 1;
function sheet(expertId: string, points: Record<string, number>, more: Partial<RecheckSheet> = {}): RecheckSheet {
	return {
		sheetId: nextId++,
		applicationId: 'app-1',
		expertId,
		status: 'submitted',
		points,
		declaredTotal: null,
		explanation: null,
		criteria: CRITERIA,
		...more
	};
}

/** Three agreeing sheets of 16 + 24 + 40 = 80 unless overridden. */
const full = (scale = 16, faculty = 24, plan = 40) => ({ scale, faculty, plan });

function input(sheets: RecheckSheet[], more: Partial<RecheckInput> = {}): RecheckInput {
	const assigned = new Set(sheets.map((s) => pairKey(s.applicationId, s.expertId)));
	return {
		applications: [{ id: 'app-1', occupation: 'ai', type: 'training' }],
		sheets,
		assigned,
		hardConflicts: new Map(),
		settings: { deviationPct: 20 },
		objectiveTolerance: 0,
		...more
	};
}

const rules = (i: RecheckInput) => recheckFindings(i).map((f) => f.rule);

describe('labels', () => {
	it('every rule has a Chinese label; unknown codes read as they are', () => {
		for (const r of RECHECK_RULES) expect(RECHECK_LABELS[r]).toMatch(/[\u4e00-\u9fff]/);
		expect(recheckLabel('TOTAL_MISMATCH')).toBe('合计与各项得分之和不符');
		expect(recheckLabel('OTHER')).toBe('OTHER');
	});
});

describe('clean sheets', () => {
	it('agreeing, complete, in-range sheets without declared totals give no finding', () => {
		expect(recheckFindings(input([sheet('e1', full()), sheet('e2', full()), sheet('e3', full())]))).toEqual([]);
	});
});

describe('TOTAL_MISMATCH', () => {
	it('a declared total that is not the sum of the points', () => {
		const s = sheet('e1', full(), { declaredTotal: 85 });
		const [f] = recheckFindings(input([s, sheet('e2', full()), sheet('e3', full())]));
		expect(f).toMatchObject({ rule: 'TOTAL_MISMATCH', sheetId: s.sheetId, expertId: 'e1', criterionId: null, declaredTotal: 85, sum: 80 });
		expect(f.key).toBe(`TOTAL_MISMATCH|${s.sheetId}|`);
		expect(f.detail).toBe('填写的合计 85 分，各项得分之和为 80 分');
	});
	it('a declared total equal to the sum (float noise aside) is fine; none declared is fine', () => {
		const s = sheet('e1', { scale: 16.5, faculty: 24, plan: 40 }, { declaredTotal: 80.5 });
		expect(rules(input([s, sheet('e2', full(16.5)), sheet('e3', full(16.5))]))).toEqual([]);
		const t = sheet('e1', { scale: 0.1 + 0.2, faculty: 0, plan: 0 }, { declaredTotal: 0.3 });
		expect(rules(input([t])).includes('TOTAL_MISMATCH')).toBe(false);
	});
	it('a declared total of 0 is a declared total', () => {
		expect(rules(input([sheet('e1', full(), { declaredTotal: 0 })]))).toEqual(['TOTAL_MISMATCH']);
	});
});

describe('OUT_OF_RANGE', () => {
	const one = (points: Record<string, number>) => recheckFindings(input([sheet('e1', points)])).filter((f) => f.rule === 'OUT_OF_RANGE');
	it('points below 0', () => {
		const [f] = one(full(-1));
		expect(f).toMatchObject({ kind: 'negative', criterionId: 'scale', value: -1, maxPoints: 20 });
		expect(f.detail).toContain('为负数');
	});
	it('points above maxPoints (the maximum itself is fine)', () => {
		expect(one(full(20))).toEqual([]);
		const [f] = one(full(20.5));
		expect(f).toMatchObject({ kind: 'above-max', value: 20.5, maxPoints: 20 });
		expect(f.detail).toBe('“培训规模与经验”得分 20.5 超过满分 20');
	});
	it('points not a multiple of 0.5', () => {
		expect(one(full(12.5))).toEqual([]);
		expect(one(full(12.3))[0]).toMatchObject({ kind: 'not-half-step', value: 12.3 });
		expect(one(full(Number.NaN))[0]).toMatchObject({ kind: 'not-half-step' });
	});
	it('a criterion of the rubric missing on a submitted sheet', () => {
		const [f] = one({ scale: 16, plan: 40 });
		expect(f).toMatchObject({ kind: 'missing', criterionId: 'faculty', value: null, key: expect.stringMatching(/^OUT_OF_RANGE\|\d+\|faculty$/) });
		expect(f.detail).toBe('已提交的评分表缺少“师资队伍”的得分');
	});
	it('points on a criterion the sheet’s rubric does not have', () => {
		const [f] = one({ ...full(), extra: 3 });
		expect(f).toMatchObject({ kind: 'unknown-criterion', criterionId: 'extra', value: 3 });
	});
	it('each criterion is its own finding', () => {
		expect(one({ scale: -1, faculty: 31 }).map((f) => f.kind)).toEqual(['negative', 'above-max', 'missing']);
	});
});

describe('which sheets are re-checked', () => {
	it('drafts, sheets of unassigned experts and sheets under a hard conflict are not', () => {
		const bad = { scale: 99, faculty: 0, plan: 0 };
		const draft = sheet('e1', bad, { status: 'draft', declaredTotal: 1 });
		const unassigned = sheet('e2', bad, { declaredTotal: 1 });
		const conflicted = sheet('e3', bad, { declaredTotal: 1 });
		const i = input([draft, unassigned, conflicted, sheet('e4', full()), sheet('e5', full())]);
		i.assigned.delete(pairKey('app-1', 'e2'));
		i.hardConflicts.set(pairKey('app-1', 'e3'), 'SAME_UNIT');
		expect(recheckFindings(i)).toEqual([]);
	});
	it('only the applications given, each sheet with its own application', () => {
		const other = sheet('e1', full(-3), { applicationId: 'app-2' });
		const i = input([other]);
		i.assigned.add(pairKey('app-2', 'e1'));
		expect(recheckFindings(i)).toEqual([]);
		i.applications.push({ id: 'app-2', occupation: 'ai', type: 'evaluation' });
		expect(recheckFindings(i)).toMatchObject([{ rule: 'OUT_OF_RANGE', applicationId: 'app-2', type: 'evaluation' }]);
	});
});

describe('OBJECTIVE_DIFFERS', () => {
	it('lists every member’s value when the spread exceeds the tolerance', () => {
		const a = sheet('e1', full(16));
		const b = sheet('e2', full(12, 28));
		const c = sheet('e3', full(16));
		const [f] = recheckFindings(input([c, a, b]));
		expect(f).toMatchObject({
			rule: 'OBJECTIVE_DIFFERS',
			key: 'OBJECTIVE_DIFFERS|app-1|scale',
			sheetId: null,
			criterionId: 'scale',
			criterionName: '培训规模与经验',
			spread: 4,
			tolerance: 0,
			members: [
				{ sheetId: a.sheetId, expertId: 'e1', points: 16 },
				{ sheetId: b.sheetId, expertId: 'e2', points: 12 },
				{ sheetId: c.sheetId, expertId: 'e3', points: 16 }
			]
		});
		expect(f.detail).toBe('客观评分项“培训规模与经验”各专家评分相差 4 分，超过允许误差 0 分');
	});
	it('a spread equal to the tolerance is within it; above it is not', () => {
		const s = () => [sheet('e1', full(16)), sheet('e2', full(15, 25))];
		expect(rules(input(s(), { objectiveTolerance: 1 }))).toEqual([]);
		expect(rules(input(s(), { objectiveTolerance: 0.5 }))).toEqual(['OBJECTIVE_DIFFERS']);
	});
	it('a negative or missing tolerance counts as 0', () => {
		const s = () => [sheet('e1', full(16)), sheet('e2', full(15.5, 24.5))];
		expect(recheckFindings(input(s(), { objectiveTolerance: -3 }))[0]).toMatchObject({ tolerance: 0 });
		expect(recheckFindings(input(s(), { objectiveTolerance: Number.NaN }))[0]).toMatchObject({ tolerance: 0 });
	});
	it('criteria not marked objective may differ', () => {
		expect(rules(input([sheet('e1', full(16, 20, 44)), sheet('e2', full(16, 28, 36))]))).toEqual([]);
	});
	it('the non-conflicted panel only: a recused member’s value does not count', () => {
		const i = input([sheet('e1', full(16)), sheet('e2', full(16)), sheet('e3', full(8, 28))]);
		expect(rules(i)).toEqual(['OBJECTIVE_DIFFERS']);
		i.hardConflicts.set(pairKey('app-1', 'e3'), 'DECLARED');
		expect(rules(i)).toEqual([]);
	});
	it('needs two members with points on it; a sheet whose rubric version does not mark it is left out', () => {
		const unmarked = CRITERIA.map((c) => ({ ...c, objective: false }));
		expect(rules(input([sheet('e1', full(16))]))).toEqual([]);
		expect(rules(input([sheet('e1', full(16)), sheet('e2', full(10, 30), { criteria: unmarked })]))).toEqual([]);
		const missing = sheet('e2', { faculty: 40, plan: 40 });
		expect(recheckFindings(input([sheet('e1', full(16)), missing])).filter((f) => f.rule === 'OBJECTIVE_DIFFERS')).toEqual([]);
	});
});

describe('ABNORMAL_SCORE', () => {
	it('the aggregation’s rule: deviation beyond deviationPct of the mean, with two valid sheets or more', () => {
		const low = sheet('e3', full(8, 12, 20)); // 40 against 80, 80 → mean 66.67, limit 13.3
		const i = input([sheet('e1', full()), sheet('e2', full()), low], { objectiveTolerance: 20 });
		const found = recheckFindings(i).filter((f) => f.rule === 'ABNORMAL_SCORE');
		expect(found).toHaveLength(1);
		expect(found[0]).toMatchObject({ sheetId: low.sheetId, expertId: 'e3', total: 40, explained: false, key: `ABNORMAL_SCORE|${low.sheetId}|` });
		expect(found[0].mean).toBeCloseTo(200 / 3);
		expect(found[0].detail).toContain('专家未填写说明');
		// the same sheets through aggregate() flag the same expert
		const agg = aggregate({
			settings: DEFAULT_AGGREGATION,
			applications: i.applications,
			sheets: i.sheets.map((s) => ({ applicationId: s.applicationId, expertId: s.expertId, rubricId: 'r', status: s.status, points: s.points, comment: null, explanation: null })),
			assigned: i.assigned,
			hardConflicts: i.hardConflicts,
			blocking: new Set(),
			decisions: []
		});
		expect(agg.groups[0].applications[0].sheets.filter((s) => s.abnormal).map((s) => s.expertId)).toEqual(['e3']);
	});
	it('shows whether the explanation is written (blank does not count)', () => {
		const mk = (explanation: string | null) =>
			recheckFindings(input([sheet('e1', full()), sheet('e2', full()), sheet('e3', full(8, 12, 20), { explanation })], { objectiveTolerance: 20 })).find(
				(f) => f.rule === 'ABNORMAL_SCORE'
			)!;
		expect(mk('  ').explained).toBe(false);
		expect(mk('材料核实后认为规模数据存疑').explained).toBe(true);
		expect(mk('材料核实后认为规模数据存疑').detail).toContain('专家已填写说明');
	});
	it('not with a single valid sheet; at exactly the limit not abnormal', () => {
		expect(rules(input([sheet('e1', full())]))).toEqual([]);
		expect(isAbnormalTotal(120, 100, 2, 20)).toBe(false);
		expect(isAbnormalTotal(120.5, 100, 2, 20)).toBe(true);
		expect(isAbnormalTotal(200, 100, 1, 20)).toBe(false);
	});
	it('follows the batch’s deviationPct', () => {
		const s = () => [sheet('e1', full()), sheet('e2', full(16, 24, 30))]; // 80 and 70: mean 75, deviation 5 = 6.7 %
		expect(rules(input(s()))).toEqual([]);
		expect(rules(input(s(), { settings: { deviationPct: 5 } }))).toEqual(['ABNORMAL_SCORE', 'ABNORMAL_SCORE']);
	});
});

describe('order', () => {
	it('per application: the sheets’ TOTAL_MISMATCH and OUT_OF_RANGE, then OBJECTIVE_DIFFERS, then ABNORMAL_SCORE', () => {
		const i = input([sheet('e2', full(2, 10, 10), { declaredTotal: 30 }), sheet('e1', full(16.3))], { settings: { deviationPct: 20 } });
		expect(rules(i)).toEqual(['OUT_OF_RANGE', 'TOTAL_MISMATCH', 'OBJECTIVE_DIFFERS', 'ABNORMAL_SCORE', 'ABNORMAL_SCORE']);
	});
});

describe('handled findings', () => {
	const scenario = () => {
		const a = sheet('e1', full(16));
		const b = sheet('e2', full(12));
		const c = sheet('e3', full(8, 12, 20));
		return { a, b, c, findings: recheckFindings(input([a, b, c])) };
	};
	const confirm = (sheetId: number, rule: string, value: number, criterionId: string | null = null): RecheckCorrection => ({
		sheetId,
		criterionId,
		rule,
		oldValue: value,
		newValue: value
	});

	it('a confirmation is a correction with old = new', () => {
		expect(isConfirmation({ oldValue: 3, newValue: 3 })).toBe(true);
		expect(isConfirmation({ oldValue: 3, newValue: 4 })).toBe(false);
		expect(isConfirmation({ oldValue: null, newValue: null })).toBe(false);
	});
	it('OBJECTIVE_DIFFERS is handled when every member’s current value is confirmed', () => {
		const { a, b, c, findings } = scenario();
		const partial = [confirm(a.sheetId, 'OBJECTIVE_DIFFERS', 16, 'scale'), confirm(b.sheetId, 'OBJECTIVE_DIFFERS', 12, 'scale')];
		const od = (cs: RecheckCorrection[]) => markHandled(findings, cs).find((f) => f.rule === 'OBJECTIVE_DIFFERS')!.handled;
		expect(od(partial)).toBe(false);
		expect(od([...partial, confirm(c.sheetId, 'OBJECTIVE_DIFFERS', 8, 'scale')])).toBe(true);
		// a confirmation of another value (the points moved since), rule or criterion does not count
		expect(od([...partial, confirm(c.sheetId, 'OBJECTIVE_DIFFERS', 9, 'scale')])).toBe(false);
		expect(od([...partial, confirm(c.sheetId, 'ABNORMAL_SCORE', 8, 'scale')])).toBe(false);
		expect(od([...partial, confirm(c.sheetId, 'OBJECTIVE_DIFFERS', 8, 'faculty')])).toBe(false);
		// a real correction (old ≠ new) is not a confirmation
		expect(od([...partial, { sheetId: c.sheetId, criterionId: 'scale', rule: 'OBJECTIVE_DIFFERS', oldValue: 4, newValue: 8 }])).toBe(false);
	});
	it('ABNORMAL_SCORE is handled when the sheet’s current total is confirmed', () => {
		const { c, findings } = scenario();
		const ab = (cs: RecheckCorrection[]) => markHandled(findings, cs).find((f) => f.rule === 'ABNORMAL_SCORE' && f.sheetId === c.sheetId)!.handled;
		expect(ab([])).toBe(false);
		expect(ab([confirm(c.sheetId, 'ABNORMAL_SCORE', 40)])).toBe(true);
		expect(ab([confirm(c.sheetId, 'ABNORMAL_SCORE', 41)])).toBe(false);
		expect(ab([confirm(c.sheetId, 'ABNORMAL_SCORE', 40, 'scale')])).toBe(false);
	});
	it('TOTAL_MISMATCH and OUT_OF_RANGE are never handled while present: they are corrected', () => {
		const s = sheet('e1', full(21), { declaredTotal: 1 });
		const f = recheckFindings(input([s]));
		const marked = markHandled(f, [confirm(s.sheetId, 'TOTAL_MISMATCH', 1), confirm(s.sheetId, 'OUT_OF_RANGE', 21, 'scale')]);
		expect(marked.map((m) => [m.rule, m.handled])).toEqual([
			['TOTAL_MISMATCH', false],
			['OUT_OF_RANGE', false]
		]);
	});
	it('a correction that moves the value makes the finding disappear', () => {
		const s = sheet('e1', full(), { declaredTotal: 85 });
		expect(rules(input([s]))).toEqual(['TOTAL_MISMATCH']);
		expect(rules(input([{ ...s, declaredTotal: 80 }]))).toEqual([]);
	});
});
