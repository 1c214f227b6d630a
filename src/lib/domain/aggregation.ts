/**
 * Aggregation of score sheets (domain.md, "Aggregation"): valid sheets, the four methods, competition
 * ranking within each (occupation, type) group on unrounded scores, the flags, excluded sheets, the
 * default proposed status and per-criterion means. Every number comes from the batch settings.
 * Nothing is rounded here; `round2` is for display only.
 */
import type { AggregationSettings, Decision, Rubric, Score } from './bundle';
import { conflictLabel, isConflictCode } from './conflicts';

export type Method = AggregationSettings['method'];
export const METHODS: readonly Method[] = ['trimmed', 'mean', 'median', 'zscore'];

export type Flag = 'TIE' | 'INSUFFICIENT_REVIEWS' | 'HIGH_DISPERSION' | 'ABNORMAL_SCORE';
/** Flags are always listed in this order. */
export const FLAGS: readonly Flag[] = ['TIE', 'INSUFFICIENT_REVIEWS', 'HIGH_DISPERSION', 'ABNORMAL_SCORE'];
export const FLAG_LABELS: Record<Flag, string> = {
	TIE: '同分',
	INSUFFICIENT_REVIEWS: '有效评分不足',
	HIGH_DISPERSION: '评分分歧大',
	ABNORMAL_SCORE: '存在异常评分'
};

/** `why` of a submitted sheet by an expert who was not assigned to the application. */
export const NOT_ASSIGNED = 'NOT_ASSIGNED';
export const NOT_ASSIGNED_LABEL = '未分配给该专家';

/** The Chinese reading of an excluded sheet's `why` (a conflict code or NOT_ASSIGNED); anything else as it is. */
export function excludedLabel(why: string): string {
	if (why === NOT_ASSIGNED) return NOT_ASSIGNED_LABEL;
	return isConflictCode(why) ? conflictLabel(why) : why;
}

/** Two scores closer than this are equal (ties, pass score, thresholds): float noise only. */
export const EPSILON = 1e-9;

export type AggregateInput = {
	settings: AggregationSettings;
	/** Overrides `settings.method`. */
	method?: Method;
	applications: { id: string; occupation: string; type: 'training' | 'evaluation' }[];
	/** Bundle scores (points per criterion); the sheet total is the sum of its points. */
	sheets: Score[];
	/** For the order of per-criterion means. */
	rubrics?: Rubric[];
	/** `pairKey(applicationId, expertId)` of every assignment. */
	assigned: Set<string>;
	/** pairKey → the conflict code that excludes the sheet. */
	hardConflicts: Map<string, string>;
	/** Application ids with an unresolved (not overridden) blocking finding. */
	blocking: Set<string>;
	decisions: Decision[];
};

export type SheetResult = {
	expertId: string;
	total: number;
	status: 'draft' | 'submitted';
	valid: boolean;
	/** The conflict code or NOT_ASSIGNED for an excluded submitted sheet; null otherwise. */
	excludedWhy: string | null;
	abnormal: boolean;
	/** total − mean of the valid totals; null for a sheet that is not valid. */
	deviation: number | null;
};

export type ApplicationResult = {
	id: string;
	occupation: string;
	type: 'training' | 'evaluation';
	/** Unrounded; null when unranked (n < minReviews). */
	score: number | null;
	n: number;
	rank: number | null;
	proposed: boolean;
	defaultProposed: boolean;
	decision: Decision['decision'] | null;
	flags: Flag[];
	excluded: { expertId: string; why: string }[];
	mean: number | null;
	median: number | null;
	min: number | null;
	max: number | null;
	spread: number | null;
	/** Over valid sheets, per criterion id present in them. */
	criterionMeans: Record<string, number>;
	/** Every sheet of the application (drafts too), by expert id. */
	sheets: SheetResult[];
};

export type GroupResult = { occupation: string; type: 'training' | 'evaluation'; applications: ApplicationResult[] };
export type Results = { method: string; settings: AggregationSettings; groups: GroupResult[] };

export type ResultsJson = {
	method: string;
	groups: {
		occupation: string;
		type: string;
		applications: {
			id: string;
			score: number | null;
			n: number;
			rank: number | null;
			proposed: boolean;
			flags: Flag[];
			excluded: { expertId: string; why: string }[];
		}[];
	}[];
};

export function pairKey(applicationId: string, expertId: string): string {
	return `${applicationId}|${expertId}`;
}

/** The sheet total: the sum of its points. */
export function sheetTotal(points: Record<string, number>): number {
	let sum = 0;
	for (const k in points) sum += points[k];
	return sum;
}

/** Rounds half away from zero to 2 decimals, after dropping binary noise (1.005 → 1.01). Display only. */
export function round2(x: number): number {
	if (!Number.isFinite(x)) return x;
	const scaled = Number((Math.abs(x) * 100).toPrecision(15));
	const r = (Math.sign(x) * Math.round(scaled)) / 100;
	return r === 0 ? 0 : r;
}

/**
 * ABNORMAL_SCORE (domain.md): with at least two valid sheets, a valid total deviating from the mean
 * of the application's valid totals by more than deviationPct % of that mean. The aggregation and
 * the re-check (recheck.ts) ask this one rule.
 */
export function isAbnormalTotal(total: number, mean: number, n: number, deviationPct: number): boolean {
	return n >= 2 && Math.abs(total - mean) - Math.abs((deviationPct / 100) * mean) > EPSILON;
}

/* ---------- The methods on plain lists of valid totals ---------- */

export function meanOf(totals: ArrayLike<number>): number {
	let sum = 0;
	for (let i = 0; i < totals.length; i++) sum += totals[i];
	return sum / totals.length;
}

/** n ≥ 5: drop one highest and one lowest total and average the rest; else the mean. */
export function trimmedMeanOf(totals: ArrayLike<number>): number {
	const n = totals.length;
	if (n < 5) return meanOf(totals);
	let hi = 0;
	let lo = 0;
	for (let i = 1; i < n; i++) {
		if (totals[i] > totals[hi]) hi = i;
		if (totals[i] < totals[lo]) lo = i;
	}
	if (lo === hi) lo = hi === 0 ? 1 : 0; // all equal: drop any two
	let sum = 0;
	for (let i = 0; i < n; i++) if (i !== hi && i !== lo) sum += totals[i];
	return sum / (n - 2);
}

/** The middle total; for an even count the mean of the two middle ones. */
export function medianOf(totals: ArrayLike<number>): number {
	const n = totals.length;
	const s = new Float64Array(n);
	if (n > 32) {
		s.set(totals);
		s.sort();
	} else {
		// insertion sort: faster than a typed sort on a handful of sheets
		for (let i = 0; i < n; i++) {
			const v = totals[i];
			let j = i - 1;
			while (j >= 0 && s[j] > v) {
				s[j + 1] = s[j];
				j--;
			}
			s[j + 1] = v;
		}
	}
	const h = n >> 1;
	return s.length % 2 === 1 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/** An application's valid sheets in the compact form the methods read. */
export type ScoringRow = {
	totals: ArrayLike<number>;
	/** Group-local index of each sheet's expert (same order as totals). */
	raters: ArrayLike<number>;
};

/**
 * zscore: each expert's valid totals within the group are standardized with that expert's mean and
 * population standard deviation (z = 0 when it is 0, e.g. a single sheet); an application's mean z
 * is mapped back with the mean M and population standard deviation S of all valid totals of the
 * group (M when S = 0). Returns one score per row (NaN for a row without sheets).
 */
export function zscoreOf(rows: readonly ScoringRow[], raterCount: number): Float64Array {
	const cnt = new Float64Array(raterCount);
	const sum = new Float64Array(raterCount);
	let all = 0;
	let allSum = 0;
	for (const r of rows) {
		for (let j = 0; j < r.totals.length; j++) {
			cnt[r.raters[j]]++;
			sum[r.raters[j]] += r.totals[j];
			all++;
			allSum += r.totals[j];
		}
	}
	const mu = new Float64Array(raterCount);
	for (let e = 0; e < raterCount; e++) mu[e] = cnt[e] > 0 ? sum[e] / cnt[e] : 0;
	const M = all > 0 ? allSum / all : 0;
	const ss = new Float64Array(raterCount);
	let allSs = 0;
	for (const r of rows) {
		for (let j = 0; j < r.totals.length; j++) {
			const d = r.totals[j] - mu[r.raters[j]];
			ss[r.raters[j]] += d * d;
			const g = r.totals[j] - M;
			allSs += g * g;
		}
	}
	const sigma = new Float64Array(raterCount);
	for (let e = 0; e < raterCount; e++) sigma[e] = cnt[e] > 0 ? Math.sqrt(ss[e] / cnt[e]) : 0;
	const S = all > 0 ? Math.sqrt(allSs / all) : 0;
	const out = new Float64Array(rows.length);
	for (let i = 0; i < rows.length; i++) {
		const r = rows[i];
		const n = r.totals.length;
		if (n === 0) {
			out[i] = NaN;
			continue;
		}
		let zSum = 0;
		for (let j = 0; j < n; j++) {
			const e = r.raters[j];
			// a spread this small is float noise of equal totals: treat as 0
			if (sigma[e] > EPSILON) zSum += (r.totals[j] - mu[e]) / sigma[e];
		}
		out[i] = S > EPSILON ? M + S * (zSum / n) : M;
	}
	return out;
}

/**
 * The score of every row of one group under a method; NaN for rows with fewer than minReviews
 * valid sheets (unranked). zscore standardizes over all rows, ranked or not.
 */
export function scoreRows(rows: readonly ScoringRow[], method: Method, minReviews: number, raterCount: number): Float64Array {
	const out = new Float64Array(rows.length);
	const z = method === 'zscore' ? zscoreOf(rows, raterCount) : null;
	for (let i = 0; i < rows.length; i++) {
		const t = rows[i].totals;
		if (t.length < minReviews || t.length === 0) {
			out[i] = NaN;
			continue;
		}
		out[i] =
			method === 'trimmed' ? trimmedMeanOf(t) : method === 'mean' ? meanOf(t) : method === 'median' ? medianOf(t) : z![i];
	}
	return out;
}

/**
 * Competition ranks (1, 2, 2, 4) by score descending; 0 for NaN (unranked). Scores within EPSILON of
 * the first score of a run of equal scores share its rank.
 */
export function competitionRanks(scores: ArrayLike<number>): Int32Array {
	let m = 0;
	for (let i = 0; i < scores.length; i++) if (!Number.isNaN(scores[i])) m++;
	const asc = new Float64Array(m);
	m = 0;
	for (let i = 0; i < scores.length; i++) if (!Number.isNaN(scores[i])) asc[m++] = scores[i];
	asc.sort();
	// rankAtAsc[i]: the rank of the value at ascending position i
	const rankAtAsc = new Int32Array(m);
	let leader = 0;
	let leaderRank = 0;
	for (let p = 0; p < m; p++) {
		const v = asc[m - 1 - p];
		if (p === 0 || leader - v > EPSILON) {
			leader = v;
			leaderRank = p + 1;
		}
		rankAtAsc[m - 1 - p] = leaderRank;
	}
	const ranks = new Int32Array(scores.length);
	for (let i = 0; i < scores.length; i++) {
		const v = scores[i];
		if (Number.isNaN(v)) continue;
		let lo = 0;
		let hi = m - 1;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (asc[mid] < v) lo = mid + 1;
			else hi = mid;
		}
		ranks[i] = rankAtAsc[lo];
	}
	return ranks;
}

/** The default rule: not blocked, ranked, score ≥ passScore, and rank ≤ maxPerGroup when set. */
export function isDefaultProposed(
	score: number,
	rank: number,
	blocked: boolean,
	settings: Pick<AggregationSettings, 'passScore' | 'maxPerGroup'>
): boolean {
	if (blocked || Number.isNaN(score) || rank <= 0) return false;
	if (score < settings.passScore - EPSILON) return false;
	return settings.maxPerGroup == null || rank <= settings.maxPerGroup;
}

/* ---------- The engine ---------- */

type Work = {
	result: ApplicationResult;
	row: ScoringRow;
};

const groupKey = (occupation: string, type: string) => `${occupation}\u0000${type}`;
const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function aggregate(input: AggregateInput): Results {
	const method = input.method ?? input.settings.method;
	const settings: AggregationSettings = { ...input.settings, method };
	const { minReviews, dispersionThreshold, deviationPct } = settings;

	// one sheet per (application, expert): a later duplicate replaces an earlier one
	const sheetsByApp = new Map<string, Map<string, Score>>();
	for (const a of input.applications) sheetsByApp.set(a.id, new Map());
	for (const s of input.sheets) sheetsByApp.get(s.applicationId)?.set(s.expertId, s);

	const decisionOf = new Map<string, Decision['decision']>();
	for (const d of input.decisions) decisionOf.set(d.applicationId, d.decision);
	const rubricById = new Map<string, Rubric>();
	for (const r of input.rubrics ?? []) rubricById.set(r.id, r);

	const groups = new Map<string, { occupation: string; type: 'training' | 'evaluation'; work: Work[]; experts: Map<string, number> }>();

	for (const app of input.applications) {
		const gk = groupKey(app.occupation, app.type);
		let group = groups.get(gk);
		if (!group) {
			group = { occupation: app.occupation, type: app.type, work: [], experts: new Map() };
			groups.set(gk, group);
		}
		const own = [...sheetsByApp.get(app.id)!.values()].sort((a, b) => byString(a.expertId, b.expertId));
		const sheets: SheetResult[] = [];
		const excluded: { expertId: string; why: string }[] = [];
		const totals: number[] = [];
		const raters: number[] = [];
		const validScores: Score[] = [];
		for (const s of own) {
			const total = sheetTotal(s.points);
			const key = pairKey(app.id, s.expertId);
			let excludedWhy: string | null = null;
			if (s.status === 'submitted') {
				excludedWhy = input.hardConflicts.get(key) ?? (input.assigned.has(key) ? null : NOT_ASSIGNED);
			}
			const valid = s.status === 'submitted' && excludedWhy === null;
			sheets.push({ expertId: s.expertId, total, status: s.status, valid, excludedWhy, abnormal: false, deviation: null });
			if (excludedWhy !== null) excluded.push({ expertId: s.expertId, why: excludedWhy });
			if (valid) {
				let e = group.experts.get(s.expertId);
				if (e === undefined) group.experts.set(s.expertId, (e = group.experts.size));
				totals.push(total);
				raters.push(e);
				validScores.push(s);
			}
		}

		const n = totals.length;
		let mean: number | null = null;
		let min: number | null = null;
		let max: number | null = null;
		let abnormalAny = false;
		if (n > 0) {
			mean = meanOf(totals);
			min = Math.min(...totals);
			max = Math.max(...totals);
			for (const sh of sheets) {
				if (!sh.valid) continue;
				sh.deviation = sh.total - mean;
				if (isAbnormalTotal(sh.total, mean, n, deviationPct)) {
					sh.abnormal = true;
					abnormalAny = true;
				}
			}
		}
		const spread = n > 0 ? max! - min! : null;
		const flags: Flag[] = [];
		if (n < minReviews) flags.push('INSUFFICIENT_REVIEWS');
		if (n >= 2 && spread! - dispersionThreshold > EPSILON) flags.push('HIGH_DISPERSION');
		if (abnormalAny) flags.push('ABNORMAL_SCORE');

		const decision = decisionOf.get(app.id) ?? null;
		group.work.push({
			row: { totals, raters },
			result: {
				id: app.id,
				occupation: app.occupation,
				type: app.type,
				score: null,
				n,
				rank: null,
				proposed: false,
				defaultProposed: false,
				decision,
				flags,
				excluded,
				mean,
				median: n > 0 ? medianOf(totals) : null,
				min,
				max,
				spread,
				criterionMeans: criterionMeans(validScores, rubricById, app.type, input.rubrics),
				sheets
			}
		});
	}

	const out: GroupResult[] = [];
	for (const g of groups.values()) {
		const scores = scoreRows(
			g.work.map((w) => w.row),
			method,
			minReviews,
			g.experts.size
		);
		const ranks = competitionRanks(scores);
		const perRank = new Map<number, number>();
		for (const r of ranks) if (r > 0) perRank.set(r, (perRank.get(r) ?? 0) + 1);
		g.work.forEach((w, i) => {
			const res = w.result;
			const ranked = ranks[i] > 0;
			res.score = ranked ? scores[i] : null;
			res.rank = ranked ? ranks[i] : null;
			if (ranked && perRank.get(ranks[i])! > 1) res.flags.unshift('TIE');
			res.defaultProposed = isDefaultProposed(scores[i], ranks[i], input.blocking.has(res.id), settings);
			res.proposed = res.decision !== null ? res.decision === 'proposed' : res.defaultProposed;
		});
		const applications = g.work
			.map((w) => w.result)
			.sort((a, b) => {
				if (a.rank !== null && b.rank !== null) return a.rank - b.rank || byString(a.id, b.id);
				if (a.rank !== null) return -1;
				if (b.rank !== null) return 1;
				return byString(a.id, b.id);
			});
		out.push({ occupation: g.occupation, type: g.type, applications });
	}
	out.sort((a, b) => byString(a.occupation, b.occupation) || byString(a.type, b.type));
	return { method, settings, groups: out };
}

/**
 * Mean points per criterion over the valid sheets that carry it. Keys follow the criteria order of
 * the sheets' rubric (else the first rubric of the application's type); other keys follow in the
 * order first met.
 */
function criterionMeans(
	valid: Score[],
	rubricById: Map<string, Rubric>,
	type: string,
	rubrics: Rubric[] | undefined
): Record<string, number> {
	const out: Record<string, number> = {};
	if (valid.length === 0) return out;
	const sum = new Map<string, number>();
	const cnt = new Map<string, number>();
	const rubric = valid.map((s) => rubricById.get(s.rubricId)).find((r) => r) ?? rubrics?.find((r) => r.type === type);
	if (rubric) for (const c of rubric.criteria) sum.set(c.id, 0);
	for (const s of valid) {
		for (const k in s.points) {
			sum.set(k, (sum.get(k) ?? 0) + s.points[k]);
			cnt.set(k, (cnt.get(k) ?? 0) + 1);
		}
	}
	for (const [k, v] of sum) {
		const c = cnt.get(k);
		if (c) out[k] = v / c;
	}
	return out;
}

/** The `results --json` document of bundle.md, keys in its order. */
export function toResultsJson(r: Results): ResultsJson {
	return {
		method: r.method,
		groups: r.groups.map((g) => ({
			occupation: g.occupation,
			type: g.type,
			applications: g.applications.map((a) => ({
				id: a.id,
				score: a.score,
				n: a.n,
				rank: a.rank,
				proposed: a.proposed,
				flags: [...a.flags],
				excluded: a.excluded.map((e) => ({ expertId: e.expertId, why: e.why }))
			}))
		}))
	};
}
