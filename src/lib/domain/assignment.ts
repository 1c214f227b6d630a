/**
 * Expert assignment (专家分配): for each application, N experts of its occupation with no hard
 * conflict, solved exactly as a flow problem rather than greedily.
 *
 * Network: source → application (capacity = experts still missing) → [(application, unit group),
 * capacity 1, only with `onePerUnit`] → expert (capacity 1) → sink (capacity = maxLoad − existing
 * load, else unbounded). A seeded greedy start is completed to a maximum flow (Dinic), so as many
 * seats as possible are filled. Then the expert load vector is made decreasingly minimal among
 * maximum flows: while some residual path (never through the sink) leads from an expert of load L
 * to an expert of load ≤ L − 2 with spare capacity, one unit is moved along it. Such a flow has the
 * smallest possible largest load and the smallest sum of squared loads at once (dec-min elements
 * of an M-convex set, Frank–Murota; semi-matchings, Harvey et al.), so no search over load caps is
 * needed. The seed shuffles the order of applications and experts and breaks ties, so another
 * seed draws another of the balanced assignments; the same inputs and seed give the same result.
 */
import { groupUnits, pairKey } from './conflicts';

export const DEFAULT_PER_APPLICATION = 5;
export const DEFAULT_ALTERNATES = 3;

export type AssignInput = {
	applications: { id: string; occupation: string }[];
	/** Only active experts. */
	experts: { id: string; occupations: string[]; workUnit?: string | null }[];
	/** Kept; they count toward N and toward the loads (ignored when the expert is not passed or the pair is blocked). */
	existing: { applicationId: string; expertId: string }[];
	/** pairKey(applicationId, expertId) of hard conflicts: never assigned. */
	blocked: Set<string>;
	/** N, experts per application. */
	perApplication: number;
	seed: string;
	/** Cap on an expert's total load (existing + new). */
	maxLoad?: number | null;
	/** At most one expert of the same work unit (unitsMatch, grouped transitively) per application. */
	onePerUnit?: boolean;
	/** Ranked alternates per application (default 3). */
	alternates?: number;
};

export type UnfilledApplication = {
	applicationId: string;
	/** Seats still empty. */
	missing: number;
	/** Experts of the occupation with no hard conflict with this application. */
	eligible: number;
	/** Why, in Chinese. */
	reason: string;
};

export type AssignResult = {
	/** New assignments only, sorted by applicationId then expertId. */
	assignments: { applicationId: string; expertId: string }[];
	unfilled: UnfilledApplication[];
	/** Total load (existing + new) of every expert passed. */
	loads: Record<string, number>;
	/** Per application: eligible experts not assigned to it, best first (lowest load, then seeded random). */
	alternates: Record<string, string[]>;
	/** The largest load. */
	maxLoad: number;
};

/* ---------- Seeded randomness ---------- */

/** cyrb128: a 128-bit hash of a string, as four 32-bit words. */
function cyrb128(str: string): [number, number, number, number] {
	let h1 = 1779033703,
		h2 = 3144134277,
		h3 = 1013904242,
		h4 = 2773480762;
	for (let i = 0; i < str.length; i++) {
		const k = str.charCodeAt(i);
		h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
		h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
		h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
		h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
	}
	h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
	h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
	h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
	h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
	h1 ^= h2 ^ h3 ^ h4;
	h2 ^= h1;
	h3 ^= h1;
	h4 ^= h1;
	return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** A deterministic PRNG (cyrb128 seeding sfc32): numbers in [0, 1), the same sequence for the same seed. */
export function seededRandom(seed: string): () => number {
	let [a, b, c, d] = cyrb128(seed);
	const next = () => {
		a |= 0;
		b |= 0;
		c |= 0;
		d |= 0;
		const t = (((a + b) | 0) + d) | 0;
		d = (d + 1) | 0;
		a = b ^ (b >>> 9);
		b = (c + (c << 3)) | 0;
		c = (c << 21) | (c >>> 11);
		c = (c + t) | 0;
		return (t >>> 0) / 4294967296;
	};
	for (let i = 0; i < 15; i++) next(); // warm up
	return next;
}

function shuffleInPlace<T>(list: T[], rng: () => number): T[] {
	for (let i = list.length - 1; i > 0; i--) {
		const j = Math.floor(rng() * (i + 1));
		const t = list[i];
		list[i] = list[j];
		list[j] = t;
	}
	return list;
}

/** A 32-bit integer hash (murmur3 finalizer), for seeded tie-breaks without a stream. */
function mix32(x: number): number {
	x ^= x >>> 16;
	x = Math.imul(x, 0x85ebca6b);
	x ^= x >>> 13;
	x = Math.imul(x, 0xc2b2ae35);
	x ^= x >>> 16;
	return x >>> 0;
}

/* ---------- A growable Int32 list ---------- */

class IntList {
	data: Int32Array;
	length = 0;
	constructor(capacity = 16) {
		this.data = new Int32Array(Math.max(capacity, 16));
	}
	push(v: number) {
		if (this.length === this.data.length) {
			const next = new Int32Array(this.data.length * 2);
			next.set(this.data);
			this.data = next;
		}
		this.data[this.length++] = v;
	}
}

/* ---------- Flow network (CSR, typed arrays) and Dinic ---------- */

const INF = 1 << 30;

class FlowNetwork {
	readonly n: number;
	readonly head: Int32Array;
	readonly to: Int32Array;
	readonly cap: Int32Array;
	readonly rev: Int32Array;
	/** Forward arc of each edge, in the order the edges were added. */
	readonly edgeArc: Int32Array;
	private readonly level: Int32Array;
	private readonly iter: Int32Array;
	private readonly queue: Int32Array;
	private readonly path: Int32Array;

	/** Edges k: from[k] → to[k] with capacity cap[k], carrying flow[k] already. */
	constructor(n: number, from: IntList, toList: IntList, capList: IntList, flowList: IntList) {
		const m = from.length;
		this.n = n;
		const head = new Int32Array(n + 1);
		for (let k = 0; k < m; k++) {
			head[from.data[k] + 1]++;
			head[toList.data[k] + 1]++;
		}
		for (let i = 0; i < n; i++) head[i + 1] += head[i];
		const pos = head.slice(0, n);
		const to = new Int32Array(2 * m);
		const cap = new Int32Array(2 * m);
		const rev = new Int32Array(2 * m);
		const edgeArc = new Int32Array(m);
		for (let k = 0; k < m; k++) {
			const u = from.data[k];
			const v = toList.data[k];
			const f = pos[u]++;
			const b = pos[v]++;
			to[f] = v;
			to[b] = u;
			cap[f] = capList.data[k] - flowList.data[k];
			cap[b] = flowList.data[k];
			rev[f] = b;
			rev[b] = f;
			edgeArc[k] = f;
		}
		this.head = head;
		this.to = to;
		this.cap = cap;
		this.rev = rev;
		this.edgeArc = edgeArc;
		this.level = new Int32Array(n);
		this.iter = new Int32Array(n);
		this.queue = new Int32Array(n);
		this.path = new Int32Array(n);
	}

	/** Pushes one unit (or the bottleneck) on arc a. */
	private push(a: number, f: number) {
		this.cap[a] -= f;
		this.cap[this.rev[a]] += f;
	}

	private bfs(s: number, t: number, forbidden: number): boolean {
		const { level, queue, head, to, cap } = this;
		level.fill(-1);
		level[s] = 0;
		let qh = 0;
		let qt = 0;
		queue[qt++] = s;
		while (qh < qt) {
			const u = queue[qh++];
			if (level[t] >= 0 && level[u] >= level[t]) break;
			const next = level[u] + 1;
			for (let a = head[u], end = head[u + 1]; a < end; a++) {
				if (cap[a] <= 0) continue;
				const v = to[a];
				if (level[v] >= 0 || v === forbidden) continue;
				level[v] = next;
				queue[qt++] = v;
			}
		}
		return level[t] >= 0;
	}

	/** One augmenting path in the level graph (iterative DFS with current-arc pointers). */
	private augment(s: number, t: number): number {
		const { level, iter, head, to, cap, rev, path } = this;
		let depth = 0;
		let u = s;
		for (;;) {
			if (u === t) {
				let f = INF;
				for (let i = 0; i < depth; i++) if (cap[path[i]] < f) f = cap[path[i]];
				for (let i = 0; i < depth; i++) this.push(path[i], f);
				return f;
			}
			const end = head[u + 1];
			let a = iter[u];
			const want = level[u] + 1;
			while (a < end && (cap[a] <= 0 || level[to[a]] !== want)) a++;
			iter[u] = a;
			if (a < end) {
				path[depth++] = a;
				u = to[a];
			} else {
				level[u] = -1; // dead end
				if (depth === 0) return 0;
				const back = path[--depth];
				u = to[rev[back]];
				iter[u]++;
			}
		}
	}

	/** Dinic maximum flow from s to t on the residual capacities, never entering `forbidden`. */
	maxFlow(s: number, t: number, forbidden = -1): number {
		let total = 0;
		while (this.bfs(s, t, forbidden)) {
			this.iter.set(this.head.subarray(0, this.n));
			for (let f = this.augment(s, t); f > 0; f = this.augment(s, t)) total += f;
		}
		return total;
	}
}

/* ---------- The assignment ---------- */

const SOURCE = 0;
const SINK = 1;
/** Auxiliary source and sink of the balancing phase. */
const AUX_SOURCE = 2;
const AUX_SINK = 3;
const FIRST_NODE = 4;

const compareIds = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function uniqueById<T extends { id: string }>(list: readonly T[]): T[] {
	const seen = new Set<string>();
	const out: T[] = [];
	for (const x of list) {
		if (seen.has(x.id)) continue;
		seen.add(x.id);
		out.push(x);
	}
	return out.sort((a, b) => compareIds(a.id, b.id));
}

/**
 * Assigns experts to applications: as many seats filled as possible, loads balanced (the largest
 * as small as possible, then as even as possible), hard conflicts and other occupations never.
 */
export function assignExperts(input: AssignInput): AssignResult {
	const N = input.perApplication;
	if (!Number.isInteger(N) || N < 0) throw new RangeError('每份申报的专家人数应为非负整数');
	const capLimit = input.maxLoad ?? null;
	if (capLimit !== null && (!Number.isInteger(capLimit) || capLimit < 0)) {
		throw new RangeError('每位专家的评审上限应为非负整数');
	}
	const alternateCount = Math.max(0, Math.floor(input.alternates ?? DEFAULT_ALTERNATES));
	const onePerUnit = input.onePerUnit ?? false;
	const rng = seededRandom(input.seed);

	// Canonical order (by id), then a seeded shuffle: the node order drives every tie-break.
	const apps = shuffleInPlace(uniqueById(input.applications), rng);
	const experts = shuffleInPlace(uniqueById(input.experts), rng);
	const na = apps.length;
	const ne = experts.length;
	const appIndex = new Map(apps.map((a, i) => [a.id, i]));
	const expertIndex = new Map(experts.map((e, i) => [e.id, i]));
	const group = onePerUnit ? groupUnits(experts.map((e) => e.workUnit ?? null)) : experts.map((_, i) => i);

	// Blocked pairs per application (ids cannot be split on "|" blindly: try each separator).
	const blockedOf: Set<number>[] = apps.map(() => new Set<number>());
	for (const key of input.blocked) {
		for (let p = key.indexOf('|'); p >= 0; p = key.indexOf('|', p + 1)) {
			const a = appIndex.get(key.slice(0, p));
			const e = expertIndex.get(key.slice(p + 1));
			if (a !== undefined && e !== undefined) blockedOf[a].add(e);
		}
	}
	const isBlocked = (appId: string, a: number | undefined, e: number, expertId: string) =>
		a !== undefined ? blockedOf[a].has(e) : input.blocked.has(pairKey(appId, expertId));

	// Existing assignments that still hold: a passed expert, no hard conflict.
	const existingLoad = new Int32Array(ne);
	const existingOf: Set<number>[] = apps.map(() => new Set<number>());
	const seenExisting = new Set<string>();
	for (const x of input.existing) {
		const e = expertIndex.get(x.expertId);
		if (e === undefined) continue;
		const key = pairKey(x.applicationId, x.expertId);
		if (seenExisting.has(key)) continue;
		seenExisting.add(key);
		const a = appIndex.get(x.applicationId);
		if (isBlocked(x.applicationId, a, e, x.expertId)) continue;
		existingLoad[e]++;
		if (a !== undefined) existingOf[a].add(e);
	}

	const capacity = new Int32Array(ne);
	for (let e = 0; e < ne; e++) capacity[e] = capLimit === null ? INF : Math.max(0, capLimit - existingLoad[e]);

	// Experts per occupation, in the shuffled expert order.
	const byOccupation = new Map<string, number[]>();
	experts.forEach((x, e) => {
		for (const occ of new Set(x.occupations)) {
			const list = byOccupation.get(occ);
			if (list) list.push(e);
			else byOccupation.set(occ, [e]);
		}
	});

	// Candidates per application (CSR): occupation, no conflict, not already on it, its unit not
	// already on it, room under the cap (kept for full applications too: their alternates). `eligibleCount` is the report's number (occupation, no conflict).
	const demand = new Int32Array(na);
	const eligibleCount = new Int32Array(na);
	const candStart = new Int32Array(na + 1);
	const cand = new IntList(1024);
	const groupStamp = new Int32Array(ne).fill(-1);
	for (let a = 0; a < na; a++) {
		const occExperts = byOccupation.get(apps[a].occupation) ?? [];
		const blocked = blockedOf[a];
		const existing = existingOf[a];
		demand[a] = Math.max(0, N - existing.size);
		if (onePerUnit) for (const e of existing) groupStamp[group[e]] = a;
		let eligible = 0;
		for (const e of occExperts) {
			if (blocked.has(e)) continue;
			eligible++;
			if (existing.has(e) || capacity[e] === 0) continue;
			if (onePerUnit && groupStamp[group[e]] === a) continue;
			cand.push(e);
		}
		eligibleCount[a] = eligible;
		candStart[a + 1] = cand.length;
	}
	const candidates = cand.data;

	// Greedy start: each application (shuffled order) takes its least-loaded candidates, ties broken
	// from a seeded starting point.
	const load = Int32Array.from(existingLoad);
	const picked = new Uint8Array(cand.length);
	const usedStamp = new Int32Array(ne).fill(-1);
	for (let a = 0; a < na; a++) {
		const start = candStart[a];
		const size = candStart[a + 1] - start;
		if (size === 0) continue;
		const offset = Math.floor(rng() * size);
		for (let k = 0; k < demand[a]; k++) {
			let best = -1;
			let bestLoad = INF;
			for (let j = 0; j < size; j++) {
				const idx = start + ((offset + j) % size);
				const e = candidates[idx];
				if (picked[idx] || load[e] >= bestLoad || load[e] - existingLoad[e] >= capacity[e]) continue;
				if (onePerUnit && usedStamp[group[e]] === a) continue;
				best = idx;
				bestLoad = load[e];
			}
			if (best < 0) break;
			picked[best] = 1;
			const e = candidates[best];
			load[e]++;
			if (onePerUnit) usedStamp[group[e]] = a;
		}
	}

	// The network.
	const appNode = (a: number) => FIRST_NODE + a;
	const expertNode = (e: number) => FIRST_NODE + na + e;
	let nodeCount = FIRST_NODE + na + ne;
	const from = new IntList(cand.length + na + 3 * ne);
	const to = new IntList(cand.length + na + 3 * ne);
	const capList = new IntList(cand.length + na + 3 * ne);
	const flowList = new IntList(cand.length + na + 3 * ne);
	const edge = (u: number, v: number, c: number, f: number) => {
		from.push(u);
		to.push(v);
		capList.push(c);
		flowList.push(f);
		return from.length - 1;
	};
	const pickedCount = new Int32Array(na);
	for (let a = 0; a < na; a++) {
		for (let i = candStart[a]; i < candStart[a + 1]; i++) pickedCount[a] += picked[i];
		if (demand[a] > 0 && candStart[a + 1] > candStart[a]) edge(SOURCE, appNode(a), demand[a], pickedCount[a]);
	}
	for (let a = 0; a < na; a++) {
		if (demand[a] === 0) continue;
		const start = candStart[a];
		const end = candStart[a + 1];
		if (!onePerUnit) {
			for (let i = start; i < end; i++) edge(appNode(a), expertNode(candidates[i]), 1, picked[i]);
			continue;
		}
		// Candidates of one unit group share a (application, group) node of capacity 1.
		const members = new Map<number, number[]>();
		for (let i = start; i < end; i++) {
			const g = group[candidates[i]];
			const list = members.get(g);
			if (list) list.push(i);
			else members.set(g, [i]);
		}
		for (const list of members.values()) {
			if (list.length === 1) {
				edge(appNode(a), expertNode(candidates[list[0]]), 1, picked[list[0]]);
				continue;
			}
			const g = nodeCount++;
			let used = 0;
			for (const i of list) used += picked[i];
			edge(appNode(a), g, 1, used);
			for (const i of list) edge(g, expertNode(candidates[i]), 1, picked[i]);
		}
	}
	const sinkEdge = new Int32Array(ne);
	const auxInEdge = new Int32Array(ne);
	const auxOutEdge = new Int32Array(ne);
	for (let e = 0; e < ne; e++) {
		sinkEdge[e] = edge(expertNode(e), SINK, capacity[e], load[e] - existingLoad[e]);
		auxInEdge[e] = edge(AUX_SOURCE, expertNode(e), 0, 0);
		auxOutEdge[e] = edge(expertNode(e), AUX_SINK, 0, 0);
	}
	const net = new FlowNetwork(nodeCount, from, to, capList, flowList);
	const { cap, rev } = net;
	const sinkArc = sinkEdge.map((k) => net.edgeArc[k]);
	const auxInArc = auxInEdge.map((k) => net.edgeArc[k]);
	const auxOutArc = auxOutEdge.map((k) => net.edgeArc[k]);

	// 1. Fill as many seats as possible.
	net.maxFlow(SOURCE, SINK);
	for (let e = 0; e < ne; e++) load[e] = existingLoad[e] + cap[rev[sinkArc[e]]];

	// 2. Balance: move load from experts of load ≥ L to experts of load ≤ L − 2 along residual
	// paths avoiding the sink, for every level L, until no move is left (then the loads are dec-min).
	const balanceAt = (L: number): number => {
		let sources = 0;
		let targets = 0;
		for (let e = 0; e < ne; e++) {
			const newLoad = cap[rev[sinkArc[e]]];
			if (load[e] >= L && newLoad > 0) {
				cap[auxInArc[e]] = Math.min(load[e] - (L - 1), newLoad);
				sources++;
			} else if (load[e] <= L - 2 && cap[sinkArc[e]] > 0) {
				cap[auxOutArc[e]] = Math.min(L - 1 - load[e], cap[sinkArc[e]]);
				targets++;
			}
		}
		let moved = 0;
		if (sources > 0 && targets > 0) moved = net.maxFlow(AUX_SOURCE, AUX_SINK, SINK);
		for (let e = 0; e < ne; e++) {
			const out = cap[rev[auxInArc[e]]];
			const into = cap[rev[auxOutArc[e]]];
			if (out > 0) {
				cap[sinkArc[e]] += out;
				cap[rev[sinkArc[e]]] -= out;
				load[e] -= out;
			}
			if (into > 0) {
				cap[sinkArc[e]] -= into;
				cap[rev[sinkArc[e]]] += into;
				load[e] += into;
			}
			cap[auxInArc[e]] = cap[rev[auxInArc[e]]] = 0;
			cap[auxOutArc[e]] = cap[rev[auxOutArc[e]]] = 0;
		}
		return moved;
	};
	for (let changed = true; changed; ) {
		changed = false;
		let top = 0;
		let bottom = INF;
		for (let e = 0; e < ne; e++) {
			if (cap[rev[sinkArc[e]]] > 0 && load[e] > top) top = load[e];
			if (cap[sinkArc[e]] > 0 && load[e] < bottom) bottom = load[e];
		}
		for (let L = top; L >= bottom + 2; L--) if (balanceAt(L) > 0) changed = true;
	}

	// Read the assignment off the flow.
	const assignedOf: number[][] = apps.map(() => []);
	const { head, to: arcTo } = net;
	const firstExpertNode = expertNode(0);
	const firstGroupNode = FIRST_NODE + na + ne;
	for (let a = 0; a < na; a++) {
		const u = appNode(a);
		for (let arc = head[u]; arc < head[u + 1]; arc++) {
			const v = arcTo[arc];
			if (v === SOURCE || cap[arc] !== 0) continue;
			if (v >= firstGroupNode) {
				for (let g = head[v]; g < head[v + 1]; g++) {
					const w = arcTo[g];
					if (w >= firstExpertNode && w < firstGroupNode && cap[g] === 0) assignedOf[a].push(w - firstExpertNode);
				}
			} else {
				assignedOf[a].push(v - firstExpertNode);
			}
		}
	}

	const assignments: { applicationId: string; expertId: string }[] = [];
	for (let a = 0; a < na; a++) {
		for (const e of assignedOf[a]) assignments.push({ applicationId: apps[a].id, expertId: experts[e].id });
	}
	assignments.sort((x, y) => compareIds(x.applicationId, y.applicationId) || compareIds(x.expertId, y.expertId));

	// Applications left short, with the reason.
	const unfilled: UnfilledApplication[] = [];
	for (let a = 0; a < na; a++) {
		const missing = demand[a] - assignedOf[a].length;
		if (missing <= 0) continue;
		unfilled.push({
			applicationId: apps[a].id,
			missing,
			eligible: eligibleCount[a],
			reason: shortfallReason(a)
		});
	}
	unfilled.sort((x, y) => compareIds(x.applicationId, y.applicationId));

	function shortfallReason(a: number): string {
		const occExperts = byOccupation.get(apps[a].occupation) ?? [];
		const pool = new Set<number>(existingOf[a]);
		for (const e of occExperts) if (!blockedOf[a].has(e)) pool.add(e);
		if (pool.size < N) return `该职业无冲突的可选专家仅 ${eligibleCount[a]} 人，需 ${N} 人`;
		const why: string[] = [];
		if (onePerUnit) {
			const units = new Set([...pool].map((e) => group[e])).size;
			if (units < N) return `可选专家仅来自 ${units} 个单位（同一单位至多 1 人），需 ${N} 人`;
			why.push('同一单位至多 1 人');
		}
		if (capLimit !== null) why.push(`每位专家评审上限 ${capLimit} 件`);
		return `无冲突的可选专家共 ${eligibleCount[a]} 人，受${why.join('及')}限制，尚缺 ${demand[a] - assignedOf[a].length} 人`;
	}

	// Ranked alternates: candidates not on the application (nor their unit, with onePerUnit), under
	// the cap, lowest load first, then a seeded draw.
	const alternates: Record<string, string[]> = {};
	const salt = Math.floor(rng() * 4294967296);
	const onApp = new Int32Array(ne).fill(-1);
	for (let a = 0; a < na; a++) {
		for (const e of assignedOf[a]) {
			onApp[e] = a;
			if (onePerUnit) groupStamp[group[e]] = a;
		}
		const best: { e: number; load: number; key: number }[] = [];
		if (alternateCount > 0) {
			for (let i = candStart[a]; i < candStart[a + 1]; i++) {
				const e = candidates[i];
				if (onApp[e] === a || (onePerUnit && groupStamp[group[e]] === a)) continue;
				if (capLimit !== null && load[e] >= capLimit) continue;
				const key = mix32(salt ^ Math.imul(a + 1, 0x9e3779b1) ^ Math.imul(e + 1, 0x85ebca77));
				const item = { e, load: load[e], key };
				if (best.length === alternateCount) {
					const last = best[best.length - 1];
					if (item.load > last.load || (item.load === last.load && item.key >= last.key)) continue;
					best.pop();
				}
				let k = best.length;
				while (k > 0 && (best[k - 1].load > item.load || (best[k - 1].load === item.load && best[k - 1].key > item.key))) k--;
				best.splice(k, 0, item);
			}
		}
		alternates[apps[a].id] = best.map((x) => experts[x.e].id);
	}
	const orderedAlternates: Record<string, string[]> = {};
	for (const id of [...appIndex.keys()].sort(compareIds)) orderedAlternates[id] = alternates[id];

	const loads: Record<string, number> = {};
	let maxLoad = 0;
	const byId = experts.map((x, e) => ({ id: x.id, e })).sort((x, y) => compareIds(x.id, y.id));
	for (const { id, e } of byId) {
		loads[id] = load[e];
		if (load[e] > maxLoad) maxLoad = load[e];
	}

	return { assignments, unfilled, loads, alternates: orderedAlternates, maxLoad };
}
