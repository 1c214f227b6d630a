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
	O: [80, 82], P: [83, 83], Q: [84, 85], R: [86, 90], S: [91, 96], T: [97, 97]
};

/** GB/T 4754—2017 大类 names (01–97), for the industry picker. */
export const INDUSTRY_DIVISION_NAMES: Record<string, string> = {
	'01': '农业', '02': '林业', '03': '畜牧业', '04': '渔业', '05': '农、林、牧、渔专业及辅助性活动',
	'06': '煤炭开采和洗选业', '07': '石油和天然气开采业', '08': '黑色金属矿采选业', '09': '有色金属矿采选业',
	'10': '非金属矿采选业', '11': '开采专业及辅助性活动', '12': '其他采矿业',
	'13': '农副食品加工业', '14': '食品制造业', '15': '酒、饮料和精制茶制造业', '16': '烟草制品业', '17': '纺织业',
	'18': '纺织服装、服饰业', '19': '皮革、毛皮、羽毛及其制品和制鞋业', '20': '木材加工和木、竹、藤、棕、草制品业',
	'21': '家具制造业', '22': '造纸和纸制品业', '23': '印刷和记录媒介复制业', '24': '文教、工美、体育和娱乐用品制造业',
	'25': '石油、煤炭及其他燃料加工业', '26': '化学原料和化学制品制造业', '27': '医药制造业', '28': '化学纤维制造业',
	'29': '橡胶和塑料制品业', '30': '非金属矿物制品业', '31': '黑色金属冶炼和压延加工业', '32': '有色金属冶炼和压延加工业',
	'33': '金属制品业', '34': '通用设备制造业', '35': '专用设备制造业', '36': '汽车制造业',
	'37': '铁路、船舶、航空航天和其他运输设备制造业', '38': '电气机械和器材制造业', '39': '计算机、通信和其他电子设备制造业',
	'40': '仪器仪表制造业', '41': '其他制造业', '42': '废弃资源综合利用业', '43': '金属制品、机械和设备修理业',
	'44': '电力、热力生产和供应业', '45': '燃气生产和供应业', '46': '水的生产和供应业',
	'47': '房屋建筑业', '48': '土木工程建筑业', '49': '建筑安装业', '50': '建筑装饰、装修和其他建筑业',
	'51': '批发业', '52': '零售业',
	'53': '铁路运输业', '54': '道路运输业', '55': '水上运输业', '56': '航空运输业', '57': '管道运输业',
	'58': '多式联运和运输代理业', '59': '装卸搬运和仓储业', '60': '邮政业',
	'61': '住宿业', '62': '餐饮业',
	'63': '电信、广播电视和卫星传输服务', '64': '互联网和相关服务', '65': '软件和信息技术服务业',
	'66': '货币金融服务', '67': '资本市场服务', '68': '保险业', '69': '其他金融业',
	'70': '房地产业',
	'71': '租赁业', '72': '商务服务业',
	'73': '研究和试验发展', '74': '专业技术服务业', '75': '科技推广和应用服务业',
	'76': '水利管理业', '77': '生态保护和环境治理业', '78': '公共设施管理业', '79': '土地管理业',
	'80': '居民服务业', '81': '机动车、电子产品和日用产品修理业', '82': '其他服务业',
	'83': '教育',
	'84': '卫生', '85': '社会工作',
	'86': '新闻和出版业', '87': '广播、电视、电影和录音制作业', '88': '文化艺术业', '89': '体育', '90': '娱乐业',
	'91': '中国共产党机关', '92': '国家机构', '93': '人民政协、民主党派', '94': '社会保障',
	'95': '群众团体、社会团体和其他成员组织', '96': '基层群众自治组织',
	'97': '国际组织'
};

/** The divisions of one section as [code, name] pairs, in code order. */
export function industryDivisions(section: string): [string, string][] {
	const range = INDUSTRY_DIVISIONS[section];
	if (!range) return [];
	const out: [string, string][] = [];
	for (let d = range[0]; d <= range[1]; d++) {
		const code = String(d).padStart(2, '0');
		out.push([code, INDUSTRY_DIVISION_NAMES[code]]);
	}
	return out;
}

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
