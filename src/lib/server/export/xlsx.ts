/**
 * The results workbook (.xlsx) that goes with the memo: 评分汇总 (every sheet's points per
 * criterion with its application's aggregate), 拟推荐名单, 专家工作量 and 审计日志. Header rows are
 * frozen and filterable, numbers are stored as numbers, and every text cell that a spreadsheet
 * could take for a formula (starting with = + - @, full-width ＝＋－＠, tab, CR or LF) is stored with a
 * leading apostrophe, so a hostile institution name stays text (CSV/formula injection).
 */
import ExcelJS from 'exceljs';
import { beijingDateTime } from '../../domain/time';
import type { AuditRow, MemoData } from './memo-data';
import { escapeCellText } from './cell-text';
import { DECISIONS, labelOf } from '../../domain/vocabulary';

export type WorkbookData = MemoData & { audit?: AuditRow[] };

export { escapeCellText } from './cell-text';

type Value = string | number | boolean | null | undefined;
type ColumnSpec = { header: string; width: number; numFmt?: string; wrap?: boolean };

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7E6E6' } };
const BORDER: Partial<ExcelJS.Borders> = {
	top: { style: 'thin', color: { argb: 'FFBFBFBF' } },
	bottom: { style: 'thin', color: { argb: 'FFBFBFBF' } },
	left: { style: 'thin', color: { argb: 'FFBFBFBF' } },
	right: { style: 'thin', color: { argb: 'FFBFBFBF' } }
};

function sheet(wb: ExcelJS.Workbook, name: string, columns: ColumnSpec[], rows: Value[][], xSplit = 0): ExcelJS.Worksheet {
	const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', xSplit, ySplit: 1, activeCell: 'A2' }] });
	ws.columns = columns.map((c) => ({ width: c.width }));
	const header = ws.addRow(columns.map((c) => escapeCellText(c.header)));
	header.font = { bold: true, name: '宋体' };
	header.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
	header.height = 30;
	header.eachCell((cell) => {
		cell.fill = HEADER_FILL;
		cell.border = BORDER;
	});
	for (const values of rows) {
		const row = ws.addRow(values.map((v) => (typeof v === 'string' ? escapeCellText(v) : v ?? null)));
		columns.forEach((c, i) => {
			const cell = row.getCell(i + 1);
			cell.border = BORDER;
			if (c.numFmt && typeof values[i] === 'number') cell.numFmt = c.numFmt;
			cell.alignment = { vertical: 'top', wrapText: c.wrap ?? false };
		});
	}
	ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
	return ws;
}

const SCORE = '0.00';
const POINTS = '0.0##';
const yesNo = (b: boolean) => (b ? '是' : '否');
const decisionOf = (a: { decision: string | null; proposed: boolean }) =>
	a.decision ? labelOf(DECISIONS, a.decision) : a.proposed ? '拟推荐（默认）' : '不推荐（默认）';

/** Criterion columns: the union over the rubrics by id, in first-met order, names joined when they differ. */
function criterionColumns(d: MemoData): { id: string; header: string }[] {
	const cols = new Map<string, { names: string[]; max: number[] }>();
	for (const rb of d.rubrics)
		for (const c of rb.criteria) {
			const col = cols.get(c.id) ?? { names: [], max: [] };
			if (!col.names.includes(c.name)) col.names.push(c.name);
			if (!col.max.includes(c.maxPoints)) col.max.push(c.maxPoints);
			cols.set(c.id, col);
		}
	for (const g of d.groups)
		for (const a of g.applications)
			for (const s of a.sheets) for (const id of Object.keys(s.points)) if (!cols.has(id)) cols.set(id, { names: [id], max: [] });
	return [...cols].map(([id, c]) => ({
		id,
		header: `${c.names.join('／')}${c.max.length ? `（${c.max.join('／')}分）` : ''}`
	}));
}

function scoreSheet(wb: ExcelJS.Workbook, d: MemoData) {
	const crit = criterionColumns(d);
	const columns: ColumnSpec[] = [
		{ header: '职业', width: 22 },
		{ header: '类别', width: 10 },
		{ header: '申报编号', width: 14 },
		{ header: '机构名称', width: 34, wrap: true },
		{ header: '地区', width: 10 },
		{ header: '专家代号', width: 9 },
		{ header: '专家编号', width: 12 },
		{ header: '专家姓名', width: 10 },
		{ header: '评分表状态', width: 10 },
		{ header: '计入汇总', width: 9 },
		{ header: '不计原因', width: 20, wrap: true },
		...crit.map((c) => ({ header: c.header, width: 14, numFmt: POINTS })),
		{ header: '评分表合计', width: 11, numFmt: POINTS },
		{ header: '偏离平均分', width: 11, numFmt: SCORE },
		{ header: '异常评分', width: 9 },
		{ header: '有效评分数', width: 10 },
		{ header: '得分', width: 10, numFmt: SCORE },
		{ header: '排名', width: 8 },
		{ header: '标记', width: 18, wrap: true },
		{ header: '默认拟推荐', width: 10 },
		{ header: '会议决定', width: 14 },
		{ header: '决定理由', width: 30, wrap: true },
		{ header: '拟推荐', width: 8 }
	];
	const names = new Map(d.experts.workload.map((w) => [w.expertId, w.name]));
	const rows: Value[][] = [];
	for (const g of d.groups) {
		for (const a of g.applications) {
			const appCells = (): Value[] => [
				a.n,
				a.scoreRounded,
				a.rank,
				a.flagLabels.join('、'),
				yesNo(a.defaultProposed),
				decisionOf(a),
				a.decisionReason ?? '',
				yesNo(a.proposed)
			];
			const lead: Value[] = [g.occupationLabel, g.typeLabel, a.id, a.institutionName, a.regionLabel];
			if (a.sheets.length === 0) {
				rows.push([...lead, '', '', '', '无评分表', '', '', ...crit.map(() => null), null, null, '', ...appCells()]);
				continue;
			}
			for (const s of a.sheets) {
				rows.push([
					...lead,
					s.alias,
					s.expertId,
					names.get(s.expertId) ?? '',
					s.status === 'submitted' ? '已提交' : '草稿',
					yesNo(s.valid),
					s.excludedLabel ?? (s.status === 'draft' ? '未提交' : ''),
					...crit.map((c) => (typeof s.points[c.id] === 'number' ? s.points[c.id] : null)),
					s.total,
					s.deviation == null ? null : Math.round(s.deviation * 100) / 100,
					s.abnormal ? '是' : '',
					...appCells()
				]);
			}
		}
	}
	sheet(wb, '评分汇总', columns, rows, 4);
}

function proposedSheet(wb: ExcelJS.Workbook, d: MemoData) {
	const rows: Value[][] = [];
	let i = 0;
	for (const g of d.groups)
		for (const a of g.proposed)
			rows.push([
				++i,
				g.occupationLabel,
				g.typeLabel,
				a.institutionName,
				a.id,
				a.regionLabel,
				a.levelLabels.join('、'),
				a.scoreRounded,
				a.rank,
				a.n,
				decisionOf(a),
				a.decisionReason ?? ''
			]);
	sheet(
		wb,
		'拟推荐名单',
		[
			{ header: '序号', width: 6 },
			{ header: '职业', width: 22 },
			{ header: '类别', width: 10 },
			{ header: '机构名称', width: 36, wrap: true },
			{ header: '申报编号', width: 14 },
			{ header: '地区', width: 10 },
			{ header: '申报等级', width: 16 },
			{ header: '得分', width: 10, numFmt: SCORE },
			{ header: '排名', width: 8 },
			{ header: '有效评分数', width: 10 },
			{ header: '会议决定', width: 14 },
			{ header: '决定理由', width: 30, wrap: true }
		],
		rows
	);
}

function workloadSheet(wb: ExcelJS.Workbook, d: MemoData) {
	sheet(
		wb,
		'专家工作量',
		[
			{ header: '专家编号', width: 12 },
			{ header: '姓名', width: 10 },
			{ header: '工作单位', width: 34, wrap: true },
			{ header: '分配评审', width: 10 },
			{ header: '已提交评分', width: 11 },
			{ header: '回避', width: 8 },
			{ header: '主动申报回避', width: 13 },
			{ header: '不计入汇总', width: 11 }
		],
		d.experts.workload.map((w) => [w.expertId, w.name, w.workUnit ?? '', w.assigned, w.submitted, w.recused, w.declared, w.excluded])
	);
}

function auditSheet(wb: ExcelJS.Workbook, audit: AuditRow[]) {
	sheet(
		wb,
		'审计日志',
		[
			{ header: '序号', width: 8 },
			{ header: '时间（北京时间）', width: 21 },
			{ header: '操作人', width: 14 },
			{ header: '操作', width: 24 },
			{ header: '对象', width: 14 },
			{ header: '对象编号', width: 16 },
			{ header: '详情', width: 60, wrap: true },
			{ header: '哈希', width: 20 }
		],
		audit.map((r) => [r.id, beijingDateTime(r.at, { seconds: true }), r.actor, r.action, r.entity ?? '', r.entityId ?? '', r.detail ?? '', r.hash])
	);
}

/** The results workbook as an .xlsx file. */
export async function renderResultsWorkbook(data: WorkbookData): Promise<Buffer> {
	const wb = new ExcelJS.Workbook();
	wb.creator = data.issuer;
	wb.title = escapeCellText(data.title);
	wb.subject = `${data.batch.name} 评审结果`;
	wb.description = `评审结果数据摘要（SHA-256）：${data.hash}`;
	wb.created = new Date(data.generatedAt);
	scoreSheet(wb, data);
	proposedSheet(wb, data);
	workloadSheet(wb, data);
	auditSheet(wb, data.audit ?? []);
	return Buffer.from(await wb.xlsx.writeBuffer());
}
