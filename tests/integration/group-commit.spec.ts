/**
 * Group commit (issue 12, point 16; db/group-commit.ts). Every connection commits with
 * synchronous = FULL (tests/integration/synchronous.spec.ts); the autosaves that arrive together
 * share one commit, each in its own savepoint: a refused or conflicting save is rolled back alone with its own answer, the others
 * are committed with their versions, and nothing is acknowledged before the shared commit returned.
 * If that commit fails, every save of the group gets the error and none of them is stored.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { openDatabase, type Db } from '../../src/lib/server/db';
import * as s from '../../src/lib/server/db/schema';
import { GroupCommitError, MAX_GROUP, commitTogether, groupCommitStats } from '../../src/lib/server/db/group-commit';
import { ScoringError, getSheet, saveSheet, saveSheetTogether, type SheetInput } from '../../src/lib/server/services/scoring';
import { actorFor, scoringDb } from './scoring-fixture';
import { tempDir } from './helpers';

const open: Db[] = [];
const dirs: string[] = [];
afterEach(() => {
	for (const db of open.splice(0)) if (db.$client.open) db.$client.close();
	for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** The scoring fixture (tests/integration/scoring-fixture.ts) in a database file, opened as the server opens it. */
function scoringFile(): { db: Db; file: string } {
	const dir = tempDir();
	dirs.push(dir);
	const file = path.join(dir, 'workbench.db');
	const mem = scoringDb();
	mem.$client.exec(`VACUUM INTO '${file}'`);
	mem.$client.close();
	const db = openDatabase(file);
	open.push(db);
	return { db, file };
}

/** A second connection on the file: what another process (or the file after a crash) sees. */
function other(file: string): Db {
	const db = openDatabase(file);
	open.push(db);
	return db;
}

const stored = (db: Db, applicationId: string, expertId: string) => {
	const row = db
		.select({ version: s.sheets.version, comment: s.sheets.comment })
		.from(s.sheets)
		.where(and(eq(s.sheets.applicationId, applicationId), eq(s.sheets.expertId, expertId)))
		.get();
	return row ? { version: row.version, comment: row.comment } : null;
};

const draft = (version: number, points: Record<string, number | null>, comment: string): SheetInput => ({ version, points, comments: {}, comment });

/** Settles every promise; the outcomes in order. */
async function outcomes(promises: Promise<unknown>[]) {
	return (await Promise.allSettled(promises)).map((r) => (r.status === 'fulfilled' ? { ok: true as const, value: r.value } : { ok: false as const, error: r.reason as Error }));
}

describe('group commit of autosaves', () => {
	it('saves that arrive together share one commit; a refused one is rolled back alone; each gets its own answer', async () => {
		const { db, file } = scoringFile();
		saveSheet(db, 'app-2', 'exp-2', draft(0, { qualification: 5 }, '先存一次'), actorFor('exp-2'));
		const before = groupCommitStats(db);
		const reader = other(file);
		const seenAtAnswer: (ReturnType<typeof stored> | null)[] = [];
		// The answer of each save: another connection must already see it (acknowledged = committed).
		const watch = <T>(p: Promise<T>, app: string, exp: string) =>
			p.then((v) => {
				seenAtAnswer.push(stored(reader, app, exp));
				return v;
			});
		const results = await outcomes([
			watch(saveSheetTogether(db, 'app-1', 'exp-1', draft(0, { qualification: 8 }, '甲'), actorFor('exp-1')), 'app-1', 'exp-1'),
			watch(saveSheetTogether(db, 'app-1', 'exp-2', draft(0, { qualification: 99 }, '超出满分'), actorFor('exp-2')), 'app-1', 'exp-2'),
			watch(saveSheetTogether(db, 'app-2', 'exp-2', draft(1, { qualification: 6, scale: 12 }, '乙'), actorFor('exp-2')), 'app-2', 'exp-2'),
			watch(saveSheetTogether(db, 'app-3', 'exp-1', draft(0, { plan: 10 }, '丙'), actorFor('exp-1')), 'app-3', 'exp-1'),
			watch(saveSheetTogether(db, 'no-such-app', 'exp-1', draft(0, {}, ''), actorFor('exp-1')), 'no-such-app', 'exp-1')
		]);
		const after = groupCommitStats(db);
		expect(after.commits - before.commits).toBe(1);
		expect(after.writes - before.writes).toBe(5);

		expect(results[0]).toMatchObject({ ok: true, value: { version: 1, points: { qualification: 8 }, comment: '甲' } });
		expect(results[2]).toMatchObject({ ok: true, value: { version: 2, points: { qualification: 6, scale: 12 }, comment: '乙' } });
		expect(results[3]).toMatchObject({ ok: true, value: { version: 1, points: { plan: 10 }, comment: '丙' } });
		expect(results[1].ok).toBe(false);
		expect(results[1].ok || results[1].error).toBeInstanceOf(ScoringError);
		expect(results[1].ok || (results[1].error as ScoringError).status).toBe(400);
		expect(results[1].ok || (results[1].error as ScoringError).field).toBe('points.qualification');
		expect(results[4].ok || (results[4].error as ScoringError).status).toBe(404);

		expect(seenAtAnswer).toEqual([
			{ version: 1, comment: '甲' },
			{ version: 2, comment: '乙' },
			{ version: 1, comment: '丙' }
		]);
		// The refused save wrote nothing; the others are stored exactly as answered, with their points.
		expect(stored(reader, 'app-1', 'exp-2')).toBeNull();
		expect(getSheet(reader, 'app-2', 'exp-2')).toMatchObject({ version: 2, points: { qualification: 6, scale: 12 } });
		expect(getSheet(reader, 'app-3', 'exp-1').points).toEqual({ plan: 10 });
	});

	it('a version conflict inside a group: the first save of the sheet wins, the second gets 409 and the stored sheet', async () => {
		const { db } = scoringFile();
		const results = await outcomes([
			saveSheetTogether(db, 'app-1', 'exp-1', draft(0, { qualification: 7 }, '第一个窗口'), actorFor('exp-1')),
			saveSheetTogether(db, 'app-1', 'exp-1', draft(0, { qualification: 3 }, '第二个窗口'), actorFor('exp-1')),
			saveSheetTogether(db, 'app-2', 'exp-1', draft(0, { scale: 11 }, '另一份'), actorFor('exp-1'))
		]);
		expect(results[0]).toMatchObject({ ok: true, value: { version: 1, comment: '第一个窗口' } });
		expect(results[1].ok).toBe(false);
		expect(results[1].ok || (results[1].error as ScoringError).status).toBe(409);
		expect(results[1].ok || results[1].error.message).toMatch(/其他窗口或设备/);
		expect(results[2]).toMatchObject({ ok: true, value: { version: 1, comment: '另一份' } });
		expect(getSheet(db, 'app-1', 'exp-1')).toMatchObject({ version: 1, points: { qualification: 7 }, comment: '第一个窗口' });
		// The next save on top of the answered version goes through.
		await expect(saveSheetTogether(db, 'app-1', 'exp-1', draft(1, { qualification: 3 }, '重新载入后'), actorFor('exp-1'))).resolves.toMatchObject({ version: 2 });
	});

	it('when the shared COMMIT fails, every save of the group gets the error and none is stored; acknowledged saves stay', async () => {
		const { db, file } = scoringFile();
		await saveSheetTogether(db, 'app-1', 'exp-1', draft(0, { qualification: 8 }, '已确认'), actorFor('exp-1'));
		const failedBefore = groupCommitStats(db).failedCommits;
		// A write whose foreign key is checked only at COMMIT: the commit itself fails.
		const breaksCommit = commitTogether(db, (tx) => {
			tx.run(sql`PRAGMA defer_foreign_keys = ON`);
			tx.insert(s.sheetPoints).values({ sheetId: 987654, criterionId: 'qualification', position: 0, points: 1 }).run();
		});
		const results = await outcomes([
			saveSheetTogether(db, 'app-1', 'exp-1', draft(1, { qualification: 9 }, '未确认'), actorFor('exp-1')),
			breaksCommit,
			saveSheetTogether(db, 'app-2', 'exp-1', draft(0, { scale: 11 }, '未确认'), actorFor('exp-1'))
		]);
		expect(results.map((r) => r.ok)).toEqual([false, false, false]);
		for (const r of results) {
			expect(r.ok || r.error).toBeInstanceOf(GroupCommitError);
			expect(r.ok || (r.error.cause as Error).message).toMatch(/FOREIGN KEY/);
		}
		expect(groupCommitStats(db).failedCommits).toBe(failedBefore + 1);
		const reader = other(file);
		expect(stored(reader, 'app-1', 'exp-1')).toEqual({ version: 1, comment: '已确认' });
		expect(stored(reader, 'app-2', 'exp-1')).toBeNull();
		expect(reader.select().from(s.sheetPoints).where(eq(s.sheetPoints.sheetId, 987654)).all()).toEqual([]);
		// The connection goes on: the next group commits.
		await expect(saveSheetTogether(db, 'app-1', 'exp-1', draft(1, { qualification: 9 }, '重试'), actorFor('exp-1'))).resolves.toMatchObject({ version: 2 });
		expect(stored(reader, 'app-1', 'exp-1')).toEqual({ version: 2, comment: '重试' });
	});

	it('when SQLite rolls the whole transaction back midway (disk full), the saves before it in the group are not acknowledged either', async () => {
		const { db, file } = scoringFile();
		await saveSheetTogether(db, 'app-1', 'exp-1', draft(0, { qualification: 8 }, '已确认'), actorFor('exp-1'));
		db.$client.pragma(`max_page_count = ${db.$client.pragma('page_count', { simple: true })}`);
		const results = await outcomes([
			saveSheetTogether(db, 'app-1', 'exp-1', draft(1, { qualification: 9 }, '未确认'), actorFor('exp-1')),
			// More than the file may grow by: SQLite gives up the whole transaction (SQLITE_FULL).
			commitTogether(db, (tx) => tx.insert(s.settings).values({ key: 'big', value: 'x'.repeat(400_000) }).run()),
			saveSheetTogether(db, 'app-2', 'exp-1', draft(0, { scale: 11 }, '未确认'), actorFor('exp-1'))
		]);
		expect(results.map((r) => r.ok)).toEqual([false, false, false]);
		for (const r of results) {
			expect(r.ok || r.error).toBeInstanceOf(GroupCommitError);
			expect(r.ok || (r.error.cause as Error & { code?: string }).code).toBe('SQLITE_FULL');
		}
		expect(groupCommitStats(db).failedCommits).toBe(1);
		db.$client.pragma('max_page_count = 1073741823');
		const reader = other(file);
		expect(stored(reader, 'app-1', 'exp-1')).toEqual({ version: 1, comment: '已确认' });
		expect(stored(reader, 'app-2', 'exp-1')).toBeNull();
		await expect(saveSheetTogether(db, 'app-1', 'exp-1', draft(1, { qualification: 9 }, '重试'), actorFor('exp-1'))).resolves.toMatchObject({ version: 2 });
	});

	it(`puts at most ${MAX_GROUP} writes into one transaction, in the order they came`, async () => {
		const { db } = scoringFile();
		const before = groupCommitStats(db);
		const n = MAX_GROUP + 6;
		const order: number[] = [];
		await Promise.all(
			Array.from({ length: n }, (_, i) =>
				commitTogether(db, (tx) => {
					order.push(i);
					tx.insert(s.settings).values({ key: `group-${i}`, value: i }).run();
				})
			)
		);
		const after = groupCommitStats(db);
		expect(after.commits - before.commits).toBe(2);
		expect(after.largest).toBe(MAX_GROUP);
		expect(order).toEqual(Array.from({ length: n }, (_, i) => i));
		expect(db.select({ n: sql<number>`count(*)` }).from(s.settings).where(sql`${s.settings.key} LIKE 'group-%'`).get()?.n).toBe(n);
	});

	it('refuses an asynchronous write (rolled back) and a call inside an open transaction', async () => {
		const { db } = scoringFile();
		await expect(
			commitTogether(db, (tx) => {
				tx.insert(s.settings).values({ key: 'async', value: 1 }).run();
				return Promise.resolve();
			})
		).rejects.toThrow(/synchronous/);
		expect(db.select().from(s.settings).where(eq(s.settings.key, 'async')).all()).toEqual([]);
		expect(() => db.transaction(() => void commitTogether(db, () => 1))).toThrow(/already open/);
	});
});
