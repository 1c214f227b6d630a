/** The audit log download (CSV and Excel) of the office and the observer. */
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { memoryDb } from '../../src/lib/server/db';
import { audit, keyedEntryHash, verifyAudit, SYSTEM_ACTOR } from '../../src/lib/server/audit';
import { requireKeys } from '../../src/lib/server/keys';
import { auditExportRows, renderAuditCsv, renderAuditWorkbook, AUDIT_COLUMNS } from '../../src/lib/server/export/audit';
import { auditExportResponse } from '../../src/lib/server/services/audit-export';

function world() {
	const db = memoryDb();
	db.transaction((tx) => {
		audit(tx, { userId: 'u1', name: 'office' }, 'user.login', 'user', 'u1', null);
		audit(tx, { userId: 'u1', name: 'office' }, 'application.return', 'application', 'app-1', { reason: '材料不全, 请补"营业执照"\n第二行' });
		audit(tx, SYSTEM_ACTOR, 'institution.rename', 'institution', 'inst-1', '=HYPERLINK("http://x","点我")');
	});
	return db;
}

/** RFC 4180 reader, enough for the test. */
function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (quoted) {
			if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
			else if (c === '"') quoted = false;
			else field += c;
		} else if (c === '"') quoted = true;
		else if (c === ',') row.push(field), (field = '');
		else if (c === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
		else field += c;
	}
	return rows;
}

describe('audit log export', () => {
	it('CSV: BOM, CRLF, quoted fields, hashes that re-verify, formulas neutralised', () => {
		const db = world();
		const buf = renderAuditCsv(auditExportRows(db));
		const text = buf.toString('utf8');
		expect(text.startsWith('\uFEFF')).toBe(true);
		const rows = parseCsv(text.slice(1));
		expect(rows[0]).toEqual([...AUDIT_COLUMNS]);
		expect(rows).toHaveLength(4);
		expect(rows.map((r) => r[0])).toEqual(['序号', '1', '2', '3']);
		expect(rows[2][4]).toBe('application.return');
		expect(rows[2][7]).toBe('{"reason":"材料不全, 请补\\"营业执照\\"\\n第二行"}');
		expect(rows[3][7]).toBe(`'=HYPERLINK("http://x","点我")`);
		// With the audit key, the exported fields recompute the stored HMAC-SM3 and link to the previous row.
		const key = requireKeys(db).audit;
		for (let i = 1; i <= 2; i++) {
			const [id, at, actor, userId, action, entity, entityId, detail, prevHash, hash] = rows[i];
			expect(keyedEntryHash(key, { id: Number(id), prevHash, at, actor, userId: userId || null, action, entity: entity || null, entityId: entityId || null, detail: detail || null })).toBe(hash);
			expect(rows[i + 1][8]).toBe(hash);
			expect(Number(id)).toBe(i);
		}
	});

	it('filters by action prefix like the page', () => {
		const db = world();
		expect(auditExportRows(db, 'application').map((r) => r.action)).toEqual(['application.return']);
		expect(auditExportRows(db, 'user.%').map((r) => r.action)).toEqual(['user.login']);
		expect(auditExportRows(db, 'nothing')).toEqual([]);
	});

	it('Excel: one row per entry in chain order, text stays text, a note sheet with the check', async () => {
		const db = world();
		const buf = await renderAuditWorkbook(auditExportRows(db), verifyAudit(db), new Date('2026-01-02T03:04:05Z'));
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load(buf as unknown as ArrayBuffer);
		const ws = wb.getWorksheet('审计日志')!;
		expect(ws.rowCount).toBe(4);
		expect(ws.getRow(1).getCell(1).value).toBe('序号');
		expect(ws.getRow(2).getCell(1).value).toBe(1);
		expect(ws.getRow(4).getCell(8).value).toBe(`'=HYPERLINK("http://x","点我")`);
		expect(ws.getRow(4).getCell(8).formula).toBeUndefined();
		const note = wb.getWorksheet('说明')!;
		expect(String(note.getRow(3).getCell(2).value)).toMatch(/^通过：共 3 条记录/);
	});

	it('the download names the format, refuses bad parameters and records itself in the log', async () => {
		const db = world();
		const res = await auditExportResponse(db, new URL('http://x/office/audit/export?format=csv'), { userId: 'u9', name: 'observer' });
		expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="audit-\d{4}-\d{2}-\d{2}\.csv"/);
		expect(parseCsv((await res.text()).replace(/^\uFEFF/, ''))).toHaveLength(4);
		const last = auditExportRows(db).at(-1)!;
		expect(last).toMatchObject({ action: 'audit.export', actor: 'observer', detail: '{"format":"csv","action":null,"entries":3}' });
		expect(verifyAudit(db).problems).toEqual([]);
		const xlsx = await auditExportResponse(db, new URL('http://x/o/audit/export?format=xlsx&action=user'), { userId: 'u9', name: 'observer' });
		expect(xlsx.headers.get('content-type')).toMatch(/spreadsheetml/);
		// The Excel download adds a last column 说明 with the entry as a sentence; the record columns stay as they are.
		const book = new ExcelJS.Workbook();
		await book.xlsx.load((await xlsx.arrayBuffer()) as ArrayBuffer);
		const sheet = book.getWorksheet('审计日志')!;
		expect(sheet.getRow(1).values).toEqual([undefined, ...AUDIT_COLUMNS, '说明']);
		for (let i = 2; i <= sheet.rowCount; i++) {
			const said = String(sheet.getRow(i).getCell(AUDIT_COLUMNS.length + 1).value);
			expect(said).toMatch(/[\u4e00-\u9fff]/);
			expect(said).not.toContain(String(sheet.getRow(i).getCell(5).value));
		}
		// The audit administrator filters by actor: only that actor's entries, and the filter is recorded.
		const mine = await auditExportResponse(db, new URL('http://x/audit/export?format=csv&actor=office'), { userId: 'u8', name: 'auditadmin' });
		const rows = parseCsv((await mine.text()).replace(/^\uFEFF/, '')).slice(1);
		expect(rows.map((r) => r[2])).toEqual(['office', 'office']);
		expect(auditExportRows(db).at(-1)).toMatchObject({ actor: 'auditadmin', detail: '{"format":"csv","action":null,"actor":"office","entries":2}' });
		expect(auditExportRows(db, null, 'office')).toHaveLength(2);
		for (const bad of ['format=pdf', 'format=csv&action=' + 'a'.repeat(61), 'format=csv&action=%27%3B--', 'format=csv&actor=%27%3B--', 'format=csv&actor=' + 'a'.repeat(61)]) {
			await expect(auditExportResponse(db, new URL(`http://x/a?${bad}`), SYSTEM_ACTOR)).rejects.toMatchObject({ status: 400 });
		}
	});
});
