/**
 * Intake by file: the Excel template (export, fill, import, round trip, bad files) and the Word
 * annexes (Annex 1 / Annex 2 .docx into draft applications).
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { Document, Packer, Paragraph } from 'docx';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { FIXTURES, cli, fullBundle, tempDir, storedApplicationIds } from './helpers';
import { memoryDb, type Db } from '../../src/lib/server/db';
import * as s from '../../src/lib/server/db/schema';
import { SYSTEM_ACTOR, verifyAudit } from '../../src/lib/server/audit';
import { exportBundle, loadApplications, loadInstitutions } from '../../src/lib/server/queries/bundle';
import { BundleImportError, importBundle } from '../../src/lib/server/services/bundle-import';
import { generateDemoBundle } from '../../src/lib/server/demo/generate';
import { renderIntakeTemplate } from '../../src/lib/server/export/intake-template';
import { LISTS, MAIN_COLUMNS, SHEETS } from '../../src/lib/server/export/intake-layout';
import { formatIntakeError, importIntakeWorkbook, parseIntakeWorkbook } from '../../src/lib/server/import/xlsx';
import { importAnnexDocx, parseAnnexDocx, regionFromUnit, regionFromUscc } from '../../src/lib/server/import/docx';
import { ANNEX1, ANNEX2, BROKEN_UNREAD, BROKEN_VARIANT, buildAnnexDocx } from '../fixtures/make-annex';
import type { Application, Institution } from '../../src/lib/domain/bundle';
import { requireScope } from '../../src/lib/server/scope';

/* ---------------------------------------------------------------- helpers */

async function workbook(buf: Buffer): Promise<ExcelJS.Workbook> {
	const wb = new ExcelJS.Workbook();
	await wb.xlsx.load(buf as unknown as ExcelJS.Buffer);
	return wb;
}
async function save(wb: ExcelJS.Workbook): Promise<Buffer> {
	return Buffer.from(await wb.xlsx.writeBuffer());
}
/** Writes values into a row by column header. */
function put(wb: ExcelJS.Workbook, sheet: string, row: number, values: Record<string, ExcelJS.CellValue>) {
	const ws = wb.getWorksheet(sheet)!;
	const cols = new Map<string, number>();
	ws.getRow(1).eachCell((c, n) => cols.set(String(c.value), n));
	for (const [header, value] of Object.entries(values)) {
		const n = cols.get(header);
		if (!n) throw new Error(`no column ${header} on ${sheet}`);
		ws.getRow(row).getCell(n).value = value;
	}
}
function auditCount(db: Db): number {
	return verifyAudit(db).entries;
}

const USCC = '91210100MA0Q8K3L7X';

/** A blank template filled the way a city would: two applications of one institution. */
async function filledWorkbook(): Promise<ExcelJS.Workbook> {
	const wb = await workbook(await renderIntakeTemplate());
	put(wb, '申报信息', 2, {
		申报编号: 'sy-ai-01',
		申报类型: '培训机构',
		职业: '人工智能工程技术人员',
		初级: '是',
		中级: '是',
		高级: '否',
		地区: '沈阳',
		单位名称: '辽宁智数信息技术有限公司',
		统一社会信用代码: ' 91210100ma0q8k3l7x ',
		法定代表人姓名: '张三',
		法定代表人身份证号: '210102198001011232',
		单位地址: '沈阳市浑南区创新路100号',
		单位类型: '民营企业',
		所属行业门类: 'I 信息传输、软件和信息技术服务业',
		所属行业大类代码: '65',
		'注册资金（万元）': '1,000',
		正式员工数: 120,
		单位成立时间: new Date(Date.UTC(2012, 2, 1)),
		国家级专业技术人员继续教育基地: '否',
		行业专业技术人员继续教育基地: '是',
		省级专业技术人员继续教育基地: '否',
		申报职业的国家职业标准开发单位: '否',
		申报负责人姓名: '李明',
		申报负责人职务: '总经理',
		申报负责人电话: 13800000001,
		申报负责人邮箱: { text: 'liming@example.cn', hyperlink: 'mailto:liming@example.cn' },
		申报联系人姓名: '赵丽',
		申报联系人电话: '024-23456789',
		单位基本情况: '本单位成立于2012年。\n行业地位较高。',
		信息化平台建设情况: '在线学习平台 https://learn.example.cn',
		已有培训或考核评价情况简述: '近五年开展人工智能培训。',
		团队建设机制简述: '专兼职结合。',
		下步工作规划: '每年培训800人次。',
		团队总人数: 40,
		专职师资人数: 25,
		兼职师资人数: 15,
		'年度计划人数（初级）': 500,
		'年度计划人数（中级）': 300,
		'费用（初级）': 30,
		'费用（中级）': 40.5,
		法人登记证书复印件: '是',
		信用报告: '否',
		诚信承诺书: '是',
		推荐理由: '该单位在本地区人工智能培训领域具有较强影响力。',
		推荐单位: '沈阳市人力资源和社会保障局',
		推荐日期: '2023/6/10'
	});
	// The same institution again: its cells left blank except the USCC that identifies it.
	put(wb, '申报信息', 3, {
		申报编号: 'sy-iot-01',
		申报类型: '评价机构',
		职业: '物联网',
		高级: '是',
		地区: '沈阳市',
		统一社会信用代码: USCC,
		是否开展评价: '是',
		是否颁发证书: '是',
		证书类别: '行业证书',
		团队总人数: 30,
		考评员人数: 22,
		督导员人数: 8
	});
	put(wb, '纳税情况', 2, { 申报编号: 'sy-ai-01', 年份: 2020, '税额（万元）': 30.5, 是否有失信行为: '否' });
	put(wb, '纳税情况', 3, { 申报编号: 'sy-ai-01', 年份: 2021, '税额（万元）': 33.1, 是否有失信行为: '否' });
	put(wb, '纳税情况', 4, { 申报编号: 'sy-ai-01', 年份: '2022', '税额（万元）': 35.2, 是否有失信行为: '是' });
	put(wb, '培训规模', 2, { 申报编号: 'sy-ai-01', 年度: 2021, 培训人数: 2500, 独立培训人数: 1900, 合作培训人数: 600 });
	put(wb, '培训规模', 3, { 申报编号: 'sy-ai-01', 年度: 2022, 培训人数: 2600, 独立培训人数: 2000, 合作培训人数: 600 });
	put(wb, '考核评价规模', 2, { 申报编号: 'sy-iot-01', 年度: 2022, 证书名称: '物联网安装调试员', 证书性质: '自有证书', 颁证数量: 1500 });
	put(wb, '场地设施', 2, { 申报编号: 'sy-ai-01', 场地地址: '沈阳市浑南区创新路100号', '场地面积（平方米）': 800, 容纳人数: 200, 设施设备台套: 120, '设施设备总值（万元）': 300.5 });
	put(wb, '人员', 2, { 申报编号: 'sy-ai-01', 人员类别: '培训教师', 姓名: '孙伟', 工作单位: '东北大学', '专业技术职务/职称': '教授', 专业: '机器学习', 人员性质: '兼职师资', 联系电话: '13900000003' });
	put(wb, '人员', 3, { 申报编号: 'sy-iot-01', 姓名: '钱七', 工作单位: '大连理工大学', '专业技术职务/职称': '副教授' });
	return wb;
}

const EXPECTED_INSTITUTION: Institution = {
	id: `inst-${USCC}`,
	name: '辽宁智数信息技术有限公司',
	uscc: USCC,
	legalRep: { name: '张三', idNumber: '210102198001011232' },
	address: '沈阳市浑南区创新路100号',
	unitType: 'private',
	industry: 'I65',
	registeredCapital: 1000,
	employees: 120,
	founded: '2012-03-01',
	taxes: [
		{ year: 2020, amount: 30.5, dishonest: false },
		{ year: 2021, amount: 33.1, dishonest: false },
		{ year: 2022, amount: 35.2, dishonest: true }
	],
	bases: { nationalCE: false, industryCE: true, provincialCE: false, standardDeveloper: false }
};

const EXPECTED_TRAINING: Application = {
	id: 'sy-ai-01',
	institutionId: `inst-${USCC}`,
	type: 'training',
	occupation: 'ai',
	levels: ['junior', 'intermediate'],
	region: 'shenyang',
	lead: { name: '李明', title: '总经理', phone: '13800000001', email: 'liming@example.cn' },
	contact: { name: '赵丽', title: null, phone: '024-23456789', email: null },
	overview: '本单位成立于2012年。\n行业地位较高。',
	platform: '在线学习平台 https://learn.example.cn',
	pastWork: '近五年开展人工智能培训。',
	teamMechanism: '专兼职结合。',
	plan: '每年培训800人次。',
	trainingYears: [
		{ year: 2021, total: 2500, independent: 1900, cooperative: 600 },
		{ year: 2022, total: 2600, independent: 2000, cooperative: 600 }
	],
	evaluationYears: [],
	conductsEvaluation: null,
	issuesCertificates: null,
	certificateCategory: null,
	venues: [{ address: '沈阳市浑南区创新路100号', area: 800, capacity: 200, equipmentSets: 120, equipmentValue: 300.5 }],
	team: { total: 40, fullTime: 25, partTime: 15, assessors: null, supervisors: null },
	people: [{ role: 'teacher', name: '孙伟', workUnit: '东北大学', title: '教授', specialty: '机器学习', fullTime: false, phone: '13900000003' }],
	planned: { junior: 500, intermediate: 300, senior: null },
	fees: { junior: 30, intermediate: 40.5, senior: null },
	attachments: { registrationCertificate: true, creditReport: false, integrityCommitment: true },
	recommendation: { reason: '该单位在本地区人工智能培训领域具有较强影响力。', unit: '沈阳市人力资源和社会保障局', date: '2023-06-10' }
};

const EXPECTED_EVALUATION: Application = {
	id: 'sy-iot-01',
	institutionId: `inst-${USCC}`,
	type: 'evaluation',
	occupation: 'iot',
	levels: ['senior'],
	region: 'shenyang',
	lead: null,
	contact: null,
	overview: null,
	platform: null,
	pastWork: null,
	teamMechanism: null,
	plan: null,
	trainingYears: [],
	evaluationYears: [{ year: 2022, certificate: '物联网安装调试员', own: true, issued: 1500 }],
	conductsEvaluation: true,
	issuesCertificates: true,
	certificateCategory: 'industry',
	venues: [],
	team: { total: 30, fullTime: null, partTime: null, assessors: 22, supervisors: 8 },
	people: [{ role: 'question-setter', name: '钱七', workUnit: '大连理工大学', title: '副教授', specialty: null, fullTime: null, phone: null }],
	planned: null,
	fees: null,
	attachments: null,
	recommendation: null
};

/** The applications of a database with their institutions, as the list export gives them. */
function listOf(db: Db) {
	const insts = new Map(loadInstitutions(db).map((i) => [i.id, i]));
	return loadApplications(requireScope(db)).map(({ app }) => ({ app, institution: insts.get(app.institutionId)! }));
}

/* ---------------------------------------------------------------- the template */

describe('Excel intake template', () => {
	it('has the sheets, headers, notes, frozen header rows and a dropdown on every list column', async () => {
		const wb = await workbook(await renderIntakeTemplate());
		expect(wb.worksheets.map((w) => w.name)).toEqual(['说明', '申报信息', '纳税情况', '培训规模', '考核评价规模', '场地设施', '人员', '选项']);
		expect(wb.getWorksheet('选项')!.state).toBe('hidden');
		expect(wb.getWorksheet('说明')!.getCell('A1').value).toBe('数字技术工程师培育项目 培训机构和评价机构 申报信息采集表');
		const lists = wb.getWorksheet('选项')!;
		for (const layout of SHEETS) {
			const ws = wb.getWorksheet(layout.name)!;
			expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
			layout.columns.forEach((c, i) => {
				const head = ws.getRow(1).getCell(i + 1);
				expect(head.value).toBe(c.header);
				expect(String((head.note as { texts?: { text: string }[] })?.texts?.map((t) => t.text).join('') ?? head.note)).toContain(c.note.slice(0, 6));
				const dv = ws.getRow(2).getCell(i + 1).dataValidation;
				if (c.list) {
					expect(dv?.type, `${layout.name} ${c.header}`).toBe('list');
					// The referenced range holds exactly the list's labels.
					const m = /^'选项'!\$([A-Z]+)\$2:\$[A-Z]+\$(\d+)$/.exec(String(dv!.formulae![0]))!;
					const shown: string[] = [];
					for (let r = 2; r <= Number(m[2]); r++) shown.push(String(lists.getCell(`${m[1]}${r}`).value));
					expect(shown).toEqual(LISTS[c.list].map((x) => x.label));
					expect(ws.getRow(layout.rows).getCell(i + 1).dataValidation?.type).toBe('list');
				} else if (c.kind === 'int') {
					expect(dv).toMatchObject({ type: 'whole', operator: 'greaterThanOrEqual' });
				} else {
					expect(dv === undefined || dv.type !== 'list').toBe(true);
				}
			});
		}
		// Yes/no, type, occupation, region, levels, unit type, industry, certificate category: all dropdowns on 申报信息.
		const listHeaders = MAIN_COLUMNS.filter((c) => c.list).map((c) => c.header);
		expect(listHeaders).toEqual(expect.arrayContaining(['申报类型', '职业', '初级', '中级', '高级', '地区', '单位类型', '所属行业门类', '证书类别', '是否开展评价']));
		expect(wb.getWorksheet('人员')!.getCell('B2').dataValidation?.type).toBe('list');
		expect(wb.getWorksheet('人员')!.getCell('G2').dataValidation?.type).toBe('list');
	});

	it('template → filled with exceljs → import: the applications and the institution come back as filled', async () => {
		const db = memoryDb();
		const counts = await importIntakeWorkbook(db, await save(await filledWorkbook()), SYSTEM_ACTOR);
		expect(counts).toMatchObject({ institutions: 1, applications: 2 });
		const out = exportBundle(requireScope(db));
		expect(out.institutions).toEqual([EXPECTED_INSTITUTION]);
		expect(out.applications).toEqual([EXPECTED_TRAINING, EXPECTED_EVALUATION]);
		// Re-importing the same file adds nothing.
		await importIntakeWorkbook(db, await save(await filledWorkbook()), SYSTEM_ACTOR);
		expect(exportBundle(requireScope(db)).applications).toHaveLength(2);
	});

	it('parseIntakeWorkbook gives the bundle objects without touching a database', async () => {
		const { bundle, errors } = await parseIntakeWorkbook(await save(await filledWorkbook()));
		expect(errors).toEqual([]);
		expect(bundle).toEqual({ institutions: [EXPECTED_INSTITUTION], applications: [EXPECTED_TRAINING, EXPECTED_EVALUATION] });
	});

	it('pre-filled from a database → import into an empty database → the same applications and institutions', async () => {
		for (const source of [fullBundle(), generateDemoBundle()]) {
			const a = memoryDb();
			importBundle(a, source, SYSTEM_ACTOR);
			const buf = await renderIntakeTemplate({ applications: listOf(a) });
			const b = memoryDb();
			await importIntakeWorkbook(b, buf, SYSTEM_ACTOR);
			const ea = exportBundle(requireScope(a));
			const eb = exportBundle(requireScope(b));
			const used = new Set(ea.applications.map((x) => x.institutionId));
			expect(eb.applications).toEqual(ea.applications);
			expect(eb.institutions).toEqual(ea.institutions.filter((i) => used.has(i.id)));
			// And the export of b is the same workbook content again.
			const again = await parseIntakeWorkbook(await renderIntakeTemplate({ applications: listOf(b) }));
			expect(again.bundle.applications).toEqual(ea.applications);
		}
	});

	it('round trip through the command line: import FILE.xlsx, then export', async () => {
		const a = memoryDb();
		importBundle(a, fullBundle(), SYSTEM_ACTOR);
		const dir = tempDir();
		const file = path.join(dir, 'list.xlsx');
		fs.writeFileSync(file, await renderIntakeTemplate({ applications: listOf(a) }));
		const db = path.join(dir, 'b.db');
		const res = await cli(db, 'import', file, '--json');
		expect(res.code).toBe(0);
		expect(JSON.parse(res.stdout).imported).toMatchObject({ institutions: 2, applications: 2, experts: 0 });
		const out = path.join(dir, 'out.json');
		expect((await cli(db, 'export', '--out', out)).code).toBe(0);
		const exported = JSON.parse(fs.readFileSync(out, 'utf8'));
		expect(exported.applications).toEqual(exportBundle(requireScope(a)).applications);
	});

	it('an institution named only by its USCC keeps the id it has in the database', async () => {
		const db = memoryDb();
		importBundle(db, { institutions: [{ id: 'inst-1', name: '辽宁智数信息技术有限公司', uscc: USCC }] }, SYSTEM_ACTOR);
		await importIntakeWorkbook(db, await save(await filledWorkbook()), SYSTEM_ACTOR);
		const out = exportBundle(requireScope(db));
		expect(out.institutions.map((i) => i.id)).toEqual(['inst-1']);
		expect(out.applications.map((x) => x.institutionId)).toEqual(['inst-1', 'inst-1']);
	});
});

/* ---------------------------------------------------------------- bad workbooks */

describe('bad workbooks: a clear error naming sheet, row and column; nothing written', () => {
	type Case = [string, (wb: ExcelJS.Workbook) => void, string, RegExp];
	const cases: Case[] = [
		['wrong enum', (wb) => put(wb, '申报信息', 2, { 职业: '程序员' }), '申报信息!R2C「职业」', /"程序员" 不是可选值，应从下拉列表中选择（人工智能工程技术人员、/],
		['wrong yes/no', (wb) => put(wb, '申报信息', 3, { 高级: '也许' }), '申报信息!R3C「高级」', /"也许" 不是可选值，应为“是”或“否”/],
		['bad date', (wb) => put(wb, '申报信息', 2, { 单位成立时间: '2012-02-30' }), '申报信息!R2C「单位成立时间」', /"2012-02-30" 不是有效的日历日期/],
		['date in another format', (wb) => put(wb, '申报信息', 2, { 推荐日期: '6月10日' }), '申报信息!R2C「推荐日期」', /不是 YYYY-MM-DD 格式的日期/],
		['unknown application id in a child sheet', (wb) => put(wb, '人员', 4, { 申报编号: 'sy-ai-99', 姓名: '某人' }), '人员!R4C「申报编号」', /申报编号 "sy-ai-99" 在「申报信息」中不存在/],
		['non-numeric number', (wb) => put(wb, '申报信息', 2, { 正式员工数: '一百二十' }), '申报信息!R2C「正式员工数」', /"一百二十" 不是数字/],
		['fraction where a count is due', (wb) => put(wb, '培训规模', 3, { 培训人数: 2600.5 }), '培训规模!R3C「培训人数」', /应为整数/],
		['negative amount', (wb) => put(wb, '场地设施', 2, { '场地面积（平方米）': -5 }), '场地设施!R2C「场地面积（平方米）」', /不能为负数/],
		['missing required cell', (wb) => put(wb, '申报信息', 3, { 地区: null }), '申报信息!R3C「地区」', /不能为空/],
		['no USCC and no institution id', (wb) => put(wb, '申报信息', 3, { 统一社会信用代码: null }), '申报信息!R3C「统一社会信用代码」', /请填写统一社会信用代码（或机构编号）/],
		['duplicate application id', (wb) => put(wb, '申报信息', 3, { 申报编号: 'sy-ai-01' }), '申报信息!R3C「申报编号」', /申报编号 "sy-ai-01" 与第 2 行重复/],
		['same institution, different data', (wb) => put(wb, '申报信息', 3, { 单位地址: '大连市' }), '申报信息!R3C「单位地址」', /与第 2 行同一单位.*不一致/],
		['division outside its section', (wb) => put(wb, '申报信息', 2, { 所属行业大类代码: '13' }), '申报信息!R2C「所属行业大类代码」', /大类代码 13 不属于门类 I（应在 63–65 之间）/],
		['taxes of one institution given twice, differently', (wb) => put(wb, '纳税情况', 5, { 申报编号: 'sy-iot-01', 年份: 2022, '税额（万元）': 1 }), '纳税情况!R5C「申报编号」', /纳税情况已在申报编号 "sy-ai-01" 下填写/],
		['renamed header', (wb) => put(wb, '申报信息', 1, { 职业: '职业名称' }), '申报信息!R1C「职业」', /缺少这一列/],
		// Caught by the bundle schema, mapped back to the cell:
		[
			'invalid application id',
			(wb) => {
				put(wb, '申报信息', 3, { 申报编号: '物联 1' });
				put(wb, '考核评价规模', 2, { 申报编号: '物联 1' });
				put(wb, '人员', 3, { 申报编号: '物联 1' });
			},
			'申报信息!R3C「申报编号」',
			/只能包含字母、数字/
		],
		['implausible tax year', (wb) => put(wb, '纳税情况', 3, { 年份: 1800 }), '纳税情况!R3C「年份」', /年份不合理/],
		['name too long', (wb) => put(wb, '人员', 2, { 姓名: '长'.repeat(60) }), '人员!R2C「姓名」', /不能超过50个字符/]
	];
	for (const [name, mutate, where, message] of cases) {
		it(name, async () => {
			const db = memoryDb();
			importBundle(db, fullBundle(), SYSTEM_ACTOR);
			const before = JSON.stringify(exportBundle(requireScope(db)));
			const audits = auditCount(db);
			const wb = await filledWorkbook();
			mutate(wb);
			const err = await importIntakeWorkbook(db, await save(wb), SYSTEM_ACTOR).then(
				() => null,
				(e: unknown) => e
			);
			expect(err).toBeInstanceOf(BundleImportError);
			const first = (err as BundleImportError).errors[0];
			expect(first.path).toBe(where);
			expect(first.message).toMatch(message);
			expect(JSON.stringify(exportBundle(requireScope(db)))).toBe(before);
			expect(auditCount(db)).toBe(audits);
		});
	}

	it('errors read as 申报信息 第 5 行「…」：… and every one is reported', async () => {
		const wb = await filledWorkbook();
		put(wb, '申报信息', 5, { 申报编号: 'x-1', 申报类型: '培训机构', 职业: '数字化管理师', 地区: '鞍山', 单位名称: '某单位', 统一社会信用代码: '9121*' });
		put(wb, '申报信息', 2, { 正式员工数: 'abc' });
		const { errors } = await parseIntakeWorkbook(await save(wb));
		expect(errors.map(formatIntakeError)).toEqual([
			'申报信息 第 2 行「正式员工数」："abc" 不是数字',
			'申报信息 第 5 行「统一社会信用代码」："9121*" 含有字母和数字以外的字符，无法据此识别单位；请改正或填写机构编号'
		]);
	});

	it('a file that is not a workbook, and a zip that is not one', async () => {
		const db = memoryDb();
		await expect(importIntakeWorkbook(db, Buffer.from('申报编号,职业\n1,ai\n'), SYSTEM_ACTOR)).rejects.toMatchObject({
			errors: [{ path: '(文件)', message: expect.stringMatching(/^不是有效的 Excel 工作簿（\.xlsx）/) }]
		});
		const docx = fs.readFileSync(path.join(FIXTURES, 'annex1-filled.docx'));
		const err = (await importIntakeWorkbook(db, docx, SYSTEM_ACTOR).catch((e) => e)) as BundleImportError;
		expect(err).toBeInstanceOf(BundleImportError);
		expect(err.errors[0].path).toBe('申报信息');
		expect(err.errors[0].message).toMatch(/找不到工作表「申报信息」/);
		expect(storedApplicationIds(db)).toEqual([]);
	});

	it('the command line prints one line naming the file, sheet, row and column, and changes nothing', async () => {
		const dir = tempDir();
		const db = path.join(dir, 'a.db');
		const good = path.join(dir, 'good.xlsx');
		fs.writeFileSync(good, await save(await filledWorkbook()));
		expect((await cli(db, 'import', good)).code).toBe(0);
		const before = path.join(dir, 'before.json');
		await cli(db, 'export', '--out', before);
		const wb = await filledWorkbook();
		put(wb, '申报信息', 2, { 职业: '程序员', 单位成立时间: 'x' });
		const bad = path.join(dir, 'bad.xlsx');
		fs.writeFileSync(bad, await save(wb));
		const res = await cli(db, 'import', bad);
		expect(res.code).toBe(1);
		expect(res.stderr.trim().split('\n')).toHaveLength(1);
		expect(res.stderr).toMatch(/^错误：.*bad\.xlsx: 申报信息!R2C「职业」: "程序员" 不是可选值.*（另有 1 处错误）$/);
		const notXlsx = path.join(dir, 'text.xlsx');
		fs.writeFileSync(notXlsx, 'hello');
		const res2 = await cli(db, 'import', notXlsx);
		expect(res2.code).toBe(1);
		expect(res2.stderr).toMatch(/text\.xlsx: \(文件\): 不是有效的 Excel 工作簿/);
		const after = path.join(dir, 'after.json');
		await cli(db, 'export', '--out', after);
		expect(fs.readFileSync(after, 'utf8')).toBe(fs.readFileSync(before, 'utf8'));
	});
});

/* ---------------------------------------------------------------- Word annexes */

const annex = (name: string) => fs.readFileSync(path.join(FIXTURES, name));
const status = (db: Db, id: string) => db.select({ status: s.applications.status, submittedAt: s.applications.submittedAt }).from(s.applications).where(eq(s.applications.id, id)).get();

describe('Word annexes (.docx) into draft applications', () => {
	it('Annex 1 is read completely', () => {
		const r = parseAnnexDocx(annex('annex1-filled.docx'));
		expect(r.type).toBe('training');
		expect(r.unread).toEqual([]);
		expect(r.problems).toEqual([]);
		expect(r.app).toEqual({ ...ANNEX1.app, attachments: null });
		expect(r.institution).toEqual(ANNEX1.institution);
	});

	it('Annex 2 is read completely (√ ticks, units and Chinese dates)', () => {
		const r = parseAnnexDocx(annex('annex2-filled.docx'));
		expect(r.type).toBe('evaluation');
		expect(r.unread).toEqual([]);
		expect(r.app).toEqual({ ...ANNEX2.app, attachments: null });
		expect(r.institution).toEqual(ANNEX2.institution);
	});

	it('imports Annex 1 and Annex 2 as drafts with every field', async () => {
		const db = memoryDb();
		const one = await importAnnexDocx(db, annex('annex1-filled.docx'), SYSTEM_ACTOR);
		const u1 = ANNEX1.institution.uscc!;
		expect(one).toMatchObject({
			type: 'training',
			applicationId: `app-${u1}-training-ai`,
			institutionId: `inst-${u1}`,
			region: 'shenyang',
			unread: [],
			counts: { institutions: 1, applications: 1 }
		});
		const two = await importAnnexDocx(db, annex('annex2-filled.docx'), SYSTEM_ACTOR);
		const u2 = ANNEX2.institution.uscc!;
		expect(two).toMatchObject({ type: 'evaluation', applicationId: `app-${u2}-evaluation-iot`, region: 'dalian', unread: [] });
		const out = exportBundle(requireScope(db));
		expect(out.institutions).toEqual([
			{ id: `inst-${u1}`, ...ANNEX1.institution },
			{ id: `inst-${u2}`, ...ANNEX2.institution }
		]);
		expect(out.applications).toEqual([
			{ ...ANNEX1.app, id: one.applicationId, institutionId: `inst-${u1}`, region: 'shenyang', attachments: null },
			{ ...ANNEX2.app, id: two.applicationId, institutionId: `inst-${u2}`, region: 'dalian', attachments: null }
		]);
		expect(status(db, one.applicationId)).toEqual({ status: 'draft', submittedAt: null });
		expect(status(db, two.applicationId)).toEqual({ status: 'draft', submittedAt: null });
		const actions = db.select({ action: s.auditLog.action }).from(s.auditLog).all().map((x) => x.action);
		expect(actions.filter((a) => a === 'application.import-docx')).toHaveLength(2);
	});

	it('the broken variant reports the fields it cannot read and still makes a draft', async () => {
		const r = parseAnnexDocx(annex('annex1-broken.docx'));
		expect(r.unread).toEqual(BROKEN_UNREAD);
		expect(r.problems.map((p) => p.message)).toEqual([
			'“有限责任公司”无法识别',
			'表格中找不到“所属行业”一栏',
			'“壹仟万元”不是数字',
			'日期“2012年春”无法识别（应为 2012-03-01 或 2012年3月1日）',
			'年份“二〇二一”无法识别',
			'“三百”不是数字'
		]);
		const db = memoryDb();
		const res = await importAnnexDocx(db, annex('annex1-broken.docx'), SYSTEM_ACTOR);
		// No recommending unit: the region comes from the USCC's division code 2101.
		expect(res.region).toBe('shenyang');
		expect(res.unread).toEqual(BROKEN_UNREAD);
		const [inst] = exportBundle(requireScope(db)).institutions;
		expect(inst).toMatchObject({ unitType: null, industry: null, registeredCapital: null, founded: null, employees: 120 });
		expect(inst.taxes.map((t) => t.year)).toEqual([2020, 2022]);
		const [app] = exportBundle(requireScope(db)).applications;
		expect(app.planned).toEqual({ junior: 500, intermediate: null, senior: null });
		expect(app.recommendation).toEqual({ ...ANNEX1.app.recommendation, unit: null });
	});

	it('reads other ways of ticking: box before the word, ■, Wingdings symbols, plain words', async () => {
		const buf = await buildAnnexDocx(ANNEX1, {
			values: {
				levels: '初级、高级',
				'bases.nationalCE': '☑是 □否',
				'bases.industryCE': '是 □  否 ■',
				'bases.provincialCE': '是{sym:F052}  否{sym:F0A3}',
				'bases.standardDeveloper': '是☑  否☑'
			}
		});
		const r = parseAnnexDocx(buf);
		expect(r.app.levels).toEqual(['junior', 'senior']);
		expect(r.institution.bases).toEqual({ nationalCE: true, industryCE: false, provincialCE: true, standardDeveloper: null });
		expect(r.unread).toEqual(['申报职业的国家职业标准开发单位']);
		expect(r.problems[0].message).toBe('是/否只能选一项，却选了 2 项');
	});

	it('re-importing updates the same draft; an application already submitted is not overwritten', async () => {
		const db = memoryDb();
		const first = await importAnnexDocx(db, annex('annex1-filled.docx'), SYSTEM_ACTOR);
		await importAnnexDocx(db, annex('annex1-filled.docx'), SYSTEM_ACTOR);
		expect(exportBundle(requireScope(db)).applications.map((a) => a.id)).toEqual([first.applicationId]);
		db.update(s.applications).set({ status: 'submitted' }).where(eq(s.applications.id, first.applicationId)).run();
		const before = JSON.stringify(exportBundle(requireScope(db)));
		await expect(importAnnexDocx(db, annex('annex1-filled.docx'), SYSTEM_ACTOR)).rejects.toMatchObject({
			errors: [{ path: '附件1「申报编号」', message: expect.stringMatching(/已经提交/) }]
		});
		expect(JSON.stringify(exportBundle(requireScope(db)))).toBe(before);
	});

	it('attaches to the stored institution with the same USCC, and honours region and id options', async () => {
		const db = memoryDb();
		importBundle(db, { institutions: [{ id: 'inst-7', name: '旧名称', uscc: ANNEX1.institution.uscc }] }, SYSTEM_ACTOR);
		const r = await importAnnexDocx(db, annex('annex1-filled.docx'), SYSTEM_ACTOR, { region: 'shenfu', id: 'sf-ai-1' });
		expect(r).toMatchObject({ institutionId: 'inst-7', applicationId: 'sf-ai-1', region: 'shenfu' });
		const out = exportBundle(requireScope(db));
		expect(out.institutions).toEqual([{ id: 'inst-7', ...ANNEX1.institution }]);
		expect(out.applications[0]).toMatchObject({ id: 'sf-ai-1', institutionId: 'inst-7', region: 'shenfu' });
		await expect(importAnnexDocx(db, annex('annex1-filled.docx'), SYSTEM_ACTOR, { region: 'beijing' })).rejects.toMatchObject({
			errors: [{ path: 'region', message: '未知的地区 "beijing"' }]
		});
	});

	it('infers the region from the recommending unit, else the USCC division code', () => {
		expect(regionFromUnit('沈抚示范区党建工作部')).toBe('shenfu');
		expect(regionFromUnit('葫芦岛市人力资源和社会保障局')).toBe('huludao');
		expect(regionFromUnit('辽宁省人社厅')).toBeNull();
		expect(regionFromUscc('91211400MA0000000X')).toBe('huludao');
		expect(regionFromUscc('91210300MA0000000X')).toBe('anshan');
		expect(regionFromUscc('91110000MA0000000X')).toBeNull();
	});

	it('errors name the form field: no region, unreadable occupation, an invalid value', async () => {
		const db = memoryDb();
		const noRegion = await buildAnnexDocx(ANNEX1, { values: { 'recommendation.unit': '', uscc: '91110000MA01ABCD2X' } });
		await expect(importAnnexDocx(db, noRegion, SYSTEM_ACTOR)).rejects.toMatchObject({
			errors: [{ path: '附件1「推荐单位」', message: expect.stringMatching(/无法确定申报所属地区/) }]
		});
		const noOccupation = await buildAnnexDocx(ANNEX2, { values: { occupation: '软件工程师' } });
		await expect(importAnnexDocx(db, noOccupation, SYSTEM_ACTOR)).rejects.toMatchObject({
			errors: [{ path: '附件2「拟申报开展评价的职业」', message: expect.stringMatching(/未能读取职业.*不是十个职业之一/) }]
		});
		const twoOccupations = await buildAnnexDocx(ANNEX1, { values: { occupation: '人工智能工程技术人员、大数据工程技术人员' } });
		await expect(importAnnexDocx(db, twoOccupations, SYSTEM_ACTOR)).rejects.toMatchObject({
			errors: [{ path: '附件1「拟申报开展培训的职业」', message: expect.stringMatching(/仅填一项/) }]
		});
		// A value the bundle schema rejects is mapped back to its field.
		const longName = await buildAnnexDocx(ANNEX1, { values: { name: '长'.repeat(201) } });
		await expect(importAnnexDocx(db, longName, SYSTEM_ACTOR)).rejects.toMatchObject({
			errors: [{ path: '附件1「单位名称」', message: '不能超过200个字符' }]
		});
		expect(storedApplicationIds(db)).toEqual([]);
		expect(auditCount(db)).toBe(0);
	});

	it('files that are not an annex: not a zip, a zip without a document, a Word file without the tables', async () => {
		expect(() => parseAnnexDocx(Buffer.from('not a zip at all'))).toThrow(/不是有效的 Word 文档（\.docx 或 \.doc）/);
		const xlsx = await renderIntakeTemplate();
		expect(() => parseAnnexDocx(xlsx)).toThrow('(文件): 不是 Word 文档（.docx）：压缩包里没有 word/document.xml');
		const letter = Buffer.from(await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('关于推荐的函')] }] })));
		expect(() => parseAnnexDocx(letter)).toThrow(/没有找到附件1（培训机构推荐表）或附件2（评价机构推荐表）的表格/);
	});

	it('the command line imports a .docx as a draft and reports a bad one in one line', async () => {
		const dir = tempDir();
		const db = path.join(dir, 'a.db');
		const res = await cli(db, 'import', path.join(FIXTURES, 'annex2-filled.docx'), '--json');
		expect(res.code).toBe(0);
		expect(JSON.parse(res.stdout).imported).toMatchObject({ institutions: 1, applications: 1 });
		const bad = path.join(dir, 'form.docx');
		fs.writeFileSync(bad, await renderIntakeTemplate());
		const res2 = await cli(db, 'import', bad);
		expect(res2.code).toBe(1);
		expect(res2.stderr.trim().split('\n')).toHaveLength(1);
		expect(res2.stderr).toMatch(/form\.docx: \(文件\): 不是 Word 文档/);
		const noRegion = path.join(dir, 'no-region.docx');
		fs.writeFileSync(noRegion, await buildAnnexDocx(ANNEX1, { values: { 'recommendation.unit': '', uscc: '91110000MA01ABCD2X' } }));
		const res3 = await cli(db, 'import', noRegion);
		expect(res3.stderr).toMatch(/no-region\.docx: 附件1「推荐单位」: 无法确定申报所属地区/);
	});
});
