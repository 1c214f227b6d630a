/**
 * The standing profile and the directory in the batch's computed state (issue 13, items 4 and 6):
 * FORMER_UNIT and a relative's DECLARED in `computeConflicts` and `coi --json`, the draw never
 * assigning such an expert, a profile entry added after the lock not moving the locked batch;
 * ALREADY_IN_DIRECTORY in `computeFindings` and `check --json`.
 * The world's batch deadline is 2023-06-15 (the window of a former unit starts 2020-06-15).
 */
import { describe, expect, it } from 'vitest';
import * as s from '../../src/lib/server/db/schema';
import type { Db } from '../../src/lib/server/db';
import { requireScope } from '../../src/lib/server/scope';
import { computeConflicts, computeFindings, conflictRows } from '../../src/lib/server/services/batch-state';
import { drawExperts } from '../../src/lib/server/services/assignment-admin';
import { createDirectoryEntry } from '../../src/lib/server/services/directory';
import { coiCommand } from '../../src/cli/commands/coi';
import { checkCommand } from '../../src/cli/commands/check';
import { bufferIo } from '../../src/cli/io';
import { OFFICE, assigned, world } from './draw-world';

function affiliation(db: Db, v: { expertId: string; kind: 'former-unit' | 'relative-unit'; unit: string; endedOn?: string; relation?: string; createdAt?: string }) {
	db.insert(s.expertAffiliations).values({ endedOn: null, relation: null, ...v }).run();
}

async function json(db: Db, command: typeof coiCommand, ...argv: string[]) {
	const io = bufferIo();
	expect(await command.run([...argv, '--json'], { db, io, dbPath: ':memory:' })).toBe(0);
	return JSON.parse(io.stdout.join('\n'));
}

const pairs = (db: Db) => conflictRows(computeConflicts(requireScope(db))).map((c) => `${c.applicationId}/${c.expertId}/${c.code}/${c.hard}`);

describe('FORMER_UNIT and relatives in the batch', () => {
	it('a former unit left inside the window is a hard FORMER_UNIT, in coi --json; outside it is nothing', async () => {
		const db = world();
		affiliation(db, { expertId: 'e3', kind: 'former-unit', unit: '大连乙丑信息技术有限公司', endedOn: '2020-06-15' });
		affiliation(db, { expertId: 'e4', kind: 'former-unit', unit: '大连乙丑信息技术有限公司', endedOn: '2020-06-14' });
		expect(pairs(db)).toContain('app-b/e3/FORMER_UNIT/true');
		expect(pairs(db).filter((p) => p.includes('/e4/'))).toEqual([]);
		const c = computeConflicts(requireScope(db)).conflicts.find((x) => x.code === 'FORMER_UNIT')!;
		expect(c.matched).toBe('专家原单位（2020-06-15 离开）“大连乙丑信息技术有限公司”与申报单位“大连乙丑信息技术有限公司”相同');
		expect(computeConflicts(requireScope(db)).hard.get('app-b|e3')).toBe('FORMER_UNIT');
		const out = await json(db, coiCommand);
		expect(out.conflicts).toContainEqual({ expertId: 'e3', applicationId: 'app-b', code: 'FORMER_UNIT', hard: true });
	});

	it('a relative in the institution is DECLARED (hard)', () => {
		const db = world();
		affiliation(db, { expertId: 'e5', kind: 'relative-unit', unit: '沈阳甲子科技有限公司', relation: '子女' });
		expect(pairs(db)).toContain('app-a/e5/DECLARED/true');
	});

	it('the draw never assigns an expert to an institution they left within the window', () => {
		const db = world(6);
		// Every ai expert but e7 (SAME_UNIT with inst-a) left inst-a's or inst-b's unit recently: none of them may go there.
		for (const e of ['e1', 'e2', 'e3']) affiliation(db, { expertId: e, kind: 'former-unit', unit: '沈阳甲子科技有限公司', endedOn: '2022-01-01' });
		drawExperts(requireScope(db), { seed: 'former-unit', scope: 'all' }, OFFICE);
		const onA = assigned(db, 'app-a').map((a) => a.expertId);
		expect(onA.length).toBeGreaterThan(0);
		for (const e of ['e1', 'e2', 'e3', 'e7']) expect(onA).not.toContain(e);
		expect(assigned(db, 'app-b').map((a) => a.expertId)).toEqual(expect.arrayContaining(['e1', 'e2', 'e3']));
	});

	it('an entry added after the results were locked does not move the locked batch', () => {
		const db = world();
		db.update(s.batches).set({ resultsLockedAt: '2023-07-01T00:00:00.000Z' }).run();
		affiliation(db, { expertId: 'e3', kind: 'former-unit', unit: '大连乙丑信息技术有限公司', endedOn: '2022-01-01', createdAt: '2023-07-02T00:00:00.000Z' });
		affiliation(db, { expertId: 'e4', kind: 'former-unit', unit: '大连乙丑信息技术有限公司', endedOn: '2022-01-01', createdAt: '2023-06-30T00:00:00.000Z' });
		expect(pairs(db).filter((p) => p.includes('FORMER_UNIT'))).toEqual(['app-b/e4/FORMER_UNIT/true']);
	});
});

describe('ALREADY_IN_DIRECTORY in the batch', () => {
	it('warns on an application whose institution holds a valid entry of its occupation and type, in check --json', async () => {
		const db = world();
		createDirectoryEntry(db, OFFICE, { institutionId: 'inst-a', occupation: 'ai', type: 'training', levels: ['junior'], validFrom: '2022-09-01', validTo: '2025-08-31', documentNo: '辽人社函〔2022〕101号' });
		createDirectoryEntry(db, OFFICE, { institutionId: 'inst-b', occupation: 'ai', type: 'training', levels: ['junior'], validFrom: '2019-09-01', validTo: '2022-08-31' });
		createDirectoryEntry(db, OFFICE, { institutionId: 'inst-c', occupation: 'ic', type: 'evaluation', levels: ['junior'], validFrom: '2022-09-01', validTo: '' });
		const f = computeFindings(requireScope(db)).findings;
		expect(f.get('app-a')).toContainEqual({
			code: 'ALREADY_IN_DIRECTORY',
			severity: 'warning',
			detail: '该机构已列入人工智能工程技术人员培训机构目录（有效期 2022-09-01 至 2025-08-31，文号 辽人社函〔2022〕101号）'
		});
		expect(f.get('app-b')!.map((x) => x.code)).not.toContain('ALREADY_IN_DIRECTORY'); // expired
		expect(f.get('app-c')!.map((x) => x.code)).not.toContain('ALREADY_IN_DIRECTORY'); // another type
		const out = await json(db, checkCommand);
		const a = out.applications.find((x: { id: string }) => x.id === 'app-a');
		expect(a.findings).toContainEqual(expect.objectContaining({ code: 'ALREADY_IN_DIRECTORY', severity: 'warning' }));
	});
});
