/**
 * The layout of the Excel intake workbook, shared by the template (export/intake-template.ts) and
 * its import (import/xlsx.ts): sheet names, column headers, kinds, dropdown lists, and the two-way
 * mapping between one row of 申报信息 and an (application, institution) pair.
 *
 * Columns are found by their header text on import (order does not matter, headers must stay).
 */
import type { Application, Institution } from '../../domain/bundle';
import { OCCUPATIONS } from '../../domain/occupations';
import { REGIONS } from '../../domain/regions';
import {
	APPLICATION_TYPES,
	CERTIFICATE_CATEGORIES,
	INDUSTRY_SECTIONS,
	LEVELS,
	PERSON_ROLES,
	UNIT_TYPES
} from '../../domain/vocabulary';

export const SHEET_README = '说明';
export const SHEET_MAIN = '申报信息';
export const SHEET_TAXES = '纳税情况';
export const SHEET_TRAINING = '培训规模';
export const SHEET_EVALUATION = '考核评价规模';
export const SHEET_VENUES = '场地设施';
export const SHEET_PEOPLE = '人员';
export const SHEET_LISTS = '选项';

export type Kind = 'id' | 'text' | 'code' | 'narrative' | 'int' | 'num' | 'date' | 'enum' | 'bool' | 'industry';

/** A dropdown list: the labels shown, with the key each stands for and extra spellings accepted on import. */
export type ListItem = { key: string; label: string; aliases?: string[] };

const yesNo: ListItem[] = [
	{ key: 'true', label: '是', aliases: ['Y', 'YES', 'TRUE', '1', '有', '√'] },
	{ key: 'false', label: '否', aliases: ['N', 'NO', 'FALSE', '0', '无', '×'] }
];

export const LISTS = {
	type: APPLICATION_TYPES.map((t) => ({ key: t.key, label: t.label, aliases: [t.key, t.label.replace('机构', '')] })),
	occupation: OCCUPATIONS.map((o) => ({ key: o.key, label: o.label, aliases: [o.key, o.short] })),
	region: REGIONS.map((r) => ({ key: r.key, label: r.label, aliases: [r.key, `${r.label}市`, r.unit] })),
	yesNo,
	unitType: UNIT_TYPES.map((u) => ({ key: u.key, label: u.label, aliases: [u.key] })),
	industry: INDUSTRY_SECTIONS.map((s) => ({ key: s.key, label: `${s.key} ${s.label}`, aliases: [s.label] })),
	certificateCategory: CERTIFICATE_CATEGORIES.map((c) => ({
		key: c.key,
		label: c.label,
		aliases: c.key === 'other' ? [c.key, '其它类型证书', '其他', '其它'] : [c.key]
	})),
	certificateNature: [
		{ key: 'true', label: '自有证书', aliases: ['自有'] },
		{ key: 'false', label: '其它机构证书', aliases: ['其他机构证书', '其它机构', '其他机构'] }
	],
	personRole: PERSON_ROLES.map((p) => ({ key: p.key, label: p.label, aliases: [p.key, p.key === 'teacher' ? '教师' : '命题'] })),
	fullTime: [
		{ key: 'true', label: '专职师资', aliases: ['专职'] },
		{ key: 'false', label: '兼职师资', aliases: ['兼职'] }
	]
} satisfies Record<string, ListItem[]>;
export type ListName = keyof typeof LISTS;

export type Column = {
	key: string;
	header: string;
	kind: Kind;
	list?: ListName;
	required?: boolean;
	width?: number;
	note: string;
};

export type SheetLayout = { name: string; columns: Column[]; rows: number };

const col = (key: string, header: string, kind: Kind, note: string, extra: Partial<Column> = {}): Column => ({
	key,
	header,
	kind,
	note,
	...(kind === 'bool' && !extra.list ? { list: 'yesNo' as const } : {}),
	...extra
});

const APP_ID_NOTE = '与「申报信息」表的申报编号相同，表示这一行属于哪个申报';

export const MAIN_COLUMNS: Column[] = [
	col('id', '申报编号', 'id', '推荐单位自编，文件内唯一；只能包含字母、数字和 . _ : -，以字母或数字开头（如 sy-ai-01）。其他工作表用它与本行对应。', { required: true, width: 16 }),
	col('type', '申报类型', 'enum', '培训机构（附件1）或评价机构（附件2）。', { list: 'type', required: true, width: 12 }),
	col('occupation', '职业', 'enum', '拟申报开展培训或评价的职业（仅填一项）；一家单位申报多个职业请分行填写。', { list: 'occupation', required: true, width: 24 }),
	...LEVELS.map((l) => col(l.key, l.label, 'bool', `拟申报的专业技术等级：${l.label}。选“是”表示申报该等级。`, { width: 7 })),
	col('region', '地区', 'enum', '推荐单位所在地区（14 个市和沈抚示范区）。', { list: 'region', required: true, width: 11 }),
	col('institutionId', '机构编号', 'id', '可留空：留空时按统一社会信用代码生成（inst-统一社会信用代码），数据库中已有同一信用代码的机构时沿用其编号。', { width: 16 }),
	col('name', '单位名称', 'text', '单位全称（每个单位必填）。同一单位的多行申报，单位信息只需在第一行填写，再填时必须与第一行一致。', { width: 28 }),
	col('uscc', '统一社会信用代码', 'code', '18 位统一社会信用代码（文本格式）。', { width: 22 }),
	col('legalRepName', '法定代表人姓名', 'text', '法定代表人姓名。', { width: 12 }),
	col('legalRepIdNumber', '法定代表人身份证号', 'code', '18 位身份证号（文本格式，避免 Excel 丢失末位）。', { width: 22 }),
	col('address', '单位地址', 'text', '单位地址。', { width: 28 }),
	col('unitType', '单位类型', 'enum', '行业协会等社团组织、事业单位、企业、集体企业、民营企业、民办非企业单位。', { list: 'unitType', width: 18 }),
	col('industry', '所属行业门类', 'industry', '《国民经济行业分类》（GB/T 4754—2017）门类 A–T。', { list: 'industry', width: 26 }),
	col('industryDivision', '所属行业大类代码', 'text', '可选：两位大类代码，须属于所选门类（如 I 门类的 65 软件和信息技术服务业）。', { width: 10 }),
	col('registeredCapital', '注册资金（万元）', 'num', '单位：万元。', { width: 12 }),
	col('employees', '正式员工数', 'int', '人数，整数。', { width: 10 }),
	col('founded', '单位成立时间', 'date', '日期，格式 YYYY-MM-DD（如 2012-03-01）。', { width: 13 }),
	col('nationalCE', '国家级专业技术人员继续教育基地', 'bool', '是否为国家级专业技术人员继续教育基地。', { width: 12 }),
	col('industryCE', '行业专业技术人员继续教育基地', 'bool', '是否为行业专业技术人员继续教育基地。', { width: 12 }),
	col('provincialCE', '省级专业技术人员继续教育基地', 'bool', '是否为省级专业技术人员继续教育基地。', { width: 12 }),
	col('standardDeveloper', '申报职业的国家职业标准开发单位', 'bool', '是否为申报职业的国家职业标准开发单位。', { width: 12 }),
	col('leadName', '申报负责人姓名', 'text', '申报负责人。', { width: 11 }),
	col('leadTitle', '申报负责人职务', 'text', '申报负责人职务。', { width: 12 }),
	col('leadPhone', '申报负责人电话', 'text', '电话（文本格式）。', { width: 15 }),
	col('leadEmail', '申报负责人邮箱', 'text', '邮箱。', { width: 20 }),
	col('contactName', '申报联系人姓名', 'text', '申报联系人。', { width: 11 }),
	col('contactTitle', '申报联系人职务', 'text', '申报联系人职务。', { width: 12 }),
	col('contactPhone', '申报联系人电话', 'text', '电话（文本格式）。', { width: 15 }),
	col('contactEmail', '申报联系人邮箱', 'text', '邮箱。', { width: 20 }),
	col('overview', '单位基本情况', 'narrative', '基本情况、行业地位、单位优势，800 字以内（不计空白）。', { width: 40 }),
	col('platform', '信息化平台建设情况', 'narrative', '是否有信息化平台支撑线上培训或考核评价工作，基本情况介绍，具体网址等，300 字以内。', { width: 40 }),
	col('pastWork', '已有培训或考核评价情况简述', 'narrative', '培训机构：已有培训情况简述；评价机构：已开展考核评价情况简述。500 字以内。', { width: 40 }),
	col('teamMechanism', '团队建设机制简述', 'narrative', '培训机构：师资团队建设机制简述；评价机构：考评团队建设机制。500 字以内。', { width: 40 }),
	col('plan', '下步工作规划', 'narrative', '培训机构：下步培训工作规划；评价机构：下步考核评价工作规划。800 字以内。', { width: 40 }),
	col('conductsEvaluation', '是否开展评价', 'bool', '评价机构填写（附件2）。', { width: 9 }),
	col('issuesCertificates', '是否颁发证书', 'bool', '评价机构填写（附件2）。', { width: 9 }),
	col('certificateCategory', '证书类别', 'enum', '评价机构填写：行业证书、企业证书、在已取消的职业资格证书基础上升级改造的新型证书、其他类型证书。', { list: 'certificateCategory', width: 24 }),
	col('teamTotal', '团队总人数', 'int', '培训机构：师资团队总人数；评价机构：考评团队总人数。', { width: 9 }),
	col('teamFullTime', '专职师资人数', 'int', '培训机构填写：专职师资队伍人数。', { width: 9 }),
	col('teamPartTime', '兼职师资人数', 'int', '培训机构填写：兼职师资队伍人数。', { width: 9 }),
	col('teamAssessors', '考评员人数', 'int', '评价机构填写：考评员队伍人数。', { width: 9 }),
	col('teamSupervisors', '督导员人数', 'int', '评价机构填写：督导员队伍人数。', { width: 9 }),
	...LEVELS.map((l) =>
		col(`planned.${l.key}`, `年度计划人数（${l.label}）`, 'int', `年度计划培训或考核人数（人次），${l.label}。`, { width: 11 })
	),
	...LEVELS.map((l) =>
		col(`fees.${l.key}`, `费用（${l.label}）`, 'num', `${l.label}：培训机构填培训费用（元/学时），评价机构填考核费用（元/次）。`, { width: 10 })
	),
	col('attRegistrationCertificate', '法人登记证书复印件', 'bool', '是否已提交法人登记证书复印件（加盖单位印章）。', { width: 10 }),
	col('attCreditReport', '信用报告', 'bool', '是否已提交信用报告。', { width: 9 }),
	col('attIntegrityCommitment', '诚信承诺书', 'bool', '是否已提交诚信承诺书（信用报告或诚信承诺书至少一项）。', { width: 9 }),
	col('recommendationReason', '推荐理由', 'narrative', '推荐理由，包括申报材料审核意见，申报单位在本地区、本行业专业技术人员继续教育体系中的地位作用等。', { width: 40 }),
	col('recommendationUnit', '推荐单位', 'text', '如：沈阳市人力资源和社会保障局。', { width: 24 }),
	col('recommendationDate', '推荐日期', 'date', '日期，格式 YYYY-MM-DD。', { width: 13 })
];

export const TAX_COLUMNS: Column[] = [
	col('applicationId', '申报编号', 'id', APP_ID_NOTE + '。纳税情况属于单位：同一单位有多个申报时只需在其中一个申报编号下填写。', { required: true, width: 16 }),
	col('year', '年份', 'int', '近三年的年份，如 2022。', { required: true, width: 8 }),
	col('amount', '税额（万元）', 'num', '单位：万元。', { width: 12 }),
	col('dishonest', '是否有失信行为', 'bool', '从信用中国平台查询后填写。', { width: 14 })
];

export const TRAINING_COLUMNS: Column[] = [
	col('applicationId', '申报编号', 'id', APP_ID_NOTE, { required: true, width: 16 }),
	col('year', '年度', 'int', '近 5 年的年度，如 2022。', { required: true, width: 8 }),
	col('total', '培训人数', 'int', '培训人数（人次）。', { width: 10 }),
	col('independent', '独立培训人数', 'int', '其中独立培训人数（人次）。', { width: 12 }),
	col('cooperative', '合作培训人数', 'int', '其中合作培训人数（人次）。', { width: 12 })
];

export const EVALUATION_COLUMNS: Column[] = [
	col('applicationId', '申报编号', 'id', APP_ID_NOTE, { required: true, width: 16 }),
	col('year', '年度', 'int', '近 5 年的年度，如 2022。', { required: true, width: 8 }),
	col('certificate', '证书名称', 'text', '证书名称。', { width: 24 }),
	col('own', '证书性质', 'enum', '自有证书或其它机构证书。', { list: 'certificateNature', width: 14 }),
	col('issued', '颁证数量', 'int', '颁证数量。', { width: 10 })
];

export const VENUE_COLUMNS: Column[] = [
	col('applicationId', '申报编号', 'id', APP_ID_NOTE, { required: true, width: 16 }),
	col('address', '场地地址', 'text', '自有场地地址。', { width: 30 }),
	col('area', '场地面积（平方米）', 'num', '单位：平方米。', { width: 12 }),
	col('capacity', '容纳人数', 'int', '可容纳人数。', { width: 10 }),
	col('equipmentSets', '设施设备台套', 'int', '设施设备台（套）数。', { width: 12 }),
	col('equipmentValue', '设施设备总值（万元）', 'num', '单位：万元。', { width: 14 })
];

export const PEOPLE_COLUMNS: Column[] = [
	col('applicationId', '申报编号', 'id', APP_ID_NOTE, { required: true, width: 16 }),
	col('role', '人员类别', 'enum', '培训教师（附件1）或命题专家（附件2）；留空时按申报类型确定。', { list: 'personRole', width: 11 }),
	col('name', '姓名', 'text', '姓名。', { required: true, width: 10 }),
	col('workUnit', '工作单位', 'text', '填写单位全称，建议填写至单位所在部门或二级单位。', { width: 28 }),
	col('title', '专业技术职务/职称', 'text', '专业技术职务或职称。', { width: 14 }),
	col('specialty', '专业', 'text', '专业（培训教师填写）。', { width: 14 }),
	col('fullTime', '人员性质', 'enum', '专职师资或兼职师资（培训教师填写）。', { list: 'fullTime', width: 11 }),
	col('phone', '联系电话', 'text', '联系电话（文本格式）。', { width: 15 })
];

export const SHEETS: SheetLayout[] = [
	{ name: SHEET_MAIN, columns: MAIN_COLUMNS, rows: 1000 },
	{ name: SHEET_TAXES, columns: TAX_COLUMNS, rows: 3000 },
	{ name: SHEET_TRAINING, columns: TRAINING_COLUMNS, rows: 5000 },
	{ name: SHEET_EVALUATION, columns: EVALUATION_COLUMNS, rows: 5000 },
	{ name: SHEET_VENUES, columns: VENUE_COLUMNS, rows: 3000 },
	{ name: SHEET_PEOPLE, columns: PEOPLE_COLUMNS, rows: 10000 }
];

/** The institution's columns of 申报信息 (repeated on every row of the same institution). */
export const INSTITUTION_KEYS = [
	'name',
	'uscc',
	'legalRepName',
	'legalRepIdNumber',
	'address',
	'unitType',
	'industry',
	'industryDivision',
	'registeredCapital',
	'employees',
	'founded',
	'nationalCE',
	'industryCE',
	'provincialCE',
	'standardDeveloper'
] as const;

/** Header normalisation for matching: NFKC (full-width brackets), no whitespace, no required-marks. */
export function normHeader(s: string): string {
	return s.normalize('NFKC').replace(/[\s*＊]/g, '');
}

/** Normalises a list value for matching: NFKC, no whitespace, upper case. */
export function normValue(s: string): string {
	return s.normalize('NFKC').replace(/\s/g, '').toUpperCase();
}

/** The key of a list value (label, key or alias), or undefined. */
export function listKey(list: ListName, value: string): string | undefined {
	const v = normValue(value);
	for (const item of LISTS[list] as ListItem[]) {
		if ([item.label, item.key, ...(item.aliases ?? [])].some((x) => normValue(x) === v)) return item.key;
	}
	return undefined;
}

export function listLabel(list: ListName, key: string | boolean | null | undefined): string | null {
	if (key == null) return null;
	const k = String(key);
	return (LISTS[list] as ListItem[]).find((x) => x.key === k)?.label ?? k;
}

export type RowValues = Record<string, string | number | boolean | null>;

/** One 申报信息 row for an application and its institution (values, not cell text). */
export function mainRowValues(app: Application, inst: Institution): RowValues {
	const industry = inst.industry ?? null;
	const v: RowValues = {
		id: app.id,
		type: app.type,
		occupation: app.occupation,
		region: app.region,
		institutionId: inst.id,
		name: inst.name,
		uscc: inst.uscc,
		legalRepName: inst.legalRep?.name ?? null,
		legalRepIdNumber: inst.legalRep?.idNumber ?? null,
		address: inst.address,
		unitType: inst.unitType,
		industry: industry ? industry[0] : null,
		industryDivision: industry && industry.length > 1 ? industry.slice(1) : null,
		registeredCapital: inst.registeredCapital,
		employees: inst.employees,
		founded: inst.founded,
		nationalCE: inst.bases?.nationalCE ?? null,
		industryCE: inst.bases?.industryCE ?? null,
		provincialCE: inst.bases?.provincialCE ?? null,
		standardDeveloper: inst.bases?.standardDeveloper ?? null,
		leadName: app.lead?.name ?? null,
		leadTitle: app.lead?.title ?? null,
		leadPhone: app.lead?.phone ?? null,
		leadEmail: app.lead?.email ?? null,
		contactName: app.contact?.name ?? null,
		contactTitle: app.contact?.title ?? null,
		contactPhone: app.contact?.phone ?? null,
		contactEmail: app.contact?.email ?? null,
		overview: app.overview,
		platform: app.platform,
		pastWork: app.pastWork,
		teamMechanism: app.teamMechanism,
		plan: app.plan,
		conductsEvaluation: app.conductsEvaluation,
		issuesCertificates: app.issuesCertificates,
		certificateCategory: app.certificateCategory,
		teamTotal: app.team?.total ?? null,
		teamFullTime: app.team?.fullTime ?? null,
		teamPartTime: app.team?.partTime ?? null,
		teamAssessors: app.team?.assessors ?? null,
		teamSupervisors: app.team?.supervisors ?? null,
		attRegistrationCertificate: app.attachments?.registrationCertificate ?? null,
		attCreditReport: app.attachments?.creditReport ?? null,
		attIntegrityCommitment: app.attachments?.integrityCommitment ?? null,
		recommendationReason: app.recommendation?.reason ?? null,
		recommendationUnit: app.recommendation?.unit ?? null,
		recommendationDate: app.recommendation?.date ?? null
	};
	for (const l of LEVELS) {
		v[l.key] = app.levels.includes(l.key);
		v[`planned.${l.key}`] = app.planned?.[l.key] ?? null;
		v[`fees.${l.key}`] = app.fees?.[l.key] ?? null;
	}
	return v;
}

/** An object group (lead, team, …) is null when every one of its values is null. */
export function group<T extends Record<string, unknown>>(values: T): T | null {
	return Object.values(values).every((x) => x === null) ? null : values;
}
