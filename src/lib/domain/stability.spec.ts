import { describe, it, expect } from 'vitest';
import { pairKey, type AggregateInput } from './aggregation';
import { DEFAULT_AGGREGATION, type AggregationSettings, type Score } from './bundle';
import { cutStability, hashString, mulberry32, type ApplicationStability, type CutStability } from './stability';

function sheet(applicationId: string, expertId: string, total: number): Score {
	return { applicationId, expertId, rubricId: 'rub-training', status: 'submitted', points: { a: total }, comment: null, explanation: null };
}

/** Applications by id with their totals (expert `e{j+1}` gives the j-th), all in group ai/training. */
function input(
	apps: Record<string, number[] | [string, number][]>,
	settings: Partial<AggregationSettings> = {},
	extra: Partial<AggregateInput> = {}
): AggregateInput {
	const sheets: Score[] = [];
	const assigned = new Set<string>();
	for (const [id, list] of Object.entries(apps)) {
		list.forEach((x, j) => {
			const [expertId, total] = typeof x === 'number' ? [`e${j + 1}`, x] : x;
			sheets.push(sheet(id, expertId, total));
			assigned.add(pairKey(id, expertId));
		});
	}
	return {
		settings: { ...DEFAULT_AGGREGATION, ...settings },
		applications: Object.keys(apps).map((id) => ({ id, occupation: 'ai', type: 'training' })),
		sheets,
		assigned,
		hardConflicts: new Map(),
		blocking: new Set(),
		decisions: [],
		...extra
	};
}

function app(r: CutStability, id: string): ApplicationStability {
	for (const g of r.groups) for (const a of g.applications) if (a.id === id) return a;
	throw new Error(`no ${id}`);
}

describe('seeded PRNG', () => {
	it('FNV-1a matches its reference vectors', () => {
		expect(hashString('')).toBe(0x811c9dc5);
		expect(hashString('a')).toBe(0xe40c292c);
		expect(hashString('foobar')).toBe(0xbf9cf968);
	});

	it('mulberry32 is deterministic, in [0, 1), and roughly uniform', () => {
		const a = mulberry32(7);
		const b = mulberry32(7);
		const xs = Array.from({ length: 10000 }, () => a());
		expect(xs.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b()));
		expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
		expect(Math.max(...xs)).toBeLessThan(1);
		expect(xs.reduce((s, x) => s + x, 0) / xs.length).toBeCloseTo(0.5, 1);
		expect(mulberry32(8)()).not.toBe(mulberry32(7)());
	});
});

describe('cutStability', () => {
	it('ranks under every method side by side; a method that changes the status marks both applications', () => {
		// the zscore case of aggregation.spec: mean A 72.5, B 77, C 63.5; zscore A 81, B 71, C 61
		const zin = input(
			{
				A: [['e1', 84], ['e2', 61]],
				B: [['e1', 78], ['e3', 76]],
				C: [['e2', 55], ['e3', 72]]
			},
			{ minReviews: 2, passScore: 75 }
		);
		const r = cutStability({ ...zin, bootstrap: 0 });
		expect(r.method).toBe('trimmed');
		expect(app(r, 'A').ranks).toEqual({ trimmed: 2, mean: 2, median: 2, zscore: 1 });
		expect(app(r, 'B').ranks).toEqual({ trimmed: 1, mean: 1, median: 1, zscore: 2 });
		expect(app(r, 'C').ranks).toEqual({ trimmed: 3, mean: 3, median: 3, zscore: 3 });
		expect(Object.keys(app(r, 'A').ranks)).toEqual(['trimmed', 'mean', 'median', 'zscore']);
		// trimmed: B (77) passes 75, A (72.5) does not; zscore: the other way round
		expect([app(r, 'A').defaultProposed, app(r, 'B').defaultProposed, app(r, 'C').defaultProposed]).toEqual([false, true, false]);
		expect(app(r, 'A').unstable).toBe(true);
		expect(app(r, 'B').unstable).toBe(true);
		expect(app(r, 'C').unstable).toBe(false);
	});

	it('leave-one-out: an application with exactly minReviews sheets drops out when one of its sheets is left out', () => {
		// S always 80; E has exactly 3 sheets; F always 50. 5 + 3 + 4 = 12 leave-one-out replicates.
		const r = cutStability({ ...input({ S: [80, 80, 80, 80, 80], E: [70, 70, 70], F: [50, 50, 50, 50] }), bootstrap: 50 });
		const s = app(r, 'S');
		expect([s.pAboveCut, s.bootstrapShare, s.leaveOneOutChanges, s.unstable]).toEqual([1, 1, false, false]);
		const e = app(r, 'E');
		// proposed in 12 − 3 leave-one-out replicates and in every bootstrap replicate (always 70)
		expect(e.pAboveCut).toBeCloseTo((9 + 50) / (12 + 50), 12);
		expect(e.bootstrapShare).toBe(1);
		expect(e.leaveOneOutChanges).toBe(true);
		expect(e.unstable).toBe(true);
		const f = app(r, 'F');
		expect([f.pAboveCut, f.bootstrapShare, f.leaveOneOutChanges, f.unstable]).toEqual([0, 0, false, false]);
	});

	it('leave-one-out at the maxPerGroup border: trimmed n = 5 vs 4 moves another application out', () => {
		// A: 80 80 80 80 100 → trimmed 80; without one 80 (n = 4, mean) → 85; without the 100 → 80.
		// B: 82 × 5 → 82 always. maxPerGroup 1: B is in, A out; in the 4 replicates that leave out one of
		// A's 80s, A (85) overtakes B. 10 replicates: A in 4, B in 6.
		const r = cutStability({
			...input({ A: [80, 80, 80, 80, 100], B: [82, 82, 82, 82, 82] }, { maxPerGroup: 1 }),
			bootstrap: 0
		});
		const a = app(r, 'A');
		const b = app(r, 'B');
		expect([a.defaultProposed, b.defaultProposed]).toEqual([false, true]);
		expect(a.pAboveCut).toBeCloseTo(0.4, 12);
		expect(b.pAboveCut).toBeCloseTo(0.6, 12);
		expect(a.leaveOneOutChanges).toBe(true);
		expect(b.leaveOneOutChanges).toBe(true); // none of B's own sheets moved it
		// no bootstrap: the share is the status on all the data
		expect([a.bootstrapShare, b.bootstrapShare]).toEqual([0, 1]);
		// under the mean A (84) leads: the alternative method changes both
		// zscore: e1–e4 rate B above A (z −1 for A), e5 the other way (+1): z̄(A) = −0.6, so B leads
		expect(a.ranks).toEqual({ trimmed: 2, mean: 1, median: 2, zscore: 2 });
		expect(a.unstable && b.unstable).toBe(true);
	});

	it('bootstrap is seeded: same seed, same shares; a borderline application is unstable', () => {
		const data = input({ M: [40, 55, 60, 70, 80], S: [90, 90, 91, 90, 92] });
		const r1 = cutStability({ ...data, seed: 'batch-2' });
		const r2 = cutStability({ ...data, seed: 'batch-2' });
		const r3 = cutStability({ ...data, seed: 'another' });
		expect(r1).toEqual(r2);
		expect(r1.bootstrap).toBe(200);
		const m = app(r1, 'M');
		// trimmed (55 + 60 + 70)/3 = 61.67: passes, but resampling often falls below 60
		expect(m.defaultProposed).toBe(true);
		expect(m.bootstrapShare).toBeGreaterThan(0.1);
		expect(m.bootstrapShare).toBeLessThan(0.9);
		expect(m.unstable).toBe(true);
		expect(app(r3, 'M').bootstrapShare).not.toBe(m.bootstrapShare);
		// a clear case stays at 1 whatever the seed
		expect(app(r1, 'S').bootstrapShare).toBe(1);
		expect(app(r3, 'S').bootstrapShare).toBe(1);
		expect(app(r1, 'S').unstable).toBe(false);
		// every share is a multiple of 1/replicates
		expect(Number.isInteger(m.bootstrapShare * 200)).toBe(true);
	});

	it('ignores recorded decisions and respects blocking findings', () => {
		const data = input(
			{ A: [90, 90, 90], B: [85, 85, 85] },
			{},
			{ blocking: new Set(['A']), decisions: [{ applicationId: 'B', decision: 'not-proposed', reason: '会议决定' }] }
		);
		const r = cutStability({ ...data, bootstrap: 20 });
		expect([app(r, 'A').defaultProposed, app(r, 'A').pAboveCut, app(r, 'A').unstable]).toEqual([false, 0, false]);
		// B: default-proposed whatever the decision; its own leave-one-out drops it below minReviews
		expect(app(r, 'B').defaultProposed).toBe(true);
		expect(app(r, 'B').bootstrapShare).toBe(1);
		expect(app(r, 'B').pAboveCut).toBeCloseTo((3 + 20) / (6 + 20), 12);
	});

	it('keeps the group and application order of the results; a group without sheets is stable', () => {
		const data = input({ b: [70, 70, 70], a: [80, 80, 80], z: [] });
		data.applications.push({ id: 'q', occupation: 'iot', type: 'evaluation' });
		const r = cutStability({ ...data, bootstrap: 10 });
		expect(r.groups.map((g) => `${g.occupation}/${g.type}`)).toEqual(['ai/training', 'iot/evaluation']);
		expect(r.groups[0].applications.map((a) => a.id)).toEqual(['a', 'b', 'z']);
		expect(app(r, 'z').ranks).toEqual({ trimmed: null, mean: null, median: null, zscore: null });
		const q = app(r, 'q');
		expect([q.pAboveCut, q.bootstrapShare, q.leaveOneOutChanges, q.unstable]).toEqual([0, 0, false, false]);
	});

	it('a province of 600 applications (7 sheets each, 200 bootstrap replicates) gives every group with unstable marks (timing: npm run bench)', () => {
		let s = 7;
		const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
		const occupations = ['ai', 'iot', 'bigdata', 'cloud', 'smart-manufacturing', 'industrial-internet', 'vr', 'blockchain', 'ic', 'digital-management'];
		const applications: AggregateInput['applications'] = [];
		const sheets: Score[] = [];
		const assigned = new Set<string>();
		for (let i = 0; i < 600; i++) {
			const id = `app-${i}`;
			const occupation = occupations[i % 10];
			const type = (i >> 1) % 2 === 0 ? 'training' : 'evaluation';
			applications.push({ id, occupation, type });
			const quality = 50 + rnd() * 40;
			const first = Math.floor(rnd() * 15);
			for (let j = 0; j < 7; j++) {
				const expertId = `exp-${occupation}-${(first + j * 2) % 15}`;
				sheets.push(sheet(id, expertId, Math.round((quality + (rnd() - 0.5) * 20) * 2) / 2));
				assigned.add(pairKey(id, expertId));
			}
		}
		const base: AggregateInput = {
			settings: { ...DEFAULT_AGGREGATION, maxPerGroup: 5 },
			applications,
			sheets,
			assigned,
			hardConflicts: new Map(),
			blocking: new Set(),
			decisions: []
		};
		for (const method of ['trimmed', 'zscore'] as const) {
			const r = cutStability({ ...base, method, seed: 'perf' });
			expect(r.groups.length).toBe(20);
			expect(r.groups.flatMap((g) => g.applications).some((a) => a.unstable)).toBe(true);
		}
	});
});
