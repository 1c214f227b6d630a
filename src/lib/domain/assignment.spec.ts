import { describe, it, expect } from 'vitest';
import { assignExperts, seededRandom, DEFAULT_ALTERNATES, type AssignInput, type AssignResult } from './assignment';
import { detectConflicts, groupUnits, hardConflictKeys, pairKey } from './conflicts';

type Ex = AssignInput['experts'][number];

function input(over: Partial<AssignInput>): AssignInput {
	return { applications: [], experts: [], existing: [], blocked: new Set(), perApplication: 5, seed: 'seed', ...over };
}

const assignedTo = (r: AssignResult, appId: string) =>
	r.assignments.filter((x) => x.applicationId === appId).map((x) => x.expertId);
const sumSq = (loads: Record<string, number>) => Object.values(loads).reduce((s, x) => s + x * x, 0);

/* ---------- Brute force: every possible assignment, for small cases ---------- */

type Optimum = { fill: number; minMax: number; minSumSq: number };

function subsets<T>(items: T[], maxSize: number): T[][] {
	const out: T[][] = [[]];
	const rec = (start: number, cur: T[]) => {
		for (let i = start; i < items.length; i++) {
			cur.push(items[i]);
			out.push([...cur]);
			if (cur.length < maxSize) rec(i + 1, cur);
			cur.pop();
		}
	};
	if (maxSize > 0) rec(0, []);
	return out;
}

/** The problem as stated, enumerated: the largest fill, and among those the best largest load and sum of squares. */
function bruteForce(inp: AssignInput): Optimum {
	const experts = inp.experts.map((e) => e.id);
	const group = inp.onePerUnit ? groupUnits(inp.experts.map((e) => e.workUnit ?? null)) : experts.map((_, i) => i);
	const idx = new Map(experts.map((id, i) => [id, i]));
	const existingLoad = experts.map(() => 0);
	const existingOf = new Map<string, Set<number>>();
	const seen = new Set<string>();
	for (const x of inp.existing) {
		const e = idx.get(x.expertId);
		const key = pairKey(x.applicationId, x.expertId);
		if (e === undefined || seen.has(key) || inp.blocked.has(key)) continue;
		seen.add(key);
		existingLoad[e]++;
		if (!existingOf.has(x.applicationId)) existingOf.set(x.applicationId, new Set());
		existingOf.get(x.applicationId)!.add(e);
	}
	const room = existingLoad.map((l) => (inp.maxLoad == null ? Infinity : Math.max(0, inp.maxLoad - l)));
	const options = inp.applications.map((a) => {
		const mine = existingOf.get(a.id) ?? new Set<number>();
		const usedGroups = new Set([...mine].map((e) => group[e]));
		const cands = inp.experts
			.map((x, e) => ({ x, e }))
			.filter(({ x, e }) => x.occupations.includes(a.occupation) && !inp.blocked.has(pairKey(a.id, x.id)) && !mine.has(e))
			.filter(({ e }) => !inp.onePerUnit || !usedGroups.has(group[e]))
			.map(({ e }) => e);
		const demand = Math.max(0, inp.perApplication - mine.size);
		return subsets(cands, demand).filter((s) => !inp.onePerUnit || new Set(s.map((e) => group[e])).size === s.length);
	});
	const extra = experts.map(() => 0);
	const best: Optimum = { fill: -1, minMax: Infinity, minSumSq: Infinity };
	const rec = (a: number, fill: number) => {
		if (a === options.length) {
			const loads = existingLoad.map((l, e) => l + extra[e]);
			const max = Math.max(0, ...loads);
			const sq = loads.reduce((s, x) => s + x * x, 0);
			if (fill > best.fill) Object.assign(best, { fill, minMax: max, minSumSq: sq });
			else if (fill === best.fill) {
				best.minMax = Math.min(best.minMax, max);
				best.minSumSq = Math.min(best.minSumSq, sq);
			}
			return;
		}
		for (const s of options[a]) {
			if (s.some((e) => extra[e] + 1 > room[e])) continue;
			for (const e of s) extra[e]++;
			rec(a + 1, fill + s.length);
			for (const e of s) extra[e]--;
		}
	};
	rec(0, 0);
	return best;
}

/** Every rule the result must keep, whatever the seed. */
function expectValid(inp: AssignInput, r: AssignResult) {
	const experts = new Map(inp.experts.map((e) => [e.id, e]));
	const apps = new Map(inp.applications.map((a) => [a.id, a]));
	const group = inp.onePerUnit ? groupUnits(inp.experts.map((e) => e.workUnit ?? null)) : inp.experts.map((_, i) => i);
	const groupOf = new Map(inp.experts.map((e, i) => [e.id, group[i]]));
	const validExisting = inp.existing.filter((x) => experts.has(x.expertId) && !inp.blocked.has(pairKey(x.applicationId, x.expertId)));
	const seen = new Set(validExisting.map((x) => pairKey(x.applicationId, x.expertId)));
	const loads = new Map(inp.experts.map((e) => [e.id, 0]));
	for (const key of seen) {
		const e = key.slice(key.indexOf('|') + 1);
		loads.set(e, loads.get(e)! + 1);
	}
	const existingLoads = new Map(loads);
	for (const x of r.assignments) {
		const e = experts.get(x.expertId)!;
		const a = apps.get(x.applicationId)!;
		expect(e.occupations).toContain(a.occupation);
		expect(inp.blocked.has(pairKey(a.id, e.id))).toBe(false);
		expect(seen.has(pairKey(a.id, e.id))).toBe(false);
		seen.add(pairKey(a.id, e.id));
		loads.set(e.id, loads.get(e.id)! + 1);
	}
	for (const a of inp.applications) {
		const on = [...seen].filter((k) => k.startsWith(`${a.id}|`)).map((k) => k.slice(a.id.length + 1));
		const fresh = assignedTo(r, a.id);
		expect(on.length).toBeLessThanOrEqual(Math.max(inp.perApplication, on.length - fresh.length));
		if (inp.onePerUnit) {
			const newGroups = fresh.map((e) => groupOf.get(e));
			const others = on.filter((e) => !fresh.includes(e)).map((e) => groupOf.get(e));
			expect(new Set(newGroups).size).toBe(newGroups.length);
			for (const g of newGroups) expect(others).not.toContain(g);
		}
		const missing = r.unfilled.find((u) => u.applicationId === a.id)?.missing ?? 0;
		expect(on.length + missing).toBe(Math.max(inp.perApplication, on.length - fresh.length));
	}
	expect(r.loads).toEqual(Object.fromEntries(loads));
	if (inp.maxLoad != null) {
		for (const [id, l] of loads) expect(l).toBeLessThanOrEqual(Math.max(inp.maxLoad, existingLoads.get(id)!));
	}
	expect(r.maxLoad).toBe(Math.max(0, ...loads.values()));
	const sorted = [...r.assignments].sort((x, y) =>
		x.applicationId < y.applicationId ? -1 : x.applicationId > y.applicationId ? 1 : x.expertId < y.expertId ? -1 : 1
	);
	expect(r.assignments).toEqual(sorted);
}

/** A small random case: 4–5 applications, 4–6 experts, 3 occupations, random conflicts and options. */
function randomCase(n: number): AssignInput {
	const rnd = seededRandom(`case-${n}`);
	const int = (k: number) => Math.floor(rnd() * k);
	const occs = ['ai', 'iot', 'ic'];
	const units = ['东北大学', '东北大学计算机学院', '大连理工大学', '辽宁大学', null];
	const perApplication = 2 + int(2);
	const nApps = perApplication === 3 ? 4 : 4 + int(2);
	const nExperts = perApplication === 3 ? 4 + int(2) : 4 + int(3);
	const applications = Array.from({ length: nApps }, (_, i) => ({ id: `a${i}`, occupation: occs[int(2) === 0 ? 0 : int(3)] }));
	const experts: Ex[] = Array.from({ length: nExperts }, (_, i) => {
		const set = new Set([occs[int(3)]]);
		if (rnd() < 0.5) set.add(occs[int(3)]);
		if (rnd() < 0.4) set.add('ai');
		return { id: `e${i}`, occupations: [...set], workUnit: units[int(units.length)] };
	});
	const blocked = new Set<string>();
	for (const a of applications) for (const e of experts) if (rnd() < 0.15) blocked.add(pairKey(a.id, e.id));
	const existing: AssignInput['existing'] = [];
	if (rnd() < 0.4) existing.push({ applicationId: applications[int(nApps)].id, expertId: experts[int(nExperts)].id });
	if (rnd() < 0.3) existing.push({ applicationId: 'elsewhere', expertId: experts[int(nExperts)].id });
	return {
		applications,
		experts,
		existing,
		blocked,
		perApplication,
		seed: `s${n}`,
		maxLoad: rnd() < 0.4 ? 1 + int(3) : null,
		onePerUnit: rnd() < 0.4
	};
}

describe('seededRandom', () => {
	it('gives the same sequence for the same seed and another for another seed', () => {
		const a = seededRandom('x');
		const b = seededRandom('x');
		const c = seededRandom('y');
		const sa = Array.from({ length: 5 }, a);
		expect(Array.from({ length: 5 }, b)).toEqual(sa);
		expect(Array.from({ length: 5 }, c)).not.toEqual(sa);
	});

	it('draws numbers in [0, 1), spread evenly', () => {
		const r = seededRandom('spread');
		const buckets = [0, 0, 0, 0];
		for (let i = 0; i < 4000; i++) {
			const x = r();
			expect(x >= 0 && x < 1).toBe(true);
			buckets[Math.floor(x * 4)]++;
		}
		for (const n of buckets) expect(n).toBeGreaterThan(900);
	});
});

describe('assignExperts: small hand-computed cases', () => {
	it('fills every application with N experts of its occupation, balancing loads', () => {
		const experts = ['e1', 'e2', 'e3', 'e4'].map((id) => ({ id, occupations: ['ai'] }));
		const applications = ['a1', 'a2'].map((id) => ({ id, occupation: 'ai' }));
		const r = assignExperts(input({ applications, experts, perApplication: 2 }));
		expect(r.assignments).toHaveLength(4);
		expect(r.unfilled).toEqual([]);
		expect(r.loads).toEqual({ e1: 1, e2: 1, e3: 1, e4: 1 });
		expect(r.maxLoad).toBe(1);
	});

	it('moves work to the expert who can take it: shared expert goes where needed', () => {
		// e2 can do ai and iot; three ai seats and one iot seat, one expert each: loads 2, 1, 1 at best.
		const experts = [
			{ id: 'e1', occupations: ['ai'] },
			{ id: 'e2', occupations: ['ai', 'iot'] },
			{ id: 'e3', occupations: ['iot'] }
		];
		const applications = [
			{ id: 'a1', occupation: 'ai' },
			{ id: 'a2', occupation: 'ai' },
			{ id: 'a3', occupation: 'ai' },
			{ id: 'b1', occupation: 'iot' }
		];
		for (const seed of ['1', '2', '3', '4', '5']) {
			const r = assignExperts(input({ applications, experts, perApplication: 1, seed }));
			expect(r.assignments).toHaveLength(4);
			expect(assignedTo(r, 'b1')).toEqual(['e3']);
			expect(r.maxLoad).toBe(2);
			expect(sumSq(r.loads)).toBe(6);
		}
	});

	it('finds the balanced optimum a greedy start can miss', () => {
		// a1 can use e1 or e2, b1 and b2 only e2: a greedy giving a1 to e2 leaves e2 with 3, e1 idle.
		const experts = [
			{ id: 'e1', occupations: ['ai'] },
			{ id: 'e2', occupations: ['ai', 'iot'] }
		];
		const applications = [
			{ id: 'a1', occupation: 'ai' },
			{ id: 'b1', occupation: 'iot' },
			{ id: 'b2', occupation: 'iot' }
		];
		for (const seed of ['1', '2', '3', '4', '5', '6']) {
			const r = assignExperts(input({ applications, experts, perApplication: 1, seed }));
			expect(r.assignments).toEqual([
				{ applicationId: 'a1', expertId: 'e1' },
				{ applicationId: 'b1', expertId: 'e2' },
				{ applicationId: 'b2', expertId: 'e2' }
			]);
		}
	});

	it('reports an occupation with fewer eligible experts than N instead of under-filling silently', () => {
		const experts = [
			...['i1', 'i2', 'i3'].map((id) => ({ id, occupations: ['ic'] })),
			...['v1', 'v2', 'v3', 'v4', 'v5'].map((id) => ({ id, occupations: ['vr'] }))
		];
		const applications = [
			{ id: 'app-ic', occupation: 'ic' },
			{ id: 'app-vr', occupation: 'vr' },
			{ id: 'app-none', occupation: 'blockchain' }
		];
		const r = assignExperts(input({ applications, experts }));
		expect(assignedTo(r, 'app-ic')).toEqual(['i1', 'i2', 'i3']);
		expect(assignedTo(r, 'app-vr')).toEqual(['v1', 'v2', 'v3', 'v4', 'v5']);
		expect(r.unfilled).toEqual([
			{ applicationId: 'app-ic', missing: 2, eligible: 3, reason: '该职业无冲突的可选专家仅 3 人，需 5 人' },
			{ applicationId: 'app-none', missing: 5, eligible: 0, reason: '该职业无冲突的可选专家仅 0 人，需 5 人' }
		]);
	});

	it('never assigns a blocked (conflicted) expert, and counts the conflict in the report', () => {
		const experts = ['e1', 'e2', 'e3', 'e4', 'e5'].map((id) => ({ id, occupations: ['ai'] }));
		const applications = [{ id: 'a1', occupation: 'ai' }];
		const r = assignExperts(input({ applications, experts, blocked: new Set([pairKey('a1', 'e3')]) }));
		expect(assignedTo(r, 'a1')).toEqual(['e1', 'e2', 'e4', 'e5']);
		expect(r.unfilled).toEqual([
			{ applicationId: 'a1', missing: 1, eligible: 4, reason: '该职业无冲突的可选专家仅 4 人，需 5 人' }
		]);
		expect(r.loads.e3).toBe(0);
	});

	it('never assigns an expert of another occupation', () => {
		const experts = [
			{ id: 'e1', occupations: ['ai'] },
			{ id: 'e2', occupations: ['iot'] }
		];
		const r = assignExperts(input({ applications: [{ id: 'a1', occupation: 'ai' }], experts, perApplication: 2 }));
		expect(r.assignments).toEqual([{ applicationId: 'a1', expertId: 'e1' }]);
		expect(r.unfilled[0]).toMatchObject({ missing: 1, eligible: 1 });
		expect(r.loads).toEqual({ e1: 1, e2: 0 });
	});

	it('counts existing assignments toward N and the loads, except blocked ones and unknown experts', () => {
		const experts = ['e1', 'e2', 'e3', 'e4'].map((id) => ({ id, occupations: ['ai'] }));
		const applications = [
			{ id: 'a1', occupation: 'ai' },
			{ id: 'a2', occupation: 'ai' }
		];
		const r = assignExperts(
			input({
				applications,
				experts,
				perApplication: 3,
				existing: [
					{ applicationId: 'a1', expertId: 'e1' },
					{ applicationId: 'a1', expertId: 'e1' }, // duplicate
					{ applicationId: 'a1', expertId: 'gone' }, // not an active expert
					{ applicationId: 'a2', expertId: 'e2' }, // conflict surfaced since
					{ applicationId: 'old', expertId: 'e4' } // another batch's work
				],
				blocked: new Set([pairKey('a2', 'e2')])
			})
		);
		// a1 needs 2 more (not e1), a2 needs 3 (not e2): 5 new seats over e1..e4 with e4 at 1 already.
		expect(assignedTo(r, 'a1')).not.toContain('e1');
		expect(assignedTo(r, 'a1')).toHaveLength(2);
		expect(assignedTo(r, 'a2')).toEqual(['e1', 'e3', 'e4']);
		expect(r.unfilled).toEqual([]);
		expect(Object.values(r.loads).reduce((s, x) => s + x, 0)).toBe(1 + 1 + 5);
		expect(r.maxLoad).toBe(2);
		expect(sumSq(r.loads)).toBe(2 * 2 + 2 * 2 + 2 * 2 + 1);
	});

	it('adds nothing to an application already full', () => {
		const experts = ['e1', 'e2', 'e3'].map((id) => ({ id, occupations: ['ai'] }));
		const r = assignExperts(
			input({
				applications: [{ id: 'a1', occupation: 'ai' }],
				experts,
				perApplication: 2,
				existing: [
					{ applicationId: 'a1', expertId: 'e1' },
					{ applicationId: 'a1', expertId: 'e2' }
				]
			})
		);
		expect(r.assignments).toEqual([]);
		expect(r.unfilled).toEqual([]);
		expect(r.alternates).toEqual({ a1: ['e3'] });
		expect(r.loads).toEqual({ e1: 1, e2: 1, e3: 0 });
	});

	it('with onePerUnit, takes one expert per unit, counting department suffixes as the same unit', () => {
		const experts: Ex[] = [
			{ id: 'e1', occupations: ['ai'], workUnit: '东北大学计算机科学与工程学院' },
			{ id: 'e2', occupations: ['ai'], workUnit: '东北大学（软件学院）' },
			{ id: 'e3', occupations: ['ai'], workUnit: '东北大学' },
			{ id: 'e4', occupations: ['ai'], workUnit: '大连理工大学' },
			{ id: 'e5', occupations: ['ai'], workUnit: 'ＡＢＣ科技有限公司' },
			{ id: 'e6', occupations: ['ai'], workUnit: 'ABC科技有限公司' }
		];
		const applications = [{ id: 'a1', occupation: 'ai' }];
		for (const seed of ['1', '2', '3', '4']) {
			const r = assignExperts(input({ applications, experts, perApplication: 3, onePerUnit: true, seed }));
			const got = assignedTo(r, 'a1');
			expect(got).toHaveLength(3);
			expect(got.filter((e) => ['e1', 'e2', 'e3'].includes(e))).toHaveLength(1);
			expect(got).toContain('e4');
			expect(got.filter((e) => ['e5', 'e6'].includes(e))).toHaveLength(1);
			// The alternates are other units only: none left.
			expect(r.alternates.a1).toEqual([]);
		}
		const four = assignExperts(input({ applications, experts, perApplication: 4, onePerUnit: true }));
		expect(four.unfilled).toEqual([
			{ applicationId: 'a1', missing: 1, eligible: 6, reason: '可选专家仅来自 3 个单位（同一单位至多 1 人），需 4 人' }
		]);
		const off = assignExperts(input({ applications, experts, perApplication: 4 }));
		expect(off.unfilled).toEqual([]);
	});

	it('with onePerUnit, an existing expert’s unit is taken already', () => {
		const experts: Ex[] = [
			{ id: 'e1', occupations: ['ai'], workUnit: '东北大学计算机学院' },
			{ id: 'e2', occupations: ['ai'], workUnit: '东北大学' },
			{ id: 'e3', occupations: ['ai'], workUnit: '辽宁大学' }
		];
		const r = assignExperts(
			input({
				applications: [{ id: 'a1', occupation: 'ai' }],
				experts,
				perApplication: 3,
				onePerUnit: true,
				existing: [{ applicationId: 'a1', expertId: 'e2' }]
			})
		);
		expect(r.assignments).toEqual([{ applicationId: 'a1', expertId: 'e3' }]);
		expect(r.unfilled).toEqual([
			{ applicationId: 'a1', missing: 1, eligible: 3, reason: '可选专家仅来自 2 个单位（同一单位至多 1 人），需 3 人' }
		]);
	});

	it('respects maxLoad (existing work included) and says so', () => {
		const experts = ['e1', 'e2'].map((id) => ({ id, occupations: ['ai'] }));
		const applications = ['a1', 'a2', 'a3'].map((id) => ({ id, occupation: 'ai' }));
		const r = assignExperts(
			input({ applications, experts, perApplication: 2, maxLoad: 2, existing: [{ applicationId: 'old', expertId: 'e1' }] })
		);
		expect(r.loads).toEqual({ e1: 2, e2: 2 });
		expect(r.assignments).toHaveLength(3);
		expect(r.unfilled.reduce((s, u) => s + u.missing, 0)).toBe(3);
		expect(r.unfilled[0].reason).toMatch(/^无冲突的可选专家共 2 人，受每位专家评审上限 2 件限制，尚缺 [12] 人$/);
		expect(r.maxLoad).toBe(2);
	});

	it('ranks alternates by load, then by a seeded draw, excluding the assigned, blocked and off-occupation', () => {
		const experts = [
			{ id: 'e1', occupations: ['ai'] },
			{ id: 'e2', occupations: ['ai'] },
			{ id: 'e3', occupations: ['ai'] },
			{ id: 'e4', occupations: ['ai'] },
			{ id: 'e5', occupations: ['ai'] },
			{ id: 'x1', occupations: ['iot'] }
		];
		const existing = [
			{ applicationId: 'old1', expertId: 'e2' },
			{ applicationId: 'old2', expertId: 'e2' },
			{ applicationId: 'old3', expertId: 'e3' }
		];
		const base = input({
			applications: [{ id: 'a1', occupation: 'ai' }],
			experts,
			existing,
			perApplication: 1,
			blocked: new Set([pairKey('a1', 'e5')])
		});
		const r = assignExperts(base);
		// e1 and e4 have load 0: one is assigned, the other is the first alternate; then e3 (1), e2 (2).
		const chosen = assignedTo(r, 'a1');
		expect(chosen.length === 1 && ['e1', 'e4'].includes(chosen[0])).toBe(true);
		const other = chosen[0] === 'e1' ? 'e4' : 'e1';
		expect(r.alternates).toEqual({ a1: [other, 'e3', 'e2'] });
		expect(DEFAULT_ALTERNATES).toBe(3);
		expect(assignExperts({ ...base, alternates: 2 }).alternates.a1).toEqual([other, 'e3']);
		expect(assignExperts({ ...base, alternates: 0 }).alternates.a1).toEqual([]);
		// Under a cap of 1, e3 and e2 are full and drop out of the alternates.
		expect(assignExperts({ ...base, maxLoad: 1 }).alternates.a1).toHaveLength(1);
	});

	it('handles empty inputs and N = 0, and rejects an invalid N or cap', () => {
		expect(assignExperts(input({}))).toEqual({ assignments: [], unfilled: [], loads: {}, alternates: {}, maxLoad: 0 });
		const r = assignExperts(input({ applications: [{ id: 'a1', occupation: 'ai' }], experts: [{ id: 'e1', occupations: ['ai'] }], perApplication: 0 }));
		expect(r.assignments).toEqual([]);
		expect(r.unfilled).toEqual([]);
		expect(r.loads).toEqual({ e1: 0 });
		expect(() => assignExperts(input({ perApplication: -1 }))).toThrow(RangeError);
		expect(() => assignExperts(input({ perApplication: 2.5 }))).toThrow(RangeError);
		expect(() => assignExperts(input({ maxLoad: -1 }))).toThrow(RangeError);
	});
});

describe('assignExperts: reproducible draw', () => {
	const experts = Array.from({ length: 10 }, (_, i) => ({ id: `e${i}`, occupations: ['ai'] }));
	const applications = Array.from({ length: 10 }, (_, i) => ({ id: `a${i}`, occupation: 'ai' }));
	const base = input({ applications, experts, perApplication: 3 });

	it('gives the same result for the same inputs and seed, whatever their order', () => {
		const r1 = assignExperts(base);
		const r2 = assignExperts({ ...base, applications: [...applications].reverse(), experts: [...experts].reverse() });
		expect(r2).toEqual(r1);
		expect(JSON.stringify(Object.keys(r2.loads))).toBe(JSON.stringify(Object.keys(r1.loads)));
	});

	it('draws a different balanced assignment for a different seed', () => {
		const results = ['a', 'b', 'c', 'd'].map((seed) => assignExperts({ ...base, seed }));
		const distinct = new Set(results.map((r) => JSON.stringify(r.assignments)));
		expect(distinct.size).toBeGreaterThan(1);
		for (const r of results) {
			expect(r.maxLoad).toBe(3);
			expect(Object.values(r.loads)).toEqual(Array(10).fill(3));
			expectValid({ ...base, seed: 'x' }, r);
		}
	});
});

describe('assignExperts: exact against a brute-force optimum', () => {
	const cases = Array.from({ length: 60 }, (_, n) => randomCase(n));

	it('covers caps, units, existing work and shortages among the cases', () => {
		expect(cases.filter((c) => c.maxLoad != null).length).toBeGreaterThan(10);
		expect(cases.filter((c) => c.onePerUnit).length).toBeGreaterThan(10);
		expect(cases.filter((c) => c.existing.length > 0).length).toBeGreaterThan(10);
		expect(cases.filter((c) => c.perApplication === 3).length).toBeGreaterThan(10);
	});

	cases.forEach((c, n) => {
		it(`case ${n}: ${c.applications.length} applications, ${c.experts.length} experts, N=${c.perApplication}, cap ${c.maxLoad ?? '-'}, ${c.onePerUnit ? 'one per unit' : 'any unit'}`, () => {
			const best = bruteForce(c);
			for (const seed of ['s1', 's2']) {
				const r = assignExperts({ ...c, seed });
				expectValid(c, r);
				expect(r.assignments.length).toBe(best.fill);
				expect(r.maxLoad).toBe(best.minMax);
				expect(sumSq(r.loads)).toBe(best.minSumSq);
			}
		});
	});
});

describe('assignExperts: larger cases', () => {
	/** `apps` applications over `occs` occupations, `n` experts with 1–3 of them, a few conflicts. */
	function generated(seed: string, apps: number, n: number, occs: number): AssignInput {
		const rnd = seededRandom(seed);
		const int = (k: number) => Math.floor(rnd() * k);
		const occupations = Array.from({ length: occs }, (_, i) => `o${i}`);
		const applications = Array.from({ length: apps }, (_, i) => ({ id: `a${i}`, occupation: occupations[int(occs)] }));
		const experts: Ex[] = Array.from({ length: n }, (_, i) => ({
			id: `e${i}`,
			occupations: Array.from({ length: 1 + int(3) }, () => occupations[int(occs)]),
			workUnit: `第${int(Math.ceil(n / 4))}大学${rnd() < 0.5 ? '计算机学院' : ''}`
		}));
		const blocked = new Set<string>();
		for (let i = 0; i < apps; i++) blocked.add(pairKey(applications[int(apps)].id, experts[int(n)].id));
		return input({ applications, experts, blocked, perApplication: 5, seed });
	}

	/** The largest load is the least possible: one less as a cap fills fewer seats. */
	function expectMinimalLargestLoad(inp: AssignInput, r: AssignResult) {
		const capped = assignExperts({ ...inp, maxLoad: r.maxLoad - 1 });
		expect(capped.assignments.length).toBeLessThan(r.assignments.length);
	}

	it('a province (600 applications, 150 experts): valid, fully filled where possible, least largest load', () => {
		const inp = generated('province', 600, 150, 10);
		const r = assignExperts(inp);
		expectValid(inp, r);
		expect(r.assignments.length + r.unfilled.reduce((s, u) => s + u.missing, 0)).toBe(3000);
		expectMinimalLargestLoad(inp, r);
		// Balanced: no expert could hand one application to another expert with a load two lower.
		const loads = r.loads;
		const blockedOrOn = (a: string, e: string) => inp.blocked.has(pairKey(a, e)) || assignedTo(r, a).includes(e);
		const appsById = new Map(inp.applications.map((a) => [a.id, a]));
		for (const x of r.assignments) {
			for (const e of inp.experts) {
				if (!e.occupations.includes(appsById.get(x.applicationId)!.occupation) || blockedOrOn(x.applicationId, e.id)) continue;
				expect(loads[e.id]).toBeGreaterThanOrEqual(loads[x.expertId] - 1);
			}
		}
	});

	it('with one expert per unit and a cap: valid, and the largest load is the least possible', () => {
		const inp = { ...generated('units', 120, 40, 4), onePerUnit: true, perApplication: 3 };
		const r = assignExperts(inp);
		expectValid(inp, r);
		expectMinimalLargestLoad(inp, r);
		const capped = { ...inp, maxLoad: r.maxLoad - 2 };
		const rc = assignExperts(capped);
		expectValid(capped, rc);
		expect(rc.unfilled.length).toBeGreaterThan(0);
		for (const u of rc.unfilled) expect(u.reason).toMatch(/上限|单位|仅/);
	});
});

describe('assignExperts with detected conflicts', () => {
	it('never assigns a teacher, contact or declaring expert of the application; a soft conflict only when not confirmed', () => {
		const expert = (id: string, name: string, workUnit: string, phone: string) => ({
			id,
			name,
			workUnit,
			title: null,
			occupations: ['ai'],
			region: null,
			phone,
			email: null
		});
		const experts = [
			expert('teacher', '李四', '沈阳工业大学', '13900000001'),
			expert('contact', '赵六', '辽宁大学', '13700000001'),
			expert('declared', '孙八', '大连理工大学', '13900000003'),
			expert('soft', '周九', '东北大学软件学院', '13900000004'),
			expert('same-unit', '吴十', 'ＡＢＣ科技（辽宁）有限公司', '13900000005'),
			expert('free', '郑一', '锦州医科大学', '13900000006')
		];
		const institution = {
			id: 'inst-1',
			name: 'ABC科技(辽宁)有限公司',
			uscc: null,
			legalRep: { name: '张三', idNumber: null },
			address: null,
			unitType: null,
			industry: null,
			registeredCapital: null,
			employees: null,
			founded: null,
			taxes: [],
			bases: null
		};
		const person = (name: string, workUnit: string) => ({
			role: 'teacher' as const,
			name,
			workUnit,
			title: null,
			specialty: null,
			fullTime: false,
			phone: null
		});
		const application = {
			id: 'app-1',
			institutionId: 'inst-1',
			type: 'training' as const,
			occupation: 'ai',
			levels: ['junior'],
			region: 'shenyang',
			lead: null,
			contact: { name: '赵六', title: null, phone: '137-0000-0001', email: null },
			overview: null,
			platform: null,
			pastWork: null,
			teamMechanism: null,
			plan: null,
			trainingYears: [],
			evaluationYears: [],
			conductsEvaluation: null,
			issuesCertificates: null,
			certificateCategory: null,
			venues: [],
			team: null,
			people: [person('李四', '沈阳工业大学'), person('王五', '东北大学（软件学院）')],
			planned: null,
			fees: null,
			attachments: null,
			recommendation: null
		};
		const conflicts = detectConflicts({
			experts,
			applications: [application],
			institutions: [institution],
			declarations: [{ applicationId: 'app-1', expertId: 'declared', reason: '曾在该单位兼职' }]
		});
		expect(conflicts.map((c) => `${c.expertId}:${c.code}`)).toEqual([
			'contact:APPLICATION_CONTACT',
			'declared:DECLARED',
			'same-unit:SAME_UNIT',
			'soft:SHARED_UNIT_WITH_STAFF',
			'teacher:LISTED_IN_APPLICATION'
		]);
		const run = (blocked: Set<string>) =>
			assignExperts({ applications: [application], experts, existing: [], blocked, perApplication: 3, seed: 'x' });
		const open = run(hardConflictKeys(conflicts));
		expect(assignedTo(open, 'app-1')).toEqual(['free', 'soft']);
		expect(open.unfilled).toEqual([
			{ applicationId: 'app-1', missing: 1, eligible: 2, reason: '该职业无冲突的可选专家仅 2 人，需 3 人' }
		]);
		const confirmed = run(hardConflictKeys(conflicts, { confirmedSoft: new Set([pairKey('app-1', 'soft')]) }));
		expect(assignedTo(confirmed, 'app-1')).toEqual(['free']);
	});
});
