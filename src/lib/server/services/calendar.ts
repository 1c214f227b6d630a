/**
 * The office's calendar entries (domain/calendar.ts) in the settings table under `calendar.days`:
 * read (validated: a stored list that does not parse is an error, not an empty calendar), added
 * and removed, each change one transaction with its audit entry. `calendarOverrides(db)` is what
 * every working-day count on the server hands to domain/workdays.ts (the publicity page, the
 * command line's `publicity open`).
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import * as s from '../db/schema';
import { audit, type Actor } from '../audit';
import { Refusal } from '../refusal';
import { CALENDAR_SETTING_KEY, calendarEntriesSchema, calendarEntrySchema, overridesOf, yearCalendar, type CalendarEntry, type CalendarDay } from '../../domain/calendar';
import { packageKnowsYear, type CalendarOverrides } from '../../domain/workdays';

type Q = Pick<Db, 'select'>;

/** The office's entries, in date order. */
export function calendarEntries(db: Q): CalendarEntry[] {
	const row = db.select({ value: s.settings.value }).from(s.settings).where(eq(s.settings.key, CALENDAR_SETTING_KEY)).get();
	if (!row) return [];
	const parsed = calendarEntriesSchema.safeParse(row.value);
	if (!parsed.success) throw new Refusal('设置中的节假日调整记录（calendar.days）格式有误，请在“节假日日历”页面重新录入或联系管理员', 500);
	return [...parsed.data].sort((a, b) => a.date.localeCompare(b.date));
}

export function calendarOverrides(db: Q): CalendarOverrides {
	return overridesOf(calendarEntries(db));
}

export type YearView = { year: number; packageKnows: boolean; days: CalendarDay[]; entries: CalendarEntry[] };

export function calendarYear(db: Q, year: number): YearView {
	const entries = calendarEntries(db);
	return { year, packageKnows: packageKnowsYear(year), days: yearCalendar(year, entries), entries: entries.filter((e) => e.date.startsWith(`${year}-`)) };
}

function store(tx: Pick<Db, 'insert'>, list: CalendarEntry[], actor: Actor) {
	const value = [...list].sort((a, b) => a.date.localeCompare(b.date));
	tx.insert(s.settings)
		.values({ key: CALENDAR_SETTING_KEY, value, userId: actor.userId })
		.onConflictDoUpdate({ target: s.settings.key, set: { value, userId: actor.userId, updatedAt: new Date().toISOString() } })
		.run();
}

/** Adds (or replaces) the office's entry for a date. */
export function setCalendarDay(db: Db, actor: Actor, raw: Record<string, unknown>): CalendarEntry {
	const parsed = calendarEntrySchema.safeParse(raw);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		const field = String(issue.path[0] ?? 'date');
		throw new Refusal(issue.message, 400, { [field]: issue.message });
	}
	const entry = parsed.data;
	db.transaction((tx) => {
		const list = calendarEntries(tx);
		const before = list.find((e) => e.date === entry.date) ?? null;
		store(tx, [...list.filter((e) => e.date !== entry.date), entry], actor);
		audit(tx, actor, 'calendar.set', 'settings', CALENDAR_SETTING_KEY, { ...entry, previous: before ? { kind: before.kind, name: before.name } : null });
	});
	return entry;
}

/** Removes the office's entry for a date (the package answers for it again). */
export function removeCalendarDay(db: Db, actor: Actor, date: unknown): void {
	db.transaction((tx) => {
		const list = calendarEntries(tx);
		const found = typeof date === 'string' ? list.find((e) => e.date === date) : undefined;
		if (!found) throw new Refusal('没有该日期的调整记录', 404, { date: '没有该日期的调整记录' });
		store(tx, list.filter((e) => e.date !== found.date), actor);
		audit(tx, actor, 'calendar.remove', 'settings', CALENDAR_SETTING_KEY, { date: found.date, kind: found.kind, name: found.name });
	});
}
