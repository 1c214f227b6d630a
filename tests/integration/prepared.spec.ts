/**
 * Prepared queries (db/prepared.ts) are kept per connection and run on whatever is open on it: a
 * query prepared on one database never reads another, one run inside a transaction sees the
 * transaction's writes and not the rolled-back ones, and the save path built on them writes
 * exactly what it wrote before (explanation kept unless sent, points in criteria order).
 */
import { describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { memoryDb, openDatabase } from '../../src/lib/server/db';
import * as s from '../../src/lib/server/db/schema';
import { prepared } from '../../src/lib/server/db/prepared';
import { generation } from '../../src/lib/server/db/generations';
import { getSheet, saveSheet, explainSheet } from '../../src/lib/server/services/scoring';
import { actorFor, scoringDb } from './scoring-fixture';
import { defaultBatchRow } from '../../src/lib/server/scope';

const userById = (db: ReturnType<typeof memoryDb>, id: string) =>
	prepared(db, 'test.user', (d) => d.select({ name: s.users.displayName }).from(s.users).where(eq(s.users.id, sql.placeholder('id'))).prepare()).get({ id });

function withUser(name: string) {
	const db = memoryDb();
	db.insert(s.users).values({ id: 'u', username: 'u', displayName: name, role: 'office', passwordHash: 'x' }).run();
	return db;
}

describe('prepared queries', () => {
	it('are kept per connection: the same key on two databases reads each its own', () => {
		const a = withUser('甲');
		const b = withUser('乙');
		expect(userById(a, 'u')?.name).toBe('甲');
		expect(userById(b, 'u')?.name).toBe('乙');
		expect(userById(a, 'u')?.name).toBe('甲');
		expect(userById(a, 'nobody')).toBeUndefined();
	});

	it('run inside an open transaction: they see its writes, and not after a rollback', () => {
		const db = withUser('甲');
		expect(() =>
			db.transaction((tx) => {
				tx.update(s.users).set({ displayName: '丙' }).where(eq(s.users.id, 'u')).run();
				// prepared from the transaction handle and from the database: the same connection
				expect(userById(tx as unknown as typeof db, 'u')?.name).toBe('丙');
				expect(userById(db, 'u')?.name).toBe('丙');
				throw new Error('rollback');
			})
		).toThrow('rollback');
		expect(userById(db, 'u')?.name).toBe('甲');
	});

	it('a query that cannot be prepared yet is tried again later (the change counters before migration 0001)', () => {
		const db = openDatabase(':memory:');
		expect(generation(db, 'intake')).toBeNull();
		db.$client.exec(`CREATE TABLE generations (name TEXT PRIMARY KEY, n INTEGER NOT NULL DEFAULT 0); INSERT INTO generations VALUES ('intake', 7)`);
		expect(generation(db, 'intake')).toBe(7);
		db.$client.close();
	});

	it('the batch row read through them follows every write', () => {
		const db = scoringDb();
		const before = defaultBatchRow(db)!;
		db.update(s.batches).set({ resultsLockedAt: '2026-12-01T00:00:00Z', quotas: { ...before.quotas } }).run();
		expect(defaultBatchRow(db)!.resultsLockedAt).toBe('2026-12-01T00:00:00Z');
		expect(defaultBatchRow(db)!.quotas).toEqual(before.quotas);
	});
});

describe('the save path on prepared queries', () => {
	it('inserts, then updates a sheet: points in criteria order, comments trimmed, explanation kept unless sent', () => {
		const db = scoringDb();
		const actor = actorFor('exp-1');
		const first = saveSheet(db, 'app-1', 'exp-1', { version: 0, points: { scale: 12, qualification: 8 }, comments: { scale: ' 规模一般 ' }, comment: ' 初评 ', explanation: ' 说明一 ' }, actor);
		expect(first.version).toBe(1);
		expect(Object.keys(first.points)).toEqual(['qualification', 'scale']);
		expect(first.comments).toEqual({ scale: '规模一般' });
		expect([first.comment, first.explanation, first.total]).toEqual(['初评', '说明一', 20]);

		const second = saveSheet(db, 'app-1', 'exp-1', { version: 1, points: { qualification: 9 }, comments: {}, comment: '' }, actor);
		expect(second.version).toBe(2);
		expect(second.points).toEqual({ qualification: 9 });
		expect(second.comments).toEqual({});
		expect(second.comment).toBe('');
		expect(second.explanation).toBe('说明一'); // not sent: kept

		const third = saveSheet(db, 'app-1', 'exp-1', { version: 2, points: { qualification: 9 }, comments: {}, comment: '', explanation: '  ' }, actor);
		expect(third.explanation).toBe(''); // sent empty: cleared
		const row = db.select().from(s.sheets).where(eq(s.sheets.id, third.id!)).get()!;
		expect([row.explanation, row.comment, row.status, row.submittedAt, row.version]).toEqual([null, null, 'draft', null, 3]);
		expect(db.select().from(s.sheetPoints).where(eq(s.sheetPoints.sheetId, third.id!)).all()).toEqual([
			{ sheetId: third.id, criterionId: 'qualification', position: 0, points: 9, comment: null }
		]);
	});

	it('a new sheet without an explanation stores none; a stale version writes nothing', () => {
		const db = scoringDb();
		const saved = saveSheet(db, 'app-2', 'exp-1', { version: 0, points: { plan: 10 }, comments: {}, comment: '' }, actorFor('exp-1'));
		expect(saved.explanation).toBe('');
		expect(() => saveSheet(db, 'app-2', 'exp-1', { version: 0, points: { plan: 12 }, comments: {}, comment: '' }, actorFor('exp-1'))).toThrow(/其他窗口/);
		expect(getSheet(db, 'app-2', 'exp-1').points).toEqual({ plan: 10 });
		explainSheet(db, 'app-2', 'exp-1', '分数偏低的原因说明', actorFor('exp-1'));
		expect(getSheet(db, 'app-2', 'exp-1').explanation).toBe('分数偏低的原因说明');
	});
});
