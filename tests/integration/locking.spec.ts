/**
 * Locked results: nothing that decides them changes until the office reopens them — score saves,
 * every section of a bundle import, the draw (web and command line) and the assignments by hand.
 * After reopening, the same changes go through.
 */
import { Refusal } from '../../src/lib/server/refusal';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import * as s from '../../src/lib/server/db/schema';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { exportBundle } from '../../src/lib/server/queries/bundle';
import { BundleImportError, importBundle } from '../../src/lib/server/services/bundle-import';
import { lockResults, reopenResults } from '../../src/lib/server/services/results';
import { assignByHand, drawExperts, unassignExpert } from '../../src/lib/server/services/assignment-admin';
import { ScoringError, getSheet, saveSheet } from '../../src/lib/server/services/scoring';
import { SYSTEM_ACTOR } from '../../src/lib/server/audit';
import { OFFICE, actorFor, scoringDb } from './scoring-fixture';
import { cli, fullBundle, tempDir, writeJson } from './helpers';
import { requireScope } from '../../src/lib/server/scope';

function importError(db: Db, bundle: unknown): string {
	try {
		importBundle(db, bundle, SYSTEM_ACTOR);
	} catch (e) {
		if (e instanceof BundleImportError) return e.message;
		throw e;
	}
	return '';
}

describe('locked results', () => {
	it('refuse every import section, score saves, the draw and assignments by hand; reopening lets them through', () => {
		const db = scoringDb();
		const b = exportBundle(requireScope(db));
		const version = getSheet(db, 'app-2', 'exp-1').version; // (creates the default rubric on first use)
		lockResults(requireScope(db), OFFICE, { confirmed: true, reason: '评审报告的签字页会后补交' });
		const before = JSON.stringify(exportBundle(requireScope(db)));

		const sections: [string, unknown][] = [
			['batch', { batch: { ...b.batch, deadline: '2023-07-01' } }],
			['institutions', { institutions: [{ ...b.institutions[0], name: '改名后的机构有限公司' }] }],
			['applications', { applications: [b.applications[0]] }],
			['experts', { experts: [{ ...b.experts[0], workUnit: b.institutions[0].name }] }],
			['rubrics', { rubrics: [{ id: 'rub-new', type: 'training', criteria: [{ id: 'all', name: '综合', maxPoints: 100, guidance: null }] }] }],
			['assignments', { assignments: b.assignments.slice(0, 1) }],
			['declarations', { declarations: [{ applicationId: 'app-1', expertId: 'exp-1', reason: '曾在该机构兼职' }] }],
			['decisions', { decisions: [{ applicationId: 'app-1', decision: 'not-proposed', reason: '会议决定' }] }]
		];
		for (const [section, bundle] of sections) {
			const message = importError(db, bundle);
			expect(message, section).toContain(section);
			expect(message, section).toMatch(/已锁定/);
		}
		expect(() => saveSheet(db, 'app-2', 'exp-1', { version, points: { plan: 10 }, comments: {}, comment: '' }, actorFor('exp-1'))).toThrow(ScoringError);
		// The scoring page tells the lock from a version conflict: the refusal says 'locked', the sheet says locked.
		let refusal: unknown;
		try {
			saveSheet(db, 'app-2', 'exp-1', { version, points: { plan: 10 }, comments: {}, comment: '' }, actorFor('exp-1'));
		} catch (e) {
			refusal = e;
		}
		expect(refusal).toMatchObject({ status: 409, code: 'locked' });
		expect(getSheet(db, 'app-2', 'exp-1').locked).toBe(true);
		expect(() => drawExperts(requireScope(db), { scope: 'all', seed: '' }, OFFICE)).toThrow(/已锁定/);
		expect(() => assignByHand(requireScope(db), { applicationId: 'app-4', expertId: 'exp-1', reason: '补充专家' }, OFFICE)).toThrow(Refusal);
		expect(() => unassignExpert(requireScope(db), { applicationId: 'app-1', expertId: 'exp-3', reason: '调整', confirm: true }, OFFICE)).toThrow(/已锁定/);
		expect(JSON.stringify(exportBundle(requireScope(db)))).toBe(before);

		reopenResults(requireScope(db), '会议决定补充材料后重新评议', OFFICE);
		expect(getSheet(db, 'app-2', 'exp-1').locked).toBe(false);
		expect(importError(db, { declarations: [{ applicationId: 'app-1', expertId: 'exp-1', reason: '曾在该机构兼职' }] })).toBe('');
		unassignExpert(requireScope(db), { applicationId: 'app-1', expertId: 'exp-3', reason: '调整', confirm: true }, OFFICE);
		expect(db.select().from(s.assignments).where(eq(s.assignments.expertId, 'exp-3')).all().some((a) => a.applicationId === 'app-1')).toBe(false);
	});

	it('the command line draw exits 1 and writes nothing while the results are locked', async () => {
		const dir = tempDir();
		const file = path.join(dir, 'l.db');
		const b = fullBundle();
		b.assignments = [];
		b.scores = [];
		b.decisions = [];
		expect((await cli(file, 'import', writeJson(dir, 'b.json', b))).code).toBe(0);
		const db = openDatabase(file);
		db.update(s.batches).set({ resultsLockedAt: new Date().toISOString() }).run();
		db.$client.close();
		const r = await cli(file, 'assign', '--seed', 'x', '--json');
		expect(r.code).toBe(1);
		expect(r.stderr).toMatch(/^错误：评审结果已锁定/);
		expect(r.stdout).toBe('');
		const after = openDatabase(file);
		expect(after.select().from(s.assignments).all()).toEqual([]);
		after.$client.close();
	});
});

describe('a failing command changes nothing', () => {
	it('leaves no new database file behind; a successful one keeps it', async () => {
		const fs = await import('node:fs');
		const dir = tempDir();
		const fresh = path.join(dir, 'never.db');
		const r = await cli(fresh, 'import', path.join(dir, 'missing.json'));
		expect(r.code).toBe(1);
		expect(fs.existsSync(fresh)).toBe(false);
		expect(fs.existsSync(`${fresh}-wal`)).toBe(false);
		expect((await cli(fresh, 'results', '--method', 'nonsense')).code).toBe(1);
		expect(fs.existsSync(fresh)).toBe(false);
		expect((await cli(fresh, 'check', '--json')).code).toBe(0);
		expect(fs.existsSync(fresh)).toBe(true);
		// An existing database is kept when a command on it fails.
		expect((await cli(fresh, 'import', path.join(dir, 'missing.json'))).code).toBe(1);
		expect(fs.existsSync(fresh)).toBe(true);
	});
});
