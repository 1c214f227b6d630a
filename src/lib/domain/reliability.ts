/**
 * Reliability of the panel, per (occupation, type) group: inter-rater agreement on a complete block
 * (ICC(2,k) of Shrout & Fleiss 1979, and Kendall's W with the tie correction) and each expert's
 * severity against the rest of the panel. Reads the valid sheets of an aggregated group.
 */
import type { GroupResult } from './aggregation';

export type Severity = { expertId: string; severity: number; shared: number };
export type GroupReliability = {
	icc: number | null;
	kendallW: number | null;
	/** Experts (k) and applications (n) of the complete block the agreement is computed on. */
	raters: number;
	subjects: number;
	note: string | null;
	severity: Severity[];
};

/** A complete block: every listed expert has a valid sheet for every listed application. */
export type CompleteBlock = { experts: string[]; applications: string[]; matrix: number[][] };

/** Agreement on fewer complete rows (applications every expert of the block scored) is noise: not shown. */
export const MIN_AGREEMENT_SUBJECTS = 5;

const NOTE_NO_BLOCK = '没有至少两位专家共同评审的至少两份申报，无法计算评审一致性';
const noteTooFew = (n: number) => `样本不足：共同评审的完整区组只有 ${n} 项申报（至少需要 ${MIN_AGREEMENT_SUBJECTS} 项），不计算评审一致性`;
const NOTE_ICC_UNDEFINED = '共同评审块内评分无差异，组内相关系数（ICC）无定义';
const NOTE_W_UNDEFINED = '每位专家对共同评审的申报给分均相同，肯德尔和谐系数（W）无定义';

/**
 * ICC(2,k): two-way random effects, absolute agreement, mean of k raters (Shrout & Fleiss 1979):
 * (BMS − EMS) / (BMS + (JMS − EMS)/n), from a two-way ANOVA of n subjects (rows) × k raters
 * (columns). Null when n < 2, k < 2 or the denominator is 0.
 */
export function icc2k(matrix: readonly (readonly number[])[]): number | null {
	const n = matrix.length;
	const k = n > 0 ? matrix[0].length : 0;
	if (n < 2 || k < 2) return null;
	let grand = 0;
	for (const row of matrix) for (const x of row) grand += x;
	grand /= n * k;
	const colSum = new Array<number>(k).fill(0);
	for (const row of matrix) for (let j = 0; j < k; j++) colSum[j] += row[j];
	let ssRows = 0;
	let ssCols = 0;
	let ssTotal = 0;
	for (const row of matrix) {
		let rowSum = 0;
		for (const x of row) {
			rowSum += x;
			ssTotal += (x - grand) ** 2;
		}
		ssRows += k * (rowSum / k - grand) ** 2;
	}
	for (const s of colSum) ssCols += n * (s / n - grand) ** 2;
	const ssError = ssTotal - ssRows - ssCols;
	const bms = ssRows / (n - 1);
	const jms = ssCols / (k - 1);
	const ems = ssError / ((n - 1) * (k - 1));
	const denominator = bms + (jms - ems) / n;
	if (Math.abs(denominator) < 1e-12) return null;
	return (bms - ems) / denominator;
}

/** Average ranks (1 = lowest) of a list, ties sharing the mean of their positions. */
export function averageRanks(values: readonly number[]): { ranks: number[]; tieSum: number } {
	const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
	const ranks = new Array<number>(values.length);
	let tieSum = 0;
	for (let i = 0; i < order.length; ) {
		let j = i;
		while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
		const t = j - i + 1;
		for (let p = i; p <= j; p++) ranks[order[p][1]] = (i + j) / 2 + 1;
		tieSum += t ** 3 - t;
		i = j + 1;
	}
	return { ranks, tieSum };
}

/**
 * Kendall's W for n subjects (rows) ranked by m raters (columns), with the tie correction:
 * W = 12 S / (m²(n³ − n) − m ΣT), S = Σ (Rᵢ − R̄)², T = Σ (t³ − t) over each rater's ties.
 * Null when n < 2, m < 2 or every rater ties every subject.
 */
export function kendallW(matrix: readonly (readonly number[])[]): number | null {
	const n = matrix.length;
	const m = n > 0 ? matrix[0].length : 0;
	if (n < 2 || m < 2) return null;
	const rankSum = new Array<number>(n).fill(0);
	let ties = 0;
	for (let j = 0; j < m; j++) {
		const { ranks, tieSum } = averageRanks(matrix.map((row) => row[j]));
		for (let i = 0; i < n; i++) rankSum[i] += ranks[i];
		ties += tieSum;
	}
	const mean = (m * (n + 1)) / 2;
	let s = 0;
	for (const r of rankSum) s += (r - mean) ** 2;
	const denominator = m * m * (n ** 3 - n) - m * ties;
	if (denominator <= 0) return null;
	return (12 * s) / denominator;
}

/**
 * The complete block with the most experts (then the most applications, then the expert ids first
 * in string order), preferring one of at least MIN_AGREEMENT_SUBJECTS applications: the largest set
 * of experts who all have a valid sheet on the same ≥ 2 applications. Exact: such a set of maximum size is the intersection of the expert sets of two
 * applications, so every pairwise intersection of the distinct expert sets is tried (O(d²) for d
 * distinct sets). Null when no two applications share two experts.
 */
export function completeBlock(group: GroupResult): CompleteBlock | null {
	const ids: string[] = [];
	const index = new Map<string, number>();
	const perApp = group.applications.map((a) => {
		const totals = new Map<number, number>();
		for (const s of a.sheets) {
			if (!s.valid) continue;
			let e = index.get(s.expertId);
			if (e === undefined) {
				e = ids.length;
				ids.push(s.expertId);
				index.set(s.expertId, e);
			}
			totals.set(e, s.total);
		}
		return { id: a.id, totals };
	});
	// expert indices in expert-id order so that sets compare as sorted lists
	const order = ids.map((_, i) => i).sort((a, b) => (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0));
	const pos = new Int32Array(ids.length);
	order.forEach((e, p) => (pos[e] = p));
	const distinct = new Map<string, { set: number[]; count: number }>();
	for (const a of perApp) {
		const set = [...a.totals.keys()].map((e) => pos[e]).sort((x, y) => x - y);
		if (set.length < 2) continue;
		const key = set.join(',');
		const d = distinct.get(key);
		if (d) d.count++;
		else distinct.set(key, { set, count: 1 });
	}
	const sets = [...distinct.values()];
	const bitsets = sets.map((d) => new Set(d.set));
	const supersets = new Map<string, number>();
	const countSupersets = (e: number[], key: string) => {
		let c = supersets.get(key);
		if (c === undefined) {
			c = 0;
			for (let i = 0; i < sets.length; i++) if (e.every((x) => bitsets[i].has(x))) c += sets[i].count;
			supersets.set(key, c);
		}
		return c;
	};
	// A block with enough rows to say anything (MIN_AGREEMENT_SUBJECTS) is preferred; among those
	// (or, failing that, among all) the most experts, then the most applications, then the ids.
	let best: { set: number[]; key: string; n: number } | null = null;
	const enough = (n: number) => n >= MIN_AGREEMENT_SUBJECTS;
	const consider = (e: number[]) => {
		if (e.length < 2) return;
		const key = e.join(',');
		const n = countSupersets(e, key);
		if (n < 2) return;
		const b = best as { set: number[]; n: number } | null;
		if (
			!b ||
			(enough(n) && !enough(b.n)) ||
			(enough(n) === enough(b.n) && (e.length > b.set.length || (e.length === b.set.length && (n > b.n || (n === b.n && lexLess(e, b.set))))))
		) {
			best = { set: e, key, n };
		}
	};
	for (let i = 0; i < sets.length; i++) {
		if (sets[i].count >= 2) consider(sets[i].set);
		for (let j = i + 1; j < sets.length; j++) consider(intersect(sets[i].set, sets[j].set));
	}
	if (!best) return null;
	const chosen = (best as { set: number[] }).set.map((p) => order[p]);
	const applications: string[] = [];
	const matrix: number[][] = [];
	for (const a of perApp) {
		if (!chosen.every((e) => a.totals.has(e))) continue;
		applications.push(a.id);
		matrix.push(chosen.map((e) => a.totals.get(e)!));
	}
	return { experts: chosen.map((e) => ids[e]), applications, matrix };
}

function intersect(a: number[], b: number[]): number[] {
	const out: number[] = [];
	let i = 0;
	let j = 0;
	while (i < a.length && j < b.length) {
		if (a[i] === b[j]) {
			out.push(a[i]);
			i++;
			j++;
		} else if (a[i] < b[j]) i++;
		else j++;
	}
	return out;
}

function lexLess(a: number[], b: number[]): boolean {
	for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] < b[i];
	return a.length < b.length;
}

/**
 * Each expert's severity: the mean, over the expert's valid sheets on applications with at least one
 * other valid sheet, of (their total − the mean of the other valid totals). Negative = stricter than
 * the panel. Experts without such a shared application are left out. By expert id.
 */
export function expertSeverity(group: GroupResult): Severity[] {
	const acc = new Map<string, { sum: number; shared: number }>();
	for (const a of group.applications) {
		const valid = a.sheets.filter((s) => s.valid);
		if (valid.length < 2) continue;
		let sum = 0;
		for (const s of valid) sum += s.total;
		for (const s of valid) {
			const others = (sum - s.total) / (valid.length - 1);
			const e = acc.get(s.expertId) ?? { sum: 0, shared: 0 };
			e.sum += s.total - others;
			e.shared++;
			acc.set(s.expertId, e);
		}
	}
	return [...acc.entries()]
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
		.map(([expertId, e]) => ({ expertId, severity: e.sum / e.shared, shared: e.shared }));
}

/** ICC(2,k), Kendall's W and severity for one group. */
export function groupReliability(group: GroupResult): GroupReliability {
	const severity = expertSeverity(group);
	const block = completeBlock(group);
	if (!block) return { icc: null, kendallW: null, raters: 0, subjects: 0, note: NOTE_NO_BLOCK, severity };
	if (block.applications.length < MIN_AGREEMENT_SUBJECTS) {
		return { icc: null, kendallW: null, raters: block.experts.length, subjects: block.applications.length, note: noteTooFew(block.applications.length), severity };
	}
	const icc = icc2k(block.matrix);
	const w = kendallW(block.matrix);
	const notes: string[] = [];
	if (icc === null) notes.push(NOTE_ICC_UNDEFINED);
	if (w === null) notes.push(NOTE_W_UNDEFINED);
	return {
		icc,
		kendallW: w,
		raters: block.experts.length,
		subjects: block.applications.length,
		note: notes.length ? notes.join('；') : null,
		severity
	};
}
