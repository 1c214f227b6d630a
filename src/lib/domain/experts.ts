/**
 * The expert pool's own rules: what a valid expert record is (the office's form and the Excel
 * import read it through `expertFormSchema`), the occupations written as text in a cell, the next
 * free expert id, the account name of an expert, and the grounds an expert may declare a conflict on.
 */
import * as z from 'zod';
import { OCCUPATIONS, type OccupationKey } from './occupations';
import { REGION_KEYS, REGIONS } from './regions';
import { ID_PROBLEM_TEXT, idNumberProblem } from './identifiers';

/** Expert ids follow the bundle's id rule (docs/bundle.md). */
export const EXPERT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

const MOBILE = /^(?:\+?86)?1[3-9]\d{9}$/;
const LANDLINE = /^0\d{2,3}-?\d{7,8}(?:-\d{1,6})?$/;

/** The phone as stored: NFKC (full-width digits to half-width), whitespace and brackets dropped. */
export function cleanPhone(phone: string): string {
	return phone
		.normalize('NFKC')
		.replace(/[\s()（）]/g, '')
		.trim();
}

/**
 * Why a phone number is not acceptable, or null: an 11-digit mobile number (1[3-9]…, optionally
 * +86) or a landline with its area code (024-23456789, 0411-88888888-123).
 */
export function phoneProblem(phone: string): string | null {
	const p = cleanPhone(phone);
	if (p === '') return null;
	if (/^[\d+-]+$/.test(p) === false) return '电话号码只能包含数字和 -';
	if (MOBILE.test(p) || LANDLINE.test(p)) return null;
	if (/^(?:\+?86)?1\d*$/.test(p.replace(/-/g, ''))) return '手机号码应为以 1 开头的 11 位数字';
	return '固定电话应含区号，如 024-23456789';
}

/** Separators between occupations in one cell: 、，,；;／/ and whitespace. */
const LIST_SEPARATORS = /[、，,；;／/\s]+/;

/**
 * Reads a list of occupations written as text ("人工智能、大数据", full labels, or bundle keys).
 * Returns the keys in the order of the occupation list, each once, and the words not recognised.
 */
export function parseOccupationList(text: string): { keys: OccupationKey[]; unknown: string[] } {
	const found = new Set<OccupationKey>();
	const unknown: string[] = [];
	for (const word of text.normalize('NFKC').split(LIST_SEPARATORS)) {
		const w = word.trim();
		if (!w) continue;
		const lower = w.toLowerCase();
		const o = OCCUPATIONS.find((x) => x.key === lower || x.short === w || x.label === w);
		if (o) found.add(o.key);
		else unknown.push(w);
	}
	return { keys: OCCUPATIONS.map((o) => o.key).filter((k) => found.has(k)), unknown };
}

/** A region written as a label ("大连"), a city name ("大连市") or a key ("dalian"); null when unknown. */
export function parseRegion(text: string): (typeof REGION_KEYS)[number] | null {
	const t = text.normalize('NFKC').trim();
	const r = REGIONS.find((x) => x.key === t.toLowerCase() || x.label === t || `${x.label}市` === t);
	return r ? r.key : null;
}

const optional = (max: number, what: string) =>
	z
		.string()
		.trim()
		.max(max, { message: `${what}不能超过${max}个字符` })
		.transform((s) => (s === '' ? null : s));

/**
 * One expert as the office enters it. Id empty means "give the next free id"; the work unit is
 * required (the conflict rules compare it), and so is at least one occupation (else the expert is
 * never drawn). Phone and email are checked when given.
 */
export const expertFormSchema = z.object({
	id: z
		.string()
		.trim()
		.max(100, { message: '编号不能超过100个字符' })
		.refine((s) => s === '' || EXPERT_ID_PATTERN.test(s), { message: '编号只能包含字母、数字和 . _ : -，且以字母或数字开头' })
		.transform((s) => (s === '' ? null : s)),
	name: z.string().trim().min(1, { message: '请填写姓名' }).max(50, { message: '姓名不能超过50个字符' }),
	workUnit: z.string().trim().min(1, { message: '请填写工作单位（可写到院系或部门）' }).max(200, { message: '工作单位不能超过200个字符' }),
	title: optional(100, '职称'),
	occupations: z
		.array(z.enum(OCCUPATIONS.map((o) => o.key) as [OccupationKey, ...OccupationKey[]], { message: '可评审职业无效' }))
		.min(1, { message: '请至少选择一个可评审职业' })
		.transform((list) => OCCUPATIONS.map((o) => o.key).filter((k) => list.includes(k))),
	region: z
		.union([z.literal(''), z.enum(REGION_KEYS, { message: '请选择地区' })], { message: '请选择地区' })
		.transform((s) => (s === '' ? null : s)),
	phone: z
		.string()
		.max(50, { message: '电话不能超过50个字符' })
		.transform(cleanPhone)
		.superRefine((p, ctx) => {
			const problem = phoneProblem(p);
			if (problem) ctx.addIssue({ code: 'custom', message: problem });
		})
		.transform((s) => (s === '' ? null : s)),
	email: z
		.string()
		.trim()
		.max(200, { message: '邮箱不能超过200个字符' })
		.refine((s) => s === '' || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s), { message: '邮箱格式不正确，如 name@example.com' })
		.transform((s) => (s === '' ? null : s)),
	/**
	 * 身份证号 (GB 11643), for the 劳务费签领表. Only the office's form carries it: absent (undefined)
	 * leaves the stored number alone (the Excel list and bundles do not hold it); '' clears it.
	 */
	idNumber: z
		.string()
		.max(40, { message: '身份证号应为18位' })
		.transform(cleanIdNumber)
		.superRefine((v, ctx) => {
			const problem = v === '' ? null : idNumberProblem(v);
			if (problem) ctx.addIssue({ code: 'custom', message: `身份证号${ID_PROBLEM_TEXT[problem]}` });
		})
		.transform((s) => (s === '' ? null : s))
		.optional()
});

/** The ID number as stored: NFKC (full-width digits), no spaces, upper-case X. */
export function cleanIdNumber(v: string): string {
	return v.normalize('NFKC').replace(/\s/g, '').toUpperCase();
}
/** What the form (or an Excel row) gives: plain strings, checked by `expertFormSchema`. */
export type ExpertFormInput = {
	id?: string | null;
	name: string;
	workUnit: string;
	title: string;
	occupations: readonly string[];
	region: string;
	phone: string;
	email: string;
	/** Only the office's form: undefined leaves the stored ID number as it is. */
	idNumber?: string;
};
export type ExpertFormValues = z.output<typeof expertFormSchema>;

/** The Chinese name of each form field, for error messages that name the field. */
export const EXPERT_FIELD_LABELS: Record<keyof ExpertFormInput, string> = {
	id: '编号',
	name: '姓名',
	workUnit: '工作单位',
	title: '职称',
	occupations: '可评审职业',
	region: '地区',
	phone: '电话',
	email: '邮箱',
	idNumber: '身份证号'
};

/** Field → first message, from a failed parse of `expertFormSchema`. */
export function expertFormErrors(error: z.ZodError): Record<string, string> {
	const out: Record<string, string> = {};
	for (const issue of error.issues) {
		const field = String(issue.path[0] ?? 'name');
		out[field] ??= issue.message;
	}
	return out;
}

/**
 * The next free id of the form exp-NN: one more than the largest exp-number in use, at least two
 * digits (exp-01 … exp-99, exp-100 …).
 */
export function nextExpertId(existing: Iterable<string>): string {
	let max = 0;
	for (const id of existing) {
		const m = /^exp-(\d+)$/i.exec(id);
		if (m) max = Math.max(max, Number(m[1]));
	}
	return `exp-${String(max + 1).padStart(2, '0')}`;
}

/** The sign-in name proposed for an expert: the id lower-cased, other characters than a-z 0-9 . _ - replaced by -. */
export function expertUsername(expertId: string): string {
	const u = expertId
		.toLowerCase()
		.replace(/[^a-z0-9._-]/g, '-')
		.replace(/^[^a-z0-9]+/, '');
	return u.length >= 2 ? u.slice(0, 40) : `expert-${u}`.slice(0, 40);
}

/** Grounds of a declared conflict, after the procurement rules' avoidance grounds (回避情形). */
export const DECLARATION_GROUNDS = [
	{ key: 'employment', label: '近三年内在该单位任职、兼职或担任职务' },
	{ key: 'shareholding', label: '持有该单位股份或有其他经济利益' },
	{ key: 'kinship', label: '与该单位法定代表人、负责人或联系人有近亲属关系' },
	{ key: 'cooperation', label: '近三年内与该单位有合作项目或业务往来' },
	{ key: 'other', label: '其他可能影响公正评审的情形' }
] as const;
export type DeclarationGround = (typeof DECLARATION_GROUNDS)[number]['key'];
export const DECLARATION_GROUND_KEYS = DECLARATION_GROUNDS.map((g) => g.key) as [DeclarationGround, ...DeclarationGround[]];

export function declarationGroundLabel(key: string | null | undefined): string {
	return DECLARATION_GROUNDS.find((g) => g.key === key)?.label ?? '其他';
}
