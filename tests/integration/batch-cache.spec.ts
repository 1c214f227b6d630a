/**
 * The formal check and the conflicts are cached per connection against the `intake` change
 * counter: every write to the intake tables — from this connection, another one, or inside a
 * transaction that commits — must show in the next computation; a rolled-back one must not.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { openDatabase, type Db } from '../../src/lib/server/db';
import * as s from '../../src/lib/server/db/schema';
import { computeConflicts, computeFindings } from '../../src/lib/server/services/batch-state';
import { loadScores } from '../../src/lib/server/queries/bundle';
import { hardConflictCodes } from '../../src/lib/server/queries/reviews';
import { cli, FIXTURES, tempDir } from './helpers';
import { requireScope } from '../../src/lib/server/scope';

const codesOf = (db: Db, id: string) => (computeFindings(requireScope(db)).findings.get(id) ?? []).map((f) => f.code);
const conflictsOf = (db: Db) => computeConflicts(requireScope(db)).conflicts.map((c) => `${c.applicationId}|${c.expertId}|${c.code}`);
const intake = (db: Db) => db.get<{ n: number }>(sql`SELECT n FROM generations WHERE name = 'intake'`).n;

async function seeded() {
	const file = path.join(tempDir(), 'cache.db');
	expect((await cli(file, 'import', path.join(FIXTURES, 'full-bundle.json'))).code).toBe(0);
	return file;
}

describe('cached batch state', () => {
	it('a write on the same connection shows at once; reading twice gives the same state', async () => {
		const db = openDatabase(await seeded());
		expect(codesOf(db, 'app-1')).not.toContain('USCC_INVALID');
		expect(computeFindings(requireScope(db))).toBe(computeFindings(requireScope(db)));
		const before = intake(db);
		db.update(s.institutions).set({ uscc: '91210100MA0Q8K3L7Y' }).where(eq(s.institutions.id, 'inst-1')).run();
		expect(intake(db)).toBe(before + 1);
		expect(codesOf(db, 'app-1')).toContain('USCC_INVALID');
		db.$client.close();
	});

	it('a write from another connection (the command line, say) shows too', async () => {
		const file = await seeded();
		const server = openDatabase(file);
		const conflictsBefore = conflictsOf(server);
		const other = openDatabase(file);
		other.update(s.experts).set({ workUnit: null }).where(eq(s.experts.id, 'exp-1')).run();
		other.$client.close();
		const after = conflictsOf(server);
		expect(after).not.toEqual(conflictsBefore);
		expect(after.filter((c) => c.includes('|exp-1|SAME_UNIT'))).toEqual([]);
		server.$client.close();
	});

	it('a rolled-back transaction leaves the cached state valid; a committed one replaces it', async () => {
		const db = openDatabase(await seeded());
		const first = computeFindings(requireScope(db));
		expect(() =>
			db.transaction((tx) => {
				tx.update(s.institutions).set({ uscc: 'bad' }).where(eq(s.institutions.id, 'inst-1')).run();
				throw new Error('rollback');
			})
		).toThrow('rollback');
		expect(computeFindings(requireScope(db))).toBe(first);
		db.transaction((tx) => void tx.update(s.institutions).set({ uscc: 'bad' }).where(eq(s.institutions.id, 'inst-1')).run());
		expect(computeFindings(requireScope(db))).not.toBe(first);
		expect(codesOf(db, 'app-1')).toContain('USCC_INVALID');
		db.$client.close();
	});

	it('scores and sessions do not move the intake counter', async () => {
		const db = openDatabase(await seeded());
		const before = intake(db);
		db.update(s.sheets).set({ comment: '再看一遍' }).run();
		db.delete(s.sessions).run();
		expect(intake(db)).toBe(before);
		expect(db.get<{ n: number }>(sql`SELECT n FROM generations WHERE name = 'review'`).n).toBeGreaterThan(0);
		db.$client.close();
	});
});

describe('cached points of the sheets', () => {
	const fresh = (db: Db) =>
		db.transaction((tx) => loadScores(requireScope(tx as unknown as Db))).map((x) => JSON.stringify(x));
	const cached = (db: Db) => loadScores(requireScope(db)).map((x) => JSON.stringify(x));

	it('equal what a full read gives after every kind of write: update, insert, delete of points and of sheets', async () => {
		const db = openDatabase(await seeded());
		expect(cached(db)).toEqual(fresh(db));
		const [sheet] = db.select().from(s.sheets).all();
		const [point] = db.select().from(s.sheetPoints).where(eq(s.sheetPoints.sheetId, sheet.id)).all();
		db.update(s.sheetPoints).set({ points: 0 }).where(eq(s.sheetPoints.sheetId, sheet.id)).run();
		expect(cached(db)).toEqual(fresh(db));
		expect(loadScores(requireScope(db)).find((x) => x.applicationId === sheet.applicationId && x.expertId === sheet.expertId)!.points[point.criterionId]).toBe(0);
		db.delete(s.sheetPoints).where(eq(s.sheetPoints.criterionId, point.criterionId)).run();
		expect(cached(db)).toEqual(fresh(db));
		db.insert(s.sheetPoints).values({ ...point, points: 1.5 }).run();
		expect(cached(db)).toEqual(fresh(db));
		db.delete(s.sheets).where(eq(s.sheets.id, sheet.id)).run();
		expect(cached(db)).toEqual(fresh(db));
		// A write from another connection.
		const other = openDatabase(db.$client.name);
		other.update(s.sheetPoints).set({ points: 2 }).run();
		other.$client.close();
		expect(cached(db)).toEqual(fresh(db));
		db.$client.close();
	});

	it('a rolled-back write read inside its transaction through the outer handle is not kept', async () => {
		const db = openDatabase(await seeded());
		const before = cached(db);
		expect(() =>
			db.transaction((tx) => {
				tx.update(s.sheetPoints).set({ points: 0.5 }).run();
				expect(cached(db)).not.toEqual(before);
				expect(computeFindings(requireScope(db))).not.toBe(computeFindings(requireScope(db)));
				throw new Error('rollback');
			})
		).toThrow('rollback');
		expect(cached(db)).toEqual(before);
		db.update(s.sheetPoints).set({ points: 0.5 }).run();
		expect(cached(db)).toEqual(fresh(db));
		db.$client.close();
	});
});

describe('cached conflict codes of a pair', () => {
	it('follow a declaration, a confirmed soft conflict and a changed work unit at once', async () => {
		const db = openDatabase(await seeded());
		const pairs = db.select({ a: s.assignments.applicationId, e: s.assignments.expertId }).from(s.assignments).all();
		const fresh = () => pairs.map((p) => db.transaction((tx) => hardConflictCodes(tx as unknown as Db, p.e, p.a)).join(','));
		const cachedCodes = () => pairs.map((p) => hardConflictCodes(db, p.e, p.a).join(','));
		expect(cachedCodes()).toEqual(fresh());
		const free = pairs.find((p) => hardConflictCodes(db, p.e, p.a).length === 0)!;
		db.insert(s.declarations).values({ applicationId: free.a, expertId: free.e, reason: '近三年在该单位兼职' }).run();
		expect(hardConflictCodes(db, free.e, free.a)).toEqual(['DECLARED']);
		expect(cachedCodes()).toEqual(fresh());
		db.delete(s.declarations).run();
		db.update(s.experts).set({ workUnit: '完全无关的某某研究院' }).run();
		expect(cachedCodes()).toEqual(fresh());
		db.$client.close();
	});
});
