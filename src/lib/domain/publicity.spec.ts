import { describe, expect, it } from 'vitest';
import { noticeContactSchema, parsePublicityDays, parsePublicityStart, placeInPeriod, publicityEnd, publicityPeriod, publicityState } from './publicity';

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

describe('the state of a period and a day against it', () => {
	it('none, open until its last day, due from its last day, closed once closed', () => {
		const b = { publicityStart: '2023-09-28', publicityEnd: '2023-10-10', publicityClosedAt: null };
		expect(publicityState({ ...b, publicityStart: null, publicityEnd: null }, '2023-10-01')).toBe('none');
		expect(publicityState(b, '2023-10-09')).toBe('open');
		expect(publicityState(b, '2023-10-10')).toBe('due');
		expect(publicityState(b, '2023-11-01')).toBe('due');
		expect(publicityState({ ...b, publicityClosedAt: '2023-10-10T09:00:00Z' }, '2023-10-10')).toBe('closed');
	});
	it('places a received date before, within or after the period', () => {
		const p = { start: '2023-09-28', end: '2023-10-10' };
		expect(placeInPeriod('2023-09-27', p)).toBe('before');
		expect(placeInPeriod('2023-09-28', p)).toBe('within');
		expect(placeInPeriod('2023-10-10', p)).toBe('within');
		expect(placeInPeriod('2023-10-11', p)).toBe('after');
	});
	it('the notice needs a department and a real phone number', () => {
		expect(noticeContactSchema.parse({ department: ' 人才开发处 ', phone: '０２４-１２３４５６７８', address: '' })).toEqual({ department: '人才开发处', phone: '024-12345678', address: null });
		expect(noticeContactSchema.safeParse({ department: '人才开发处', phone: '电话' }).error?.issues[0].message).toMatch('有效的电话号码');
		expect(noticeContactSchema.safeParse({ department: '', phone: '024-12345678' }).error?.issues[0].path).toEqual(['department']);
	});
});
