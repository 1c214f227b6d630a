/**
 * The results memo (报告) as a Word document, laid out after GB/T 9704-2012 (党政机关公文格式):
 * A4, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; title 方正小标宋简体 二号 centred;
 * body 仿宋_GB2312 三号 with a 2-character first-line indent on a fixed 28.95 pt line (22 lines
 * a page); level-1 headings 黑体 三号 (一、), level-2 楷体_GB2312 三号 (（一）); page numbers
 * "— 1 —" in 宋体 四号, odd pages right and even pages left, one character in, and on the landscape
 * pages of 附件1 at the same place of the sheet (turned with the page); 28 characters a line (a
 * character spacing of −0.25 pt) and 22 lines a page (the document grid). An upward document (上行文): the 版头 (发文机关标志 in red, 发文字号 left and
 * 签发人 right on one line, the red separator), the issuer and the date after the attachment list,
 * the 附注 with the data hash and the audit chain's head, and the 版记 (抄送, 印发机关 and 印发日期
 * between the thick and thin rules) at the foot of the last page. Only lays out `MemoData`.
 */
import {
	AlignmentType,
	BorderStyle,
	Document,
	DocumentGridType,
	Footer,
	HeightRule,
	LineRuleType,
	Packer,
	PageNumber,
	PageOrientation,
	Paragraph,
	Tab,
	RelativeHorizontalPosition,
	RelativeVerticalPosition,
	TabStopType,
	Table,
	TableAnchorType,
	TableCell,
	TableLayoutType,
	TableRow,
	TextDirection,
	TextRun,
	OverlapType,
	VerticalAlignTable,
	WidthType,
	type IBorderOptions,
	type IParagraphOptions,
	type IRunOptions
} from 'docx';
import {
	MEMO_TITLE,
	beijingDate,
	chineseDate,
	chineseNumber,
	type MemoApplication,
	type MemoData,
	type MemoGroup,
	type MemoSheet
} from './memo-data';

/* ---------- Measures ---------- */

/** Millimetres to twentieths of a point, rounded (37 mm → 2098). */
export const mmToTwip = (mm: number) => Math.round((mm * 1440) / 25.4);

export const PAGE = {
	width: mmToTwip(210),
	height: mmToTwip(297),
	top: mmToTwip(37),
	bottom: mmToTwip(35),
	left: mmToTwip(28),
	right: mmToTwip(26)
} as const;
/** The text width: 210 − 28 − 26 = 156 mm. */
export const TEXT_WIDTH = PAGE.width - PAGE.left - PAGE.right;
/**
 * 附件1 is a landscape table: the page turned so that the binding edge (left in portrait) is at
 * the top, so the portrait margins move round with it: top 28, bottom 26, left 35, right 37 mm.
 */
export const LANDSCAPE_MARGIN = { top: PAGE.left, bottom: PAGE.right, left: PAGE.bottom, right: PAGE.top } as const;
const LANDSCAPE_TEXT_WIDTH = PAGE.height - LANDSCAPE_MARGIN.left - LANDSCAPE_MARGIN.right;

export const FONT = {
	title: '方正小标宋简体',
	body: '仿宋_GB2312',
	h1: '黑体',
	h2: '楷体_GB2312',
	pageNumber: '宋体'
} as const;
/** Half-points: 二号 22 pt, 三号 16 pt, 四号 14 pt, 小四 12 pt. */
export const SIZE = { erhao: 44, sanhao: 32, sihao: 28, xiaosi: 24 } as const;
/** One 三号 character: 16 pt = 320 twips. */
export const CHAR = 320;
/** 22 lines on the 225 mm type area: 28.95 pt. */
export const LINE = 579;
const TABLE_LINE = 380;
/** GB/T 9704-2012, 5.2.2: 28 characters a line, 22 lines a page. */
export const CHARS_PER_LINE = 28;
/**
 * The character spacing (twips, on every run by default) that makes 28 三号 characters fit the
 * 156 mm type area: 16 pt characters give only 27 (27.6); each one 0.25 pt narrower gives 28.
 * (A `linesAndChars` document grid with a negative `charSpace` does the same in Word, but
 * LibreOffice and WPS then give each character two grid cells: 14 characters a line.)
 */
export function characterSpacingFor(widthTwips: number, chars: number, fontTwips = CHAR): number {
	return Math.floor(widthTwips / chars) - fontTwips;
}
export const CHARACTER_SPACING = characterSpacingFor(TEXT_WIDTH, CHARS_PER_LINE);
/** The document grid: 22 lines a page on the 225 mm type area (lines only, see above). */
export const GRID = { type: DocumentGridType.LINES, linePitch: LINE } as const;
/** 版头 red and the 版记 rules' weights (eighths of a point): 0.35 mm thick, 0.25 mm thin (7.4.1). */
const RED = 'FF0000';
const RULE_THICK = 8;
const RULE_THIN = 6;

export const font = (eastAsia: string, latin = 'Times New Roman') => ({ ascii: latin, hAnsi: latin, eastAsia, cs: latin });
export const exact = (line: number, before = 0, after = 0) => ({ line, lineRule: LineRuleType.EXACT, before, after });

/* ---------- Paragraph builders ---------- */

export function run(text: string, opts: Partial<IRunOptions> = {}): TextRun {
	return new TextRun({ text, font: font(FONT.body), size: SIZE.sanhao, ...opts });
}

/** Body text: 仿宋 三号, justified, 2-character first-line indent. */
export function body(text: string | TextRun[], extra: Partial<IParagraphOptions> = {}): Paragraph {
	return new Paragraph({
		children: typeof text === 'string' ? [run(text)] : text,
		alignment: AlignmentType.BOTH,
		indent: { firstLine: 2 * CHAR, firstLineChars: 200 },
		spacing: exact(LINE),
		...extra
	});
}

/** A narrative text; each line is a paragraph. */
export function narrative(text: string): Paragraph[] {
	return text
		.split(/\r?\n/)
		.map((t) => t.trim())
		.filter((t) => t !== '')
		.map((t) => body(t));
}

function heading1(n: number, text: string): Paragraph {
	return new Paragraph({
		children: [run(`${chineseNumber(n)}、${text}`, { font: font(FONT.h1, FONT.h1) })],
		indent: { firstLine: 2 * CHAR, firstLineChars: 200 },
		spacing: exact(LINE),
		keepNext: true,
		outlineLevel: 0
	});
}

function heading2(n: number, text: string): Paragraph {
	return new Paragraph({
		children: [run(`（${chineseNumber(n)}）${text}`, { font: font(FONT.h2, FONT.h2) })],
		indent: { firstLine: 2 * CHAR, firstLineChars: 200 },
		spacing: exact(LINE),
		keepNext: true,
		outlineLevel: 1
	});
}

export const blank = () => new Paragraph({ children: [run('')], spacing: exact(LINE) });

/* ---------- Tables ---------- */

const thin: IBorderOptions = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
const thick: IBorderOptions = { style: BorderStyle.SINGLE, size: 8, color: '000000' };

type Align = 'left' | 'center' | 'right';
export type Column = { title: string; mm: number; align?: Align };

function cellParagraphs(text: string, align: Align, bold = false): Paragraph[] {
	const alignment = align === 'left' ? AlignmentType.LEFT : align === 'right' ? AlignmentType.RIGHT : AlignmentType.CENTER;
	return (text === '' ? [''] : text.split('\n')).map(
		(line) =>
			new Paragraph({
				children: [run(line, { size: SIZE.xiaosi, bold })],
				alignment,
				spacing: exact(TABLE_LINE)
			})
	);
}

export type CellSpec = string | { text: string; rowSpan?: number; columnSpan?: number; align?: Align };

type TableOptions = {
	/** Header rows (repeated on every page); default: one row of the column titles. */
	header?: CellSpec[][];
	boldLastRow?: boolean;
	/** The width to fill, in twips (default: the portrait text width). */
	width?: number;
};

/** Table rows; cells that a rowSpan from above covers are skipped (docx writes their continuation). */
function tableRows(columns: Column[], widths: number[], rows: CellSpec[][], kind: 'header' | 'body', boldLast: boolean): TableRow[] {
	let covered = columns.map(() => 0);
	return rows.map((cells, r) => {
		const next = covered.map((c) => Math.max(0, c - 1));
		let col = 0;
		const children = cells.map((spec) => {
			while (col < columns.length && covered[col] > 0) col++;
			const c = typeof spec === 'string' ? { text: spec } : spec;
			const span = c.columnSpan ?? 1;
			const width = widths.slice(col, col + span).reduce((sum, w) => sum + w, 0);
			const align = kind === 'header' ? 'center' : (c.align ?? columns[col]?.align ?? 'center');
			if (c.rowSpan && c.rowSpan > 1) for (let k = col; k < col + span; k++) next[k] = c.rowSpan - 1;
			col += span;
			return new TableCell({
				children: cellParagraphs(c.text, align, kind === 'header' || (boldLast && r === rows.length - 1)),
				width: { size: width, type: WidthType.DXA },
				verticalAlign: VerticalAlignTable.CENTER,
				...(c.rowSpan && c.rowSpan > 1 ? { rowSpan: c.rowSpan } : {}),
				...(span > 1 ? { columnSpan: span } : {})
			});
		});
		covered = next;
		return new TableRow({ tableHeader: kind === 'header', cantSplit: true, children });
	});
}

/** A full-width table: readable borders, header rows repeated on every page, rows kept whole. */
export function table(columns: Column[], rows: CellSpec[][], opts: TableOptions = {}): Table {
	const width = opts.width ?? TEXT_WIDTH;
	const totalMm = columns.reduce((sum, c) => sum + c.mm, 0);
	const widths = columns.map((c) => Math.round((c.mm / totalMm) * width));
	const header = opts.header ?? [columns.map((c) => c.title)];
	return new Table({
		rows: [...tableRows(columns, widths, header, 'header', false), ...tableRows(columns, widths, rows, 'body', opts.boldLastRow === true)],
		width: { size: widths.reduce((sum, w) => sum + w, 0), type: WidthType.DXA },
		columnWidths: widths,
		layout: TableLayoutType.FIXED,
		alignment: AlignmentType.CENTER,
		margins: { top: 30, bottom: 30, left: 70, right: 70 },
		borders: { top: thick, bottom: thick, left: thick, right: thick, insideHorizontal: thin, insideVertical: thin }
	});
}

/** "表1  各职业申报受理情况", centred above its table. */
function caption(text: string): Paragraph {
	return new Paragraph({
		children: [run(text, { font: font(FONT.h1, FONT.h1), size: SIZE.sihao })],
		alignment: AlignmentType.CENTER,
		spacing: exact(LINE, 120, 0),
		keepNext: true
	});
}

/** A note under a table, 仿宋 小四. */
export function note(text: string): Paragraph {
	return new Paragraph({
		children: [run(text, { size: SIZE.xiaosi })],
		alignment: AlignmentType.BOTH,
		spacing: exact(TABLE_LINE, 60, 60)
	});
}

/* ---------- The parts of the memo ---------- */

function receivedTables(d: MemoData): (Paragraph | Table)[] {
	const closed = new Set(d.batch.closedEvaluationOccupations);
	const r = d.received;
	const occRows: CellSpec[][] = r.byOccupation.map((o, i) => [
		String(i + 1),
		{ text: o.label, align: 'left' },
		String(o.training),
		closed.has(o.key) && o.evaluation === 0 ? '—' : String(o.evaluation),
		String(o.total)
	]);
	occRows.push([{ text: '合计', columnSpan: 2 }, String(r.training), String(r.evaluation), String(r.total)]);
	const regionRows: CellSpec[][] = r.byRegion.map((o, i) => [
		String(i + 1),
		{ text: o.label, align: 'left' },
		String(o.training),
		String(o.evaluation),
		String(o.total)
	]);
	regionRows.push([{ text: '合计', columnSpan: 2 }, String(r.training), String(r.evaluation), String(r.total)]);
	const cols = (what: string): Column[] => [
		{ title: '序号', mm: 14 },
		{ title: what, mm: 66, align: 'left' },
		{ title: '培训机构（项）', mm: 25 },
		{ title: '评价机构（项）', mm: 25 },
		{ title: '合计（项）', mm: 26 }
	];
	const out: (Paragraph | Table)[] = [
		caption('表1  各职业申报受理情况'),
		table(cols('职业'), occRows, { boldLastRow: true })
	];
	if (closed.size) {
		out.push(note('注：“—”表示该职业本批次不受理评价机构申报（第一批已遴选评价机构）。'));
	}
	out.push(caption('表2  各地区申报受理情况'), table(cols('推荐地区'), regionRows, { boldLastRow: true }));
	return out;
}

function rubricTable(d: MemoData): (Paragraph | Table)[] {
	if (d.rubrics.length === 0) return [];
	const rows: CellSpec[][] = [];
	for (const rb of d.rubrics) {
		rb.criteria.forEach((c, i) => {
			const cells: CellSpec[] = [String(i + 1), { text: c.name, align: 'left' }, pointsText(c.maxPoints)];
			if (i === 0) cells.unshift({ text: rb.typeLabel, rowSpan: rb.criteria.length });
			rows.push(cells);
		});
		rows.push([{ text: `${rb.typeLabel}合计`, columnSpan: 3 }, pointsText(rb.total)]);
	}
	return [
		caption('表3  评分标准'),
		table(
			[
				{ title: '类别', mm: 24 },
				{ title: '序号', mm: 14 },
				{ title: '评分项', mm: 94, align: 'left' },
				{ title: '分值', mm: 24 }
			],
			rows
		)
	];
}

function pointsText(x: number): string {
	return Number.isInteger(x) ? String(x) : String(Math.round(x * 100) / 100);
}

/** The mark of a group whose final list an open objection holds (queries/held-groups.ts). */
export const HELD_MARK = '（有异议正在处理，名单暂不确定）';
const heldMark = (g: MemoGroup) => (g.heldBy.length ? HELD_MARK : '');

/** Level-3 heading, 仿宋 三号: "1．人工智能工程技术人员：拟推荐4家". */
function heading3(n: number, text: string): Paragraph {
	return body(`${n}．${text}`, { keepNext: true, outlineLevel: 2 });
}

/** The groups of each type (MemoData lists training first, occupations in the notice's order). */
function groupsByType(d: MemoData): { type: string; typeLabel: string; groups: MemoGroup[] }[] {
	const out: { type: string; typeLabel: string; groups: MemoGroup[] }[] = [];
	for (const g of d.groups) {
		const last = out.at(-1);
		if (last && last.type === g.type) last.groups.push(g);
		else out.push({ type: g.type, typeLabel: g.typeLabel, groups: [g] });
	}
	return out;
}

function proposedSection(d: MemoData): (Paragraph | Table)[] {
	const out: (Paragraph | Table)[] = [];
	if (d.groups.length === 0) return [body('暂无评审结果。')];
	groupsByType(d).forEach((t, ti) => {
		const count = t.groups.reduce((n, g) => n + g.proposed.length, 0);
		out.push(heading2(ti + 1, `${t.typeLabel}（拟推荐${count}家）`));
		t.groups.forEach((g, gi) => {
			if (g.proposed.length === 0) {
				out.push(body(`${gi + 1}．${g.occupationLabel}：${g.applications.length}项申报，均未拟推荐${heldMark(g)}。`));
				return;
			}
			out.push(heading3(gi + 1, `${g.occupationLabel}：拟推荐${g.proposed.length}家${heldMark(g)}`));
			out.push(
				table(
					[
						{ title: '序号', mm: 11 },
						{ title: '机构名称', mm: 55, align: 'left' },
						{ title: '申报等级', mm: 37 },
						{ title: '所在地区', mm: 23 },
						{ title: '得分', mm: 17 },
						{ title: '排名', mm: 13 }
					],
					g.proposed.map((a, i) => [
						String(i + 1),
						{ text: a.institutionName, align: 'left' },
						a.levelLabels.join('、') || '—',
						a.regionLabel,
						a.scoreText,
						a.rank == null ? '—' : String(a.rank)
					])
				)
			);
		});
	});
	return out;
}

function sheetText(s: MemoSheet): string {
	const total = pointsText(s.total);
	if (!s.valid) return `(${total})`;
	return `${total}${s.abnormal ? '*' : ''}`;
}

function decisionText(a: MemoApplication): string {
	const label = a.decision ? a.decisionLabel : a.proposed ? '拟推荐' : '不推荐';
	return a.decisionReason ? `${label}\n（${a.decisionReason}）` : label;
}

/** The most expert columns 附件1 gives a group; a larger panel gets one cell listing the scores. */
const MAX_EXPERT_COLUMNS = 8;
const EXPERT_COLUMN_MM = 11.5;
/** 附件1's columns other than the name and the experts (mm): 排名, 有效份数, 得分, 标记, 会议决定. */
const SUMMARY_FIXED_MM = 13 + 13 + 17 + 25 + 24;
const LANDSCAPE_TEXT_MM = 297 - 35 - 37;

/** 附件1: every application of a group, one column per expert (by letter) where they fit. */
function summaryTable(g: MemoGroup): Table {
	const submitted = (a: MemoApplication) => a.sheets.filter((s) => s.status === 'submitted');
	const letters = g.experts.map((e) => e.alias.replace(/^专家/, ''));
	const perColumn = letters.length > 0 && letters.length <= MAX_EXPERT_COLUMNS;
	const expertCols: Column[] = perColumn
		? letters.map((l) => ({ title: l, mm: EXPERT_COLUMN_MM }))
		: [{ title: '专家评分', mm: 60, align: 'left' }];
	const nameMm = LANDSCAPE_TEXT_MM - SUMMARY_FIXED_MM - expertCols.reduce((sum, c) => sum + c.mm, 0);
	const columns: Column[] = [
		{ title: '排名', mm: 13 },
		{ title: '机构名称（地区）', mm: nameMm, align: 'left' },
		...expertCols,
		{ title: '有效份数', mm: 13 },
		{ title: '得分', mm: 17 },
		{ title: '标记', mm: 25 },
		{ title: '会议决定', mm: 24 }
	];
	const header: CellSpec[][] = [
		[
			{ text: '排名', rowSpan: 2 },
			{ text: '机构名称（地区）', rowSpan: 2 },
			{ text: '专家评分', columnSpan: expertCols.length, ...(perColumn ? {} : { rowSpan: 2 }) },
			{ text: '有效\n份数', rowSpan: 2 },
			{ text: '得分', rowSpan: 2 },
			{ text: '标记', rowSpan: 2 },
			{ text: '会议决定', rowSpan: 2 }
		],
		perColumn ? letters : []
	];
	const rows: CellSpec[][] = g.applications.map((a) => {
		const bySheet = new Map(submitted(a).map((s) => [s.alias, s]));
		const scores: CellSpec[] = perColumn
			? g.experts.map((e) => (bySheet.has(e.alias) ? sheetText(bySheet.get(e.alias)!) : ''))
			: [submitted(a).map((s) => `${s.alias.replace(/^专家/, '')} ${sheetText(s)}`).join('；') || '—'];
		return [
			a.rank == null ? '—' : String(a.rank),
			{ text: `${a.institutionName}（${a.regionLabel}）`, align: 'left' },
			...scores,
			String(a.n),
			a.scoreText,
			a.flagLabels.join('\n') || '—',
			decisionText(a)
		];
	});
	return table(columns, rows, { header, width: LANDSCAPE_TEXT_WIDTH });
}

function summarySection(d: MemoData): (Paragraph | Table)[] {
	const out: (Paragraph | Table)[] = [];
	if (d.groups.length === 0) return [body('暂无评审结果。')];
	groupsByType(d).forEach((t, ti) => {
		out.push(heading2(ti + 1, t.typeLabel));
		t.groups.forEach((g, gi) => {
			out.push(heading3(gi + 1, `${g.occupationLabel}（${g.applications.length}项）${heldMark(g)}`));
			out.push(summaryTable(g));
		});
	});
	const st = d.aggregation.settings;
	out.push(
		note(
			`说明：1．专家A、专家B等为评审专家代号，同一职业、同一类别内同一专家代号相同；“*”为偏离平均分${pointsText(st.deviationPct)}%以上的异常评分；带括号的为因回避或未分配而不计入汇总的评分。`
		),
		note(`2．汇总方法：${d.aggregation.methodLabel}；有效评分不足${st.minReviews}份的不予排名；按未经四舍五入的得分排名，得分保留两位小数。`),
		note(`3．会议决定为评审会议记录的决定及理由；未记录的按默认规则（得分不低于${pointsText(st.passScore)}分且无未解决的否决性问题）列出。`)
	);
	return out;
}

function attachmentHeading(n: number, title: string, newPage: boolean): Paragraph[] {
	return [
		new Paragraph({
			children: [run(`附件${n}`, { font: font(FONT.h1, FONT.h1) })],
			spacing: exact(LINE),
			pageBreakBefore: newPage
		}),
		blank(),
		new Paragraph({
			children: [run(title, { font: font(FONT.title, FONT.title), size: SIZE.erhao })],
			alignment: AlignmentType.CENTER,
			spacing: exact(720, 0, LINE)
		})
	];
}

const ATTACHMENTS = ['评审得分汇总表', '形式审查问题豁免情况', '实地考察情况'] as const;

function attachmentList(): Paragraph[] {
	return ATTACHMENTS.map(
		(t, i) =>
			new Paragraph({
				children: [run(`${i === 0 ? '附件：' : ''}${i + 1}．${t}`)],
				indent: i === 0 ? { left: 5 * CHAR, hanging: 3 * CHAR } : { left: 5 * CHAR },
				spacing: exact(LINE)
			})
	);
}

/** Width of a date in 三号 characters: digits are half-width. */
export function dateWidth(text: string): number {
	let w = 0;
	for (const ch of text) w += /[0-9]/.test(ch) ? 0.5 : 1;
	return w;
}

/** Issuer right-indented two characters; the date starting two characters further right. */
function signature(d: MemoData): Paragraph[] {
	const date = chineseDate(d.dates.memoDate);
	const issuerWidth = [...d.issuer].length;
	const dateIndent = Math.max(2, 2 + issuerWidth - 2 - dateWidth(date));
	return [
		blank(),
		new Paragraph({
			children: [run(d.issuer)],
			alignment: AlignmentType.RIGHT,
			indent: { right: 2 * CHAR },
			spacing: exact(LINE)
		}),
		new Paragraph({
			children: [run(date)],
			alignment: AlignmentType.RIGHT,
			indent: { right: Math.round(dateIndent * CHAR) },
			spacing: exact(LINE),
			// no extra space between the digits and 年月日, so the width is what dateWidth counts
			autoSpaceEastAsianText: false
		})
	];
}

const digestRun = (hash: string) => run(hash, { size: 20, font: font(FONT.body, 'Courier New'), break: 1 });

/**
 * The 附注 (GB/T 9704-2012, 7.3.7: in parentheses, two characters in, on the line after the date):
 * the SHA-256 of the results reported; when locked, the audit chain's head at locking (the
 * `results.lock` entry); and the head when the memo was made. A database that later lacks either
 * entry with that hash was rolled back (see README). Each digest on its own line in a smaller font.
 */
function annotation(d: MemoData): Paragraph {
	const items: [string, string][] = [['本报告所依据的评审结果数据摘要（SHA-256）：', d.hash]];
	if (d.lock.auditEntry) items.push([`评审结果锁定时审计日志末条记录（第 ${d.lock.auditEntry.id} 条，结果锁定）签名：`, d.lock.auditEntry.hash]);
	if (d.auditHead) items.push([`出具时审计日志末条记录（第 ${d.auditHead.lastId} 条）签名：`, d.auditHead.lastHash]);
	const children: TextRun[] = [run('（附注：')];
	items.forEach(([label, digest], i) => {
		children.push(run(label, i === 0 ? {} : { break: 1 }), digestRun(digest), run(i === items.length - 1 ? '。）' : '；'));
	});
	return new Paragraph({
		children,
		indent: { firstLine: 2 * CHAR, firstLineChars: 200 },
		alignment: AlignmentType.LEFT,
		spacing: exact(LINE)
	});
}

/* ---------- 版头 and 版记 (GB/T 9704-2012, 7.2 and 7.4) ---------- */

/** The 发文机关标志's height (pt) and its horizontal scale so that it fits the type area. */
export function mastheadMeasure(name: string, widthTwips = TEXT_WIDTH): { sizePt: number; scale: number } {
	const sizePt = 42;
	const n = Math.max(1, [...name].length);
	const scale = Math.min(100, Math.max(50, Math.floor(((widthTwips / 20) * 100) / (n * sizePt))));
	return { sizePt, scale };
}

/**
 * 版头: the 发文机关标志 centred in red 小标宋, its top 35 mm below the type area's top; two lines
 * below it the 发文字号 (left, one character in) and the 签发人 (right, one character in: "签发人："
 * in 仿宋, the name in 楷体) on one line; 4 mm under them the red separator as wide as the type area.
 */
function masthead(d: MemoData): Paragraph[] {
	const st = d.settings;
	const m = mastheadMeasure(st.masthead);
	const line = Math.round(m.sizePt * 20 * 1.15);
	const numberLine: TextRun[] = [run(st.documentNo)];
	if (st.signer) numberLine.push(new TextRun({ children: [new Tab()] }), run('签发人：'), run(st.signer, { font: font(FONT.h2, FONT.h2) }));
	return [
		new Paragraph({
			children: [run(st.masthead, { font: font(FONT.title, FONT.title), size: m.sizePt * 2, color: RED, scale: m.scale, characterSpacing: 0 })],
			alignment: AlignmentType.CENTER,
			spacing: { line, lineRule: LineRuleType.EXACT, before: Math.max(0, mmToTwip(35) - Math.round((line - m.sizePt * 20) / 2)), after: 0 }
		}),
		blank(),
		blank(),
		new Paragraph({
			children: numberLine,
			indent: { firstLine: CHAR },
			tabStops: [{ type: TabStopType.RIGHT, position: TEXT_WIDTH - CHAR }],
			spacing: exact(LINE),
			border: { bottom: { style: BorderStyle.SINGLE, size: RULE_THICK, color: RED, space: 11 } }
		}),
		blank()
	];
}

const SMALL = SIZE.sihao;
const SMALL_CHAR = 280;
const RECORD_LINE = 440;

/** Lines a 4号 text takes in the 版记's width (one character in on each side); digits count half. */
function recordLines(text: string): number {
	const perLine = Math.floor((TEXT_WIDTH - 2 * SMALL_CHAR) / (SMALL_CHAR + CHARACTER_SPACING));
	return Math.max(1, Math.ceil(dateWidth(text) / perLine));
}

/**
 * 版记 at the foot of the last page (7.4): 抄送 (4号 仿宋, one character in on both sides,
 * continuation lines under the first name) over the 印发机关 (left) and 印发日期 (right); thick
 * rules above and below, a thin one between, as wide as the type area; the last rule on the type
 * area's bottom edge: a table anchored to the page, its rows of a fixed height.
 */
function recordTable(d: MemoData): Table {
	const st = d.settings;
	const none = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
	// 2 twips (0.04 mm) short of the type area: LibreOffice keeps a table as wide as the type area in the text flow.
	const width = TEXT_WIDTH - 2;
	const rowHeight = (lines: number) => lines * RECORD_LINE + 120;
	const row = (lines: number, paragraph: Paragraph) =>
		new TableRow({
			cantSplit: true,
			height: { value: rowHeight(lines), rule: HeightRule.EXACT },
			children: [new TableCell({ width: { size: width, type: WidthType.DXA }, verticalAlign: VerticalAlignTable.CENTER, children: [paragraph] })]
		});
	const rows: { lines: number; row: TableRow }[] = [];
	if (st.copyTo) {
		const text = `抄送：${st.copyTo}。`;
		const lines = recordLines(text);
		rows.push({
			lines,
			row: row(lines, new Paragraph({ children: [run(text, { size: SMALL })], indent: { left: 3 * SMALL_CHAR, hanging: 3 * SMALL_CHAR }, spacing: exact(RECORD_LINE) }))
		});
	}
	rows.push({
		lines: 1,
		row: row(
			1,
			new Paragraph({
				children: [run(st.printedBy, { size: SMALL }), new TextRun({ children: [new Tab()] }), run(`${chineseDate(st.printedOn)}印发`, { size: SMALL })],
				tabStops: [{ type: TabStopType.RIGHT, position: width - 2 * SMALL_CHAR }],
				spacing: exact(RECORD_LINE),
				autoSpaceEastAsianText: false
			})
		)
	});
	const height = rows.reduce((h, r) => h + rowHeight(r.lines), 0);
	return new Table({
		rows: rows.map((r) => r.row),
		width: { size: width, type: WidthType.DXA },
		columnWidths: [width],
		layout: TableLayoutType.FIXED,
		margins: { top: 0, bottom: 0, left: SMALL_CHAR, right: SMALL_CHAR },
		borders: {
			top: { style: BorderStyle.SINGLE, size: RULE_THICK, color: '000000' },
			bottom: { style: BorderStyle.SINGLE, size: RULE_THICK, color: '000000' },
			insideHorizontal: { style: BorderStyle.SINGLE, size: RULE_THIN, color: '000000' },
			left: none,
			right: none,
			insideVertical: none
		},
		float: {
			horizontalAnchor: TableAnchorType.PAGE,
			absoluteHorizontalPosition: PAGE.left + 1,
			verticalAnchor: TableAnchorType.PAGE,
			absoluteVerticalPosition: PAGE.height - PAGE.bottom - height,
			overlap: OverlapType.OVERLAP
		}
	});
}

/** "— 1 —": 4号 half-width 宋体 Arabic numerals between two 一字线. */
const pageNumberRun = () =>
	new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], font: font(FONT.pageNumber, FONT.pageNumber), size: SIZE.sihao });

/** Portrait pages: the number 7 mm under the type area, odd pages right and even pages left, one character in. */
export function pageFooter(side: 'odd' | 'even'): Footer {
	return new Footer({
		children: [
			new Paragraph({
				children: [pageNumberRun()],
				alignment: side === 'odd' ? AlignmentType.RIGHT : AlignmentType.LEFT,
				indent: side === 'odd' ? { right: 280 } : { left: 280 },
				spacing: exact(300)
			})
		]
	});
}

/**
 * The page number of a landscape page (附件1) where it sits on the portrait pages once the sheet is
 * turned back (GB/T 9704-2012, 8: 页码位置与公文其他页码保持一致): the page is turned with the
 * binding edge on top, so the portrait bottom edge is the left edge here. The number runs down the
 * page (text turned a quarter clockwise), 7 mm outside the type area; odd pages at the lower end
 * (the portrait right corner), even pages at the upper end, one character in.
 */
function landscapeFooter(side: 'odd' | 'even'): Footer {
	const column = 340;
	const length = mmToTwip(60);
	const typeTop = LANDSCAPE_MARGIN.top;
	const typeBottom = PAGE.width - LANDSCAPE_MARGIN.bottom;
	const y = side === 'odd' ? typeBottom - SMALL_CHAR - length : typeTop + SMALL_CHAR;
	const none = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
	const number = new Table({
		rows: [
			new TableRow({
				height: { value: length, rule: HeightRule.EXACT },
				children: [
					new TableCell({
						textDirection: TextDirection.TOP_TO_BOTTOM_RIGHT_TO_LEFT,
						width: { size: column, type: WidthType.DXA },
						verticalAlign: VerticalAlignTable.CENTER,
						children: [
							new Paragraph({
								children: [pageNumberRun()],
								alignment: side === 'odd' ? AlignmentType.RIGHT : AlignmentType.LEFT,
								spacing: exact(300)
							})
						]
					})
				]
			})
		],
		width: { size: column, type: WidthType.DXA },
		columnWidths: [column],
		layout: TableLayoutType.FIXED,
		margins: { top: 0, bottom: 0, left: 0, right: 0 },
		borders: { top: none, bottom: none, left: none, right: none, insideHorizontal: none, insideVertical: none },
		float: {
			horizontalAnchor: TableAnchorType.PAGE,
			absoluteHorizontalPosition: LANDSCAPE_MARGIN.left - mmToTwip(7) - column,
			verticalAnchor: TableAnchorType.PAGE,
			absoluteVerticalPosition: y,
			overlap: OverlapType.OVERLAP
		}
	});
	return new Footer({ children: [number, new Paragraph({ children: [], spacing: exact(20) })] });
}

/* ---------- The document ---------- */

function titleParagraph(title: string): Paragraph {
	const style = { font: font(FONT.title, FONT.title), size: SIZE.erhao };
	// Two lines, the break where the meaning allows it (GB/T 9704: 词意完整, 排列对称).
	const cut = title.startsWith('关于国家数字技术工程师培育项目') && title.endsWith('评审结果的报告') ? title.indexOf('培训机构和评价机构') : -1;
	const runs = cut > 0 ? [run(title.slice(0, cut), style), run(title.slice(cut), { ...style, break: 1 })] : [run(title, style)];
	return new Paragraph({ children: runs, alignment: AlignmentType.CENTER, spacing: exact(720) });
}

/** Locked with review reports not fully signed: the written reason and the signatures missing (printed as given). */
function lockNotePart(d: MemoData): Paragraph[] {
	const n = d.lock.note;
	if (!n) return [];
	const missing = n.missing.map((m) => `${m.occupationLabel}（${m.typeLabel}）${m.count}名`).join('、');
	return [
		body(
			`评审结果锁定时，${missing ? `${missing}评审专家尚未在评审报告上签字，` : '评审报告尚未全部签字，'}经书面说明理由后锁定。理由：${n.reason.replace(/[。.]$/, '')}。`
		)
	];
}

/** 公示和异议处理情况: the paragraph and the table of every objection with its outcome. */
function publicityPart(d: MemoData, n: number): (Paragraph | Table)[] {
	const text = d.paragraphs.publicity;
	if (!d.publicity && !d.lock.locked && !d.customParagraphs.includes('publicity')) return [];
	const out: (Paragraph | Table)[] = [heading1(n, '公示和异议处理情况'), ...narrative(text)];
	const list = d.publicity?.objections ?? [];
	if (list.length === 0) return out;
	out.push(
		caption(`表${d.rubrics.length ? 4 : 3}  异议处理情况`),
		table(
			[
				{ title: '序号', mm: 11 },
				{ title: '异议涉及的申报', mm: 44, align: 'left' },
				{ title: '异议人', mm: 16 },
				{ title: '收到日期', mm: 25 },
				{ title: '处理结果', mm: 35, align: 'left' },
				{ title: '答复日期', mm: 25 }
			],
			list.map((o, i) => [
				String(i + 1),
				`${o.institutionName}\n（${o.occupationLabel}，${o.typeLabel}）`,
				o.objectorLabel,
				chineseDate(o.receivedDate),
				[o.outcomeLabel ?? o.statusLabel, o.open ? '正在处理，名单暂不确定' : '', o.notes ?? ''].filter((x) => x !== '').join('\n'),
				o.repliedDate ? chineseDate(o.repliedDate) : '—'
			])
		),
		note('注：异议人只列类别（单位或个人），不列姓名或名称。')
	);
	return out;
}

function mainBody(d: MemoData): (Paragraph | Table)[] {
	const p = d.paragraphs;
	const out: (Paragraph | Table)[] = [...masthead(d), titleParagraph(d.title)];
	if (!d.lock.locked) {
		out.push(
			new Paragraph({
				children: [run('（结果尚未锁定，仅供审阅）', { font: font(FONT.h2, FONT.h2), color: 'C00000' })],
				alignment: AlignmentType.CENTER,
				spacing: exact(LINE)
			})
		);
	}
	out.push(blank(), new Paragraph({ children: [run(`${d.addressee}：`)], spacing: exact(LINE) }), ...narrative(p.intro));

	out.push(heading1(1, '评审工作组织情况'));
	out.push(heading2(1, '申报受理和形式审查情况'), ...narrative(p.organisation), ...receivedTables(d));
	out.push(heading2(2, '评审专家和回避情况'), ...narrative(p.conflicts));
	out.push(heading2(3, '评分标准和结果汇总方法'), ...narrative(p.method), ...rubricTable(d));
	out.push(heading2(4, '评分复核和会议表决情况'), ...narrative(p.review));

	out.push(heading1(2, '评审结果'), ...narrative(p.results), ...lockNotePart(d), ...proposedSection(d));
	out.push(...publicityPart(d, 3));

	out.push(...narrative(p.closing), blank(), ...attachmentList(), ...signature(d), annotation(d));
	return out;
}

function otherAttachments(d: MemoData): (Paragraph | Table)[] {
	const out: (Paragraph | Table)[] = [...attachmentHeading(2, ATTACHMENTS[1], false)];
	if (d.formalCheck.overrides.length === 0) {
		out.push(body('本批次没有经书面豁免的形式审查问题。'));
	} else {
		out.push(
			table(
				[
					{ title: '序号', mm: 12 },
					{ title: '机构名称', mm: 38, align: 'left' },
					{ title: '职业及类别', mm: 30, align: 'left' },
					{ title: '问题', mm: 24, align: 'left' },
					{ title: '豁免理由', mm: 52, align: 'left' }
				],
				d.formalCheck.overrides.map((o, i) => [
					String(i + 1),
					o.institutionName,
					`${o.occupationLabel}\n（${o.typeLabel}）`,
					o.label,
					`${o.reason}\n（${chineseDate(beijingDate(o.at))}）`
				])
			)
		);
	}
	out.push(...attachmentHeading(3, ATTACHMENTS[2], true));
	if (d.siteVisits.length === 0) {
		out.push(body('本批次未组织实地考察。'));
	} else {
		out.push(
			table(
				[
					{ title: '序号', mm: 12 },
					{ title: '机构名称', mm: 36, align: 'left' },
					{ title: '考察日期', mm: 24 },
					{ title: '考察人员', mm: 30, align: 'left' },
					{ title: '考察情况', mm: 54, align: 'left' }
				],
				d.siteVisits.map((v, i) => [
					String(i + 1),
					`${v.institutionName}\n（${v.occupationLabel}，${v.typeLabel}）`,
					chineseDate(v.date),
					v.members,
					v.findings
				])
			)
		);
	}
	out.push(recordTable(d), new Paragraph({ children: [], spacing: exact(20) }));
	return out;
}

const portrait = {
	grid: GRID,
	page: {
		size: { width: PAGE.width, height: PAGE.height, orientation: PageOrientation.PORTRAIT },
		margin: { top: PAGE.top, bottom: PAGE.bottom, left: PAGE.left, right: PAGE.right, header: mmToTwip(15), footer: mmToTwip(22) }
	}
};
const landscape = {
	grid: GRID,
	page: {
		size: { width: PAGE.width, height: PAGE.height, orientation: PageOrientation.LANDSCAPE },
		margin: { ...LANDSCAPE_MARGIN, header: mmToTwip(12), footer: mmToTwip(14) }
	}
};

export function memoDocument(d: MemoData): Document {
	const footers = () => ({ default: pageFooter('odd'), even: pageFooter('even') });
	return new Document({
		title: d.title,
		creator: d.issuer,
		evenAndOddHeaderAndFooters: true,
		styles: {
			default: {
				document: {
					run: { font: font(FONT.body), size: SIZE.sanhao, characterSpacing: CHARACTER_SPACING, language: { value: 'en-US', eastAsia: 'zh-CN' } },
					paragraph: { spacing: exact(LINE) }
				}
			}
		},
		sections: [
			{ properties: portrait, footers: footers(), children: mainBody(d) },
			{
				properties: landscape,
				footers: { default: landscapeFooter('odd'), even: landscapeFooter('even') },
				children: [...attachmentHeading(1, ATTACHMENTS[0], false), ...summarySection(d)]
			},
			{ properties: portrait, footers: footers(), children: otherAttachments(d) }
		]
	});
}

/** The memo as a .docx file. */
export async function renderMemo(data: MemoData): Promise<Buffer> {
	return Packer.toBuffer(memoDocument(data));
}

/* ---------- The same layout for the other documents (the review report: review-report-docx.ts) ---------- */
export { heading1, heading2, caption, portrait, TABLE_LINE };
