/**
 * The scoring rubric (评分标准): the default rubric of each application type, drawn from the
 * sections of Annex 1 / Annex 2, and the checks of a rubric and of the points on a sheet
 * (domain.md, "Rubric and scores"). Pure functions; messages are in Chinese for the interface.
 */
import type { Criterion, Rubric } from './bundle';

/** The total every rubric's maxPoints must add up to. */
export const RUBRIC_TOTAL = 100;

/** Annex 1 (培训机构推荐表): 100 points over 7 criteria. */
export const DEFAULT_TRAINING_RUBRIC: Rubric = {
	id: 'rub-training',
	type: 'training',
	criteria: [
		{
			id: 'qualification',
			name: '机构资质与社会信用',
			maxPoints: 10,
			guidance:
				'看统一社会信用代码、单位类型、注册资金、正式员工数、单位成立时间和近三年纳税情况。2018年12月31日以前成立、独立法人、近三年均有纳税且“是否有失信行为”均为否、法人登记证书和信用报告（或诚信承诺书）齐全的，得8分以上；成立时间较短、员工或纳税规模偏小但无不良记录的，得5–7分；材料缺项、纳税情况不连续或信用情况存疑的，得5分以下。'
		},
		{
			id: 'standing',
			name: '行业地位与继续教育基地',
			maxPoints: 15,
			guidance:
				'看“国家级/行业/省级专业技术人员继续教育基地”“申报职业的国家职业标准开发单位”四项勾选及“单位基本情况”中的行业地位、单位优势。是国家级继续教育基地或国家职业标准开发单位、在申报职业领域有公认影响力的，得12分以上；是行业或省级继续教育基地、在本地区有一定影响的，得8–11分；四项均为否、行业地位表述空泛的，得7分以下。'
		},
		{
			id: 'scale',
			name: '培训规模与经验',
			maxPoints: 20,
			guidance:
				'看“近5年培训规模”各年度培训人数、独立培训与合作培训人数，以及“已有培训情况简述”。最高年度培训人数明显超过2000人次（如4000人次以上）、以独立培训为主且逐年稳定增长、在申报职业领域培训经验丰富的，得16分以上；达到2000人次、经验以相近领域为主的，得10–15分；低于2000人次的最低规模、年度数据前后不一致或主要依靠合作培训的，得10分以下。'
		},
		{
			id: 'faculty',
			name: '师资队伍',
			maxPoints: 15,
			guidance:
				'看师资团队总人数、专职与兼职师资队伍人数、培训教师名单（工作单位、专业技术职务/职称、专业）和“师资团队建设机制简述”。专职师资稳定、高级职称占比高、专业与申报职业对口、有高校和企业专家兼职且建设与激励机制具体的，得12分以上；人数和结构基本满足、机制较笼统的，得8–11分；专职师资少、名单与申报职业不对口或合计人数不符的，得7分以下。'
		},
		{
			id: 'facilities',
			name: '场地设施与信息化平台',
			maxPoints: 15,
			guidance:
				'看自有场地的场地面积、容纳人数、设施设备台套和设施设备总值，以及“信息化平台建设情况”。有专用实训场地、设施设备能满足申报职业实操训练、自建信息化平台可支撑线上培训且给出网址的，得12分以上；场地够用、平台依托第三方或功能较少的，得8–11分；场地小、设备与申报职业关联弱或没有线上平台的，得7分以下。'
		},
		{
			id: 'management',
			name: '培训管理与质量保障',
			maxPoints: 10,
			guidance:
				'看“已有培训情况简述”中的考勤管理、质量评估等培训管理规章制度和课程、课时、形式的安排。制度成体系、有学时记录和满意度评估并能说明执行效果的，得8分以上；有基本制度但执行情况说明不足的，得5–7分；未说明管理制度或质量管控的，得5分以下。'
		},
		{
			id: 'plan',
			name: '下步规划、费用与可行性',
			maxPoints: 15,
			guidance:
				'看年度计划培训人数（初级、中级、高级）、培训费用（元/学时）和“下步培训工作规划”。计划人数与已有规模、师资和场地相匹配，费用测算清楚合理，实施方案、质量管控、师资培训和学习资源开发措施具体的，得12分以上；规划基本可行但部分内容笼统的，得8–11分；计划人数明显超出能力、费用畸高畸低或规划空泛的，得7分以下。'
		}
	]
};

/** Annex 2 (评价机构推荐表): 100 points over 7 criteria. */
export const DEFAULT_EVALUATION_RUBRIC: Rubric = {
	id: 'rub-evaluation',
	type: 'evaluation',
	criteria: [
		{
			id: 'qualification',
			name: '机构资质与社会信用',
			maxPoints: 10,
			guidance:
				'看统一社会信用代码、单位类型、注册资金、正式员工数、单位成立时间和近三年纳税情况。2018年12月31日以前成立、独立法人、近三年均有纳税且“是否有失信行为”均为否、法人登记证书和信用报告（或诚信承诺书）齐全的，得8分以上；成立时间较短、员工或纳税规模偏小但无不良记录的，得5–7分；材料缺项、纳税情况不连续或信用情况存疑的，得5分以下。'
		},
		{
			id: 'standing',
			name: '行业地位与继续教育基地',
			maxPoints: 15,
			guidance:
				'看“国家级/行业/省级专业技术人员继续教育基地”“申报职业的国家职业标准开发单位”四项勾选及“单位基本情况”中的行业地位、公信力和认可度。是国家级继续教育基地或国家职业标准开发单位、其评价结果在申报职业领域被广泛认可的，得12分以上；是行业或省级继续教育基地、在本地区有一定公信力的，得8–11分；四项均为否、行业地位表述空泛的，得7分以下。'
		},
		{
			id: 'scale',
			name: '考核评价规模与颁证情况',
			maxPoints: 20,
			guidance:
				'看“是否开展评价”“是否颁发证书”、近5年开展考核评价规模（各年度证书名称、证书性质、颁证数量）和证书类别。最高年度颁证数量明显超过2000人次（如4000人次以上）、以自有证书为主、证书与申报职业对口且逐年稳定的，得16分以上；年度颁证达到2000人次、以其他机构证书为主的，得10–15分；低于2000人次、证书与申报职业关联弱或年度数据不一致的，得10分以下。'
		},
		{
			id: 'assessors',
			name: '考评员、督导员与命题专家队伍',
			maxPoints: 15,
			guidance:
				'看考评团队总人数、考评员队伍人数、督导员队伍人数、命题专家名单（工作单位、专业技术职务/职称）和“考评团队建设机制”。考评员与督导员配置充足、命题专家来自高校和行业企业且高级职称为主、岗前培训和轮换机制具体的，得12分以上；队伍基本满足、机制较笼统的，得8–11分；督导员缺少、命题专家与申报职业不对口或合计人数不符的，得7分以下。'
		},
		{
			id: 'facilities',
			name: '考核场地设施与信息化平台',
			maxPoints: 15,
			guidance:
				'看自有场地的场地面积、容纳人数、设施设备台套和设施设备总值，以及“信息化平台建设情况”。有标准化考场和实操考核工位、具备视频监控、平台支持在线报名、组卷、远程监考和证书查验且给出网址的，得12分以上；考场够用、平台功能较少或依托第三方的，得8–11分；考场条件不足或没有考核平台的，得7分以下。'
		},
		{
			id: 'security',
			name: '考务保密与证书管理',
			maxPoints: 10,
			guidance:
				'看“已开展考核评价情况简述”中的考务管理、考核保密、证书管理等规章制度。试题保密、考评人员回避、考务督导、证书编号与查验等制度完整并说明执行情况的，得8分以上；有基本制度但执行情况说明不足的，得5–7分；未说明考务保密或证书管理制度的，得5分以下。'
		},
		{
			id: 'plan',
			name: '下步规划、费用与可行性',
			maxPoints: 15,
			guidance:
				'看年度计划考核人数（初级、中级、高级）、考核费用（元/次）和“下步考核评价工作规划”。计划人数与已有颁证规模和考评队伍相匹配，费用测算清楚合理，考核站点建设、考核方案、题库建设和质量管控措施具体的，得12分以上；规划基本可行但部分内容笼统的，得8–11分；计划人数明显超出能力、费用畸高畸低或规划空泛的，得7分以下。'
		}
	]
};

/** A fresh copy of the default rubric of a type (safe to edit). */
export function defaultRubric(type: 'training' | 'evaluation'): Rubric {
	const r = type === 'training' ? DEFAULT_TRAINING_RUBRIC : DEFAULT_EVALUATION_RUBRIC;
	return { id: r.id, type: r.type, criteria: r.criteria.map((c) => ({ ...c })) };
}

/** True when x is a finite multiple of 0.5. */
export function isHalfStep(x: number): boolean {
	return Number.isFinite(x) && Number.isInteger(x * 2);
}

/** The sum of the criteria's maxPoints. */
export function rubricTotal(r: Rubric): number {
	let sum = 0;
	for (const c of r.criteria) sum += c.maxPoints;
	return sum;
}

function formatPoints(x: number): string {
	return String(Math.round(x * 100) / 100);
}

function criterionLabel(c: Pick<Criterion, 'id' | 'name'>): string {
	return `评分项“${c.name}”（${c.id}）`;
}

/**
 * What is wrong with a rubric, in Chinese; empty when it can be used: at least one criterion,
 * maxPoints adding up to 100, no duplicate criterion ids, each maxPoints > 0 in steps of 0.5.
 */
export function rubricProblems(r: Rubric): string[] {
	const problems: string[] = [];
	if (r.criteria.length === 0) problems.push('至少需要一个评分项');
	const total = rubricTotal(r);
	if (!Number.isFinite(total) || Math.abs(total - RUBRIC_TOTAL) > 1e-9) {
		problems.push(`各评分项满分之和应为${RUBRIC_TOTAL}分，当前为${formatPoints(total)}分`);
	}
	const seen = new Set<string>();
	const reported = new Set<string>();
	for (const c of r.criteria) {
		if (seen.has(c.id) && !reported.has(c.id)) {
			problems.push(`评分项编号“${c.id}”重复`);
			reported.add(c.id);
		}
		seen.add(c.id);
	}
	for (const c of r.criteria) {
		if (!(c.maxPoints > 0) || !isHalfStep(c.maxPoints)) {
			problems.push(`${criterionLabel(c)}的满分应大于0且为0.5的整数倍，当前为${formatPoints(c.maxPoints)}`);
		}
	}
	return problems;
}

export type PointsProblem = { criterionId: string; message: string };

/**
 * What is wrong with the points of a sheet against its rubric. Each criterion gets at most one
 * problem (checked in order: a finite number, ≥ 0, ≤ maxPoints, a multiple of 0.5); keys that
 * are not criteria of the rubric are reported after them. A criterion whose value is undefined
 * or null counts as not scored: allowed in a draft, a problem when `complete` (submitting).
 */
export function pointsProblems(
	r: Rubric,
	points: Record<string, unknown>,
	opts: { complete: boolean; aboveMaxAllowed?: boolean }
): PointsProblem[] {
	const problems: PointsProblem[] = [];
	const known = new Set<string>();
	for (const c of r.criteria) {
		if (known.has(c.id)) continue;
		known.add(c.id);
		const label = criterionLabel(c);
		const v = Object.prototype.hasOwnProperty.call(points, c.id) ? points[c.id] : undefined;
		if (v === undefined || v === null) {
			if (opts.complete) problems.push({ criterionId: c.id, message: `${label}尚未打分` });
			continue;
		}
		if (typeof v !== 'number' || !Number.isFinite(v)) {
			problems.push({ criterionId: c.id, message: `${label}的分数应为数字` });
		} else if (v < 0) {
			problems.push({ criterionId: c.id, message: `${label}的分数不能为负数` });
		} else if (v > c.maxPoints && !opts.aboveMaxAllowed) {
			problems.push({ criterionId: c.id, message: `${label}的分数不能超过满分${formatPoints(c.maxPoints)}分` });
		} else if (!isHalfStep(v)) {
			problems.push({ criterionId: c.id, message: `${label}的分数应为0.5的整数倍` });
		}
	}
	for (const key of Object.keys(points)) {
		if (!known.has(key)) problems.push({ criterionId: key, message: `未知的评分项“${key}”（评分标准中没有该项）` });
	}
	return problems;
}
