/**
 * Several batches in one database (issue "Many batches…"): the command line's contract
 * (docs/bundle.md, "Batches, locking and publicity"), scoping — a write in one batch never moves
 * another's results or caches —, ids reused across batches, archiving, and the migration of a
 * database made before batches.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir, writeJson } from './helpers';
import { generateDemoBundle } from '../../src/lib/server/demo/generate';
import { openDatabase, migrate } from '../../src/lib/server/db';
import { importBundle } from '../../src/lib/server/services/bundle-import';
import { computeResults } from '../../src/lib/server/services/batch-state';
import { recordDecision } from '../../src/lib/server/services/results';
import { requireScope, defaultBatchRow, batchById } from '../../src/lib/server/scope';
import { SYSTEM_ACTOR } from '../../src/lib/server/audit';
import { toResultsJson } from '../../src/lib/domain/aggregation';

const demo = generateDemoBundle();
const bundleFor = (id: string, name: string) => ({ ...structuredClone(demo), batch: { ...structuredClone(demo.batch), id, name } });

async function json(db: string, ...args: string[]) {
	const r = await cli(db, ...args, '--json');
	expect(r.stderr, r.stderr).not.toMatch(/错误/);
	expect(r.code).toBe(0);
	return JSON.parse(r.stdout);
}

describe('batches on the command line', () => {
	it('imports two bundles with the same ids into two batches; each reads as if alone', async () => {
		const dir = tempDir();
		const alone = path.join(dir, 'alone.db');
		const both = path.join(dir, 'both.db');
		const a = writeJson(dir, 'a.json', bundleFor('ln-2022-b1', '辽宁省第一批'));
		const b = writeJson(dir, 'b.json', bundleFor('ln-2023-b2', '辽宁省第二批'));
		expect(await json(both, 'batch', 'list')).toEqual({ batches: [] });
		await json(alone, 'import', a);
		await json(both, 'import', a);
		await json(both, 'import', b);

		const list = (await json(both, 'batch', 'list')).batches;
		expect(list.map((x: { id: string }) => x.id)).toEqual(['ln-2022-b1', 'ln-2023-b2']);
		for (const x of list) {
			expect(x).toMatchObject({ archived: false });
			expect(typeof x.name).toBe('string');
			expect(Number.isNaN(Date.parse(x.createdAt))).toBe(false);
		}

		// Every batch-scoped command shows the bundle's own ids and the same figures as a database holding that batch alone.
		for (const cmd of ['results', 'check', 'coi']) {
			const single = await json(alone, cmd);
			expect(await json(both, cmd, '--batch', 'ln-2022-b1')).toEqual(single);
			expect(await json(both, cmd, '--batch', 'ln-2023-b2')).toEqual(single);
			// Without --batch: the most recently created batch that is not archived.
			expect(await json(both, cmd)).toEqual(single);
		}
		expect(JSON.stringify(await json(both, 'results', '--batch', 'ln-2023-b2'))).not.toContain('@');

		// export --batch: that batch alone, with the bundle's ids; export → import into an empty database → export is identical.
		const out = path.join(dir, 'out-a.json');
		expect((await cli(both, 'export', '--batch', 'ln-2022-b1', '--out', out)).code).toBe(0);
		const exported = JSON.parse(fs.readFileSync(out, 'utf8'));
		expect(exported.batch.id).toBe('ln-2022-b1');
		expect(exported.applications.map((x: { id: string }) => x.id)).toEqual(demo.applications.map((x) => x.id));
		expect(exported.scores.length).toBe(demo.scores.length);
		const again = path.join(dir, 'again.db');
		await json(again, 'import', out);
		const out2 = path.join(dir, 'out-a2.json');
		expect((await cli(again, 'export', '--out', out2)).code).toBe(0);
		expect(JSON.parse(fs.readFileSync(out2, 'utf8'))).toEqual(exported);
		// Re-importing a batch's own bundle adds nothing twice.
		await json(both, 'import', a);
		expect((await json(both, 'batch', 'list')).batches.length).toBe(2);
		expect(await json(both, 'results', '--batch', 'ln-2022-b1')).toEqual(await json(alone, 'results'));
	}, 120_000);

	it('creates a batch from another, archives one, refuses what an archived batch cannot take', async () => {
		const dir = tempDir();
		const db = path.join(dir, 'w.db');
		await json(db, 'import', writeJson(dir, 'a.json', bundleFor('ln-2022-b1', '辽宁省第一批')));

		expect(await json(db, 'batch', 'create', '--id', 'ln-2024-b3', '--name', '辽宁省第三批', '--from', 'ln-2022-b1')).toEqual({ id: 'ln-2024-b3' });
		const d = openDatabase(db);
		try {
			const from = batchById(d, 'ln-2022-b1')!;
			const made = batchById(d, 'ln-2024-b3')!;
			expect(made.quotas).toEqual(from.quotas);
			expect(made.closedEvaluationOccupations).toEqual(from.closedEvaluationOccupations);
			expect(made.aggregation).toEqual(from.aggregation);
			expect(made.copiedFrom).toBe('ln-2022-b1');
			const rubrics = d.$client.prepare('SELECT id, version, frozen_at FROM rubrics WHERE batch_id = ?').all('ln-2024-b3') as { id: string; version: number; frozen_at: string | null }[];
			expect(rubrics).toHaveLength(2);
			expect(rubrics.every((r) => r.version === 1 && r.frozen_at === null)).toBe(true);
			expect(defaultBatchRow(d)!.id).toBe('ln-2024-b3');
		} finally {
			d.$client.close();
		}
		// The new batch starts empty; its export names its copied rubrics by their plain ids.
		expect((await json(db, 'results')).groups).toEqual([]);
		const out = path.join(dir, 'c.json');
		expect((await cli(db, 'export', '--out', out)).code).toBe(0);
		expect(JSON.parse(fs.readFileSync(out, 'utf8')).rubrics.map((r: { id: string }) => r.id).sort()).toEqual(demo.rubrics.map((r) => r.id).sort());

		for (const bad of [
			['batch', 'create', '--id', 'ln-2024-b3', '--name', '重复'],
			['batch', 'create', '--id', 'bad id', '--name', '空格'],
			['batch', 'create', '--id', 'x1', '--name', ''],
			['batch', 'create', '--id', 'x2', '--name', '不存在的来源', '--from', 'nope'],
			['results', '--batch', 'nope'],
			['user', 'list', '--batch', 'ln-2022-b1'],
			['batch', 'archive', 'nope']
		]) {
			const r = await cli(db, ...bad);
			expect(r.code, bad.join(' ')).toBe(1);
			expect(r.stderr).toMatch(/错误/);
		}

		const before = await json(db, 'results', '--batch', 'ln-2022-b1');
		expect((await cli(db, 'batch', 'archive', 'ln-2022-b1')).code).toBe(0);
		expect((await cli(db, 'batch', 'archive', 'ln-2022-b1')).code).toBe(0);
		const listed = (await json(db, 'batch', 'list')).batches.find((x: { id: string }) => x.id === 'ln-2022-b1');
		expect(listed.archived).toBe(true);
		// Read-only, still readable and exportable.
		expect(await json(db, 'results', '--batch', 'ln-2022-b1')).toEqual(before);
		expect((await cli(db, 'export', '--batch', 'ln-2022-b1', '--out', path.join(dir, 'arch.json'))).code).toBe(0);
		const refused = await cli(db, 'import', writeJson(dir, 'a2.json', bundleFor('ln-2022-b1', '辽宁省第一批')));
		expect(refused.code).toBe(1);
		expect(refused.stderr).toMatch(/已归档/);
		const lock = await cli(db, 'lock', '--batch', 'ln-2022-b1', '--reason', '补锁');
		expect(lock.code).toBe(1);
		expect(lock.stderr).toMatch(/已归档/);
		expect(await json(db, 'results', '--batch', 'ln-2022-b1')).toEqual(before);
	}, 120_000);

	it('locks and unlocks: a reason is needed while items are open', async () => {
		const dir = tempDir();
		const db = path.join(dir, 'l.db');
		await json(db, 'import', writeJson(dir, 'a.json', bundleFor('ln-2023-b2', '辽宁省第二批')));
		const refused = await cli(db, 'lock');
		expect(refused.code).toBe(1);
		expect(refused.stderr).toMatch(/--reason/);
		const locked = await json(db, 'lock', '--reason', '会议决定按现有评分锁定');
		expect(locked.locked).toBe(true);
		expect(locked.hash).toMatch(/^[0-9a-f]{64}$/);
		expect((await cli(db, 'lock', '--reason', '再锁')).code).toBe(1);
		expect((await cli(db, 'unlock')).code).toBe(1);
		expect((await cli(db, 'unlock', '--reason', '补充材料后重新评议')).code).toBe(0);
	}, 60_000);

	it('opens the publicity period of locked results on the official calendar', async () => {
		const dir = tempDir();
		const db = path.join(dir, 'p.db');
		await json(db, 'import', writeJson(dir, 'a.json', bundleFor('ln-2023-b2', '辽宁省第二批')));
		const early = await cli(db, 'publicity', 'open', '--start', '2023-09-28');
		expect(early.code).toBe(1);
		expect(early.stderr).toMatch(/尚未锁定/);
		await json(db, 'lock', '--reason', '按现有评分锁定');
		// The example: the start counts (a working day), the National Day holiday does not, 10-07 and 10-08 are 调休 working days.
		expect(await json(db, 'publicity', 'open', '--start', '2023-09-28')).toEqual({ start: '2023-09-28', end: '2023-10-10', workingDays: 5 });
		expect(await json(db, 'publicity', 'open', '--start', '2023-07-03', '--days', '7')).toEqual({ start: '2023-07-03', end: '2023-07-11', workingDays: 7 });
		for (const bad of [['--start', '2023-02-30'], ['--start', '2023-07-03', '--days', '0'], ['--start', '2023-07-03', '--days', 'x'], []]) {
			const r = await cli(db, 'publicity', 'open', ...bad);
			expect(r.code, bad.join(' ')).toBe(1);
			expect(r.stderr).toMatch(/错误/);
		}
	}, 60_000);
});

describe('scoping', () => {
	it('a write in one batch never moves the other batch’s results, nor its cached state', () => {
		const dir = tempDir();
		const db = openDatabase(path.join(dir, 's.db'));
		try {
			migrate(db);
			importBundle(db, bundleFor('ln-2022-b1', '第一批'), SYSTEM_ACTOR);
			importBundle(db, bundleFor('ln-2023-b2', '第二批'), SYSTEM_ACTOR);
			const one = requireScope(db, 'ln-2022-b1');
			const two = requireScope(db, 'ln-2023-b2');
			// The same figures, each batch under its own stored ids (the second batch's as app@ln-2023-b2).
			const figures = (scope: typeof one) => JSON.stringify(toResultsJson(computeResults(scope).results)).replaceAll(`@${scope.batch.id}`, '');
			const before = figures(one);
			expect(figures(two)).toBe(before);
			// The second batch's copy of the first application (stored as app@batch) gets a decision departing from the rule.
			const target = computeResults(two).results.groups.flatMap((g) => g.applications).find((a) => a.proposed)!;
			expect(target.id.endsWith('@ln-2023-b2')).toBe(true);
			recordDecision(two, { applicationId: target.id, decision: 'not-proposed', reason: '会议认为材料不实' }, SYSTEM_ACTOR);
			expect(figures(two)).not.toBe(before);
			expect(figures(one)).toBe(before);
			// An application of the other batch cannot be decided in this one.
			expect(() => recordDecision(one, { applicationId: target.id, decision: 'proposed', reason: '' }, SYSTEM_ACTOR)).toThrow(/没有找到/);
		} finally {
			db.$client.close();
		}
	}, 60_000);
});

describe('migration of a database made before batches', () => {
	it('keeps its one batch as the default batch, with its results', async () => {
		const dir = tempDir();
		const file = path.join(dir, 'old.db');
		const bundle = writeJson(dir, 'b.json', bundleFor('ln-2023-b2', '辽宁省第二批'));
		await json(file, 'import', bundle);
		const expected = await json(file, 'results');
		// Back to the schema before migration 0003: the tables, columns and triggers of 0003 and later gone, their journal entries removed.
		const d = openDatabase(file);
		const c = d.$client;
		const migrations = path.resolve(__dirname, '../../drizzle');
		const journal = JSON.parse(fs.readFileSync(path.join(migrations, 'meta/_journal.json'), 'utf8')) as { entries: { idx: number; tag: string; when: number }[] };
		const later = journal.entries.filter((e) => e.idx >= 3);
		for (const e of [...later].reverse()) {
			const sql = fs.readFileSync(path.join(migrations, `${e.tag}.sql`), 'utf8');
			for (const m of sql.matchAll(/CREATE TRIGGER `(\w+)`/g)) c.exec(`DROP TRIGGER ${m[1]}`);
			for (const m of sql.matchAll(/CREATE TABLE `(\w+)`/g)) c.exec(`DROP TABLE ${m[1]}`);
			for (const m of sql.matchAll(/ALTER TABLE `(\w+)` ADD `(\w+)`/g)) c.exec(`ALTER TABLE ${m[1]} DROP COLUMN ${m[2]}`);
		}
		expect(c.prepare('DELETE FROM __drizzle_migrations WHERE created_at >= ?').run(later[0].when).changes).toBe(later.length);
		c.close();

		// Every command migrates first.
		const list = (await json(file, 'batch', 'list')).batches;
		expect(list).toHaveLength(1);
		expect(list[0]).toMatchObject({ id: 'ln-2023-b2', archived: false });
		expect(await json(file, 'results')).toEqual(expected);
		expect(await json(file, 'results', '--batch', 'ln-2023-b2')).toEqual(expected);
		await json(file, 'batch', 'create', '--id', 'ln-2024-b3', '--name', '第三批', '--from', 'ln-2023-b2');
		expect((await json(file, 'results')).groups).toEqual([]);
		expect(await json(file, 'results', '--batch', 'ln-2023-b2')).toEqual(expected);
	}, 120_000);
});
