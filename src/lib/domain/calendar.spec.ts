import { describe, expect, it } from 'vitest';
import { calendarEntriesSchema, calendarEntrySchema, overridesOf, yearCalendar } from './calendar';
import { publicityPeriod } from './publicity';

describe('calendar entries', () => {
	it('reads an entry as typed and refuses what names no day', () => {
		expect(calendarEntrySchema.parse({ date: '２０２７-１０-０１ ', kind: 'holiday', name: ' 国庆节 ' })).toEqual({ date: '2027-10-01', kind: 'holiday', name: '国庆节' });
		const bad = (v: unknown) => calendarEntrySchema.safeParse(v).error?.issues[0].message;
		expect(bad({ date: '2027-02-29', kind: 'holiday', name: 'x' })).toMatch('有效日期');
		expect(bad({ date: '2027/10/01', kind: 'holiday', name: 'x' })).toMatch('有效日期');
		expect(bad({ date: '2027-10-01', kind: 'weekend', name: 'x' })).toMatch('放假或上班');
		expect(bad({ date: '2027-10-01', kind: 'holiday', name: ' ' })).toMatch('说明');
	});
	it('the stored list names each date once', () => {
		const e = { date: '2027-10-01', kind: 'holiday', name: '国庆节' };
		expect(calendarEntriesSchema.safeParse([e, e]).success).toBe(false);
		expect(calendarEntriesSchema.safeParse([e]).success).toBe(true);
	});
	it('a year lists the package days with the office entries over them', () => {
		const entries = [
			{ date: '2026-10-10', kind: 'holiday' as const, name: '更正' },
			{ date: '2027-10-01', kind: 'holiday' as const, name: '国庆节' }
		];
		const y2026 = yearCalendar(2026, entries);
		expect(y2026.find((d) => d.date === '2026-10-10')).toEqual({ date: '2026-10-10', kind: 'holiday', name: '更正', source: 'office', packageKind: 'workday' });
		expect(y2026.find((d) => d.date === '2026-10-01')?.source).toBe('package');
		expect(yearCalendar(2027, entries)).toEqual([{ date: '2027-10-01', kind: 'holiday', name: '国庆节', source: 'office', packageKind: null }]);
	});
	it('the publicity period counts on the office calendar', () => {
		const own = overridesOf([{ date: '2027-10-01', kind: 'holiday', name: '国庆节' }]);
		expect(publicityPeriod('2027-09-30', 2).end).toBe('2027-10-01');
		expect(publicityPeriod('2027-09-30', 2, own).end).toBe('2027-10-04');
	});
});
