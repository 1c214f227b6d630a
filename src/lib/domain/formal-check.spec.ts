import { describe, it, expect } from 'vitest';
import { DEFAULT_BATCH, type Application, type Batch, type Institution } from './bundle';
import { idCheckChar, usccCheckChar, USCC_CHARSET } from './identifiers';
import {
	FINDING_CODES,
	FINDING_RULES,
	cellKey,
	checkAll,
	checkApplication,
	checkAttachments,
	checkDirectory,
	checkDishonest,
	checkEvalOccupationClosed,
	checkFounded,
	checkLate,
	checkLegalRepId,
	checkLevels,
	checkQuota,
	checkRecommendation,
	checkScale,
	checkTextLength,
	checkTotals,
	checkUscc,
	findingLabel,
	findingSeverity,
	hasUnresolvedBlocking,
	isFindingCode,
	largestAnnualScale,
	quotaCells,
	sortFindings,
	type DirectoryEntry,
	type Finding,
	type FindingCode
} from './formal-check';

/* ---------- Fixtures ---------- */

const TODAY = '2023-06-20';

/** First 17 characters of a USCC; check character J (GB 32100 weights, computed by hand). */
const USCC_17 = '91210100MA0QCR7T1';
const VALID_USCC = '91210100MA0QCR7T1J';
/** First 17 digits of an ID number; sum 131, 131 mod 11 = 10 → check digit 2. */
const ID_17 = '21010219800101123';
const VALID_ID = '210102198001011232';

/** Replaces the last character by another one of the same alphabet. */
function flipLast(code: string, alphabet: string): string {
	const last = code[code.length - 1];
	const other = alphabet[(alphabet.indexOf(last) + 1) % alphabet.length];
	return code.slice(0, -1) + other;
}

function batch(overrides: Partial<Batch> = {}): Batch {
	return {
		...DEFAULT_BATCH,
		closedEvaluationOccupations: [...DEFAULT_BATCH.closedEvaluationOccupations],
		quotas: {
			training: { ...DEFAULT_BATCH.quotas.training },
			evaluation: { ...DEFAULT_BATCH.quotas.evaluation }
		},
		...overrides
	};
}

function institution(overrides: Partial<Institution> = {}): Institution {
	return {
		id: 'inst-1',
		name: '辽宁数字技术培训学院',
		uscc: VALID_USCC,
		legalRep: { name: '张三', idNumber: VALID_ID },
		address: '沈阳市和平区南京北街1号',
		unitType: 'enterprise',
		industry: 'I65',
		registeredCapital: 1000,
		employees: 120,
		founded: '2015-03-01',
		taxes: [
			{ year: 2020, amount: 100, dishonest: false },
			{ year: 2021, amount: 120, dishonest: false },
			{ year: 2022, amount: 150, dishonest: null }
		],
		bases: { nationalCE: false, industryCE: true, provincialCE: null, standardDeveloper: false },
		...overrides
	};
}

/** A fully valid application of either type: checkApplication gives no finding. */
function application(overrides: Partial<Application> = {}): Application {
	const type = overrides.type ?? 'training';
	return {
		id: 'app-1',
		institutionId: 'inst-1',
		type,
		occupation: 'ai',
		levels: ['junior', 'intermediate'],
		region: 'anshan',
		lead: { name: '李四', title: '院长', phone: '13800000000', email: null },
		contact: { name: '王五', title: '主任', phone: '13900000000', email: null },
		overview: '本单位成立于2015年，长期从事数字技术人才培养。',
		platform: '自建在线学习平台。',
		pastWork: '近五年累计培训一万余人次。',
		teamMechanism: '专兼职结合。',
		plan: '下一步扩大培训规模。',
		trainingYears:
			type === 'training'
				? [
						{ year: 2021, total: 2100, independent: 1600, cooperative: 500 },
						{ year: 2022, total: 2500, independent: 2000, cooperative: 500 }
					]
				: [],
		evaluationYears:
			type === 'evaluation'
				? [
						{ year: 2022, certificate: '人工智能应用工程师', own: true, issued: 1500 },
						{ year: 2022, certificate: '机器学习工程师', own: false, issued: 700 }
					]
				: [],
		conductsEvaluation: type === 'evaluation',
		issuesCertificates: type === 'evaluation',
		certificateCategory: type === 'evaluation' ? 'industry' : null,
		venues: [{ address: '沈阳市', area: 500, capacity: 100, equipmentSets: 50, equipmentValue: 100 }],
		team:
			type === 'training'
				? { total: 30, fullTime: 20, partTime: 10, assessors: null, supervisors: null }
				: { total: 12, fullTime: null, partTime: null, assessors: 9, supervisors: 3 },
		people: [],
		planned: { junior: 500, intermediate: 300, senior: null },
		fees: { junior: 3000, intermediate: 5000, senior: null },
		attachments: { registrationCertificate: true, creditReport: true, integrityCommitment: false },
		recommendation: { reason: '该机构实力较强，同意推荐。', unit: '鞍山市人力资源和社会保障局', date: '2023-06-10' },
		...overrides
	};
}

function check(app: Application, inst: Institution | undefined = institution(), b: Batch = batch(), cellCount = 1, directory: DirectoryEntry[] = []) {
	return checkApplication(app, inst, b, { cellCount, today: TODAY, directory });
}

/** A directory entry of inst-1 for ai training, valid on the default deadline (2023-06-15). */
const HELD: DirectoryEntry = { institutionId: 'inst-1', occupation: 'ai', type: 'training', levels: ['junior'], validFrom: '2022-09-01', validTo: null };

const codes = (fs: Finding[]) => fs.map((f) => f.code);

/* ---------- Tests ---------- */

describe('fixtures', () => {
	it('builds the hand-computed check characters', () => {
		expect(usccCheckChar(USCC_17)).toBe('J');
		expect(idCheckChar(ID_17)).toBe('2');
	});

	it('a clean training application has no finding', () => {
		expect(check(application())).toEqual([]);
	});

	it('a clean evaluation application has no finding', () => {
		expect(check(application({ type: 'evaluation' }))).toEqual([]);
	});
});

describe('FINDING_RULES', () => {
	it('lists the codes in the table order of domain.md', () => {
		expect(FINDING_CODES).toEqual([
			'USCC_INVALID',
			'LEGAL_REP_ID_INVALID',
			'EVAL_OCCUPATION_CLOSED',
			'QUOTA_EXCEEDED',
			'DISHONEST_RECORD',
			'FOUNDED_AFTER_CUTOFF',
			'SCALE_BELOW_MIN',
			'MISSING_ATTACHMENT',
			'MISSING_RECOMMENDATION',
			'NO_LEVEL',
			'TEXT_TOO_LONG',
			'TOTALS_MISMATCH',
			'LATE_SUBMISSION',
			'ALREADY_IN_DIRECTORY'
		]);
	});

	it('gives each code the severity of domain.md', () => {
		const warnings = ['LEGAL_REP_ID_INVALID', 'FOUNDED_AFTER_CUTOFF', 'TEXT_TOO_LONG', 'TOTALS_MISMATCH', 'LATE_SUBMISSION', 'ALREADY_IN_DIRECTORY'];
		for (const code of FINDING_CODES) {
			expect(findingSeverity(code), code).toBe(warnings.includes(code) ? 'warning' : 'blocking');
		}
	});

	it('has a distinct Chinese label per code', () => {
		const labels = FINDING_RULES.map((r) => r.code).map(findingLabel);
		expect(new Set(labels).size).toBe(14);
		for (const l of labels) expect(l).toMatch(/[\u4e00-\u9fff]/);
		expect(findingLabel('QUOTA_EXCEEDED')).toBe('超出推荐名额');
	});

	it('recognises its codes', () => {
		expect(isFindingCode('NO_LEVEL')).toBe(true);
		expect(isFindingCode('SAME_UNIT')).toBe(false);
		expect(isFindingCode('no_level')).toBe(false);
	});
});

describe('USCC_INVALID', () => {
	it('accepts a valid code and a published valid example', () => {
		expect(checkUscc(institution())).toEqual([]);
		expect(checkUscc(institution({ uscc: '91350100M000100Y43' }))).toEqual([]);
	});

	it('rejects a wrong check character, naming the code and the problem', () => {
		const bad = flipLast(VALID_USCC, USCC_CHARSET);
		expect(bad).toBe('91210100MA0QCR7T1K');
		expect(checkUscc(institution({ uscc: bad }))).toEqual([
			{ code: 'USCC_INVALID', severity: 'blocking', detail: '统一社会信用代码 91210100MA0QCR7T1K 校验码不正确' }
		]);
	});

	it('rejects every check character but the right one', () => {
		for (const ch of USCC_CHARSET) {
			const found = checkUscc(institution({ uscc: USCC_17 + ch }));
			expect(found.length, ch).toBe(ch === 'J' ? 0 : 1);
		}
	});

	it('rejects lowercase letters as a charset problem', () => {
		const [f] = checkUscc(institution({ uscc: VALID_USCC.toLowerCase() }));
		expect(f.code).toBe('USCC_INVALID');
		expect(f.detail).toContain('含有不允许的字符');
	});

	it.each(['I', 'O', 'Z', 'S', 'V'])('rejects the forbidden letter %s', (letter) => {
		// Index 9 ('A') lies in the free organisation-code part; the charset problem wins over the check.
		const code = VALID_USCC.slice(0, 9) + letter + VALID_USCC.slice(10);
		const [f] = checkUscc(institution({ uscc: code }));
		expect(f.detail).toBe(`统一社会信用代码 ${code} 含有不允许的字符（仅限数字和除 I、O、Z、S、V 以外的大写字母，第3–8位为行政区划码）`);
	});

	it('rejects a letter in the administrative division code', () => {
		const first17 = '9121A100MA0QCR7T1';
		const [f] = checkUscc(institution({ uscc: first17 + usccCheckChar(first17) }));
		expect(f.detail).toContain('含有不允许的字符');
	});

	it('rejects a wrong length and says how long it is', () => {
		expect(checkUscc(institution({ uscc: USCC_17 }))[0].detail).toBe('统一社会信用代码 91210100MA0QCR7T1 应为18位（现为 17 位）');
		expect(checkUscc(institution({ uscc: VALID_USCC + '0' }))[0].detail).toContain('现为 19 位');
	});

	it('reports a missing or blank code', () => {
		expect(checkUscc(institution({ uscc: null }))).toEqual([
			{ code: 'USCC_INVALID', severity: 'blocking', detail: '未填写统一社会信用代码' }
		]);
		expect(checkUscc(institution({ uscc: '  ' }))[0].detail).toBe('未填写统一社会信用代码');
	});

	it('reports a missing institution', () => {
		const found = checkUscc(undefined);
		expect(codes(found)).toEqual(['USCC_INVALID']);
		expect(found[0].detail).toContain('未找到申报单位');
	});
});

describe('LEGAL_REP_ID_INVALID', () => {
	it('accepts a valid number, also one ending in X (the GB 11643 example)', () => {
		expect(checkLegalRepId(institution(), TODAY)).toEqual([]);
		expect(checkLegalRepId(institution({ legalRep: { name: 'x', idNumber: '11010519491231002X' } }), TODAY)).toEqual([]);
	});

	it('rejects a wrong check digit and shows the number masked only', () => {
		const bad = flipLast(VALID_ID, '0123456789X');
		expect(bad).toBe('210102198001011233');
		const found = checkLegalRepId(institution({ legalRep: { name: '张三', idNumber: bad } }), TODAY);
		expect(found).toEqual([
			{ code: 'LEGAL_REP_ID_INVALID', severity: 'warning', detail: '法定代表人身份证号码 210102********1233 校验码不正确' }
		]);
		expect(found[0].detail).not.toContain(bad);
		expect(found[0].detail).not.toContain('19800101');
	});

	it('rejects a lowercase x as a charset problem', () => {
		const [f] = checkLegalRepId(institution({ legalRep: { name: 'x', idNumber: '11010519491231002x' } }), TODAY);
		expect(f.detail).toBe('法定代表人身份证号码 110105********002x 前17位应为数字，末位为数字或 X');
	});

	it('rejects an impossible birth date', () => {
		const first17 = '21010219810229123'; // 1981 is not a leap year
		const [f] = checkLegalRepId(institution({ legalRep: { name: 'x', idNumber: first17 + idCheckChar(first17) } }), TODAY);
		expect(f.detail).toContain('出生日期无效');
	});

	it('accepts any real birth date from 1800 on (GB 11643 example 440524188001010014), not before', () => {
		expect(checkLegalRepId(institution({ legalRep: { name: 'x', idNumber: '440524188001010014' } }), TODAY)).toEqual([]);
		const y1800 = '44052418000101001';
		expect(checkLegalRepId(institution({ legalRep: { name: 'x', idNumber: y1800 + idCheckChar(y1800) } }), TODAY)).toEqual([]);
		const y1799 = '44052417991231001';
		const [f] = checkLegalRepId(institution({ legalRep: { name: 'x', idNumber: y1799 + idCheckChar(y1799) } }), TODAY);
		expect(f.detail).toContain('出生日期无效');
	});

	it('rejects a birth date after today, and accepts it on the day itself', () => {
		const first17 = '21010220230621123';
		const id = first17 + idCheckChar(first17);
		const inst = institution({ legalRep: { name: 'x', idNumber: id } });
		expect(checkLegalRepId(inst, '2023-06-20')[0].detail).toContain('出生日期无效');
		expect(checkLegalRepId(inst, '2023-06-21')).toEqual([]);
	});

	it('rejects a wrong length', () => {
		const [f] = checkLegalRepId(institution({ legalRep: { name: 'x', idNumber: ID_17 } }), TODAY);
		expect(f.detail).toBe('法定代表人身份证号码 210102*******1123 应为18位');
	});

	it('reports a missing number or legal representative', () => {
		for (const legalRep of [null, { name: '张三', idNumber: null }, { name: '张三', idNumber: ' ' }]) {
			expect(checkLegalRepId(institution({ legalRep }), TODAY)).toEqual([
				{ code: 'LEGAL_REP_ID_INVALID', severity: 'warning', detail: '未填写法定代表人身份证号码' }
			]);
		}
	});

	it('leaves a missing institution to USCC_INVALID', () => {
		expect(checkLegalRepId(undefined, TODAY)).toEqual([]);
	});
});

describe('EVAL_OCCUPATION_CLOSED', () => {
	it.each(['smart-manufacturing', 'bigdata', 'blockchain'])('blocks evaluation for %s', (occupation) => {
		const found = checkEvalOccupationClosed(application({ type: 'evaluation', occupation }), batch());
		expect(codes(found)).toEqual(['EVAL_OCCUPATION_CLOSED']);
		expect(found[0].severity).toBe('blocking');
	});

	it('names the occupation', () => {
		const [f] = checkEvalOccupationClosed(application({ type: 'evaluation', occupation: 'bigdata' }), batch());
		expect(f.detail).toBe('本批次不受理大数据工程技术人员的评价机构申报');
	});

	it('leaves training for a closed occupation alone', () => {
		expect(checkEvalOccupationClosed(application({ type: 'training', occupation: 'bigdata' }), batch())).toEqual([]);
	});

	it('leaves evaluation for an open occupation alone', () => {
		expect(checkEvalOccupationClosed(application({ type: 'evaluation', occupation: 'ai' }), batch())).toEqual([]);
	});

	it('follows the batch setting', () => {
		const app = application({ type: 'evaluation', occupation: 'bigdata' });
		expect(checkEvalOccupationClosed(app, batch({ closedEvaluationOccupations: [] }))).toEqual([]);
		expect(codes(checkEvalOccupationClosed(application({ type: 'evaluation', occupation: 'ai' }), batch({ closedEvaluationOccupations: ['ai'] })))).toEqual([
			'EVAL_OCCUPATION_CLOSED'
		]);
	});
});

describe('QUOTA_EXCEEDED', () => {
	const cases: [string, 'training' | 'evaluation', number][] = [
		['anshan', 'training', 2],
		['shenyang', 'training', 5],
		['dalian', 'training', 5],
		['shenfu', 'training', 2],
		['anshan', 'evaluation', 1],
		['shenyang', 'evaluation', 2],
		['dalian', 'evaluation', 2],
		['huludao', 'evaluation', 1]
	];
	it.each(cases)('%s %s: nothing at %i, blocking one over', (region, type, limit) => {
		const app = application({ region, type });
		expect(checkQuota(app, limit, batch())).toEqual([]);
		expect(checkQuota(app, limit - 1, batch())).toEqual([]);
		const found = checkQuota(app, limit + 1, batch());
		expect(codes(found)).toEqual(['QUOTA_EXCEEDED']);
		expect(found[0].severity).toBe('blocking');
		expect(found[0].detail).toContain(`推荐 ${limit + 1} 家，名额 ${limit} 家`);
	});

	it('names the cell in Chinese', () => {
		expect(checkQuota(application(), 3, batch())[0].detail).toBe('鞍山 · 人工智能工程技术人员 · 培训机构：推荐 3 家，名额 2 家');
		expect(checkQuota(application({ region: 'dalian', type: 'evaluation', occupation: 'iot' }), 3, batch())[0].detail).toBe(
			'大连 · 物联网工程技术人员 · 评价机构：推荐 3 家，名额 2 家'
		);
	});

	it('has no limit when neither the region nor a default is set', () => {
		const b = batch({ quotas: { training: { shenyang: 5 }, evaluation: {} } });
		expect(checkQuota(application({ region: 'anshan' }), 99, b)).toEqual([]);
		expect(checkQuota(application({ region: 'anshan', type: 'evaluation' }), 99, b)).toEqual([]);
		expect(codes(checkQuota(application({ region: 'shenyang' }), 6, b))).toEqual(['QUOTA_EXCEEDED']);
	});

	it('honours a zero quota', () => {
		const b = batch({ quotas: { training: { default: 2, anshan: 0 }, evaluation: { default: 1 } } });
		expect(checkQuota(application(), 1, b)[0].detail).toContain('推荐 1 家，名额 0 家');
	});
});

describe('DISHONEST_RECORD', () => {
	it('blocks a dishonesty record and names the year', () => {
		const inst = institution({
			taxes: [
				{ year: 2020, amount: 1, dishonest: false },
				{ year: 2021, amount: 1, dishonest: true }
			]
		});
		expect(checkDishonest(inst)).toEqual([
			{ code: 'DISHONEST_RECORD', severity: 'blocking', detail: '纳税情况中 2021 年度有失信行为记录' }
		]);
	});

	it('names several years once each, in order', () => {
		const inst = institution({
			taxes: [
				{ year: 2022, amount: 1, dishonest: true },
				{ year: 2020, amount: 1, dishonest: true },
				{ year: 2022, amount: 2, dishonest: true }
			]
		});
		expect(checkDishonest(inst)[0].detail).toBe('纳税情况中 2020、2022 年度有失信行为记录');
	});

	it('leaves false, null and no rows alone', () => {
		expect(checkDishonest(institution())).toEqual([]);
		expect(checkDishonest(institution({ taxes: [] }))).toEqual([]);
		expect(checkDishonest(undefined)).toEqual([]);
	});
});

describe('FOUNDED_AFTER_CUTOFF', () => {
	it('accepts the cutoff day and earlier', () => {
		expect(checkFounded(institution({ founded: '2018-12-31' }), batch())).toEqual([]);
		expect(checkFounded(institution({ founded: '2018-12-30' }), batch())).toEqual([]);
	});

	it('warns one day after the cutoff', () => {
		expect(checkFounded(institution({ founded: '2019-01-01' }), batch())).toEqual([
			{
				code: 'FOUNDED_AFTER_CUTOFF',
				severity: 'warning',
				detail: '成立日期 2019-01-01 晚于 2018-12-31（原则上应在此日期及以前成立）'
			}
		]);
	});

	it('says nothing without a founding date, a cutoff or an institution', () => {
		expect(checkFounded(institution({ founded: null }), batch())).toEqual([]);
		expect(checkFounded(institution({ founded: '2022-01-01' }), batch({ foundedOnOrBefore: null }))).toEqual([]);
		expect(checkFounded(undefined, batch())).toEqual([]);
	});
});

describe('SCALE_BELOW_MIN', () => {
	const years = (...totals: (number | null)[]) =>
		totals.map((total, i) => ({ year: 2018 + i, total, independent: null, cooperative: null }));
	const certs = (...rows: [number, number | null][]) =>
		rows.map(([year, issued], i) => ({ year, certificate: `证书${i}`, own: true, issued }));

	it('training: 2000 passes, 1999 fails', () => {
		expect(checkScale(application({ trainingYears: years(2000) }), batch())).toEqual([]);
		expect(checkScale(application({ trainingYears: years(1999) }), batch())).toEqual([
			{ code: 'SCALE_BELOW_MIN', severity: 'blocking', detail: '年培训人数最高为 1999 人次（2018 年），低于最低要求 2000 人次' }
		]);
	});

	it('training: the largest year counts, nulls are ignored', () => {
		expect(checkScale(application({ trainingYears: years(100, null, 2000, 1500) }), batch())).toEqual([]);
		expect(checkScale(application({ trainingYears: years(100, null, 1999, 1500) }), batch())[0].detail).toContain(
			'最高为 1999 人次（2020 年）'
		);
	});

	it('training: no rows or only nulls count as 0', () => {
		const detail = '年培训人数未填写，按 0 人次计，低于最低要求 2000 人次';
		expect(checkScale(application({ trainingYears: [] }), batch())[0].detail).toBe(detail);
		expect(checkScale(application({ trainingYears: years(null, null) }), batch())[0].detail).toBe(detail);
	});

	it('evaluation: 2000 passes, 1999 fails', () => {
		const app = (n: number) => application({ type: 'evaluation', evaluationYears: certs([2022, n]) });
		expect(checkScale(app(2000), batch())).toEqual([]);
		expect(checkScale(app(1999), batch())[0].detail).toBe('年颁证数量最高为 1999 人次（2022 年），低于最低要求 2000 人次');
	});

	it('evaluation: certificate rows of the same year are summed', () => {
		const pass = application({ type: 'evaluation', evaluationYears: certs([2022, 1200], [2022, 800], [2021, 50]) });
		expect(checkScale(pass, batch())).toEqual([]);
		const fail = application({ type: 'evaluation', evaluationYears: certs([2022, 1200], [2022, 799], [2022, null]) });
		expect(checkScale(fail, batch())[0].detail).toContain('最高为 1999 人次（2022 年）');
	});

	it('evaluation: rows of different years are not summed', () => {
		const app = application({ type: 'evaluation', evaluationYears: certs([2021, 1500], [2022, 1500]) });
		expect(codes(checkScale(app, batch()))).toEqual(['SCALE_BELOW_MIN']);
		expect(largestAnnualScale(app)).toEqual({ value: 1500, year: 2022 });
	});

	it('evaluation: no rows count as 0', () => {
		expect(checkScale(application({ type: 'evaluation', evaluationYears: [] }), batch())[0].detail).toBe(
			'年颁证数量未填写，按 0 人次计，低于最低要求 2000 人次'
		);
	});

	it('a training application is judged on its training rows only', () => {
		const app = application({ trainingYears: years(1000), evaluationYears: certs([2022, 5000]) });
		expect(codes(checkScale(app, batch()))).toEqual(['SCALE_BELOW_MIN']);
	});

	it('is skipped when the batch sets no minimum, and follows a custom one', () => {
		expect(checkScale(application({ trainingYears: [] }), batch({ minAnnualScale: null }))).toEqual([]);
		expect(checkScale(application({ trainingYears: years(500) }), batch({ minAnnualScale: 500 }))).toEqual([]);
		expect(codes(checkScale(application({ trainingYears: years(499) }), batch({ minAnnualScale: 500 })))).toEqual(['SCALE_BELOW_MIN']);
	});
});

describe('MISSING_ATTACHMENT', () => {
	const att = (registrationCertificate: boolean | null, creditReport: boolean | null, integrityCommitment: boolean | null) =>
		application({ attachments: { registrationCertificate, creditReport, integrityCommitment } });

	it('accepts the certificate with either credit document', () => {
		expect(checkAttachments(att(true, true, false))).toEqual([]);
		expect(checkAttachments(att(true, null, true))).toEqual([]);
		expect(checkAttachments(att(true, true, true))).toEqual([]);
	});

	it('names a missing registration certificate', () => {
		expect(checkAttachments(att(false, true, true))).toEqual([
			{ code: 'MISSING_ATTACHMENT', severity: 'blocking', detail: '缺少法人登记证书复印件' }
		]);
		expect(checkAttachments(att(null, true, true))[0].detail).toBe('缺少法人登记证书复印件');
	});

	it('names missing credit documents', () => {
		expect(checkAttachments(att(true, false, null))[0].detail).toBe('缺少信用报告或诚信承诺书');
	});

	it('lists both in one finding', () => {
		expect(checkAttachments(att(false, false, false))).toEqual([
			{ code: 'MISSING_ATTACHMENT', severity: 'blocking', detail: '缺少法人登记证书复印件；信用报告或诚信承诺书' }
		]);
		expect(checkAttachments(application({ attachments: null }))).toHaveLength(1);
		expect(checkAttachments(application({ attachments: null }))[0].detail).toBe('缺少法人登记证书复印件；信用报告或诚信承诺书');
	});
});

describe('MISSING_RECOMMENDATION', () => {
	it('blocks a missing recommendation', () => {
		expect(checkRecommendation(application({ recommendation: null }))).toEqual([
			{ code: 'MISSING_RECOMMENDATION', severity: 'blocking', detail: '缺少推荐单位的推荐意见' }
		]);
	});

	it.each([null, '', '   ', '\n\t', '\u3000'])('blocks the reason %j', (reason) => {
		const found = checkRecommendation(application({ recommendation: { reason, unit: '鞍山', date: '2023-06-10' } }));
		expect(found).toEqual([{ code: 'MISSING_RECOMMENDATION', severity: 'blocking', detail: '未填写推荐单位的推荐理由' }]);
	});

	it('accepts a one-character reason', () => {
		expect(checkRecommendation(application({ recommendation: { reason: ' 好 ', unit: null, date: null } }))).toEqual([]);
	});
});

describe('NO_LEVEL', () => {
	it('blocks no level', () => {
		expect(checkLevels(application({ levels: [] }))).toEqual([
			{ code: 'NO_LEVEL', severity: 'blocking', detail: '未勾选申报等级（初级、中级、高级）' }
		]);
	});

	it('accepts any single level', () => {
		for (const level of ['junior', 'intermediate', 'senior']) expect(checkLevels(application({ levels: [level] }))).toEqual([]);
	});
});

describe('TEXT_TOO_LONG', () => {
	const text = (n: number, ch = '字') => ch.repeat(n);

	it('accepts exactly 800 characters and warns at 801', () => {
		expect(checkTextLength(application({ overview: text(800) }))).toEqual([]);
		expect(checkTextLength(application({ overview: text(801) }))).toEqual([
			{ code: 'TEXT_TOO_LONG', severity: 'warning', detail: 'overview（单位基本情况）：801 字，超过 800 字' }
		]);
	});

	it('does not count whitespace of any kind', () => {
		const spaced = text(400) + ' \n\t\u3000\r\n ' + text(400) + '   ';
		expect(checkTextLength(application({ overview: spaced }))).toEqual([]);
		expect(codes(checkTextLength(application({ overview: spaced + '。' })))).toEqual(['TEXT_TOO_LONG']);
	});

	it('counts a character outside the BMP once', () => {
		const wide = text(800, '𠀀'); // 1600 UTF-16 units, 800 characters
		expect(wide.length).toBe(1600);
		expect(checkTextLength(application({ overview: wide }))).toEqual([]);
		expect(checkTextLength(application({ overview: wide + '𠀀' }))[0].detail).toBe('overview（单位基本情况）：801 字，超过 800 字');
	});

	it('counts Latin letters, digits and punctuation', () => {
		expect(checkTextLength(application({ platform: 'a1，'.repeat(100) }))).toEqual([]);
		expect(checkTextLength(application({ platform: 'a1，'.repeat(100) + 'b' }))[0].detail).toBe(
			'platform（信息化平台建设情况）：301 字，超过 300 字'
		);
	});

	it('applies each field its own limit and the label of the application type', () => {
		const long = { overview: text(801), platform: text(301), pastWork: text(501), teamMechanism: text(501), plan: text(801) };
		expect(checkTextLength(application({ ...long })).map((f) => f.detail)).toEqual([
			'overview（单位基本情况）：801 字，超过 800 字',
			'platform（信息化平台建设情况）：301 字，超过 300 字',
			'pastWork（已有培训情况简述）：501 字，超过 500 字',
			'teamMechanism（师资团队建设机制简述）：501 字，超过 500 字',
			'plan（下步培训工作规划）：801 字，超过 800 字'
		]);
		expect(checkTextLength(application({ type: 'evaluation', ...long })).map((f) => f.detail)).toEqual([
			'overview（单位基本情况）：801 字，超过 800 字',
			'platform（信息化平台建设情况）：301 字，超过 300 字',
			'pastWork（已开展考核评价情况简述）：501 字，超过 500 字',
			'teamMechanism（考评团队建设机制）：501 字，超过 500 字',
			'plan（下步考核评价工作规划）：801 字，超过 800 字'
		]);
	});

	it('accepts every field at its limit, and empty fields', () => {
		expect(
			checkTextLength(application({ overview: text(800), platform: text(300), pastWork: text(500), teamMechanism: text(500), plan: text(800) }))
		).toEqual([]);
		expect(checkTextLength(application({ overview: null, platform: '', pastWork: null, teamMechanism: null, plan: null }))).toEqual([]);
	});
});

describe('TOTALS_MISMATCH', () => {
	it('flags each training year whose parts disagree with its total, naming the year', () => {
		const found = checkTotals(
			application({
				trainingYears: [
					{ year: 2020, total: 2000, independent: 1500, cooperative: 500 },
					{ year: 2021, total: 2100, independent: 1500, cooperative: 500 },
					{ year: 2022, total: 1900, independent: 1500, cooperative: 500 }
				]
			})
		);
		expect(found).toEqual([
			{
				code: 'TOTALS_MISMATCH',
				severity: 'warning',
				detail: '2021 年培训规模：独立培训人数 1500 + 合作培训人数 500 = 2000，与培训人数 2100 不一致'
			},
			{
				code: 'TOTALS_MISMATCH',
				severity: 'warning',
				detail: '2022 年培训规模：独立培训人数 1500 + 合作培训人数 500 = 2000，与培训人数 1900 不一致'
			}
		]);
	});

	it('skips a training year with any number missing', () => {
		const rows = [
			{ year: 2020, total: null, independent: 1500, cooperative: 500 },
			{ year: 2021, total: 2100, independent: null, cooperative: 500 },
			{ year: 2022, total: 2100, independent: 1500, cooperative: null }
		];
		expect(checkTotals(application({ trainingYears: rows }))).toEqual([]);
	});

	it('accepts zero parts that add up', () => {
		expect(checkTotals(application({ trainingYears: [{ year: 2022, total: 2000, independent: 2000, cooperative: 0 }] }))).toEqual([]);
	});

	it('flags the training team: full-time + part-time ≠ total', () => {
		const team = { total: 31, fullTime: 20, partTime: 10, assessors: null, supervisors: null };
		expect(checkTotals(application({ team }))).toEqual([
			{ code: 'TOTALS_MISMATCH', severity: 'warning', detail: '师资团队：专职师资 20 + 兼职师资 10 = 30，与师资团队总人数 31 不一致' }
		]);
		expect(checkTotals(application({ team: { ...team, partTime: null } }))).toEqual([]);
		expect(checkTotals(application({ team: { ...team, total: null } }))).toEqual([]);
		expect(checkTotals(application({ team: null }))).toEqual([]);
	});

	it('flags the evaluation team: assessors + supervisors ≠ total', () => {
		const team = { total: 13, fullTime: null, partTime: null, assessors: 9, supervisors: 3 };
		expect(checkTotals(application({ type: 'evaluation', team }))).toEqual([
			{ code: 'TOTALS_MISMATCH', severity: 'warning', detail: '考评团队：考评员 9 + 督导员 3 = 12，与考评团队总人数 13 不一致' }
		]);
		expect(checkTotals(application({ type: 'evaluation', team: { ...team, supervisors: null } }))).toEqual([]);
	});

	it('applies only the team check of the application type', () => {
		// Training team numbers on an evaluation application (and vice versa) are not checked.
		const mixed = { total: 10, fullTime: 1, partTime: 1, assessors: 1, supervisors: 1 };
		expect(codes(checkTotals(application({ type: 'training', team: mixed })))).toEqual(['TOTALS_MISMATCH']);
		expect(checkTotals(application({ type: 'training', team: mixed }))[0].detail).toContain('师资团队');
		expect(checkTotals(application({ type: 'evaluation', team: mixed }))[0].detail).toContain('考评团队');
		expect(checkTotals(application({ type: 'evaluation', team: mixed }))).toHaveLength(1);
	});

	it('gives one finding per mismatch, rows first', () => {
		const found = checkTotals(
			application({
				trainingYears: [{ year: 2022, total: 1, independent: 1, cooperative: 1 }],
				team: { total: 1, fullTime: 1, partTime: 1, assessors: null, supervisors: null }
			})
		);
		expect(found.map((f) => f.detail.slice(0, 4))).toEqual(['2022', '师资团队']);
	});
});

describe('LATE_SUBMISSION', () => {
	const rec = (date: string | null) => application({ recommendation: { reason: '同意', unit: null, date } });

	it('accepts the deadline day and earlier', () => {
		expect(checkLate(rec('2023-06-15'), batch())).toEqual([]);
		expect(checkLate(rec('2023-06-01'), batch())).toEqual([]);
	});

	it('warns one day after', () => {
		expect(checkLate(rec('2023-06-16'), batch())).toEqual([
			{ code: 'LATE_SUBMISSION', severity: 'warning', detail: '推荐日期 2023-06-16 晚于截止日期 2023-06-15' }
		]);
	});

	it('says nothing without a date, a recommendation or a deadline', () => {
		expect(checkLate(rec(null), batch())).toEqual([]);
		expect(checkLate(application({ recommendation: null }), batch())).toEqual([]);
		expect(checkLate(rec('2024-01-01'), batch({ deadline: null }))).toEqual([]);
	});
});

describe('ALREADY_IN_DIRECTORY', () => {
	// The batch deadline is 2023-06-15 (DEFAULT_BATCH); the application is inst-1, ai, training.
	const entry = (over: Partial<DirectoryEntry> = {}): DirectoryEntry => ({
		institutionId: 'inst-1',
		occupation: 'ai',
		type: 'training',
		levels: ['junior'],
		validFrom: '2022-09-01',
		validTo: '2025-08-31',
		documentNo: '人社厅函〔2022〕88号',
		batchId: 'batch-1',
		applicationId: 'old-app',
		...over
	});

	it('warns when the institution holds a valid entry for the same occupation and type, naming its validity', () => {
		expect(checkDirectory(application(), batch(), [entry()])).toEqual([
			{
				code: 'ALREADY_IN_DIRECTORY',
				severity: 'warning',
				detail: '该机构已列入人工智能工程技术人员培训机构目录（有效期 2022-09-01 至 2025-08-31，文号 人社厅函〔2022〕88号）'
			}
		]);
	});

	it('an entry with no end counts; the deadline day itself is inside the validity', () => {
		expect(checkDirectory(application(), batch(), [entry({ validTo: null, documentNo: null })])[0].detail).toBe(
			'该机构已列入人工智能工程技术人员培训机构目录（有效期 2022-09-01 起长期有效）'
		);
		expect(codes(checkDirectory(application(), batch(), [entry({ validTo: '2023-06-15' })]))).toEqual(['ALREADY_IN_DIRECTORY']);
		expect(codes(checkDirectory(application(), batch(), [entry({ validFrom: '2023-06-15' })]))).toEqual(['ALREADY_IN_DIRECTORY']);
	});

	it('an expired entry, or one not yet valid on the deadline, does not count', () => {
		expect(checkDirectory(application(), batch(), [entry({ validTo: '2023-06-14' })])).toEqual([]);
		expect(checkDirectory(application(), batch(), [entry({ validFrom: '2023-06-16' })])).toEqual([]);
	});

	it('another type, another occupation or another institution does not count', () => {
		expect(checkDirectory(application(), batch(), [entry({ type: 'evaluation' })])).toEqual([]);
		expect(checkDirectory(application(), batch(), [entry({ occupation: 'iot' })])).toEqual([]);
		expect(checkDirectory(application(), batch(), [entry({ institutionId: 'inst-2' })])).toEqual([]);
	});

	it('the entry this application or this batch produced does not count', () => {
		expect(checkDirectory(application(), batch(), [entry({ applicationId: 'app-1', batchId: null })])).toEqual([]);
		expect(checkDirectory(application(), batch(), [entry({ batchId: batch().id, applicationId: null })])).toEqual([]);
	});

	it('without a batch deadline the day is today; without either only entries with no end count', () => {
		expect(codes(checkDirectory(application(), batch({ deadline: null }), [entry()], '2024-01-01'))).toEqual(['ALREADY_IN_DIRECTORY']);
		expect(checkDirectory(application(), batch({ deadline: null }), [entry()], '2026-01-01')).toEqual([]);
		expect(checkDirectory(application(), batch({ deadline: null }), [entry()])).toEqual([]);
		expect(codes(checkDirectory(application(), batch({ deadline: null }), [entry({ validTo: null })]))).toEqual(['ALREADY_IN_DIRECTORY']);
	});

	it('checkAll passes each application its institution\'s entries (a warning: nothing blocks)', () => {
		const apps = [application({ id: 'a1' }), application({ id: 'a2', institutionId: 'inst-2' })];
		const result = checkAll(batch(), [institution(), institution({ id: 'inst-2', uscc: '91350100M000100Y43' })], apps, {
			today: TODAY,
			directory: [entry()]
		});
		expect(codes(result.get('a1')!)).toEqual(['ALREADY_IN_DIRECTORY']);
		expect(result.get('a2')).toEqual([]);
		expect(hasUnresolvedBlocking(result.get('a1')!, [])).toBe(false);
	});
});

describe('checkApplication', () => {
	it('raises each rule in isolation on an otherwise clean application', () => {
		const badUscc = flipLast(VALID_USCC, USCC_CHARSET);
		const badId = flipLast(VALID_ID, '0123456789X');
		const cases: [FindingCode, () => Finding[]][] = [
			['USCC_INVALID', () => check(application(), institution({ uscc: badUscc }))],
			['LEGAL_REP_ID_INVALID', () => check(application(), institution({ legalRep: { name: '张三', idNumber: badId } }))],
			['EVAL_OCCUPATION_CLOSED', () => check(application({ type: 'evaluation', occupation: 'blockchain' }))],
			['QUOTA_EXCEEDED', () => check(application(), institution(), batch(), 3)],
			['DISHONEST_RECORD', () => check(application(), institution({ taxes: [{ year: 2022, amount: 1, dishonest: true }] }))],
			['FOUNDED_AFTER_CUTOFF', () => check(application(), institution({ founded: '2019-01-01' }))],
			['SCALE_BELOW_MIN', () => check(application({ trainingYears: [{ year: 2022, total: 1999, independent: 1999, cooperative: 0 }] }))],
			['MISSING_ATTACHMENT', () => check(application({ attachments: null }))],
			['MISSING_RECOMMENDATION', () => check(application({ recommendation: { reason: ' ', unit: null, date: '2023-06-10' } }))],
			['NO_LEVEL', () => check(application({ levels: [] }))],
			['TEXT_TOO_LONG', () => check(application({ plan: '字'.repeat(801) }))],
			['TOTALS_MISMATCH', () => check(application({ team: { total: 9, fullTime: 5, partTime: 5, assessors: null, supervisors: null } }))],
			['LATE_SUBMISSION', () => check(application({ recommendation: { reason: '同意', unit: null, date: '2023-06-16' } }))],
			['ALREADY_IN_DIRECTORY', () => check(application(), institution(), batch(), 1, [HELD])]
		];
		expect(cases.map((c) => c[0])).toEqual(FINDING_CODES);
		for (const [code, run] of cases) {
			const found = run();
			expect(codes(found), code).toEqual([code]);
			expect(found[0].severity).toBe(findingSeverity(code));
		}
	});

	it('uses cellCount and today from the context', () => {
		const app = application();
		expect(checkApplication(app, institution(), batch(), { cellCount: 2 })).toEqual([]);
		expect(codes(checkApplication(app, institution(), batch(), { cellCount: 3 }))).toEqual(['QUOTA_EXCEEDED']);
		const first17 = '21010220230621123';
		const young = institution({ legalRep: { name: 'x', idNumber: first17 + idCheckChar(first17) } });
		expect(codes(checkApplication(app, young, batch(), { cellCount: 1, today: '2023-06-20' }))).toEqual(['LEGAL_REP_ID_INVALID']);
		expect(checkApplication(app, young, batch(), { cellCount: 1, today: '2023-06-21' })).toEqual([]);
	});

	it('sorts findings in rule order', () => {
		const app = application({
			type: 'evaluation',
			occupation: 'bigdata',
			levels: [],
			evaluationYears: [],
			overview: '字'.repeat(900),
			platform: '字'.repeat(400),
			team: { total: 1, fullTime: null, partTime: null, assessors: 1, supervisors: 1 },
			attachments: null,
			recommendation: { reason: null, unit: null, date: '2023-07-01' }
		});
		const inst = institution({
			uscc: null,
			legalRep: null,
			founded: '2020-01-01',
			taxes: [{ year: 2021, amount: null, dishonest: true }]
		});
		const found = check(app, inst, batch(), 2, [{ ...HELD, occupation: 'bigdata', type: 'evaluation' }]);
		expect(codes(found)).toEqual([
			'USCC_INVALID',
			'LEGAL_REP_ID_INVALID',
			'EVAL_OCCUPATION_CLOSED',
			'QUOTA_EXCEEDED',
			'DISHONEST_RECORD',
			'FOUNDED_AFTER_CUTOFF',
			'SCALE_BELOW_MIN',
			'MISSING_ATTACHMENT',
			'MISSING_RECOMMENDATION',
			'NO_LEVEL',
			'TEXT_TOO_LONG',
			'TEXT_TOO_LONG',
			'TOTALS_MISMATCH',
			'LATE_SUBMISSION',
			'ALREADY_IN_DIRECTORY'
		]);
		expect(found[10].detail).toContain('overview');
		expect(found[11].detail).toContain('platform');
	});

	it('with no institution raises only USCC_INVALID among the institution rules', () => {
		expect(codes(checkApplication(application(), undefined, batch(), { cellCount: 1, today: TODAY }))).toEqual(['USCC_INVALID']);
	});
});

describe('sortFindings', () => {
	it('sorts stably by rule order without touching the input', () => {
		const input: Finding[] = [
			{ code: 'LATE_SUBMISSION', severity: 'warning', detail: 'a' },
			{ code: 'TEXT_TOO_LONG', severity: 'warning', detail: 'b' },
			{ code: 'USCC_INVALID', severity: 'blocking', detail: 'c' },
			{ code: 'TEXT_TOO_LONG', severity: 'warning', detail: 'd' }
		];
		expect(sortFindings(input).map((f) => f.detail)).toEqual(['c', 'b', 'd', 'a']);
		expect(input[0].detail).toBe('a');
	});
});

describe('quotaCells and cellKey', () => {
	it('keys a cell by region, occupation and type', () => {
		expect(cellKey({ region: 'dalian', occupation: 'ai', type: 'evaluation' })).toBe('dalian|ai|evaluation');
	});

	it('counts applications per cell', () => {
		const apps = [
			application({ id: 'a1' }),
			application({ id: 'a2' }),
			application({ id: 'a3', type: 'evaluation' }),
			application({ id: 'a4', occupation: 'iot' }),
			application({ id: 'a5', region: 'dalian' })
		];
		expect(quotaCells(apps)).toEqual(
			new Map([
				['anshan|ai|training', 2],
				['anshan|ai|evaluation', 1],
				['anshan|iot|training', 1],
				['dalian|ai|training', 1]
			])
		);
		expect(quotaCells([])).toEqual(new Map());
	});
});

describe('checkAll', () => {
	const inst2 = institution({ id: 'inst-2', uscc: '91350100M000100Y43' });

	it('returns every application in input order, clean ones with []', () => {
		const apps = [
			application({ id: 'z' }),
			application({ id: 'a', institutionId: 'inst-2', levels: [], occupation: 'iot' }),
			application({ id: 'm', region: 'dalian' })
		];
		const result = checkAll(batch(), [institution(), inst2], apps, { today: TODAY });
		expect([...result.keys()]).toEqual(['z', 'a', 'm']);
		expect(result.get('z')).toEqual([]);
		expect(codes(result.get('a')!)).toEqual(['NO_LEVEL']);
		expect(result.get('m')).toEqual([]);
	});

	it('looks up the institution by id and reports a missing one', () => {
		const apps = [
			application({ id: 'a1', institutionId: 'inst-2' }),
			application({ id: 'a2', institutionId: 'nowhere' })
		];
		const result = checkAll(batch(), [institution({ uscc: null }), inst2], apps, { today: TODAY });
		expect(result.get('a1')).toEqual([]);
		expect(result.get('a2')).toEqual([
			{ code: 'USCC_INVALID', severity: 'blocking', detail: '未找到申报单位信息，无法核验统一社会信用代码' }
		]);
	});

	it('flags every application of an over-quota cell and none at the limit', () => {
		const anshan = [1, 2, 3].map((i) => application({ id: `an-${i}` }));
		const shenyang = [1, 2, 3, 4, 5].map((i) => application({ id: `sy-${i}`, region: 'shenyang' }));
		const dalianEval = [1, 2, 3].map((i) => application({ id: `dl-${i}`, region: 'dalian', type: 'evaluation' }));
		const other = application({ id: 'an-iot', occupation: 'iot' });
		const result = checkAll(batch(), [institution()], [...anshan, ...shenyang, ...dalianEval, other], { today: TODAY });
		for (const a of anshan) {
			expect(result.get(a.id)).toEqual([
				{ code: 'QUOTA_EXCEEDED', severity: 'blocking', detail: '鞍山 · 人工智能工程技术人员 · 培训机构：推荐 3 家，名额 2 家' }
			]);
		}
		for (const a of shenyang) expect(result.get(a.id)).toEqual([]);
		for (const a of dalianEval) {
			expect(result.get(a.id)![0].detail).toBe('大连 · 人工智能工程技术人员 · 评价机构：推荐 3 家，名额 2 家');
		}
		expect(result.get('an-iot')).toEqual([]);
	});

	it('flags a sixth Shenyang training application', () => {
		const apps = [1, 2, 3, 4, 5, 6].map((i) => application({ id: `sy-${i}`, region: 'shenyang' }));
		const result = checkAll(batch(), [institution()], apps, { today: TODAY });
		for (const a of apps) expect(result.get(a.id)![0].detail).toBe('沈阳 · 人工智能工程技术人员 · 培训机构：推荐 6 家，名额 5 家');
	});

	it('counts only the applications `counted` picks, and flags only those', () => {
		const apps = [
			application({ id: 'r1' }),
			application({ id: 'r2' }),
			application({ id: 'draft-1' }),
			application({ id: 'draft-2' })
		];
		const recommendedOnly = { today: TODAY, counted: (a: Application) => a.id.startsWith('r') };
		const result = checkAll(batch(), [institution()], apps, recommendedOnly);
		for (const id of ['r1', 'r2', 'draft-1', 'draft-2']) expect(result.get(id), id).toEqual([]);

		apps.push(application({ id: 'r3' }));
		const over = checkAll(batch(), [institution()], apps, recommendedOnly);
		for (const id of ['r1', 'r2', 'r3']) expect(over.get(id)![0].detail, id).toContain('推荐 3 家，名额 2 家');
		expect(over.get('draft-1')).toEqual([]);
		expect(over.get('draft-2')).toEqual([]);
	});

	it('passes today to the ID check', () => {
		const first17 = '21010220230621123';
		const young = institution({ legalRep: { name: 'x', idNumber: first17 + idCheckChar(first17) } });
		const apps = [application()];
		expect(codes(checkAll(batch(), [young], apps, { today: '2023-06-20' }).get('app-1')!)).toEqual(['LEGAL_REP_ID_INVALID']);
		expect(checkAll(batch(), [young], apps, { today: '2023-06-21' }).get('app-1')).toEqual([]);
	});
});

describe('hasUnresolvedBlocking', () => {
	const f = (code: FindingCode): Finding => ({ code, severity: findingSeverity(code), detail: '' });

	it('is false without findings or with warnings only', () => {
		expect(hasUnresolvedBlocking([], [])).toBe(false);
		expect(hasUnresolvedBlocking([f('TEXT_TOO_LONG'), f('LATE_SUBMISSION')], [])).toBe(false);
	});

	it('is true while any blocking finding is not overridden', () => {
		const findings = [f('QUOTA_EXCEEDED'), f('NO_LEVEL'), f('TEXT_TOO_LONG')];
		expect(hasUnresolvedBlocking(findings, [])).toBe(true);
		expect(hasUnresolvedBlocking(findings, ['QUOTA_EXCEEDED'])).toBe(true);
		expect(hasUnresolvedBlocking(findings, new Set<FindingCode>(['NO_LEVEL']))).toBe(true);
	});

	it('is false once every blocking code is overridden (array or set)', () => {
		const findings = [f('QUOTA_EXCEEDED'), f('NO_LEVEL'), f('TEXT_TOO_LONG')];
		expect(hasUnresolvedBlocking(findings, ['QUOTA_EXCEEDED', 'NO_LEVEL'])).toBe(false);
		expect(hasUnresolvedBlocking(findings, new Set<FindingCode>(['NO_LEVEL', 'QUOTA_EXCEEDED']))).toBe(false);
	});
});
