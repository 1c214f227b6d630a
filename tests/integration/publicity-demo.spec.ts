/**
 * The demo's 第一批 shows a closed publicity with one objection answered (dismissed after a
 * re-review, with a reply and an attached PDF) and one 不予受理 with its reply (issue "After the scores").
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { memoryDb } from '../../src/lib/server/db';
import * as s from '../../src/lib/server/db/schema';
import { importBundle } from '../../src/lib/server/services/bundle-import';
import { generateDemoBundle } from '../../src/lib/server/demo/generate';
import { SYSTEM_ACTOR } from '../../src/lib/server/audit';
import { lockResults } from '../../src/lib/server/services/results';
import { requireScope } from '../../src/lib/server/scope';
import { seedPublicityDemo } from '../../src/lib/server/demo/publicity';
import { publicityStatus } from '../../src/lib/server/services/publicity';
import { heldGroups } from '../../src/lib/server/queries/held-groups';
import { objectionFile, replyLetter } from '../../src/lib/server/services/objections';
import { closingProblems } from '../../src/lib/domain/objections';
import { tempDir } from './helpers';

describe('publicity demo', () => {
	it('a closed 5-working-day publicity from 2022-11-14, one answered objection and one 不予受理, nothing held', async () => {
		const db = memoryDb();
		importBundle(db, generateDemoBundle(), SYSTEM_ACTOR);
		lockResults(requireScope(db), SYSTEM_ACTOR, { confirmed: true, reason: '测试锁定：评审报告签字另行核对' });
		const dir = tempDir();
		seedPublicityDemo(requireScope(db), dir);
		seedPublicityDemo(requireScope(db), dir); // idempotent
		const st = publicityStatus(requireScope(db), { today: '2023-01-01' });
		expect(st).toMatchObject({ state: 'closed', start: '2022-11-14', end: '2022-11-18', workingDays: 5 });
		const rows = db.select().from(s.objections).orderBy(s.objections.id).all();
		expect(rows.map((o) => o.status)).toEqual(['closed', 'rejected']);
		expect(closingProblems(rows[0])).toEqual([]);
		expect(rows[0]).toMatchObject({ outcome: 'dismissed', rereview: true });
		expect(rows[1].admissionReason).toMatch('未署真实姓名');
		expect(heldGroups(requireScope(db)).size).toBe(0);
		const file = objectionFile(requireScope(db), rows[0].id, 'objf-00000000d001', dir)!;
		expect(fs.readFileSync(file.path).subarray(0, 5).toString()).toBe('%PDF-');
		expect(path.dirname(file.path)).toBe(dir);
		for (const o of rows) expect((await replyLetter(requireScope(db), o.id)).body.length).toBeGreaterThan(1000);
		expect(db.select().from(s.batches).where(eq(s.batches.id, requireScope(db).batch.id)).get()!.publicityClosedAt).toBe('2022-11-18T09:00:00.000Z');
	}, 60_000);
});
