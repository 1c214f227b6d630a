/**
 * The audit log as a download for the office and the observer: CSV (UTF-8 with BOM, CRLF, RFC 4180
 * quoting, so Excel opens the Chinese text) or an .xlsx workbook. Every entry keeps its previous
 * hash and its own hash, so the chain can be re-checked outside the workbench. Text a spreadsheet
 * would run as a formula gets a leading apostrophe (CSV/formula injection).
 */
import ExcelJS from 'exceljs';
import { and, asc, eq, like, type SQL } from 'drizzle-orm';
import type { Db } from '../db';
import { auditLog } from '../db/schema';
import { verifyAudit } from '../audit';
import { escapeCellText } from './cell-text';
import { auditNames } from '../queries/audit';
import { auditReferences, auditSentence } from '../../domain/audit-text';

export type AuditExportRow = typeof auditLog.$inferSelect;
export type AuditExportFormat = 'csv' | 'xlsx';

export const AUDIT_COLUMNS = ['序号', '时间（UTC）', '操作人', '用户编号', '操作', '对象', '对象编号', '详情', '前一条哈希', '哈希'] as const;

/** Every entry in chain order, optionally only actions starting with `action` and of one actor (as the page filters). */
export function auditExportRows(db: Db, action: string | null = null, actor: string | null = null): AuditExportRow[] {
	const where: SQL[] = [];
	if (action) where.push(like(auditLog.action, `${action.replace(/[%_\\]/g, '')}%`));
	if (actor) where.push(eq(auditLog.actor, actor));
	return db
		.select()
		.from(auditLog)
		.where(where.length ? and(...where) : undefined)
		.orderBy(asc(auditLog.id))
		.all();
}

function values(r: AuditExportRow): (string | number)[] {
	return [r.id, r.at, r.actor, r.userId ?? '', r.action, r.entity ?? '', r.entityId ?? '', r.detail ?? '', r.prevHash, r.hash];
}

function csvField(v: string | number): string {
	if (typeof v === 'number') return String(v);
	const text = escapeCellText(v);
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function renderAuditCsv(rows: AuditExportRow[]): Buffer {
	const lines = [AUDIT_COLUMNS.join(','), ...rows.map((r) => values(r).map(csvField).join(','))];
	return Buffer.from('\uFEFF' + lines.join('\r\n') + '\r\n', 'utf8');
}

/** The entries as sentences (domain/audit-text) over the names in the database; `expertNames: false` keeps experts as ids. */
export function auditSentences(db: Db, rows: AuditExportRow[], opts: { expertNames?: boolean } = {}): string[] {
	const refs = auditReferences(rows);
	const names = auditNames(db, opts.expertNames === false ? { ...refs, experts: [] } : refs);
	return rows.map((r) => auditSentence(r, names));
}

/** `sentences` (one per row) adds a last column 说明 for people; the columns before it are the verifiable record. */
export async function renderAuditWorkbook(
	rows: AuditExportRow[],
	verified: ReturnType<typeof verifyAudit>,
	generatedAt = new Date(),
	sentences?: string[]
): Promise<Buffer> {
	const wb = new ExcelJS.Workbook();
	wb.creator = '评审工作台';
	wb.title = '审计日志';
	wb.created = generatedAt;
	const ws = wb.addWorksheet('审计日志', { views: [{ state: 'frozen', ySplit: 1, activeCell: 'A2' }] });
	ws.columns = [8, 25, 14, 30, 24, 14, 18, 60, 20, 20].map((width) => ({ width }));
	if (sentences) ws.getColumn(AUDIT_COLUMNS.length + 1).width = 70;
	const header = ws.addRow(sentences ? [...AUDIT_COLUMNS, '说明'] : [...AUDIT_COLUMNS]);
	header.font = { bold: true };
	header.alignment = { vertical: 'middle', horizontal: 'center' };
	rows.forEach((r, i) => {
		const cells = values(r);
		if (sentences) cells.push(sentences[i] ?? '');
		const row = ws.addRow(cells.map((v) => (typeof v === 'string' ? escapeCellText(v) : v)));
		row.getCell(8).alignment = { wrapText: true, vertical: 'top' };
		if (sentences) row.getCell(AUDIT_COLUMNS.length + 1).alignment = { wrapText: true, vertical: 'top' };
	});
	ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: AUDIT_COLUMNS.length + (sentences ? 1 : 0) } };
	const about = wb.addWorksheet('说明');
	about.columns = [{ width: 18 }, { width: 90 }];
	about.addRows([
		['导出时间（UTC）', generatedAt.toISOString()],
		['记录条数', rows.length],
		['哈希链校验', verified.problems.length === 0 ? `通过：共 ${verified.entries} 条记录，无修改或删除` : `发现 ${verified.problems.length} 处问题`],
		...verified.problems.slice(0, 50).map((p) => [`第 ${p.id} 条`, p.problem]),
		['校验方法', '哈希 = SHA-256(JSON 数组 [前一条哈希, 时间, 操作人, 用户编号, 操作, 对象, 对象编号, 详情])，空单元格为 null；第一条的前一条哈希为 64 个 0'],
		['公式防护', "以 = + - @ 开头的文本前加了撇号 '，以免被当作公式执行；校验哈希时去掉该撇号"]
	]);
	return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The body and headers of the download; `format` and `action` come from the URL. */
export async function auditDownload(db: Db, format: AuditExportFormat, action: string | null, actor: string | null = null, opts: { expertNames?: boolean } = {}) {
	const rows = auditExportRows(db, action, actor);
	const day = new Date().toISOString().slice(0, 10);
	const body = format === 'csv' ? renderAuditCsv(rows) : await renderAuditWorkbook(rows, verifyAudit(db), new Date(), auditSentences(db, rows, opts));
	const type = format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
	return {
		rows: rows.length,
		body,
		headers: {
			'Content-Type': type,
			'Content-Disposition': `attachment; filename="audit-${day}.${format}"; filename*=UTF-8''${encodeURIComponent(`审计日志-${day}.${format}`)}`,
			'Cache-Control': 'no-store'
		}
	};
}
