/**
 * The directory (机构目录) as an Excel workbook: one row per entry, the header frozen and
 * filterable; every text cell goes through `escapeCellText` (formula injection), so a hostile
 * institution name or 文号 stays text.
 */
import ExcelJS from 'exceljs';
import { escapeCellText } from './cell-text';
import { occupationLabel } from '../../domain/occupations';
import { APPLICATION_TYPES, LEVELS, labelOf } from '../../domain/vocabulary';
import { VALIDITY_LABELS } from '../../domain/directory';
import { directorySource, type DirectoryListing } from '../queries/directory';

const COLUMNS: { header: string; width: number }[] = [
	{ header: '序号', width: 6 },
	{ header: '机构名称', width: 36 },
	{ header: '统一社会信用代码', width: 22 },
	{ header: '职业', width: 26 },
	{ header: '类型', width: 10 },
	{ header: '等级', width: 16 },
	{ header: '有效期起', width: 12 },
	{ header: '有效期止', width: 12 },
	{ header: '状态', width: 10 },
	{ header: '文号', width: 24 },
	{ header: '来源批次', width: 16 },
	{ header: '备注', width: 30 },
	{ header: '来源', width: 40 }
];

export function directoryRowValues(e: DirectoryListing, i: number): (string | number)[] {
	return [
		i + 1,
		e.institutionName,
		e.uscc ?? '',
		occupationLabel(e.occupation),
		labelOf(APPLICATION_TYPES, e.type),
		e.levels.map((l) => labelOf(LEVELS, l)).join('、'),
		e.validFrom,
		e.validTo ?? '长期',
		VALIDITY_LABELS[e.validity],
		e.documentNo ?? '',
		e.batchName ?? '手工录入',
		e.note ?? '',
		directorySource(e)
	];
}

export async function renderDirectoryWorkbook(rows: DirectoryListing[], day: string): Promise<Buffer> {
	const wb = new ExcelJS.Workbook();
	wb.title = '机构目录';
	wb.subject = `机构目录（状态按 ${day} 计）`;
	const ws = wb.addWorksheet('机构目录', { views: [{ state: 'frozen', ySplit: 1, activeCell: 'A2' }] });
	ws.columns = COLUMNS.map((c) => ({ width: c.width }));
	const header = ws.addRow(COLUMNS.map((c) => c.header));
	header.font = { bold: true, name: '宋体' };
	header.eachCell((cell) => {
		cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7E6E6' } };
	});
	rows.forEach((e, i) => ws.addRow(directoryRowValues(e, i).map((v) => (typeof v === 'string' ? escapeCellText(v) : v))));
	ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: COLUMNS.length } };
	return Buffer.from(await wb.xlsx.writeBuffer());
}
