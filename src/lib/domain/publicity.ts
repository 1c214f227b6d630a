/**
 * The 公示 period after the results are locked: N working days (default 5) on the official
 * calendar (State Council holidays and 调休 working days, domain/workdays.ts). The start day counts
 * when it is a working day; a start on a holiday or weekend begins on the next working day.
 * From 2023-09-28 (a Thursday before the National Day holiday), 5 working days end 2023-10-10.
 */
import * as z from 'zod';
import { addWorkingDays, isWorkingDay, workingDaysBetween, type CalendarOverrides } from './workdays';

export const DEFAULT_PUBLICITY_DAYS = 5;
export const MAX_PUBLICITY_DAYS = 30;

export type PublicityPeriod = { start: string; end: string; workingDays: number };

/** The last day of a period of `days` working days from `start` (the start counts when it is a working day). */
export function publicityEnd(start: string, days: number, overrides?: CalendarOverrides): string {
	if (!Number.isInteger(days) || days < 1) throw new Error(`公示天数应为正整数：${days}`);
	return isWorkingDay(start, overrides) ? addWorkingDays(start, days - 1, overrides) : addWorkingDays(start, days, overrides);
}

export function publicityPeriod(start: string, days = DEFAULT_PUBLICITY_DAYS, overrides?: CalendarOverrides): PublicityPeriod {
	return { start, end: publicityEnd(start, days, overrides), workingDays: days };
}

/** The working days of a period (the days the notice is up), on the same calendar. */
export function publicityDays(start: string, end: string, overrides?: CalendarOverrides): string[] {
	return workingDaysBetween(start, end, overrides);
}

/** Where a day stands against a period: before it, in it, or after its last day. */
export type PeriodPlace = 'before' | 'within' | 'after';
export function placeInPeriod(date: string, period: { start: string; end: string }): PeriodPlace {
	return date < period.start ? 'before' : date > period.end ? 'after' : 'within';
}

/** The publicity of a batch as its row holds it: not opened, running (until its last day), due to close, or closed. */
export type PublicityState = 'none' | 'open' | 'due' | 'closed';
export function publicityState(b: { publicityStart: string | null; publicityEnd: string | null; publicityClosedAt: string | null }, today: string): PublicityState {
	if (!b.publicityStart || !b.publicityEnd) return 'none';
	if (b.publicityClosedAt) return 'closed';
	return today >= b.publicityEnd ? 'due' : 'open';
}

export const PUBLICITY_STATE_LABELS: Record<PublicityState, string> = {
	none: '未开始公示',
	open: '公示中',
	due: '公示期已满（待结束）',
	closed: '公示已结束'
};

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` (full-width digits and spaces allowed as typed) that names a real day, else null. */
export function parsePublicityStart(raw: unknown): string | null {
	if (typeof raw !== 'string') return null;
	const t = raw.normalize('NFKC').trim();
	const m = DATE.exec(t);
	if (!m) return null;
	const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
	const check = new Date(Date.UTC(y, mo - 1, d));
	if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || y < 2000 || y > 2100) return null;
	return t;
}

/** A number of working days from 1 to MAX_PUBLICITY_DAYS, else null. */
export function parsePublicityDays(raw: unknown): number | null {
	const t = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.normalize('NFKC').trim() : '';
	if (!/^\d+$/.test(t)) return null;
	const n = Number(t);
	return n >= 1 && n <= MAX_PUBLICITY_DAYS ? n : null;
}

/** The notice's contact for objections: who receives them (department), a phone, optionally a postal address. */
export const DEFAULT_NOTICE_DEPARTMENT = '辽宁省人力资源和社会保障厅人才开发处';
const trimmed = (v: unknown) => (typeof v === 'string' ? v.trim() : v);
const narrow = (v: unknown) => (typeof v === 'string' ? v.normalize('NFKC').trim() : v);
export const noticeContactSchema = z.object({
	department: z.preprocess(trimmed, z.string({ message: '请填写受理异议的部门' }).min(2, '请填写受理异议的部门').max(60, '受理部门不能超过60字')),
	phone: z.preprocess(
		narrow,
		z
			.string({ message: '请填写联系电话' })
			.min(1, '请填写联系电话')
			.max(40, '联系电话不能超过40字')
			.refine((v) => /^[\d\s()（）+\-－—、,，转]+$/.test(v) && (v.match(/\d/g)?.length ?? 0) >= 7, '联系电话应为有效的电话号码，如 024-12345678')
	),
	address: z.preprocess((v) => (trimmed(v) === '' ? null : trimmed(v)), z.string().max(100, '通讯地址不能超过100字').nullable().default(null))
});
export type NoticeContact = z.output<typeof noticeContactSchema>;
