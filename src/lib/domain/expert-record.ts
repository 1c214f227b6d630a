/**
 * The expert's record (履职记录) and the office's 履职评价 of an expert for one batch
 * (政府采购评审专家管理办法 §21; NSFC 条例 §31): the criteria on a 100-point scale, the checks of a
 * rating and of the expert's reply, the due date (5 working days after the meeting's last day),
 * the timeliness of a sheet against the scoring deadline, and the draw's exclusion rule. Pure.
 */
import { addWorkingDays } from './workdays';
import { beijingDate } from './time';

export type RatingCriterion = { key: string; label: string; max: number; guidance: string };

/** The criteria of the 履职评价, in their order; the maxima sum to 100. */
export const RATING_CRITERIA: readonly RatingCriterion[] = [
	{ key: 'expertise', label: '专业能力', max: 30, guidance: '熟悉评审标准和申报领域，评分依据充分，意见具体' },
	{ key: 'fairness', label: '评审公正', max: 30, guidance: '客观独立评分，如实申报回避，无倾向性或异常评分未作说明' },
	{ key: 'discipline', label: '工作纪律', max: 20, guidance: '遵守评审承诺和保密要求，按时参会、不早退' },
	{ key: 'timeliness', label: '按时完成', max: 20, guidance: '在评分截止日期前提交全部评分表' }
];

export const RATING_MAX = RATING_CRITERIA.reduce((n, c) => n + c.max, 0);

/** The office rates within this many working days after the meeting's last day. */
export const RATING_DUE_WORKING_DAYS = 5;

export const NOTE_MAX = 2000;
export const REPLY_MIN = 2;
export const REPLY_MAX = 2000;

/** Points per criterion key, as parsed; `problems` names the field (`points.<key>`, `note`) in Chinese. */
export type RatingCheck = { points: Record<string, number>; total: number; note: string | null; problems: Record<string, string> };

/**
 * Checks a rating as posted: every criterion present, a number from 0 to its maximum in steps of
 * 0.5, no unknown criterion; the note optional, at most NOTE_MAX characters.
 */
export function checkRating(raw: { points: Record<string, unknown>; note?: unknown }): RatingCheck {
	const problems: Record<string, string> = {};
	const points: Record<string, number> = {};
	for (const c of RATING_CRITERIA) {
		const v = raw.points[c.key];
		const text = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : '';
		if (text === '') {
			problems[`points.${c.key}`] = `请填写「${c.label}」的得分`;
			continue;
		}
		const n = Number(text);
		if (!Number.isFinite(n) || !/^-?\d+(\.\d+)?$/.test(text)) problems[`points.${c.key}`] = `「${c.label}」的得分应为数字`;
		else if (n < 0 || n > c.max) problems[`points.${c.key}`] = `「${c.label}」的得分应在 0 到 ${c.max} 之间`;
		else if (Math.round(n * 2) !== n * 2) problems[`points.${c.key}`] = `「${c.label}」的得分以 0.5 分为单位`;
		else points[c.key] = n;
	}
	for (const k of Object.keys(raw.points)) {
		if (!RATING_CRITERIA.some((c) => c.key === k)) problems[`points.${k}`] = `没有评价项「${k}」`;
	}
	const noteText = typeof raw.note === 'string' ? raw.note.trim() : raw.note == null ? '' : null;
	if (noteText === null) problems.note = '评价说明应为文字';
	else if (noteText.length > NOTE_MAX) problems.note = `评价说明不能超过${NOTE_MAX}字`;
	return { points, total: ratingTotal(points), note: noteText ? noteText : null, problems };
}

export function ratingTotal(points: Record<string, number>): number {
	return RATING_CRITERIA.reduce((n, c) => n + (points[c.key] ?? 0), 0);
}

/** The expert's reply: 2 to 2000 characters after trimming; null with the problem otherwise. */
export function checkReply(raw: unknown): { reply: string | null; problem: string | null } {
	const text = typeof raw === 'string' ? raw.trim() : '';
	if (text.length < REPLY_MIN) return { reply: null, problem: `请填写不少于${REPLY_MIN}个字的说明` };
	if (text.length > REPLY_MAX) return { reply: null, problem: `说明不能超过${REPLY_MAX}字` };
	return { reply: text, problem: null };
}

/**
 * The day the meeting ended: its last recorded meeting day, else the day the chair started it
 * (Beijing date of `startedAt`), else null (no meeting yet: the rating is not yet due).
 */
export function meetingEnd(dayDates: readonly string[], startedAt: string | null | undefined): string | null {
	if (dayDates.length) return [...dayDates].sort().at(-1)!;
	return startedAt ? beijingDate(startedAt) : null;
}

/** The last day of the rating period: 5 working days after the meeting's end; null while not due. */
export function ratingDueDate(end: string | null): string | null {
	return end ? addWorkingDays(end, RATING_DUE_WORKING_DAYS) : null;
}

/** A rating given (ISO time) after the due date is 逾期 (late); none is late while there is no due date. */
export function ratingLate(due: string | null, ratedAt: string): boolean {
	return due !== null && beijingDate(ratedAt) > due;
}

/** Where the office stands with one rating: rated (on time or late), open before the due date, overdue, or not yet due. */
export type RatingStatus = 'rated' | 'rated-late' | 'open' | 'overdue' | 'not-due';

export const RATING_STATUS_LABELS: Record<RatingStatus, string> = {
	rated: '已评价',
	'rated-late': '已评价（逾期）',
	open: '待评价',
	overdue: '逾期未评价',
	'not-due': '会议尚未举行'
};

export function ratingStatus(due: string | null, ratedAt: string | null, today: string): RatingStatus {
	if (ratedAt) return ratingLate(due, ratedAt) ? 'rated-late' : 'rated';
	if (due === null) return 'not-due';
	return today > due ? 'overdue' : 'open';
}

/** The mean of the totals (rounded to 2 decimals), null without any. */
export function averageRating(totals: readonly number[]): number | null {
	if (!totals.length) return null;
	return Math.round((totals.reduce((a, b) => a + b, 0) / totals.length) * 100) / 100;
}

/**
 * The draw leaves out an expert whose average is below the batch's threshold. Off (null) by
 * default; an expert with no rating is never left out.
 */
export function belowThreshold(average: number | null, threshold: number | null | undefined): boolean {
	return threshold != null && average !== null && average < threshold;
}

/** Checks the threshold as posted: empty for off, else a number from 0 to 100. */
export function checkThreshold(raw: unknown): { value: number | null; problem: string | null } {
	const text = raw == null ? '' : String(raw).trim();
	if (text === '') return { value: null, problem: null };
	const n = Number(text);
	if (!/^-?\d+(\.\d+)?$/.test(text) || !Number.isFinite(n)) return { value: null, problem: '履职评价下限应为 0 到 100 之间的数字，留空表示不启用' };
	if (n < 0 || n > RATING_MAX) return { value: null, problem: `履职评价下限应在 0 到 ${RATING_MAX} 之间` };
	return { value: n, problem: null };
}

/** A sheet against the batch's scoring deadline. */
export type Timeliness = 'on-time' | 'late' | 'missing' | 'open';

export const TIMELINESS_LABELS: Record<Timeliness, string> = { 'on-time': '按时提交', late: '逾期提交', missing: '未提交', open: '未到截止日' };

/**
 * On time when submitted on or before the deadline (Beijing date), or submitted with no deadline
 * set; late after it. A sheet not submitted is missing once the deadline has passed or the batch
 * is closed (locked or archived), else still open.
 */
export function sheetTimeliness(
	sheet: { status: 'draft' | 'submitted'; submittedAt: string | null } | null,
	deadline: string | null,
	today: string,
	closed: boolean
): Timeliness {
	if (sheet?.status === 'submitted') {
		if (!deadline || !sheet.submittedAt) return 'on-time';
		return beijingDate(sheet.submittedAt) <= deadline ? 'on-time' : 'late';
	}
	if (closed || (deadline !== null && today > deadline)) return 'missing';
	return 'open';
}

/** Severity over several groups: the mean of the group severities weighted by their shared applications. */
export function pooledSeverity(groups: readonly { severity: number; shared: number }[]): { severity: number; shared: number } | null {
	const shared = groups.reduce((n, g) => n + g.shared, 0);
	if (!shared) return null;
	return { severity: groups.reduce((n, g) => n + g.severity * g.shared, 0) / shared, shared };
}
