import { describe, expect, it } from 'vitest';
import {
	DECLARATION_GROUND_KEYS,
	declarationGroundLabel,
	expertFormErrors,
	expertFormSchema,
	expertUsername,
	nextExpertId,
	parseOccupationList,
	parseRegion,
	phoneProblem
} from './experts';

const base = {
	id: '',
	name: '李四',
	workUnit: '东北大学计算机科学与工程学院',
	title: '',
	occupations: ['ai'],
	region: '',
	phone: '',
	email: ''
};

describe('phoneProblem', () => {
	it('accepts mobile numbers, with +86 and with spaces or full-width digits', () => {
		expect(phoneProblem('13812345678')).toBeNull();
		expect(phoneProblem('+86 138 1234 5678')).toBeNull();
		expect(phoneProblem('８６13812345678')).toBeNull();
		expect(phoneProblem('１３８１２３４５６７８')).toBeNull();
	});
	it('accepts landlines with an area code and an extension', () => {
		expect(phoneProblem('024-23456789')).toBeNull();
		expect(phoneProblem('0411-8888888')).toBeNull();
		expect(phoneProblem('041188888888')).toBeNull();
		expect(phoneProblem('024-23456789-123')).toBeNull();
		expect(phoneProblem('（024）23456789')).toBeNull();
	});
	it('empty is no problem (the field is optional)', () => {
		expect(phoneProblem('')).toBeNull();
		expect(phoneProblem('   ')).toBeNull();
	});
	it('names the problem', () => {
		expect(phoneProblem('1381234567')).toBe('手机号码应为以 1 开头的 11 位数字');
		expect(phoneProblem('12812345678')).toBe('手机号码应为以 1 开头的 11 位数字');
		expect(phoneProblem('138123456789')).toBe('手机号码应为以 1 开头的 11 位数字');
		expect(phoneProblem('23456789')).toBe('固定电话应含区号，如 024-23456789');
		expect(phoneProblem('138-abc')).toBe('电话号码只能包含数字和 -');
	});
});

describe('expertFormSchema', () => {
	it('turns empty optional fields into null and keeps occupations in list order', () => {
		const r = expertFormSchema.parse({ ...base, occupations: ['ic', 'ai', 'ai'], title: ' 教授 ' });
		expect(r).toEqual({
			id: null,
			name: '李四',
			workUnit: '东北大学计算机科学与工程学院',
			title: '教授',
			occupations: ['ai', 'ic'],
			region: null,
			phone: null,
			email: null
		});
	});
	it('stores the cleaned phone and the region key', () => {
		const r = expertFormSchema.parse({ ...base, phone: '138 1234 5678', region: 'dalian', email: 'a@b.cn', id: 'exp-30' });
		expect(r.phone).toBe('13812345678');
		expect(r.region).toBe('dalian');
		expect(r.email).toBe('a@b.cn');
		expect(r.id).toBe('exp-30');
	});
	it('names each invalid field in Chinese', () => {
		const r = expertFormSchema.safeParse({
			id: '-bad',
			name: ' ',
			workUnit: '',
			title: '',
			occupations: [],
			region: 'beijing',
			phone: '12345',
			email: 'not-an-email'
		});
		expect(r.success).toBe(false);
		if (r.success) return;
		expect(expertFormErrors(r.error)).toEqual({
			id: '编号只能包含字母、数字和 . _ : -，且以字母或数字开头',
			name: '请填写姓名',
			workUnit: '请填写工作单位（可写到院系或部门）',
			occupations: '请至少选择一个可评审职业',
			region: '请选择地区',
			phone: '手机号码应为以 1 开头的 11 位数字',
			email: '邮箱格式不正确，如 name@example.com'
		});
	});
	it('refuses an unknown occupation key and over-long text', () => {
		const r = expertFormSchema.safeParse({ ...base, occupations: ['ai', 'chemistry'], name: '名'.repeat(51) });
		expect(r.success).toBe(false);
		if (r.success) return;
		const e = expertFormErrors(r.error);
		expect(e.occupations).toBe('可评审职业无效');
		expect(e.name).toBe('姓名不能超过50个字符');
	});
});

describe('parseOccupationList', () => {
	it('reads short names, full labels and keys with any separator', () => {
		expect(parseOccupationList('集成电路、人工智能')).toEqual({ keys: ['ai', 'ic'], unknown: [] });
		expect(parseOccupationList('大数据工程技术人员，数字化管理师; VR')).toEqual({ keys: ['bigdata', 'vr', 'digital-management'], unknown: [] });
		expect(parseOccupationList('云计算 / 云计算')).toEqual({ keys: ['cloud'], unknown: [] });
	});
	it('reports words it does not know', () => {
		expect(parseOccupationList('人工智能、化学、  ')).toEqual({ keys: ['ai'], unknown: ['化学'] });
		expect(parseOccupationList('')).toEqual({ keys: [], unknown: [] });
	});
});

describe('parseRegion', () => {
	it('reads labels, city names and keys', () => {
		expect(parseRegion('大连')).toBe('dalian');
		expect(parseRegion('大连市')).toBe('dalian');
		expect(parseRegion('Shenyang')).toBe('shenyang');
		expect(parseRegion('沈抚示范区')).toBe('shenfu');
		expect(parseRegion('北京')).toBeNull();
	});
});

describe('nextExpertId', () => {
	it('is one more than the largest exp-number, two digits at least', () => {
		expect(nextExpertId([])).toBe('exp-01');
		expect(nextExpertId(['exp-01', 'exp-09', 'x-99'])).toBe('exp-10');
		expect(nextExpertId(['exp-28', 'exp-3'])).toBe('exp-29');
		expect(nextExpertId(['exp-99'])).toBe('exp-100');
	});
});

describe('expertUsername', () => {
	it('lower-cases the id and replaces other characters', () => {
		expect(expertUsername('exp-08')).toBe('exp-08');
		expect(expertUsername('EXP-08')).toBe('exp-08');
		expect(expertUsername('ln:exp:7')).toBe('ln-exp-7');
		expect(expertUsername('7')).toBe('expert-7');
		expect(expertUsername('_x')).toBe('expert-x');
	});
});

describe('declaration grounds', () => {
	it('are the five grounds of the procurement rules', () => {
		expect(DECLARATION_GROUND_KEYS).toEqual(['employment', 'shareholding', 'kinship', 'cooperation', 'other']);
		expect(declarationGroundLabel('kinship')).toBe('与该单位法定代表人、负责人或联系人有近亲属关系');
		expect(declarationGroundLabel('nonsense')).toBe('其他');
	});
});
