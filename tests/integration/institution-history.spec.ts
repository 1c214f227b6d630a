/**
 * An institution's history on the office's application page (issue 13, item 4): its applications
 * in other batches with status, decision, score and rank from that batch's results, the directory
 * entry an application produced, and its directory entries — never the shown batch's own.
 */
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import * as s from '../../src/lib/server/db/schema';
import { batchById, requireScope } from '../../src/lib/server/scope';
import { institutionHistory } from '../../src/lib/server/queries/institution-history';
import { createDirectoryEntry } from '../../src/lib/server/services/directory';
import { OFFICE, world } from './draw-world';

/** The world plus an earlier batch (第一批) in which inst-a applied for ai training and was proposed. */
function twoBatches() {
	const db = world();
	const current = requireScope(db).batch;
	db.insert(s.batches).values({ ...current, id: 'b-2022', name: '辽宁省第一批', deadline: '2022-06-30', createdAt: '2022-01-01T00:00:00.000Z', archivedAt: '2022-12-31T00:00:00.000Z', resultsLockedAt: '2022-09-01T00:00:00.000Z', assignmentsPublishedAt: '2022-07-01T00:00:00.000Z' }).run();
	const row = db.select().from(s.applications).where(eq(s.applications.id, 'app-a')).get()!;
	db.insert(s.applications).values({ ...row, id: 'app-a@b-2022', batchId: 'b-2022', status: 'accepted' }).run();
	db.insert(s.applications).values({ ...row, id: 'old-draft', batchId: 'b-2022', status: 'draft', occupation: 'iot' }).run();
	db.insert(s.decisions).values({ applicationId: 'app-a@b-2022', decision: 'proposed', reason: '会议一致同意' }).run();
	createDirectoryEntry(db, OFFICE, { institutionId: 'inst-a', occupation: 'ai', type: 'training', levels: ['junior'], validFrom: '2022-10-01', validTo: '2025-09-30', documentNo: '辽人社函〔2022〕101号' });
	db.update(s.directoryEntries).set({ batchId: 'b-2022', applicationId: 'app-a@b-2022' }).run();
	return { db, current };
}

describe('institution history', () => {
	it('shows the other batch\'s applications with their results and the directory, not the shown batch\'s own', () => {
		const { db } = twoBatches();
		const h = institutionHistory(requireScope(db), 'inst-a', '2024-01-01');
		expect(h.applications.map((a) => a.id).sort()).toEqual(['app-a@b-2022', 'old-draft']);
		const a = h.applications.find((x) => x.id === 'app-a@b-2022')!;
		expect(a).toMatchObject({
			shownId: 'app-a',
			batchId: 'b-2022',
			batchName: '辽宁省第一批',
			batchArchived: true,
			occupation: 'ai',
			type: 'training',
			status: 'accepted',
			result: { score: null, rank: null, n: 0, decision: 'proposed' },
			directory: { validFrom: '2022-10-01', validTo: '2025-09-30', documentNo: '辽人社函〔2022〕101号' }
		});
		// A draft never entered that batch's results.
		expect(h.applications.find((x) => x.id === 'old-draft')!.result).toBeNull();
		expect(h.directory).toEqual([
			{ id: expect.any(Number), occupation: 'ai', type: 'training', levels: ['junior'], validFrom: '2022-10-01', validTo: '2025-09-30', documentNo: '辽人社函〔2022〕101号', batchName: '辽宁省第一批', validity: 'valid' }
		]);
	});

	it('seen from the earlier batch, the history holds the current batch\'s application', () => {
		const { db, current } = twoBatches();
		const h = institutionHistory({ db, batch: batchById(db, 'b-2022')! }, 'inst-a', '2026-01-01');
		expect(h.applications.map((a) => [a.id, a.batchName])).toEqual([['app-a', current.name]]);
		expect(h.directory[0].validity).toBe('expired');
		// Another institution: nothing.
		expect(institutionHistory(requireScope(db), 'inst-b', '2024-01-01')).toEqual({ applications: [], directory: [] });
	});
});
