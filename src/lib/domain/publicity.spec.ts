import { describe, expect, it } from 'vitest';
import { parsePublicityDays, parsePublicityStart, publicityEnd, publicityPeriod } from './publicity';

describe('publicity period on the official calendar', () => {
	it('counts the start day when it is a working day, skips the National Day holiday and counts 调休 weekend days', () => {
		// issue "After the scores": from 2023-09-28, 5 working days end 2023-10-10 (10-07 and 10-08 are 调休 working days).
		expect(publicityPeriod('2023-09-28', 5)).toEqual({ start: '2023-09-28', end: '2023-10-10', workingDays: 5 });
	});
	it('an ordinary week: Monday plus 4 working days is Friday', () => {
		expect(publicityEnd('2023-07-03', 5)).toBe('2023-07-07');
		expect(publicityEnd('2023-07-07', 5)).toBe('2023-07-13');
	});
	it('a start on a weekend or holiday begins on the next working day', () => {
		expect(publicityEnd('2023-07-01', 5)).toBe('2023-07-07');
		expect(publicityEnd('2023-10-01', 1)).toBe('2023-10-07');
	});
	it('one day is the start day itself', () => {
		expect(publicityEnd('2023-07-03', 1)).toBe('2023-07-03');
	});
	it('reads dates and day counts as people type them', () => {
		expect(parsePublicityStart(' ２０２３-０９-２８ ')).toBe('2023-09-28');
		expect(parsePublicityStart('2023-02-30')).toBeNull();
		expect(parsePublicityStart('2023/09/28')).toBeNull();
		expect(parsePublicityDays('５')).toBe(5);
		expect(parsePublicityDays('0')).toBeNull();
		expect(parsePublicityDays('31')).toBeNull();
		expect(parsePublicityDays('3.5')).toBeNull();
	});
});
