/**
 * The 公示 period after the results are locked: N working days (default 5) on the official
 * calendar (State Council holidays and 调休 working days, domain/workdays.ts). The start day counts
 * when it is a working day; a start on a holiday or weekend begins on the next working day.
 * From 2023-09-28 (a Thursday before the National Day holiday), 5 working days end 2023-10-10.
 */
import { addWorkingDays, isWorkingDay } from './workdays';

export const DEFAULT_PUBLICITY_DAYS = 5;
export const MAX_PUBLICITY_DAYS = 30;

export type PublicityPeriod = { start: string; end: string; workingDays: number };

/** The last day of a period of `days` working days from `start` (the start counts when it is a working day). */
export function publicityEnd(start: string, days: number): string {
	if (!Number.isInteger(days) || days < 1) throw new Error(`公示天数应为正整数：${days}`);
	return isWorkingDay(start) ? addWorkingDays(start, days - 1) : addWorkingDays(start, days);
}

export function publicityPeriod(start: string, days = DEFAULT_PUBLICITY_DAYS): PublicityPeriod {
	return { start, end: publicityEnd(start, days), workingDays: days };
}

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
