/**
 * The coordinating group's decision (国家工程指导协调小组审核确定) on the province's proposed
 * applications, and the directory entry a 确定 produces (issue 14, item 7).
 *
 * The notice (四（三）) has the province report its 评议结果意见 and the national group decide; the
 * issue has the province publicise its proposed list first (公示). So a decision can be recorded
 * only once the results are locked and, when the batch has a publicity period, once that period is
 * closed; it cannot be dated before the lock nor before the publicity closed, nor in the future.
 * A group an open objection holds (queries/held-groups.ts) cannot be recorded until it is answered.
 *
 * The notice names no validity period for a directory entry: the office enters it; by default it
 * runs from the decision date for three years (the day before the third anniversary), or 长期.
 */
import { dateString } from './bundle';

export const NATIONAL_DECISIONS = [
	{ key: 'confirmed', label: '确定' },
	{ key: 'not-confirmed', label: '未确定' }
] as const;
export type NationalDecisionKey = (typeof NATIONAL_DECISIONS)[number]['key'];

export function nationalDecisionLabel(key: string | null | undefined): string {
	return NATIONAL_DECISIONS.find((d) => d.key === key)?.label ?? '';
}

export const NATIONAL_LIMITS = { documentNo: 100, note: 200 } as const;
/** Years a generated directory entry is valid by default. */
export const DEFAULT_VALIDITY_YEARS = 3;

/** `date` moved by whole days (calendar arithmetic in UTC). */
export function addDays(date: string, days: number): string {
	return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The default end of validity: the day before the `years`-th anniversary of `from` (29 February counts from 28 February). */
export function defaultValidTo(from: string, years = DEFAULT_VALIDITY_YEARS): string {
	const [y, m, d] = from.split('-');
	const start = m === '02' && d === '29' ? `${Number(y) + years}-02-28` : `${String(Number(y) + years).padStart(4, '0')}-${m}-${d}`;
	return addDays(start, m === '02' && d === '29' ? 0 : -1);
}

/** What the phase check needs of a batch. */
export type NationalFacts = {
	archivedAt?: string | null;
	resultsLockedAt?: string | null;
	publicityStart?: string | null;
	publicityEnd?: string | null;
	publicityClosedAt?: string | null;
};

/**
 * Why decisions cannot be recorded in the batch now (null: they can). Archived batches are read-only;
 * the results must be locked; an opened publicity must be closed.
 */
export function recordingBlock(b: NationalFacts): string | null {
	if (b.archivedAt) return '批次已归档，只能查看国家确定结果，不能再登记或修改';
	if (!b.resultsLockedAt) return '评审结果尚未锁定，不能登记国家确定结果；请先锁定评审结果';
	if (b.publicityStart && !b.publicityClosedAt)
		return `公示尚未结束（${b.publicityStart} 至 ${b.publicityEnd ?? ''}），结束公示后才能登记国家确定结果`;
	return null;
}

/** The earliest date a decision may carry: the lock's date, or the publicity's closing date when later (Beijing dates). */
export function earliestDecisionDate(b: NationalFacts, beijing: (iso: string) => string): string | null {
	const days = [b.resultsLockedAt, b.publicityClosedAt].filter((x): x is string => !!x).map(beijing);
	return days.length ? days.sort().at(-1)! : null;
}

export type NationalInput = {
	decision?: unknown;
	date?: unknown;
	documentNo?: unknown;
	note?: unknown;
	validFrom?: unknown;
	validTo?: unknown;
	/** 长期有效: no end of validity. */
	noEnd?: unknown;
};

export type NationalValues = {
	decision: NationalDecisionKey;
	date: string;
	documentNo: string;
	note: string | null;
	/** The directory entry's validity (confirmed only; null for 未确定). */
	validFrom: string | null;
	validTo: string | null;
};

const text = (v: unknown) => (typeof v === 'string' ? v.normalize('NFKC').trim().replace(/\s+/g, ' ') : '');
const truthy = (v: unknown) => v === true || v === 'on' || v === 'true' || v === '1';

function day(raw: string, label: string, field: string, errors: Record<string, string>): string | null {
	const d = dateString.safeParse(raw);
	if (d.success) return d.data as string;
	errors[field] = `${label}${d.error.issues[0]?.message ?? '有误'}`;
	return null;
}

/**
 * Checks a decision as the office's form posts it. `today` (Beijing) bounds the date from above,
 * `earliest` (the lock or the publicity's closing) from below.
 */
export function parseNationalDecision(
	input: NationalInput,
	ctx: { today: string; earliest?: string | null }
): { ok: true; values: NationalValues } | { ok: false; errors: Record<string, string> } {
	const errors: Record<string, string> = {};
	const decision = text(input.decision);
	if (decision !== 'confirmed' && decision !== 'not-confirmed') errors.decision = '请选择确定结果（确定或未确定）';
	const dateRaw = text(input.date);
	const date = dateRaw === '' ? ((errors.date = '请填写确定日期'), null) : day(dateRaw, '确定日期', 'date', errors);
	if (date && date > ctx.today) errors.date = `确定日期 ${date} 晚于今天（${ctx.today}）`;
	else if (date && ctx.earliest && date < ctx.earliest) errors.date = `确定日期 ${date} 早于评审结果锁定或公示结束的日期（${ctx.earliest}）`;
	const documentNo = text(input.documentNo);
	if (documentNo === '') errors.documentNo = '请填写确定文件的文号';
	else if ([...documentNo].length > NATIONAL_LIMITS.documentNo) errors.documentNo = `文号不能超过 ${NATIONAL_LIMITS.documentNo} 个字`;
	const note = text(input.note);
	if ([...note].length > NATIONAL_LIMITS.note) errors.note = `备注不能超过 ${NATIONAL_LIMITS.note} 个字`;

	let validFrom: string | null = null;
	let validTo: string | null = null;
	if (decision === 'confirmed') {
		const fromRaw = text(input.validFrom);
		validFrom = fromRaw === '' ? date : day(fromRaw, '有效期起始日期', 'validFrom', errors);
		const toRaw = text(input.validTo);
		if (truthy(input.noEnd)) {
			if (toRaw !== '') errors.validTo = '已选“长期有效”，请不要再填写有效期截止日期';
		} else if (toRaw !== '') validTo = day(toRaw, '有效期截止日期', 'validTo', errors);
		else if (validFrom) validTo = defaultValidTo(validFrom);
		if (validFrom && validTo && validTo < validFrom) errors.validTo = `有效期截止日期 ${validTo} 早于起始日期 ${validFrom}`;
	}
	if (Object.keys(errors).length) return { ok: false, errors };
	return {
		ok: true,
		values: { decision: decision as NationalDecisionKey, date: date!, documentNo, note: note === '' ? null : note, validFrom, validTo }
	};
}
