import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { cli, fullBundle, readJson, tempDir, writeJson } from './helpers';
import { memoryDb } from '../../src/lib/server/db';
import { exportBundle } from '../../src/lib/server/queries/bundle';
import { BundleImportError, importBundle } from '../../src/lib/server/services/bundle-import';
import { SYSTEM_ACTOR, verifyAudit } from '../../src/lib/server/audit';
import { generateDemoBundle } from '../../src/lib/server/demo/generate';
import { currentRubric, getSheet, saveSheet } from '../../src/lib/server/services/scoring';
import { updateRubric } from '../../src/lib/server/services/rubrics';
import { OFFICE, actorFor, scoringDb } from './scoring-fixture';
import { requireScope } from '../../src/lib/server/scope';

describe('bundle round trip', () => {
	it('a bundle with every field comes back unchanged through import and export', async () => {
		const dir = tempDir();
		const db = path.join(dir, 'a.db');
		const input = path.join(dir, 'in.json');
		fs.copyFileSync(path.resolve(__dirname, '../fixtures/full-bundle.json'), input);
		const imp = await cli(db, 'import', input, '--json');
		expect(imp.code).toBe(0);
		expect(JSON.parse(imp.stdout)).toEqual({
			imported: { batch: 1, institutions: 2, applications: 2, experts: 2, rubrics: 2, assignments: 2, declarations: 1, scores: 2, decisions: 1 }
		});
		const out = path.join(dir, 'out.json');
		expect((await cli(db, 'export', '--out', out)).code).toBe(0);
		expect(readJson(out)).toEqual(readJson(input));
		expect(fs.readFileSync(out, 'utf8')).toBe(JSON.stringify(readJson(input), null, 2) + '\n');
		// In between, the ID number and the phones were stored SM4-encrypted (fresh IVs every write).
		const raw = new Database(db, { readonly: true });
		const stored = () =>
			raw.prepare('SELECT legal_rep_id_number FROM institutions UNION ALL SELECT lead_phone FROM applications UNION ALL SELECT phone FROM experts').pluck().all().filter((v) => v) as string[];
		const first = stored();
		raw.close();
		expect(first.length).toBeGreaterThanOrEqual(3);
		for (const v of first) expect(v).toMatch(/^sm4:/);
		// export → import → export again: the same document, though every ciphertext changed.
		expect((await cli(db, 'import', out)).code).toBe(0);
		const again = path.join(dir, 'again.json');
		expect((await cli(db, 'export', '--out', again)).code).toBe(0);
		expect(fs.readFileSync(again, 'utf8')).toBe(fs.readFileSync(out, 'utf8'));
		const raw2 = new Database(db, { readonly: true });
		const second = raw2.prepare('SELECT legal_rep_id_number FROM institutions UNION ALL SELECT lead_phone FROM applications UNION ALL SELECT phone FROM experts').pluck().all().filter((v) => v);
		raw2.close();
		expect(second).toHaveLength(first.length);
		expect(second.filter((v, i) => v === first[i])).toEqual([]);
	});

	it('export → import into an empty database → export gives an identical document (demo batch)', () => {
		const a = memoryDb();
		importBundle(a, generateDemoBundle(), SYSTEM_ACTOR);
		const first = exportBundle(requireScope(a));
		const b = memoryDb();
		importBundle(b, JSON.parse(JSON.stringify(first)), SYSTEM_ACTOR);
		expect(JSON.stringify(exportBundle(requireScope(b)))).toBe(JSON.stringify(first));
	});

	it('re-importing the same bundle adds nothing twice', () => {
		const db = memoryDb();
		const bundle = fullBundle();
		importBundle(db, bundle, SYSTEM_ACTOR);
		const once = JSON.stringify(exportBundle(requireScope(db)));
		importBundle(db, bundle, SYSTEM_ACTOR);
		expect(JSON.stringify(exportBundle(requireScope(db)))).toBe(once);
	});

	it('upserts by id: a changed application replaces the stored one and its rows', () => {
		const db = memoryDb();
		importBundle(db, fullBundle(), SYSTEM_ACTOR);
		const change = { applications: [{ ...fullBundle().applications[0], levels: ['senior'], venues: [] }] };
		importBundle(db, change, SYSTEM_ACTOR);
		const out = exportBundle(requireScope(db));
		expect(out.applications).toHaveLength(2);
		expect(out.applications[0].levels).toEqual(['senior']);
		expect(out.applications[0].venues).toEqual([]);
	});

	it('a partial bundle fills the batch with the notice defaults and exports null for missing fields', () => {
		const db = memoryDb();
		importBundle(
			db,
			{ institutions: [{ id: 'i1', name: '某机构' }], applications: [{ id: 'a1', institutionId: 'i1', type: 'training', occupation: 'ai', region: 'anshan' }] },
			SYSTEM_ACTOR
		);
		const out = exportBundle(requireScope(db));
		expect(out.batch.quotas.training).toEqual({ default: 2, shenyang: 5, dalian: 5 });
		expect(out.applications[0].lead).toBeNull();
		expect(out.applications[0].levels).toEqual([]);
		const again = memoryDb();
		importBundle(again, JSON.parse(JSON.stringify(out)), SYSTEM_ACTOR);
		expect(exportBundle(requireScope(again))).toEqual(out);
	});
});

describe('malformed bundles: exit 1, one clear line, nothing written', () => {
	const cases: [string, (b: Record<string, any>) => unknown, RegExp][] = [
		['bad enum', (b) => ((b.applications[0].type = 'train'), b), /^错误：.*applications\[0\]\.type: /],
		['bad occupation key', (b) => ((b.experts[1].occupations = ['iot', 'robotics']), b), /experts\[1\]\.occupations\[1\]/],
		['wrong type', (b) => ((b.institutions[0].employees = '120'), b), /institutions\[0\]\.employees/],
		['dangling institution id', (b) => ((b.applications[1].institutionId = 'inst-9'), b), /applications\[1\]\.institutionId: 引用的机构 "inst-9" 不存在/],
		['dangling expert id', (b) => ((b.assignments[0].expertId = 'exp-404'), b), /assignments\[0\]\.expertId/],
		['unknown key', (b) => ((b.applications[0].venues[0].colour = 'red'), b), /applications\[0\]\.venues\[0\]\.colour: 未知的键/],
		['unknown top-level key', (b) => ((b.extra = 1), b), /extra: 未知的键/],
		['points over the maximum', (b) => ((b.scores[0].points.scale = 40.5), b), /scores\[0\]\.points\.scale/],
		['points not in 0.5 steps', (b) => ((b.scores[0].points.scale = 17.3), b), /scores\[0\]\.points\.scale/],
		['rubric not summing to 100', (b) => ((b.rubrics[0].criteria[0].maxPoints = 30), b), /rubrics\[0\]/],
		['impossible date', (b) => ((b.batch.deadline = '2023-02-30'), b), /batch\.deadline/],
		['duplicate id', (b) => (b.experts.push({ ...b.experts[0] }), b), /experts\[2\]/],
		['truncated JSON', (b) => JSON.stringify(b).slice(0, 500), /不是有效的 JSON/]
	];
	for (const [name, mutate, pattern] of cases) {
		it(name, async () => {
			const dir = tempDir();
			const db = path.join(dir, 'a.db');
			// A database with content, to prove nothing changes.
			expect((await cli(db, 'import', writeJson(dir, 'base.json', { experts: [{ id: 'exp-0', name: '已有专家' }] }))).code).toBe(0);
			const before = path.join(dir, 'before.json');
			await cli(db, 'export', '--out', before);
			const file = writeJson(dir, 'bad.json', mutate(fullBundle()));
			const res = await cli(db, 'import', file);
			expect(res.code).toBe(1);
			expect(res.stdout).toBe('');
			expect(res.stderr.trim().split('\n')).toHaveLength(1);
			expect(res.stderr).toMatch(pattern);
			expect(res.stderr).toContain('bad.json');
			const after = path.join(dir, 'after.json');
			await cli(db, 'export', '--out', after);
			expect(fs.readFileSync(after, 'utf8')).toBe(fs.readFileSync(before, 'utf8'));
		});
	}

	it('a failed import leaves no audit entry behind', () => {
		const db = memoryDb();
		const bad = fullBundle();
		bad.applications[0].region = 'beijing';
		expect(() => importBundle(db, bad, SYSTEM_ACTOR)).toThrow(BundleImportError);
		expect(verifyAudit(db).entries).toBe(0);
	});

	it('a missing file and an unknown extension are one-line errors', async () => {
		const dir = tempDir();
		const db = path.join(dir, 'a.db');
		const missing = await cli(db, 'import', path.join(dir, 'nope.json'));
		expect(missing.code).toBe(1);
		expect(missing.stderr).toMatch(/nope\.json: 文件不存在/);
		const odd = await cli(db, 'import', writeJson(dir, 'x.csv', 'a,b'));
		expect(odd.code).toBe(1);
		expect(odd.stderr).toMatch(/不支持的文件类型/);
	});
});

describe('drafts and rubric changes through the bundle', () => {
	const criteriaOf = (db: ReturnType<typeof scoringDb>) =>
		currentRubric(requireScope(db), 'training').criteria.map((c) => ({ id: c.id, name: c.name, maxPoints: c.maxPoints, guidance: c.guidance ?? '' }));

	it('a draft keeping points above a maximum the office lowered exports and imports back identically', () => {
		const db = scoringDb();
		saveSheet(db, 'app-1', 'exp-1', { version: 0, points: { qualification: 8, scale: 12 }, comments: {}, comment: '' }, actorFor('exp-1'));
		const c = criteriaOf(db);
		// qualification 10 → 5, standing 15 → 20: the draft's 8 stays above the new maximum.
		updateRubric(db, 'rub-training', c.map((x) => (x.id === 'qualification' ? { ...x, maxPoints: 5 } : x.id === 'standing' ? { ...x, maxPoints: 20 } : x)), OFFICE);
		const first = exportBundle(requireScope(db));
		expect(first.scores.find((x) => x.applicationId === 'app-1' && x.expertId === 'exp-1')?.points).toEqual({ qualification: 8, scale: 12 });
		const copy = memoryDb();
		importBundle(copy, JSON.parse(JSON.stringify(first)), SYSTEM_ACTOR);
		expect(JSON.stringify(exportBundle(requireScope(copy)))).toBe(JSON.stringify(first));
		// A submitted sheet must still fit its rubric.
		const bad = JSON.parse(JSON.stringify(first));
		bad.scores = [{ ...bad.scores.find((x: { status: string }) => x.status === 'draft'), status: 'submitted' }];
		expect(() => importBundle(memoryDb(), { ...first, scores: bad.scores }, SYSTEM_ACTOR)).toThrow(/不能超过满分5分/);
	});

	it('a bundle that removes a criterion drops the drafts’ points on it (new version); one that changes the type of a rubric in use is refused', () => {
		const db = scoringDb();
		saveSheet(db, 'app-1', 'exp-1', { version: 0, points: { qualification: 8, scale: 12 }, comments: {}, comment: '' }, actorFor('exp-1'));
		const c = criteriaOf(db).filter((x) => x.id !== 'scale');
		const merged = c.map((x) => (x.id === 'plan' ? { ...x, maxPoints: x.maxPoints + 20 } : x));
		importBundle(db, { rubrics: [{ id: 'rub-training', type: 'training', criteria: merged }] }, SYSTEM_ACTOR);
		const sheet = getSheet(db, 'app-1', 'exp-1');
		expect(sheet.points).toEqual({ qualification: 8 });
		expect(sheet.version).toBe(2);
		const again = exportBundle(requireScope(db));
		const copy = memoryDb();
		importBundle(copy, JSON.parse(JSON.stringify(again)), SYSTEM_ACTOR);
		expect(JSON.stringify(exportBundle(requireScope(copy)))).toBe(JSON.stringify(again));

		const before = JSON.stringify(exportBundle(requireScope(db)));
		let error: unknown;
		try {
			importBundle(db, { rubrics: [{ id: 'rub-training', type: 'evaluation', criteria: merged }] }, SYSTEM_ACTOR);
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(BundleImportError);
		expect(String((error as Error).message)).toMatch(/rubrics\[0\]\.type.*不能改变类型/);
		expect(JSON.stringify(exportBundle(requireScope(db)))).toBe(before);
	});
});
