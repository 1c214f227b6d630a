import { describe, expect, it } from 'vitest';
import {
	RATING_CRITERIA,
	RATING_MAX,
	averageRating,
	belowThreshold,
	checkRating,
	checkReply,
	checkThreshold,
	meetingEnd,
	pooledSeverity,
	ratingDueDate,
	ratingLate,
	ratingStatus,
	sheetTimeliness
} from './expert-record';

const full = { expertise: 28, fairness: 27.5, discipline: 18, timeliness: 20 };

describe('RATING_CRITERIA', () => {
	it('sums to 100 with unique keys and Chinese labels', () => {
		expect(RATING_MAX).toBe(100);
		expect(RATING_CRITERIA.reduce((n, c) => n + c.max, 0)).toBe(100);
		expect(new Set(RATING_CRITERIA.map((c) => c.key)).size).toBe(RATING_CRITERIA.length);
		expect(RATING_CRITERIA.map((c) => c.label)).toEqual(['专业能力', '评审公正', '工作纪律', '按时完成']);
	});
});

describe('checkRating', () => {
	it('accepts every criterion within bounds in 0.5 steps and totals them', () => {
		const r = checkRating({ points: { ...full, expertise: '28' }, note: '  认真负责 ' });
		expect(r.problems).toEqual({});
		expect(r.total).toBe(93.5);
		expect(r.note).toBe('认真负责');
	});

	it('names each missing, out-of-range, off-step, non-numeric or unknown criterion', () => {
		const r = checkRating({ points: { expertise: '', fairness: 31, discipline: 10.3, timeliness: 'abc', speed: 5 } });
		expect(r.problems['points.expertise']).toContain('专业能力');
		expect(r.problems['points.fairness']).toBe('「评审公正」的得分应在 0 到 30 之间');
		expect(r.problems['points.discipline']).toBe('「工作纪律」的得分以 0.5 分为单位');
		expect(r.problems['points.timeliness']).toBe('「按时完成」的得分应为数字');
		expect(r.problems['points.speed']).toContain('没有评价项');
	});

	it('refuses a negative value with the bounds and a note over 2000 characters', () => {
		const r = checkRating({ points: { ...full, discipline: '-1' }, note: 'x'.repeat(2001) });
		expect(r.problems['points.discipline']).toBe('「工作纪律」的得分应在 0 到 20 之间');
		expect(r.problems.note).toContain('2000');
	});

	it('accepts 0 and the maxima', () => {
		expect(checkRating({ points: { expertise: 0, fairness: 30, discipline: 20, timeliness: 0 } }).problems).toEqual({});
	});
});

describe('checkReply', () => {
	it('wants 2 to 2000 characters', () => {
		expect(checkReply(' 好 ').problem).toContain('不少于2');
		expect(checkReply('x'.repeat(2001)).problem).toContain('2000');
		expect(checkReply(' 情况说明 ').reply).toBe('情况说明');
		expect(checkReply(undefined).problem).not.toBeNull();
	});
});

describe('due date', () => {
	it('is the 5th working day after the last meeting day, over a holiday', () => {
		expect(meetingEnd(['2026-09-29', '2026-09-30'], null)).toBe('2026-09-30');
		expect(ratingDueDate('2026-09-30')).toBe('2026-10-13');
	});

	it('falls back to the meeting start (Beijing date), else is not yet due', () => {
		// 2023-06-20T17:00Z is 2023-06-21 01:00 in Beijing.
		expect(meetingEnd([], '2023-06-20T17:00:00Z')).toBe('2023-06-21');
		expect(meetingEnd([], null)).toBeNull();
		expect(ratingDueDate(null)).toBeNull();
	});

	it('a rating after the due date (Beijing day) is late', () => {
		expect(ratingLate('2026-10-13', '2026-10-13T15:59:00Z')).toBe(false); // 23:59 Beijing
		expect(ratingLate('2026-10-13', '2026-10-13T16:00:00Z')).toBe(true); // 10-14 00:00 Beijing
		expect(ratingLate(null, '2030-01-01T00:00:00Z')).toBe(false);
	});

	it('status: rated, rated late, open, overdue, not due', () => {
		expect(ratingStatus('2026-10-13', '2026-10-09T02:00:00Z', '2026-10-20')).toBe('rated');
		expect(ratingStatus('2026-10-13', '2026-10-19T02:00:00Z', '2026-10-20')).toBe('rated-late');
		expect(ratingStatus('2026-10-13', null, '2026-10-13')).toBe('open');
		expect(ratingStatus('2026-10-13', null, '2026-10-14')).toBe('overdue');
		expect(ratingStatus(null, null, '2026-10-14')).toBe('not-due');
	});
});

describe('average and threshold', () => {
	it('averages to 2 decimals; none without ratings', () => {
		expect(averageRating([80, 90, 85.5])).toBe(85.17);
		expect(averageRating([])).toBeNull();
	});

	it('excludes only rated experts below an enabled threshold', () => {
		expect(belowThreshold(59.5, 60)).toBe(true);
		expect(belowThreshold(60, 60)).toBe(false);
		expect(belowThreshold(null, 60)).toBe(false);
		expect(belowThreshold(10, null)).toBe(false);
	});

	it('checks the threshold: empty is off, 0–100', () => {
		expect(checkThreshold('')).toEqual({ value: null, problem: null });
		expect(checkThreshold(' 60 ')).toEqual({ value: 60, problem: null });
		expect(checkThreshold('101').problem).toContain('0 到 100');
		expect(checkThreshold('abc').problem).toContain('数字');
		expect(checkThreshold('-5').problem).toContain('0 到 100');
	});
});

describe('sheetTimeliness', () => {
	const sub = (at: string) => ({ status: 'submitted' as const, submittedAt: at });
	it('on time up to the deadline day in Beijing time, late after', () => {
		expect(sheetTimeliness(sub('2023-07-10T15:00:00Z'), '2023-07-10', '2023-08-01', false)).toBe('on-time');
		expect(sheetTimeliness(sub('2023-07-10T16:30:00Z'), '2023-07-10', '2023-08-01', false)).toBe('late');
		expect(sheetTimeliness(sub('2023-07-20T00:00:00Z'), null, '2023-08-01', false)).toBe('on-time');
	});
	it('a sheet not submitted is missing after the deadline or once the batch is closed', () => {
		expect(sheetTimeliness(null, '2023-07-10', '2023-07-11', false)).toBe('missing');
		expect(sheetTimeliness({ status: 'draft', submittedAt: null }, '2023-07-10', '2023-07-10', false)).toBe('open');
		expect(sheetTimeliness(null, null, '2023-07-11', true)).toBe('missing');
		expect(sheetTimeliness(null, null, '2023-07-11', false)).toBe('open');
	});
});

describe('pooledSeverity', () => {
	it('weights groups by shared applications', () => {
		expect(pooledSeverity([{ severity: -4, shared: 3 }, { severity: 2, shared: 1 }])).toEqual({ severity: -2.5, shared: 4 });
		expect(pooledSeverity([])).toBeNull();
	});
});
