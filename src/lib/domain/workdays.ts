/**
 * Working days in mainland China: Monday to Friday, less the public holidays the State Council
 * announces each year, plus the weekend days it makes working days (调休). The calendar comes from
 * the maintained `chinese-days` package (its data holds every year from 2004 on; each year's
 * notice is added when it is published), so a new year's calendar is a package update, not code.
 *
 * Dates are plain `YYYY-MM-DD` strings (Beijing dates): no time zone enters the arithmetic here.
 * `chinese-days` builds its tables with the process's local time and shifts them by a day in time
 * zones west of UTC (checked with America/Los_Angeles); the server runs in UTC or Asia/Shanghai.
 * Rather than answer wrongly elsewhere, `isWorkingDay` refuses when a known 调休 day reads wrong.
 *
 * The office can extend or correct the calendar (a year the package does not know yet, a day the
 * State Council moved): its entries (`CalendarOverrides`, date → holiday | workday, stored in the
 * settings table, see domain/calendar.ts) win over the package wherever they are given.
 */
import chineseDays from 'chinese-days';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parts(date: string): [number, number, number] {
	const m = DATE.exec(date);
	if (!m) throw new Error(`日期格式应为 YYYY-MM-DD：${date}`);
	const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
	const check = new Date(Date.UTC(y, mo - 1, d));
	if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) throw new Error(`不存在的日期：${date}`);
	return [y, mo, d];
}

/** Noon UTC of the date: the same calendar day in every time zone the package reads correctly. */
function noonUtc(date: string): Date {
	const [y, m, d] = parts(date);
	return new Date(Date.UTC(y, m - 1, d, 12));
}

/** The date `n` calendar days after `date` (n may be negative). */
export function addDays(date: string, n: number): string {
	const t = noonUtc(date).getTime() + n * 86_400_000;
	return new Date(t).toISOString().slice(0, 10);
}

/** 0 Sunday … 6 Saturday. */
export function weekday(date: string): number {
	return noonUtc(date).getUTCDay();
}

let calendarChecked = false;

/** The package answers right for days whose status we know (2026: 10-10 a 调休 Saturday, 10-01 National Day). */
function checkCalendar(): void {
	if (calendarChecked) return;
	const ok = chineseDays.isWorkday(noonUtc('2026-10-10')) && !chineseDays.isWorkday(noonUtc('2026-10-01')) && chineseDays.isWorkday(noonUtc('2026-10-09'));
	if (!ok) throw new Error('节假日数据在当前服务器时区下读取有误：请在 UTC 或 Asia/Shanghai 时区运行服务（TZ=Asia/Shanghai）');
	calendarChecked = true;
}

/** The office's own days: date → 'holiday' (a day off) or 'workday' (a working day, e.g. 调休). */
export type CalendarDayKind = 'holiday' | 'workday';
export type CalendarOverrides = ReadonlyMap<string, CalendarDayKind>;

const NO_OVERRIDES: CalendarOverrides = new Map();

/**
 * Whether `date` is a working day (weekdays that are no public holiday, and 调休 weekend days);
 * an office entry for the date decides instead of the package.
 */
export function isWorkingDay(date: string, overrides: CalendarOverrides = NO_OVERRIDES): boolean {
	const own = overrides.get(date);
	if (own) {
		parts(date);
		return own === 'workday';
	}
	checkCalendar();
	return chineseDays.isWorkday(noonUtc(date));
}

/** What the package says of one day: a public holiday (its Chinese name), a 调休 working day, or neither. */
export type PackageDay = { date: string; kind: CalendarDayKind; name: string };

/**
 * The package's public holidays (every day off of a holiday, weekends inside it included) and 调休
 * working days of a year, in date order. Empty for a year the package has no State Council notice for.
 */
export function packageYear(year: number): PackageDay[] {
	if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new Error(`年份应在 2000–2100 之间：${year}`);
	checkCalendar();
	const out: PackageDay[] = [];
	for (let d = `${year}-01-01`; d.startsWith(String(year)); d = addDays(d, 1)) {
		const detail = chineseDays.getDayDetail(noonUtc(d));
		const named = detail.name.split(',');
		// Holidays and 调休 days carry "English,中文,n"; ordinary days only their weekday's name.
		if (named.length < 2) continue;
		const weekend = [0, 6].includes(weekday(d));
		if (!detail.work) out.push({ date: d, kind: 'holiday', name: named[1] });
		else if (weekend) out.push({ date: d, kind: 'workday', name: named[1] });
	}
	return out;
}

/** Whether the package holds the State Council's holiday notice for `year`. */
export function packageKnowsYear(year: number): boolean {
	return packageYear(year).some((d) => d.kind === 'holiday');
}

/** The working days from `start` to `end`, both included (an empty list when end is before start). */
export function workingDaysBetween(start: string, end: string, overrides: CalendarOverrides = NO_OVERRIDES): string[] {
	parts(start);
	parts(end);
	const out: string[] = [];
	for (let d = start; d <= end; d = addDays(d, 1)) if (isWorkingDay(d, overrides)) out.push(d);
	return out;
}

/**
 * The n-th working day after `date` (`date` itself does not count; n ≥ 1). `addWorkingDays(d, 0)`
 * is `d`. E.g. the 5 working days after a meeting that ends on Wednesday 2026-09-30 are 10-08,
 * 10-09, 10-10 (a 调休 Saturday), 10-12 and 10-13: the 5th is 2026-10-13.
 */
export function addWorkingDays(date: string, n: number, overrides: CalendarOverrides = NO_OVERRIDES): string {
	if (!Number.isInteger(n) || n < 0) throw new Error(`工作日数应为非负整数：${n}`);
	let d = date;
	parts(d);
	for (let left = n; left > 0; ) {
		d = addDays(d, 1);
		if (isWorkingDay(d, overrides)) left--;
	}
	return d;
}
