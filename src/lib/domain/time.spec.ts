import { describe, expect, it } from 'vitest';
import { beijingDate, beijingDateTime, beijingTime } from './time';

describe('Beijing time', () => {
	it('shows UTC instants in UTC+8, across the date line of the day', () => {
		expect(beijingDateTime('2023-06-15T11:15:00.000Z')).toBe('2023-06-15 19:15');
		expect(beijingDateTime('2023-06-15T17:30:09.123Z', { seconds: true })).toBe('2023-06-16 01:30:09');
		expect(beijingDate('2023-06-15T17:30:00Z')).toBe('2023-06-16');
		expect(beijingDate('2023-06-15')).toBe('2023-06-15');
		expect(beijingTime('2023-06-15T00:00:01Z')).toBe('08:00:01');
	});

	it('leaves nothing empty and nonsense as it was', () => {
		expect(beijingDateTime(null)).toBe('');
		expect(beijingDateTime('')).toBe('');
		expect(beijingDateTime('not a time')).toBe('not a time');
	});
});
