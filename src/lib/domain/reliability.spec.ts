import { describe, it, expect } from 'vitest';
import { aggregate, pairKey, type GroupResult } from './aggregation';
import { DEFAULT_AGGREGATION, type Score } from './bundle';
import { averageRanks, completeBlock, expertSeverity, groupReliability, icc2k, kendallW } from './reliability';

/** Shrout & Fleiss (1979), Table 2: 6 targets (rows) × 4 judges (columns). */
const SHROUT_FLEISS = [
	[9, 2, 5, 8],
	[6, 1, 3, 2],
	[8, 4, 6, 8],
	[7, 1, 2, 6],
	[10, 5, 6, 9],
	[6, 2, 4, 7]
];

/** One group from [application, expert, total] triples: all submitted and assigned unless listed as conflicted. */
function group(triples: [string, string, number][], conflicted: [string, string][] = []): GroupResult {
	const apps = [...new Set(triples.map((t) => t[0]))];
	const sheets: Score[] = triples.map(([applicationId, expertId, total]) => ({
		applicationId,
		expertId,
		rubricId: 'rub-training',
		status: 'submitted',
		points: { a: total },
		comment: null,
		explanation: null
	}));
	const r = aggregate({
		settings: { ...DEFAULT_AGGREGATION, minReviews: 1 },
		applications: apps.map((id) => ({ id, occupation: 'ai', type: 'training' })),
		sheets,
		assigned: new Set(triples.map(([a, e]) => pairKey(a, e))),
		hardConflicts: new Map(conflicted.map(([a, e]) => [pairKey(a, e), 'SAME_UNIT'])),
		blocking: new Set(),
		decisions: []
	});
	return r.groups[0];
}

function fromMatrix(matrix: number[][], appPrefix = 't', expertPrefix = 'j'): [string, string, number][] {
	const out: [string, string, number][] = [];
	matrix.forEach((row, i) => row.forEach((x, j) => out.push([`${appPrefix}${i + 1}`, `${expertPrefix}${j + 1}`, x])));
	return out;
}

describe('ICC(2,k)', () => {
	it('matches Shrout & Fleiss (1979): ICC(2,4) = .62 (BMS 11.24, JMS 32.49, EMS 1.02)', () => {
		const icc = icc2k(SHROUT_FLEISS)!;
		expect(icc).toBeCloseTo(0.62, 2);
		// the ANOVA by hand: BMS = 1349/120, JMS = 2339/72, EMS = 367/360
		expect(icc).toBeCloseTo((1349 / 120 - 367 / 360) / (1349 / 120 + (2339 / 72 - 367 / 360) / 6), 12);
	});

	it('is 1 for perfect absolute agreement and null when undefined', () => {
		expect(icc2k([[80, 80], [60, 60], [70, 70]])).toBe(1);
		expect(icc2k([[70, 70], [70, 70]])).toBeNull(); // no variance at all
		expect(icc2k([[70, 80]])).toBeNull(); // one subject
		expect(icc2k([[70], [80]])).toBeNull(); // one rater
	});

	it('penalizes a constant offset between raters (absolute agreement), unlike the ranks', () => {
		const offset = [[60, 70], [70, 80], [80, 90]];
		expect(icc2k(offset)!).toBeLessThan(1);
		expect(kendallW(offset)).toBe(1);
	});
});

describe("Kendall's W", () => {
	it('ProofWiki worked example: 3 competitors ranked by 4 judges, W = 1/16', () => {
		expect(kendallW([[1, 1, 2, 3], [3, 2, 3, 1], [2, 3, 1, 2]])).toBeCloseTo(1 / 16, 12);
	});

	it('Siegel (1956): 6 objects ranked by 3 judges, S = 25.5, W = 25.5 / 157.5 = .16', () => {
		const ranks = [[1, 1, 6], [6, 5, 3], [3, 6, 2], [2, 4, 5], [5, 2, 4], [4, 3, 1]];
		expect(kendallW(ranks)).toBeCloseTo(25.5 / 157.5, 12);
	});

	it('applies the tie correction (hand-computed)', () => {
		// rater ranks: [3.5 3.5 2 1] T=6, [4 2.5 2.5 1] T=6, [3 4 2 1] T=0; R = 10.5 10 6.5 3, R̄ = 7.5,
		// S = 36.5; W = 12·36.5 / (9·60 − 3·12) = 438/504 (uncorrected it would be 438/540)
		const m = [[80, 90, 75], [80, 85, 80], [70, 85, 65], [60, 70, 60]];
		expect(kendallW(m)).toBeCloseTo(438 / 504, 12);
		expect(averageRanks([80, 80, 70, 60])).toEqual({ ranks: [3.5, 3.5, 2, 1], tieSum: 6 });
	});

	it('is 1 on perfect agreement and null when every rater ties everything', () => {
		expect(kendallW([[90, 95], [80, 85], [70, 75]])).toBe(1);
		expect(kendallW([[70, 80], [70, 80]])).toBeNull();
	});

	it('on the Shrout & Fleiss table (cross-checked with scipy rankdata): 0.887037…', () => {
		expect(kendallW(SHROUT_FLEISS)).toBeCloseTo(0.8870370370370371, 12);
	});
});

describe('groupReliability', () => {
	it('finds the complete block inside an incomplete design and reproduces the textbook values', () => {
		const g = group([
			...fromMatrix(SHROUT_FLEISS),
			['t1', 'x1', 50], // one extra expert on one application only
			['t7', 'j1', 40], // an application outside the block
			['t7', 'j2', 45],
			['t2', 'x9', 99] // an excluded sheet never counts
		], [['t2', 'x9']]);
		const block = completeBlock(g)!;
		expect(block.experts).toEqual(['j1', 'j2', 'j3', 'j4']);
		expect(block.applications.sort()).toEqual(['t1', 't2', 't3', 't4', 't5', 't6']);
		const rel = groupReliability(g);
		expect(rel.raters).toBe(4);
		expect(rel.subjects).toBe(6);
		expect(rel.icc).toBeCloseTo(0.6200505475989893, 12);
		expect(rel.kendallW).toBeCloseTo(0.8870370370370371, 12);
		expect(rel.note).toBeNull();
	});

	it('prefers a block of at least 5 applications, then more experts, then more applications', () => {
		// e1 e2 e3 share a1 a2; e1 e2 alone share a1..a5: only the latter has enough rows
		const g = group([
			['a1', 'e1', 80], ['a1', 'e2', 82], ['a1', 'e3', 81],
			['a2', 'e1', 60], ['a2', 'e2', 65], ['a2', 'e3', 61],
			['a3', 'e1', 70], ['a3', 'e2', 71],
			['a4', 'e1', 75], ['a4', 'e2', 70],
			['a5', 'e1', 90], ['a5', 'e2', 88]
		]);
		const block = completeBlock(g)!;
		expect(block.experts).toEqual(['e1', 'e2']);
		expect(block.applications.sort()).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
		expect(groupReliability(g).icc).not.toBeNull();
		// without a block of 5 rows: the most experts (e1 e2 e3 on a1 a2 over e1 e2 on a1..a4)
		const small = group([
			['a1', 'e1', 80], ['a1', 'e2', 82], ['a1', 'e3', 81],
			['a2', 'e1', 60], ['a2', 'e2', 65], ['a2', 'e3', 61],
			['a3', 'e1', 70], ['a3', 'e2', 71],
			['a4', 'e1', 75], ['a4', 'e2', 70]
		]);
		expect(completeBlock(small)!.experts).toEqual(['e1', 'e2', 'e3']);
		// same size: the block with more applications wins (e4 e5 on b1 b2 b3 over e6 e7 on c1 c2)
		const g2 = group([
			['c1', 'e6', 1], ['c1', 'e7', 2], ['c2', 'e6', 3], ['c2', 'e7', 4],
			['b1', 'e4', 1], ['b1', 'e5', 2], ['b2', 'e4', 3], ['b2', 'e5', 4], ['b3', 'e4', 5], ['b3', 'e5', 6]
		]);
		expect(completeBlock(g2)!.experts).toEqual(['e4', 'e5']);
		expect(groupReliability(g2).subjects).toBe(3);
	});

	it('says 样本不足 instead of a value on fewer than 5 complete rows (2–3 applications gave values like −3.6)', () => {
		const rel = groupReliability(
			group([
				['a1', 'e1', 90], ['a1', 'e2', 60], ['a1', 'e3', 75],
				['a2', 'e1', 62], ['a2', 'e2', 88], ['a2', 'e3', 70],
				['a3', 'e1', 71], ['a3', 'e2', 70], ['a3', 'e3', 95]
			])
		);
		expect(rel.icc).toBeNull();
		expect(rel.kendallW).toBeNull();
		expect(rel.raters).toBe(3);
		expect(rel.subjects).toBe(3);
		expect(rel.note).toBe('样本不足：共同评审的完整区组只有 3 项申报（至少需要 5 项），不计算评审一致性');
	});

	it('gives null with a Chinese reason when no two applications share two experts', () => {
		const g = group([
			['a1', 'e1', 80], ['a1', 'e2', 70],
			['a2', 'e2', 60], ['a2', 'e3', 65],
			['a3', 'e9', 90]
		]);
		const rel = groupReliability(g);
		expect(rel.icc).toBeNull();
		expect(rel.kendallW).toBeNull();
		expect(rel.raters).toBe(0);
		expect(rel.subjects).toBe(0);
		expect(rel.note).toMatch(/无法计算/);
	});

	it('explains an undefined ICC and W when the block has no variance', () => {
		const rel = groupReliability(group(['a1', 'a2', 'a3', 'a4', 'a5'].flatMap((a) => [[a, 'e1', 70], [a, 'e2', 70]] as [string, string, number][])));
		expect(rel.raters).toBe(2);
		expect(rel.icc).toBeNull();
		expect(rel.kendallW).toBeNull();
		expect(rel.note).toMatch(/ICC/);
		expect(rel.note).toMatch(/W/);
	});

	it("expert severity: mean of (own total − mean of the others' valid totals) on shared applications", () => {
		// A: e1 80, e2 70, e3 60 → e1 +15, e2 0, e3 −15; B: e1 90, e2 80 → e1 +10, e2 −10;
		// C: e4 alone (not shared); B: x9 excluded (conflict) is ignored
		const g = group(
			[
				['A', 'e1', 80], ['A', 'e2', 70], ['A', 'e3', 60],
				['B', 'e1', 90], ['B', 'e2', 80], ['B', 'x9', 0],
				['C', 'e4', 75]
			],
			[['B', 'x9']]
		);
		expect(expertSeverity(g)).toEqual([
			{ expertId: 'e1', severity: 12.5, shared: 2 },
			{ expertId: 'e2', severity: -5, shared: 2 },
			{ expertId: 'e3', severity: -15, shared: 1 }
		]);
		expect(groupReliability(g).severity).toEqual(expertSeverity(g));
	});
});
