/**
 * 劳务费 of the review meeting (财科教〔2017〕128号《中央财政科研项目专家咨询费管理办法》§6:
 * 高级专业技术职称人员 1500–2400 元/人天, 其他专业人员 900–1500 元/人天, after tax).
 *
 * - `titleClass`: whether a title as the expert pool writes it is a senior one (正高 or 副高:
 *   教授, 研究员, 正高级工程师, 高级工程师, 副教授, 副研究员, 主任医师, 编审, …).
 * - the batch's fee standard: one rate per class, set by the office within the ranges; the lower
 *   bounds until it does.
 * - `computeFees`: per meeting day, every expert marked present is paid the rate × the day's length
 *   (a half day, or 'half' attendance on a full day, counts 0.5); left early and removed (for a
 *   conflict of interest not declared) are not paid. Totals per expert and per batch. Amounts are
 *   worked in fen (integers) and given in 元 with 2 decimals.
 */
import * as z from 'zod';

export type TitleClass = 'senior' | 'other';

export const TITLE_CLASS_LABELS: Record<TitleClass, string> = { senior: '高级职称', other: '其他专业人员' };

/** Titles that are senior wherever they appear in the text (正高 and 副高 of the title series). */
const SENIOR = [
	/院士/,
	/(?:正|副)高/, // 正高、副高、正高级工程师、副高级
	/高级职称/,
	/教授/, // 教授、副教授、教授级高级工程师 (助理教授 is excluded below)
	/研究员/, // 研究员、副研究员、研究员级高级工程师、研究馆员、农业技术推广研究员 (助理研究员 excluded)
	/研究馆员/,
	/高工/, // 高级工程师 as people abbreviate it, 教授级高工
	/主任(?:医|药|护|技)师/, // 主任医师、副主任医师、副主任药师 …
	/编审|译审/, // 编审、副编审、译审、副译审
	/(?:主任|高级)(?:编辑|记者)/,
	/播音指导|主任播音员/,
	/[一二]级(?:律师|公证员|演员|编剧|导演|作曲|演奏员|美术师|舞美设计师)/
];

/**
 * 高级…师 is a 副高 title (高级工程师, 高级经济师, 高级讲师, 高级实验师, 高级教师, 高级农艺师 …),
 * except the skill levels and certificates that share the word: 高级技师, 高级工, 人力资源管理师,
 * 心理咨询师 — those are 职业技能等级, not professional titles.
 */
const SENIOR_MASTER = /高级([\u4e00-\u9fff]{0,6}?)师/;
const NOT_A_TITLE = /技师|管理师|咨询师|营养师|理财师|培训师|育婴师/;

/** Words that keep a part junior even though it contains a senior word. */
const JUNIOR = /助理|实习/;

/**
 * Whether a title (as typed into the expert pool) is a senior professional title. Several titles in
 * one field ("教授、博士生导师", "高级工程师（教授级）") count as senior when any part is.
 */
export function titleClass(title: string | null | undefined): TitleClass {
	if (!title) return 'other';
	const text = title.normalize('NFKC').replace(/\s+/g, '');
	for (const part of text.split(/[、，,；;/／|()（）\[\]【】]+/)) {
		if (!part || JUNIOR.test(part)) continue;
		if (SENIOR.some((r) => r.test(part))) return 'senior';
		const m = SENIOR_MASTER.exec(part);
		if (m && !NOT_A_TITLE.test(`${m[1]}师`)) return 'senior';
		if (/professor/i.test(part) && !/assistant/i.test(part)) return 'senior';
	}
	return 'other';
}

/* ---------- the fee standard ---------- */

export type FeeStandard = { senior: number; other: number };

/** The ranges of 财科教〔2017〕128号 §6, 元 per person-day. */
export const FEE_RANGES: Record<TitleClass, { min: number; max: number }> = {
	senior: { min: 1500, max: 2400 },
	other: { min: 900, max: 1500 }
};

/** Until the office sets its standard: the lower bound of each range. */
export const DEFAULT_FEE_STANDARD: FeeStandard = { senior: FEE_RANGES.senior.min, other: FEE_RANGES.other.min };

export const FEE_FIELD_LABELS: Record<TitleClass, string> = {
	senior: '高级职称人员标准（元/人天）',
	other: '其他专业人员标准（元/人天）'
};

/** A batch's stored standard, or the default (a stored value outside the range is not trusted). */
export function feeStandardOf(stored: Partial<FeeStandard> | null | undefined): FeeStandard {
	const ok = (k: TitleClass) => {
		const v = stored?.[k];
		return typeof v === 'number' && Number.isFinite(v) && v >= FEE_RANGES[k].min && v <= FEE_RANGES[k].max ? v : DEFAULT_FEE_STANDARD[k];
	};
	return { senior: ok('senior'), other: ok('other') };
}

function rateField(k: TitleClass) {
	const label = FEE_FIELD_LABELS[k];
	const { min, max } = FEE_RANGES[k];
	return z
		.string({ message: `请填写${label}` })
		.trim()
		.min(1, { message: `请填写${label}` })
		.transform((s) => s.normalize('NFKC').replace(/[,，\s]/g, ''))
		.refine((s) => /^\d+(?:\.\d{1,2})?$/.test(s), { message: `${label}应为金额，最多两位小数` })
		.transform(Number)
		.refine((n) => n >= min && n <= max, { message: `${label}应在 ${min}–${max} 元之间（财科教〔2017〕128号）` });
}

/** The office's form: both rates, as typed. */
export const feeStandardSchema = z.object({ senior: rateField('senior'), other: rateField('other') });

/* ---------- attendance ---------- */

export const ATTENDANCE_STATUSES = ['present', 'half', 'left-early', 'removed'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

export const ATTENDANCE_LABELS: Record<AttendanceStatus, string> = {
	present: '出席',
	half: '出席半天',
	'left-early': '早退',
	removed: '回避退出'
};

/** Why an unpaid status is unpaid, for the sheet's notes. */
export const UNPAID_REASONS: Partial<Record<AttendanceStatus, string>> = {
	'left-early': '早退，不发放',
	removed: '因未申报的利益冲突被要求回避，不发放'
};

export const DAY_LENGTHS = [1, 0.5] as const;
export type DayLength = (typeof DAY_LENGTHS)[number];
export const DAY_LENGTH_LABELS: Record<string, string> = { '1': '全天', '0.5': '半天' };

/**
 * A half day counts pro rata, as the issue asks. (128号's own tables pay a half day 60 % of a full
 * day and the third and later days of a meeting 50 %; paying 50 % for a half day stays within them.)
 */
export const HALF_DAY = 0.5;

/**
 * The person-days an attendance counts for on a day of `length` (1 or 0.5): present counts the
 * day's length, 'half' half a day (no more than the day itself), left early and removed nothing.
 */
export function personDays(length: number, status: AttendanceStatus): number {
	switch (status) {
		case 'present':
			return length;
		case 'half':
			return Math.min(length, HALF_DAY);
		default:
			return 0;
	}
}

/** Fen of an amount in 元 (rounded half up to the fen). */
export const toFen = (yuan: number) => Math.round(yuan * 100);
export const toYuan = (fen: number) => fen / 100;

/** 1500 → "1500.00", 1234567.5 → "1,234,567.50". */
export function formatYuan(yuan: number): string {
	const [int, dec] = Math.abs(yuan).toFixed(2).split('.');
	return `${yuan < 0 ? '-' : ''}${int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${dec}`;
}

/** Days as people write them: 1, 0.5, 2.5. */
export const formatDays = (d: number) => String(Math.round(d * 100) / 100);

/* ---------- the fees ---------- */

export type FeeDay = { id: number; date: string; length: number; note?: string | null };
export type FeeAttendance = { dayId: number; expertId: string; status: AttendanceStatus; note?: string | null };
export type FeeExpert = { id: string; name: string; title: string | null; workUnit: string | null };

export type FeeLine = {
	expertId: string;
	name: string;
	title: string | null;
	workUnit: string | null;
	class: TitleClass;
	status: AttendanceStatus;
	note: string | null;
	/** Person-days paid (0 for unpaid statuses). */
	days: number;
	rate: number;
	/** 元, 2 decimals. */
	amount: number;
	paid: boolean;
};

export type FeeDaySheet = FeeDay & { lines: FeeLine[]; paid: FeeLine[]; unpaid: FeeLine[]; days: number; amount: number };

export type FeeExpertTotal = {
	expertId: string;
	name: string;
	title: string | null;
	workUnit: string | null;
	class: TitleClass;
	rate: number;
	days: number;
	amount: number;
	/** Days on which the expert was present but unpaid (left early, removed). */
	unpaidDays: string[];
};

export type FeeSheet = {
	standard: FeeStandard;
	days: FeeDaySheet[];
	experts: FeeExpertTotal[];
	total: { days: number; amount: number; experts: number };
};

/**
 * The fees of a meeting. `experts` gives the name, title and unit of everyone in `attendance`
 * (an attendance of an expert not given is an error: the caller reads them from the pool). Days in
 * date order, each day's lines in the order of `experts`; the per-expert totals list only experts
 * with attendance, in the order of `experts`.
 */
export function computeFees(input: { days: FeeDay[]; attendance: FeeAttendance[]; experts: FeeExpert[]; standard: FeeStandard }): FeeSheet {
	const { standard } = input;
	const order = new Map(input.experts.map((e, i) => [e.id, i]));
	const byId = new Map(input.experts.map((e) => [e.id, e]));
	const totals = new Map<string, FeeExpertTotal & { fen: number }>();
	let allFen = 0;
	let allDays = 0;
	const days = [...input.days]
		.sort((a, b) => a.date.localeCompare(b.date) || a.id - b.id)
		.map((day): FeeDaySheet => {
			const lines = input.attendance
				.filter((a) => a.dayId === day.id)
				.sort((a, b) => (order.get(a.expertId) ?? Infinity) - (order.get(b.expertId) ?? Infinity) || a.expertId.localeCompare(b.expertId))
				.map((a): FeeLine & { fen: number } => {
					const e = byId.get(a.expertId);
					if (!e) throw new Error(`劳务费：出席记录中的专家 ${a.expertId} 不在专家名单中`);
					const cls = titleClass(e.title);
					const rate = standard[cls];
					const d = personDays(day.length, a.status);
					const fen = Math.round(toFen(rate) * d);
					return { expertId: e.id, name: e.name, title: e.title, workUnit: e.workUnit, class: cls, status: a.status, note: a.note ?? null, days: d, rate, amount: toYuan(fen), paid: d > 0, fen };
				});
			let dayFen = 0;
			let dayDays = 0;
			for (const l of lines) {
				dayFen += l.fen;
				dayDays += l.days;
				let t = totals.get(l.expertId);
				if (!t) totals.set(l.expertId, (t = { expertId: l.expertId, name: l.name, title: l.title, workUnit: l.workUnit, class: l.class, rate: l.rate, days: 0, amount: 0, unpaidDays: [], fen: 0 }));
				t.fen += l.fen;
				t.days += l.days;
				if (!l.paid) t.unpaidDays.push(day.date);
			}
			allFen += dayFen;
			allDays += dayDays;
			const clean = lines.map(({ fen: _fen, ...l }) => l);
			return { ...day, lines: clean, paid: clean.filter((l) => l.paid), unpaid: clean.filter((l) => !l.paid), days: dayDays, amount: toYuan(dayFen) };
		});
	const experts = [...totals.values()]
		.sort((a, b) => (order.get(a.expertId) ?? Infinity) - (order.get(b.expertId) ?? Infinity))
		.map(({ fen, ...t }) => ({ ...t, amount: toYuan(fen) }));
	return { standard, days, experts, total: { days: allDays, amount: toYuan(allFen), experts: experts.filter((e) => e.days > 0).length } };
}

/** The sheet as the pages and the workbook show it. */
export type FeeSheetView = FeeSheet & {
	batch: { id: string; name: string; archived: boolean };
	/** Whether the ID numbers below are in full (the office) or masked (everyone else). */
	fullIds: boolean;
	/** Expert id → ID number, full or masked ('' when the pool has none). */
	idNumbers: Record<string, string>;
	/** Whether the office has set the standard (else the default lower bounds). */
	standardSet: boolean;
	roster: number;
};

/* ---------- the office's inputs ---------- */

/** A real calendar date written YYYY-MM-DD. */
export function isCalendarDate(s: string): boolean {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
	if (!m) return false;
	const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
	if (y < 2000 || y > 2100) return false;
	const t = new Date(Date.UTC(y, mo - 1, d));
	return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

export const meetingDaySchema = z.object({
	date: z
		.string({ message: '请填写会议日期' })
		.trim()
		.min(1, { message: '请填写会议日期' })
		.refine(isCalendarDate, { message: '会议日期应为真实日期，格式 YYYY-MM-DD（2000–2100 年）' }),
	length: z.enum(['1', '0.5'], { message: '会期应为全天或半天' }).transform(Number),
	note: z
		.string()
		.trim()
		.max(200, { message: '备注不能超过200个字符' })
		.optional()
		.transform((s) => (s ? s : null))
});
export type MeetingDayInput = z.input<typeof meetingDaySchema>;

export const attendanceStatusSchema = z.enum(ATTENDANCE_STATUSES, { message: '出席情况应为出席、出席半天、早退或回避退出' });
