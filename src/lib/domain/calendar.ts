/**
 * The office's own calendar entries over the package's (domain/workdays.ts): a year the package
 * does not know yet, or a day the State Council moved. Stored as one JSON list in the settings table
 * (key `calendar.days`); each entry names a date, whether it is a day off (holiday) or a working day
 * (调休), and what it is. An entry wins over the package for its date; removing it restores the
 * package's answer.
 */
import * as z from 'zod';
import { packageYear, type CalendarDayKind, type CalendarOverrides } from './workdays';

export const CALENDAR_SETTING_KEY = 'calendar.days';

export const CALENDAR_KIND_LABELS: Record<CalendarDayKind, string> = { holiday: '放假（非工作日）', workday: '上班（调休工作日）' };

const realDate = z
	.string({ message: '请填写日期' })
	.transform((v) => v.normalize('NFKC').trim())
	.refine((v) => {
		const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
		if (!m) return false;
		const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
		const c = new Date(Date.UTC(y, mo - 1, d));
		return y >= 2000 && y <= 2100 && c.getUTCFullYear() === y && c.getUTCMonth() === mo - 1 && c.getUTCDate() === d;
	}, '日期应为有效日期，格式如 2027-10-01');

export const calendarEntrySchema = z.object({
	date: realDate,
	kind: z.enum(['holiday', 'workday'], { message: '请选择放假或上班' }),
	name: z
		.string({ message: '请填写说明' })
		.transform((v) => v.trim())
		.pipe(z.string().min(1, '请填写说明（如：国庆节、国庆节调休）').max(40, '说明不能超过40字'))
});
export type CalendarEntry = z.output<typeof calendarEntrySchema>;

/** The stored list: each date at most once, in date order. */
export const calendarEntriesSchema = z
	.array(calendarEntrySchema)
	.max(2000)
	.refine((list) => new Set(list.map((e) => e.date)).size === list.length, '同一日期只能有一条记录');

export function overridesOf(entries: readonly CalendarEntry[]): CalendarOverrides {
	return new Map(entries.map((e) => [e.date, e.kind]));
}

/** One day of a year's calendar as the page lists it: the package's answer, the office's, and which one counts. */
export type CalendarDay = {
	date: string;
	kind: CalendarDayKind;
	name: string;
	source: 'package' | 'office';
	/** For an office entry over a package day: what the package said. */
	packageKind: CalendarDayKind | null;
};

/** The year's holidays and 调休 working days: the package's, with the office's entries over them. */
export function yearCalendar(year: number, entries: readonly CalendarEntry[]): CalendarDay[] {
	const pkg = new Map(packageYear(year).map((d) => [d.date, d]));
	const own = entries.filter((e) => e.date.startsWith(`${year}-`));
	const days = new Map<string, CalendarDay>();
	for (const d of pkg.values()) days.set(d.date, { date: d.date, kind: d.kind, name: d.name, source: 'package', packageKind: null });
	for (const e of own) days.set(e.date, { date: e.date, kind: e.kind, name: e.name, source: 'office', packageKind: pkg.get(e.date)?.kind ?? null });
	return [...days.values()].sort((a, b) => a.date.localeCompare(b.date));
}
