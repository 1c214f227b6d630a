/**
 * Stability of the cut: for each (occupation, type) group, every application's rank under each
 * method side by side, and how often it stays default-proposed when one valid sheet of the group is
 * left out (every sheet in turn) or when each application's valid sheets are resampled with
 * replacement (seeded bootstrap). Applications whose default status changes under a reasonable
 * alternative are marked for discussion. Recorded decisions are ignored: the default rule only.
 */
import {
	METHODS,
	aggregate,
	competitionRanks,
	isDefaultProposed,
	scoreRows,
	type AggregateInput,
	type Method,
	type Results,
	type ScoringRow
} from './aggregation';
import type { AggregationSettings } from './bundle';

export type StabilityInput = AggregateInput & {
	/** Bootstrap replicates (default 200; 0 for leave-one-out only). */
	bootstrap?: number;
	/** Seed of the bootstrap; the same seed gives the same result. */
	seed?: string;
};

export type ApplicationStability = {
	id: string;
	/** The rank under each method (null when unranked). */
	ranks: Record<Method, number | null>;
	/** The default status under the chosen method on all the data. */
	defaultProposed: boolean;
	/** Share of the leave-one-sheet-out and bootstrap replicates in which the application is default-proposed. */
	pAboveCut: number;
	/** Its default status differs in at least one leave-one-sheet-out replicate. */
	leaveOneOutChanges: boolean;
	/** Share of the bootstrap replicates in which it is default-proposed. */
	bootstrapShare: number;
	/** Its default status differs under another method or some leave-one-out replicate, or 0.1 < bootstrapShare < 0.9. */
	unstable: boolean;
};

export type GroupStability = { occupation: string; type: 'training' | 'evaluation'; applications: ApplicationStability[] };
export type CutStability = { method: Method; bootstrap: number; seed: string; groups: GroupStability[] };

export const DEFAULT_BOOTSTRAP = 200;
export const DEFAULT_SEED = 'dte-review';

/** FNV-1a, 32 bits, over UTF-16 code units. */
export function hashString(s: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < s.length; i++) {
		h ^= s.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	return h >>> 0;
}

/** mulberry32: a small deterministic PRNG with values in [0, 1). */
export function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) | 0;
		let t = Math.imul(a ^ (a >>> 15), 1 | a);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export function cutStability(input: StabilityInput): CutStability {
	const method = input.method ?? input.settings.method;
	const settings: AggregationSettings = { ...input.settings, method };
	const replicates = Math.max(0, Math.floor(input.bootstrap ?? DEFAULT_BOOTSTRAP));
	const seed = input.seed ?? DEFAULT_SEED;
	const plain = { ...input, decisions: [] };

	const runs = new Map<Method, Map<string, { rank: number | null; defaultProposed: boolean }>>();
	let base: Results | null = null;
	for (const m of METHODS) {
		const result = aggregate({ ...plain, method: m });
		if (m === method) base = result;
		const byId = new Map<string, { rank: number | null; defaultProposed: boolean }>();
		for (const g of result.groups) for (const a of g.applications) byId.set(a.id, a);
		runs.set(m, byId);
	}

	const groups: GroupStability[] = base!.groups.map((g) => {
		const apps = g.applications;
		const count = apps.length;
		const experts = new Map<string, number>();
		const rows: ScoringRow[] = apps.map((a) => {
			const valid = a.sheets.filter((s) => s.valid);
			const totals = new Float64Array(valid.length);
			const raters = new Int32Array(valid.length);
			valid.forEach((s, j) => {
				let e = experts.get(s.expertId);
				if (e === undefined) experts.set(s.expertId, (e = experts.size));
				totals[j] = s.total;
				raters[j] = e;
			});
			return { totals, raters };
		});
		const raterCount = experts.size;
		const blocked = apps.map((a) => input.blocking.has(a.id));
		const status0 = apps.map((a) => a.defaultProposed);
		const scores0 = scoreRows(rows, method, settings.minReviews, raterCount);

		/**
		 * Default status of every application on a replicate. `changed`: the only row that differs
		 * from the data (its score alone is recomputed, except under zscore where every score moves).
		 */
		const statusOf = (replicate: ScoringRow[], changed: number | null): Uint8Array => {
			let scores: Float64Array;
			if (changed === null || method === 'zscore') {
				scores = scoreRows(replicate, method, settings.minReviews, raterCount);
			} else {
				scores = scores0.slice();
				scores[changed] = scoreRows([replicate[changed]], method, settings.minReviews, raterCount)[0];
			}
			const ranks = settings.maxPerGroup == null ? null : competitionRanks(scores);
			const out = new Uint8Array(count);
			for (let i = 0; i < count; i++) out[i] = isDefaultProposed(scores[i], ranks ? ranks[i] : 1, blocked[i], settings) ? 1 : 0;
			return out;
		};

		// leave one valid sheet of the group out, each in turn
		const looAbove = new Int32Array(count);
		const looChanges = new Array<boolean>(count).fill(false);
		let looCount = 0;
		const replicate = rows.slice();
		for (let i = 0; i < count; i++) {
			const { totals, raters } = rows[i];
			const n = totals.length;
			for (let j = 0; j < n; j++) {
				const t = new Float64Array(n - 1);
				const r = new Int32Array(n - 1);
				for (let k = 0, p = 0; k < n; k++) {
					if (k === j) continue;
					t[p] = totals[k];
					r[p++] = raters[k];
				}
				replicate[i] = { totals: t, raters: r };
				const st = statusOf(replicate, i);
				for (let a = 0; a < count; a++) {
					looAbove[a] += st[a];
					if (st[a] !== (status0[a] ? 1 : 0)) looChanges[a] = true;
				}
				looCount++;
			}
			replicate[i] = rows[i];
		}

		// bootstrap: each application's valid sheets resampled with replacement (buffers reused)
		const random = mulberry32(hashString(`${seed}|${g.occupation}|${g.type}`));
		const bootAbove = new Int32Array(count);
		const sample: { totals: Float64Array; raters: Int32Array }[] = rows.map((r) => ({
			totals: new Float64Array(r.totals.length),
			raters: new Int32Array(r.totals.length)
		}));
		for (let b = 0; b < replicates; b++) {
			for (let i = 0; i < count; i++) {
				const { totals, raters } = rows[i];
				const n = totals.length;
				const out = sample[i];
				for (let k = 0; k < n; k++) {
					const pick = Math.floor(random() * n);
					out.totals[k] = totals[pick];
					out.raters[k] = raters[pick];
				}
			}
			const st = statusOf(sample, null);
			for (let a = 0; a < count; a++) bootAbove[a] += st[a];
		}

		return {
			occupation: g.occupation,
			type: g.type,
			applications: apps.map((a, i) => {
				const ranks = {} as Record<Method, number | null>;
				let methodChanges = false;
				for (const m of METHODS) {
					const r = runs.get(m)!.get(a.id)!;
					ranks[m] = r.rank;
					if (r.defaultProposed !== status0[i]) methodChanges = true;
				}
				const own = status0[i] ? 1 : 0;
				const total = looCount + replicates;
				const pAboveCut = total > 0 ? (looAbove[i] + bootAbove[i]) / total : own;
				const bootstrapShare = replicates > 0 ? bootAbove[i] / replicates : own;
				return {
					id: a.id,
					ranks,
					defaultProposed: status0[i],
					pAboveCut,
					leaveOneOutChanges: looChanges[i],
					bootstrapShare,
					unstable: methodChanges || looChanges[i] || (bootstrapShare > 0.1 && bootstrapShare < 0.9)
				};
			})
		};
	});
	return { method, bootstrap: replicates, seed, groups };
}
