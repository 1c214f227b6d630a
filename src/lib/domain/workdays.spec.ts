import { describe, expect, it } from 'vitest';
import { addDays, addWorkingDays, isWorkingDay, weekday } from './workdays';

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
