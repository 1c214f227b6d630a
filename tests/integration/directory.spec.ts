/**
 * The directory kept by hand (issue 13, item 4): add, edit, delete (validated, audited, a refusal
 * writes nothing), the filtered list, and the Excel export with escaped cells.
 */
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import * as s from '../../src/lib/server/db/schema';
import { Refusal } from '../../src/lib/server/refusal';
import { createDirectoryEntry, deleteDirectoryEntry, exportDirectory, updateDirectoryEntry } from '../../src/lib/server/services/directory';
import { directoryList, loadDirectory } from '../../src/lib/server/queries/directory';
import { OFFICE, auditActions, lastAudit, world } from './draw-world';

function refused(fn: () => unknown): Refusal {
	try {
		fn();
	} catch (e) {
		if (e instanceof Refusal) return e;
		throw e;
	}
	throw new Error('expected a refusal');
}

const ENTRY = { institutionId: 'inst-a', occupation: 'ai', type: 'training', levels: ['junior', 'intermediate'], validFrom: '2022-09-01', validTo: '2025-08-31', documentNo: '人社厅函〔2022〕88号', note: '' };
const DAY = '2024-01-01';

describe('the directory by hand', () => {
	it('adds, edits and deletes an entry, each audited', () => {
		const db = world();
		const id = createDirectoryEntry(db, OFFICE, ENTRY);
		expect(lastAudit(db)).toMatchObject({ action: 'directory.create', entity: 'directory', entityId: String(id), detail: { institutionId: 'inst-a', occupation: 'ai', type: 'training' } });
		expect(directoryList(db, {}, DAY)).toMatchObject([{ id, institutionName: '沈阳甲子科技有限公司', levels: ['junior', 'intermediate'], validity: 'valid', batchName: null, userId: null }]);

		expect(updateDirectoryEntry(db, OFFICE, id, ENTRY)).toEqual([]);
		expect(updateDirectoryEntry(db, OFFICE, id, { ...ENTRY, validTo: '', levels: ['senior'] })).toEqual(['levels', 'validTo']);
		expect(lastAudit(db)).toMatchObject({ action: 'directory.update', entityId: String(id), detail: { changed: ['levels', 'validTo'] } });
		expect(loadDirectory(db, 'inst-a')).toMatchObject([{ levels: ['senior'], validTo: null }]);

		deleteDirectoryEntry(db, OFFICE, id);
		expect(loadDirectory(db)).toEqual([]);
		expect(lastAudit(db)).toMatchObject({ action: 'directory.delete', entityId: String(id) });
		expect(refused(() => deleteDirectoryEntry(db, OFFICE, id)).status).toBe(404);
	});

	it('refuses a bad entry or an unknown institution and writes nothing', () => {
		const db = world();
		const n = auditActions(db).length;
		expect(refused(() => createDirectoryEntry(db, OFFICE, { ...ENTRY, levels: [], validTo: '2021-01-01' })).errors).toEqual({
			levels: '请至少选择一个等级',
			validTo: '有效期截止日期 2021-01-01 早于起始日期 2022-09-01'
		});
		expect(refused(() => createDirectoryEntry(db, OFFICE, { ...ENTRY, institutionId: 'inst-zz' })).errors).toEqual({ institutionId: '机构 inst-zz 不存在' });
		const id = createDirectoryEntry(db, OFFICE, ENTRY);
		refused(() => updateDirectoryEntry(db, OFFICE, id, { ...ENTRY, validFrom: '2022-02-30' }));
		expect(loadDirectory(db)).toMatchObject([{ validFrom: '2022-09-01' }]);
		expect(auditActions(db).length).toBe(n + 1);
	});

	it('filters by occupation, type and validity', () => {
		const db = world();
		createDirectoryEntry(db, OFFICE, ENTRY);
		createDirectoryEntry(db, OFFICE, { ...ENTRY, institutionId: 'inst-b', type: 'evaluation', validFrom: '2019-01-01', validTo: '2021-12-31' });
		createDirectoryEntry(db, OFFICE, { ...ENTRY, institutionId: 'inst-c', occupation: 'ic', validTo: '' });
		const names = (f: Parameters<typeof directoryList>[1]) => directoryList(db, f, DAY).map((e) => e.institutionId);
		// By occupation (ai before ic), type (evaluation before training), institution.
		expect(names({})).toEqual(['inst-b', 'inst-a', 'inst-c']);
		expect(names({ occupation: 'ic' })).toEqual(['inst-c']);
		expect(names({ type: 'evaluation' })).toEqual(['inst-b']);
		expect(names({ validity: 'expired' })).toEqual(['inst-b']);
		expect(names({ validity: 'valid' }).sort()).toEqual(['inst-a', 'inst-c']);
	});

	it('exports the filtered list as Excel, a hostile name kept as text, the export audited', async () => {
		const db = world();
		db.insert(s.institutions).values({ id: 'inst-evil', name: '=HYPERLINK("http://x","点我")' }).run();
		createDirectoryEntry(db, OFFICE, { ...ENTRY, institutionId: 'inst-evil', documentNo: '+1' });
		createDirectoryEntry(db, OFFICE, { ...ENTRY, type: 'evaluation' });
		const body = await exportDirectory(db, OFFICE, { type: 'training' }, DAY);
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load(body as unknown as ArrayBuffer);
		const ws = wb.getWorksheet('机构目录')!;
		expect(ws.rowCount).toBe(2);
		expect(ws.getRow(1).getCell(2).value).toBe('机构名称');
		expect(ws.getRow(2).getCell(2).value).toBe(`'=HYPERLINK("http://x","点我")`);
		expect(ws.getRow(2).getCell(10).value).toBe(`'+1`);
		expect(ws.getRow(2).getCell(8).value).toBe('2025-08-31');
		expect(lastAudit(db)).toMatchObject({ action: 'directory.export', detail: { filter: { type: 'training' }, rows: 1 } });
	});
});
