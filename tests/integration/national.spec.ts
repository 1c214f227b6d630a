/**
 * The national decision (issue 14, item 7): recorded one by one and in bulk once the results are
 * locked and the publicity closed; a group held by an open objection is refused; a 确定 creates the
 * directory entry in the same transaction, an edit updates it, 未确定 or withdrawing removes it,
 * hand-entered entries stay; the next batch sees the entry (ALREADY_IN_DIRECTORY, the history).
 */
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import * as s from '../../src/lib/server/db/schema';
import { Refusal } from '../../src/lib/server/refusal';
import { batchById, requireScope } from '../../src/lib/server/scope';
import { clearNationalDecision, recordNationalDecision, recordNationalDecisions } from '../../src/lib/server/services/national';
import { nationalPage } from '../../src/lib/server/queries/national';
import { createDirectoryEntry, deleteDirectoryEntry, exportDirectory, updateDirectoryEntry } from '../../src/lib/server/services/directory';
import { directoryList, loadDirectory } from '../../src/lib/server/queries/directory';
import { computeFindings } from '../../src/lib/server/services/batch-state';
import { institutionHistory } from '../../src/lib/server/queries/institution-history';
import { reopenResults } from '../../src/lib/server/services/results';
import { auditSentence } from '../../src/lib/domain/audit-text';
import type { Db } from '../../src/lib/server/db';
import { OFFICE, TODAY, auditActions, finished, lastAudits, scored } from './national-world';

const CONFIRM = { decision: 'confirmed', date: '2023-08-20', documentNo: '人社厅函〔2023〕88号', note: '' };

function refused(fn: () => unknown): Refusal {
	try {
		fn();
	} catch (e) {
		if (e instanceof Refusal) return e;
		throw e;
	}
	throw new Error('expected a refusal');
}

const scope = (db: Db) => requireScope(db);
const decisions = (db: Db) => db.select().from(s.nationalDecisions).all().sort((a, b) => a.applicationId.localeCompare(b.applicationId));
const entries = (db: Db) => db.select().from(s.directoryEntries).all();

/** Nothing written: the same decisions, entries and audit length. */
function unchanged(db: Db, fn: () => unknown): Refusal {
	const before = JSON.stringify([decisions(db), entries(db), auditActions(db).length]);
	const r = refused(fn);
	expect(JSON.stringify([decisions(db), entries(db), auditActions(db).length])).toBe(before);
	return r;
}

describe('recording the national decision', () => {
	it('a 确定 records the decision and creates the directory entry in one go, both audited', () => {
		const db = finished();
		const out = recordNationalDecision(scope(db), OFFICE, 'app-1', CONFIRM, { today: TODAY });
		expect(out).toEqual({ recorded: 1, unchanged: 0, created: 1, updated: 0, removed: 0 });
		expect(decisions(db)).toMatchObject([{ applicationId: 'app-1', decision: 'confirmed', date: '2023-08-20', documentNo: '人社厅函〔2023〕88号', note: null }]);
		expect(entries(db)).toMatchObject([
			{
				institutionId: 'inst-1',
				occupation: 'ai',
				type: 'training',
				levels: ['junior', 'intermediate'],
				validFrom: '2023-08-20',
				validTo: '2026-08-19',
				batchId: 'ln-2023-b2',
				applicationId: 'app-1',
				documentNo: '人社厅函〔2023〕88号'
			}
		]);
		const [dir, rec] = lastAudits(db, 2);
		expect(dir).toMatchObject({ action: 'directory.create', entity: 'directory', detail: { applicationId: 'app-1', source: 'national' } });
		expect(rec).toMatchObject({ action: 'national.record', entity: 'application', entityId: 'app-1', detail: { decision: 'confirmed', previous: null, directory: 'created' } });
		expect(auditSentence({ ...rec, detail: JSON.stringify(rec.detail) })).toBe('office-test 登记申报 app-1的国家确定结果：确定（2023-08-20，人社厅函〔2023〕88号），生成目录条目');
		// Saving the same again writes nothing.
		const n = auditActions(db).length;
		expect(recordNationalDecision(scope(db), OFFICE, 'app-1', CONFIRM, { today: TODAY })).toMatchObject({ recorded: 0, unchanged: 1 });
		expect(auditActions(db).length).toBe(n);
	});

	it('editing updates the generated entry (levels edited by hand stay); 未确定 removes it; a hand-entered entry stays', () => {
		const db = finished();
		const hand = createDirectoryEntry(db, OFFICE, { institutionId: 'inst-1', occupation: 'ai', type: 'training', levels: ['junior'], validFrom: '2020-01-01', validTo: '2022-12-31', documentNo: '旧文号' });
		recordNationalDecision(scope(db), OFFICE, 'app-1', CONFIRM, { today: TODAY });
		const generated = entries(db).find((e) => e.applicationId === 'app-1')!;
		updateDirectoryEntry(db, OFFICE, generated.id, { ...generated, levels: ['junior'], validTo: generated.validTo ?? '' });
		expect(recordNationalDecision(scope(db), OFFICE, 'app-1', { ...CONFIRM, documentNo: '人社厅函〔2023〕90号', validTo: '2025-12-31' }, { today: TODAY })).toMatchObject({ recorded: 1, updated: 1 });
		expect(entries(db).find((e) => e.id === generated.id)).toMatchObject({ levels: ['junior'], validFrom: '2023-08-20', validTo: '2025-12-31', documentNo: '人社厅函〔2023〕90号' });
		expect(lastAudits(db, 2)[0]).toMatchObject({ action: 'directory.update', detail: { changed: ['validTo', 'documentNo'] } });
		expect(lastAudits(db, 1)[0].detail).toMatchObject({ previous: { decision: 'confirmed', documentNo: '人社厅函〔2023〕88号' }, directory: 'updated' });

		expect(recordNationalDecision(scope(db), OFFICE, 'app-1', { ...CONFIRM, decision: 'not-confirmed', note: '场地不符' }, { today: TODAY })).toMatchObject({ removed: 1 });
		expect(decisions(db)).toMatchObject([{ applicationId: 'app-1', decision: 'not-confirmed', note: '场地不符' }]);
		expect(entries(db).map((e) => e.id)).toEqual([hand]);
		expect(lastAudits(db, 2).map((a) => a.action)).toEqual(['directory.delete', 'national.record']);

		// Back to 确定: a new entry; withdrawing the record removes it again.
		recordNationalDecision(scope(db), OFFICE, 'app-1', CONFIRM, { today: TODAY });
		expect(entries(db)).toHaveLength(2);
		clearNationalDecision(scope(db), OFFICE, 'app-1');
		expect(decisions(db)).toEqual([]);
		expect(entries(db).map((e) => e.id)).toEqual([hand]);
		expect(lastAudits(db, 1)[0]).toMatchObject({ action: 'national.clear', entityId: 'app-1', detail: { decision: 'confirmed', directory: 'removed' } });
	});

	it('records several in one go with the same date and 文号, each audited', () => {
		const db = finished();
		const out = recordNationalDecisions(scope(db), OFFICE, ['app-1', 'app-2', 'app-3'], CONFIRM, { today: TODAY });
		expect(out).toEqual({ recorded: 3, unchanged: 0, created: 3, updated: 0, removed: 0 });
		expect(decisions(db).map((d) => [d.applicationId, d.decision, d.date, d.documentNo])).toEqual([
			['app-1', 'confirmed', '2023-08-20', '人社厅函〔2023〕88号'],
			['app-2', 'confirmed', '2023-08-20', '人社厅函〔2023〕88号'],
			['app-3', 'confirmed', '2023-08-20', '人社厅函〔2023〕88号']
		]);
		expect(entries(db).map((e) => [e.applicationId, e.type, e.levels])).toEqual([
			['app-1', 'training', ['junior', 'intermediate']],
			['app-2', 'training', ['senior']],
			['app-3', 'evaluation', ['junior']]
		]);
		const records = lastAudits(db, 6).filter((a) => a.action === 'national.record');
		expect(records.map((a) => [a.entityId, a.detail.bulk])).toEqual([
			['app-1', 3],
			['app-2', 3],
			['app-3', 3]
		]);
		const page = nationalPage(scope(db), TODAY);
		expect(page.counts).toEqual({ proposed: 3, confirmed: 3, notConfirmed: 0, open: 0, held: 0 });
		expect(page.groups.flatMap((g) => g.items.map((i) => i.id))).toEqual(['app-1', 'app-2', 'app-3']);
	});

	it('refuses a bulk with one application not proposed, and writes nothing', () => {
		const db = finished();
		const r = unchanged(db, () => recordNationalDecisions(scope(db), OFFICE, ['app-1', 'app-4'], CONFIRM, { today: TODAY }));
		expect(r.status).toBe(409);
		expect(r.message).toBe('申报 app-4 不在拟推荐名单中，不能登记国家确定结果');
		expect(unchanged(db, () => recordNationalDecisions(scope(db), OFFICE, [], CONFIRM, { today: TODAY })).message).toBe('请至少勾选一个申报');
		expect(unchanged(db, () => recordNationalDecision(scope(db), OFFICE, 'app-zz', CONFIRM, { today: TODAY })).status).toBe(404);
	});

	it('refuses a group held by an open objection (shown as held) until the objection is answered', () => {
		const db = finished();
		const objection = db
			.insert(s.objections)
			.values({ batchId: 'ln-2023-b2', applicationId: 'app-2', objectorKind: 'person', objectorName: '张某', contact: '13800000000', grounds: '场地不实', receivedDate: '2023-08-05' })
			.returning({ id: s.objections.id })
			.get().id;
		const page = nationalPage(scope(db), TODAY);
		expect(page.groups.find((g) => g.occupation === 'ai')!.items.map((i) => i.heldBy)).toEqual([[objection], [objection]]);
		expect(page.groups.find((g) => g.occupation === 'iot')!.items[0].heldBy).toEqual([]);
		expect(page.counts.held).toBe(2);
		// app-1 is in the same group as the objected app-2: held too.
		const r = unchanged(db, () => recordNationalDecisions(scope(db), OFFICE, ['app-3', 'app-1'], CONFIRM, { today: TODAY }));
		expect(r.status).toBe(409);
		expect(r.message).toBe(`异议尚未处理完毕，以下组别的名单暂停确定：人工智能工程技术人员培训机构（异议 #${objection}）`);
		// Accepted and still open: held; closed: free.
		db.update(s.objections).set({ status: 'accepted' }).run();
		unchanged(db, () => recordNationalDecision(scope(db), OFFICE, 'app-1', CONFIRM, { today: TODAY }));
		db.update(s.objections).set({ status: 'closed' }).run();
		expect(recordNationalDecision(scope(db), OFFICE, 'app-1', CONFIRM, { today: TODAY }).recorded).toBe(1);
	});

	it('waits for the lock and for the publicity to close; refuses a date before them or in the future', () => {
		const unlocked = scored();
		expect(unchanged(unlocked, () => recordNationalDecision(scope(unlocked), OFFICE, 'app-1', CONFIRM, { today: TODAY })).message).toBe(
			'评审结果尚未锁定，不能登记国家确定结果；请先锁定评审结果'
		);
		const open = finished({ publicity: 'open' });
		const r = unchanged(open, () => recordNationalDecision(scope(open), OFFICE, 'app-1', CONFIRM, { today: TODAY }));
		expect(r.message).toBe('公示尚未结束（2023-08-02 至 2023-08-08），结束公示后才能登记国家确定结果');
		expect(nationalPage(scope(open), TODAY).block).toBe(r.message);
		// Without a publicity at all, the lock is enough.
		const none = finished({ publicity: 'none' });
		expect(recordNationalDecision(scope(none), OFFICE, 'app-1', { ...CONFIRM, date: '2023-08-01' }, { today: TODAY }).recorded).toBe(1);

		const db = finished();
		expect(unchanged(db, () => recordNationalDecision(scope(db), OFFICE, 'app-1', { ...CONFIRM, date: '2023-08-08' }, { today: TODAY })).errors).toEqual({
			date: '确定日期 2023-08-08 早于评审结果锁定或公示结束的日期（2023-08-09）'
		});
		expect(unchanged(db, () => recordNationalDecision(scope(db), OFFICE, 'app-1', { ...CONFIRM, date: '2023-09-02' }, { today: TODAY })).errors).toEqual({
			date: '确定日期 2023-09-02 晚于今天（2023-09-01）'
		});
		// An archived batch is read-only.
		db.update(s.batches).set({ archivedAt: '2023-10-01T00:00:00.000Z' }).run();
		expect(unchanged(db, () => recordNationalDecision(scope(db), OFFICE, 'app-1', CONFIRM, { today: TODAY })).message).toMatch(/已归档/);
	});

	it('keeps the results locked while decisions stand, and the generated entry from hand deletion', () => {
		const db = finished();
		recordNationalDecision(scope(db), OFFICE, 'app-1', CONFIRM, { today: TODAY });
		const r = refused(() => reopenResults(scope(db), '需要更正一处评分', OFFICE));
		expect(r.message).toBe('已登记 1 项国家确定结果，不能重新开放评审结果；确需重新开放的，请先在“国家确定结果”页撤销登记');
		expect(batchById(db, 'ln-2023-b2')!.resultsLockedAt).not.toBeNull();
		const entry = entries(db)[0];
		expect(refused(() => deleteDirectoryEntry(db, OFFICE, entry.id)).message).toBe('该条目由国家确定结果（人社厅函〔2023〕88号）生成，请在“国家确定结果”页改为未确定或撤销登记');
		clearNationalDecision(scope(db), OFFICE, 'app-1');
		reopenResults(scope(db), '需要更正一处评分', OFFICE);
		expect(batchById(db, 'ln-2023-b2')!.resultsLockedAt).toBeNull();
	});
});

describe('the directory the decisions produce', () => {
	it('lists and exports the source: the batch, the decision date and the 文号', async () => {
		const db = finished();
		recordNationalDecision(scope(db), OFFICE, 'app-1', CONFIRM, { today: TODAY });
		createDirectoryEntry(db, OFFICE, { institutionId: 'inst-2', occupation: 'ai', type: 'training', levels: ['junior'], validFrom: '2020-01-01', validTo: '' });
		const list = directoryList(db, {}, TODAY);
		expect(list.map((e) => [e.institutionId, e.batchName, e.decisionDate])).toEqual([
			['inst-2', null, null],
			['inst-1', '辽宁省第二批', '2023-08-20']
		]);
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load((await exportDirectory(db, OFFICE, {}, TODAY)) as unknown as ArrayBuffer);
		const ws = wb.getWorksheet('机构目录')!;
		expect(ws.getRow(1).getCell(13).value).toBe('来源');
		expect(ws.getRow(2).getCell(13).value).toBe('手工录入');
		expect(ws.getRow(3).getCell(10).value).toBe('人社厅函〔2023〕88号');
		expect(ws.getRow(3).getCell(11).value).toBe('辽宁省第二批');
		expect(ws.getRow(3).getCell(13).value).toBe('辽宁省第二批国家确定结果（2023-08-20，人社厅函〔2023〕88号）');
	});

	it('feeds the next batch: ALREADY_IN_DIRECTORY with the 文号, and the institution history', () => {
		const db = finished();
		recordNationalDecision(scope(db), OFFICE, 'app-1', CONFIRM, { today: TODAY });
		recordNationalDecision(scope(db), OFFICE, 'app-2', { ...CONFIRM, decision: 'not-confirmed' }, { today: TODAY });
		const current = batchById(db, 'ln-2023-b2')!;
		// The next batch (deadline 2024-06-15): inst-1 and inst-2 apply again for ai training.
		db.insert(s.batches).values({ ...current, id: 'ln-2024-b3', name: '辽宁省第三批', deadline: '2024-06-15', createdAt: '2024-05-01T00:00:00.000Z', resultsLockedAt: null, resultsHash: null, publicityStart: null, publicityEnd: null, publicityClosedAt: null, archivedAt: null }).run();
		for (const id of ['app-1', 'app-2']) {
			const row = db.select().from(s.applications).where(eq(s.applications.id, id)).get()!;
			db.insert(s.applications).values({ ...row, id: `${id}@ln-2024-b3`, batchId: 'ln-2024-b3', status: 'submitted' }).run();
		}
		const next = { db, batch: batchById(db, 'ln-2024-b3')! };
		const findings = computeFindings(next);
		const already = (id: string) => (findings.findings.get(id) ?? []).filter((f) => f.code === 'ALREADY_IN_DIRECTORY').map((f) => f.detail);
		expect(already('app-1@ln-2024-b3')).toEqual(['该机构已列入人工智能工程技术人员培训机构目录（有效期 2023-08-20 至 2026-08-19，文号 人社厅函〔2023〕88号）']);
		// 未确定 produced no entry: no warning.
		expect(already('app-2@ln-2024-b3')).toEqual([]);
		// The batch that produced the entry does not warn itself.
		expect((computeFindings(scope(db)).findings.get('app-1') ?? []).some((f) => f.code === 'ALREADY_IN_DIRECTORY')).toBe(false);
		const history = institutionHistory(next, 'inst-1', '2024-06-01');
		expect(history.applications).toMatchObject([
			{ id: 'app-1', directory: { validFrom: '2023-08-20', validTo: '2026-08-19', documentNo: '人社厅函〔2023〕88号' }, national: { decision: 'confirmed', date: '2023-08-20', documentNo: '人社厅函〔2023〕88号' } }
		]);
		expect(institutionHistory(next, 'inst-2', '2024-06-01').applications).toMatchObject([{ id: 'app-2', directory: null, national: { decision: 'not-confirmed' } }]);
		expect(history.directory).toMatchObject([{ batchName: '辽宁省第二批', documentNo: '人社厅函〔2023〕88号', validity: 'valid' }]);
		expect(loadDirectory(db)).toHaveLength(1);
	});
});
