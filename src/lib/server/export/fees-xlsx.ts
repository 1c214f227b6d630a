/**
 * The 劳务费签领表 as an Excel workbook: 签领表 (per meeting day the experts paid, with a signature
 * column, a subtotal per day and the batch's total) and 按专家汇总 (one line per expert). Amounts and
 * days are numbers (2-decimal format), ID numbers text; every text cell goes through
 * `escapeCellText` (formula injection). Printable on A4 landscape, header rows repeated.
 */
import ExcelJS from 'exceljs';
import { escapeCellText } from './cell-text';
import { DAY_LENGTH_LABELS, TITLE_CLASS_LABELS, UNPAID_REASONS, formatYuan } from '../../domain/fees';
import type { FeeSheetView } from '../queries/fees';

type Value = string | number | null;
type Column = { header: string; width: number; numFmt?: string; center?: boolean };

const FONT = '宋体';
const MONEY = '#,##0.00';
const DAYS = '0.0';
const THIN: Partial<ExcelJS.Borders> = {
	top: { style: 'thin' },
	bottom: { style: 'thin' },
	left: { style: 'thin' },
	right: { style: 'thin' }
};
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7E6E6' } };

const text = (v: string | null | undefined) => escapeCellText(v ?? '');
const shortDate = (d: string) => `${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;

function standardLine(v: FeeSheetView): string {
	return `发放标准（税后）：高级职称人员 ${formatYuan(v.standard.senior)} 元/人天，其他专业人员 ${formatYuan(v.standard.other)} 元/人天（财科教〔2017〕128号）；半天按半天计，早退、因未申报的利益冲突回避退出者不发放。`;
}

function titled(wb: ExcelJS.Workbook, name: string, title: string, v: FeeSheetView, columns: Column[]): ExcelJS.Worksheet {
	const ws = wb.addWorksheet(name, {
		pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '3:3', horizontalCentered: true },
		views: [{ state: 'frozen', ySplit: 3, activeCell: 'A4' }]
	});
	ws.columns = columns.map((c) => ({ width: c.width }));
	ws.mergeCells(1, 1, 1, columns.length);
	const t = ws.getCell(1, 1);
	t.value = text(title);
	t.font = { name: FONT, size: 16, bold: true };
	t.alignment = { horizontal: 'center', vertical: 'middle' };
	ws.getRow(1).height = 30;
	ws.mergeCells(2, 1, 2, columns.length);
	const sub = ws.getCell(2, 1);
	sub.value = text(standardLine(v));
	sub.font = { name: FONT, size: 10 };
	sub.alignment = { wrapText: true, vertical: 'middle' };
	ws.getRow(2).height = 30;
	const header = ws.getRow(3);
	columns.forEach((c, i) => {
		const cell = header.getCell(i + 1);
		cell.value = text(c.header);
		cell.font = { name: FONT, bold: true };
		cell.fill = HEADER_FILL;
		cell.border = THIN;
		cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
	});
	header.height = 30;
	return ws;
}

function addRow(ws: ExcelJS.Worksheet, columns: Column[], values: Value[], opts: { bold?: boolean } = {}): ExcelJS.Row {
	const row = ws.addRow(values.map((x) => (typeof x === 'string' ? text(x) : x)));
	row.height = 28;
	columns.forEach((c, i) => {
		const cell = row.getCell(i + 1);
		cell.border = THIN;
		cell.font = { name: FONT, bold: opts.bold ?? false };
		cell.alignment = { vertical: 'middle', wrapText: true, horizontal: c.center ? 'center' : undefined };
		if (c.numFmt && typeof values[i] === 'number') cell.numFmt = c.numFmt;
		if (c.header === '身份证号') cell.numFmt = '@';
	});
	return row;
}

const DAY_COLUMNS: Column[] = [
	{ header: '序号', width: 6, center: true },
	{ header: '日期', width: 11, center: true },
	{ header: '姓名', width: 10, center: true },
	{ header: '职称', width: 14 },
	{ header: '工作单位', width: 28 },
	{ header: '身份证号', width: 21 },
	{ header: '天数', width: 7, numFmt: DAYS, center: true },
	{ header: '标准（元/人天）', width: 11, numFmt: MONEY },
	{ header: '金额（元）', width: 12, numFmt: MONEY },
	{ header: '签领人签字', width: 16 }
];

const EXPERT_COLUMNS: Column[] = [
	{ header: '序号', width: 6, center: true },
	{ header: '姓名', width: 10, center: true },
	{ header: '职称', width: 14 },
	{ header: '类别', width: 12, center: true },
	{ header: '工作单位', width: 28 },
	{ header: '身份证号', width: 21 },
	{ header: '天数', width: 7, numFmt: DAYS, center: true },
	{ header: '标准（元/人天）', width: 11, numFmt: MONEY },
	{ header: '金额（元）', width: 12, numFmt: MONEY },
	{ header: '备注', width: 18 },
	{ header: '签领人签字', width: 16 }
];

export async function renderFeeWorkbook(v: FeeSheetView): Promise<Buffer> {
	const wb = new ExcelJS.Workbook();
	wb.creator = '评审工作台';
	wb.created = new Date(0);

	const ws = titled(wb, '签领表', `${v.batch.name}评审会专家劳务费签领表`, v, DAY_COLUMNS);
	let n = 0;
	for (const day of v.days) {
		const date = `${shortDate(day.date)}${day.length === 1 ? '' : `（${DAY_LENGTH_LABELS[String(day.length)]}）`}`;
		for (const l of day.paid) addRow(ws, DAY_COLUMNS, [++n, date, l.name, l.title ?? '', l.workUnit ?? '', v.idNumbers[l.expertId] ?? '', l.days, l.rate, l.amount, '']);
		const notes = day.unpaid.map((l) => `${l.name}（${UNPAID_REASONS[l.status] ?? ''}）`).join('；');
		addRow(ws, DAY_COLUMNS, ['', date, '本日小计', notes ? `未发放：${notes}` : '', '', '', day.days, null, day.amount, ''], { bold: true });
	}
	addRow(ws, DAY_COLUMNS, ['', '', '合计', `${v.total.experts} 人`, '', '', v.total.days, null, v.total.amount, ''], { bold: true });

	const es = titled(wb, '按专家汇总', `${v.batch.name}评审会专家劳务费汇总`, v, EXPERT_COLUMNS);
	let k = 0;
	for (const e of v.experts) {
		const note = e.unpaidDays.length ? `${e.unpaidDays.map(shortDate).join('、')}未发放` : '';
		addRow(es, EXPERT_COLUMNS, [++k, e.name, e.title ?? '', TITLE_CLASS_LABELS[e.class], e.workUnit ?? '', v.idNumbers[e.expertId] ?? '', e.days, e.rate, e.amount, note, '']);
	}
	addRow(es, EXPERT_COLUMNS, ['', '合计', `${v.total.experts} 人`, '', '', '', v.total.days, null, v.total.amount, '', ''], { bold: true });

	for (const sheet of [ws, es]) {
		const last = sheet.rowCount + 2;
		sheet.getCell(last, 1).value = '经办人：                    审核人：                    监督人：                    日期：';
		sheet.getCell(last, 1).font = { name: FONT };
		sheet.mergeCells(last, 1, last, sheet.columnCount);
	}
	return Buffer.from(await wb.xlsx.writeBuffer());
}
