/** Fixed vocabulary of the forms (Annex 1 and 2) with the bundle keys of docs/bundle.md. */

export const LEVELS = [
	{ key: 'junior', label: '初级' },
	{ key: 'intermediate', label: '中级' },
	{ key: 'senior', label: '高级' }
] as const;
export type LevelKey = (typeof LEVELS)[number]['key'];
export const LEVEL_KEYS = LEVELS.map((l) => l.key) as [LevelKey, ...LevelKey[]];

export const APPLICATION_TYPES = [
	{ key: 'training', label: '培训机构', form: '附件1 培训机构推荐表' },
	{ key: 'evaluation', label: '评价机构', form: '附件2 评价机构推荐表' }
] as const;
export type ApplicationType = (typeof APPLICATION_TYPES)[number]['key'];
export const APPLICATION_TYPE_KEYS = ['training', 'evaluation'] as const;

export const UNIT_TYPES = [
	{ key: 'association', label: '行业协会等社团组织' },
	{ key: 'public-institution', label: '事业单位' },
	{ key: 'enterprise', label: '企业' },
	{ key: 'collective', label: '集体企业' },
	{ key: 'private', label: '民营企业' },
	{ key: 'private-non-enterprise', label: '民办非企业单位' }
] as const;
export type UnitTypeKey = (typeof UNIT_TYPES)[number]['key'];
export const UNIT_TYPE_KEYS = UNIT_TYPES.map((u) => u.key) as [UnitTypeKey, ...UnitTypeKey[]];

export const CERTIFICATE_CATEGORIES = [
	{ key: 'industry', label: '行业证书' },
	{ key: 'enterprise', label: '企业证书' },
	{ key: 'upgraded-qualification', label: '在已取消的职业资格证书基础上升级改造的新型证书' },
	{ key: 'other', label: '其他类型证书' }
] as const;
export type CertificateCategoryKey = (typeof CERTIFICATE_CATEGORIES)[number]['key'];
export const CERTIFICATE_CATEGORY_KEYS = CERTIFICATE_CATEGORIES.map((c) => c.key) as [
	CertificateCategoryKey,
	...CertificateCategoryKey[]
];

export const PERSON_ROLES = [
	{ key: 'teacher', label: '培训教师' },
	{ key: 'question-setter', label: '命题专家' }
] as const;
export type PersonRole = (typeof PERSON_ROLES)[number]['key'];

export const DECISIONS = [
	{ key: 'proposed', label: '拟推荐' },
	{ key: 'not-proposed', label: '不推荐' },
	{ key: 'site-visit', label: '需实地考察' },
	{ key: 'pending', label: '待定' }
] as const;
export type DecisionKey = (typeof DECISIONS)[number]['key'];
export const DECISION_KEYS = DECISIONS.map((d) => d.key) as [DecisionKey, ...DecisionKey[]];

export const SHEET_STATUSES = [
	{ key: 'draft', label: '草稿' },
	{ key: 'submitted', label: '已提交' }
] as const;
export type SheetStatus = (typeof SHEET_STATUSES)[number]['key'];

export const AGGREGATION_METHODS = [
	{ key: 'trimmed', label: '去掉一个最高分和一个最低分后取平均（不足5份取平均）' },
	{ key: 'mean', label: '算术平均' },
	{ key: 'median', label: '中位数' },
	{ key: 'zscore', label: '标准分（Z分数）换算' }
] as const;
export type AggregationMethod = (typeof AGGREGATION_METHODS)[number]['key'];
export const AGGREGATION_METHOD_KEYS = AGGREGATION_METHODS.map((m) => m.key) as [
	AggregationMethod,
	...AggregationMethod[]
];

/** GB/T 4754—2017 门类 (sections A–T). */
export const INDUSTRY_SECTIONS = [
	{ key: 'A', label: '农、林、牧、渔业' },
	{ key: 'B', label: '采矿业' },
	{ key: 'C', label: '制造业' },
	{ key: 'D', label: '电力、热力、燃气及水生产和供应业' },
	{ key: 'E', label: '建筑业' },
	{ key: 'F', label: '批发和零售业' },
	{ key: 'G', label: '交通运输、仓储和邮政业' },
	{ key: 'H', label: '住宿和餐饮业' },
	{ key: 'I', label: '信息传输、软件和信息技术服务业' },
	{ key: 'J', label: '金融业' },
	{ key: 'K', label: '房地产业' },
	{ key: 'L', label: '租赁和商务服务业' },
	{ key: 'M', label: '科学研究和技术服务业' },
	{ key: 'N', label: '水利、环境和公共设施管理业' },
	{ key: 'O', label: '居民服务、修理和其他服务业' },
	{ key: 'P', label: '教育' },
	{ key: 'Q', label: '卫生和社会工作' },
	{ key: 'R', label: '文化、体育和娱乐业' },
	{ key: 'S', label: '公共管理、社会保障和社会组织' },
	{ key: 'T', label: '国际组织' }
] as const;

/**
 * GB/T 4754—2017 division codes (大类, two digits) by section. A division code belongs to exactly
 * one section; `industry` is a section letter, optionally followed by its two-digit division.
 */
export const INDUSTRY_DIVISIONS: Record<string, [number, number]> = {
	A: [1, 5], B: [6, 12], C: [13, 43], D: [44, 46], E: [47, 50], F: [51, 52], G: [53, 60],
	H: [61, 62], I: [63, 65], J: [66, 69], K: [70, 70], L: [71, 72], M: [73, 75], N: [76, 79],
	O: [80, 82], P: [83, 83], Q: [84, 85], R: [86, 90], S: [91, 97], T: [98, 98]
};

export function isIndustryCode(code: string): boolean {
	const m = /^([A-T])(\d{2})?$/.exec(code);
	if (!m) return false;
	if (m[2] === undefined) return true;
	const [lo, hi] = INDUSTRY_DIVISIONS[m[1]];
	const d = Number(m[2]);
	return d >= lo && d <= hi;
}

export function industryLabel(code: string | null | undefined): string {
	if (!code) return '';
	const s = INDUSTRY_SECTIONS.find((x) => x.key === code[0]);
	return s ? `${code} ${s.label}` : code;
}

/** Narrative fields with their form labels and limits (characters, whitespace not counted). */
export const NARRATIVES = [
	{ key: 'overview', label: '单位基本情况', limit: 800 },
	{ key: 'platform', label: '信息化平台建设情况', limit: 300 },
	{ key: 'pastWork', label: { training: '已有培训情况简述', evaluation: '已开展考核评价情况简述' }, limit: 500 },
	{ key: 'teamMechanism', label: { training: '师资团队建设机制简述', evaluation: '考评团队建设机制' }, limit: 500 },
	{ key: 'plan', label: { training: '下步培训工作规划', evaluation: '下步考核评价工作规划' }, limit: 800 }
] as const;
export type NarrativeKey = (typeof NARRATIVES)[number]['key'];

export function narrativeLabel(key: NarrativeKey, type: ApplicationType): string {
	const n = NARRATIVES.find((x) => x.key === key)!;
	return typeof n.label === 'string' ? n.label : n.label[type];
}

export function labelOf<T extends { key: string; label: string }>(list: readonly T[], key: string | null | undefined): string {
	if (key == null) return '';
	return list.find((x) => x.key === key)?.label ?? key;
}
