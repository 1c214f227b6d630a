/**
 * The command-line contract of docs/bundle.md end to end: a bundle in, `check`, `coi`, `assign`
 * and `results` out, with the JSON shapes other tools read.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, fullBundle, tempDir, writeJson } from './helpers';
import { usccCheckChar, idCheckChar } from '../../src/lib/domain/identifiers';

const uscc = (first17: string) => first17 + usccCheckChar(first17);
const idn = (first17: string) => first17 + idCheckChar(first17);

function scenario() {
	const b = fullBundle();
	const base = b.applications[0];
	const inst = b.institutions[0];
	// Three training applications for 人工智能 in 鞍山: over the quota of 2.
	b.institutions = [
		inst,
		...[1, 2, 3].map((i) => ({ ...inst, id: `inst-as-${i}`, name: `鞍山第${i}培训学校有限公司`, uscc: uscc(`9121030${i}MA0Q8K3L7`), legalRep: { name: `法人${i}`, idNumber: idn('21030219800101123') } }))
	];
	b.applications = [
		base,
		...[1, 2, 3].map((i) => ({ ...base, id: `as-${i}`, institutionId: `inst-as-${i}`, region: 'anshan', people: [], lead: { ...base.lead, phone: `1380000100${i}` }, contact: null }))
	];
	b.assignments = [];
	b.declarations = [];
	b.scores = [];
	b.decisions = [];
	b.experts = [
		// Works at a department of 鞍山第1培训学校: SAME_UNIT with as-1.
		{ id: 'e-unit', name: '王一', workUnit: '鞍山第1培训学校有限公司培训部', title: '高级工程师', occupations: ['ai'], region: 'anshan', phone: '13900000001', email: null },
		// The teacher of app-1 (孙伟, same phone): LISTED_IN_APPLICATION with app-1.
		{ id: 'e-teacher', name: '孙伟', workUnit: '东北大学', title: '教授', occupations: ['ai'], region: 'shenyang', phone: '139-0000-0003', email: null },
		...[1, 2, 3, 4, 5, 6].map((i) => ({ id: `e-${i}`, name: `专家${i}`, workUnit: `某研究院第${i}研究所`, title: '研究员', occupations: ['ai'], region: 'shenyang', phone: `1370000000${i}`, email: null }))
	];
	return b;
}

describe('check, coi, assign, results through the command line', () => {
	it('check --json lists every application with its findings; quota applies to the whole cell', async () => {
		const dir = tempDir();
		const db = path.join(dir, 'c.db');
		expect((await cli(db, 'import', writeJson(dir, 'b.json', scenario()))).code).toBe(0);
		const out = JSON.parse((await cli(db, 'check', '--json')).stdout);
		expect(out.applications.map((a: { id: string }) => a.id)).toEqual(['app-1', 'as-1', 'as-2', 'as-3']);
		const codes = (id: string) => out.applications.find((a: { id: string }) => a.id === id).findings.map((f: { code: string }) => f.code);
		expect(codes('app-1')).toEqual([]);
		for (const id of ['as-1', 'as-2', 'as-3']) expect(codes(id)).toEqual(['QUOTA_EXCEEDED']);
		const f = out.applications[1].findings[0];
		expect(Object.keys(f)).toEqual(['code', 'severity', 'detail']);
		expect(f.severity).toBe('blocking');
		expect(f.detail).toContain('鞍山');
	});

	it('coi --json reports the department containment and the listed teacher as hard conflicts', async () => {
		const dir = tempDir();
		const db = path.join(dir, 'c.db');
		await cli(db, 'import', writeJson(dir, 'b.json', scenario()));
		const out = JSON.parse((await cli(db, 'coi', '--json')).stdout);
		expect(out.conflicts).toContainEqual({ expertId: 'e-unit', applicationId: 'as-1', code: 'SAME_UNIT', hard: true });
		expect(out.conflicts).toContainEqual({ expertId: 'e-teacher', applicationId: 'app-1', code: 'LISTED_IN_APPLICATION', hard: true });
		// Near misses: the other 鞍山 schools share no unit with 王一.
		expect(out.conflicts.filter((c: { expertId: string }) => c.expertId === 'e-unit').map((c: { applicationId: string }) => c.applicationId)).toEqual(['as-1']);
	});

	it('assign fills N per application, never with a conflicted expert, and is reproducible by seed', async () => {
		const dir = tempDir();
		const file = writeJson(dir, 'b.json', scenario());
		const run = async (name: string, seed: string) => {
			const db = path.join(dir, name);
			await cli(db, 'import', file);
			const r = await cli(db, 'assign', '--per-application', '3', '--seed', seed, '--json');
			expect(r.code).toBe(0);
			return JSON.parse(r.stdout);
		};
		const a = await run('a.db', 's1');
		const b = await run('b.db', 's1');
		expect(a).toEqual(b);
		expect(Object.keys(a)).toEqual(['assignments', 'unfilled']);
		expect(a.unfilled).toEqual([]);
		expect(a.assignments).toHaveLength(12);
		const pairs = new Set(a.assignments.map((x: { applicationId: string; expertId: string }) => `${x.applicationId}|${x.expertId}`));
		expect(pairs.has('as-1|e-unit')).toBe(false);
		expect(pairs.has('app-1|e-teacher')).toBe(false);
		// 8 experts, 12 seats, e-unit and e-teacher each blocked once: the largest load is 2.
		const loads = new Map<string, number>();
		for (const x of a.assignments) loads.set(x.expertId, (loads.get(x.expertId) ?? 0) + 1);
		expect(Math.max(...loads.values())).toBe(2);
		const seeds = await Promise.all(['s2', 's3', 's4', 's5'].map((s, i) => run(`c${i}.db`, s)));
		expect(seeds.some((x) => JSON.stringify(x) !== JSON.stringify(a))).toBe(true);
	});

	it('assign reports an occupation with too few experts instead of under-filling silently', async () => {
		const dir = tempDir();
		const db = path.join(dir, 'c.db');
		await cli(db, 'import', writeJson(dir, 'b.json', scenario()));
		const out = JSON.parse((await cli(db, 'assign', '--seed', 'x', '--json')).stdout);
		// N = 5 by default; app-1 has 7 eligible (8 minus its teacher), as-1 has 7 (8 minus 王一).
		expect(out.unfilled).toEqual([]);
		const r = await cli(db, 'assign', '--per-application', '9', '--json');
		const more = JSON.parse(r.stdout);
		expect(more.unfilled).toEqual([
			{ applicationId: 'app-1', missing: 2 },
			{ applicationId: 'as-1', missing: 2 },
			{ applicationId: 'as-2', missing: 1 },
			{ applicationId: 'as-3', missing: 1 }
		]);
		expect((await cli(db, 'assign', '--per-application', 'five')).code).toBe(1);
	});

	it('results --json has the contract shape; --method switches the method; a bad method exits 1', async () => {
		const dir = tempDir();
		const db = path.join(dir, 'c.db');
		const b = scenario();
		b.rubrics = [{ id: 'r', type: 'training', criteria: [{ id: 'all', name: '综合', maxPoints: 100, guidance: null }] }];
		b.assignments = ['e-1', 'e-2', 'e-3', 'e-4'].map((e) => ({ applicationId: 'app-1', expertId: e }));
		b.scores = [60, 70, 80, 90].map((t, i) => ({ applicationId: 'app-1', expertId: `e-${i + 1}`, rubricId: 'r', status: 'submitted', points: { all: t }, comment: null, explanation: null }));
		b.scores.push({ applicationId: 'app-1', expertId: 'e-5', rubricId: 'r', status: 'submitted', points: { all: 100 }, comment: null, explanation: null });
		await cli(db, 'import', writeJson(dir, 'b.json', b));
		const out = JSON.parse((await cli(db, 'results', '--json')).stdout);
		expect(out.method).toBe('trimmed');
		const app = out.groups[0].applications.find((a: { id: string }) => a.id === 'app-1');
		expect(Object.keys(app)).toEqual(['id', 'score', 'n', 'rank', 'proposed', 'flags', 'excluded']);
		expect(app).toMatchObject({ score: 75, n: 4, rank: 1, excluded: [{ expertId: 'e-5', why: 'NOT_ASSIGNED' }] });
		// |60 − 75| = 15 is exactly 20 % of the mean: not abnormal (strictly more is).
		expect(app.flags).toEqual(['HIGH_DISPERSION']);
		const mean = JSON.parse((await cli(db, 'results', '--method', 'median', '--json')).stdout);
		expect(mean.method).toBe('median');
		expect(mean.groups[0].applications[0].score).toBe(75);
		const bad = await cli(db, 'results', '--method', 'average');
		expect(bad.code).toBe(1);
		expect(bad.stderr).toMatch(/--method/);
	});

	it('a word the command does not take is bad input: exit 1, one line naming it, nothing done', async () => {
		const dir = tempDir();
		const db = path.join(dir, 'x.db');
		const bundle = writeJson(dir, 'b.json', scenario());
		for (const args of [['check', 'extra'], ['coi', '--json', 'extra'], ['results', 'extra'], ['migrate', 'extra'], ['assign', 'extra'], ['import', bundle, 'second.json'], ['export', '--out', path.join(dir, 'o.json'), 'extra']]) {
			const r = await cli(db, ...args);
			expect(r.code, args.join(' ')).toBe(1);
			expect(r.stderr.split('\n'), args.join(' ')).toHaveLength(1);
			expect(r.stderr, args.join(' ')).toMatch(/多余的参数 "(extra|second\.json)"/);
		}
		// The refused import imported nothing; the refused export wrote nothing.
		expect(JSON.parse((await cli(db, 'check', '--json')).stdout).applications).toEqual([]);
		expect(fs.existsSync(path.join(dir, 'o.json'))).toBe(false);
	});
});
