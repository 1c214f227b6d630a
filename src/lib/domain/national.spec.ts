import { describe, expect, it } from 'vitest';
import { defaultValidTo, earliestDecisionDate, nationalDecisionLabel, parseNationalDecision, recordingBlock } from './national';
import { codeNames, feedbackAvailability, feedbackLabel } from './feedback';
import { beijingDate } from './time';

const CTX = { today: '2023-02-01', earliest: '2022-11-20' };
const OK = { decision: 'confirmed', date: '2023-01-16', documentNo: ' 人社厅函〔2023〕12号 ', note: '' };

describe('the national decision', () => {
	it('labels the two decisions', () => {
		expect(nationalDecisionLabel('confirmed')).toBe('确定');
		expect(nationalDecisionLabel('not-confirmed')).toBe('未确定');
		expect(nationalDecisionLabel('other')).toBe('');
	});

	it('runs a default validity for three years, the day before the anniversary', () => {
		expect(defaultValidTo('2023-01-16')).toBe('2026-01-15');
		expect(defaultValidTo('2023-03-01')).toBe('2026-02-28');
		expect(defaultValidTo('2024-03-01')).toBe('2027-02-28');
		// From 29 February the period ends on 28 February.
		expect(defaultValidTo('2024-02-29')).toBe('2027-02-28');
		expect(defaultValidTo('2023-01-01', 1)).toBe('2023-12-31');
	});

	it('can be recorded only once the results are locked and an opened publicity is closed; never in an archived batch', () => {
		expect(recordingBlock({})).toMatch(/尚未锁定/);
		expect(recordingBlock({ resultsLockedAt: '2022-11-10T02:00:00Z' })).toBeNull();
		expect(recordingBlock({ resultsLockedAt: '2022-11-10T02:00:00Z', publicityStart: '2022-11-14', publicityEnd: '2022-11-18' })).toBe(
			'公示尚未结束（2022-11-14 至 2022-11-18），结束公示后才能登记国家确定结果'
		);
		expect(recordingBlock({ resultsLockedAt: '2022-11-10T02:00:00Z', publicityStart: '2022-11-14', publicityClosedAt: '2022-11-21T01:00:00Z' })).toBeNull();
		expect(recordingBlock({ resultsLockedAt: '2022-11-10T02:00:00Z', archivedAt: '2023-03-01T00:00:00Z' })).toMatch(/已归档/);
	});

	it('dates from the later of the lock and the publicity closing (Beijing dates)', () => {
		expect(earliestDecisionDate({}, beijingDate)).toBeNull();
		expect(earliestDecisionDate({ resultsLockedAt: '2022-11-09T17:00:00.000Z' }, beijingDate)).toBe('2022-11-10');
		expect(earliestDecisionDate({ resultsLockedAt: '2022-11-10T02:00:00Z', publicityClosedAt: '2022-11-21T01:00:00Z' }, beijingDate)).toBe('2022-11-21');
	});

	it('parses a 确定 with the default validity, the 文号 trimmed', () => {
		expect(parseNationalDecision(OK, CTX)).toEqual({
			ok: true,
			values: { decision: 'confirmed', date: '2023-01-16', documentNo: '人社厅函〔2023〕12号', note: null, validFrom: '2023-01-16', validTo: '2026-01-15' }
		});
		expect(parseNationalDecision({ ...OK, validFrom: '2023-02-01', validTo: '2024-01-31' }, CTX)).toMatchObject({ ok: true, values: { validFrom: '2023-02-01', validTo: '2024-01-31' } });
		expect(parseNationalDecision({ ...OK, noEnd: 'on' }, CTX)).toMatchObject({ ok: true, values: { validTo: null } });
	});

	it('a 未确定 carries no validity', () => {
		expect(parseNationalDecision({ ...OK, decision: 'not-confirmed', validFrom: '2023-02-01' }, CTX)).toMatchObject({ ok: true, values: { decision: 'not-confirmed', validFrom: null, validTo: null } });
	});

	it('refuses each bad field with a sentence naming it', () => {
		const r = parseNationalDecision({ decision: 'maybe', date: '', documentNo: '', note: 'x'.repeat(201) }, CTX);
		expect(r).toEqual({
			ok: false,
			errors: { decision: '请选择确定结果（确定或未确定）', date: '请填写确定日期', documentNo: '请填写确定文件的文号', note: '备注不能超过 200 个字' }
		});
		expect(parseNationalDecision({ ...OK, date: '2023-02-30' }, CTX)).toMatchObject({ ok: false, errors: { date: expect.stringMatching(/^确定日期/) } });
		expect(parseNationalDecision({ ...OK, date: '2023-02-02' }, CTX)).toEqual({ ok: false, errors: { date: '确定日期 2023-02-02 晚于今天（2023-02-01）' } });
		expect(parseNationalDecision({ ...OK, date: '2022-11-19' }, CTX)).toEqual({ ok: false, errors: { date: '确定日期 2022-11-19 早于评审结果锁定或公示结束的日期（2022-11-20）' } });
		expect(parseNationalDecision({ ...OK, validTo: '2022-12-31' }, CTX)).toEqual({ ok: false, errors: { validTo: '有效期截止日期 2022-12-31 早于起始日期 2023-01-16' } });
		expect(parseNationalDecision({ ...OK, validTo: '2025-01-01', noEnd: 'on' }, CTX)).toMatchObject({ ok: false, errors: { validTo: expect.stringMatching(/长期有效/) } });
		expect(parseNationalDecision({ ...OK, documentNo: '文'.repeat(101) }, CTX)).toMatchObject({ ok: false, errors: { documentNo: '文号不能超过 100 个字' } });
	});
});

describe('the feedback letter', () => {
	it('is available once the results are locked and the publicity has begun', () => {
		expect(feedbackAvailability({}, '2023-01-01')).toMatchObject({ available: false, reason: expect.stringMatching(/尚未锁定/) });
		expect(feedbackAvailability({ resultsLockedAt: '2022-11-10T02:00:00Z' }, '2023-01-01')).toMatchObject({ available: false, reason: expect.stringMatching(/尚未开始公示/) });
		expect(feedbackAvailability({ resultsLockedAt: 'x', publicityStart: '2022-11-14' }, '2022-11-13')).toEqual({ available: false, reason: '公示自 2022-11-14 开始，届时才能下载反馈函' });
		expect(feedbackAvailability({ resultsLockedAt: 'x', publicityStart: '2022-11-14' }, '2022-11-14')).toEqual({ available: true });
	});

	it('labels experts A…Z, AA…', () => {
		expect([0, 1, 25, 26, 27].map(feedbackLabel)).toEqual(['专家A', '专家B', '专家Z', '专家AA', '专家AB']);
	});

	it('orders the code names by the key, not by the experts\' order', () => {
		const keys: Record<string, string> = { 'exp-1': 'c', 'exp-2': 'a', 'exp-3': 'b' };
		const names = codeNames(['exp-1', 'exp-2', 'exp-3'], (e) => keys[e]);
		expect(Object.fromEntries(names)).toEqual({ 'exp-2': '专家A', 'exp-3': '专家B', 'exp-1': '专家C' });
		// Equal keys keep the given order.
		expect([...codeNames(['x', 'y'], () => 'k').values()]).toEqual(['专家A', '专家B']);
	});
});
