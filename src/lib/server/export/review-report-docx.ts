/**
 * The review report (评审报告) of one group as a Word document, in the memo's layout (docx.ts:
 * A4, GB/T 9704 margins, 仿宋 三号 body, 方正小标宋 二号 title, 黑体/楷体 headings, page numbers):
 * the members drawn, replaced and recused; the method; the ranked results; the re-check
 * corrections; the votes; each application's 综合评审意见; the members' dissents with their
 * reasons; the lock note (missing signatures and the reason) when there is one; and a signature page
 * with a line per member, showing where a member signed in the app and when.
 */
import { AlignmentType, Document, Packer, Paragraph, TextRun, type Table } from 'docx';
import {
	CHAR,
	FONT,
	LINE,
	SIZE,
	blank,
	body,
	caption,
	exact,
	font,
	heading1,
	heading2,
	narrative,
	note,
	pageFooter,
	portrait,
	run,
	table,
	type CellSpec
} from './docx';
import { chineseDate, scoreText } from './memo-data';
import type { ReportGroup } from '../queries/review-report';
import { occupationLabel } from '../../domain/occupations';
import { regionLabel } from '../../domain/regions';
import { batchOrdinal } from '../../domain/batch-name';
import { beijingDate, beijingDateTime } from '../../domain/time';
import { FLAG_LABELS, type Flag } from '../../domain/aggregation';
import { conflictLabel, isConflictCode } from '../../domain/conflicts';
import { AGGREGATION_METHODS, DECISIONS, labelOf } from '../../domain/vocabulary';
import { REPLACEMENT_CAUSE_LABELS, SIGNATURE_KIND_LABELS, TYPE_LABELS, correctionRuleLabel } from '../../domain/review-report';

export type ReportDocContext = { batchName: string; expertNames: Record<string, string>; generatedAt: Date };

const num = (x: number | null) => (x == null ? '—' : Number.isInteger(x) ? String(x) : String(Math.round(x * 100) / 100));
const decisionLabel = (k: string | null) => (k ? labelOf(DECISIONS, k) : '');

export function reportTitle(g: Pick<ReportGroup, 'occupation' | 'type'>, batchName: string): string {
	return `国家数字技术工程师培育项目${batchOrdinal(batchName)}${occupationLabel(g.occupation)}${TYPE_LABELS[g.type]}评审报告`;
}

function title(text: string): Paragraph {
	return new Paragraph({ children: [run(text, { font: font(FONT.title, FONT.title), size: SIZE.erhao })], alignment: AlignmentType.CENTER, spacing: exact(720) });
}

function centred(text: string, size: number = SIZE.sanhao): Paragraph {
	return new Paragraph({ children: [run(text, { font: font(FONT.h2, FONT.h2), size })], alignment: AlignmentType.CENTER, spacing: exact(LINE) });
}

function membersSection(g: ReportGroup): (Paragraph | Table)[] {
	const c = g.content;
	const out: (Paragraph | Table)[] = [heading1(1, '评审专家')];
	const signing = c.members.filter((m) => m.mustSign).length;
	out.push(body(`本组共抽取评审专家${c.members.length}名，其中须在本报告上签字的评审组成员${signing}名。`));
	if (c.members.length) {
		out.push(
			table(
				[
					{ title: '序号', mm: 12 },
					{ title: '姓名', mm: 20 },
					{ title: '工作单位', mm: 50, align: 'left' },
					{ title: '职称', mm: 24 },
					{ title: '评审项数', mm: 16 },
					{ title: '回避项数', mm: 16 },
					{ title: '签字', mm: 18 }
				],
				c.members.map((m, i) => [
					String(i + 1),
					m.name,
					{ text: m.workUnit ?? '—', align: 'left' },
					m.title ?? '—',
					String(m.applications),
					String(m.recused),
					m.mustSign ? '须签字' : m.invitation === 'declined' || m.invitation === 'expired' ? '未参加' : '全部回避'
				])
			)
		);
	}
	out.push(heading2(1, '专家更换情况'));
	if (c.replacements.length === 0) out.push(body('本组未更换评审专家。'));
	else
		out.push(
			table(
				[
					{ title: '序号', mm: 12 },
					{ title: '申报单位', mm: 44, align: 'left' },
					{ title: '原专家', mm: 20 },
					{ title: '替换专家', mm: 20 },
					{ title: '原因', mm: 60, align: 'left' }
				],
				c.replacements.map((r, i) => [
					String(i + 1),
					{ text: r.institutionName, align: 'left' },
					r.fromName,
					r.toName ?? '（未替换）',
					{ text: `${REPLACEMENT_CAUSE_LABELS[r.cause]}${r.reason ? `：${r.reason}` : ''}（${chineseDate(beijingDate(r.at))}）`, align: 'left' }
				])
			)
		);
	out.push(heading2(2, '回避情况'));
	if (c.recusals.length === 0) out.push(body('本组评审专家无须回避的情形。'));
	else
		out.push(
			table(
				[
					{ title: '序号', mm: 12 },
					{ title: '申报单位', mm: 44, align: 'left' },
					{ title: '专家', mm: 20 },
					{ title: '回避事由', mm: 34, align: 'left' },
					{ title: '说明', mm: 46, align: 'left' }
				],
				c.recusals.map((r, i) => [
					String(i + 1),
					{ text: r.institutionName, align: 'left' },
					r.name,
					{ text: isConflictCode(r.code) ? conflictLabel(r.code) : r.code, align: 'left' },
					{ text: r.reason || '—', align: 'left' }
				])
			)
		);
	return out;
}

function methodSection(g: ReportGroup): (Paragraph | Table)[] {
	const m = g.content.method;
	return [
		heading1(2, '评审方法'),
		body(
			`各评审专家按评分细则独立评分，有利益冲突的专家回避相应申报。汇总方法：${labelOf(AGGREGATION_METHODS, m.method)}；有效评分不足${m.minReviews}份的不予排名；合格线${num(m.passScore)}分；${m.maxPerGroup ? `每组拟推荐不超过${m.maxPerGroup}家；` : ''}专家评分极差超过${num(m.dispersionThreshold)}分的标记为“评分分歧大”，偏离平均分${num(m.deviationPct)}%以上的评分标记为异常评分。`
		)
	];
}

function resultsSection(g: ReportGroup): (Paragraph | Table)[] {
	const rows: CellSpec[][] = g.content.results.map((r) => [
		r.rank == null ? '—' : String(r.rank),
		{ text: `${r.institutionName}（${regionLabel(r.region)}）`, align: 'left' },
		String(r.n),
		scoreText(r.score),
		r.flags.map((f) => FLAG_LABELS[f as Flag] ?? f).join('\n') || '—',
		`${r.decision ? decisionLabel(r.decision) : r.proposed ? '拟推荐' : '不推荐'}${r.decisionReason ? `\n（${r.decisionReason}）` : ''}`
	]);
	return [
		heading1(3, '评审结果'),
		body(`本组共${g.content.results.length}项申报，拟推荐${g.content.results.filter((r) => r.proposed).length}家。`),
		caption('表1  评审结果排序'),
		table(
			[
				{ title: '排名', mm: 12 },
				{ title: '申报单位（地区）', mm: 62, align: 'left' },
				{ title: '有效份数', mm: 14 },
				{ title: '得分', mm: 16 },
				{ title: '标记', mm: 22 },
				{ title: '会议决定', mm: 30 }
			],
			rows
		)
	];
}

function correctionsSection(g: ReportGroup): (Paragraph | Table)[] {
	const c = g.content.corrections;
	const out: (Paragraph | Table)[] = [heading1(4, '复核更正情况')];
	if (c.length === 0) return [...out, body('复核未发现需要更正的评分。')];
	out.push(
		table(
			[
				{ title: '序号', mm: 10 },
				{ title: '申报单位', mm: 32, align: 'left' },
				{ title: '专家', mm: 16 },
				{ title: '评分项', mm: 22, align: 'left' },
				{ title: '复核规则', mm: 22, align: 'left' },
				{ title: '原值→新值', mm: 18 },
				{ title: '理由、更正人', mm: 36, align: 'left' }
			],
			c.map((x, i) => [
				String(i + 1),
				{ text: x.institutionName, align: 'left' },
				x.expertName,
				{ text: x.criterionName ?? '合计', align: 'left' },
				{ text: correctionRuleLabel(x.rule), align: 'left' },
				`${num(x.oldValue)}→${num(x.newValue)}`,
				{ text: `${x.reason}\n（${x.byName ?? '—'}，${chineseDate(beijingDate(x.at))}）`, align: 'left' }
			])
		)
	);
	return out;
}

function votesSection(g: ReportGroup): (Paragraph | Table)[] {
	const v = g.content.votes;
	const out: (Paragraph | Table)[] = [heading1(5, '表决情况')];
	if (v.length === 0) return [...out, body('本组未进行表决。')];
	out.push(
		table(
			[
				{ title: '序号', mm: 10 },
				{ title: '申报单位', mm: 46, align: 'left' },
				{ title: '表决事项', mm: 22 },
				{ title: '同意', mm: 13 },
				{ title: '不同意', mm: 13 },
				{ title: '弃权', mm: 13 },
				{ title: '应参加', mm: 13 },
				{ title: '表决时间', mm: 26 }
			],
			v.map((x, i) => [
				String(i + 1),
				{ text: x.institutionName, align: 'left' },
				decisionLabel(x.motion),
				String(x.tally.agree),
				String(x.tally.disagree),
				String(x.tally.abstain),
				String(x.tally.eligible),
				beijingDateTime(x.closedAt)
			])
		)
	);
	return out;
}

function opinionsSection(g: ReportGroup): Paragraph[] {
	const out: Paragraph[] = [heading1(6, '综合评审意见')];
	if (g.content.opinions.length === 0) return [...out, body('尚未形成综合评审意见。')];
	g.content.opinions.forEach((o, i) => {
		out.push(body(`${i + 1}．${o.institutionName}`, { keepNext: true }), ...narrative(o.text));
	});
	return out;
}

function signaturesSection(g: ReportGroup, ctx: ReportDocContext): Paragraph[] {
	const out: Paragraph[] = [heading1(7, '评审专家签署意见')];
	const dissents = g.status.dissents;
	const signed = g.status.members.filter((m) => m.state === 'signed').length;
	out.push(body(`本组须签字专家${g.status.members.length}名，已对本报告签字${signed}名，其中有不同意见${dissents.length}名。`));
	dissents.forEach((d, i) => {
		const when = d.method === 'paper' ? chineseDate(d.signedAt) : beijingDateTime(d.signedAt);
		out.push(body(`${i + 1}．${ctx.expertNames[d.expertId] ?? d.expertId}（${SIGNATURE_KIND_LABELS.dissent}，${when}）：${d.dissent ?? ''}`));
	});
	const note = g.content.lockNote;
	if (note) {
		out.push(heading2(1, '锁定说明'));
		const who = note.missingExpertIds.map((id) => ctx.expertNames[id] ?? id).join('、');
		out.push(
			body(`评审结果${note.lockedAt ? `于${chineseDate(beijingDate(note.lockedAt))}` : ''}锁定时，本报告尚缺以下专家的签字：${who}。`),
			body(`锁定理由：${note.reason}`)
		);
	}
	return out;
}

/** The signature page: one line per member who must sign, with the in-app signature where there is one. */
function signaturePage(g: ReportGroup, ctx: ReportDocContext): (Paragraph | Table)[] {
	const rows: CellSpec[][] = g.status.members.map((m, i) => {
		const sig = m.signature;
		const name = ctx.expertNames[m.expertId] ?? m.expertId;
		const unit = g.content.members.find((x) => x.expertId === m.expertId)?.workUnit ?? '';
		if (m.state === 'signed' && sig) {
			const how = sig.method === 'app' ? `系统内已签字\n${beijingDateTime(sig.signedAt)}` : '纸质签字已登记';
			return [String(i + 1), name, { text: unit, align: 'left' }, SIGNATURE_KIND_LABELS[sig.kind], how, sig.method === 'paper' ? chineseDate(sig.signedAt) : chineseDate(beijingDate(sig.signedAt))];
		}
		return [String(i + 1), name, { text: unit, align: 'left' }, '□同意  □有不同意见', m.state === 'stale' ? '（原签字后报告已变更，须重新签字）' : '', ''];
	});
	return [
		new Paragraph({
			children: [run('评审专家签字页', { font: font(FONT.title, FONT.title), size: SIZE.erhao })],
			alignment: AlignmentType.CENTER,
			spacing: exact(720),
			pageBreakBefore: true
		}),
		centred(reportTitle(g, ctx.batchName), SIZE.sihao),
		centred(`报告校验码：${g.digest.slice(0, 8)}`, SIZE.sihao),
		blank(),
		body('本人已阅读本评审报告，对评审过程和结果的意见如下（有不同意见的，应在报告后附书面理由）：'),
		table(
			[
				{ title: '序号', mm: 12 },
				{ title: '姓名', mm: 20 },
				{ title: '工作单位', mm: 42, align: 'left' },
				{ title: '意见', mm: 26 },
				{ title: '签字', mm: 32 },
				{ title: '日期', mm: 24 }
			],
			rows
		),
		note('注：“系统内已签字”为专家在评审工作台中签署本报告的时间；报告内容在签字后变更的，原签字失效，须重新签字。报告校验码为报告内容摘要（SHA-256）的前8位，登记纸质签字时须与当前报告一致。'),
		new Paragraph({
			children: [run(`报告内容摘要（SHA-256）：`, { size: SIZE.xiaosi }), new TextRun({ text: g.digest, size: 20, font: font(FONT.body, 'Courier New'), break: 1 })],
			indent: { left: 2 * CHAR },
			spacing: exact(LINE)
		})
	];
}

export function reportDocument(g: ReportGroup, ctx: ReportDocContext): Document {
	const heading = reportTitle(g, ctx.batchName);
	const children: (Paragraph | Table)[] = [
		title(heading),
		centred(`（${ctx.batchName}，出具日期${chineseDate(beijingDate(ctx.generatedAt))}，报告校验码 ${g.digest.slice(0, 8)}）`, SIZE.sihao),
		blank(),
		...membersSection(g),
		...methodSection(g),
		...resultsSection(g),
		...correctionsSection(g),
		...votesSection(g),
		...opinionsSection(g),
		...signaturesSection(g, ctx),
		...signaturePage(g, ctx)
	];
	return new Document({
		title: heading,
		creator: '辽宁省人力资源和社会保障厅',
		evenAndOddHeaderAndFooters: true,
		styles: {
			default: {
				document: {
					run: { font: font(FONT.body), size: SIZE.sanhao, language: { value: 'en-US', eastAsia: 'zh-CN' } },
					paragraph: { spacing: exact(LINE) }
				}
			}
		},
		sections: [{ properties: portrait, footers: { default: pageFooter('odd'), even: pageFooter('even') }, children }]
	});
}

export async function renderReport(g: ReportGroup, ctx: ReportDocContext): Promise<Buffer> {
	return Packer.toBuffer(reportDocument(g, ctx));
}
