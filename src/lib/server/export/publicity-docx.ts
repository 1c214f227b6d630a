/**
 * The 公示 notice and the objection reply letter (异议答复函) as Word documents, laid out as the memo
 * is (export/docx.ts, GB/T 9704-2012): A4 with the memo's margins, title 方正小标宋简体 二号, body
 * 仿宋_GB2312 三号 on the document grid of 22 lines × 28 characters, page numbers "— 1 —"; the issuer
 * and the date at the end. The notice lists the proposed applications per type and occupation
 * (institution, levels, region) as its attachment, the period, and how to object.
 */
import { AlignmentType, Document, DocumentGridType, Packer, PageOrientation, Paragraph, type Table } from 'docx';
import {
	CHAR,
	FONT,
	LINE,
	PAGE,
	SIZE,
	TEXT_WIDTH,
	blank,
	body,
	dateWidth,
	exact,
	font,
	mmToTwip,
	narrative,
	pageFooter,
	run,
	table,
	type CellSpec
} from './docx';
import { chineseDate, chineseNumber } from './memo-data';
import type { PublicityGroup } from '../queries/objections';

/** Characters per line on the document grid (GB/T 9704-2012, 5.2.2). */
export const CHARS_PER_LINE = 28;

/**
 * The section's document grid: 22 lines of 28 characters. Word's character pitch is the default
 * font's size (三号, 16 pt) plus charSpace/4096 pt, so 28 characters fill the 156 mm text width.
 */
export const DOC_GRID = {
	type: DocumentGridType.LINES_AND_CHARS,
	linePitch: LINE,
	charSpace: Math.floor((TEXT_WIDTH / 20 / CHARS_PER_LINE - SIZE.sanhao / 2) * 4096)
};

const portrait = {
	page: {
		size: { width: PAGE.width, height: PAGE.height, orientation: PageOrientation.PORTRAIT },
		margin: { top: PAGE.top, bottom: PAGE.bottom, left: PAGE.left, right: PAGE.right, header: mmToTwip(15), footer: mmToTwip(22) }
	},
	grid: DOC_GRID
};

function title(text: string): Paragraph {
	return new Paragraph({ children: [run(text, { font: font(FONT.title, FONT.title), size: SIZE.erhao })], alignment: AlignmentType.CENTER, spacing: exact(720) });
}

/** Issuer right-indented two characters; the date under it (as the memo's signature). */
function signature(issuer: string, date: string): Paragraph[] {
	const text = chineseDate(date);
	const dateIndent = Math.max(2, 2 + [...issuer].length - 2 - dateWidth(text));
	return [
		blank(),
		new Paragraph({ children: [run(issuer)], alignment: AlignmentType.RIGHT, indent: { right: 2 * CHAR }, spacing: exact(LINE) }),
		new Paragraph({ children: [run(text)], alignment: AlignmentType.RIGHT, indent: { right: Math.round(dateIndent * CHAR) }, spacing: exact(LINE), autoSpaceEastAsianText: false })
	];
}

function document(titleText: string, creator: string, sections: (Paragraph | Table)[][]): Document {
	const footers = () => ({ default: pageFooter('odd'), even: pageFooter('even') });
	return new Document({
		title: titleText,
		creator,
		evenAndOddHeaderAndFooters: true,
		styles: {
			default: {
				document: {
					run: { font: font(FONT.body), size: SIZE.sanhao, language: { value: 'en-US', eastAsia: 'zh-CN' } },
					paragraph: { spacing: exact(LINE) }
				}
			}
		},
		sections: sections.map((children) => ({ properties: portrait, footers: footers(), children }))
	});
}

/* ---------- The 公示 notice ---------- */

export type NoticeData = {
	/** 第一批, 第二批 … */
	ordinal: string;
	issuer: string;
	/** The day the notice is issued (the period's start). */
	date: string;
	period: { start: string; end: string; workingDays: number };
	contact: { department: string; phone: string; address: string | null };
	groups: PublicityGroup[];
};

export function noticeTitle(ordinal: string): string {
	return `关于国家数字技术工程师培育项目${ordinal}培训机构和评价机构拟推荐名单的公示`;
}

function listTable(d: NoticeData): (Paragraph | Table)[] {
	if (!d.groups.length) return [body('本批次无拟推荐机构。')];
	const rows: CellSpec[][] = [];
	const byType: { typeLabel: string; groups: PublicityGroup[] }[] = [];
	for (const g of d.groups) {
		const last = byType.at(-1);
		if (last && last.typeLabel === g.typeLabel) last.groups.push(g);
		else byType.push({ typeLabel: g.typeLabel, groups: [g] });
	}
	let n = 0;
	byType.forEach((t, ti) => {
		rows.push([{ text: `${chineseNumber(ti + 1)}、${t.typeLabel}（${t.groups.reduce((k, g) => k + g.items.length, 0)}家）`, columnSpan: 4, align: 'left' }]);
		for (const g of t.groups) {
			rows.push([{ text: `${g.occupationLabel}（${g.items.length}家）`, columnSpan: 4, align: 'left' }]);
			for (const a of g.items) rows.push([String(++n), { text: a.institutionName, align: 'left' }, a.levelLabels.join('、') || '—', a.regionLabel]);
		}
	});
	return [
		table(
			[
				{ title: '序号', mm: 14 },
				{ title: '机构名称', mm: 80, align: 'left' },
				{ title: '申报等级', mm: 36 },
				{ title: '所在地区', mm: 26 }
			],
			rows
		)
	];
}

export function noticeDocument(d: NoticeData): Document {
	const t = noticeTitle(d.ordinal);
	const count = d.groups.reduce((k, g) => k + g.items.length, 0);
	const contact = [`联系部门：${d.contact.department}`, `联系电话：${d.contact.phone}`, ...(d.contact.address ? [`通讯地址：${d.contact.address}`] : [])];
	const main: (Paragraph | Table)[] = [
		title(t),
		blank(),
		...narrative(
			[
				`根据国家数字技术工程师培育项目${d.ordinal}培训机构和评价机构遴选工作安排，经申报受理、形式审查和专家评审，拟推荐${count}家机构为国家数字技术工程师培育项目${d.ordinal}培训机构和评价机构（名单见附件）。现予以公示。`,
				`公示时间：${chineseDate(d.period.start)}至${chineseDate(d.period.end)}（${d.period.workingDays}个工作日）。`,
				'公示期间，对公示对象有异议的，请以书面形式实名向我厅反映，写明异议的具体事实和理由，并提供必要的证明材料。以单位名义反映的，须加盖单位公章；以个人名义反映的，须署本人真实姓名并留有效联系方式。匿名、超出公示期限或没有具体事实依据的异议，不予受理。',
				...contact
			].join('\n')
		),
		blank(),
		new Paragraph({ children: [run('附件：拟推荐机构名单')], indent: { left: 2 * CHAR }, spacing: exact(LINE) }),
		...signature(d.issuer, d.date)
	];
	const attachment: (Paragraph | Table)[] = [
		new Paragraph({ children: [run('附件', { font: font(FONT.h1, FONT.h1) })], spacing: exact(LINE) }),
		blank(),
		title(`国家数字技术工程师培育项目${d.ordinal}培训机构和评价机构拟推荐名单`),
		...listTable(d)
	];
	return document(t, d.issuer, [main, attachment]);
}

export async function renderNotice(d: NoticeData): Promise<Buffer> {
	return Packer.toBuffer(noticeDocument(d));
}

/* ---------- The reply letter (异议答复函) ---------- */

export type ReplyData = {
	issuer: string;
	objectorName: string;
	reply: string;
	/** The day the reply was recorded (or today for a draft). */
	date: string;
	ordinal: string;
};

export const REPLY_TITLE = '异议答复函';

export function replyDocument(d: ReplyData): Document {
	const children: (Paragraph | Table)[] = [
		title(REPLY_TITLE),
		blank(),
		new Paragraph({ children: [run(`${d.objectorName}：`)], spacing: exact(LINE) }),
		...narrative(d.reply),
		...signature(d.issuer, d.date)
	];
	return document(`${REPLY_TITLE}（国家数字技术工程师培育项目${d.ordinal}）`, d.issuer, [children]);
}

export async function renderReply(d: ReplyData): Promise<Buffer> {
	return Packer.toBuffer(replyDocument(d));
}
