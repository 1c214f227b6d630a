import { describe, it, expect } from 'vitest';
import type { Application, Declaration, Expert, Institution } from './bundle';
import {
	CONFLICT_RULES,
	UnitMatcher,
	detectConflicts,
	detectPair,
	formerUnitCutoff,
	formerUnitInWindow,
	groupUnits,
	hardConflictKeys,
	normalizePhone,
	normalizeText,
	pairKey,
	sortConflicts,
	unitsMatch,
	type Affiliation,
	type Conflict
} from './conflicts';

type PersonRow = Application['people'][number];

function expert(over: Partial<Expert> = {}): Expert {
	return {
		id: 'exp-1',
		name: '李四',
		workUnit: '沈阳工业大学',
		title: '教授',
		occupations: ['ai'],
		region: 'shenyang',
		phone: '13900000001',
		email: null,
		...over
	};
}

function institution(over: Partial<Institution> = {}): Institution {
	return {
		id: 'inst-1',
		name: '辽宁某某信息技术有限公司',
		uscc: null,
		legalRep: { name: '张三', idNumber: null },
		address: null,
		unitType: 'enterprise',
		industry: null,
		registeredCapital: null,
		employees: null,
		founded: null,
		taxes: [],
		bases: null,
		...over
	};
}

function person(over: Partial<PersonRow> = {}): PersonRow {
	return {
		role: 'teacher',
		name: '王五',
		workUnit: '辽宁某某信息技术有限公司',
		title: null,
		specialty: null,
		fullTime: true,
		phone: '13800000009',
		...over
	};
}

function application(over: Partial<Application> = {}): Application {
	return {
		id: 'app-1',
		institutionId: 'inst-1',
		type: 'training',
		occupation: 'ai',
		levels: ['junior'],
		region: 'shenyang',
		lead: { name: '赵六', title: null, phone: '13700000001', email: null },
		contact: { name: '钱七', title: null, phone: '024-23456789', email: null },
		overview: null,
		platform: null,
		pastWork: null,
		teamMechanism: null,
		plan: null,
		trainingYears: [],
		evaluationYears: [],
		conductsEvaluation: null,
		issuesCertificates: null,
		certificateCategory: null,
		venues: [],
		team: null,
		people: [],
		planned: null,
		fees: null,
		attachments: null,
		recommendation: null,
		...over
	};
}

const codes = (list: Conflict[]) => list.map((c) => c.code);

describe('CONFLICT_RULES', () => {
	it('lists the six rules of domain.md, the hard ones first (FORMER_UNIT after DECLARED), only SHARED_UNIT_WITH_STAFF soft', () => {
		expect(CONFLICT_RULES.map((r) => [r.code, r.hard])).toEqual([
			['SAME_UNIT', true],
			['LISTED_IN_APPLICATION', true],
			['APPLICATION_CONTACT', true],
			['DECLARED', true],
			['FORMER_UNIT', true],
			['SHARED_UNIT_WITH_STAFF', false]
		]);
		for (const r of CONFLICT_RULES) expect(r.label).toMatch(/[\u4e00-\u9fff]/);
	});
});

describe('normalizeText', () => {
	it('folds full-width letters and brackets (NFKC) and drops brackets, whitespace and punctuation', () => {
		expect(normalizeText('ＡＢＣ科技有限公司')).toBe('abc科技有限公司');
		expect(normalizeText('某某（辽宁）有限公司')).toBe('某某辽宁有限公司');
		expect(normalizeText('某某(辽宁)有限公司')).toBe('某某辽宁有限公司');
		expect(normalizeText(' 东北大学 · 计算机学院、\t软件所。 ')).toBe('东北大学计算机学院软件所');
		expect(normalizeText('Ｎｅｕ－Ｓｏｆｔ，Ｉｎｃ．')).toBe('neusoftinc');
		expect(normalizeText('张\u3000三')).toBe('张三');
	});

	it('gives the empty string for null, undefined and blank text', () => {
		expect(normalizeText(null)).toBe('');
		expect(normalizeText(undefined)).toBe('');
		expect(normalizeText(' （ ） ')).toBe('');
	});
});

describe('normalizePhone', () => {
	it('keeps digits only and drops a +86 country code from a 13-digit number', () => {
		expect(normalizePhone('+86 138-0000-0001')).toBe('13800000001');
		expect(normalizePhone('8613800000001')).toBe('13800000001');
		expect(normalizePhone('１３８ ０００００００１')).toBe('13800000001');
		expect(normalizePhone('024-23456789')).toBe('02423456789');
		expect(normalizePhone(null)).toBe('');
		expect(normalizePhone('无')).toBe('');
	});

	it('drops 86 only from 13-digit numbers', () => {
		expect(normalizePhone('86123456')).toBe('86123456');
	});
});

describe('unitsMatch', () => {
	it('matches a department of the institution (containment, either way round)', () => {
		expect(unitsMatch('东北大学计算机科学与工程学院', '东北大学')).toBe(true);
		expect(unitsMatch('东北大学', '东北大学计算机科学与工程学院')).toBe(true);
		expect(unitsMatch('大连理工', '大连理工大学')).toBe(true); // 4 characters: enough
	});

	it('matches after full-width, bracket, whitespace and punctuation differences', () => {
		expect(unitsMatch('某某科技（辽宁）有限公司', '某某科技(辽宁)有限公司')).toBe(true);
		expect(unitsMatch('ＡＢＣ科技有限公司', 'ABC科技有限公司')).toBe(true);
		expect(unitsMatch('abc科技有限公司', 'ABC 科技 有限公司。')).toBe(true);
	});

	it('does not match a containment whose shorter side has fewer than 4 characters', () => {
		expect(unitsMatch('沈阳市', '沈阳市某某职业培训学校')).toBe(false);
		expect(unitsMatch('辽宁某某职业培训学校', '（沈阳市）')).toBe(false);
		// …but two equal short units do match.
		expect(unitsMatch('沈阳市', '沈阳市')).toBe(true);
	});

	it('never matches empty units', () => {
		expect(unitsMatch('', '')).toBe(false);
		expect(unitsMatch(null, '东北大学')).toBe(false);
		expect(unitsMatch('（）', '（）')).toBe(false);
	});

	it('does not match different units that only share a prefix', () => {
		expect(unitsMatch('东北大学', '东北财经大学')).toBe(false);
		expect(unitsMatch('大连理工大学', '大连理工学院')).toBe(false);
	});
});

describe('UnitMatcher and groupUnits', () => {
	it('finds the same units as unitsMatch', () => {
		const units = ['东北大学', '东北大学计算机学院', '沈阳市', '大连理工', '东北财经大学', '沈阳市某某学校'].map(normalizeText);
		const m = new UnitMatcher(units);
		for (const q of ['东北大学软件学院', '沈阳市', '沈阳市某某学校', '大连理工大学', '东北', '东北大学计算机学院']) {
			const n = normalizeText(q);
			const expected = m.units.map((u, i) => (unitsMatch(u, n) ? i : -1)).filter((i) => i >= 0);
			expect(m.matching(n)).toEqual(expected);
		}
		expect(m.matching(normalizeText('东北大学软件学院')).map((i) => m.units[i])).toEqual(['东北大学']);
	});

	it('groups units transitively and gives each empty unit its own group', () => {
		expect(groupUnits(['东北大学计算机学院', '沈阳工业大学', '东北大学', '东北大学软件学院', null, '', '沈阳工业大学'])).toEqual([
			0, 1, 0, 0, 2, 3, 1
		]);
	});
});

describe('detectPair: SAME_UNIT', () => {
	it('flags an expert in a department of the applying university, naming both units', () => {
		const found = detectPair(
			expert({ workUnit: '东北大学计算机科学与工程学院' }),
			application(),
			institution({ name: '东北大学' })
		);
		expect(found).toEqual([
			{
				expertId: 'exp-1',
				applicationId: 'app-1',
				code: 'SAME_UNIT',
				hard: true,
				matched: '专家单位“东北大学计算机科学与工程学院”包含于申报单位“东北大学”'
			}
		]);
	});

	it('flags equal units written with full-width characters and brackets', () => {
		const found = detectPair(
			expert({ workUnit: 'ＡＢＣ科技（辽宁）有限公司' }),
			application(),
			institution({ name: 'ABC科技(辽宁)有限公司' })
		);
		expect(found.map((c) => c.matched)).toEqual(['专家单位“ＡＢＣ科技（辽宁）有限公司”与申报单位“ABC科技(辽宁)有限公司”相同']);
	});

	it('names the direction when the institution is inside the expert unit', () => {
		const found = detectPair(expert({ workUnit: '东北大学' }), application(), institution({ name: '东北大学继续教育学院' }));
		expect(found.map((c) => c.matched)).toEqual(['申报单位“东北大学继续教育学院”包含于专家单位“东北大学”']);
	});

	it('does not flag a 3-character containment or a missing institution', () => {
		expect(detectPair(expert({ workUnit: '沈阳市' }), application(), institution({ name: '沈阳市某某培训学校' }))).toEqual([]);
		expect(detectPair(expert({ workUnit: '东北大学' }), application(), undefined)).toEqual([]);
		expect(detectPair(expert({ workUnit: null }), application(), institution({ name: '东北大学' }))).toEqual([]);
	});
});

describe('detectPair: LISTED_IN_APPLICATION', () => {
	it('flags a teacher with the expert’s name and unit', () => {
		const app = application({ people: [person({ name: '李四', workUnit: '沈阳工业大学信息学院', phone: null })] });
		const found = detectPair(expert(), app, institution());
		expect(found).toEqual([
			{
				expertId: 'exp-1',
				applicationId: 'app-1',
				code: 'LISTED_IN_APPLICATION',
				hard: true,
				matched: '培训教师“李四”：单位“沈阳工业大学信息学院”与专家单位“沈阳工业大学”一致'
			}
		]);
	});

	it('flags a question-setter with the expert’s name and phone (other unit), phone masked', () => {
		const app = application({
			type: 'evaluation',
			people: [person({ role: 'question-setter', name: '李 四', workUnit: '某某研究院', phone: '+86 139 0000 0001' })]
		});
		const found = detectPair(expert(), app, institution());
		expect(codes(found)).toEqual(['LISTED_IN_APPLICATION']);
		expect(found[0].matched).toBe('命题专家“李 四”：电话 139****0001 与专家电话相同');
	});

	it('does not flag a namesake with another phone and another unit (near miss)', () => {
		const app = application({ people: [person({ name: '李四', workUnit: '大连海事大学', phone: '13900000002' })] });
		expect(detectPair(expert(), app, institution())).toEqual([]);
	});

	it('does not flag the same unit and phone under another name', () => {
		const app = application({ people: [person({ name: '李思', workUnit: '大连海事大学', phone: '13900000001' })] });
		expect(detectPair(expert(), app, institution())).toEqual([]);
	});

	it('reports several matching rows in one finding', () => {
		const app = application({
			people: [
				person({ name: '李四', workUnit: '沈阳工业大学', phone: '13900000001' }),
				person({ role: 'question-setter', name: '李四', workUnit: '其他单位', phone: '13900000001' })
			]
		});
		const found = detectPair(expert(), app, institution());
		expect(codes(found)).toEqual(['LISTED_IN_APPLICATION']);
		expect(found[0].matched).toBe(
			'培训教师“李四”：单位“沈阳工业大学”与专家单位“沈阳工业大学”一致，电话 139****0001 与专家电话相同；' +
				'命题专家“李四”：电话 139****0001 与专家电话相同'
		);
	});
});

describe('detectPair: APPLICATION_CONTACT', () => {
	it('flags the application lead by name and phone', () => {
		const app = application({ lead: { name: '李四', title: null, phone: '139-0000-0001', email: null } });
		const found = detectPair(expert(), app, institution());
		expect(found).toEqual([
			{
				expertId: 'exp-1',
				applicationId: 'app-1',
				code: 'APPLICATION_CONTACT',
				hard: true,
				matched: '专家为本申报的申报负责人“李四”（姓名相同，电话 139****0001 相同）'
			}
		]);
	});

	it('flags the contact by name and phone, but not a namesake with another or no phone', () => {
		const contact = (phone: string | null) => ({ name: '李四', title: null, phone, email: null });
		expect(codes(detectPair(expert(), application({ contact: contact('13900000001') }), institution()))).toEqual([
			'APPLICATION_CONTACT'
		]);
		expect(detectPair(expert(), application({ contact: contact('13900000002') }), institution())).toEqual([]);
		expect(detectPair(expert(), application({ contact: contact(null) }), institution())).toEqual([]);
		expect(detectPair(expert({ phone: null }), application({ contact: contact(null) }), institution())).toEqual([]);
	});

	it('flags the legal representative by name alone (no phone in the bundle)', () => {
		const found = detectPair(expert({ name: '张三', phone: null }), application(), institution());
		expect(codes(found)).toEqual(['APPLICATION_CONTACT']);
		expect(found[0].matched).toBe('专家为本申报的法定代表人“张三”（姓名相同；申报材料无法定代表人电话，仅按姓名匹配）');
	});

	it('gives one finding when the expert holds several roles', () => {
		const me = { name: '张三', title: null, phone: '13900000001', email: null };
		const found = detectPair(expert({ name: '张三' }), application({ lead: me, contact: me }), institution());
		expect(codes(found)).toEqual(['APPLICATION_CONTACT']);
		expect(found[0].matched).toBe(
			'专家为本申报的法定代表人“张三”（姓名相同；申报材料无法定代表人电话，仅按姓名匹配）、' +
				'申报负责人“张三”（姓名相同，电话 139****0001 相同）、申报联系人“张三”（姓名相同，电话 139****0001 相同）'
		);
	});
});

describe('detectPair: DECLARED', () => {
	it('flags a declaration of this pair with its reason, ignoring other pairs', () => {
		const declarations: Declaration[] = [
			{ applicationId: 'app-1', expertId: 'exp-1', reason: '近三年曾在该单位任职' },
			{ applicationId: 'app-2', expertId: 'exp-1', reason: '其他申报' },
			{ applicationId: 'app-1', expertId: 'exp-2', reason: '其他专家' }
		];
		expect(detectPair(expert(), application(), institution(), declarations)).toEqual([
			{ expertId: 'exp-1', applicationId: 'app-1', code: 'DECLARED', hard: true, matched: '近三年曾在该单位任职' }
		]);
	});
});

describe('detectPair: SHARED_UNIT_WITH_STAFF', () => {
	it('is a soft finding when a listed person other than the expert works in the expert’s unit (equal after normalization)', () => {
		const app = application({ people: [person({ name: '王五', workUnit: ' 沈阳 工业大学。' })] });
		expect(detectPair(expert(), app, institution())).toEqual([
			{
				expertId: 'exp-1',
				applicationId: 'app-1',
				code: 'SHARED_UNIT_WITH_STAFF',
				hard: false,
				matched: '专家单位“沈阳工业大学”与培训教师“王五”（沈阳 工业大学。）的单位一致'
			}
		]);
	});

	it('needs equal units: a department of the expert’s unit, or the other way round, is not the same unit here', () => {
		const department = application({ people: [person({ name: '王五', workUnit: '沈阳工业大学（理学院）' })] });
		expect(detectPair(expert(), department, institution())).toEqual([]);
		const whole = application({ people: [person({ name: '王五', workUnit: '沈阳工业大学' })] });
		expect(detectPair(expert({ workUnit: '沈阳工业大学理学院' }), whole, institution())).toEqual([]);
	});

	it('gives one finding for several colleagues, naming three and the count', () => {
		const names = ['王一', '王二', '王三', '王四'];
		const app = application({ people: names.map((name) => person({ name, workUnit: '沈阳工业大学' })) });
		const found = detectPair(expert(), app, institution());
		expect(found).toHaveLength(1);
		expect(found[0].matched).toBe(
			'专家单位“沈阳工业大学”与培训教师“王一”（沈阳工业大学）、培训教师“王二”（沈阳工业大学）、培训教师“王三”（沈阳工业大学）等 4 人的单位一致'
		);
	});

	it('does not count the expert’s own row, and does not match a short unit', () => {
		const own = application({ people: [person({ name: '李四', workUnit: '沈阳工业大学' })] });
		expect(codes(detectPair(expert(), own, institution()))).toEqual(['LISTED_IN_APPLICATION']);
		const short = application({ people: [person({ workUnit: '沈阳市' })] });
		expect(detectPair(expert({ workUnit: '沈阳市某某学校' }), short, institution())).toEqual([]);
	});

	it('stands beside a hard finding of another rule', () => {
		const app = application({
			people: [person({ name: '李四', workUnit: '沈阳工业大学' }), person({ name: '王五', workUnit: '沈阳工业大学' })]
		});
		expect(codes(detectPair(expert(), app, institution()))).toEqual(['LISTED_IN_APPLICATION', 'SHARED_UNIT_WITH_STAFF']);
	});
});

describe('detectPair: several rules at once', () => {
	it('returns one finding per rule, in table order', () => {
		const app = application({
			lead: { name: '李四', title: null, phone: '13900000001', email: null },
			people: [person({ name: '李四', workUnit: '东北大学', phone: null }), person({ name: '王五', workUnit: '东北大学软件学院' })]
		});
		const found = detectPair(expert({ workUnit: '东北大学软件学院' }), app, institution({ name: '东北大学' }), [
			{ applicationId: 'app-1', expertId: 'exp-1', reason: '曾为该校兼职' },
			{ applicationId: 'app-1', expertId: 'exp-1', reason: '曾为该校兼职' }
		]);
		expect(codes(found)).toEqual(['SAME_UNIT', 'LISTED_IN_APPLICATION', 'APPLICATION_CONTACT', 'DECLARED', 'SHARED_UNIT_WITH_STAFF']);
		expect(found[3].matched).toBe('曾为该校兼职');
	});
});

describe('detectConflicts', () => {
	const institutions = [
		institution({ id: 'inst-1', name: '东北大学', legalRep: { name: '张三', idNumber: null } }),
		institution({ id: 'inst-2', name: '沈阳市某某职业培训学校', legalRep: { name: '孙八', idNumber: null } })
	];
	const experts = [
		expert({ id: 'exp-a', name: '李四', workUnit: '东北大学计算机学院', phone: '13900000001' }),
		expert({ id: 'exp-b', name: '张三', workUnit: '大连理工大学', phone: '13900000002' }),
		expert({ id: 'exp-c', name: '王五', workUnit: '沈阳市', phone: '13900000003' }),
		expert({ id: 'exp-d', name: '周九', workUnit: '辽宁大学', phone: null })
	];
	const applications = [
		application({ id: 'app-2', institutionId: 'inst-2', people: [person({ name: '王五', workUnit: '沈阳市', phone: null })] }),
		application({
			id: 'app-1',
			institutionId: 'inst-1',
			people: [person({ name: '吴十', workUnit: '大连理工大学' }), person({ name: '王五', workUnit: '其他', phone: '13900000003' })]
		}),
		application({ id: 'app-3', institutionId: 'inst-missing' })
	];
	const declarations: Declaration[] = [{ applicationId: 'app-3', expertId: 'exp-d', reason: '亲属在该单位任职' }];

	it('finds every conflict, sorted by application, expert and rule', () => {
		const found = detectConflicts({ experts, applications, institutions, declarations });
		expect(found.map((c) => [c.applicationId, c.expertId, c.code])).toEqual([
			['app-1', 'exp-a', 'SAME_UNIT'],
			['app-1', 'exp-b', 'APPLICATION_CONTACT'],
			['app-1', 'exp-b', 'SHARED_UNIT_WITH_STAFF'],
			['app-1', 'exp-c', 'LISTED_IN_APPLICATION'],
			['app-2', 'exp-c', 'LISTED_IN_APPLICATION'],
			['app-3', 'exp-d', 'DECLARED']
		]);
	});

	it('equals detectPair over every pair', () => {
		const instById = new Map(institutions.map((i) => [i.id, i]));
		const all = applications.flatMap((a) =>
			experts.flatMap((e) => detectPair(e, a, instById.get(a.institutionId), declarations))
		);
		expect(detectConflicts({ experts, applications, institutions, declarations })).toEqual(sortConflicts(all));
	});

	it('reports only the pairs the filter keeps', () => {
		const found = detectConflicts({
			experts,
			applications,
			institutions,
			declarations,
			pairFilter: (e, a) => e.id === 'exp-c' && a.id === 'app-2'
		});
		expect(found.map((c) => [c.applicationId, c.expertId, c.code])).toEqual([['app-2', 'exp-c', 'LISTED_IN_APPLICATION']]);
	});

	it('equals detectPair over every pair on a generated data set', () => {
		const units = ['东北大学', '东北大学软件学院', '沈阳市', '大连理工大学', 'ＡＢＣ科技有限公司', 'ABC科技有限公司辽宁分公司', '辽宁大学', '锦州医科大学'];
		const names = ['李四', '张三', '王五', '赵六', '钱七'];
		const phones = ['13900000001', '13900000002', null];
		const pick = <T>(list: T[], i: number) => list[i % list.length];
		const genExperts = Array.from({ length: 15 }, (_, i) =>
			expert({ id: `e${i}`, name: pick(names, i), workUnit: pick(units, i * 3), phone: pick(phones, i * 7) })
		);
		const genInsts = units.map((name, i) => institution({ id: `i${i}`, name, legalRep: { name: pick(names, i + 2), idNumber: null } }));
		const genApps = Array.from({ length: 12 }, (_, i) =>
			application({
				id: `a${i}`,
				institutionId: `i${i % units.length}`,
				lead: { name: pick(names, i), title: null, phone: pick(phones, i), email: null },
				people: Array.from({ length: i % 4 }, (_, j) =>
					person({ name: pick(names, i + j), workUnit: pick(units, i * 5 + j), phone: pick(phones, i + j * 2) })
				)
			})
		);
		const genDecl: Declaration[] = [{ applicationId: 'a3', expertId: 'e4', reason: '回避' }];
		const instById = new Map(genInsts.map((i) => [i.id, i]));
		const all = genApps.flatMap((a) => genExperts.flatMap((e) => detectPair(e, a, instById.get(a.institutionId), genDecl)));
		const found = detectConflicts({ experts: genExperts, applications: genApps, institutions: genInsts, declarations: genDecl });
		expect(found.length).toBeGreaterThan(20);
		expect(found).toEqual(sortConflicts(all));
	});
});

describe('the standing profile: FORMER_UNIT and relatives (issue 13, item 6)', () => {
	const DEADLINE = '2023-06-15';
	const former = (unit: string, endedOn: string | null, expertId = 'exp-1'): Affiliation => ({ expertId, kind: 'former-unit', unit, endedOn });
	const relative = (unit: string, relation: string | null, expertId = 'exp-1'): Affiliation => ({ expertId, kind: 'relative-unit', unit, relation });
	const pair = (affiliations: Affiliation[], deadline: string | null = DEADLINE, inst = institution()) =>
		detectPair(expert({ workUnit: '大连理工大学' }), application(), inst, [], undefined, { affiliations, deadline });

	it('the window counts back 3 years from the batch deadline, the boundary day included', () => {
		expect(formerUnitCutoff('2023-06-15')).toBe('2020-06-15');
		expect(formerUnitCutoff('2024-02-29')).toBe('2021-02-28');
		expect(formerUnitCutoff('二〇二三年')).toBeNull();
		expect(formerUnitInWindow('2020-06-15', DEADLINE)).toBe(true);
		expect(formerUnitInWindow('2020-06-14', DEADLINE)).toBe(false);
		expect(formerUnitInWindow('2023-07-01', DEADLINE)).toBe(true); // left after the deadline: still there on it
		expect(formerUnitInWindow('2010-01-01', null)).toBe(true); // no deadline: nothing to measure with
		expect(formerUnitInWindow(null, DEADLINE)).toBe(true);
	});

	it('a former unit left inside the window is FORMER_UNIT (hard), naming the unit and the end date', () => {
		const found = pair([former('辽宁某某信息技术有限公司', '2021-03-31')]);
		expect(found).toEqual([
			{
				expertId: 'exp-1',
				applicationId: 'app-1',
				code: 'FORMER_UNIT',
				hard: true,
				matched: '专家原单位（2021-03-31 离开）“辽宁某某信息技术有限公司”与申报单位“辽宁某某信息技术有限公司”相同'
			}
		]);
	});

	it('outside the window, or on the day before the boundary, nothing', () => {
		expect(pair([former('辽宁某某信息技术有限公司', '2019-12-31')])).toEqual([]);
		expect(pair([former('辽宁某某信息技术有限公司', '2020-06-14')])).toEqual([]);
		expect(codes(pair([former('辽宁某某信息技术有限公司', '2020-06-15')]))).toEqual(['FORMER_UNIT']);
	});

	it('the window moves with the batch deadline', () => {
		const a = [former('辽宁某某信息技术有限公司', '2020-01-10')];
		expect(pair(a, '2023-01-10').map((c) => c.code)).toEqual(['FORMER_UNIT']);
		expect(pair(a, '2023-01-11')).toEqual([]);
	});

	it('matches as SAME_UNIT does: normalized, containment with at least 4 characters', () => {
		const inst = institution({ name: '东北大学' });
		const c = pair([former('东北大学 计算机学院', '2022-01-01')], DEADLINE, inst);
		expect(codes(c)).toEqual(['FORMER_UNIT']);
		expect(c[0].matched).toBe('专家原单位（2022-01-01 离开）“东北大学 计算机学院”包含于申报单位“东北大学”');
		expect(codes(pair([former('ＡＢＣ科技（辽宁）有限公司', '2022-01-01')], DEADLINE, institution({ name: 'ABC科技(辽宁)有限公司' })))).toEqual(['FORMER_UNIT']);
		// Too short to count as containment, and a different unit.
		expect(pair([former('东北', '2022-01-01')], DEADLINE, inst)).toEqual([]);
		expect(pair([former('辽宁大学', '2022-01-01')], DEADLINE, inst)).toEqual([]);
	});

	it('a relative working in the institution is DECLARED (hard), with the relation and the unit', () => {
		const c = pair([relative('辽宁某某信息技术有限公司沈阳分公司', '配偶')]);
		expect(c).toEqual([
			{
				expertId: 'exp-1',
				applicationId: 'app-1',
				code: 'DECLARED',
				hard: true,
				matched: '专家申报的亲属（配偶）所在单位“辽宁某某信息技术有限公司沈阳分公司”包含于申报单位“辽宁某某信息技术有限公司”'
			}
		]);
		// A relative has no window; another unit raises nothing.
		expect(pair([relative('大连某某科技有限公司', '子女')])).toEqual([]);
	});

	it('one DECLARED per pair: the declaration for the application and the relative together', () => {
		const c = detectPair(expert({ workUnit: '大连理工大学' }), application(), institution(), [{ applicationId: 'app-1', expertId: 'exp-1', reason: '曾参与其项目' }], undefined, {
			affiliations: [relative('辽宁某某信息技术有限公司', '父母'), former('辽宁某某信息技术有限公司', '2022-05-01')],
			deadline: DEADLINE
		});
		expect(codes(c)).toEqual(['DECLARED', 'FORMER_UNIT']);
		expect(c[0].matched).toBe('曾参与其项目；专家申报的亲属（父母）所在单位“辽宁某某信息技术有限公司”与申报单位“辽宁某某信息技术有限公司”相同');
	});

	it('only the expert\'s own profile counts, and no institution means nothing to match', () => {
		expect(pair([former('辽宁某某信息技术有限公司', '2022-01-01', 'exp-2')])).toEqual([]);
		expect(detectPair(expert(), application(), undefined, [], undefined, { affiliations: [former('辽宁某某信息技术有限公司', '2022-01-01')], deadline: DEADLINE })).toEqual([]);
	});

	it('detectConflicts finds experts through their profiles, as detectPair does over every pair', () => {
		const insts = [institution({ id: 'i1', name: '东北大学' }), institution({ id: 'i2', name: '辽宁某某信息技术有限公司' }), institution({ id: 'i3', name: '锦州医科大学' })];
		const exps = [
			expert({ id: 'e1', name: '甲', workUnit: '大连理工大学', phone: null }),
			expert({ id: 'e2', name: '乙', workUnit: '辽宁大学', phone: null }),
			expert({ id: 'e3', name: '丙', workUnit: '沈阳工业大学', phone: null })
		];
		const apps = insts.map((i, n) => application({ id: `a${n + 1}`, institutionId: i.id, people: [], lead: null, contact: null }));
		const affiliations: Affiliation[] = [
			former('东北大学软件学院', '2021-09-01', 'e1'),
			former('辽宁某某信息技术有限公司', '2015-01-01', 'e1'), // outside the window
			relative('辽宁某某信息技术有限公司', '配偶', 'e2'),
			former('锦州医科大学', null, 'e3'),
			former('锦州医科大学附属医院', '2020-06-15', 'e2')
		];
		const found = detectConflicts({ experts: exps, applications: apps, institutions: insts, declarations: [], affiliations, deadline: DEADLINE });
		expect(found.map((c) => [c.applicationId, c.expertId, c.code])).toEqual([
			['a1', 'e1', 'FORMER_UNIT'],
			['a2', 'e2', 'DECLARED'],
			['a3', 'e2', 'FORMER_UNIT'],
			['a3', 'e3', 'FORMER_UNIT']
		]);
		expect(found[3].matched).toContain('离开日期未填写');
		const byId = new Map(insts.map((i) => [i.id, i]));
		const all = apps.flatMap((a) => exps.flatMap((e) => detectPair(e, a, byId.get(a.institutionId), [], undefined, { affiliations, deadline: DEADLINE })));
		expect(found).toEqual(sortConflicts(all));
		// Without the profiles, none of them.
		expect(detectConflicts({ experts: exps, applications: apps, institutions: insts, declarations: [] })).toEqual([]);
	});
});

describe('hardConflictKeys', () => {
	const list: Conflict[] = [
		{ applicationId: 'app-1', expertId: 'exp-1', code: 'SAME_UNIT', hard: true, matched: '' },
		{ applicationId: 'app-1', expertId: 'exp-2', code: 'SHARED_UNIT_WITH_STAFF', hard: false, matched: '' },
		{ applicationId: 'app-2', expertId: 'exp-2', code: 'SHARED_UNIT_WITH_STAFF', hard: false, matched: '' }
	];

	it('keeps hard conflicts only, by pair key', () => {
		expect([...hardConflictKeys(list)]).toEqual(['app-1|exp-1']);
		expect(pairKey('app-1', 'exp-1')).toBe('app-1|exp-1');
	});

	it('counts confirmed soft conflicts as hard, unless dismissed', () => {
		const confirmedSoft = new Set(['app-1|exp-2', 'app-2|exp-2']);
		expect([...hardConflictKeys(list, { confirmedSoft })]).toEqual(['app-1|exp-1', 'app-1|exp-2', 'app-2|exp-2']);
		expect([...hardConflictKeys(list, { confirmedSoft, dismissedSoft: new Set(['app-2|exp-2']) })]).toEqual([
			'app-1|exp-1',
			'app-1|exp-2'
		]);
	});
});

describe('phones compared through a matching key (the server: keyed digests)', () => {
	// A stand-in for HMAC-SM3 of the normalized number: what matters is that only the keys are compared.
	const digest = (p: string | null | undefined) => (normalizePhone(p) ? `d(${normalizePhone(p)})` : '');

	it('matches the lead and a listed person by key, naming the masked number', () => {
		const app = application({
			lead: { name: '李四', title: null, phone: '139-0000-0001', email: null },
			people: [person({ role: 'question-setter', name: '李四', workUnit: '某某研究院', phone: '+86 139 0000 0001' })]
		});
		const keyed = detectPair(expert(), app, institution(), [], digest);
		expect(codes(keyed)).toEqual(['LISTED_IN_APPLICATION', 'APPLICATION_CONTACT']);
		expect(keyed.map((c) => c.matched).join('\n')).toContain('139****0001');
		expect(detectConflicts({ experts: [expert()], applications: [app], institutions: [institution()], declarations: [], phoneKey: digest })).toEqual(keyed);
	});

	it('equal numbers with different keys do not match: the keys decide, not the numbers', () => {
		const app = application({ lead: { name: '李四', title: null, phone: '13900000001', email: null } });
		let n = 0;
		const unique = (p: string | null | undefined) => (p ? `k${n++}` : '');
		expect(detectPair(expert(), app, institution(), [], unique)).toEqual([]);
		expect(detectConflicts({ experts: [expert()], applications: [app], institutions: [institution()], declarations: [], phoneKey: unique })).toEqual([]);
	});
});
