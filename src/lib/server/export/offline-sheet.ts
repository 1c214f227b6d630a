/**
 * The offline score form (离线评分表): one Excel workbook per expert, one worksheet per assigned,
 * published, non-recused application, to score on a laptop without the network and upload later
 * (import/offline-sheet.ts reads it back). Per worksheet: a header naming the application, one row
 * per criterion (编号, 评分项, 得分, 满分, 本项评语, 评分要点), the total (the only formula of the
 * workbook, for the expert's convenience; the upload ignores it), the overall opinion, and a hidden
 * column with the machine-readable ids (application, sheet version and state, rubric). Only the
 * points and comment cells are unlocked; the sheet is protected without a password against
 * accidental edits of the structure. Submitted sheets are included, fully locked, for reference.
 */
import ExcelJS from 'exceljs';
import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { experts } from '../db/schema';
import { getSheet } from '../services/scoring';
import { expertTasks } from '../queries/reviews';
import type { BatchScope } from '../scope';
import { escapeCellText } from './cell-text';
import { occupationLabel } from '../../domain/occupations';
import { regionLabel } from '../../domain/regions';
import { beijingDateTime } from '../../domain/time';
import type { Rubric } from '../../domain/bundle';

/** Marks a worksheet (and the workbook's hidden _meta sheet) as this system's offline form, layout 1. */
export const OFFLINE_MARKER = 'dte-offline-sheet/1';
export const META_SHEET = '_meta';
export const GUIDE_SHEET = '填写说明';

/** Where things are on an application's worksheet. */
export const LAYOUT = {
	headerRow: 4,
	firstCriterionRow: 5,
	idCol: 'A',
	nameCol: 'B',
	pointsCol: 'C',
	maxCol: 'D',
	commentCol: 'E',
	guidanceCol: 'F',
	/** Hidden: G1 marker, G2 application id, G3 sheet version, G4 sheet status, G5 rubric id. */
	metaCol: 'G'
} as const;

/** Rows after the criteria: total, then overall opinion. */
export const totalRow = (criteria: number) => LAYOUT.firstCriterionRow + criteria;
export const overallRow = (criteria: number) => LAYOUT.firstCriterionRow + criteria + 1;

export type OfflineStatus = 'not-started' | 'draft' | 'submitted';

/** A worksheet name Excel accepts (≤ 31 characters, none of []:*?/\), unique in the workbook. */
export function worksheetName(id: string, taken: Set<string>): string {
	const base = id.replace(/[[\]:*?/\\]/g, '_').replace(/^'+|'+$/g, '').slice(0, 31) || 'sheet';
	let name = base;
	for (let n = 2; taken.has(name.toLowerCase()) || name === META_SHEET || name === GUIDE_SHEET; n++) {
		name = `${base.slice(0, 31 - String(n).length - 1)}~${n}`;
	}
	taken.add(name.toLowerCase());
	return name;
}

const THIN: ExcelJS.Border = { style: 'thin', color: { argb: 'FF999999' } };
const BOX: Partial<ExcelJS.Borders> = { top: THIN, bottom: THIN, left: THIN, right: THIN };
const LABEL_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF0F2F5' } };
const INPUT_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF8DC' } };
const FONT = '宋体';

const fmt = (x: number) => String(x);
/** A whole number of points below the maximum, for the "如 8 或 8.5" hint of a criterion. */
const example = (max: number) => Math.max(0, Math.floor(max * 0.8) - 1);
const text = (v: string | null | undefined) => escapeCellText(v ?? '');

/** Rough number of wrapped lines of a CJK text in a column of `width` characters. */
function lines(value: string, width: number): number {
	return value.split('\n').reduce((a, l) => a + Math.max(1, Math.ceil((l.length * 1.9) / width)), 0);
}

type Task = {
	applicationId: string;
	institutionName: string;
	occupation: string;
	type: 'training' | 'evaluation';
	region: string;
	status: OfflineStatus;
	version: number;
	rubric: Rubric;
	points: Record<string, number>;
	comments: Record<string, string>;
	comment: string;
};

function addApplicationSheet(wb: ExcelJS.Workbook, name: string, t: Task, expertName: string) {
	const ws = wb.addWorksheet(name, {
		pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 } },
		views: [{ state: 'frozen', ySplit: LAYOUT.headerRow, activeCell: `${LAYOUT.pointsCol}${LAYOUT.firstCriterionRow}` }]
	});
	ws.columns = [
		{ key: 'id', width: 13 },
		{ key: 'name', width: 24 },
		{ key: 'points', width: 9 },
		{ key: 'max', width: 7 },
		{ key: 'comment', width: 34 },
		{ key: 'guidance', width: 72 },
		{ key: 'meta', width: 20, hidden: true }
	];
	const editable = t.status !== 'submitted';
	const n = t.rubric.criteria.length;
	const style = (cell: ExcelJS.Cell, opts: { bold?: boolean; fill?: ExcelJS.Fill; wrap?: boolean; center?: boolean } = {}) => {
		cell.font = { name: FONT, size: 10.5, bold: opts.bold };
		cell.border = BOX;
		if (opts.fill) cell.fill = opts.fill;
		cell.alignment = { vertical: 'top', wrapText: opts.wrap ?? true, horizontal: opts.center ? 'center' : undefined };
	};

	// Title and header.
	ws.mergeCells('A1:F1');
	const title = ws.getCell('A1');
	title.value = '评审专家离线评分表';
	title.font = { name: FONT, size: 15, bold: true };
	title.alignment = { horizontal: 'center', vertical: 'middle' };
	ws.getRow(1).height = 26;

	const label = (ref: string, value: string) => {
		const c = ws.getCell(ref);
		c.value = value;
		style(c, { bold: true, fill: LABEL_FILL });
	};
	const value = (ref: string, v: string) => {
		const c = ws.getCell(ref);
		c.value = text(v);
		style(c);
	};
	label('A2', '申报编号');
	value('B2', t.applicationId);
	label('C2', '申报单位');
	ws.mergeCells('D2:F2');
	value('D2', t.institutionName);
	label('A3', '职业 / 类型');
	value('B3', `${occupationLabel(t.occupation)} · ${t.type === 'training' ? '培训机构' : '评价机构'}`);
	label('C3', '地区');
	value('D3', regionLabel(t.region));
	label('E3', '评分状态');
	value(
		'F3',
		t.status === 'submitted'
			? `已提交（上传不会修改已提交的评分） · 评审专家：${expertName}`
			: `${t.status === 'draft' ? '草稿' : '未开始'} · 评审专家：${expertName}`
	);
	ws.getRow(3).height = 28;

	const head = ws.getRow(LAYOUT.headerRow);
	['编号', '评分项', '得分', '满分', '本项评语（可选）', '评分要点'].forEach((h, i) => {
		const c = head.getCell(i + 1);
		c.value = h;
		style(c, { bold: true, fill: LABEL_FILL, center: true });
	});
	head.height = 20;
	ws.getCell(`${LAYOUT.pointsCol}${LAYOUT.headerRow}`).note = '得分须在 0 至该项满分之间，0.5 分一档（如 12 或 12.5）；留空表示尚未评分。';

	// Criteria.
	t.rubric.criteria.forEach((c, i) => {
		const r = LAYOUT.firstCriterionRow + i;
		const row = ws.getRow(r);
		const cells = {
			id: ws.getCell(`${LAYOUT.idCol}${r}`),
			name: ws.getCell(`${LAYOUT.nameCol}${r}`),
			points: ws.getCell(`${LAYOUT.pointsCol}${r}`),
			max: ws.getCell(`${LAYOUT.maxCol}${r}`),
			comment: ws.getCell(`${LAYOUT.commentCol}${r}`),
			guidance: ws.getCell(`${LAYOUT.guidanceCol}${r}`)
		};
		cells.id.value = c.id;
		cells.name.value = text(c.name);
		cells.points.value = t.points[c.id] ?? null;
		cells.max.value = c.maxPoints;
		cells.comment.value = t.comments[c.id] ? text(t.comments[c.id]) : null;
		cells.guidance.value = text(c.guidance ?? '');
		style(cells.id);
		style(cells.name, { bold: true });
		style(cells.points, { fill: editable ? INPUT_FILL : undefined, center: true });
		style(cells.max, { center: true });
		style(cells.comment, { fill: editable ? INPUT_FILL : undefined });
		style(cells.guidance);
		cells.guidance.font = { name: FONT, size: 9 };
		cells.points.numFmt = '0.0';
		cells.points.font = { name: FONT, size: 12, bold: true };
		if (editable) {
			cells.points.protection = { locked: false };
			cells.comment.protection = { locked: false };
			cells.points.dataValidation = {
				type: 'decimal',
				operator: 'between',
				allowBlank: true,
				formulae: [0, c.maxPoints],
				showInputMessage: true,
				promptTitle: `${c.name}（满分 ${fmt(c.maxPoints)} 分）`.slice(0, 32),
				prompt: `0–${fmt(c.maxPoints)} 分，0.5 分一档（如 ${example(c.maxPoints)} 或 ${example(c.maxPoints)}.5）`,
				showErrorMessage: true,
				errorStyle: 'stop',
				errorTitle: '得分超出范围',
				error: `请填写 0 到 ${fmt(c.maxPoints)} 之间的分数，0.5 分一档`
			};
		}
		row.height = Math.max(30, Math.min(160, 14 * lines(c.guidance ?? '', 72)));
	});

	// Total: a formula for the expert's convenience only.
	const tr = totalRow(n);
	const first = LAYOUT.firstCriterionRow;
	ws.getCell(`${LAYOUT.nameCol}${tr}`).value = '合计';
	ws.getCell(`${LAYOUT.pointsCol}${tr}`).value = {
		formula: `SUM(${LAYOUT.pointsCol}${first}:${LAYOUT.pointsCol}${first + n - 1})`,
		result: t.rubric.criteria.reduce((a, c) => a + (t.points[c.id] ?? 0), 0)
	};
	ws.getCell(`${LAYOUT.maxCol}${tr}`).value = t.rubric.criteria.reduce((a, c) => a + c.maxPoints, 0);
	ws.getCell(`${LAYOUT.commentCol}${tr}`).value = '合计由表格自动计算，仅供参考；上传时以各项得分为准';
	for (const col of ['A', 'B', 'C', 'D', 'E', 'F']) style(ws.getCell(`${col}${tr}`), { bold: col !== 'E', center: col === 'C' || col === 'D' });
	ws.getCell(`${LAYOUT.commentCol}${tr}`).font = { name: FONT, size: 9, color: { argb: 'FF666666' } };
	ws.getCell(`${LAYOUT.pointsCol}${tr}`).numFmt = '0.0';

	// Overall opinion.
	const or = overallRow(n);
	ws.mergeCells(`A${or}:B${or}`);
	ws.mergeCells(`C${or}:F${or}`);
	label(`A${or}`, '总体评审意见');
	const overall = ws.getCell(`C${or}`);
	overall.value = t.comment ? text(t.comment) : null;
	style(overall, { fill: editable ? INPUT_FILL : undefined });
	if (editable) overall.protection = { locked: false };
	ws.getRow(or).height = 80;

	ws.mergeCells(`A${or + 2}:F${or + 2}`);
	const note = ws.getCell(`A${or + 2}`);
	note.value = editable
		? '填写说明：只填浅黄色单元格。得分须在 0 至该项满分之间、0.5 分一档；留空表示尚未评分。填好后登录评审工作台，在“离线评分”页面上传本文件，核对预览无误后保存为草稿；正式提交评分须在网页上完成。'
		: '本申报的评分表已提交，此页仅供查阅；上传时不会修改已提交的评分。如需修改请联系省厅退回。';
	note.font = { name: FONT, size: 9, color: { argb: 'FF555555' } };
	note.alignment = { wrapText: true, vertical: 'top' };
	ws.getRow(or + 2).height = 30;

	// Machine-readable ids (hidden column).
	const meta = [OFFLINE_MARKER, t.applicationId, t.version, t.status, t.rubric.id];
	meta.forEach((v, i) => {
		ws.getCell(`${LAYOUT.metaCol}${i + 1}`).value = v;
	});

	ws.pageSetup.printArea = `A1:F${or + 2}`;
	ws.headerFooter = { oddFooter: `&L${t.applicationId}&R第 &P 页 共 &N 页` };
	return ws;
}

function addGuideSheet(wb: ExcelJS.Workbook, expert: { id: string; name: string }, batchName: string, rows: { name: string; t: Task }[], generatedAt: string) {
	const ws = wb.addWorksheet(GUIDE_SHEET, { pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
	ws.columns = [{ width: 6 }, { width: 16 }, { width: 40 }, { width: 26 }, { width: 10 }, { width: 12 }];
	ws.mergeCells('A1:F1');
	ws.getCell('A1').value = `${batchName} 评审专家离线评分表`;
	ws.getCell('A1').font = { name: FONT, size: 15, bold: true };
	ws.getCell('A1').alignment = { horizontal: 'center' };
	const lines = [
		`评审专家：${expert.name}（${expert.id}）    生成时间：${beijingDateTime(generatedAt)}（北京时间）`,
		'1. 每个工作表对应一项申报，工作表名为申报编号。只填浅黄色单元格：各项得分、本项评语、总体评审意见。',
		'2. 得分须在 0 至该项满分之间，0.5 分一档（如 12 或 12.5）；留空表示尚未评分。合计由表格自动计算，仅供参考。',
		'3. 填好后登录评审工作台，在“离线评分”页面上传本文件。系统会先列出将要修改的内容，确认后保存为草稿；正式提交须在网页上完成。',
		'4. 若下载后又在网页上修改过某项申报的评分，上传时系统会提示冲突，不会直接覆盖。已提交的评分表不会被上传修改。',
		'5. 请勿增删行列、修改工作表结构；评审材料和评分须严格保密。'
	];
	lines.forEach((l, i) => {
		ws.mergeCells(`A${i + 2}:F${i + 2}`);
		const c = ws.getCell(`A${i + 2}`);
		c.value = l;
		c.font = { name: FONT, size: 10.5 };
		c.alignment = { wrapText: true, vertical: 'top' };
		ws.getRow(i + 2).height = i === 0 ? 18 : 30;
	});
	const start = lines.length + 3;
	const head = ws.getRow(start);
	['序号', '工作表', '申报单位', '职业', '类型', '评分状态'].forEach((h, i) => {
		const c = head.getCell(i + 1);
		c.value = h;
		c.font = { name: FONT, bold: true };
		c.fill = LABEL_FILL;
		c.border = BOX;
	});
	rows.forEach(({ name, t }, i) => {
		const row = ws.getRow(start + 1 + i);
		const values = [
			i + 1,
			name,
			text(t.institutionName),
			occupationLabel(t.occupation),
			t.type === 'training' ? '培训机构' : '评价机构',
			t.status === 'submitted' ? '已提交' : t.status === 'draft' ? '草稿' : '未开始'
		];
		values.forEach((v, j) => {
			const c = row.getCell(j + 1);
			c.value = v;
			c.font = { name: FONT };
			c.border = BOX;
			c.alignment = { wrapText: true, vertical: 'top' };
		});
	});
	return ws;
}

export type OfflineWorkbook = { buffer: Buffer; filename: string; sheets: number };

/**
 * Builds the expert's offline workbook from their current tasks and sheets. `now` fixes the
 * generation time (tests).
 */
export async function buildOfflineWorkbook(scope: BatchScope, expertId: string, opts: { now?: Date } = {}): Promise<OfflineWorkbook> {
	const { db, batch } = scope;
	const now = opts.now ?? new Date();
	const generatedAt = now.toISOString();
	const expert = db.select().from(experts).where(eq(experts.id, expertId)).get();
	if (!expert) throw new Error(`没有找到专家 ${expertId}`);
	const { tasks } = expertTasks(scope, expertId);
	const wb = new ExcelJS.Workbook();
	wb.creator = '评审工作台';
	wb.created = now;
	wb.modified = now;
	wb.title = '评审专家离线评分表';

	const rows: { name: string; t: Task }[] = [];
	const taken = new Set<string>();
	for (const task of tasks) {
		const sheet = getSheet(db, task.applicationId, expertId);
		const t: Task = {
			applicationId: task.applicationId,
			institutionName: task.institutionName,
			occupation: task.occupation,
			type: task.type,
			region: task.region,
			status: sheet.id === null ? 'not-started' : sheet.status,
			version: sheet.version,
			rubric: sheet.rubric,
			points: sheet.points,
			comments: sheet.comments,
			comment: sheet.comment
		};
		rows.push({ name: worksheetName(task.applicationId, taken), t });
	}
	addGuideSheet(wb, { id: expert.id, name: expert.name }, batch?.name ?? '', rows, generatedAt);
	for (const { name, t } of rows) {
		const ws = addApplicationSheet(wb, name, t, expert.name);
		await ws.protect('', {
			selectLockedCells: true,
			selectUnlockedCells: true,
			formatColumns: true,
			formatRows: true,
			formatCells: false,
			insertRows: false,
			deleteRows: false,
			insertColumns: false,
			deleteColumns: false
		});
	}
	const meta = wb.addWorksheet(META_SHEET, { state: 'veryHidden' });
	meta.getCell('A1').value = OFFLINE_MARKER;
	meta.getCell('A2').value = expertId;
	meta.getCell('A3').value = batch?.id ?? '';
	meta.getCell('A4').value = generatedAt;
	const buffer = Buffer.from(await wb.xlsx.writeBuffer());
	const day = generatedAt.slice(0, 10).replace(/-/g, '');
	return { buffer, filename: `离线评分表-${expertId}-${day}.xlsx`, sheets: rows.length };
}
