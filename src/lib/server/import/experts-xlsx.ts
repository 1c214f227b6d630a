/**
 * The Excel expert list (专家名单): one expert per row under the headers 编号 姓名 工作单位 职称
 * 可评审职业 地区 电话 邮箱, a 填写说明 sheet, a dropdown of the regions. The same layout is the
 * template the office downloads (empty, or filled with the pool) and the file it uploads; reading
 * it back checks every row with the expert form's rules and names the row and column of each problem.
 */
import ExcelJS from 'exceljs';
import { openUserWorkbook, unreadableWorkbook } from './workbook';
import { escapeCellText, unescapeCellText } from '../export/cell-text';
import { OCCUPATIONS, occupationShort } from '../../domain/occupations';
import { REGIONS, regionLabel } from '../../domain/regions';
import { EXPERT_ID_PATTERN, expertFormSchema, parseOccupationList, parseRegion, type ExpertFormInput, type ExpertFormValues } from '../../domain/experts';
import type { Expert } from '../../domain/bundle';

export const EXPERT_SHEET = '专家名单';
export const EXPERT_README = '填写说明';

/** The columns in order: header text, form field, required, width. */
export const EXPERT_COLUMNS = [
	{ header: '编号', field: 'id', required: false, width: 12, hint: '留空则自动编号（exp-NN）；与已有编号相同则更新该专家' },
	{ header: '姓名', field: 'name', required: true, width: 10, hint: '必填' },
	{ header: '工作单位', field: 'workUnit', required: true, width: 36, hint: '必填，可写到院系或部门，如“东北大学计算机科学与工程学院”' },
	{ header: '职称', field: 'title', required: false, width: 14, hint: '如 教授、正高级工程师' },
	{ header: '可评审职业', field: 'occupations', required: true, width: 28, hint: '必填，多个用顿号分隔，如“人工智能、大数据”' },
	{ header: '地区', field: 'region', required: false, width: 10, hint: '下拉选择，如 沈阳、大连' },
	{ header: '电话', field: 'phone', required: false, width: 16, hint: '11 位手机号，或带区号的固定电话（024-23456789）' },
	{ header: '邮箱', field: 'email', required: false, width: 26, hint: '如 name@example.com' }
] as const satisfies readonly { header: string; field: keyof ExpertFormInput; required: boolean; width: number; hint: string }[];

export type ExpertRowError = { row: number | null; column: string | null; message: string };
export type ExpertRow = { row: number; values: ExpertFormValues };

const MAX_ROWS = 2000;
const MAX_ERRORS = 100;

/** The template, empty or filled with `experts` (then it doubles as the export of the pool). */
export async function renderExpertWorkbook(experts: Expert[] = []): Promise<Buffer> {
	const wb = new ExcelJS.Workbook();
	wb.creator = '评审工作台';
	const ws = wb.addWorksheet(EXPERT_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
	ws.columns = EXPERT_COLUMNS.map((c) => ({ header: c.header, key: c.field, width: c.width }));
	const header = ws.getRow(1);
	header.font = { bold: true };
	header.height = 20;
	EXPERT_COLUMNS.forEach((c, i) => {
		const cell = header.getCell(i + 1);
		cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: c.required ? 'FFFCE4D6' : 'FFDDEBF7' } };
		cell.note = c.hint;
	});
	// Phones and ids are text: a leading 0 must survive.
	for (const key of ['id', 'phone']) ws.getColumn(key).numFmt = '@';
	for (const e of experts) {
		// Text against formula injection (export/cell-text.ts); text() below strips exactly this on import.
		const t = escapeCellText;
		ws.addRow({
			id: t(e.id),
			name: t(e.name),
			workUnit: t(e.workUnit ?? ''),
			title: t(e.title ?? ''),
			occupations: e.occupations.map(occupationShort).join('、'),
			region: e.region ? regionLabel(e.region) : '',
			phone: t(e.phone ?? ''),
			email: t(e.email ?? '')
		});
	}
	const regionCol = EXPERT_COLUMNS.findIndex((c) => c.field === 'region') + 1;
	const letter = String.fromCharCode(64 + regionCol);
	(ws as unknown as { dataValidations: { add(range: string, v: object): void } }).dataValidations.add(`${letter}2:${letter}${MAX_ROWS + 1}`, {
		type: 'list',
		allowBlank: true,
		formulae: [`"${REGIONS.map((r) => r.label).join(',')}"`],
		showErrorMessage: true,
		errorStyle: 'stop',
		errorTitle: '地区',
		error: '请从下拉列表中选择地区'
	});

	const help = wb.addWorksheet(EXPERT_README);
	help.getColumn(1).width = 16;
	help.getColumn(2).width = 90;
	help.addRow(['专家名单填写说明']).font = { bold: true, size: 13 };
	help.addRow([]);
	for (const c of EXPERT_COLUMNS) help.addRow([c.header + (c.required ? '（必填）' : ''), c.hint]);
	help.addRow([]);
	help.addRow(['可评审职业', OCCUPATIONS.map((o) => o.short).join('、')]);
	help.addRow(['地区', REGIONS.map((r) => r.label).join('、')]);
	help.addRow([]);
	help.addRow(['导入规则', '任一行有错误时整个文件都不导入，错误信息会指出行号和列名；改正后重新上传即可。']);
	return Buffer.from(await wb.xlsx.writeBuffer());
}

function text(v: ExcelJS.CellValue | undefined): string {
	if (v === null || v === undefined) return '';
	if (typeof v === 'string') return unescapeCellText(v.trim());
	if (typeof v === 'number') return Number.isSafeInteger(v) || !Number.isInteger(v) ? String(v) : v.toFixed(0);
	if (typeof v === 'boolean') return v ? '是' : '否';
	if (v instanceof Date) return v.toISOString().slice(0, 10);
	if (typeof v === 'object') {
		if ('richText' in v) return unescapeCellText(v.richText.map((r) => r.text).join('').trim());
		if ('text' in v && typeof (v as { text: unknown }).text === 'string') return String((v as { text: string }).text).trim();
		if ('result' in v) return text((v as { result?: ExcelJS.CellValue }).result);
	}
	return String(v).trim();
}

const normHeader = (s: string) =>
	s
		.normalize('NFKC')
		.replace(/\(必填\)/g, '')
		.replace(/[\s*]/g, '');

/** Reads the expert list; returns the valid rows and every problem found (nothing thrown). */
export async function parseExpertWorkbook(buf: Buffer, fileName = '上传的工作簿'): Promise<{ rows: ExpertRow[]; errors: ExpertRowError[] }> {
	// Checked (zip bombs), repaired when another program saved it, opened; else one Chinese sentence.
	const opened = await openUserWorkbook(buf, fileName);
	if ('problem' in opened) return { rows: [], errors: [{ row: null, column: null, message: opened.problem }] };
	try {
		return readExpertRows(opened.wb);
	} catch {
		// A workbook exceljs opened but cannot walk (a shape no writer we know produces): the sentence, not a JS error.
		return { rows: [], errors: [{ row: null, column: null, message: unreadableWorkbook(fileName) }] };
	}
}

function readExpertRows(wb: ExcelJS.Workbook): { rows: ExpertRow[]; errors: ExpertRowError[] } {
	const ws = wb.getWorksheet(EXPERT_SHEET) ?? wb.worksheets.find((w) => w.name !== EXPERT_README);
	if (!ws) return { rows: [], errors: [{ row: null, column: null, message: `工作簿中没有“${EXPERT_SHEET}”工作表` }] };

	const errors: ExpertRowError[] = [];
	const columnOf = new Map<string, number>();
	ws.getRow(1).eachCell((cell, col) => {
		const h = normHeader(text(cell.value));
		const c = EXPERT_COLUMNS.find((x) => x.header === h);
		if (c && !columnOf.has(c.field)) columnOf.set(c.field, col);
	});
	for (const c of EXPERT_COLUMNS) {
		if (c.required && !columnOf.has(c.field)) errors.push({ row: 1, column: c.header, message: `缺少“${c.header}”列（请使用下载的模板）` });
	}
	if (errors.length) return { rows: [], errors };
	if (ws.rowCount > MAX_ROWS + 1) return { rows: [], errors: [{ row: null, column: null, message: `一次最多导入 ${MAX_ROWS} 位专家` }] };

	const rows: ExpertRow[] = [];
	const idRows = new Map<string, number>();
	const headerOf = (field: string) => EXPERT_COLUMNS.find((c) => c.field === field)!.header;
	for (let r = 2; r <= ws.rowCount && errors.length < MAX_ERRORS; r++) {
		const row = ws.getRow(r);
		const cell = (field: string) => (columnOf.has(field) ? text(row.getCell(columnOf.get(field)!).value) : '');
		const raw = Object.fromEntries(EXPERT_COLUMNS.map((c) => [c.field, cell(c.field)])) as Record<(typeof EXPERT_COLUMNS)[number]['field'], string>;
		if (Object.values(raw).every((v) => v === '')) continue;
		const rowErrors: ExpertRowError[] = [];
		const err = (field: string, message: string) => rowErrors.push({ row: r, column: headerOf(field), message });

		const occ = parseOccupationList(raw.occupations);
		if (occ.unknown.length) err('occupations', `不认识的职业“${occ.unknown.join('、')}”（可用：${OCCUPATIONS.map((o) => o.short).join('、')}）`);
		const region = raw.region === '' ? '' : parseRegion(raw.region);
		if (region === null) err('region', `不认识的地区“${raw.region}”（可用：${REGIONS.map((x) => x.label).join('、')}）`);
		if (raw.id && EXPERT_ID_PATTERN.test(raw.id)) {
			const first = idRows.get(raw.id);
			if (first) err('id', `编号 ${raw.id} 与第 ${first} 行重复`);
			else idRows.set(raw.id, r);
		}
		const parsed = expertFormSchema.safeParse({ ...raw, occupations: occ.keys, region: region ?? '' });
		if (!parsed.success) {
			for (const issue of parsed.error.issues) {
				const field = String(issue.path[0] ?? 'name');
				if (field === 'occupations' && occ.unknown.length) continue;
				if (!rowErrors.some((e) => e.column === headerOf(field))) err(field, issue.message);
			}
		}
		if (rowErrors.length) errors.push(...rowErrors);
		else if (parsed.success) rows.push({ row: r, values: parsed.data });
	}
	return { rows, errors: errors.slice(0, MAX_ERRORS) };
}
