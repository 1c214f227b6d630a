import { describe, expect, it } from 'vitest';
import { addDays, addWorkingDays, isWorkingDay, packageKnowsYear, packageYear, weekday, workingDaysBetween, type CalendarOverrides } from './workdays';

describe('isWorkingDay', () => {
	it('knows the 调休 weekend days of 2022–2026 as working days', () => {
		const shifted = [
			'2022-01-29', '2022-01-30', '2022-04-02', '2022-04-24', '2022-05-07', '2022-10-08', '2022-10-09',
			'2023-01-28', '2023-01-29', '2023-04-23', '2023-05-06', '2023-06-25', '2023-10-07', '2023-10-08',
			'2024-02-04', '2024-02-18', '2024-04-07', '2024-04-28', '2024-05-11', '2024-09-14', '2024-09-29', '2024-10-12',
			'2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11',
			'2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'
		];
		for (const d of shifted) {
			expect([0, 6]).toContain(weekday(d));
			expect(isWorkingDay(d), d).toBe(true);
		}
	});

	it('knows the public holidays on weekdays of 2022–2026 as days off', () => {
		for (const d of ['2022-10-03', '2022-01-31', '2023-06-22', '2023-09-29', '2024-02-12', '2024-10-01', '2025-05-05', '2025-01-28', '2026-02-16', '2026-10-01', '2026-10-07']) {
			expect([1, 2, 3, 4, 5]).toContain(weekday(d));
			expect(isWorkingDay(d), d).toBe(false);
		}
	});

	it('plain weekdays work, plain weekends do not', () => {
		expect(isWorkingDay('2026-12-07')).toBe(true); // Monday
		expect(isWorkingDay('2026-12-05')).toBe(false); // Saturday
		expect(isWorkingDay('2026-12-06')).toBe(false); // Sunday
	});

	it('refuses malformed and impossible dates', () => {
		expect(() => isWorkingDay('2026-02-30')).toThrow('不存在的日期');
		expect(() => isWorkingDay('26-1-1')).toThrow('YYYY-MM-DD');
	});
});

describe('addWorkingDays', () => {
	it('skips weekends', () => {
		// Friday + 1 working day is Monday.
		expect(addWorkingDays('2026-12-04', 1)).toBe('2026-12-07');
		expect(addWorkingDays('2026-12-04', 5)).toBe('2026-12-11');
		expect(addWorkingDays('2026-12-04', 0)).toBe('2026-12-04');
	});

	it('skips the National Day holiday and counts the 调休 Saturday (2026)', () => {
		// Meeting ends Wednesday 2026-09-30: 10-01…10-07 are off, 10-08, 10-09, 10-10 (Saturday, 调休), 10-12, 10-13.
		expect(addWorkingDays('2026-09-30', 5)).toBe('2026-10-13');
	});

	it('skips the Spring Festival (2023) and counts both 调休 weekend days', () => {
		// 2023-01-20 (Fri): 01-21…01-27 off, 01-28 (Sat) and 01-29 (Sun) worked, then 01-30, 01-31, 02-01.
		expect(addWorkingDays('2023-01-20', 5)).toBe('2023-02-01');
	});

	it('counts from the day after, also when the start is a holiday', () => {
		expect(addWorkingDays('2024-10-01', 1)).toBe('2024-10-08');
	});

	it('refuses a negative or fractional count', () => {
		expect(() => addWorkingDays('2026-01-05', -1)).toThrow();
		expect(() => addWorkingDays('2026-01-05', 1.5)).toThrow();
	});
});

describe('addDays', () => {
	it('crosses months and leap days', () => {
		expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
		expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
		expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
	});
});

describe('the 调休 of the 2023 National Day holiday', () => {
	it('10-07 (Saturday) and 10-08 (Sunday) were working days, 09-29 … 10-06 were off', () => {
		expect(isWorkingDay('2023-10-07')).toBe(true);
		expect(isWorkingDay('2023-10-08')).toBe(true);
		for (const d of ['2023-09-29', '2023-09-30', '2023-10-01', '2023-10-02', '2023-10-03', '2023-10-04', '2023-10-05', '2023-10-06']) expect(isWorkingDay(d), d).toBe(false);
	});
	it('from 2023-09-28, the 4 working days after the start end 2023-10-10 (so 5 working days counting the start)', () => {
		expect(addWorkingDays('2023-09-28', 4)).toBe('2023-10-10');
		expect(workingDaysBetween('2023-09-28', '2023-10-10')).toEqual(['2023-09-28', '2023-10-07', '2023-10-08', '2023-10-09', '2023-10-10']);
	});
});

describe('office entries over the package', () => {
	it('a year the package lacks (2027) is plain weekdays until the office enters its holidays', () => {
		expect(packageKnowsYear(2027)).toBe(false);
		expect(packageKnowsYear(2026)).toBe(true);
		// Friday 2027-10-01: a working day by the package alone.
		expect(isWorkingDay('2027-10-01')).toBe(true);
		const own: CalendarOverrides = new Map([
			['2027-10-01', 'holiday'],
			['2027-10-04', 'holiday'],
			['2027-10-05', 'holiday'],
			['2027-10-06', 'holiday'],
			['2027-10-07', 'holiday'],
			['2027-10-09', 'workday']
		]);
		expect(isWorkingDay('2027-10-01', own)).toBe(false);
		expect(isWorkingDay('2027-10-09', own)).toBe(true); // a Saturday made a working day
		// From Thursday 2027-09-30: the package alone counts 10-01, 10-04; the office's calendar 10-08, 10-09.
		expect(addWorkingDays('2027-09-30', 2)).toBe('2027-10-04');
		expect(addWorkingDays('2027-09-30', 2, own)).toBe('2027-10-09');
	});
	it('an entry corrects a day the package knows, either way', () => {
		expect(isWorkingDay('2026-10-10')).toBe(true);
		expect(isWorkingDay('2026-10-10', new Map([['2026-10-10', 'holiday']]))).toBe(false);
		expect(isWorkingDay('2026-10-01', new Map([['2026-10-01', 'workday']]))).toBe(true);
		// Other days still read from the package.
		expect(isWorkingDay('2026-10-02', new Map([['2026-10-01', 'workday']]))).toBe(false);
	});
	it('an entry on an impossible date is refused, not taken', () => {
		expect(() => isWorkingDay('2027-02-30', new Map([['2027-02-30', 'workday']]))).toThrow('不存在的日期');
	});
});

describe('packageYear', () => {
	it('lists the holidays (weekends inside them too) and the 调休 working days of a year', () => {
		const y = packageYear(2023);
		expect(y.find((d) => d.date === '2023-10-07')).toEqual({ date: '2023-10-07', kind: 'workday', name: '国庆节' });
		expect(y.find((d) => d.date === '2023-10-01')).toEqual({ date: '2023-10-01', kind: 'holiday', name: '国庆节' });
		expect(y.filter((d) => d.kind === 'workday').map((d) => d.date)).toEqual(['2023-01-28', '2023-01-29', '2023-04-23', '2023-05-06', '2023-06-25', '2023-10-07', '2023-10-08']);
		// Ordinary weekends are not listed.
		expect(y.some((d) => d.date === '2023-07-01')).toBe(false);
		expect(packageYear(2027)).toEqual([]);
	});
});
