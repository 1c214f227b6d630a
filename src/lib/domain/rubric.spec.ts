import { describe, it, expect } from 'vitest';
import { rubricSchema, type Rubric } from './bundle';
import { countChars } from './identifiers';
import {
	DEFAULT_EVALUATION_RUBRIC,
	DEFAULT_TRAINING_RUBRIC,
	RUBRIC_TOTAL,
	defaultRubric,
	isHalfStep,
	pointsProblems,
	rubricProblems,
	rubricTotal
} from './rubric';

const small: Rubric = {
	id: 'r',
	type: 'training',
	criteria: [
		{ id: 'a', name: '甲', maxPoints: 60, guidance: null },
		{ id: 'b', name: '乙', maxPoints: 40, guidance: null }
	]
};

describe('default rubrics', () => {
	it('have the ids and types of the spec', () => {
		expect(DEFAULT_TRAINING_RUBRIC.id).toBe('rub-training');
		expect(DEFAULT_TRAINING_RUBRIC.type).toBe('training');
		expect(DEFAULT_EVALUATION_RUBRIC.id).toBe('rub-evaluation');
		expect(DEFAULT_EVALUATION_RUBRIC.type).toBe('evaluation');
	});

	it('have 7 criteria each, sum to 100 and have no problems', () => {
		for (const r of [DEFAULT_TRAINING_RUBRIC, DEFAULT_EVALUATION_RUBRIC]) {
			expect(r.criteria).toHaveLength(7);
			expect(rubricTotal(r)).toBe(100);
			expect(rubricProblems(r)).toEqual([]);
			expect(rubricSchema.safeParse(r).success).toBe(true);
		}
	});

	it('use the stable criterion ids', () => {
		expect(DEFAULT_TRAINING_RUBRIC.criteria.map((c) => c.id)).toEqual([
			'qualification',
			'standing',
			'scale',
			'faculty',
			'facilities',
			'management',
			'plan'
		]);
		expect(DEFAULT_EVALUATION_RUBRIC.criteria.map((c) => c.id)).toEqual([
			'qualification',
			'standing',
			'scale',
			'assessors',
			'facilities',
			'security',
			'plan'
		]);
		expect(DEFAULT_TRAINING_RUBRIC.criteria.map((c) => c.maxPoints)).toEqual([10, 15, 20, 15, 15, 10, 15]);
	});

	it('give guidance in terms of the form fields', () => {
		const t = DEFAULT_TRAINING_RUBRIC.criteria;
		expect(t.find((c) => c.id === 'scale')!.guidance).toContain('2000人次');
		expect(t.find((c) => c.id === 'faculty')!.guidance).toContain('专职');
		expect(t.find((c) => c.id === 'plan')!.guidance).toContain('元/学时');
		const e = DEFAULT_EVALUATION_RUBRIC.criteria;
		expect(e.find((c) => c.id === 'assessors')!.guidance).toContain('督导员');
		expect(e.find((c) => c.id === 'plan')!.guidance).toContain('元/次');
		for (const c of [...t, ...e]) {
			expect(countChars(c.guidance)).toBeGreaterThan(60);
			expect(c.guidance).toMatch(/[0-9]+分以上/);
		}
	});

	it('defaultRubric returns an independent copy', () => {
		const r = defaultRubric('training');
		expect(r).toEqual(DEFAULT_TRAINING_RUBRIC);
		r.criteria[0].maxPoints = 1;
		expect(DEFAULT_TRAINING_RUBRIC.criteria[0].maxPoints).toBe(10);
		expect(defaultRubric('evaluation')).toEqual(DEFAULT_EVALUATION_RUBRIC);
		expect(RUBRIC_TOTAL).toBe(100);
	});
});

describe('isHalfStep', () => {
	it('accepts integers and halves', () => {
		expect(isHalfStep(0)).toBe(true);
		expect(isHalfStep(7)).toBe(true);
		expect(isHalfStep(7.5)).toBe(true);
		expect(isHalfStep(-2.5)).toBe(true);
	});
	it('rejects other fractions and non-finite numbers', () => {
		expect(isHalfStep(7.25)).toBe(false);
		expect(isHalfStep(0.1)).toBe(false);
		expect(isHalfStep(Number.NaN)).toBe(false);
		expect(isHalfStep(Number.POSITIVE_INFINITY)).toBe(false);
	});
});

describe('rubricTotal', () => {
	it('sums maxPoints', () => {
		expect(rubricTotal(small)).toBe(100);
		expect(rubricTotal({ ...small, criteria: [] })).toBe(0);
		expect(
			rubricTotal({ ...small, criteria: [{ id: 'x', name: 'x', maxPoints: 12.5, guidance: null }, small.criteria[1]] })
		).toBe(52.5);
	});
});

describe('rubricProblems', () => {
	it('is empty for a valid rubric', () => {
		expect(rubricProblems(small)).toEqual([]);
	});

	it('reports a sum other than 100 with the current total', () => {
		const r: Rubric = { ...small, criteria: [small.criteria[0], { ...small.criteria[1], maxPoints: 39.5 }] };
		expect(rubricProblems(r)).toEqual(['各评分项满分之和应为100分，当前为99.5分']);
	});

	it('reports an empty rubric', () => {
		expect(rubricProblems({ ...small, criteria: [] })).toEqual(['至少需要一个评分项', '各评分项满分之和应为100分，当前为0分']);
	});

	it('reports a duplicate criterion id once', () => {
		const r: Rubric = {
			...small,
			criteria: [
				{ id: 'a', name: '甲', maxPoints: 40, guidance: null },
				{ id: 'a', name: '甲2', maxPoints: 30, guidance: null },
				{ id: 'a', name: '甲3', maxPoints: 30, guidance: null }
			]
		};
		expect(rubricProblems(r)).toEqual(['评分项编号“a”重复']);
	});

	it('reports zero, negative and non-half-step maxPoints', () => {
		const r: Rubric = {
			...small,
			criteria: [
				{ id: 'a', name: '甲', maxPoints: 0, guidance: null },
				{ id: 'b', name: '乙', maxPoints: -10, guidance: null },
				{ id: 'c', name: '丙', maxPoints: 109.75, guidance: null },
				{ id: 'd', name: '丁', maxPoints: 0.25, guidance: null }
			]
		};
		// 0 - 10 + 109.75 + 0.25 = 100: the sum is right, each of the four criteria is wrong
		expect(rubricProblems(r)).toEqual([
			'评分项“甲”（a）的满分应大于0且为0.5的整数倍，当前为0',
			'评分项“乙”（b）的满分应大于0且为0.5的整数倍，当前为-10',
			'评分项“丙”（c）的满分应大于0且为0.5的整数倍，当前为109.75',
			'评分项“丁”（d）的满分应大于0且为0.5的整数倍，当前为0.25'
		]);
	});

	it('reports a NaN maxPoints and the resulting sum', () => {
		const r: Rubric = { ...small, criteria: [small.criteria[0], { ...small.criteria[1], maxPoints: Number.NaN }] };
		expect(rubricProblems(r)).toEqual([
			'各评分项满分之和应为100分，当前为NaN分',
			'评分项“乙”（b）的满分应大于0且为0.5的整数倍，当前为NaN'
		]);
	});
});

describe('pointsProblems', () => {
	it('accepts a complete, valid sheet including the bounds 0 and maxPoints', () => {
		expect(pointsProblems(small, { a: 0, b: 40 }, { complete: true })).toEqual([]);
		expect(pointsProblems(small, { a: 59.5, b: 0.5 }, { complete: true })).toEqual([]);
	});

	it('lets a draft leave criteria empty (missing, undefined or null)', () => {
		expect(pointsProblems(small, {}, { complete: false })).toEqual([]);
		expect(pointsProblems(small, { a: 30, b: undefined }, { complete: false })).toEqual([]);
		expect(pointsProblems(small, { a: null }, { complete: false })).toEqual([]);
	});

	it('requires every criterion when complete', () => {
		expect(pointsProblems(small, { a: 30 }, { complete: true })).toEqual([
			{ criterionId: 'b', message: '评分项“乙”（b）尚未打分' }
		]);
		expect(pointsProblems(small, { a: null, b: 1 }, { complete: true })).toEqual([
			{ criterionId: 'a', message: '评分项“甲”（a）尚未打分' }
		]);
	});

	it('rejects values that are not finite numbers', () => {
		expect(pointsProblems(small, { a: '30', b: Number.NaN }, { complete: false })).toEqual([
			{ criterionId: 'a', message: '评分项“甲”（a）的分数应为数字' },
			{ criterionId: 'b', message: '评分项“乙”（b）的分数应为数字' }
		]);
		expect(pointsProblems(small, { a: Number.POSITIVE_INFINITY }, { complete: false })).toEqual([
			{ criterionId: 'a', message: '评分项“甲”（a）的分数应为数字' }
		]);
	});

	it('rejects negative points, points above maxPoints and non-half steps', () => {
		expect(pointsProblems(small, { a: -0.5, b: 40.5 }, { complete: true })).toEqual([
			{ criterionId: 'a', message: '评分项“甲”（a）的分数不能为负数' },
			{ criterionId: 'b', message: '评分项“乙”（b）的分数不能超过满分40分' }
		]);
		expect(pointsProblems(small, { a: 12.3, b: 39.75 }, { complete: true })).toEqual([
			{ criterionId: 'a', message: '评分项“甲”（a）的分数应为0.5的整数倍' },
			{ criterionId: 'b', message: '评分项“乙”（b）的分数应为0.5的整数倍' }
		]);
	});

	it('reports one problem per criterion, the first in check order', () => {
		// -0.3 is both negative and not a half step: negative wins.
		expect(pointsProblems(small, { a: -0.3, b: 41.25 }, { complete: true })).toEqual([
			{ criterionId: 'a', message: '评分项“甲”（a）的分数不能为负数' },
			{ criterionId: 'b', message: '评分项“乙”（b）的分数不能超过满分40分' }
		]);
	});

	it('reports unknown criterion ids after the criteria', () => {
		expect(pointsProblems(small, { zz: 1, a: 1, b: 2 }, { complete: true })).toEqual([
			{ criterionId: 'zz', message: '未知的评分项“zz”（评分标准中没有该项）' }
		]);
		expect(pointsProblems(small, { zz: 1, a: -1 }, { complete: true })).toEqual([
			{ criterionId: 'a', message: '评分项“甲”（a）的分数不能为负数' },
			{ criterionId: 'b', message: '评分项“乙”（b）尚未打分' },
			{ criterionId: 'zz', message: '未知的评分项“zz”（评分标准中没有该项）' }
		]);
	});

	it('does not treat inherited object keys as points', () => {
		expect(pointsProblems({ ...small, criteria: [{ id: 'constructor', name: '构', maxPoints: 100, guidance: null }] }, {}, { complete: true })).toEqual([
			{ criterionId: 'constructor', message: '评分项“构”（constructor）尚未打分' }
		]);
	});

	it('checks the default rubrics against their own maxPoints', () => {
		expect(
			pointsProblems(DEFAULT_TRAINING_RUBRIC, { qualification: 10, standing: 15, scale: 20.5, faculty: 15, facilities: 15, management: 10, plan: 15 }, { complete: true })
		).toEqual([{ criterionId: 'scale', message: '评分项“培训规模与经验”（scale）的分数不能超过满分20分' }]);
	});
});
