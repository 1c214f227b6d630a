/**
 * The review bundle of docs/bundle.md as a zod schema: the one JSON shape the workbench reads and
 * writes. Keys are fixed (other tools read them); unknown keys are rejected with their JSON path.
 */
import * as z from 'zod';
import { OCCUPATION_KEYS } from './occupations';
import { REGION_KEYS } from './regions';
import {
	AGGREGATION_METHOD_KEYS,
	CERTIFICATE_CATEGORY_KEYS,
	DECISION_KEYS,
	LEVEL_KEYS,
	UNIT_TYPE_KEYS,
	isIndustryCode
} from './vocabulary';
import { normalizeShort } from './normalize';

z.config(z.locales.zhCN());

export const BUNDLE_FORMAT = 'dte-review-bundle';
export const BUNDLE_VERSION = 1;

const isCalendarDate = (s: string) => {
	const [y, m, d] = s.split('-').map(Number);
	const dt = new Date(Date.UTC(y, m - 1, d));
	return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
};

/** A date as YYYY-MM-DD; one typed in full width or with spaces around it is read as the same date. */
export const dateString = z.preprocess(
	normalizeShort,
	z
		.string()
		.regex(/^\d{4}-\d{2}-\d{2}$/, { message: '日期格式应为 YYYY-MM-DD' })
		.refine(isCalendarDate, { message: '不是有效的日历日期' })
);

const id = z
	.string()
	.min(1, { message: '不能为空' })
	.max(100, { message: '不能超过100个字符' })
	.regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, { message: '只能包含字母、数字和 . _ : -，且以字母或数字开头' });

const text = (max = 200) => z.string().max(max, { message: `不能超过${max}个字符` });
const optText = (max = 200) => text(max).nullable().optional();
const narrative = z.string().max(20000, { message: '不能超过20000个字符' }).nullable().optional();
const count = z.number().int({ message: '应为整数' }).min(0, { message: '不能为负数' });
const optCount = count.nullable().optional();
const amount = z.number().min(0, { message: '不能为负数' }).max(1e12, { message: '数值过大' });
const optAmount = amount.nullable().optional();
const year = z.number().int({ message: '应为整数年份' }).min(1949, { message: '年份不合理' }).max(2100, { message: '年份不合理' });
const optBool = z.boolean().nullable().optional();

export const occupationKey = z.enum(OCCUPATION_KEYS);
export const regionKey = z.enum(REGION_KEYS);
export const levelKey = z.enum(LEVEL_KEYS);
export const applicationType = z.enum(['training', 'evaluation']);
export const aggregationMethod = z.enum(AGGREGATION_METHOD_KEYS);
export const decisionKey = z.enum(DECISION_KEYS);

const quotaTable = z
	.record(z.string(), z.number().int({ message: '名额应为整数' }).min(0, { message: '名额不能为负数' }))
	.superRefine((rec, ctx) => {
		for (const k of Object.keys(rec)) {
			if (k !== 'default' && !(REGION_KEYS as readonly string[]).includes(k)) {
				ctx.addIssue({ code: 'custom', path: [k], message: `未知的地区键 "${k}"（应为 default 或地区键）` });
			}
		}
	});

export const aggregationSettings = z.strictObject({
	method: aggregationMethod.optional(),
	minReviews: z.number().int().min(1).max(99).optional(),
	passScore: z.number().min(0).max(100).optional(),
	maxPerGroup: z.number().int().min(1).nullable().optional(),
	dispersionThreshold: z.number().min(0).max(100).optional(),
	deviationPct: z.number().min(0).max(100).optional()
});

export const batchSchema = z.strictObject({
	id,
	name: text(200).optional(),
	deadline: dateString.nullable().optional(),
	foundedOnOrBefore: dateString.nullable().optional(),
	minAnnualScale: z.number().int().min(0).nullable().optional(),
	closedEvaluationOccupations: z.array(occupationKey).optional(),
	quotas: z
		.strictObject({ training: quotaTable.optional(), evaluation: quotaTable.optional() })
		.optional(),
	aggregation: aggregationSettings.optional()
});

const person = z.strictObject({
	name: optText(50),
	title: optText(100),
	phone: optText(50),
	email: optText(200)
});

export const institutionSchema = z.strictObject({
	id,
	name: text(200).min(1, { message: '不能为空' }),
	uscc: optText(50),
	legalRep: z.strictObject({ name: optText(50), idNumber: optText(50) }).nullable().optional(),
	address: optText(300),
	unitType: z.enum(UNIT_TYPE_KEYS).nullable().optional(),
	industry: z
		.string()
		.refine(isIndustryCode, { message: '应为 GB/T 4754—2017 门类字母 A–T，可带两位大类代码（如 I65）' })
		.nullable()
		.optional(),
	registeredCapital: optAmount,
	employees: optCount,
	founded: dateString.nullable().optional(),
	taxes: z
		.array(z.strictObject({ year, amount: optAmount, dishonest: optBool }))
		.max(10, { message: '纳税情况最多10行' })
		.optional(),
	bases: z
		.strictObject({ nationalCE: optBool, industryCE: optBool, provincialCE: optBool, standardDeveloper: optBool })
		.nullable()
		.optional()
});

export const applicationSchema = z.strictObject({
	id,
	institutionId: id,
	type: applicationType,
	occupation: occupationKey,
	levels: z.array(levelKey).optional(),
	region: regionKey,
	lead: person.nullable().optional(),
	contact: person.nullable().optional(),
	overview: narrative,
	platform: narrative,
	pastWork: narrative,
	teamMechanism: narrative,
	plan: narrative,
	trainingYears: z
		.array(z.strictObject({ year, total: optCount, independent: optCount, cooperative: optCount }))
		.max(20, { message: '培训规模最多20行' })
		.optional(),
	evaluationYears: z
		.array(z.strictObject({ year, certificate: optText(200), own: optBool, issued: optCount }))
		.max(100, { message: '考核评价规模最多100行' })
		.optional(),
	conductsEvaluation: optBool,
	issuesCertificates: optBool,
	certificateCategory: z.enum(CERTIFICATE_CATEGORY_KEYS).nullable().optional(),
	venues: z
		.array(
			z.strictObject({
				address: optText(300),
				area: optAmount,
				capacity: optCount,
				equipmentSets: optCount,
				equipmentValue: optAmount
			})
		)
		.max(50, { message: '场地最多50行' })
		.optional(),
	team: z
		.strictObject({
			total: optCount,
			fullTime: optCount,
			partTime: optCount,
			assessors: optCount,
			supervisors: optCount
		})
		.nullable()
		.optional(),
	people: z
		.array(
			z.strictObject({
				role: z.enum(['teacher', 'question-setter']),
				name: text(50),
				workUnit: optText(200),
				title: optText(100),
				specialty: optText(100),
				fullTime: optBool,
				phone: optText(50)
			})
		)
		.max(500, { message: '人员最多500行' })
		.optional(),
	planned: z.strictObject({ junior: optCount, intermediate: optCount, senior: optCount }).nullable().optional(),
	fees: z.strictObject({ junior: optAmount, intermediate: optAmount, senior: optAmount }).nullable().optional(),
	attachments: z
		.strictObject({ registrationCertificate: optBool, creditReport: optBool, integrityCommitment: optBool })
		.nullable()
		.optional(),
	recommendation: z
		.strictObject({ reason: narrative, unit: optText(200), date: dateString.nullable().optional() })
		.nullable()
		.optional()
});

export const expertSchema = z.strictObject({
	id,
	name: text(50).min(1, { message: '不能为空' }),
	workUnit: optText(200),
	title: optText(100),
	occupations: z.array(occupationKey).optional(),
	region: regionKey.nullable().optional(),
	phone: optText(50),
	email: optText(200)
});

export const criterionSchema = z.strictObject({
	id,
	name: text(100).min(1, { message: '不能为空' }),
	maxPoints: z
		.number()
		.gt(0, { message: '应大于0' })
		.max(100, { message: '不能超过100' })
		.refine((v) => Number.isInteger(v * 2), { message: '应为0.5的整数倍' }),
	guidance: optText(4000),
	/** Marked objective (scored from the form's own figures): the re-check lists panel members who differ. */
	objective: z.boolean({ message: '应为 true 或 false' }).optional()
});

export const rubricSchema = z.strictObject({
	id,
	type: applicationType,
	criteria: z.array(criterionSchema).min(1, { message: '至少需要一个评分项' }).max(30, { message: '评分项最多30个' })
});

export const assignmentSchema = z.strictObject({ applicationId: id, expertId: id });

export const declarationSchema = z.strictObject({
	applicationId: id,
	expertId: id,
	reason: text(1000).min(1, { message: '回避理由不能为空' })
});

export const scoreSchema = z.strictObject({
	applicationId: id,
	expertId: id,
	rubricId: id.optional(),
	status: z.enum(['draft', 'submitted']),
	points: z.record(z.string(), z.number()).optional(),
	comment: optText(5000),
	explanation: optText(5000)
});

export const decisionSchema = z.strictObject({
	applicationId: id,
	decision: decisionKey,
	reason: optText(2000)
});

export const bundleSchema = z.strictObject({
	format: z.literal(BUNDLE_FORMAT).optional(),
	version: z.literal(BUNDLE_VERSION).optional(),
	batch: batchSchema.optional(),
	institutions: z.array(institutionSchema).optional(),
	applications: z.array(applicationSchema).optional(),
	experts: z.array(expertSchema).optional(),
	rubrics: z.array(rubricSchema).optional(),
	assignments: z.array(assignmentSchema).optional(),
	declarations: z.array(declarationSchema).optional(),
	scores: z.array(scoreSchema).optional(),
	decisions: z.array(decisionSchema).optional()
});

export type BundleInput = z.input<typeof bundleSchema>;
export type Bundle = z.output<typeof bundleSchema>;
export type BatchInput = z.output<typeof batchSchema>;
export type InstitutionInput = z.output<typeof institutionSchema>;
export type ApplicationInput = z.output<typeof applicationSchema>;
export type ExpertInput = z.output<typeof expertSchema>;
export type RubricInput = z.output<typeof rubricSchema>;
export type ScoreInput = z.output<typeof scoreSchema>;

/* ---------- Fully resolved shapes: what export writes and what the domain functions read ---------- */

export type Quotas = { training: Record<string, number>; evaluation: Record<string, number> };
export type AggregationSettings = {
	method: 'trimmed' | 'mean' | 'median' | 'zscore';
	minReviews: number;
	passScore: number;
	maxPerGroup: number | null;
	dispersionThreshold: number;
	deviationPct: number;
};
export type Batch = {
	id: string;
	name: string;
	deadline: string | null;
	foundedOnOrBefore: string | null;
	minAnnualScale: number | null;
	closedEvaluationOccupations: string[];
	quotas: Quotas;
	aggregation: AggregationSettings;
};

export type Person = { name: string | null; title: string | null; phone: string | null; email: string | null };
export type Institution = {
	id: string;
	name: string;
	uscc: string | null;
	legalRep: { name: string | null; idNumber: string | null } | null;
	address: string | null;
	unitType: string | null;
	industry: string | null;
	registeredCapital: number | null;
	employees: number | null;
	founded: string | null;
	taxes: { year: number; amount: number | null; dishonest: boolean | null }[];
	bases: { nationalCE: boolean | null; industryCE: boolean | null; provincialCE: boolean | null; standardDeveloper: boolean | null } | null;
};
export type Application = {
	id: string;
	institutionId: string;
	type: 'training' | 'evaluation';
	occupation: string;
	levels: string[];
	region: string;
	lead: Person | null;
	contact: Person | null;
	overview: string | null;
	platform: string | null;
	pastWork: string | null;
	teamMechanism: string | null;
	plan: string | null;
	trainingYears: { year: number; total: number | null; independent: number | null; cooperative: number | null }[];
	evaluationYears: { year: number; certificate: string | null; own: boolean | null; issued: number | null }[];
	conductsEvaluation: boolean | null;
	issuesCertificates: boolean | null;
	certificateCategory: string | null;
	venues: { address: string | null; area: number | null; capacity: number | null; equipmentSets: number | null; equipmentValue: number | null }[];
	team: { total: number | null; fullTime: number | null; partTime: number | null; assessors: number | null; supervisors: number | null } | null;
	people: { role: 'teacher' | 'question-setter'; name: string; workUnit: string | null; title: string | null; specialty: string | null; fullTime: boolean | null; phone: string | null }[];
	planned: { junior: number | null; intermediate: number | null; senior: number | null } | null;
	fees: { junior: number | null; intermediate: number | null; senior: number | null } | null;
	attachments: { registrationCertificate: boolean | null; creditReport: boolean | null; integrityCommitment: boolean | null } | null;
	recommendation: { reason: string | null; unit: string | null; date: string | null } | null;
};
export type Expert = {
	id: string;
	name: string;
	workUnit: string | null;
	title: string | null;
	occupations: string[];
	region: string | null;
	phone: string | null;
	email: string | null;
};
/** `objective`: present (true) only on a criterion the office marked objective (the re-check compares the panel's points on it). */
export type Criterion = { id: string; name: string; maxPoints: number; guidance: string | null; objective?: boolean };
export type Rubric = { id: string; type: 'training' | 'evaluation'; criteria: Criterion[] };
export type Assignment = { applicationId: string; expertId: string };
export type Declaration = { applicationId: string; expertId: string; reason: string };
export type Score = {
	applicationId: string;
	expertId: string;
	rubricId: string;
	status: 'draft' | 'submitted';
	points: Record<string, number>;
	comment: string | null;
	explanation: string | null;
};
export type Decision = { applicationId: string; decision: 'proposed' | 'not-proposed' | 'site-visit' | 'pending'; reason: string | null };

/** A complete bundle as export writes it: every key present. */
export type FullBundle = {
	format: typeof BUNDLE_FORMAT;
	version: typeof BUNDLE_VERSION;
	batch: Batch;
	institutions: Institution[];
	applications: Application[];
	experts: Expert[];
	rubrics: Rubric[];
	assignments: Assignment[];
	declarations: Declaration[];
	scores: Score[];
	decisions: Decision[];
};

/** The batch-2 defaults of the notice (domain.md). */
export const DEFAULT_AGGREGATION: AggregationSettings = {
	method: 'trimmed',
	minReviews: 3,
	passScore: 60,
	maxPerGroup: null,
	dispersionThreshold: 20,
	deviationPct: 20
};
export const DEFAULT_BATCH: Batch = {
	id: 'ln-2023-b2',
	name: '辽宁省第二批',
	deadline: '2023-06-15',
	foundedOnOrBefore: '2018-12-31',
	minAnnualScale: 2000,
	closedEvaluationOccupations: ['smart-manufacturing', 'bigdata', 'blockchain'],
	quotas: {
		training: { default: 2, shenyang: 5, dalian: 5 },
		evaluation: { default: 1, shenyang: 2, dalian: 2 }
	},
	aggregation: DEFAULT_AGGREGATION
};

/** Fills a batch from the bundle with the defaults for every key it leaves out. */
export function resolveBatch(input: BatchInput, base: Batch = DEFAULT_BATCH): Batch {
	return {
		id: input.id,
		name: input.name ?? (input.id === base.id ? base.name : input.id),
		deadline: input.deadline === undefined ? base.deadline : input.deadline,
		foundedOnOrBefore: input.foundedOnOrBefore === undefined ? base.foundedOnOrBefore : input.foundedOnOrBefore,
		minAnnualScale: input.minAnnualScale === undefined ? base.minAnnualScale : input.minAnnualScale,
		closedEvaluationOccupations: input.closedEvaluationOccupations ?? [...base.closedEvaluationOccupations],
		quotas: {
			training: input.quotas?.training ?? { ...base.quotas.training },
			evaluation: input.quotas?.evaluation ?? { ...base.quotas.evaluation }
		},
		aggregation: {
			method: input.aggregation?.method ?? base.aggregation.method,
			minReviews: input.aggregation?.minReviews ?? base.aggregation.minReviews,
			passScore: input.aggregation?.passScore ?? base.aggregation.passScore,
			maxPerGroup:
				input.aggregation?.maxPerGroup === undefined ? base.aggregation.maxPerGroup : input.aggregation.maxPerGroup,
			dispersionThreshold: input.aggregation?.dispersionThreshold ?? base.aggregation.dispersionThreshold,
			deviationPct: input.aggregation?.deviationPct ?? base.aggregation.deviationPct
		}
	};
}

/** The quota of a (region, type) cell: the region's own number, else the type's default. */
export function quotaFor(batch: Pick<Batch, 'quotas'>, type: 'training' | 'evaluation', region: string): number | null {
	const table = batch.quotas[type];
	if (!table) return null;
	if (table[region] !== undefined) return table[region];
	return table.default ?? null;
}

/** `applications[3].people[0].name` from a zod path. */
export function formatPath(path: readonly PropertyKey[]): string {
	let out = '';
	for (const seg of path) {
		if (typeof seg === 'number') out += `[${seg}]`;
		else out += (out ? '.' : '') + String(seg);
	}
	return out || '(根)';
}

export type BundleError = { path: string; message: string };

export function zodErrors(error: z.ZodError, prefix: readonly PropertyKey[] = []): BundleError[] {
	return error.issues.map((i) => {
		let path = [...prefix, ...i.path];
		if (i.code === 'unrecognized_keys') {
			return { path: formatPath([...path, i.keys[0]]), message: `未知的键 "${i.keys.join('", "')}"` };
		}
		return { path: formatPath(path), message: i.message };
	});
}
