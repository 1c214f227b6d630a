import { describe, it, expect } from 'vitest';
import {
	EPSILON,
	FLAG_LABELS,
	FLAGS,
	NOT_ASSIGNED,
	aggregate,
	competitionRanks,
	medianOf,
	meanOf,
	pairKey,
	round2,
	sheetTotal,
	toResultsJson,
	trimmedMeanOf,
	type AggregateInput,
	type ApplicationResult,
	type Results
} from './aggregation';
import { DEFAULT_AGGREGATION, type AggregationSettings, type Decision, type Score } from './bundle';

/* ---------- helpers: hand-written scenarios ---------- */

type AppSpec = { occupation?: string; type?: 'training' | 'evaluation'; totals: number[] };

function sheet(applicationId: string, expertId: string, total: number, status: Score['status'] = 'submitted'): Score {
	return { applicationId, expertId, rubricId: 'rub-training', status, points: { a: total }, comment: null, explanation: null };
}

/**
 * Applications by id; the j-th total is a submitted sheet of expert `e{j+1}`, who is assigned.
 * `extra` sheets are added as given (not assigned unless listed in `assign`).
 */
function scenario(
	apps: Record<string, number[] | AppSpec>,
	opts: {
		settings?: Partial<AggregationSettings>;
		method?: AggregationSettings['method'];
		extra?: Score[];
		assign?: [string, string][];
		conflicts?: [string, string, string][];
		blocking?: string[];
		decisions?: Decision[];
	} = {}
): AggregateInput {
	const applications: AggregateInput['applications'] = [];
	const sheets: Score[] = [];
	const assigned = new Set<string>();
	for (const [id, spec] of Object.entries(apps)) {
		const s: AppSpec = Array.isArray(spec) ? { totals: spec } : spec;
		applications.push({ id, occupation: s.occupation ?? 'ai', type: s.type ?? 'training' });
		s.totals.forEach((t, j) => {
			sheets.push(sheet(id, `e${j + 1}`, t));
			assigned.add(pairKey(id, `e${j + 1}`));
		});
	}
	for (const [a, e] of opts.assign ?? []) assigned.add(pairKey(a, e));
	return {
		settings: { ...DEFAULT_AGGREGATION, ...opts.settings },
		method: opts.method,
		applications,
		sheets: [...sheets, ...(opts.extra ?? [])],
		assigned,
		hardConflicts: new Map((opts.conflicts ?? []).map(([a, e, code]) => [pairKey(a, e), code])),
		blocking: new Set(opts.blocking ?? []),
		decisions: opts.decisions ?? []
	};
}

function app(r: Results, id: string): ApplicationResult {
	for (const g of r.groups) for (const a of g.applications) if (a.id === id) return a;
	throw new Error(`no ${id}`);
}

/* ---------- the methods on plain totals ---------- */

describe('methods on valid totals', () => {
	it('trimmed: n = 5 drops one highest and one lowest; n = 4 is the plain mean', () => {
		expect(trimmedMeanOf([60, 70, 80, 90, 100])).toBe(80);
		expect(trimmedMeanOf([70, 80, 90, 100])).toBe(85);
		// n = 4 is not trimmed: (60 + 80 + 90 + 100) / 4 = 82.5, not (80 + 90) / 2 = 85
		expect(trimmedMeanOf([60, 80, 90, 100])).toBe(82.5);
		// asymmetric: (70 + 80 + 90) / 3 = 80 while the mean is 390 / 5 = 78
		expect(trimmedMeanOf([100, 50, 80, 70, 90])).toBe(80);
		expect(meanOf([100, 50, 80, 70, 90])).toBe(78);
		// only ONE highest and ONE lowest are dropped: (90 + 90 + 60 + 60) / 4 = 75
		expect(trimmedMeanOf([90, 90, 90, 60, 60, 60])).toBe(75);
		// all equal
		expect(trimmedMeanOf([70, 70, 70, 70, 70])).toBe(70);
	});

	it('median: odd count is the middle, even count the mean of the two middle ones', () => {
		expect(medianOf([100, 60, 70])).toBe(70);
		expect(medianOf([100, 60, 90, 70])).toBe(80);
		expect(medianOf([65])).toBe(65);
	});

	it('sheetTotal sums the points; round2 rounds half away from zero for display', () => {
		expect(sheetTotal({ a: 17.5, b: 20, c: 0.5 })).toBe(38);
		expect(sheetTotal({})).toBe(0);
		expect(round2(84.125)).toBe(84.13);
		expect(round2(1.005)).toBe(1.01);
		expect(round2(-1.005)).toBe(-1.01);
		expect(round2(80.33333333)).toBe(80.33);
		expect(round2(72)).toBe(72);
		expect(Object.is(round2(-0.001), 0)).toBe(true);
	});

	it('competition ranks: 1, 2, 2, 4; scores within 1e-9 tie; NaN is unranked (0)', () => {
		expect([...competitionRanks([90, 80, 80, 70])]).toEqual([1, 2, 2, 4]);
		expect([...competitionRanks([70, 80, 90, 80])]).toEqual([4, 2, 1, 2]);
		expect([...competitionRanks([90, 80, 80 + 1e-12, NaN, 70])]).toEqual([1, 2, 2, 0, 4]);
		expect([...competitionRanks([80, 80 - 2 * EPSILON])]).toEqual([1, 2]);
		expect([...competitionRanks([])]).toEqual([]);
	});

	it('flags are labelled in Chinese, in the fixed order', () => {
		expect(FLAGS).toEqual(['TIE', 'INSUFFICIENT_REVIEWS', 'HIGH_DISPERSION', 'ABNORMAL_SCORE']);
		for (const f of FLAGS) expect(FLAG_LABELS[f]).toMatch(/[\u4e00-\u9fff]/);
	});
});

/* ---------- the engine ---------- */

describe('aggregate: methods end to end', () => {
	const apps = { five: [60, 70, 80, 90, 100], four: [70, 80, 90, 100], odd: [50, 100, 70], skew: [100, 50, 80, 70, 90] };

	it('trimmed (default): n = 5 trims, n = 4 does not', () => {
		const r = aggregate(scenario(apps));
		expect(r.method).toBe('trimmed');
		expect(app(r, 'five').score).toBe(80);
		expect(app(r, 'four').score).toBe(85);
		expect(app(r, 'odd').score).toBe(220 / 3);
		expect(app(r, 'skew').score).toBe(80);
		expect(app(r, 'four').rank).toBe(1);
		// five and skew tie at 80
		expect(app(r, 'five').rank).toBe(2);
		expect(app(r, 'skew').rank).toBe(2);
		expect(app(r, 'odd').rank).toBe(4);
	});

	it('mean', () => {
		const r = aggregate(scenario(apps, { settings: { method: 'mean' } }));
		expect(r.method).toBe('mean');
		expect(app(r, 'five').score).toBe(80);
		expect(app(r, 'skew').score).toBe(78);
		expect(app(r, 'odd').score).toBe(220 / 3);
	});

	it('median, odd and even n', () => {
		const r = aggregate(scenario(apps, { method: 'median' }));
		expect(app(r, 'odd').score).toBe(70);
		expect(app(r, 'four').score).toBe(85);
		expect(app(r, 'five').score).toBe(80);
		expect(app(r, 'odd').median).toBe(70);
	});

	it('the method argument overrides the settings, and the result carries it', () => {
		const r = aggregate(scenario(apps, { settings: { method: 'median' }, method: 'mean' }));
		expect(r.method).toBe('mean');
		expect(r.settings.method).toBe('mean');
		expect(app(r, 'skew').score).toBe(78);
	});

	/*
	 * zscore by hand (minReviews 2):
	 *   e1: A 84, B 78 → μ 81, σ 3 → z(A) = +1, z(B) = −1
	 *   e2: A 61, C 55 → μ 58, σ 3 → z(A) = +1, z(C) = −1
	 *   e3: B 76, C 72 → μ 74, σ 2 → z(B) = +1, z(C) = −1
	 *   z̄: A = 1, B = 0, C = −1. All totals 84 78 61 55 76 72: M = 426/6 = 71,
	 *   deviations 13 7 −10 −16 5 1, squares sum 600, S = √(600/6) = 10.
	 *   zscore: A 81, B 71, C 61; the mean would rank B (77) above A (72.5).
	 */
	const zInput = (extra: Score[] = []) => {
		const input = scenario({ A: [], B: [], C: [] }, { settings: { minReviews: 2 }, method: 'zscore' });
		const s: [string, string, number][] = [
			['A', 'e1', 84], ['B', 'e1', 78],
			['A', 'e2', 61], ['C', 'e2', 55],
			['B', 'e3', 76], ['C', 'e3', 72]
		];
		for (const [a, e, t] of s) {
			input.sheets.push(sheet(a, e, t));
			input.assigned.add(pairKey(a, e));
		}
		for (const x of extra) {
			input.sheets.push(x);
			input.assigned.add(pairKey(x.applicationId, x.expertId));
		}
		return input;
	};

	it('zscore: hand-computed case reverses the mean order', () => {
		const z = aggregate(zInput());
		expect(app(z, 'A').score).toBeCloseTo(81, 12);
		expect(app(z, 'B').score).toBeCloseTo(71, 12);
		expect(app(z, 'C').score).toBeCloseTo(61, 12);
		expect(z.groups[0].applications.map((a) => a.id)).toEqual(['A', 'B', 'C']);
		const m = aggregate({ ...zInput(), method: 'mean' });
		expect(app(m, 'A').score).toBe(72.5);
		expect(app(m, 'B').score).toBe(77);
		expect(m.groups[0].applications.map((a) => a.id)).toEqual(['B', 'A', 'C']);
	});

	it('zscore: an expert with one sheet in the group has z = 0; S is the population deviation', () => {
		// e4 gives B 71 once: M stays 497/7 = 71, Σ squares stays 600, S = √(600/7); z̄(B) = (−1 + 1 + 0)/3 = 0
		const z = aggregate(zInput([sheet('B', 'e4', 71)]));
		const S = Math.sqrt(600 / 7);
		expect(app(z, 'A').score).toBeCloseTo(71 + S, 12);
		expect(app(z, 'B').score).toBeCloseTo(71, 12);
		expect(app(z, 'C').score).toBeCloseTo(71 - S, 12);
	});

	it('zscore: all totals equal (S = 0) gives every application M, all tied', () => {
		const r = aggregate(scenario({ A: [70, 70, 70], B: [70, 70, 70] }, { method: 'zscore' }));
		expect(app(r, 'A').score).toBe(70);
		expect(app(r, 'B').score).toBe(70);
		expect(app(r, 'A').flags).toEqual(['TIE']);
	});

	it('zscore standardizes within the group only', () => {
		// the same experts score a second group with other totals: group ai/training is unchanged
		const base = aggregate(zInput());
		const input = zInput();
		input.applications.push({ id: 'X', occupation: 'iot', type: 'training' });
		for (const [e, t] of [['e1', 20], ['e2', 99], ['e3', 50]] as const) {
			input.sheets.push(sheet('X', e, t));
			input.assigned.add(pairKey('X', e));
		}
		const r = aggregate(input);
		expect(app(r, 'A').score).toBe(app(base, 'A').score);
		expect(app(r, 'C').score).toBe(app(base, 'C').score);
		// a lone application: every z is 0 (one sheet per expert), score = M = 169/3
		expect(app(r, 'X').score).toBeCloseTo(169 / 3, 12);
	});
});

describe('aggregate: valid and excluded sheets', () => {
	it('excludes a conflicted sheet with its code and a not-assigned sheet with NOT_ASSIGNED; drafts are ignored', () => {
		const r = aggregate(
			scenario(
				{ A: [80, 80, 80] },
				{
					extra: [
						sheet('A', 'x-conflict', 10),
						sheet('A', 'x-unassigned', 20),
						sheet('A', 'x-both', 30),
						sheet('A', 'x-draft', 0, 'draft'),
						sheet('A', 'x-draft-unassigned', 0, 'draft')
					],
					assign: [
						['A', 'x-conflict'],
						['A', 'x-draft']
					],
					conflicts: [
						['A', 'x-conflict', 'SAME_UNIT'],
						['A', 'x-both', 'DECLARED']
					]
				}
			)
		);
		const a = app(r, 'A');
		expect(a.n).toBe(3);
		expect(a.score).toBe(80);
		expect(a.excluded).toEqual([
			{ expertId: 'x-both', why: 'DECLARED' },
			{ expertId: 'x-conflict', why: 'SAME_UNIT' },
			{ expertId: 'x-unassigned', why: NOT_ASSIGNED }
		]);
		expect(a.flags).toEqual([]);
		// every sheet is listed, by expert id, drafts with no reason
		expect(a.sheets.map((s) => [s.expertId, s.valid, s.excludedWhy])).toEqual([
			['e1', true, null],
			['e2', true, null],
			['e3', true, null],
			['x-both', false, 'DECLARED'],
			['x-conflict', false, 'SAME_UNIT'],
			['x-draft', false, null],
			['x-draft-unassigned', false, null],
			['x-unassigned', false, 'NOT_ASSIGNED']
		]);
		expect(a.sheets.find((s) => s.expertId === 'x-draft')!.deviation).toBeNull();
	});

	it('a confirmed soft conflict given in hardConflicts excludes the sheet too', () => {
		const r = aggregate(scenario({ A: [80, 80, 80, 40] }, { conflicts: [['A', 'e4', 'SHARED_UNIT_WITH_STAFF']] }));
		expect(app(r, 'A').n).toBe(3);
		expect(app(r, 'A').excluded).toEqual([{ expertId: 'e4', why: 'SHARED_UNIT_WITH_STAFF' }]);
		expect(app(r, 'A').score).toBe(80);
	});

	it('excluding a sheet can take n from 5 to 4 (trimmed becomes the mean)', () => {
		const totals = [50, 70, 80, 90, 100];
		expect(app(aggregate(scenario({ A: totals })), 'A').score).toBe(80); // (70 + 80 + 90) / 3
		const r = aggregate(scenario({ A: totals }, { conflicts: [['A', 'e5', 'LISTED_IN_APPLICATION']] }));
		expect(app(r, 'A').n).toBe(4);
		expect(app(r, 'A').score).toBe(72.5); // (50 + 70 + 80 + 90) / 4, not (70 + 80) / 2
	});

	it('a later sheet of the same expert replaces the earlier one', () => {
		const input = scenario({ A: [60, 60, 60] });
		input.sheets.push(sheet('A', 'e1', 90));
		const a = app(aggregate(input), 'A');
		expect(a.n).toBe(3);
		expect(a.score).toBe(70);
	});

	it('fewer than minReviews valid sheets: no score, no rank, INSUFFICIENT_REVIEWS; unranked last by id', () => {
		const r = aggregate(
			scenario(
				{ Z: [90, 90, 90], Y: [95, 60], X: [] },
				{ extra: [sheet('X', 'd1', 99, 'draft'), sheet('W', 'nobody', 50)] } // W is not an application
			)
		);
		const ids = r.groups[0].applications.map((a) => [a.id, a.rank, a.score, a.flags]);
		expect(ids).toEqual([
			['Z', 1, 90, []],
			['X', null, null, ['INSUFFICIENT_REVIEWS']],
			// the other flags still apply to unranked applications
			['Y', null, null, ['INSUFFICIENT_REVIEWS', 'HIGH_DISPERSION', 'ABNORMAL_SCORE']]
		]);
		const x = app(r, 'X');
		expect(x.n).toBe(0);
		expect([x.mean, x.median, x.min, x.max, x.spread]).toEqual([null, null, null, null, null]);
		expect(x.defaultProposed).toBe(false);
		const y = app(r, 'Y');
		expect([y.mean, y.median, y.min, y.max, y.spread]).toEqual([77.5, 77.5, 60, 95, 35]);
	});

	it('minReviews is a batch setting', () => {
		const r = aggregate(scenario({ Y: [95, 60] }, { settings: { minReviews: 2 } }));
		expect(app(r, 'Y').score).toBe(77.5);
		expect(app(r, 'Y').flags).toEqual(['HIGH_DISPERSION', 'ABNORMAL_SCORE']);
	});
});

describe('aggregate: flags', () => {
	it('ties: ranks 1, 2, 2, 4 and TIE on both tied applications only', () => {
		const r = aggregate(scenario({ a: [90, 90, 90], b: [80, 80, 80], c: [70, 85, 85], d: [70, 70, 70] }));
		expect(r.groups[0].applications.map((x) => [x.id, x.rank, x.flags])).toEqual([
			['a', 1, []],
			['b', 2, ['TIE']],
			['c', 2, ['TIE']],
			['d', 4, []]
		]);
	});

	it('HIGH_DISPERSION: spread exactly at the threshold is not flagged, just above is', () => {
		const r = aggregate(scenario({ at: [60, 70, 80], above: [60, 70, 80.5], custom: [60, 70, 80] }));
		expect(app(r, 'at').spread).toBe(20);
		expect(app(r, 'at').flags).not.toContain('HIGH_DISPERSION');
		expect(app(r, 'above').flags).toContain('HIGH_DISPERSION');
		const r2 = aggregate(scenario({ custom: [60, 70, 80] }, { settings: { dispersionThreshold: 19.5 } }));
		expect(app(r2, 'custom').flags).toContain('HIGH_DISPERSION');
	});

	it('ABNORMAL_SCORE: exactly 20% of the mean is not flagged, beyond is; the sheet is marked', () => {
		// mean 80, 20% = 16: 64 and 96 deviate by exactly 16
		const r = aggregate(
			scenario({ at: [64, 80, 96], above: { occupation: 'iot', totals: [63.5, 80, 96.5] } }, { settings: { dispersionThreshold: 100 } })
		);
		const at = app(r, 'at');
		expect(at.flags).toEqual([]);
		expect(at.sheets.map((s) => s.abnormal)).toEqual([false, false, false]);
		expect(at.sheets.map((s) => s.deviation)).toEqual([-16, 0, 16]);
		const above = app(r, 'above');
		expect(above.flags).toEqual(['ABNORMAL_SCORE']);
		expect(above.sheets.map((s) => s.abnormal)).toEqual([true, false, true]);
		// deviationPct is a batch setting
		const r2 = aggregate(scenario({ at: [64, 80, 96] }, { settings: { deviationPct: 19.9, dispersionThreshold: 100 } }));
		expect(app(r2, 'at').flags).toEqual(['ABNORMAL_SCORE']);
	});

	it('ABNORMAL_SCORE and HIGH_DISPERSION need n ≥ 2', () => {
		const r = aggregate(scenario({ one: [5] }, { settings: { dispersionThreshold: 0, deviationPct: 0 } }));
		expect(app(r, 'one').flags).toEqual(['INSUFFICIENT_REVIEWS']);
		expect(app(r, 'one').sheets[0].abnormal).toBe(false);
	});

	it('all flags in the fixed order', () => {
		const r = aggregate(scenario({ a: [40, 80, 90], b: [40, 80, 90] }));
		expect(app(r, 'a').flags).toEqual(['TIE', 'HIGH_DISPERSION', 'ABNORMAL_SCORE']);
	});
});

describe('aggregate: proposed', () => {
	it('default: ranked and score ≥ passScore (60 exactly passes)', () => {
		const r = aggregate(scenario({ p: [60, 60, 60], q: [59.5, 59.5, 59.5], u: [99, 99] }));
		expect(app(r, 'p').defaultProposed).toBe(true);
		expect(app(r, 'q').defaultProposed).toBe(false);
		expect(app(r, 'u').defaultProposed).toBe(false); // unranked
		expect(app(r, 'p').proposed).toBe(true);
	});

	it('maxPerGroup with a tie at the border keeps every application of that rank', () => {
		const apps = { a: [90, 90, 90], b: [85, 85, 85], c: [85, 85, 85], d: [70, 70, 70] };
		const r2 = aggregate(scenario(apps, { settings: { maxPerGroup: 2 } }));
		expect(r2.groups[0].applications.map((x) => [x.id, x.rank, x.defaultProposed])).toEqual([
			['a', 1, true],
			['b', 2, true],
			['c', 2, true],
			['d', 4, false]
		]);
		const r1 = aggregate(scenario(apps, { settings: { maxPerGroup: 1 } }));
		expect(r1.groups[0].applications.map((x) => x.defaultProposed)).toEqual([true, false, false, false]);
		const r3 = aggregate(scenario(apps, { settings: { maxPerGroup: 3 } }));
		expect(r3.groups[0].applications.map((x) => x.defaultProposed)).toEqual([true, true, true, false]);
	});

	it('a blocking finding stops the default proposal but not the rank', () => {
		const r = aggregate(scenario({ a: [90, 90, 90], b: [80, 80, 80] }, { blocking: ['a'], settings: { maxPerGroup: 1 } }));
		expect(app(r, 'a').rank).toBe(1);
		expect(app(r, 'a').defaultProposed).toBe(false);
		expect(app(r, 'a').proposed).toBe(false);
		// rank 2 is still outside maxPerGroup 1
		expect(app(r, 'b').defaultProposed).toBe(false);
	});

	it('the recorded decision overrides the default', () => {
		const r = aggregate(
			scenario(
				{ a: [90, 90, 90], b: [80, 80, 80], c: [50, 50, 50], u: [99] },
				{
					decisions: [
						{ applicationId: 'a', decision: 'not-proposed', reason: '实地考察不符' },
						{ applicationId: 'b', decision: 'site-visit', reason: null },
						{ applicationId: 'c', decision: 'pending', reason: null },
						{ applicationId: 'c', decision: 'proposed', reason: '会议决定' }, // the last one counts
						{ applicationId: 'u', decision: 'proposed', reason: '补充评审后' }
					]
				}
			)
		);
		expect([app(r, 'a').defaultProposed, app(r, 'a').proposed, app(r, 'a').decision]).toEqual([true, false, 'not-proposed']);
		expect([app(r, 'b').defaultProposed, app(r, 'b').proposed]).toEqual([true, false]);
		expect([app(r, 'c').defaultProposed, app(r, 'c').proposed, app(r, 'c').decision]).toEqual([false, true, 'proposed']);
		expect([app(r, 'u').defaultProposed, app(r, 'u').proposed]).toEqual([false, true]);
	});
});

describe('aggregate: groups, ordering, criterion means', () => {
	it('groups only where there are applications, by occupation key then type (plain string order)', () => {
		const r = aggregate(
			scenario({
				t1: { occupation: 'iot', type: 'training', totals: [70, 70, 70] },
				e1: { occupation: 'iot', type: 'evaluation', totals: [70, 70, 70] },
				d1: { occupation: 'digital-management', type: 'training', totals: [70, 70, 70] },
				a2: { occupation: 'ai', type: 'training', totals: [60, 60, 60] },
				a1: { occupation: 'ai', type: 'training', totals: [60, 60, 60] },
				b1: { occupation: 'bigdata', type: 'training', totals: [70, 70, 70] }
			})
		);
		expect(r.groups.map((g) => `${g.occupation}/${g.type}`)).toEqual([
			'ai/training',
			'bigdata/training',
			'digital-management/training',
			'iot/evaluation',
			'iot/training'
		]);
		// ranking is within a group: each group has its own rank 1; tied a1/a2 by id
		expect(r.groups[0].applications.map((a) => [a.id, a.rank])).toEqual([
			['a1', 1],
			['a2', 1]
		]);
		expect(app(r, 'e1').rank).toBe(1);
		expect(app(r, 't1').rank).toBe(1);
		expect(app(r, 't1').flags).toEqual([]);
	});

	it('criterion means over valid sheets only, in the rubric order', () => {
		const input = scenario({ A: [] });
		const pts: [string, Score['status'], Record<string, number>][] = [
			['e1', 'submitted', { plan: 8, scale: 15 }],
			['e2', 'submitted', { scale: 18, plan: 9, extra: 1 }],
			['e3', 'submitted', { scale: 12 }],
			['e4', 'draft', { scale: 0, plan: 0 }],
			['e5', 'submitted', { scale: 0, plan: 0 }] // not assigned
		];
		for (const [e, status, points] of pts) {
			input.sheets.push({ applicationId: 'A', expertId: e, rubricId: 'rub-training', status, points, comment: null, explanation: null });
			if (e !== 'e5') input.assigned.add(pairKey('A', e));
		}
		input.rubrics = [
			{
				id: 'rub-training',
				type: 'training',
				criteria: [
					{ id: 'scale', name: '培训规模与经验', maxPoints: 20, guidance: null },
					{ id: 'team', name: '师资', maxPoints: 20, guidance: null },
					{ id: 'plan', name: '下步规划', maxPoints: 10, guidance: null }
				]
			}
		];
		const a = app(aggregate(input), 'A');
		expect(a.criterionMeans).toEqual({ scale: 15, plan: 8.5, extra: 1 });
		expect(Object.keys(a.criterionMeans)).toEqual(['scale', 'plan', 'extra']);
		expect(a.sheets.map((s) => s.total)).toEqual([23, 28, 12, 0, 0]);
		expect(a.score).toBe(21);
	});
});

describe('toResultsJson', () => {
	it('has exactly the keys of bundle.md in their order, with unrounded scores', () => {
		const r = aggregate(
			scenario(
				{ a: [80, 80, 81], b: [95, 50] },
				{ extra: [sheet('a', 'x9', 10)], conflicts: [['a', 'x9', 'SAME_UNIT']], settings: { dispersionThreshold: 20 } }
			)
		);
		const json = toResultsJson(r);
		expect(Object.keys(json)).toEqual(['method', 'groups']);
		expect(Object.keys(json.groups[0])).toEqual(['occupation', 'type', 'applications']);
		expect(Object.keys(json.groups[0].applications[0])).toEqual(['id', 'score', 'n', 'rank', 'proposed', 'flags', 'excluded']);
		expect(Object.keys(json.groups[0].applications[0].excluded[0])).toEqual(['expertId', 'why']);
		expect(JSON.stringify(json)).toBe(
			'{"method":"trimmed","groups":[{"occupation":"ai","type":"training","applications":[' +
				`{"id":"a","score":${241 / 3},"n":3,"rank":1,"proposed":true,"flags":[],"excluded":[{"expertId":"x9","why":"SAME_UNIT"}]},` +
				'{"id":"b","score":null,"n":2,"rank":null,"proposed":false,"flags":["INSUFFICIENT_REVIEWS","HIGH_DISPERSION","ABNORMAL_SCORE"],"excluded":[]}' +
				']}]}'
		);
	});
});

/* ---------- performance ---------- */

function lcg(seed: number) {
	let s = seed >>> 0;
	return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}

describe('national scale', () => {
	it('12,000 applications × 7 sheets × 7 criteria aggregate (trimmed) into 20 ranked groups (timing: npm run bench)', () => {
		const rnd = lcg(42);
		const occupations = ['ai', 'iot', 'bigdata', 'cloud', 'smart-manufacturing', 'industrial-internet', 'vr', 'blockchain', 'ic', 'digital-management'];
		const applications: AggregateInput['applications'] = [];
		const sheets: Score[] = [];
		const assigned = new Set<string>();
		for (let i = 0; i < 12000; i++) {
			const id = `app-${i}`;
			const occupation = occupations[i % 10];
			const type = (i >> 1) % 2 === 0 ? 'training' : 'evaluation';
			applications.push({ id, occupation, type });
			const first = Math.floor(rnd() * 40);
			for (let j = 0; j < 7; j++) {
				const expertId = `exp-${occupation}-${(first + j * 3) % 40}`;
				const points: Record<string, number> = {};
				for (let c = 0; c < 7; c++) points[`c${c}`] = Math.round(rnd() * 28) / 2;
				sheets.push({ applicationId: id, expertId, rubricId: `rub-${type}`, status: 'submitted', points, comment: null, explanation: null });
				assigned.add(pairKey(id, expertId));
			}
		}
		const input: AggregateInput = {
			settings: DEFAULT_AGGREGATION,
			applications,
			sheets,
			assigned,
			hardConflicts: new Map(),
			blocking: new Set(),
			decisions: []
		};
		const r = aggregate(input);
		expect(r.groups.length).toBe(20);
		expect(r.groups.reduce((s, g) => s + g.applications.length, 0)).toBe(12000);
		expect(r.groups[0].applications[0].rank).toBe(1);
	});
});
