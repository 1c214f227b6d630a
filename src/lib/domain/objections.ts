/**
 * The objection register (异议) of the 公示 period: who may object (real name: a unit or a person,
 * with a contact), what a registration needs, and the statuses an objection moves through.
 *
 *   received (待受理) ──受理──▶ accepted (已受理) ──办结──▶ closed (已办结)
 *            └────不予受理（理由）──▶ rejected (不予受理, final)
 *
 * An accepted objection is investigated (notes), re-reviewed by the original panel where the result
 * may change (a flag and its notes), and gets an outcome (成立 / 部分成立 / 不成立) with notes; it
 * closes only with an outcome and a written reply. A rejected one keeps its reason and may still get
 * a reply letter. The received date is checked against the publicity period: before its start is
 * refused (no list was published yet); after its last day is registered but flagged as late (逾期),
 * which is a ground for 不予受理 the office decides.
 */
import * as z from 'zod';
import type { PeriodPlace } from './publicity';

export const OBJECTION_STATUSES = ['received', 'accepted', 'rejected', 'closed'] as const;
export type ObjectionStatus = (typeof OBJECTION_STATUSES)[number];

export const OBJECTION_STATUS_LABELS: Record<ObjectionStatus, string> = {
	received: '待受理',
	accepted: '已受理',
	rejected: '不予受理',
	closed: '已办结'
};

export const OBJECTOR_KINDS = ['person', 'unit'] as const;
export type ObjectorKind = (typeof OBJECTOR_KINDS)[number];
export const OBJECTOR_KIND_LABELS: Record<ObjectorKind, string> = { person: '个人', unit: '单位' };

export const OUTCOMES = ['upheld', 'partly', 'dismissed'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const OUTCOME_LABELS: Record<Outcome, string> = { upheld: '成立', partly: '部分成立', dismissed: '不成立' };

/** The actions on an objection and the statuses they start from. */
export type ObjectionAction = 'accept' | 'reject' | 'handle' | 'reply' | 'close' | 'attach';
const ALLOWED: Record<ObjectionAction, readonly ObjectionStatus[]> = {
	accept: ['received'],
	reject: ['received'],
	handle: ['accepted'],
	reply: ['accepted', 'rejected'],
	close: ['accepted'],
	attach: ['received', 'accepted']
};
export const ACTION_LABELS: Record<ObjectionAction, string> = {
	accept: '受理',
	reject: '不予受理',
	handle: '记录处理情况',
	reply: '填写答复',
	close: '办结',
	attach: '补充材料'
};

export function canDo(action: ObjectionAction, status: ObjectionStatus): boolean {
	return ALLOWED[action].includes(status);
}

/** Why `action` cannot be done in `status` (null when it can). */
export function refusalFor(action: ObjectionAction, status: ObjectionStatus): string | null {
	if (canDo(action, status)) return null;
	return `该异议${OBJECTION_STATUS_LABELS[status]}，不能${ACTION_LABELS[action]}`;
}

/** Open objections (received or accepted) hold their group's final list. */
export const isOpen = (status: ObjectionStatus) => status === 'received' || status === 'accepted';

const text = (field: string, min: number, max: number, what = field) =>
	z
		.string({ message: `请填写${field}` })
		.transform((v) => v.replace(/\r\n/g, '\n').trim())
		.pipe(
			z
				.string()
				.min(1, `请填写${field}`)
				.min(min, `${what}不少于${min}个字`)
				.max(max, `${what}不能超过${max}字`)
		);

const date = z
	.string({ message: '请填写收到日期' })
	.transform((v) => v.normalize('NFKC').trim())
	.refine((v) => {
		const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
		if (!m) return false;
		const c = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
		return c.toISOString().slice(0, 10) === v;
	}, '收到日期应为有效日期，格式如 2023-10-09');

/** A contact someone can be reached at: a phone number (7+ digits) or a postal address / e-mail of some length. */
const contact = text('联系方式', 1, 200).refine((v) => (v.match(/\d/g)?.length ?? 0) >= 7 || /@/.test(v) || v.length >= 8, '联系方式应为能联系到异议人的电话、地址或电子邮箱');

/** A registration: real name (unit or person), contact, the application, grounds, the received date. */
export const objectionInput = z.object({
	applicationId: z.string({ message: '请选择被异议的申报' }).trim().min(1, '请选择被异议的申报').max(120),
	objectorKind: z.enum(OBJECTOR_KINDS, { message: '请选择异议人类型（单位或个人）' }),
	objectorName: text('异议人姓名或单位名称', 2, 100, '异议人姓名或单位名称'),
	contact,
	grounds: text('异议事实和理由', 10, 5000, '异议事实和理由'),
	receivedDate: date
});
export type ObjectionInput = z.output<typeof objectionInput>;

export const rejectInput = z.object({ reason: text('不予受理理由', 4, 2000, '不予受理理由') });
export const acceptInput = z.object({ reason: z.string().optional().default('').transform((v) => v.trim()).pipe(z.string().max(2000, '受理意见不能超过2000字')) });

const optionalText = (what: string, max: number) =>
	z
		.string()
		.optional()
		.default('')
		.transform((v) => v.replace(/\r\n/g, '\n').trim())
		.pipe(z.string().max(max, `${what}不能超过${max}字`));

/** Handling notes of an accepted objection; any part may still be empty until closing. */
export const handlingInput = z
	.object({
		investigation: optionalText('调查核实情况', 10000),
		rereview: z.boolean().default(false),
		rereviewNotes: optionalText('复审情况', 10000),
		outcome: z.union([z.enum(OUTCOMES, { message: '请选择处理结论' }), z.literal('')]).default(''),
		outcomeNotes: optionalText('处理结论说明', 5000)
	})
	.superRefine((v, ctx) => {
		if (v.rereview && v.rereviewNotes === '' && v.outcome !== '') ctx.addIssue({ code: 'custom', path: ['rereviewNotes'], message: '已提请原评审组复审的，请填写复审情况' });
		if (v.outcome !== '' && v.outcomeNotes.length < 4) ctx.addIssue({ code: 'custom', path: ['outcomeNotes'], message: '请填写不少于4个字的处理结论说明' });
	});
export type HandlingInput = z.output<typeof handlingInput>;

export const replyInput = z.object({ reply: text('答复内容', 10, 10000, '答复内容') });

/** What closing needs beyond the status: the outcome (with its notes) and the written reply. */
export function closingProblems(o: { outcome: Outcome | null; outcomeNotes: string | null; rereview: boolean; rereviewNotes: string | null; reply: string | null; investigation: string | null }): string[] {
	const out: string[] = [];
	if (!o.investigation?.trim()) out.push('尚未填写调查核实情况');
	if (!o.outcome) out.push('尚未记录处理结论（成立、部分成立或不成立）');
	if (o.rereview && !o.rereviewNotes?.trim()) out.push('已提请原评审组复审，尚未填写复审情况');
	if (!o.reply?.trim()) out.push('尚未填写书面答复');
	return out;
}

/** How the received date stands against the publicity period: before it is refused; after it is flagged. */
export function receivedDateProblem(place: PeriodPlace): string | null {
	return place === 'before' ? '收到日期早于公示开始日期：公示开始前收到的意见不作为公示异议登记' : null;
}

/** The reply the page offers as a draft (the office edits it); the letter prints the salutation above it. */
export function draftReply(
	o: { status: ObjectionStatus; institutionName: string; receivedDate: string; outcome: Outcome | null; outcomeNotes: string | null; admissionReason: string | null },
	chineseDate: (d: string) => string
): string {
	const head = `你（单位）于${chineseDate(o.receivedDate)}提出的关于“${o.institutionName}”的异议收悉。`;
	const clean = (v: string | null) => (v ?? '').trim().replace(/[。．.]+$/, '');
	if (o.status === 'rejected') return `${head}经审查，${clean(o.admissionReason)}，根据公示要求，决定不予受理。\n特此函复。`;
	const verdict = o.outcome ? `经研究，你（单位）所提异议${OUTCOME_LABELS[o.outcome]}。` : '';
	const found = clean(o.outcomeNotes);
	return `${head}我厅依程序受理后进行了调查核实${found ? `：${found}` : ''}。${verdict}\n特此函复。`;
}
