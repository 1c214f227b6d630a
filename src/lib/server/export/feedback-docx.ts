/**
 * The 评审反馈函 as a Word document, in the memo's house layout (GB/T 9704-2012 measures: A4, margins
 * 37/35/28/26 mm, title 方正小标宋简体 二号, body 仿宋_GB2312 三号 on a fixed 28.95 pt line, level-1
 * headings 黑体, level-2 楷体_GB2312; page numbers "— 1 —" at the foot). Only lays out `FeedbackData`:
 * it holds no expert's name or points, so none can reach the file.
 */
import { AlignmentType, Document, Footer, LineRuleType, Packer, PageNumber, Paragraph, TextRun, type IParagraphOptions } from 'docx';
import type { FeedbackData } from '../services/feedback';
import { forBatch } from '../../domain/batch-name';
import { nationalDecisionLabel } from '../../domain/national';

const mm = (v: number) => Math.round((v * 1440) / 25.4);
const FONT = { title: '方正小标宋简体', body: '仿宋_GB2312', h1: '黑体', h2: '楷体_GB2312', page: '宋体' } as const;
const SIZE = { erhao: 44, sanhao: 32, sihao: 28 } as const;
const CHAR = 320;
const LINE = 579;

const font = (eastAsia: string) => ({ ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia, cs: 'Times New Roman' });
const spacing = { line: LINE, lineRule: LineRuleType.EXACT, before: 0, after: 0 };

function run(text: string, face: string = FONT.body, size: number = SIZE.sanhao) {
	return new TextRun({ text, font: font(face), size });
}

function body(text: string, opts: Partial<IParagraphOptions> = {}): Paragraph {
	return new Paragraph({ children: [run(text)], spacing, indent: { firstLine: 2 * CHAR }, ...opts });
}

function heading(text: string, level: 1 | 2): Paragraph {
	return new Paragraph({ children: [run(text, level === 1 ? FONT.h1 : FONT.h2)], spacing, indent: { firstLine: 2 * CHAR } });
}

const CN = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
const cn = (n: number) => (n <= 10 ? CN[n] : n < 20 ? `十${CN[n - 10]}` : String(n));
const chineseDate = (d: string) => {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d);
	return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : d;
};

export const FEEDBACK_TITLE = '评审反馈函';
export const FEEDBACK_ISSUER = '辽宁省人力资源和社会保障厅人才开发处';

/** The paragraphs' text in order (also what the tests read back). */
export function feedbackParagraphs(d: FeedbackData): { text: string; kind: 'title' | 'subtitle' | 'addressee' | 'h1' | 'h2' | 'body' | 'sign' }[] {
	const out: ReturnType<typeof feedbackParagraphs> = [];
	const push = (kind: (typeof out)[number]['kind'], text: string) => out.push({ kind, text });
	push('title', FEEDBACK_TITLE);
	push('subtitle', forBatch('（国家数字技术工程师培育项目第二批培训机构和评价机构遴选）', d.batchName));
	push('addressee', `${d.addressee}：`);
	push(
		'body',
		`你单位推荐的${d.institutionName}申报的${d.occupation}${d.type}（${d.levels}，申报编号 ${d.applicationId}），经省人力资源和社会保障厅组织专家评审，现将评审结果和评审意见反馈如下，请转告申报单位。`
	);
	push('h1', '一、评审结果');
	const r = d.result;
	if (r.rank !== null && r.score !== null) {
		const score = r.method === 'zscore' ? '' : `综合得分 ${r.score.toFixed(2)} 分，`;
		push('body', `${score}在本职业同类申报（共 ${r.groupSize} 家）中排名第 ${r.rank} 位。`);
	} else push('body', `有效评分不足，未参与排名（本职业同类申报共 ${r.groupSize} 家）。`);
	push('body', `评审结论：${r.proposed ? '列入拟推荐名单，报国家工程指导协调小组审核确定' : '未列入拟推荐名单'}。`);
	if (d.national) {
		push('body', `国家工程指导协调小组审核结果：${nationalDecisionLabel(d.national.decision)}（${chineseDate(d.national.date)}，${d.national.documentNo}）。`);
	} else if (r.proposed) push('body', '国家工程指导协调小组的审核结果尚未公布，公布后另行告知。');
	push('h1', '二、综合评审意见');
	push('body', d.opinion ?? '评审会议未形成书面的综合评审意见。');
	push('h1', '三、专家评审意见');
	if (!d.criteria.length && !d.overall.length) {
		push('body', '评审专家未填写书面意见。');
	} else {
		push('body', `以下为 ${d.experts} 位评审专家的书面意见，专家以代号（专家A、专家B……）表示，代号与专家身份及评分先后无关。`);
		let n = 0;
		for (const c of d.criteria) {
			push('h2', `（${cn(++n)}）${c.name}`);
			for (const x of c.comments) push('body', `${x.label}：${x.text}`);
		}
		if (d.overall.length) {
			push('h2', `（${cn(++n)}）总体意见`);
			for (const x of d.overall) push('body', `${x.label}：${x.text}`);
		}
	}
	push('body', '特此函告。');
	push('sign', FEEDBACK_ISSUER);
	push('sign', chineseDate(d.date));
	return out;
}

export async function renderFeedbackLetter(d: FeedbackData): Promise<Buffer> {
	const children = feedbackParagraphs(d).map((p) => {
		switch (p.kind) {
			case 'title':
				return new Paragraph({ children: [run(p.text, FONT.title, SIZE.erhao)], alignment: AlignmentType.CENTER, spacing: { line: LINE, lineRule: LineRuleType.EXACT, before: 0, after: LINE } });
			case 'subtitle':
				return new Paragraph({ children: [run(p.text, FONT.h2)], alignment: AlignmentType.CENTER, spacing: { ...spacing, after: LINE } });
			case 'addressee':
				return new Paragraph({ children: [run(p.text)], spacing });
			case 'h1':
			case 'h2':
				return heading(p.text, p.kind === 'h1' ? 1 : 2);
			case 'sign':
				return new Paragraph({ children: [run(p.text)], alignment: AlignmentType.RIGHT, spacing, indent: { right: 4 * CHAR } });
			default:
				return body(p.text);
		}
	});
	const doc = new Document({
		creator: FEEDBACK_ISSUER,
		title: `${FEEDBACK_TITLE}（${d.institutionName}）`,
		styles: { default: { document: { run: { font: font(FONT.body), size: SIZE.sanhao } } } },
		sections: [
			{
				properties: { page: { size: { width: mm(210), height: mm(297) }, margin: { top: mm(37), bottom: mm(35), left: mm(28), right: mm(26) } } },
				footers: {
					default: new Footer({
						children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], font: font(FONT.page), size: SIZE.sihao })] })]
					})
				},
				children
			}
		]
	});
	return Buffer.from(await Packer.toBuffer(doc));
}
