/**
 * The Annex 1 / Annex 2 form as a city fills it in the browser: field names, labels in the form's
 * own wording, the draft schema (anything may be missing, but what is there must be well-formed),
 * and the completeness rules a submission must meet. Pure: the page and the server both use it, so
 * what the browser says while typing is what the server says on saving.
 */
import * as z from 'zod';
import type { Application, Institution } from './bundle';
import { ID_PROBLEM_TEXT, USCC_PROBLEM_TEXT, countChars, idNumberProblem, usccProblem } from './identifiers';
import { normalizeCode, normalizePhoneText } from './normalize';
import { isOccupationKey } from './occupations';
import {
	CERTIFICATE_CATEGORY_KEYS,
	INDUSTRY_DIVISIONS,
	LEVELS,
	NARRATIVES,
	UNIT_TYPE_KEYS,
	narrativeLabel,
	type ApplicationType,
	type LevelKey,
	type NarrativeKey
} from './vocabulary';

z.config(z.locales.zhCN());

/* ---------- labels (the wording of Annex 1 and Annex 2) ---------- */

export function formLabels(type: ApplicationType) {
	const t = type === 'training';
	return {
		form: t ? '附件1 数字技术工程师培育项目培训机构推荐表' : '附件2 数字技术工程师培育项目评价机构推荐表',
		occupation: t ? '拟申报开展培训的职业' : '拟申报开展评价的职业',
		levels: t ? '拟申报开展培训的专业技术等级' : '拟申报开展评价的专业技术等级',
		name: '单位名称',
		uscc: '统一社会信用代码',
		legalRepName: '法定代表人姓名',
		legalRepIdNumber: '法定代表人身份证号',
		address: '单位地址',
		unitType: '单位类型',
		industry: '所属行业',
		registeredCapital: '注册资金（万元）',
		employees: '正式员工数',
		founded: '单位成立时间',
		taxes: '近三年纳税情况',
		taxYear: '年份',
		taxAmount: '税额（万元）',
		dishonest: '是否有失信行为',
		nationalCE: '国家级专业技术人员继续教育基地',
		industryCE: '行业专业技术人员继续教育基地',
		provincialCE: '省级专业技术人员继续教育基地',
		standardDeveloper: '申报职业的国家职业标准开发单位',
		lead: '申报负责人',
		contact: '申报联系人',
		personName: '姓名',
		personTitle: '职务',
		phone: '电话',
		email: '邮箱',
		trainingYears: '近5年培训规模（人次）',
		year: '年度',
		total: '培训人数',
		independent: '独立培训人数',
		cooperative: '合作培训人数',
		conductsEvaluation: '是否开展评价',
		issuesCertificates: '是否颁发证书',
		evaluationYears: '近5年开展考核评价规模（人次）',
		certificate: '证书名称',
		own: '证书性质',
		issued: '颁证数量',
		certificateCategory: '证书类别',
		venues: '自有场地及设施设备情况',
		venueAddress: '场地地址',
		area: '场地面积',
		capacity: '容纳人数',
		equipmentSets: '设施设备台套',
		equipmentValue: '设施设备总值',
		teamTotal: t ? '师资团队总人数' : '考评团队总人数',
		fullTime: '专职师资队伍人数',
		partTime: '兼职师资队伍人数',
		assessors: '考评员队伍人数',
		supervisors: '督导员队伍人数',
		people: t ? '培训教师' : '命题专家',
		peopleName: t ? '培训教师姓名' : '命题专家姓名',
		workUnit: '工作单位',
		title: '专业技术职务/职称',
		specialty: '专业',
		nature: '人员性质',
		peoplePhone: '联系电话',
		planned: t ? '年度计划培训人数（人次）' : '年度计划考核人数（人次）',
		fees: t ? '培训费用（元/学时）' : '考核费用（元/次）',
		reason: '推荐理由'
	};
}
export type FormLabels = ReturnType<typeof formLabels>;

/** How a repeated row is named in messages: 「近三年纳税情况」第 2 行. */
export function rowLabel(list: string, type: ApplicationType): string {
	const L = formLabels(type);
	switch (list) {
		case 'taxes':
			return L.taxes;
		case 'trainingYears':
			return '近5年培训规模';
		case 'evaluationYears':
			return '近5年开展考核评价规模';
		case 'venues':
			return '自有场地';
		case 'people':
			return L.people;
		default:
			return list;
	}
}

export const ATTACHMENT_LABELS = {
	'registration-certificate': '法人登记证书复印件',
	'credit-report': '信用报告',
	'integrity-commitment': '诚信承诺书',
	'recommendation-letter': '推荐函',
	extra: '附页及其他材料'
} as const;
export type AttachmentKindKey = keyof typeof ATTACHMENT_LABELS;

/* ---------- the values of the form, as strings (what inputs hold) ---------- */

export type YesNo = '' | '1' | '0';
export type PersonValues = { name: string; title: string; phone: string; email: string };
export type FormValues = {
	/** The stored version the form was loaded from (optimistic locking). */
	version: string;
	occupation: string;
	levels: string[];
	inst: {
		/** An existing institution the city picked (empty for a new one). */
		id: string;
		name: string;
		uscc: string;
		legalRepName: string;
		/** Empty keeps the stored number (the page only ever shows it masked). */
		legalRepIdNumber: string;
		address: string;
		unitType: string;
		industrySection: string;
		industryDivision: string;
		registeredCapital: string;
		employees: string;
		founded: string;
		nationalCE: YesNo;
		industryCE: YesNo;
		provincialCE: YesNo;
		standardDeveloper: YesNo;
	};
	taxes: { year: string; amount: string; dishonest: YesNo }[];
	lead: PersonValues;
	contact: PersonValues;
	overview: string;
	platform: string;
	pastWork: string;
	teamMechanism: string;
	plan: string;
	trainingYears: { year: string; total: string; independent: string; cooperative: string }[];
	conductsEvaluation: YesNo;
	issuesCertificates: YesNo;
	certificateCategory: string;
	evaluationYears: { year: string; certificate: string; own: YesNo; issued: string }[];
	venues: { address: string; area: string; capacity: string; equipmentSets: string; equipmentValue: string }[];
	team: { total: string; fullTime: string; partTime: string; assessors: string; supervisors: string };
	people: { name: string; workUnit: string; title: string; specialty: string; fullTime: YesNo; phone: string }[];
	planned: { junior: string; intermediate: string; senior: string };
	fees: { junior: string; intermediate: string; senior: string };
	reason: string;
};

/** Rows the printed form has: three tax years, five years of figures, one venue, two people. */
export const DEFAULT_ROWS = { taxes: 3, trainingYears: 5, evaluationYears: 5, venues: 1, people: 2 } as const;

const emptyPerson = (): PersonValues => ({ name: '', title: '', phone: '', email: '' });
export const emptyTaxRow = (year = '') => ({ year, amount: '', dishonest: '' as YesNo });
export const emptyTrainingRow = (year = '') => ({ year, total: '', independent: '', cooperative: '' });
export const emptyEvaluationRow = (year = '') => ({ year, certificate: '', own: '' as YesNo, issued: '' });
export const emptyVenueRow = () => ({ address: '', area: '', capacity: '', equipmentSets: '', equipmentValue: '' });
export const emptyPersonRow = () => ({ name: '', workUnit: '', title: '', specialty: '', fullTime: '' as YesNo, phone: '' });

/** The years the form asks for, counted back from the batch's year (deadline 2023 → taxes 2020–2022, figures 2018–2022). */
export function formYears(batchYear: number) {
	return {
		taxes: [3, 2, 1].map((k) => String(batchYear - k)),
		figures: [5, 4, 3, 2, 1].map((k) => String(batchYear - k))
	};
}

export function emptyFormValues(batchYear: number): FormValues {
	const years = formYears(batchYear);
	return {
		version: '',
		occupation: '',
		levels: [],
		inst: {
			id: '',
			name: '',
			uscc: '',
			legalRepName: '',
			legalRepIdNumber: '',
			address: '',
			unitType: '',
			industrySection: '',
			industryDivision: '',
			registeredCapital: '',
			employees: '',
			founded: '',
			nationalCE: '',
			industryCE: '',
			provincialCE: '',
			standardDeveloper: ''
		},
		taxes: years.taxes.map((y) => emptyTaxRow(y)),
		lead: emptyPerson(),
		contact: emptyPerson(),
		overview: '',
		platform: '',
		pastWork: '',
		teamMechanism: '',
		plan: '',
		trainingYears: years.figures.map((y) => emptyTrainingRow(y)),
		conductsEvaluation: '',
		issuesCertificates: '',
		certificateCategory: '',
		evaluationYears: years.figures.map((y) => emptyEvaluationRow(y)),
		venues: [emptyVenueRow()],
		team: { total: '', fullTime: '', partTime: '', assessors: '', supervisors: '' },
		people: [emptyPersonRow(), emptyPersonRow()],
		planned: { junior: '', intermediate: '', senior: '' },
		fees: { junior: '', intermediate: '', senior: '' },
		reason: ''
	};
}

const str = (v: string | number | null | undefined) => (v == null ? '' : String(v));
const yn = (v: boolean | null | undefined): YesNo => (v == null ? '' : v ? '1' : '0');

/** The institution part of the form from a stored institution (the ID number is never put back into an input). */
export function institutionValues(inst: Institution): FormValues['inst'] {
	const industry = inst.industry ?? '';
	return {
		id: inst.id,
		name: inst.name,
		uscc: str(inst.uscc),
		legalRepName: str(inst.legalRep?.name),
		legalRepIdNumber: '',
		address: str(inst.address),
		unitType: str(inst.unitType),
		industrySection: industry.slice(0, 1),
		industryDivision: industry.slice(1, 3),
		registeredCapital: str(inst.registeredCapital),
		employees: str(inst.employees),
		founded: str(inst.founded),
		nationalCE: yn(inst.bases?.nationalCE),
		industryCE: yn(inst.bases?.industryCE),
		provincialCE: yn(inst.bases?.provincialCE),
		standardDeveloper: yn(inst.bases?.standardDeveloper)
	};
}

/** The form filled from a stored application; lists shorter than the printed form get empty rows. */
export function formValuesFrom(app: Application, inst: Institution, version: number, batchYear: number): FormValues {
	const base = emptyFormValues(batchYear);
	/** Pads to `min` rows with the blank rows whose year is not taken yet. */
	const pad = <T extends object>(rows: T[], blank: T[], min: number) => {
		if (rows.length >= min) return rows;
		const taken = new Set(rows.map((r) => ('year' in r ? r.year : undefined)));
		const extra = blank.filter((b) => !('year' in b) || !taken.has(b.year));
		return [...rows, ...extra.slice(0, min - rows.length)];
	};
	const person = (p: Application['lead']): PersonValues => ({
		name: str(p?.name),
		title: str(p?.title),
		phone: str(p?.phone),
		email: str(p?.email)
	});
	return {
		version: String(version),
		occupation: app.occupation,
		levels: [...app.levels],
		inst: institutionValues(inst),
		taxes: pad(
			inst.taxes.map((t) => ({ year: str(t.year), amount: str(t.amount), dishonest: yn(t.dishonest) })),
			base.taxes,
			DEFAULT_ROWS.taxes
		),
		lead: person(app.lead),
		contact: person(app.contact),
		overview: str(app.overview),
		platform: str(app.platform),
		pastWork: str(app.pastWork),
		teamMechanism: str(app.teamMechanism),
		plan: str(app.plan),
		trainingYears:
			app.trainingYears.length > 0
				? app.trainingYears.map((y) => ({ year: str(y.year), total: str(y.total), independent: str(y.independent), cooperative: str(y.cooperative) }))
				: base.trainingYears,
		conductsEvaluation: yn(app.conductsEvaluation),
		issuesCertificates: yn(app.issuesCertificates),
		certificateCategory: str(app.certificateCategory),
		evaluationYears:
			app.evaluationYears.length > 0
				? app.evaluationYears.map((y) => ({ year: str(y.year), certificate: str(y.certificate), own: yn(y.own), issued: str(y.issued) }))
				: base.evaluationYears,
		venues: pad(
			app.venues.map((v) => ({
				address: str(v.address),
				area: str(v.area),
				capacity: str(v.capacity),
				equipmentSets: str(v.equipmentSets),
				equipmentValue: str(v.equipmentValue)
			})),
			base.venues,
			DEFAULT_ROWS.venues
		),
		team: {
			total: str(app.team?.total),
			fullTime: str(app.team?.fullTime),
			partTime: str(app.team?.partTime),
			assessors: str(app.team?.assessors),
			supervisors: str(app.team?.supervisors)
		},
		people: pad(
			app.people.map((p) => ({
				name: p.name,
				workUnit: str(p.workUnit),
				title: str(p.title),
				specialty: str(p.specialty),
				fullTime: yn(p.fullTime),
				phone: str(p.phone)
			})),
			base.people,
			DEFAULT_ROWS.people
		),
		planned: { junior: str(app.planned?.junior), intermediate: str(app.planned?.intermediate), senior: str(app.planned?.senior) },
		fees: { junior: str(app.fees?.junior), intermediate: str(app.fees?.intermediate), senior: str(app.fees?.senior) },
		reason: str(app.recommendation?.reason)
	};
}

/* ---------- form data → nested object ---------- */

const NAME = /^[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*|\[\d{1,3}\])*$/;
const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);
/** Form fields that may repeat (checkbox groups): always collected into a list. */
const LIST_FIELDS = new Set(['levels']);

/**
 * Builds the nested object of a form from its entries: `taxes[1].amount` → `{ taxes: [, { amount }] }`.
 * Names that do not follow the pattern are ignored, files become empty strings, holes in lists are
 * empty rows.
 */
export function formToObject(entries: Iterable<[string, unknown]>): Record<string, unknown> {
	const root: Record<string, unknown> = {};
	for (const [name, raw] of entries) {
		if (name.length > 100 || !NAME.test(name)) continue;
		const value = typeof raw === 'string' ? raw : '';
		if (LIST_FIELDS.has(name)) {
			((root[name] as string[] | undefined) ?? (root[name] = [] as string[]) as string[]).push(value);
			continue;
		}
		const tokens = [...name.matchAll(/([A-Za-z][A-Za-z0-9]*)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]));
		if (tokens.some((t) => typeof t === 'string' && FORBIDDEN.has(t))) continue;
		let node: Record<string | number, unknown> = root;
		for (let i = 0; i < tokens.length - 1; i++) {
			const key = tokens[i];
			const nextIsIndex = typeof tokens[i + 1] === 'number';
			let child = node[key];
			if (child == null || typeof child !== 'object') {
				child = nextIsIndex ? [] : {};
				node[key] = child;
			}
			node = child as Record<string | number, unknown>;
		}
		node[tokens[tokens.length - 1]] = value;
	}
	// Holes in lists become empty rows.
	const fill = (v: unknown): unknown => {
		if (Array.isArray(v)) return Array.from(v, (x) => (x === undefined ? {} : fill(x)));
		if (v && typeof v === 'object') for (const k of Object.keys(v)) (v as Record<string, unknown>)[k] = fill((v as Record<string, unknown>)[k]);
		return v;
	};
	return fill(root) as Record<string, unknown>;
}

/* ---------- the draft schema ---------- */

const issue = (ctx: z.RefinementCtx, message: string) => ctx.addIssue({ code: 'custom', message });
const raw = z.string().optional().default('');

/** Free text: trimmed, blank is null. */
const text = (label: string, max: number) =>
	raw.transform((v, ctx) => {
		const t = v.trim();
		if ([...t].length > max) {
			issue(ctx, `「${label}」不能超过 ${max} 个字`);
			return z.NEVER;
		}
		return t === '' ? null : t;
	});

/** A narrative keeps its line breaks; only surrounding whitespace goes. */
const longText = (label: string, max = 20000) => text(label, max);

const integer = (label: string, max = 100_000_000) =>
	raw.transform((v, ctx) => {
		const t = v.trim().replace(/[,，\s]/g, '');
		if (t === '') return null;
		if (!/^\d+$/.test(t) || Number(t) > max) {
			issue(ctx, `「${label}」应为不小于 0 的整数`);
			return z.NEVER;
		}
		return Number(t);
	});

const decimal = (label: string, max = 1e12) =>
	raw.transform((v, ctx) => {
		const t = v.trim().replace(/[,，\s]/g, '');
		if (t === '') return null;
		if (!/^\d+(\.\d{1,4})?$/.test(t) || Number(t) > max) {
			issue(ctx, `「${label}」应为不小于 0 的数字（最多 4 位小数）`);
			return z.NEVER;
		}
		return Number(t);
	});

const yearOf = (label: string) =>
	raw.transform((v, ctx) => {
		const t = v.trim();
		if (t === '') return null;
		if (!/^\d{4}$/.test(t) || Number(t) < 1949 || Number(t) > 2100) {
			issue(ctx, `「${label}」应为四位年份，如 2022`);
			return z.NEVER;
		}
		return Number(t);
	});

const isCalendarDate = (s: string) => {
	const [y, m, d] = s.split('-').map(Number);
	const dt = new Date(Date.UTC(y, m - 1, d));
	return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
};

const date = (label: string) =>
	raw.transform((v, ctx) => {
		const t = v.trim();
		if (t === '') return null;
		if (!/^\d{4}-\d{2}-\d{2}$/.test(t) || !isCalendarDate(t) || t < '1900-01-01') {
			issue(ctx, `「${label}」应为有效日期（年-月-日）`);
			return z.NEVER;
		}
		return t;
	});

const yesNo = (label: string) =>
	raw.transform((v, ctx) => {
		if (v === '') return null;
		if (v !== '1' && v !== '0') {
			issue(ctx, `「${label}」请选择“是”或“否”`);
			return z.NEVER;
		}
		return v === '1';
	});

const choice = <K extends string>(label: string, keys: readonly K[]) =>
	raw.transform((v, ctx) => {
		if (v === '') return null;
		if (!(keys as readonly string[]).includes(v)) {
			issue(ctx, `请从列表中选择「${label}」`);
			return z.NEVER;
		}
		return v as K;
	});

const phone = (label: string) =>
	text(label, 50).transform((v, ctx) => {
		v = normalizePhoneText(v);
		if (v !== null && !/^[0-9+\-()（）\s转#]{7,}$/.test(v)) {
			issue(ctx, `「${label}」应为电话号码（数字，可含 - 和分机号）`);
			return z.NEVER;
		}
		return v;
	});

const email = (label: string) =>
	text(label, 200).transform((v, ctx) => {
		if (v !== null && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) {
			issue(ctx, `「${label}」格式不正确，应如 name@example.com`);
			return z.NEVER;
		}
		return v;
	});

/** Unified social credit codes are upper case without spaces; a wrong one is kept in a draft and refused at submission. */
const uscc = (label: string) =>
	raw.transform((v, ctx) => {
		const t = normalizeCode(v) ?? '';
		if (t === '') return null;
		if (t.length > 18) {
			issue(ctx, `「${label}」${USCC_PROBLEM_TEXT.length}（现为 ${t.length} 位）`);
			return z.NEVER;
		}
		return t;
	});

const idNumber = (label: string) =>
	raw.transform((v, ctx) => {
		const t = normalizeCode(v) ?? '';
		if (t === '') return null;
		if (t.length > 18) {
			issue(ctx, `「${label}」${ID_PROBLEM_TEXT.length}（现为 ${t.length} 位）`);
			return z.NEVER;
		}
		return t;
	});

const list = <T extends z.ZodType>(row: T, label: string, max: number) =>
	z
		.array(row)
		.max(max, { message: `「${label}」最多 ${max} 行` })
		.optional()
		.default([]);

const isBlankRow = (row: Record<string, unknown>, ignore: string[] = []) =>
	Object.entries(row).every(([k, v]) => ignore.includes(k) || v === null);

/**
 * A row: null when every field (apart from `ignore`, e.g. a pre-filled year) is empty; otherwise
 * `required` must be there.
 */
const row = <S extends z.ZodRawShape>(shape: S, required: { key: keyof S & string; label: string } | null, ignore: string[] = []) =>
	z
		.object(shape)
		.prefault({} as never)
		.transform((r, ctx) => {
			const values = r as Record<string, unknown>;
			if (isBlankRow(values, ignore)) return null;
			if (required && values[required.key] === null) {
				ctx.addIssue({ code: 'custom', path: [required.key], message: `请填写「${required.label}」` });
				return z.NEVER;
			}
			return r as { [K in keyof S]: z.output<S[K]> };
		});

const group = <S extends z.ZodRawShape>(shape: S) => z.object(shape).prefault({} as never);

/** The schema of a draft of the given type: every field optional, each well-formed, messages in the form's words. */
export function draftSchema(type: ApplicationType) {
	const L = formLabels(type);
	const person = (who: string) =>
		group({
			name: text(`${who}${L.personName}`, 50),
			title: text(`${who}${L.personTitle}`, 100),
			phone: phone(`${who}${L.phone}`),
			email: email(`${who}${L.email}`)
		});
	const perLevel = (what: string, field: (label: string) => ReturnType<typeof integer>) =>
		group({ junior: field(`${what} · 初级`), intermediate: field(`${what} · 中级`), senior: field(`${what} · 高级`) });
	return z.object({
		version: raw.transform((v) => (/^\d+$/.test(v) ? Number(v) : null)),
		occupation: raw.transform((v, ctx) => {
			if (v === '') return null;
			if (!isOccupationKey(v)) {
				issue(ctx, `请从列表中选择「${L.occupation}」`);
				return z.NEVER;
			}
			return v;
		}),
		levels: z
			.array(z.string())
			.optional()
			.default([])
			.transform((v, ctx) => {
				const keys = LEVELS.map((l) => l.key) as string[];
				if (v.some((x) => !keys.includes(x))) {
					issue(ctx, `「${L.levels}」只能勾选初级、中级、高级`);
					return z.NEVER;
				}
				return keys.filter((k) => v.includes(k)) as LevelKey[];
			}),
		inst: group({
			id: raw.transform((v) => (v.trim() === '' ? null : v.trim())),
			name: text(L.name, 200),
			uscc: uscc(L.uscc),
			legalRepName: text(L.legalRepName, 50),
			legalRepIdNumber: idNumber(L.legalRepIdNumber),
			address: text(L.address, 300),
			unitType: choice(L.unitType, UNIT_TYPE_KEYS),
			industrySection: raw,
			industryDivision: raw,
			registeredCapital: decimal(L.registeredCapital),
			employees: integer(L.employees),
			founded: date(L.founded),
			nationalCE: yesNo(L.nationalCE),
			industryCE: yesNo(L.industryCE),
			provincialCE: yesNo(L.provincialCE),
			standardDeveloper: yesNo(L.standardDeveloper)
		}).transform((inst, ctx) => {
			const section = inst.industrySection.trim();
			const division = inst.industryDivision.trim();
			let industry: string | null = null;
			if (section !== '') {
				const range = INDUSTRY_DIVISIONS[section];
				if (!range) {
					ctx.addIssue({ code: 'custom', path: ['industry'], message: `请从列表中选择「${L.industry}」（GB/T 4754—2017 门类）` });
					return z.NEVER;
				}
				if (division !== '') {
					const d = Number(division);
					if (!/^\d{2}$/.test(division) || d < range[0] || d > range[1]) {
						ctx.addIssue({ code: 'custom', path: ['industry'], message: `「${L.industry}」的大类 ${division} 不属于门类 ${section}` });
						return z.NEVER;
					}
				}
				industry = section + division;
			} else if (division !== '') {
				ctx.addIssue({ code: 'custom', path: ['industry'], message: `请先选择「${L.industry}」的门类` });
				return z.NEVER;
			}
			const { industrySection: _s, industryDivision: _d, ...rest } = inst;
			return { ...rest, industry };
		}),
		taxes: list(
			row({ year: yearOf(L.taxYear), amount: decimal(L.taxAmount), dishonest: yesNo(L.dishonest) }, { key: 'year', label: L.taxYear }, ['year']),
			L.taxes,
			10
		),
		lead: person(L.lead),
		contact: person(L.contact),
		overview: longText(narrativeLabel('overview', type)),
		platform: longText(narrativeLabel('platform', type)),
		pastWork: longText(narrativeLabel('pastWork', type)),
		teamMechanism: longText(narrativeLabel('teamMechanism', type)),
		plan: longText(narrativeLabel('plan', type)),
		trainingYears: list(
			row(
				{ year: yearOf(L.year), total: integer(L.total), independent: integer(L.independent), cooperative: integer(L.cooperative) },
				{ key: 'year', label: L.year },
				['year']
			),
			L.trainingYears,
			20
		),
		conductsEvaluation: yesNo(L.conductsEvaluation),
		issuesCertificates: yesNo(L.issuesCertificates),
		certificateCategory: choice(L.certificateCategory, CERTIFICATE_CATEGORY_KEYS),
		evaluationYears: list(
			row(
				{ year: yearOf(L.year), certificate: text(L.certificate, 200), own: yesNo(L.own), issued: integer(L.issued) },
				{ key: 'year', label: L.year },
				['year']
			),
			L.evaluationYears,
			100
		),
		venues: list(
			row(
				{
					address: text(L.venueAddress, 300),
					area: decimal(L.area),
					capacity: integer(L.capacity),
					equipmentSets: integer(L.equipmentSets),
					equipmentValue: decimal(L.equipmentValue)
				},
				null
			),
			L.venues,
			50
		),
		team: group({
			total: integer(L.teamTotal),
			fullTime: integer(L.fullTime),
			partTime: integer(L.partTime),
			assessors: integer(L.assessors),
			supervisors: integer(L.supervisors)
		}),
		people: list(
			row(
				{
					name: text(L.peopleName, 50),
					workUnit: text(L.workUnit, 200),
					title: text(L.title, 100),
					specialty: text(L.specialty, 100),
					fullTime: yesNo(L.nature),
					phone: phone(L.peoplePhone)
				},
				{ key: 'name', label: L.peopleName }
			),
			L.people,
			500
		),
		planned: perLevel(L.planned, integer),
		fees: perLevel(L.fees, decimal),
		reason: longText(L.reason, 5000)
	});
}

export type Draft = z.output<ReturnType<typeof draftSchema>>;

/** `taxes[1].amount` from a zod path. */
export function fieldKey(path: readonly PropertyKey[]): string {
	let out = '';
	for (const seg of path) {
		if (typeof seg === 'number') out += `[${seg}]`;
		else out += (out ? '.' : '') + String(seg);
	}
	return out;
}

/** The DOM id of a field: `taxes[1].amount` → `f-taxes-1-amount`. */
export function fieldId(key: string): string {
	return 'f-' + key.replace(/\[(\d+)\]/g, '-$1').replace(/\./g, '-');
}

export type FieldErrors = Record<string, string>;

/** Parses a draft; errors are keyed by field name, a row's message names the list and the row. */
export function parseDraft(type: ApplicationType, input: unknown): { ok: true; draft: Draft } | { ok: false; errors: FieldErrors } {
	const parsed = draftSchema(type).safeParse(input ?? {});
	if (parsed.success) {
		// Drop the empty rows.
		const d = parsed.data;
		const keep = <T>(rows: (T | null)[]) => rows.filter((r): r is T => r !== null);
		return {
			ok: true,
			draft: {
				...d,
				taxes: keep(d.taxes),
				trainingYears: keep(d.trainingYears),
				evaluationYears: keep(d.evaluationYears),
				venues: keep(d.venues),
				people: keep(d.people)
			} as Draft
		};
	}
	const errors: FieldErrors = {};
	for (const i of parsed.error.issues) {
		const key = fieldKey(i.path);
		if (errors[key]) continue;
		const [list, index] = i.path;
		const inRow = typeof list === 'string' && typeof index === 'number' && i.path.length > 2;
		errors[key] = inRow ? `「${rowLabel(list, type)}」第 ${index + 1} 行：${i.message}` : i.message;
	}
	return { ok: false, errors };
}

type Rows<K extends keyof Draft> = Exclude<Draft[K], undefined> extends (infer R)[] ? Exclude<R, null>[] : never;

const nullIfEmpty = <T extends Record<string, unknown>>(o: T): T | null => (Object.values(o).every((v) => v === null) ? null : o);

/** Problems a draft may be saved with but not submitted: a wrong check character and the like. */
export function draftWarnings(draft: Draft, today?: string): FieldErrors {
	const out: FieldErrors = {};
	const code = draft.inst.uscc;
	if (code) {
		const p = usccProblem(code);
		if (p) out['inst.uscc'] = `「统一社会信用代码」${USCC_PROBLEM_TEXT[p]}`;
	}
	const id = draft.inst.legalRepIdNumber;
	if (id) {
		const p = idNumberProblem(id, today);
		if (p) out['inst.legalRepIdNumber'] = `「法定代表人身份证号」${ID_PROBLEM_TEXT[p]}`;
	}
	return out;
}

/** The institution a draft describes. `storedIdNumber` stands in for an ID number left empty. */
export function draftInstitution(draft: Draft, id: string, storedIdNumber: string | null): Institution {
	const i = draft.inst;
	const idNumber = i.legalRepIdNumber ?? storedIdNumber;
	return {
		id,
		name: i.name ?? '',
		uscc: i.uscc,
		legalRep: i.legalRepName === null && idNumber === null ? null : { name: i.legalRepName, idNumber },
		address: i.address,
		unitType: i.unitType,
		industry: i.industry,
		registeredCapital: i.registeredCapital,
		employees: i.employees,
		founded: i.founded,
		taxes: (draft.taxes as Rows<'taxes'>).map((t) => ({ year: t.year!, amount: t.amount, dishonest: t.dishonest })),
		bases: nullIfEmpty({
			nationalCE: i.nationalCE,
			industryCE: i.industryCE,
			provincialCE: i.provincialCE,
			standardDeveloper: i.standardDeveloper
		})
	};
}

/**
 * The application a draft describes. What the form does not hold (the attachment flags, the
 * recommending unit and date) comes from `previous`.
 */
export function draftApplication(
	draft: Draft,
	type: ApplicationType,
	ids: { id: string; institutionId: string; region: string; occupation: string },
	previous?: Pick<Application, 'attachments' | 'recommendation'> | null
): Application {
	const training = type === 'training';
	const prevRec = previous?.recommendation ?? null;
	const recommendation = nullIfEmpty({ reason: draft.reason, unit: prevRec?.unit ?? null, date: prevRec?.date ?? null });
	const t = draft.team;
	return {
		id: ids.id,
		institutionId: ids.institutionId,
		type,
		occupation: ids.occupation,
		levels: draft.levels,
		region: ids.region,
		lead: nullIfEmpty(draft.lead),
		contact: nullIfEmpty(draft.contact),
		overview: draft.overview,
		platform: draft.platform,
		pastWork: draft.pastWork,
		teamMechanism: draft.teamMechanism,
		plan: draft.plan,
		trainingYears: training
			? (draft.trainingYears as Rows<'trainingYears'>).map((y) => ({ year: y.year!, total: y.total, independent: y.independent, cooperative: y.cooperative }))
			: [],
		evaluationYears: training
			? []
			: (draft.evaluationYears as Rows<'evaluationYears'>).map((y) => ({ year: y.year!, certificate: y.certificate, own: y.own, issued: y.issued })),
		conductsEvaluation: training ? null : draft.conductsEvaluation,
		issuesCertificates: training ? null : draft.issuesCertificates,
		certificateCategory: training ? null : draft.certificateCategory,
		venues: draft.venues as Rows<'venues'>,
		team: nullIfEmpty(
			training
				? { total: t.total, fullTime: t.fullTime, partTime: t.partTime, assessors: null, supervisors: null }
				: { total: t.total, fullTime: null, partTime: null, assessors: t.assessors, supervisors: t.supervisors }
		),
		people: (draft.people as Rows<'people'>).map((p) => ({
			role: training ? ('teacher' as const) : ('question-setter' as const),
			name: p.name!,
			workUnit: p.workUnit,
			title: p.title,
			specialty: training ? p.specialty : null,
			fullTime: training ? p.fullTime : null,
			phone: p.phone
		})),
		planned: nullIfEmpty(draft.planned),
		fees: nullIfEmpty(draft.fees),
		attachments: previous?.attachments ?? null,
		recommendation
	};
}

/* ---------- completeness of a submission ---------- */

export type Problem = { key: string; message: string };

/** Which of the required materials are on file (uploaded, or stated by an imported application). */
export type MaterialsOnFile = { registrationCertificate: boolean; creditOrIntegrity: boolean; recommendationLetter: boolean };

/**
 * Everything a submission still lacks, in the order of the form: every field of the type's annex,
 * the three tax years and five years of figures, the narratives within their limits, a valid
 * unified social credit code, the recommendation reason and the required materials. Keys are the
 * form's field names (the page links each problem to its field).
 */
export function submissionProblems(app: Application, inst: Institution, materials: MaterialsOnFile): Problem[] {
	const type = app.type;
	const training = type === 'training';
	const L = formLabels(type);
	const out: Problem[] = [];
	const fill = (key: string, label: string) => out.push({ key, message: `请填写「${label}」` });
	const pick = (key: string, label: string) => out.push({ key, message: `请选择「${label}」` });
	const blank = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
	const need = (key: string, label: string, v: unknown, how: 'fill' | 'pick' = 'fill') => {
		if (blank(v)) (how === 'fill' ? fill : pick)(key, label);
	};
	const inRow = (list: string, i: number, key: string, label: string, v: unknown, how: 'fill' | 'pick' = 'fill') => {
		if (blank(v)) out.push({ key: `${list}[${i}].${key}`, message: `「${rowLabel(list, type)}」第 ${i + 1} 行：${how === 'fill' ? '请填写' : '请选择'}「${label}」` });
	};

	if (app.levels.length === 0) out.push({ key: 'levels', message: `请勾选「${L.levels}」（初级、中级、高级，至少一项）` });

	need('inst.name', L.name, inst.name);
	if (blank(inst.uscc)) fill('inst.uscc', L.uscc);
	else {
		const p = usccProblem(inst.uscc);
		if (p) out.push({ key: 'inst.uscc', message: `「${L.uscc}」${USCC_PROBLEM_TEXT[p]}` });
	}
	need('inst.legalRepName', L.legalRepName, inst.legalRep?.name);
	need('inst.legalRepIdNumber', L.legalRepIdNumber, inst.legalRep?.idNumber);
	need('inst.address', L.address, inst.address);
	need('inst.unitType', L.unitType, inst.unitType, 'pick');
	need('inst.industry', L.industry, inst.industry, 'pick');
	need('inst.registeredCapital', L.registeredCapital, inst.registeredCapital);
	need('inst.employees', L.employees, inst.employees);
	need('inst.founded', L.founded, inst.founded);

	if (inst.taxes.length < DEFAULT_ROWS.taxes) {
		out.push({ key: 'taxes', message: `「${L.taxes}」应填写 ${DEFAULT_ROWS.taxes} 个年度（现有 ${inst.taxes.length} 个）` });
	}
	inst.taxes.forEach((t, i) => {
		inRow('taxes', i, 'amount', L.taxAmount, t.amount);
		inRow('taxes', i, 'dishonest', L.dishonest, t.dishonest, 'pick');
	});
	const taxYears = inst.taxes.map((t) => t.year);
	if (new Set(taxYears).size !== taxYears.length) out.push({ key: 'taxes', message: `「${L.taxes}」的年份有重复` });

	const bases = inst.bases;
	for (const k of ['nationalCE', 'industryCE', 'provincialCE', 'standardDeveloper'] as const) {
		if (bases?.[k] == null) out.push({ key: `inst.${k}`, message: `请选择「${L[k]}」是或否` });
	}

	for (const who of ['lead', 'contact'] as const) {
		const p = app[who];
		need(`${who}.name`, `${L[who]} · ${L.personName}`, p?.name);
		need(`${who}.phone`, `${L[who]} · ${L.phone}`, p?.phone);
		need(`${who}.title`, `${L[who]} · ${L.personTitle}`, p?.title);
		need(`${who}.email`, `${L[who]} · ${L.email}`, p?.email);
	}

	const narrative = (key: NarrativeKey) => {
		const value = app[key];
		const label = narrativeLabel(key, type);
		if (blank(value)) return fill(key, label);
		const limit = NARRATIVES.find((n) => n.key === key)!.limit;
		const n = countChars(value);
		if (n > limit) out.push({ key, message: `「${label}」${n} 字，超过 ${limit} 字的限制` });
	};
	narrative('overview');

	if (training) {
		if (app.trainingYears.length < DEFAULT_ROWS.trainingYears) {
			out.push({
				key: 'trainingYears',
				message: `「${L.trainingYears}」应填写 ${DEFAULT_ROWS.trainingYears} 个年度（现有 ${app.trainingYears.length} 个；没有培训的年度填 0）`
			});
		}
		app.trainingYears.forEach((y, i) => {
			inRow('trainingYears', i, 'total', L.total, y.total);
			inRow('trainingYears', i, 'independent', L.independent, y.independent);
			inRow('trainingYears', i, 'cooperative', L.cooperative, y.cooperative);
		});
		const years = app.trainingYears.map((y) => y.year);
		if (new Set(years).size !== years.length) out.push({ key: 'trainingYears', message: `「${L.trainingYears}」的年度有重复` });
	} else {
		need('conductsEvaluation', L.conductsEvaluation, app.conductsEvaluation, 'pick');
		need('issuesCertificates', L.issuesCertificates, app.issuesCertificates, 'pick');
		if (app.conductsEvaluation && app.evaluationYears.length === 0) {
			out.push({ key: 'evaluationYears', message: `「${L.evaluationYears}」至少填写一行` });
		}
		app.evaluationYears.forEach((y, i) => {
			inRow('evaluationYears', i, 'certificate', L.certificate, y.certificate);
			inRow('evaluationYears', i, 'own', L.own, y.own, 'pick');
			inRow('evaluationYears', i, 'issued', L.issued, y.issued);
		});
		if (app.issuesCertificates) need('certificateCategory', L.certificateCategory, app.certificateCategory, 'pick');
	}

	if (app.venues.length === 0) out.push({ key: 'venues', message: `「${L.venues}」至少填写一处场地` });
	app.venues.forEach((v, i) => {
		inRow('venues', i, 'address', L.venueAddress, v.address);
		inRow('venues', i, 'area', L.area, v.area);
		inRow('venues', i, 'capacity', L.capacity, v.capacity);
		inRow('venues', i, 'equipmentSets', L.equipmentSets, v.equipmentSets);
		inRow('venues', i, 'equipmentValue', L.equipmentValue, v.equipmentValue);
	});
	narrative('platform');

	need('team.total', L.teamTotal, app.team?.total);
	if (training) {
		need('team.fullTime', L.fullTime, app.team?.fullTime);
		need('team.partTime', L.partTime, app.team?.partTime);
	} else {
		need('team.assessors', L.assessors, app.team?.assessors);
		need('team.supervisors', L.supervisors, app.team?.supervisors);
	}
	if (app.people.length === 0) out.push({ key: 'people', message: `「${L.people}」至少填写一人` });
	app.people.forEach((p, i) => {
		inRow('people', i, 'workUnit', L.workUnit, p.workUnit);
		inRow('people', i, 'title', L.title, p.title);
		if (training) {
			inRow('people', i, 'specialty', L.specialty, p.specialty);
			inRow('people', i, 'fullTime', L.nature, p.fullTime, 'pick');
		}
		inRow('people', i, 'phone', L.peoplePhone, p.phone);
	});
	narrative('pastWork');
	narrative('teamMechanism');

	for (const l of LEVELS) {
		if (!app.levels.includes(l.key)) continue;
		need(`planned.${l.key}`, `${L.planned} · ${l.label}`, app.planned?.[l.key]);
		need(`fees.${l.key}`, `${L.fees} · ${l.label}`, app.fees?.[l.key]);
	}
	narrative('plan');

	need('reason', L.reason, app.recommendation?.reason);
	if (!materials.registrationCertificate) {
		out.push({ key: 'attachments.registration-certificate', message: `请上传「${ATTACHMENT_LABELS['registration-certificate']}」` });
	}
	if (!materials.creditOrIntegrity) {
		out.push({ key: 'attachments.credit-report', message: '请上传「信用报告」或「诚信承诺书」（至少一项）' });
	}
	if (!materials.recommendationLetter) {
		out.push({ key: 'attachments.recommendation-letter', message: `请上传「${ATTACHMENT_LABELS['recommendation-letter']}」` });
	}
	return out;
}

/**
 * Form values from a posted (raw, nested) object laid over `base`: strings where the base has
 * strings, rows as posted. Re-renders a refused form without JavaScript exactly as it was sent.
 */
export function formValuesFromRaw(raw: unknown, base: FormValues): FormValues {
	const over = (b: unknown, r: unknown): unknown => {
		if (typeof b === 'string') return typeof r === 'string' ? r : b;
		if (Array.isArray(b)) {
			if (!Array.isArray(r)) return b;
			if (b.length > 0 && typeof b[0] === 'string') return r.filter((x) => typeof x === 'string');
			const blank = b[0] ?? {};
			return r.map((x) => over(Object.fromEntries(Object.keys(blank).map((k) => [k, ''])), x));
		}
		if (b && typeof b === 'object') {
			const rec = (r && typeof r === 'object' ? r : {}) as Record<string, unknown>;
			return Object.fromEntries(Object.entries(b).map(([k, v]) => [k, over(v, rec[k])]));
		}
		return b;
	};
	const out = over(base, raw) as FormValues;
	out.levels = Array.isArray((raw as { levels?: unknown })?.levels) ? ((raw as { levels: unknown[] }).levels.filter((x) => typeof x === 'string') as string[]) : [];
	return out;
}

/* ---------- personal data the form only shows masked ---------- */

/**
 * Fields whose stored value the page shows masked (maskIdNumber / maskPhone) and keeps when the
 * input is left empty: the legal representative's ID number and the phone numbers.
 */
export function maskedFields(app: Pick<Application, 'lead' | 'contact' | 'people'>, inst: Pick<Institution, 'legalRep'>, mask: { id: (s: string) => string; phone: (s: string) => string }): FieldErrors {
	const out: FieldErrors = {};
	if (inst.legalRep?.idNumber) out['inst.legalRepIdNumber'] = mask.id(inst.legalRep.idNumber);
	if (app.lead?.phone) out['lead.phone'] = mask.phone(app.lead.phone);
	if (app.contact?.phone) out['contact.phone'] = mask.phone(app.contact.phone);
	app.people.forEach((p, i) => {
		if (p.phone) out[`people[${i}].phone`] = mask.phone(p.phone);
	});
	return out;
}

/** The form values with the masked fields emptied (the page never holds them in clear). */
export function withoutMasked(values: FormValues): FormValues {
	return {
		...values,
		inst: { ...values.inst, legalRepIdNumber: '' },
		lead: { ...values.lead, phone: '' },
		contact: { ...values.contact, phone: '' },
		people: values.people.map((p) => ({ ...p, phone: '' }))
	};
}

/**
 * Puts back the stored phone numbers of a draft whose phone inputs were left empty: the lead's and
 * the contact's when the name is unchanged, a listed person's by name (rows may have moved).
 */
export function keepStoredPhones(draft: Draft, previous: Pick<Application, 'lead' | 'contact' | 'people'> | null): Draft {
	if (!previous) return draft;
	const person = (now: Draft['lead'], before: Application['lead']) =>
		now.phone === null && before?.phone && (now.name === null || now.name === before.name) ? { ...now, phone: before.phone } : now;
	const pool = previous.people.filter((p) => p.phone);
	const people = draft.people.map((p) => {
		if (!p || p.phone !== null) return p;
		const k = pool.findIndex((q) => q.name === p.name);
		if (k < 0) return p;
		const [hit] = pool.splice(k, 1);
		return { ...p, phone: hit.phone };
	});
	return { ...draft, lead: person(draft.lead, previous.lead), contact: person(draft.contact, previous.contact), people } as Draft;
}

/** The stored ID number stands in for an empty input only while the legal representative is the same person. */
export function keptIdNumber(draft: Draft, stored: Pick<Institution, 'legalRep'> | null): string | null {
	const rep = stored?.legalRep;
	if (!rep?.idNumber) return null;
	return draft.inst.legalRepName === null || draft.inst.legalRepName === rep.name ? rep.idNumber : null;
}
