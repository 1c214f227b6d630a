/**
 * The Excel intake template (申报信息采集表): one row per application on 申报信息, one sheet per
 * repeatable section keyed by the application id, dropdowns for every list column, a hidden 选项
 * sheet holding the lists. Given applications it comes pre-filled, so it doubles as the export of
 * the application list: export → import gives the same applications and institutions back.
 */
import ExcelJS from 'exceljs';
import { escapeCellText } from './cell-text';
import type { Application, Institution } from '../../domain/bundle';
import {
	LISTS,
	SHEETS,
	SHEET_EVALUATION,
	SHEET_LISTS,
	SHEET_MAIN,
	SHEET_PEOPLE,
	SHEET_README,
	SHEET_TAXES,
	SHEET_TRAINING,
	SHEET_VENUES,
	listLabel,
	mainRowValues,
	type Column,
	type ListName,
	type RowValues,
	type SheetLayout
} from './intake-layout';

export type IntakeTemplateOptions = { applications?: { app: Application; institution: Institution }[] };

type Validation = {
	type: 'list' | 'whole' | 'decimal';
	allowBlank: boolean;
	operator?: 'greaterThanOrEqual';
	formulae: (string | number)[];
	showErrorMessage: boolean;
	errorStyle: 'stop';
	errorTitle: string;
	error: string;
};
/** exceljs keeps range validations in `worksheet.dataValidations`, which its typings omit. */
type WithValidations = { dataValidations: { add(range: string, v: Validation): void } };

const HEADER_FILL = 'FFDDEBF7';
const REQUIRED_FILL = 'FFFCE4D6';
const thin = { style: 'thin' as const, color: { argb: 'FF9E9E9E' } };

function columnLetter(n: number): string {
	let s = '';
	for (; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
	return s;
}

/** Where each dropdown list lives on the hidden 选项 sheet (one column per list). */
function listRanges(): Record<ListName, string> {
	const ranges = {} as Record<ListName, string>;
	(Object.keys(LISTS) as ListName[]).forEach((name, i) => {
		const L = columnLetter(i + 1);
		ranges[name] = `'${SHEET_LISTS}'!$${L}$2:$${L}$${LISTS[name].length + 1}`;
	});
	return ranges;
}

function writeLists(wb: ExcelJS.Workbook) {
	const ws = wb.addWorksheet(SHEET_LISTS, { state: 'hidden' });
	(Object.keys(LISTS) as ListName[]).forEach((name, i) => {
		const items = LISTS[name];
		ws.getCell(1, i + 1).value = name;
		items.forEach((item, k) => (ws.getCell(k + 2, i + 1).value = item.label));
		ws.getColumn(i + 1).width = Math.max(12, ...items.map((x) => x.label.length * 2));
	});
}

function cellValue(col: Column, v: RowValues[string] | undefined): ExcelJS.CellValue {
	if (v === null || v === undefined) return null;
	switch (col.kind) {
		case 'bool':
			return v ? '是' : '否';
		case 'enum':
			return listLabel(col.list!, v as string | boolean);
		case 'industry':
			return listLabel('industry', v as string);
		case 'int':
		case 'num':
			return v as number;
		default:
			// Against formula injection; the import strips exactly this (import/xlsx.ts).
			return escapeCellText(String(v));
	}
}

function addSheet(wb: ExcelJS.Workbook, layout: SheetLayout, lists: Record<ListName, string>, rows: RowValues[]) {
	const ws = wb.addWorksheet(layout.name, {
		views: [{ state: 'frozen', xSplit: 1, ySplit: 1, activeCell: 'B2' }]
	});
	ws.columns = layout.columns.map((c) => ({
		key: c.key,
		width: c.width ?? 14,
		// Text cells stay text when typed into (identity numbers, phone numbers, dates as YYYY-MM-DD).
		style: ['id', 'text', 'code', 'narrative', 'date'].includes(c.kind) ? { numFmt: '@' } : {}
	}));
	const header = ws.getRow(1);
	layout.columns.forEach((c, i) => {
		const cell = header.getCell(i + 1);
		cell.value = c.header;
		cell.font = { bold: true, color: { argb: c.required ? 'FFC00000' : 'FF000000' } };
		cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: c.required ? REQUIRED_FILL : HEADER_FILL } };
		cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
		cell.border = { top: thin, left: thin, bottom: thin, right: thin };
		cell.note = (c.required ? '【必填】' : '') + c.note;
	});
	header.height = 42;

	const last = layout.rows;
	const dv = (ws as unknown as WithValidations).dataValidations;
	layout.columns.forEach((c, i) => {
		const L = columnLetter(i + 1);
		const range = `${L}2:${L}${last}`;
		const base = { allowBlank: true, showErrorMessage: true, errorStyle: 'stop' as const, errorTitle: c.header };
		if (c.list) {
			dv.add(range, { ...base, type: 'list', formulae: [lists[c.list]], error: `请从下拉列表中选择「${c.header}」` });
		} else if (c.kind === 'int') {
			dv.add(range, { ...base, type: 'whole', operator: 'greaterThanOrEqual', formulae: [0], error: `「${c.header}」应为不小于 0 的整数` });
		} else if (c.kind === 'num') {
			dv.add(range, { ...base, type: 'decimal', operator: 'greaterThanOrEqual', formulae: [0], error: `「${c.header}」应为不小于 0 的数字` });
		}
	});

	for (const values of rows) {
		const row = ws.addRow(layout.columns.map((c) => cellValue(c, values[c.key])));
		layout.columns.forEach((c, i) => {
			if (c.kind === 'narrative') row.getCell(i + 1).alignment = { wrapText: true, vertical: 'top' };
		});
	}
	return ws;
}

function writeReadme(wb: ExcelJS.Workbook) {
	const ws = wb.addWorksheet(SHEET_README);
	ws.columns = [{ width: 18 }, { width: 34 }, { width: 8 }, { width: 90 }];
	const title = ws.addRow(['数字技术工程师培育项目 培训机构和评价机构 申报信息采集表']);
	title.font = { bold: true, size: 16 };
	ws.mergeCells(1, 1, 1, 4);
	ws.addRow([]);
	const lines = [
		'一、每个申报占「申报信息」表的一行。一家单位申报一个职业、一种机构类型为一个申报（“仅填一项”）；同一单位申报多个职业或两种机构类型，请分行填写。',
		'二、「申报编号」由推荐单位自行编写（如 sy-ai-01），只能包含字母、数字和 . _ : -，以字母或数字开头，文件内不得重复。「纳税情况」「培训规模」「考核评价规模」「场地设施」「人员」各表用申报编号与申报对应，每个申报可填多行。',
		'三、「机构编号」可以留空：留空时按统一社会信用代码生成（inst-统一社会信用代码），数据库中已有同一信用代码的机构时沿用其编号。同一单位的多行申报，单位信息（单位名称至国家职业标准开发单位各列）只需在第一行填写，其余行可留空；再次填写的必须与第一行一致。',
		'四、带下拉箭头的列请从列表中选择；“是/否”列留空表示未填写。专业技术等级：「初级」「中级」「高级」三列分别选择“是”或“否”。',
		'五、日期一律写成 YYYY-MM-DD（如 2012-03-01）；金额单位为万元（培训费用为元/学时，考核费用为元/次）；人数、年份填写整数。',
		'六、统一社会信用代码、身份证号、电话等列已设为文本格式，请勿改为数值格式（Excel 会丢失 15 位以后的数字）。',
		'七、所属行业：选择 GB/T 4754—2017 门类；可在「所属行业大类代码」中填写两位大类代码（须属于该门类，如 I 门类下的 65）。',
		'八、纳税情况属于单位：同一单位有多个申报时，只需在其中一个申报编号下填写近三年纳税情况（多处填写的必须完全一致）。',
		'九、「人员」表：培训机构填写培训教师（人员性质：专职师资/兼职师资），评价机构填写命题专家；「人员类别」留空时按申报类型确定。',
		'十、字数限制（不计空白）：单位基本情况 800 字，信息化平台建设情况 300 字，已有培训（考核评价）情况 500 字，团队建设机制 500 字，下步工作规划 800 字。超出时可以导入，形式审查会提示。',
		'十一、导入：在工作台上传本文件，或命令行 import 文件.xlsx。任一单元格有误时整份文件都不导入，错误信息指出工作表、行号和列名；按申报编号更新，重复导入不会重复添加。',
		'十二、请勿修改表头文字和工作表名称，可以调整列宽、增加行；带红色表头的列为必填。'
	];
	for (const line of lines) {
		const row = ws.addRow([line]);
		ws.mergeCells(row.number, 1, row.number, 4);
		row.getCell(1).alignment = { wrapText: true, vertical: 'top' };
		row.height = 34;
	}
	ws.addRow([]);
	const head = ws.addRow(['工作表', '列', '必填', '填写说明']);
	head.font = { bold: true };
	head.eachCell((c) => (c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: HEADER_FILL } }));
	for (const sheet of SHEETS) {
		for (const c of sheet.columns) {
			const options = c.list ? `（可选：${LISTS[c.list].map((x) => x.label).join('、')}）` : '';
			const row = ws.addRow([sheet.name, c.header, c.required ? '是' : '', c.note + options]);
			row.getCell(4).alignment = { wrapText: true, vertical: 'top' };
		}
	}
}

/** Renders the intake workbook, pre-filled with `applications` when given. */
export async function renderIntakeTemplate(opts: IntakeTemplateOptions = {}): Promise<Buffer> {
	const wb = new ExcelJS.Workbook();
	wb.creator = '评审工作台';
	wb.title = '数字技术工程师培育项目 申报信息采集表';
	writeReadme(wb);
	const lists = listRanges();

	const items = opts.applications ?? [];
	const rows: Record<string, RowValues[]> = Object.fromEntries(SHEETS.map((s) => [s.name, []]));
	const taxesWritten = new Set<string>();
	for (const { app, institution } of items) {
		rows[SHEET_MAIN].push(mainRowValues(app, institution));
		// Taxes belong to the institution: written once, under its first application.
		if (!taxesWritten.has(institution.id)) {
			taxesWritten.add(institution.id);
			for (const t of institution.taxes) rows[SHEET_TAXES].push({ applicationId: app.id, ...t });
		}
		for (const y of app.trainingYears) rows[SHEET_TRAINING].push({ applicationId: app.id, ...y });
		for (const y of app.evaluationYears) rows[SHEET_EVALUATION].push({ applicationId: app.id, ...y });
		for (const v of app.venues) rows[SHEET_VENUES].push({ applicationId: app.id, ...v });
		for (const p of app.people) rows[SHEET_PEOPLE].push({ applicationId: app.id, ...p });
	}
	for (const layout of SHEETS) addSheet(wb, layout, lists, rows[layout.name]);
	writeLists(wb);
	wb.views = [{ x: 0, y: 0, width: 20000, height: 12000, firstSheet: 0, activeTab: 1, visibility: 'visible' }];
	return Buffer.from(await wb.xlsx.writeBuffer());
}

export { SHEET_EVALUATION, SHEET_MAIN, SHEET_PEOPLE, SHEET_README, SHEET_TAXES, SHEET_TRAINING, SHEET_VENUES };
