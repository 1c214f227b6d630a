import { describe, expect, it } from 'vitest';
import {
	draftApplication,
	draftInstitution,
	draftWarnings,
	emptyFormValues,
	fieldId,
	formToObject,
	formValuesFrom,
	formValuesFromRaw,
	keepStoredPhones,
	keptIdNumber,
	maskedFields,
	withoutMasked,
	formYears,
	parseDraft,
	submissionProblems,
	type Draft,
	type MaterialsOnFile
} from './application-form';
import type { Application, Institution } from './bundle';

const USCC = '91210300MA0YABC12D';
const ID = '210302198001011233';
const ALL_MATERIALS: MaterialsOnFile = { registrationCertificate: true, creditOrIntegrity: true, recommendationLetter: true };

function institution(): Institution {
	return {
		id: 'inst-x',
		name: '鞍山数智职业培训学校',
		uscc: USCC,
		legalRep: { name: '王强', idNumber: ID },
		address: '鞍山市铁东区胜利南路 1 号',
		unitType: 'private-non-enterprise',
		industry: 'P83',
		registeredCapital: 500,
		employees: 60,
		founded: '2012-05-01',
		taxes: [
			{ year: 2020, amount: 12.5, dishonest: false },
			{ year: 2021, amount: 13, dishonest: false },
			{ year: 2022, amount: 15.25, dishonest: false }
		],
		bases: { nationalCE: false, industryCE: true, provincialCE: false, standardDeveloper: false }
	};
}

function trainingApp(): Application {
	return {
		id: 'app-x',
		institutionId: 'inst-x',
		type: 'training',
		occupation: 'ai',
		levels: ['junior', 'intermediate'],
		region: 'anshan',
		lead: { name: '李明', title: '校长', phone: '13800000001', email: 'li@example.com' },
		contact: { name: '赵丽', title: '教务主任', phone: '0412-5551234', email: 'zhao@example.com' },
		overview: '单位概况',
		platform: '线上平台',
		pastWork: '已有培训',
		teamMechanism: '师资机制',
		plan: '下步规划',
		trainingYears: [2018, 2019, 2020, 2021, 2022].map((year) => ({ year, total: 2500, independent: 2000, cooperative: 500 })),
		evaluationYears: [],
		conductsEvaluation: null,
		issuesCertificates: null,
		certificateCategory: null,
		venues: [{ address: '鞍山市铁东区胜利南路 1 号', area: 1200, capacity: 300, equipmentSets: 150, equipmentValue: 420.5 }],
		team: { total: 30, fullTime: 20, partTime: 10, assessors: null, supervisors: null },
		people: [{ role: 'teacher', name: '孙伟', workUnit: '辽宁科技大学', title: '教授', specialty: '计算机', fullTime: false, phone: '13900000002' }],
		planned: { junior: 600, intermediate: 400, senior: null },
		fees: { junior: 30, intermediate: 45, senior: null },
		attachments: null,
		recommendation: { reason: '推荐理由', unit: null, date: null }
	};
}

function evaluationApp(): Application {
	return {
		...trainingApp(),
		type: 'evaluation',
		occupation: 'iot',
		trainingYears: [],
		evaluationYears: [
			{ year: 2021, certificate: '物联网安装调试员', own: true, issued: 1200 },
			{ year: 2022, certificate: '物联网安装调试员', own: false, issued: 900 }
		],
		conductsEvaluation: true,
		issuesCertificates: true,
		certificateCategory: 'industry',
		team: { total: 12, fullTime: null, partTime: null, assessors: 9, supervisors: 3 },
		people: [{ role: 'question-setter', name: '周敏', workUnit: '大连理工大学', title: '副教授', specialty: null, fullTime: null, phone: '13700000003' }]
	};
}

/** The draft a form filled from `app` parses to. */
function roundTrip(app: Application, inst: Institution): Draft {
	const values = formValuesFrom(app, inst, 3, 2023);
	const r = parseDraft(app.type, JSON.parse(JSON.stringify(values)));
	if (!r.ok) throw new Error(JSON.stringify(r.errors));
	return r.draft;
}

describe('formToObject', () => {
	it('builds nested objects and lists from field names', () => {
		const out = formToObject([
			['occupation', 'ai'],
			['inst.name', '甲'],
			['taxes[1].amount', '3'],
			['taxes[0].year', '2020'],
			['levels', 'junior'],
			['levels', 'senior']
		]);
		expect(out).toEqual({ occupation: 'ai', inst: { name: '甲' }, taxes: [{ year: '2020' }, { amount: '3' }], levels: ['junior', 'senior'] });
	});

	it('fills holes in lists with empty rows', () => {
		const out = formToObject([['people[2].name', '丙']]);
		expect(out).toEqual({ people: [{}, {}, { name: '丙' }] });
	});

	it('ignores malformed names, prototype keys and files', () => {
		const out = formToObject([
			['__proto__.x', '1'],
			['inst.constructor', '1'],
			['a..b', '1'],
			['taxes[1234].year', '1'],
			['9lives', '1'],
			['file', new Blob(['x']) as unknown as string]
		]);
		expect(out).toEqual({ file: '' });
		expect(({} as Record<string, unknown>).x).toBeUndefined();
	});
});

describe('parseDraft', () => {
	it('accepts an empty form: every field null, lists empty (a row with only its pre-filled year is dropped)', () => {
		const r = parseDraft('training', emptyFormValues(2023));
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.draft.occupation).toBeNull();
		expect(r.draft.levels).toEqual([]);
		expect(r.draft.inst.name).toBeNull();
		expect(r.draft.inst.industry).toBeNull();
		expect(r.draft.taxes).toEqual([]);
		expect(r.draft.trainingYears).toEqual([]);
		expect(r.draft.people).toEqual([]);
		expect(r.draft.lead).toEqual({ name: null, title: null, phone: null, email: null });
	});

	it('accepts a missing form altogether', () => {
		const r = parseDraft('evaluation', undefined);
		expect(r.ok).toBe(true);
	});

	it('names the field in the form’s wording when a value is malformed', () => {
		const r = parseDraft('training', {
			inst: { employees: '12人', registeredCapital: '-5', founded: '2019-02-30' },
			lead: { email: 'li@', phone: 'abc' }
		});
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.errors).toEqual({
			'inst.employees': '「正式员工数」应为不小于 0 的整数',
			'inst.registeredCapital': '「注册资金（万元）」应为不小于 0 的数字（最多 4 位小数）',
			'inst.founded': '「单位成立时间」应为有效日期（年-月-日）',
			'lead.email': '「申报负责人邮箱」格式不正确，应如 name@example.com',
			'lead.phone': '「申报负责人电话」应为电话号码（数字，可含 - 和分机号）'
		});
	});

	it('names the list and the row of a row’s problem', () => {
		const r = parseDraft('training', {
			taxes: [{ year: '2020', amount: '1' }, { year: '2021', amount: '一万' }],
			trainingYears: [{ year: '', total: '100' }],
			people: [{ workUnit: '辽宁大学' }]
		});
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.errors['taxes[1].amount']).toBe('「近三年纳税情况」第 2 行：「税额（万元）」应为不小于 0 的数字（最多 4 位小数）');
		expect(r.errors['trainingYears[0].year']).toBe('「近5年培训规模」第 1 行：请填写「年度」');
		expect(r.errors['people[0].name']).toBe('「培训教师」第 1 行：请填写「培训教师姓名」');
	});

	it('uses the evaluation form’s words for an evaluation draft', () => {
		const r = parseDraft('evaluation', { people: [{ title: '教授' }], occupation: 'nonsense' });
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.errors['people[0].name']).toBe('「命题专家」第 1 行：请填写「命题专家姓名」');
		expect(r.errors.occupation).toBe('请从列表中选择「拟申报开展评价的职业」');
	});

	it('combines the industry section and division and refuses a division of another section', () => {
		const ok = parseDraft('training', { inst: { industrySection: 'I', industryDivision: '65' } });
		expect(ok.ok && ok.draft.inst.industry).toBe('I65');
		const sectionOnly = parseDraft('training', { inst: { industrySection: 'P' } });
		expect(sectionOnly.ok && sectionOnly.draft.inst.industry).toBe('P');
		const wrong = parseDraft('training', { inst: { industrySection: 'I', industryDivision: '13' } });
		expect(!wrong.ok && wrong.errors['inst.industry']).toBe('「所属行业」的大类 13 不属于门类 I');
		const noSection = parseDraft('training', { inst: { industryDivision: '65' } });
		expect(!noSection.ok && noSection.errors['inst.industry']).toBe('请先选择「所属行业」的门类');
		const unknown = parseDraft('training', { inst: { industrySection: 'Z' } });
		expect(!unknown.ok && unknown.errors['inst.industry']).toBe('请从列表中选择「所属行业」（GB/T 4754—2017 门类）');
	});

	it('T (国际组织) is division 97 and S ends at 96 (GB/T 4754—2017 has 97 divisions)', () => {
		expect(parseDraft('training', { inst: { industrySection: 'T', industryDivision: '97' } }).ok).toBe(true);
		expect(parseDraft('training', { inst: { industrySection: 'S', industryDivision: '97' } }).ok).toBe(false);
	});

	it('normalises the credit code and ID number (spaces out, upper case) and refuses more than 18 characters', () => {
		const r = parseDraft('training', { inst: { uscc: ' 91210300ma0y abc12d ', legalRepIdNumber: '21030219800101123x' } });
		expect(r.ok && r.draft.inst.uscc).toBe(USCC);
		expect(r.ok && r.draft.inst.legalRepIdNumber).toBe('21030219800101123X');
		const long = parseDraft('training', { inst: { uscc: USCC + '1' } });
		expect(!long.ok && long.errors['inst.uscc']).toBe('「统一社会信用代码」应为18位（现为 19 位）');
	});

	it('reads full-width digits and letters in codes (a Chinese input mode) as the same code', () => {
		const fw = (t: string) => t.replace(/[0-9A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
		const r = parseDraft('training', { inst: { uscc: fw(' 91210300ma0yabc12d'), legalRepIdNumber: `${fw('2103021980')}　01011${fw('23x')}` } });
		expect(r.ok && r.draft.inst.uscc).toBe(USCC);
		expect(r.ok && r.draft.inst.legalRepIdNumber).toBe('21030219800101123X');
	});

	it('keeps the ticked levels in form order and refuses unknown ones', () => {
		const r = parseDraft('training', { levels: ['senior', 'junior'] });
		expect(r.ok && r.draft.levels).toEqual(['junior', 'senior']);
		const bad = parseDraft('training', { levels: ['expert'] });
		expect(!bad.ok && bad.errors.levels).toBe('「拟申报开展培训的专业技术等级」只能勾选初级、中级、高级');
	});

	it('saves a narrative over its limit in a draft (the limit applies at submission)', () => {
		const r = parseDraft('training', { platform: '字'.repeat(301) });
		expect(r.ok).toBe(true);
	});

	it('refuses more rows than the form allows', () => {
		const taxes = Array.from({ length: 11 }, (_, i) => ({ year: String(2010 + i), amount: '1' }));
		const r = parseDraft('training', { taxes });
		expect(!r.ok && r.errors.taxes).toBe('「近三年纳税情况」最多 10 行');
	});
});

describe('draft warnings', () => {
	it('flags a wrong check character of the credit code and the ID number without refusing the draft', () => {
		const r = parseDraft('training', { inst: { uscc: '91210300MA0YABC12E', legalRepIdNumber: '210302198001011234' } });
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(draftWarnings(r.draft, '2023-06-01')).toEqual({
			'inst.uscc': '「统一社会信用代码」校验码不正确',
			'inst.legalRepIdNumber': '「法定代表人身份证号」校验码不正确'
		});
	});

	it('is empty for valid codes', () => {
		const r = parseDraft('training', { inst: { uscc: USCC, legalRepIdNumber: ID } });
		expect(r.ok && draftWarnings(r.draft, '2023-06-01')).toEqual({});
	});
});

describe('form values ↔ stored application', () => {
	it('a training application survives the round trip through the form', () => {
		const app = trainingApp();
		const inst = institution();
		const draft = roundTrip(app, inst);
		// The form never shows the ID number: an empty input keeps the stored one.
		expect(draft.inst.legalRepIdNumber).toBeNull();
		expect(draftInstitution(draft, inst.id, ID)).toEqual(inst);
		expect(draftApplication(draft, 'training', { id: app.id, institutionId: inst.id, region: 'anshan', occupation: 'ai' }, app)).toEqual(app);
	});

	it('an evaluation application survives the round trip through the form', () => {
		const app = evaluationApp();
		const inst = institution();
		const draft = roundTrip(app, inst);
		expect(draftApplication(draft, 'evaluation', { id: app.id, institutionId: inst.id, region: 'anshan', occupation: 'iot' }, app)).toEqual(app);
	});

	it('pads short lists to the rows of the printed form with the form’s years', () => {
		const inst = { ...institution(), taxes: [{ year: 2022, amount: 1, dishonest: false }] };
		const app = { ...trainingApp(), trainingYears: [], venues: [], people: [] };
		const v = formValuesFrom(app, inst, 1, 2023);
		expect(v.taxes.map((t) => t.year)).toEqual(['2022', '2020', '2021']);
		expect(v.trainingYears.map((t) => t.year)).toEqual(['2018', '2019', '2020', '2021', '2022']);
		expect(v.venues).toHaveLength(1);
		expect(v.people).toHaveLength(2);
		expect(formYears(2023)).toEqual({ taxes: ['2020', '2021', '2022'], figures: ['2018', '2019', '2020', '2021', '2022'] });
	});

	it('a new ID number replaces the stored one', () => {
		const r = parseDraft('training', { inst: { name: '甲', legalRepIdNumber: '110101199003077578' } });
		expect(r.ok && draftInstitution(r.draft, 'i', ID).legalRep?.idNumber).toBe('110101199003077578');
	});

	it('a training draft drops what only the evaluation form has, and the other way round', () => {
		const values = { conductsEvaluation: '1', certificateCategory: 'industry', team: { total: '5', fullTime: '3', partTime: '2', assessors: '9' }, people: [{ name: '甲', specialty: '计算机', fullTime: '1' }] };
		const t = parseDraft('training', values);
		const e = parseDraft('evaluation', values);
		if (!t.ok || !e.ok) throw new Error('unexpected');
		const ids = { id: 'a', institutionId: 'i', region: 'anshan', occupation: 'ai' };
		const ta = draftApplication(t.draft, 'training', ids);
		expect(ta.conductsEvaluation).toBeNull();
		expect(ta.certificateCategory).toBeNull();
		expect(ta.team).toEqual({ total: 5, fullTime: 3, partTime: 2, assessors: null, supervisors: null });
		expect(ta.people[0]).toMatchObject({ role: 'teacher', specialty: '计算机', fullTime: true });
		const ea = draftApplication(e.draft, 'evaluation', ids);
		expect(ea.conductsEvaluation).toBe(true);
		expect(ea.team).toEqual({ total: 5, fullTime: null, partTime: null, assessors: 9, supervisors: null });
		expect(ea.people[0]).toMatchObject({ role: 'question-setter', specialty: null, fullTime: null });
	});

	it('keeps the recommending unit and date the form does not show', () => {
		const r = parseDraft('training', { reason: '新理由' });
		if (!r.ok) throw new Error('unexpected');
		const a = draftApplication(r.draft, 'training', { id: 'a', institutionId: 'i', region: 'anshan', occupation: 'ai' }, {
			attachments: { registrationCertificate: true, creditReport: null, integrityCommitment: true },
			recommendation: { reason: '旧理由', unit: '鞍山市人力资源和社会保障局', date: '2023-06-10' }
		});
		expect(a.recommendation).toEqual({ reason: '新理由', unit: '鞍山市人力资源和社会保障局', date: '2023-06-10' });
		expect(a.attachments).toEqual({ registrationCertificate: true, creditReport: null, integrityCommitment: true });
	});
});

describe('submissionProblems', () => {
	it('a complete training application has none', () => {
		expect(submissionProblems(trainingApp(), institution(), ALL_MATERIALS)).toEqual([]);
	});

	it('a complete evaluation application has none', () => {
		expect(submissionProblems(evaluationApp(), institution(), ALL_MATERIALS)).toEqual([]);
	});

	it('an empty draft lists what is missing in the order of the form, starting with the levels', () => {
		const app: Application = {
			...trainingApp(),
			levels: [],
			lead: null,
			contact: null,
			overview: null,
			platform: null,
			pastWork: null,
			teamMechanism: null,
			plan: null,
			trainingYears: [],
			venues: [],
			team: null,
			people: [],
			planned: null,
			fees: null,
			recommendation: null
		};
		const inst: Institution = { ...institution(), uscc: null, legalRep: null, address: null, unitType: null, industry: null, registeredCapital: null, employees: null, founded: null, taxes: [], bases: null };
		const none = { registrationCertificate: false, creditOrIntegrity: false, recommendationLetter: false };
		const problems = submissionProblems(app, inst, none);
		expect(problems[0]).toEqual({ key: 'levels', message: '请勾选「拟申报开展培训的专业技术等级」（初级、中级、高级，至少一项）' });
		expect(problems.map((p) => p.key)).toEqual([
			'levels',
			'inst.uscc',
			'inst.legalRepName',
			'inst.legalRepIdNumber',
			'inst.address',
			'inst.unitType',
			'inst.industry',
			'inst.registeredCapital',
			'inst.employees',
			'inst.founded',
			'taxes',
			'inst.nationalCE',
			'inst.industryCE',
			'inst.provincialCE',
			'inst.standardDeveloper',
			'lead.name',
			'lead.phone',
			'lead.title',
			'lead.email',
			'contact.name',
			'contact.phone',
			'contact.title',
			'contact.email',
			'overview',
			'trainingYears',
			'venues',
			'platform',
			'team.total',
			'team.fullTime',
			'team.partTime',
			'people',
			'pastWork',
			'teamMechanism',
			'plan',
			'reason',
			'attachments.registration-certificate',
			'attachments.credit-report',
			'attachments.recommendation-letter'
		]);
		expect(problems.find((p) => p.key === 'taxes')?.message).toBe('「近三年纳税情况」应填写 3 个年度（现有 0 个）');
		expect(problems.find((p) => p.key === 'inst.unitType')?.message).toBe('请选择「单位类型」');
		expect(problems.find((p) => p.key === 'attachments.credit-report')?.message).toBe('请上传「信用报告」或「诚信承诺书」（至少一项）');
	});

	it('refuses a credit code with a wrong check character', () => {
		const problems = submissionProblems(trainingApp(), { ...institution(), uscc: '91210300MA0YABC12E' }, ALL_MATERIALS);
		expect(problems).toEqual([{ key: 'inst.uscc', message: '「统一社会信用代码」校验码不正确' }]);
	});

	it('accepts an ID number with a wrong check character (a warning of the formal check, not a blocker)', () => {
		const inst = { ...institution(), legalRep: { name: '王强', idNumber: '210302198001011234' } };
		expect(submissionProblems(trainingApp(), inst, ALL_MATERIALS)).toEqual([]);
	});

	it('counts narrative characters without whitespace: 800 is fine, 801 is over', () => {
		const at = { ...trainingApp(), overview: '字'.repeat(800) + ' \n ' };
		expect(submissionProblems(at, institution(), ALL_MATERIALS)).toEqual([]);
		const over = { ...trainingApp(), overview: '字'.repeat(801), platform: '台'.repeat(301) };
		expect(submissionProblems(over, institution(), ALL_MATERIALS)).toEqual([
			{ key: 'overview', message: '「单位基本情况」801 字，超过 800 字的限制' },
			{ key: 'platform', message: '「信息化平台建设情况」301 字，超过 300 字的限制' }
		]);
	});

	it('asks for the plan and fees of ticked levels only', () => {
		const app = { ...trainingApp(), levels: ['junior', 'senior'] };
		expect(submissionProblems(app, institution(), ALL_MATERIALS)).toEqual([
			{ key: 'planned.senior', message: '请填写「年度计划培训人数（人次） · 高级」' },
			{ key: 'fees.senior', message: '请填写「培训费用（元/学时） · 高级」' }
		]);
	});

	it('wants five years of training figures and every figure of a row (0 is a figure)', () => {
		const app = trainingApp();
		app.trainingYears = app.trainingYears.slice(0, 4);
		app.trainingYears[1] = { year: 2019, total: 0, independent: 0, cooperative: null };
		expect(submissionProblems(app, institution(), ALL_MATERIALS)).toEqual([
			{ key: 'trainingYears', message: '「近5年培训规模（人次）」应填写 5 个年度（现有 4 个；没有培训的年度填 0）' },
			{ key: 'trainingYears[1].cooperative', message: '「近5年培训规模」第 2 行：请填写「合作培训人数」' }
		]);
	});

	it('does not block a stated total that disagrees with its parts (a formal-check warning)', () => {
		const app = trainingApp();
		app.trainingYears[0] = { year: 2018, total: 100, independent: 10, cooperative: 10 };
		app.team = { total: 99, fullTime: 1, partTime: 1, assessors: null, supervisors: null };
		expect(submissionProblems(app, institution(), ALL_MATERIALS)).toEqual([]);
	});

	it('evaluation: a category is needed only when certificates are issued, rows only when evaluation is conducted', () => {
		const app = { ...evaluationApp(), issuesCertificates: false, certificateCategory: null, conductsEvaluation: false, evaluationYears: [] };
		expect(submissionProblems(app, institution(), ALL_MATERIALS)).toEqual([]);
		const issuing = { ...app, issuesCertificates: true, conductsEvaluation: true };
		expect(submissionProblems(issuing, institution(), ALL_MATERIALS)).toEqual([
			{ key: 'evaluationYears', message: '「近5年开展考核评价规模（人次）」至少填写一行' },
			{ key: 'certificateCategory', message: '请选择「证书类别」' }
		]);
	});

	it('a teacher row needs every column; a question setter has no specialty or nature', () => {
		const t = trainingApp();
		t.people = [{ role: 'teacher', name: '孙伟', workUnit: null, title: '教授', specialty: null, fullTime: null, phone: '139' }];
		expect(submissionProblems(t, institution(), ALL_MATERIALS).map((p) => p.message)).toEqual([
			'「培训教师」第 1 行：请填写「工作单位」',
			'「培训教师」第 1 行：请填写「专业」',
			'「培训教师」第 1 行：请选择「人员性质」'
		]);
		expect(submissionProblems(evaluationApp(), institution(), ALL_MATERIALS)).toEqual([]);
	});

	it('needs each required material', () => {
		expect(submissionProblems(trainingApp(), institution(), { registrationCertificate: true, creditOrIntegrity: true, recommendationLetter: false })).toEqual([
			{ key: 'attachments.recommendation-letter', message: '请上传「推荐函」' }
		]);
		expect(submissionProblems(trainingApp(), institution(), { registrationCertificate: false, creditOrIntegrity: true, recommendationLetter: true })).toEqual([
			{ key: 'attachments.registration-certificate', message: '请上传「法人登记证书复印件」' }
		]);
	});

	it('refuses repeated tax years', () => {
		const inst = institution();
		inst.taxes[2] = { year: 2021, amount: 1, dishonest: false };
		expect(submissionProblems(trainingApp(), inst, ALL_MATERIALS)).toEqual([{ key: 'taxes', message: '「近三年纳税情况」的年份有重复' }]);
	});
});

describe('fieldId', () => {
	it('turns a field name into a DOM id', () => {
		expect(fieldId('taxes[1].amount')).toBe('f-taxes-1-amount');
		expect(fieldId('inst.uscc')).toBe('f-inst-uscc');
	});
});

describe('formValuesFromRaw', () => {
	it('lays the posted strings and rows over the blank form', () => {
		const base = emptyFormValues(2023);
		const v = formValuesFromRaw(
			{ occupation: 'ai', inst: { name: '甲', employees: 7 }, people: [{ name: '乙', phone: '139' }, {}, { name: '丙' }], levels: ['junior'] },
			base
		);
		expect(v.occupation).toBe('ai');
		expect(v.inst.name).toBe('甲');
		expect(v.inst.employees).toBe('');
		expect(v.people).toEqual([
			{ name: '乙', workUnit: '', title: '', specialty: '', fullTime: '', phone: '139' },
			{ name: '', workUnit: '', title: '', specialty: '', fullTime: '', phone: '' },
			{ name: '丙', workUnit: '', title: '', specialty: '', fullTime: '', phone: '' }
		]);
		expect(v.levels).toEqual(['junior']);
		expect(v.taxes).toEqual(base.taxes);
	});

	it('with no levels posted, none are ticked', () => {
		expect(formValuesFromRaw({}, { ...emptyFormValues(2023), levels: ['senior'] }).levels).toEqual([]);
	});
});

describe('masked personal data', () => {
	const mask = { id: (s: string) => `ID(${s.slice(-4)})`, phone: (s: string) => `P(${s.slice(-4)})` };

	it('lists the fields shown masked', () => {
		expect(maskedFields(trainingApp(), institution(), mask)).toEqual({
			'inst.legalRepIdNumber': 'ID(1233)',
			'lead.phone': 'P(0001)',
			'contact.phone': 'P(1234)',
			'people[0].phone': 'P(0002)'
		});
	});

	it('empties them in the form values', () => {
		const v = withoutMasked(formValuesFrom(trainingApp(), institution(), 1, 2023));
		expect([v.inst.legalRepIdNumber, v.lead.phone, v.contact.phone, v.people[0].phone]).toEqual(['', '', '', '']);
		expect(v.lead.name).toBe('李明');
	});

	it('keeps stored phones for empty inputs: lead and contact while the name is the same, people by name', () => {
		const app = trainingApp();
		app.people.push({ role: 'teacher', name: '钱芳', workUnit: null, title: null, specialty: null, fullTime: null, phone: '13600000009' });
		const values = withoutMasked(formValuesFrom(app, institution(), 1, 2023));
		values.contact.name = '新联系人';
		values.people = [values.people[1], values.people[0], { ...values.people[0], name: '新教师' }];
		const r = parseDraft('training', values);
		if (!r.ok) throw new Error('unexpected');
		const kept = keepStoredPhones(r.draft, app);
		expect(kept.lead.phone).toBe('13800000001');
		expect(kept.contact.phone).toBeNull();
		expect(kept.people.map((p) => p?.phone)).toEqual(['13600000009', '13900000002', null]);
	});

	it('a typed phone replaces the stored one', () => {
		const r = parseDraft('training', { lead: { name: '李明', phone: '13811112222' } });
		if (!r.ok) throw new Error('unexpected');
		expect(keepStoredPhones(r.draft, trainingApp()).lead.phone).toBe('13811112222');
	});

	it('keeps the stored ID number only for the same legal representative', () => {
		const same = parseDraft('training', { inst: { legalRepName: '王强' } });
		const other = parseDraft('training', { inst: { legalRepName: '张三' } });
		if (!same.ok || !other.ok) throw new Error('unexpected');
		expect(keptIdNumber(same.draft, institution())).toBe(ID);
		expect(keptIdNumber(other.draft, institution())).toBeNull();
		expect(keptIdNumber(same.draft, null)).toBeNull();
	});
});
