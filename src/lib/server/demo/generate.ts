/**
 * The realistic demo bundle: a whole second batch of Liaoning (辽宁省第二批) with about sixty
 * applications from invented institutions in all 15 regions, an expert pool, the default rubrics,
 * assignments, score sheets in every state and one declared conflict. Deterministic: the same
 * seed gives the same bundle. No database code here; the caller loads the bundle.
 *
 * The structure (which region applies for which occupation and type, and the few deliberate
 * formal-check problems) is fixed in PLAN; the seed varies names, numbers and texts.
 */
import {
	BUNDLE_FORMAT,
	BUNDLE_VERSION,
	DEFAULT_BATCH,
	type Application,
	type Assignment,
	type Batch,
	type Declaration,
	type Expert,
	type FullBundle,
	type Institution,
	type Rubric,
	type Score
} from '../../domain/bundle';
import { countChars, idCheckChar, usccCheckChar, USCC_CHARSET } from '../../domain/identifiers';
import { occupationLabel, occupationShort } from '../../domain/occupations';
import { regionUnit } from '../../domain/regions';
import { defaultRubric } from '../../domain/rubric';

export const DEMO_SEED = 'ln-2023-b2-demo';

/* ------------------------------------------------------------------ PRNG */

/** FNV-1a hash of a string to a 32-bit seed. */
function hashSeed(s: string): number {
	let h = 2166136261;
	for (let i = 0; i < s.length; i++) {
		h ^= s.charCodeAt(i);
		h = Math.imul(h, 16777619);
	}
	return h >>> 0;
}

/** mulberry32; `fork` derives an independent stream so sections do not shift each other. */
class Rng {
	private state: number;
	constructor(private readonly seed: string) {
		this.state = hashSeed(seed) || 1;
	}
	fork(label: string): Rng {
		return new Rng(`${this.seed}/${label}`);
	}
	next(): number {
		let t = (this.state = (this.state + 0x6d2b79f5) | 0);
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}
	/** Integer in [lo, hi]. */
	int(lo: number, hi: number): number {
		return lo + Math.floor(this.next() * (hi - lo + 1));
	}
	/** Multiple of `step` in [lo, hi]. */
	step(lo: number, hi: number, step: number): number {
		return this.int(Math.ceil(lo / step), Math.floor(hi / step)) * step;
	}
	chance(p: number): boolean {
		return this.next() < p;
	}
	pick<T>(list: readonly T[]): T {
		return list[Math.floor(this.next() * list.length)];
	}
	weighted<T>(list: readonly (readonly [T, number])[]): T {
		const total = list.reduce((s, [, w]) => s + w, 0);
		let r = this.next() * total;
		for (const [v, w] of list) {
			r -= w;
			if (r < 0) return v;
		}
		return list[list.length - 1][0];
	}
	shuffle<T>(list: readonly T[]): T[] {
		const a = [...list];
		for (let i = a.length - 1; i > 0; i--) {
			const j = Math.floor(this.next() * (i + 1));
			[a[i], a[j]] = [a[j], a[i]];
		}
		return a;
	}
	sample<T>(list: readonly T[], k: number): T[] {
		return this.shuffle(list).slice(0, k);
	}
}

/* ------------------------------------------------------------------ the plan */

type Occ =
	| 'ai'
	| 'iot'
	| 'bigdata'
	| 'cloud'
	| 'smart-manufacturing'
	| 'industrial-internet'
	| 'vr'
	| 'blockchain'
	| 'ic'
	| 'digital-management';
type Type = 'training' | 'evaluation';
type UnitKind = 'enterprise' | 'private' | 'private-non-enterprise' | 'association' | 'public-institution';

/**
 * The deliberate problems and conflicts of the demo: each on exactly one application, except
 * over-quota (the three applications of one cell) and dispersed (two applications).
 */
export type DemoIssue =
	| 'closed-occupation'
	| 'over-quota'
	| 'founded-late'
	| 'bad-legal-rep-id'
	| 'scale-below-min'
	| 'totals-mismatch'
	| 'missing-attachments'
	| 'late-recommendation'
	| 'same-unit'
	| 'listed-in-application'
	| 'declared'
	| 'abnormal-sheet'
	| 'dispersed'
	| 'in-progress';

type PlanRow = {
	region: string;
	occupation: Occ;
	type: Type;
	/** Rows with the same key share one institution. */
	inst?: string;
	unit?: UnitKind;
	issue?: DemoIssue;
	/** A fixed institution name (the same-unit conflict needs one). */
	name?: string;
};

const PLAN: PlanRow[] = [
	// 沈阳: 9 training, 5 evaluation
	{ region: 'shenyang', occupation: 'ai', type: 'training', inst: 'sy-a' },
	{ region: 'shenyang', occupation: 'bigdata', type: 'training', inst: 'sy-a' },
	{ region: 'shenyang', occupation: 'ai', type: 'training', unit: 'private-non-enterprise' },
	{ region: 'shenyang', occupation: 'bigdata', type: 'training', issue: 'abnormal-sheet' },
	{ region: 'shenyang', occupation: 'cloud', type: 'training', issue: 'listed-in-application' },
	{ region: 'shenyang', occupation: 'smart-manufacturing', type: 'training' },
	{ region: 'shenyang', occupation: 'industrial-internet', type: 'training' },
	{ region: 'shenyang', occupation: 'blockchain', type: 'training' },
	{ region: 'shenyang', occupation: 'digital-management', type: 'training' },
	{ region: 'shenyang', occupation: 'ai', type: 'evaluation', unit: 'association' },
	{ region: 'shenyang', occupation: 'ai', type: 'evaluation' },
	{ region: 'shenyang', occupation: 'cloud', type: 'evaluation', inst: 'sy-b' },
	{ region: 'shenyang', occupation: 'digital-management', type: 'evaluation', inst: 'sy-b', issue: 'dispersed' },
	{ region: 'shenyang', occupation: 'iot', type: 'evaluation' },
	// 大连: 8 training, 4 evaluation
	{ region: 'dalian', occupation: 'ai', type: 'training', issue: 'same-unit', name: '大连云帆智能科技有限公司' },
	{ region: 'dalian', occupation: 'ai', type: 'training', issue: 'dispersed' },
	{ region: 'dalian', occupation: 'iot', type: 'training', inst: 'dl-a' },
	{ region: 'dalian', occupation: 'cloud', type: 'training', inst: 'dl-a' },
	{ region: 'dalian', occupation: 'ic', type: 'training' },
	{ region: 'dalian', occupation: 'vr', type: 'training', issue: 'declared' },
	{ region: 'dalian', occupation: 'bigdata', type: 'training' },
	{ region: 'dalian', occupation: 'blockchain', type: 'training' },
	{ region: 'dalian', occupation: 'ai', type: 'evaluation', unit: 'association' },
	{ region: 'dalian', occupation: 'ic', type: 'evaluation' },
	{ region: 'dalian', occupation: 'vr', type: 'evaluation' },
	{ region: 'dalian', occupation: 'industrial-internet', type: 'evaluation' },
	// 鞍山: three training applications in one cell (quota 2)
	{ region: 'anshan', occupation: 'smart-manufacturing', type: 'training', issue: 'over-quota' },
	{ region: 'anshan', occupation: 'smart-manufacturing', type: 'training', issue: 'over-quota', unit: 'public-institution' },
	{ region: 'anshan', occupation: 'smart-manufacturing', type: 'training', issue: 'over-quota' },
	{ region: 'anshan', occupation: 'industrial-internet', type: 'training' },
	{ region: 'anshan', occupation: 'industrial-internet', type: 'evaluation' },
	// 抚顺
	{ region: 'fushun', occupation: 'industrial-internet', type: 'training', inst: 'fs-a' },
	{ region: 'fushun', occupation: 'digital-management', type: 'training', inst: 'fs-a' },
	// 本溪
	{ region: 'benxi', occupation: 'bigdata', type: 'training', issue: 'scale-below-min' },
	{ region: 'benxi', occupation: 'digital-management', type: 'evaluation' },
	// 丹东: one institution for both types of the same occupation
	{ region: 'dandong', occupation: 'iot', type: 'training', inst: 'dd-a' },
	{ region: 'dandong', occupation: 'iot', type: 'evaluation', inst: 'dd-a' },
	{ region: 'dandong', occupation: 'smart-manufacturing', type: 'training', unit: 'private-non-enterprise' },
	// 锦州
	{ region: 'jinzhou', occupation: 'ai', type: 'training', issue: 'bad-legal-rep-id' },
	{ region: 'jinzhou', occupation: 'ic', type: 'training' },
	{ region: 'jinzhou', occupation: 'ic', type: 'evaluation', unit: 'public-institution' },
	// 营口
	{ region: 'yingkou', occupation: 'iot', type: 'training', issue: 'totals-mismatch' },
	{ region: 'yingkou', occupation: 'smart-manufacturing', type: 'training' },
	{ region: 'yingkou', occupation: 'cloud', type: 'evaluation' },
	// 阜新
	{ region: 'fuxin', occupation: 'digital-management', type: 'training', unit: 'private-non-enterprise' },
	{ region: 'fuxin', occupation: 'bigdata', type: 'evaluation', issue: 'closed-occupation' },
	// 辽阳
	{ region: 'liaoyang', occupation: 'smart-manufacturing', type: 'training' },
	{ region: 'liaoyang', occupation: 'ai', type: 'evaluation', issue: 'late-recommendation' },
	// 盘锦
	{ region: 'panjin', occupation: 'industrial-internet', type: 'training', inst: 'pj-a' },
	{ region: 'panjin', occupation: 'bigdata', type: 'training', inst: 'pj-a' },
	{ region: 'panjin', occupation: 'digital-management', type: 'evaluation', unit: 'association' },
	// 铁岭
	{ region: 'tieling', occupation: 'digital-management', type: 'training', issue: 'founded-late' },
	{ region: 'tieling', occupation: 'iot', type: 'evaluation' },
	// 朝阳
	{ region: 'chaoyang', occupation: 'vr', type: 'training' },
	{ region: 'chaoyang', occupation: 'cloud', type: 'evaluation' },
	// 葫芦岛
	{ region: 'huludao', occupation: 'cloud', type: 'training', issue: 'missing-attachments' },
	{ region: 'huludao', occupation: 'vr', type: 'evaluation' },
	// 沈抚示范区
	{ region: 'shenfu', occupation: 'blockchain', type: 'training', inst: 'sf-a' },
	{ region: 'shenfu', occupation: 'ai', type: 'training', inst: 'sf-a' },
	{ region: 'shenfu', occupation: 'ai', type: 'evaluation', issue: 'in-progress' }
];

/** Applications of these occupations are left without assignments: the office demonstrates the draw. */
export const DEMO_UNASSIGNED_OCCUPATIONS: readonly string[] = ['vr', 'ic'];
/** Issues that block an application: such applications get no assignments either. */
const BLOCKING_ISSUES: readonly DemoIssue[] = ['closed-occupation', 'over-quota', 'scale-below-min', 'missing-attachments'];
export const DEMO_EXPERTS_PER_APPLICATION = 5;
export const DEMO_APPLICATION_COUNT = PLAN.length;

const appId = (i: number) => `app-${String(i + 1).padStart(2, '0')}`;

/** Application ids of each deliberate problem or conflict (fixed by the plan, whatever the seed). */
export const DEMO_ISSUE_APPLICATIONS: Readonly<Record<DemoIssue, string[]>> = (() => {
	const out = {} as Record<DemoIssue, string[]>;
	PLAN.forEach((row, i) => {
		if (row.issue) (out[row.issue] ??= []).push(appId(i));
	});
	return out;
})();

/* ------------------------------------------------------------------ places */

type District = { code: string; name: string; streets: string[] };
type Place = { city: string; prefix: string; districts: District[] };

const PLACES: Record<string, Place> = {
	shenyang: {
		city: '沈阳市',
		prefix: '沈阳',
		districts: [
			{ code: '210102', name: '和平区', streets: ['南京南街', '三好街', '文化路'] },
			{ code: '210103', name: '沈河区', streets: ['青年大街', '北站路', '市府大路'] },
			{ code: '210105', name: '皇姑区', streets: ['黄河南大街', '崇山中路'] },
			{ code: '210106', name: '铁西区', streets: ['北二中路', '建设西路'] },
			{ code: '210112', name: '浑南区', streets: ['创新路', '世纪路', '浑南中路', '智慧四街'] },
			{ code: '210113', name: '沈北新区', streets: ['道义南大街', '蒲河路'] }
		]
	},
	dalian: {
		city: '大连市',
		prefix: '大连',
		districts: [
			{ code: '210202', name: '中山区', streets: ['人民路', '港湾街'] },
			{ code: '210203', name: '西岗区', streets: ['长江路', '新开路'] },
			{ code: '210204', name: '沙河口区', streets: ['西安路', '五一路'] },
			{ code: '210211', name: '甘井子区', streets: ['黄浦路', '软件园路', '华北路'] },
			{ code: '210213', name: '金州区', streets: ['金马路', '双D港辽河西路'] }
		]
	},
	anshan: {
		city: '鞍山市',
		prefix: '鞍山',
		districts: [
			{ code: '210302', name: '铁东区', streets: ['胜利南路', '二一九路'] },
			{ code: '210303', name: '铁西区', streets: ['人民路', '繁荣路'] },
			{ code: '210304', name: '立山区', streets: ['鞍千路', '胜利北路'] }
		]
	},
	fushun: {
		city: '抚顺市',
		prefix: '抚顺',
		districts: [
			{ code: '210402', name: '新抚区', streets: ['西一路', '裕民路'] },
			{ code: '210404', name: '望花区', streets: ['雷锋路', '和平路'] },
			{ code: '210411', name: '顺城区', streets: ['新华大街', '临江路'] }
		]
	},
	benxi: {
		city: '本溪市',
		prefix: '本溪',
		districts: [
			{ code: '210502', name: '平山区', streets: ['解放北路', '胜利路'] },
			{ code: '210503', name: '溪湖区', streets: ['河东路', '彩北路'] },
			{ code: '210504', name: '明山区', streets: ['北地路', '永丰路'] }
		]
	},
	dandong: {
		city: '丹东市',
		prefix: '丹东',
		districts: [
			{ code: '210602', name: '元宝区', streets: ['兴东路', '金山大街'] },
			{ code: '210603', name: '振兴区', streets: ['锦山大街', '六纬路', '江城大街'] }
		]
	},
	jinzhou: {
		city: '锦州市',
		prefix: '锦州',
		districts: [
			{ code: '210702', name: '古塔区', streets: ['中央大街', '北京路'] },
			{ code: '210703', name: '凌河区', streets: ['解放路', '云飞街'] },
			{ code: '210711', name: '太和区', streets: ['科技路', '士英街'] }
		]
	},
	yingkou: {
		city: '营口市',
		prefix: '营口',
		districts: [
			{ code: '210802', name: '站前区', streets: ['渤海大街', '东升路'] },
			{ code: '210803', name: '西市区', streets: ['学府路', '新兴大街'] },
			{ code: '210804', name: '鲅鱼圈区', streets: ['平安大街', '昆仑大街'] }
		]
	},
	fuxin: {
		city: '阜新市',
		prefix: '阜新',
		districts: [
			{ code: '210902', name: '海州区', streets: ['中华路', '解放大街'] },
			{ code: '210911', name: '细河区', streets: ['玉龙路', '中华路'] }
		]
	},
	liaoyang: {
		city: '辽阳市',
		prefix: '辽阳',
		districts: [
			{ code: '211002', name: '白塔区', streets: ['新运大街', '民主路'] },
			{ code: '211003', name: '文圣区', streets: ['青年大街', '南环路'] },
			{ code: '211004', name: '宏伟区', streets: ['龙鼎山路', '文化街'] }
		]
	},
	panjin: {
		city: '盘锦市',
		prefix: '盘锦',
		districts: [
			{ code: '211102', name: '双台子区', streets: ['红旗大街', '胜利街'] },
			{ code: '211103', name: '兴隆台区', streets: ['石油大街', '泰山路', '惠宾大街'] }
		]
	},
	tieling: {
		city: '铁岭市',
		prefix: '铁岭',
		districts: [
			{ code: '211202', name: '银州区', streets: ['广裕街', '南马路'] },
			{ code: '211204', name: '清河区', streets: ['红旗街', '清河大街'] }
		]
	},
	chaoyang: {
		city: '朝阳市',
		prefix: '朝阳',
		districts: [
			{ code: '211302', name: '双塔区', streets: ['朝阳大街', '友谊大街'] },
			{ code: '211303', name: '龙城区', streets: ['黄河路', '龙城大街'] }
		]
	},
	huludao: {
		city: '葫芦岛市',
		prefix: '葫芦岛',
		districts: [
			{ code: '211402', name: '连山区', streets: ['龙湾大街', '新华大街'] },
			{ code: '211403', name: '龙港区', streets: ['海辰路', '滨海路'] }
		]
	},
	shenfu: {
		city: '沈抚示范区',
		prefix: '辽宁',
		districts: [{ code: '210100', name: '', streets: ['金枫街', '滨河路', '智慧大道'] }]
	}
};

/* ------------------------------------------------------------------ people */

const SURNAMES = [
	'王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '马', '罗',
	'梁', '宋', '郑', '谢', '韩', '唐', '冯', '于', '董', '程', '曹', '袁', '邓', '许', '傅', '沈', '曾', '彭', '吕', '苏',
	'卢', '蒋', '蔡', '贾', '丁', '魏', '薛', '叶', '阎', '潘', '杜', '戴', '夏', '钟', '田', '任', '姜', '范', '方', '石',
	'姚', '谭', '邹', '金', '陆', '郝', '孔', '白', '崔', '康', '毛', '邱', '秦', '史', '顾', '侯', '邵', '孟', '段', '常'
];
const GIVEN_NAMES = [
	'伟', '磊', '洋', '勇', '军', '杰', '涛', '超', '明', '刚', '辉', '鹏', '华', '飞', '鑫', '波', '斌', '宇', '浩', '凯',
	'健', '俊', '旭', '宁', '龙', '欢', '阳', '颖', '琳', '晨', '璐', '倩', '悦', '蕾', '薇', '楠', '峰', '岩', '冰', '洁',
	'建华', '建国', '建军', '志强', '志刚', '海涛', '海燕', '晓东', '晓明', '晓丽', '丽娟', '秀英', '桂芳', '玉兰', '红梅',
	'春梅', '雪梅', '文博', '思远', '宏伟', '国庆', '立新', '振华', '明轩', '佳怡', '婷婷', '丹丹', '晶晶', '欣怡', '博文',
	'建平', '永刚', '德胜', '立军', '少华', '金凤', '淑珍', '秀兰', '丽华', '雅琴', '静怡', '慧敏', '丽萍', '子健', '继东',
	'庆林', '晓光', '春雷', '宝山', '玉洁', '彦博', '思琪', '海波', '冬梅', '铁军', '新宇', '一鸣', '子墨', '雨桐', '长青'
];

type ExpertSeed = { name: string; workUnit: string; title: string; occupations: Occ[]; region: string; email: string };

/**
 * The expert pool. Units name departments, as the forms ask. 彭涛 works at an applying
 * institution (SAME_UNIT); 谢婷 also teaches for an applicant (LISTED_IN_APPLICATION);
 * 高俊 declares a conflict.
 */
const EXPERT_SEEDS: ExpertSeed[] = [
	{ name: '王立新', workUnit: '东北大学计算机科学与工程学院', title: '教授', occupations: ['ai', 'bigdata', 'blockchain'], region: 'shenyang', email: 'wanglixin@mail.neu.edu.cn' },
	{ name: '李晓峰', workUnit: '大连理工大学软件学院', title: '教授', occupations: ['ai', 'blockchain', 'cloud'], region: 'dalian', email: 'lixf@dlut.edu.cn' },
	{ name: '张海燕', workUnit: '沈阳工业大学信息科学与工程学院', title: '教授', occupations: ['smart-manufacturing', 'industrial-internet'], region: 'shenyang', email: 'zhanghy@sut.edu.cn' },
	{ name: '刘志强', workUnit: '辽宁省信息中心数据资源管理处', title: '正高级工程师', occupations: ['bigdata', 'cloud', 'digital-management'], region: 'shenyang', email: 'liuzq_ln@163.com' },
	{ name: '陈明', workUnit: '中国科学院沈阳自动化研究所机器人学研究室', title: '研究员', occupations: ['smart-manufacturing', 'ai', 'industrial-internet'], region: 'shenyang', email: 'chenming@sia.cn' },
	{ name: '赵雪梅', workUnit: '大连海事大学信息科学技术学院', title: '教授', occupations: ['iot', 'ai'], region: 'dalian', email: 'zhaoxm@dlmu.edu.cn' },
	{ name: '孙建国', workUnit: '辽宁大学信息学院', title: '教授', occupations: ['bigdata', 'digital-management', 'blockchain'], region: 'shenyang', email: 'sunjg@lnu.edu.cn' },
	{ name: '周文博', workUnit: '大连理工大学集成电路学院', title: '教授', occupations: ['ic'], region: 'dalian', email: 'zhouwb@dlut.edu.cn' },
	{ name: '吴丹', workUnit: '沈阳化工大学计算机科学与技术学院', title: '副教授', occupations: ['cloud', 'iot'], region: 'shenyang', email: 'wudan@syuct.edu.cn' },
	{ name: '郑宏伟', workUnit: '辽宁工程技术大学电子与信息工程学院', title: '教授', occupations: ['iot', 'industrial-internet'], region: 'fuxin', email: 'zhenghw@lntu.edu.cn' },
	{ name: '马丽娟', workUnit: '东北财经大学管理科学与工程学院', title: '教授', occupations: ['digital-management', 'bigdata', 'blockchain'], region: 'dalian', email: 'malijuan@dufe.edu.cn' },
	{ name: '杨帆', workUnit: '沈阳航空航天大学计算机学院', title: '副教授', occupations: ['vr', 'ai'], region: 'shenyang', email: 'yangfan@sau.edu.cn' },
	{ name: '朱振华', workUnit: '辽宁科技大学计算机与软件工程学院', title: '教授', occupations: ['smart-manufacturing', 'industrial-internet', 'digital-management'], region: 'anshan', email: 'zhuzh@ustl.edu.cn' },
	{ name: '胡春雷', workUnit: '辽宁省工业互联网创新中心平台技术部', title: '正高级工程师', occupations: ['industrial-internet', 'iot', 'cloud'], region: 'shenyang', email: 'huchunlei@126.com' },
	{ name: '林晓', workUnit: '大连东软信息学院数字艺术与设计学院', title: '副教授', occupations: ['vr', 'digital-management'], region: 'dalian', email: 'linxiao@neusoft.edu.cn' },
	{ name: '高俊', workUnit: '沈阳建筑大学计算机科学与工程学院', title: '副教授', occupations: ['vr', 'cloud'], region: 'shenyang', email: 'gaojun@sjzu.edu.cn' },
	{ name: '何静', workUnit: '渤海大学信息科学与技术学院', title: '教授', occupations: ['ic', 'iot'], region: 'jinzhou', email: 'hejing@bhu.edu.cn' },
	{ name: '罗成', workUnit: '东北大学信息科学与工程学院', title: '教授', occupations: ['ic', 'smart-manufacturing'], region: 'shenyang', email: 'luocheng@ise.neu.edu.cn' },
	{ name: '宋雅琴', workUnit: '辽宁石油化工大学信息与控制工程学院', title: '教授', occupations: ['industrial-internet', 'digital-management'], region: 'fushun', email: 'songyq@lnpu.edu.cn' },
	{ name: '许志刚', workUnit: '大连大学信息工程学院', title: '副教授', occupations: ['blockchain', 'cloud', 'bigdata'], region: 'dalian', email: 'xuzhigang@dlu.edu.cn' },
	{ name: '韩冰', workUnit: '沈阳理工大学自动化与电气工程学院', title: '教授', occupations: ['smart-manufacturing', 'iot'], region: 'shenyang', email: 'hanbing@sylu.edu.cn' },
	{ name: '冯磊', workUnit: '大连华芯半导体技术有限公司研发中心', title: '正高级工程师', occupations: ['ic'], region: 'dalian', email: 'fenglei_dl@163.com' },
	{ name: '邓晓光', workUnit: '辽宁工业大学电子与信息工程学院', title: '教授', occupations: ['ic', 'ai', 'vr'], region: 'jinzhou', email: 'dengxg@lnut.edu.cn' },
	{ name: '曹颖', workUnit: '大连交通大学软件学院', title: '副教授', occupations: ['vr', 'blockchain'], region: 'dalian', email: 'caoying@djtu.edu.cn' },
	{ name: '彭涛', workUnit: '大连云帆智能科技有限公司人工智能研究院', title: '高级工程师', occupations: ['ai', 'vr'], region: 'dalian', email: 'pengtao@yunfan-ai.com.cn' },
	{ name: '谢婷', workUnit: '沈阳大学信息工程学院', title: '副教授', occupations: ['cloud', 'bigdata'], region: 'shenyang', email: 'xieting@syu.edu.cn' },
	{ name: '唐伟', workUnit: '辽宁省智能制造产业研究院系统集成部', title: '正高级工程师', occupations: ['smart-manufacturing', 'industrial-internet'], region: 'shenyang', email: 'tangwei_sy@126.com' },
	{ name: '钱永明', workUnit: '辽宁大学物理学院', title: '教授', occupations: ['ic'], region: 'shenyang', email: 'qianym@lnu.edu.cn' }
];
export const DEMO_EXPERT_COUNT = EXPERT_SEEDS.length;
const expertId = (i: number) => `exp-${String(i + 1).padStart(2, '0')}`;
const SAME_UNIT_EXPERT = '彭涛';
const LISTED_EXPERT = '谢婷';
const DECLARING_EXPERT = '高俊';
export const DEMO_DECLARATION_REASON = '近三年曾在该单位兼职授课';

/** Work units of part-time teachers and question setters: departments not used by any expert. */
const EXTERNAL_UNITS = [
	'沈阳理工大学信息科学与工程学院',
	'大连工业大学信息科学与工程学院',
	'沈阳师范大学软件学院',
	'辽宁石油化工大学计算机与通信工程学院',
	'大连民族大学计算机科学与工程学院',
	'沈阳农业大学信息与电气工程学院',
	'东北大学软件学院',
	'大连理工大学计算机科学与技术学院',
	'辽宁师范大学计算机与人工智能学院',
	'辽东学院信息工程学院',
	'营口理工学院电气工程学院',
	'沈阳城市建设学院信息与控制工程学院',
	'渤海大学控制科学与工程学院',
	'大连外国语大学软件学院',
	'辽宁机电职业技术学院信息工程学院',
	'沈阳航空航天大学自动化学院',
	'辽宁科技学院电气与自动化工程学院',
	'辽宁工业大学机械工程与自动化学院',
	'沈阳工业大学软件学院',
	'大连海洋大学信息工程学院',
	'沈阳化工大学信息工程学院',
	'辽宁省科学技术情报研究所信息服务部'
];

const UNIVERSITIES = ['东北大学', '大连理工大学', '沈阳工业大学', '辽宁大学', '大连海事大学', '沈阳航空航天大学', '辽宁工程技术大学', '辽宁科技大学', '沈阳理工大学', '大连交通大学'];

/* ------------------------------------------------------------------ occupation vocabulary */

type OccInfo = {
	topics: string[];
	specialties: string[];
	suffixes: string[];
	industries: string[];
	otherCertificate: string;
	industryCodes: string[];
};

const OCC: Record<Occ, OccInfo> = {
	ai: {
		topics: ['机器学习基础', '深度学习框架应用', '计算机视觉', '自然语言处理', '智能语音技术', '大模型应用开发', '数据标注与模型训练'],
		specialties: ['计算机科学与技术', '人工智能', '软件工程', '模式识别与智能系统', '数据科学与大数据技术'],
		suffixes: ['智能科技有限公司', '人工智能技术有限公司'],
		industries: ['装备制造', '智慧医疗', '金融服务', '政务服务', '现代物流'],
		otherCertificate: '人工智能应用工程师专业能力证书',
		industryCodes: ['I65', 'I64', 'M75']
	},
	iot: {
		topics: ['物联网感知技术', '无线传感网络', '嵌入式系统开发', '物联网平台应用', '智能家居系统集成', '物联网安全'],
		specialties: ['物联网工程', '通信工程', '电子信息工程', '计算机科学与技术', '嵌入式系统'],
		suffixes: ['物联网科技有限公司', '信息技术有限公司'],
		industries: ['智慧城市', '现代农业', '能源电力', '交通运输', '智能家居'],
		otherCertificate: '物联网系统集成工程师专业能力证书',
		industryCodes: ['I65', 'I63', 'C39']
	},
	bigdata: {
		topics: ['Hadoop生态与分布式存储', 'Spark数据处理', '数据仓库建设', '数据可视化', '数据治理', 'Python数据分析'],
		specialties: ['数据科学与大数据技术', '统计学', '计算机科学与技术', '软件工程', '信息管理与信息系统'],
		suffixes: ['数据科技有限公司', '大数据服务有限公司'],
		industries: ['金融服务', '电子商务', '政务服务', '医疗健康', '石油化工'],
		otherCertificate: '大数据分析工程师专业能力证书',
		industryCodes: ['I65', 'I64']
	},
	cloud: {
		topics: ['云计算架构', '虚拟化技术', '容器与Kubernetes', '云原生应用开发', '云安全', '混合云运维'],
		specialties: ['计算机科学与技术', '网络工程', '软件工程', '信息安全', '云计算技术与应用'],
		suffixes: ['云计算科技有限公司', '网络科技有限公司'],
		industries: ['软件和信息服务', '金融服务', '政务服务', '电子商务', '文化传媒'],
		otherCertificate: '云计算运维工程师专业能力证书',
		industryCodes: ['I65', 'I64', 'I63']
	},
	'smart-manufacturing': {
		topics: ['智能制造系统集成', '工业机器人应用', '数字孪生', 'MES系统实施', 'PLC与运动控制', '智能产线运维'],
		specialties: ['机械工程', '机械电子工程', '自动化', '工业工程', '智能制造工程'],
		suffixes: ['智能装备有限公司', '工业技术有限公司'],
		industries: ['装备制造', '汽车及零部件', '冶金', '石油化工', '航空制造'],
		otherCertificate: '智能制造系统集成工程师专业能力证书',
		industryCodes: ['C34', 'C35', 'M75']
	},
	'industrial-internet': {
		topics: ['工业互联网平台应用', '工业数据采集', '边缘计算', '标识解析技术', '工业网络安全', 'OPC UA与现场总线'],
		specialties: ['自动化', '控制科学与工程', '网络工程', '通信工程', '工业工程'],
		suffixes: ['工业互联网科技有限公司', '自动化技术有限公司'],
		industries: ['冶金', '石油化工', '装备制造', '能源电力', '汽车及零部件'],
		otherCertificate: '工业互联网实施工程师专业能力证书',
		industryCodes: ['I65', 'I64', 'M75']
	},
	vr: {
		topics: ['三维建模', 'Unity引擎开发', '虚拟仿真设计', '增强现实应用', '人机交互设计', 'VR内容制作'],
		specialties: ['数字媒体技术', '虚拟现实技术', '计算机科学与技术', '动画', '软件工程'],
		suffixes: ['虚拟现实技术有限公司', '数字科技有限公司'],
		industries: ['文化旅游', '教育培训', '装备制造', '医疗健康', '建筑设计'],
		otherCertificate: '虚拟现实应用开发工程师专业能力证书',
		industryCodes: ['I65', 'R86']
	},
	blockchain: {
		topics: ['区块链原理', '智能合约开发', '联盟链部署与运维', '密码学基础', '分布式账本应用', '区块链安全'],
		specialties: ['信息安全', '密码学', '计算机科学与技术', '软件工程', '金融科技'],
		suffixes: ['区块链技术有限公司', '信息技术有限公司'],
		industries: ['金融服务', '供应链管理', '政务服务', '跨境贸易', '能源电力'],
		otherCertificate: '区块链应用工程师专业能力证书',
		industryCodes: ['I65', 'I64']
	},
	ic: {
		topics: ['数字集成电路设计', '模拟集成电路设计', 'Verilog硬件描述语言', '集成电路版图设计', '芯片验证', '封装与测试'],
		specialties: ['微电子科学与工程', '集成电路设计与集成系统', '电子科学与技术', '电子信息工程', '物理学'],
		suffixes: ['集成电路技术有限公司', '微电子科技有限公司'],
		industries: ['半导体装备', '电子元器件', '汽车电子', '通信设备', '工业控制'],
		otherCertificate: '集成电路设计工程师专业能力证书',
		industryCodes: ['C39', 'I65', 'M75']
	},
	'digital-management': {
		topics: ['数字化转型规划', '业务流程数字化', '数据驱动决策', '企业数字化运营', '数字化项目管理', '组织数字化变革'],
		specialties: ['管理科学与工程', '工商管理', '信息管理与信息系统', '企业管理', '会计学'],
		suffixes: ['企业管理咨询有限公司', '数字科技有限公司'],
		industries: ['装备制造', '商贸流通', '石油化工', '现代服务', '农产品加工'],
		otherCertificate: '企业数字化管理师专业能力证书',
		industryCodes: ['L72', 'I65', 'M75']
	}
};

/** 字号 (trade names) with a romanization for web addresses; 云帆 is reserved for the same-unit case. */
const TRADES: [string, string][] = [
	['新锐', 'xinrui'], ['智联', 'zhilian'], ['华辰', 'huachen'], ['博远', 'boyuan'], ['启航', 'qihang'], ['恒信', 'hengxin'],
	['睿达', 'ruida'], ['天元', 'tianyuan'], ['鼎新', 'dingxin'], ['北辰', 'beichen'], ['海川', 'haichuan'], ['卓然', 'zhuoran'],
	['明德', 'mingde'], ['格物', 'gewu'], ['致远', 'zhiyuan'], ['众创', 'zhongchuang'], ['瀚海', 'hanhai'], ['星河', 'xinghe'],
	['朗润', 'langrun'], ['嘉禾', 'jiahe'], ['远航', 'yuanhang'], ['同创', 'tongchuang'], ['汇智', 'huizhi'], ['思源', 'siyuan'],
	['和信', 'hexin'], ['盛景', 'shengjing'], ['弘毅', 'hongyi'], ['宏图', 'hongtu'], ['凌云', 'lingyun'], ['竞成', 'jingcheng'],
	['融信', 'rongxin'], ['祥瑞', 'xiangrui'], ['新航', 'xinhang'], ['澜海', 'lanhai'], ['智卓', 'zhizhuo'], ['天启', 'tianqi'],
	['蓝鲸', 'lanjing'], ['金桥', 'jinqiao'], ['青松', 'qingsong'], ['云图', 'yuntu'], ['数联', 'shulian'], ['数创', 'shuchuang'],
	['芯辰', 'xinchen'], ['知行', 'zhixing'], ['安泰', 'antai'], ['华拓', 'huatuo'], ['博睿', 'borui'], ['科瑞', 'kerui'],
	['鑫诚', 'xincheng'], ['正元', 'zhengyuan'], ['广域', 'guangyu'], ['东朔', 'dongshuo'], ['辽海', 'liaohai'], ['锦程', 'jincheng'],
	['翰林', 'hanlin'], ['沃德', 'wode'], ['拓维', 'tuowei'], ['聚源', 'juyuan'], ['凯瑞', 'kairui'], ['泓达', 'hongda']
];

const ASSOCIATION_NAMES: Record<string, [string, string]> = {
	shenyang: ['沈阳市数字技能人才发展促进会', 'sydsa'],
	dalian: ['大连市数智产业人才服务协会', 'dlszrc'],
	panjin: ['盘锦市企业数字化应用促进会', 'pjqyszh']
};
const PUBLIC_NAMES: Record<string, [string, string]> = {
	anshan: ['鞍山市数字技能公共实训中心', 'assxzx'],
	jinzhou: ['锦州市数字技术人才评价服务中心', 'jzszpj']
};

/* ------------------------------------------------------------------ small helpers */

type Ctx = {
	rng: Rng;
	usedPhones: Set<string>;
	reservedNames: Set<string>;
};

const MOBILE_PREFIXES = ['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '155', '156', '158', '159', '177', '180', '182', '186', '187', '188', '189', '199'];

function mobile(c: Ctx): string {
	for (;;) {
		const p = c.rng.pick(MOBILE_PREFIXES) + String(c.rng.int(0, 99999999)).padStart(8, '0');
		if (!c.usedPhones.has(p)) {
			c.usedPhones.add(p);
			return p;
		}
	}
}

function personName(c: Ctx): string {
	for (;;) {
		const n = c.rng.pick(SURNAMES) + c.rng.pick(GIVEN_NAMES);
		if (!c.reservedNames.has(n)) return n;
	}
}

function pad2(n: number): string {
	return String(n).padStart(2, '0');
}

function randomDate(rng: Rng, from: string, to: string): string {
	const a = Date.UTC(+from.slice(0, 4), +from.slice(5, 7) - 1, +from.slice(8, 10));
	const b = Date.UTC(+to.slice(0, 4), +to.slice(5, 7) - 1, +to.slice(8, 10));
	const d = new Date(a + rng.int(0, Math.round((b - a) / 86400000)) * 86400000);
	return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Appends sentences in order while the text stays within `target` characters (never over `limit`). */
function compose(first: string, rest: string[], last: string | null, target: number, limit: number): string {
	const cap = Math.min(target, limit);
	const lastLen = last ? countChars(last) : 0;
	let text = first;
	for (const s of rest) {
		if (countChars(text + s) + lastLen <= cap) text += s;
	}
	if (last && countChars(text + last) <= limit) text += last;
	return text;
}

/** GB 11714 check character of the 9-character organization code inside a USCC. */
function orgCodeCheck(first8: string): string {
	const w = [3, 7, 9, 10, 5, 8, 4, 2];
	let sum = 0;
	for (let i = 0; i < 8; i++) {
		const ch = first8[i];
		const v = /\d/.test(ch) ? Number(ch) : ch.charCodeAt(0) - 55;
		sum += v * w[i];
	}
	const c = 11 - (sum % 11);
	return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

function makeUscc(rng: Rng, unit: UnitKind, division: string, founded: string): string {
	const head = unit === 'association' ? '51' : unit === 'private-non-enterprise' ? '52' : unit === 'public-institution' ? '12' : '91';
	let body: string;
	if (head === '91' && founded >= '2015-10-01') {
		const letters = USCC_CHARSET.slice(10);
		body = 'MA' + Array.from({ length: 6 }, () => rng.pick([...USCC_CHARSET.slice(0, 10), ...letters])).join('');
	} else {
		body = Array.from({ length: 8 }, () => String(rng.int(0, 9))).join('');
	}
	const first17 = head + division + body + orgCodeCheck(body);
	return first17 + usccCheckChar(first17);
}

function makeIdNumber(rng: Rng, division: string): string {
	const birth = randomDate(rng, '1963-01-01', '1986-12-31').replaceAll('-', '');
	const first17 = division + birth + String(rng.int(0, 999)).padStart(3, '0');
	return first17 + idCheckChar(first17);
}

/** The same ID number with a wrong check character. */
function breakCheckChar(id: string): string {
	const chars = '0123456789X';
	const good = id[17];
	return id.slice(0, 17) + chars[(chars.indexOf(good) + 3) % chars.length];
}

/* ------------------------------------------------------------------ institutions */

type InstInfo = {
	inst: Institution;
	unit: UnitKind;
	trade: string;
	domain: string;
	place: Place;
	district: District;
	foundedYear: number;
	staff: number;
};

function buildInstitution(c: Ctx, id: string, row: PlanRow, trade: [string, string], occs: Occ[]): InstInfo {
	const rng = c.rng;
	const place = PLACES[row.region];
	const district = rng.pick(place.districts);
	const unit: UnitKind = row.unit ?? rng.weighted<UnitKind>([['private', 6], ['enterprise', 4]]);
	let name: string;
	let slug: string;
	if (row.name) {
		name = row.name;
		slug = 'yunfan-ai';
	} else if (unit === 'association') {
		[name, slug] = ASSOCIATION_NAMES[row.region];
	} else if (unit === 'public-institution') {
		[name, slug] = PUBLIC_NAMES[row.region];
	} else if (unit === 'private-non-enterprise') {
		name = `${place.city}${district.name}${trade[0]}职业技能培训学校`;
		slug = `${trade[1]}px`;
	} else {
		const prefix = rng.chance(0.25) ? '辽宁' : place.prefix;
		const suffix = occs.length > 1 ? rng.pick(['数字科技有限公司', '信息技术有限公司', '教育科技有限公司']) : rng.pick(OCC[occs[0]].suffixes);
		name = `${prefix}${trade[0]}${suffix}`;
		slug = trade[1];
	}
	const founded =
		row.issue === 'founded-late' ? randomDate(rng, '2020-03-01', '2020-08-31') : randomDate(rng, '2003-01-01', '2018-09-30');
	const foundedYear = Number(founded.slice(0, 4));
	const street = rng.pick(district.streets);
	const address = `${place.city}${district.name}${street}${rng.int(1, 388)}号${rng.chance(0.4) ? `${rng.pick(['A', 'B', 'C'])}座${rng.int(2, 18)}层` : ''}`;
	const division = rng.chance(0.2) && row.region !== 'shenfu' ? district.code.slice(0, 4) + '00' : district.code;
	const idDivision = rng.chance(0.7) ? district.code : rng.pick(['210102', '210202', '210302', '210402', '210602', '210702', '211002', '220102', '230102', '130102']);
	let idNumber = makeIdNumber(rng, idDivision);
	if (row.issue === 'bad-legal-rep-id') idNumber = breakCheckChar(idNumber);
	const isCompany = unit === 'private' || unit === 'enterprise';
	const staff = isCompany ? rng.int(35, 420) : rng.int(18, 90);
	const industry =
		unit === 'association'
			? 'S95'
			: unit === 'public-institution'
				? 'P83'
				: unit === 'private-non-enterprise'
					? 'P83'
					: rng.pick(OCC[occs[0]].industryCodes);
	const taxBase = isCompany ? rng.step(20, 260, 0.01) : rng.step(2, 30, 0.01);
	const taxes = [2020, 2021, 2022].map((year, k) => ({
		year,
		amount: round2(taxBase * (0.75 + 0.12 * k + rng.next() * 0.15) * (year < foundedYear ? 0 : 1)),
		dishonest: false
	}));
	if (row.issue === 'founded-late') taxes[0].amount = round2(taxBase * 0.25);
	const inst: Institution = {
		id,
		name,
		uscc: makeUscc(rng, unit, division, founded),
		legalRep: { name: personName(c), idNumber },
		address,
		unitType: unit,
		industry,
		registeredCapital: isCompany ? rng.step(100, 5000, 50) : rng.step(3, 300, 1),
		employees: staff,
		founded,
		taxes,
		bases: {
			nationalCE: rng.chance(0.08),
			industryCE: rng.chance(0.3),
			provincialCE: rng.chance(0.35),
			standardDeveloper: rng.chance(0.08)
		}
	};
	// Associations and public institutions have no trade name: their own name stands in for it.
	const short = unit === 'association' || unit === 'public-institution' ? name : trade[0];
	return { inst, unit, trade: short, domain: `${slug}.com.cn`, place, district, foundedYear, staff };
}

/* ------------------------------------------------------------------ narratives */

const TYPE_WORD: Record<Type, string> = { training: '培训', evaluation: '考核评价' };
const LEVEL_LABEL: Record<string, string> = { junior: '初级', intermediate: '中级', senior: '高级' };

type Facts = {
	info: InstInfo;
	row: PlanRow;
	occ: Occ;
	type: Type;
	topics: string[];
	levels: string[];
	sum5: number;
	independent5: number;
	latest: number;
	own5: number;
	teamTotal: number;
	fullTime: number;
	partTime: number;
	assessors: number;
	supervisors: number;
	settersCount: number;
	planned: Record<string, number | null>;
	fees: Record<string, number | null>;
	platformName: string;
	url: string;
	ownPlatform: boolean;
	certificate: string;
};

function kindOf(unit: UnitKind, rng: Rng): string {
	switch (unit) {
		case 'private-non-enterprise':
			return '民办职业培训机构';
		case 'association':
			return '行业社会组织';
		case 'public-institution':
			return '公益性事业单位';
		default:
			return rng.pick(['科技型企业', '高新技术企业', '民营科技企业']);
	}
}

function registrar(info: InstInfo): string {
	if (info.unit === 'association' || info.unit === 'private-non-enterprise') return `${info.place.city}民政局`;
	if (info.unit === 'public-institution') return `${info.place.city}事业单位登记管理局`;
	return `${info.place.city}市场监督管理局`;
}

function overviewText(f: Facts, rng: Rng): string {
	const { inst } = f.info;
	const city = f.info.place.city;
	const occ = occupationShort(f.occ);
	const tw = TYPE_WORD[f.type];
	const kind = kindOf(f.info.unit, rng);
	const company = f.info.unit === 'private' || f.info.unit === 'enterprise';
	const biz = rng
		.sample(
			company
				? ['软件开发', '系统集成', '技术咨询', '人才培训', '职业能力评价', '技术服务', '数字化解决方案']
				: ['行业服务', '人才培训', '职业能力评价', '技术交流', '标准研制', '咨询服务'],
			3
		)
		.join('、');
	const [ind1, ind2] = rng.sample(OCC[f.occ].industries, 2);
	const [t1, t2, t3] = f.topics;
	const intro = rng.pick([
		`${inst.name}成立于${f.info.foundedYear}年${Number(inst.founded!.slice(5, 7))}月，注册资金${inst.registeredCapital}万元，现有正式员工${inst.employees}人，是${city}较早从事数字技术领域专业技术人员继续教育和职业培训的${kind}。`,
		`${inst.name}于${f.info.foundedYear}年在${city}注册成立，是一家集${biz}于一体的${kind}，现有正式员工${inst.employees}人，其中本科及以上学历人员占比${rng.int(62, 93)}%。`,
		`${inst.name}始建于${f.info.foundedYear}年，注册资金${inst.registeredCapital}万元，长期深耕${occ}领域，主营业务涵盖${biz}，现有正式员工${inst.employees}人。`,
		`本单位全称为${inst.name}，${f.info.foundedYear}年经${registrar(f.info)}登记成立，注册资金${inst.registeredCapital}万元，现有员工${inst.employees}人，办公及实训场地位于${city}${f.info.district.name}。`
	]);
	const business = rng.shuffle([
		`单位围绕${occ}产业人才需求，开发了${t1}、${t2}、${t3}等系列课程，形成了覆盖初级、中级、高级的课程体系和配套实训项目。`,
		`近年来，单位与${rng.int(2, 12) * 10}余家本地企业建立了人才培养合作关系，为${ind1}、${ind2}等行业累计输送${occ}技术人才${rng.int(3, 18) * 100}余人次。`,
		f.type === 'training'
			? `单位先后承担了${city}专业技术人员知识更新工程、数字技能提升行动等多个培训项目，在${occ}领域积累了较为丰富的项目实施经验。`
			: `单位先后承担了${city}职业技能等级认定、专业能力评价等多个考核评价项目，在${occ}领域积累了较为丰富的考务组织经验。`,
		`单位设有${rng.sample(['培训部', '教学部', '考务部', '课程研发中心', '技术研发中心', '综合办公室', '市场部'], 3).join('、')}等部门，建立了从需求调研、方案设计、组织实施到效果评估的全流程工作机制。`,
		company
			? `单位拥有软件著作权${rng.int(6, 48)}项、发明专利${rng.int(1, 9)}项，多项技术成果已在${ind1}企业落地应用，为${tw}工作提供了真实项目案例。`
			: `单位每年组织${occ}领域技术交流和人才供需对接活动${rng.int(4, 20)}场，联系会员及合作企业${rng.int(8, 40) * 10}余家。`,
		`单位与${rng.pick(UNIVERSITIES)}等高校开展校企合作，共建${occ}联合实验室，推动产教融合、校企协同育人。`
	]);
	const bases = inst.bases!;
	const standing: string[] = [];
	if (bases.nationalCE) standing.push('单位是国家级专业技术人员继续教育基地，承担过人力资源社会保障部组织的高级研修和急需紧缺人才培养项目。');
	if (bases.industryCE)
		standing.push(`单位被认定为${rng.pick(['电子信息', '软件和信息服务', '装备制造', '通信'])}行业专业技术人员继续教育基地，每年面向行业开展继续教育培训。`);
	if (bases.provincialCE) {
		const since = Math.min(Math.max(f.info.foundedYear + 2, 2016), 2022);
		standing.push(`单位于${since}年被认定为辽宁省专业技术人员继续教育基地，历次考核评估结果为良好以上。`);
	}
	if (bases.standardDeveloper) standing.push(`单位作为起草单位之一参与了《${occupationLabel(f.occ)}国家职业标准》的开发工作，对职业能力要求有深入理解。`);
	standing.push(
		rng.pick([
			`单位先后获得${city}优秀职业培训机构、辽宁省中小企业公共服务示范平台等荣誉称号，在本地区${occ}领域具有较高的认可度。`,
			`单位是${city}${occ}产业联盟成员单位，多次承办市级${occ}职业技能竞赛和技术交流活动。`,
			`单位${tw}结果得到用人单位普遍认可，${f.type === 'training' ? '学员' : '考生'}所在企业回访满意度保持在${rng.int(90, 98)}%以上。`
		])
	);
	const advantages = rng.shuffle([
		`单位优势主要体现在三个方面：一是产教融合基础扎实，${tw}内容紧贴企业真实项目；二是师资力量雄厚，专兼职结合、结构合理；三是场地设施完备，能够满足线上线下相结合的工作需要。`,
		f.type === 'training'
			? `单位现有${occ}实训室${rng.int(2, 9)}间，配备实训设备和教学软件${rng.int(60, 400)}台套，可同时容纳${rng.int(8, 40) * 10}人开展实操训练。`
			: `单位现有标准化考场${rng.int(2, 9)}间、${occ}实操考核工位${rng.int(40, 300)}个，配备身份核验和视频监控设备。`,
		'单位建有规范的财务管理制度、业务管理制度和档案管理制度，近三年依法纳税，社会信用良好，无违法、失信和重大经济纠纷记录。',
		`单位注重数字化资源建设，自主开发在线课程${rng.int(12, 80)}门、实训案例${rng.int(20, 150)}个，形成了可复制推广的${occ}人才培养方案。`,
		`单位长期服务${city}及周边地区企业，熟悉本地产业结构和人才需求，能够根据企业需要开展订单式、定制化${tw}。`,
		`单位配有专职工作人员${rng.int(6, 30)}人，负责${tw}组织实施、${f.type === 'training' ? '学员' : '考生'}服务和质量跟踪。`
	]);
	const closing = rng.pick([
		`本单位自愿申报${occupationLabel(f.occ)}${f.type === 'training' ? '培训' : '评价'}机构，愿意接受人力资源社会保障部门的监督管理。`,
		`如获批准，单位将严格按照项目实施办法要求，规范开展${occ}${tw}工作，为全省数字技术人才自主培养贡献力量。`,
		`单位将以此次申报为契机，进一步加大投入，持续提升${tw}质量和服务水平。`
	]);
	const body = [business[0], business[1], ...standing, advantages[0], business[2], advantages[1], advantages[2], business[3], advantages[3], business[4], advantages[4], business[5], advantages[5]];
	return compose(intro, body, closing, rng.int(340, 780), 800);
}

function platformText(f: Facts, rng: Rng): string {
	const occ = occupationShort(f.occ);
	if (!f.ownPlatform) {
		return compose(
			`单位目前依托第三方在线教育平台开展线上${TYPE_WORD[f.type]}，已开通机构专属空间（网址：${f.url}），具备直播、点播和在线测试功能。`,
			[
				f.type === 'training'
					? `平台已上线${occ}相关课程${rng.int(8, 30)}门，学员可通过电脑端和手机端学习。`
					: '平台支持在线报名、线上考试和成绩查询，考生可通过电脑端和手机端参加理论考试。',
				'学习记录和测试成绩可按批次导出，便于归档和监督检查。',
				'单位自有平台正在建设中，预计年内上线试运行。'
			],
			null,
			rng.int(110, 260),
			300
		);
	}
	if (f.type === 'training') {
		return compose(
			`单位自主建设了“${f.platformName}”（网址：${f.url}），具备课程点播、直播授课、在线练习、考试测评和学习档案管理等功能，可同时支持${rng.int(5, 50) * 100}人在线学习。`,
			rng.shuffle([
				`平台已上线${occ}相关课程${rng.int(20, 120)}门、共${rng.int(30, 200) * 10}学时，配套在线实训环境和练习题库。`,
				'平台支持人脸识别签到、学习轨迹记录和学时自动统计，培训数据可按项目导出。',
				'平台采用云端部署，已通过网络安全等级保护二级测评，数据每日备份。'
			]),
			null,
			rng.int(150, 290),
			300
		);
	}
	return compose(
		`单位建有“${f.platformName}”（网址：${f.url}），支持在线报名、资格审核、随机组卷、线上考试、远程监考、成绩查询和电子证书查验等功能。`,
		rng.shuffle([
			`平台题库现有${occ}相关试题${rng.int(20, 120) * 100}道，按初级、中级、高级分级管理，支持按考核方案自动组卷。`,
			'考试过程全程视频监控并留存录像，异常行为自动预警，确保考核公平公正。',
			'平台采用云端部署，已通过网络安全等级保护二级测评，考生数据加密存储。'
		]),
		null,
		rng.int(150, 290),
		300
	);
}

function pastWorkText(f: Facts, rng: Rng): string {
	const occ = occupationShort(f.occ);
	const city = f.info.place.city;
	const since = f.row.issue === 'founded-late' ? '成立以来' : '近五年';
	const [ind1, ind2] = rng.sample(OCC[f.occ].industries, 2);
	if (f.type === 'training') {
		const [t1, t2, t3] = f.topics;
		return compose(
			`${since}，单位在${occ}领域累计开展培训${f.sum5}人次，其中独立培训${f.independent5}人次，2022年培训${f.latest}人次。`,
			rng.shuffle([
				`培训课程主要包括${t1}、${t2}、${t3}等，单期课程${rng.int(3, 6) * 8}至${rng.int(8, 16) * 8}学时，采取线上理论学习与线下实操训练相结合的方式。`,
				`培训对象主要为${city}及周边地区${ind1}、${ind2}等行业企业的技术人员，以及高校相关专业毕业生。`,
				`单位制定了《学员考勤管理办法》《培训质量评估办法》《培训档案管理制度》等规章制度，实行签到签退和学时记录，每期培训结束后开展满意度调查，学员满意度均在${rng.int(90, 97)}%以上。`,
				`针对企业需求，单位开展了${rng.int(6, 40)}期企业定制班，结业考核合格率达到${rng.int(86, 98)}%。`,
				'疫情期间，单位及时将部分课程转为线上直播，保证了培训工作的连续性。',
				`培训结束后，单位对学员进行${rng.int(3, 12)}个月的跟踪回访，收集用人单位反馈并用于课程改进。`
			]),
			null,
			rng.int(220, 490),
			500
		);
	}
	return compose(
		`${since}，单位累计开展${occ}相关考核评价${f.sum5}人次，${f.own5 === f.sum5 ? '颁发的均为自有证书' : `其中自有证书${f.own5}本`}，2022年颁证${f.latest}本。`,
		rng.shuffle([
			'考核采取理论知识考试与专业能力实操考核相结合的方式，理论考试实行机考，实操考核由考评员现场评分、督导员全程督导。',
			'单位制定了《考务管理办法》《试题保密管理制度》《考评人员回避制度》《证书管理办法》等规章制度，试卷实行专人保管、双人交接，考试全程录像。',
			'证书实行统一编号、网上查验，考核档案保存期限不少于五年。',
			`单位在${city}设有考核站点${rng.int(2, 8)}个，可满足${rng.int(10, 50) * 10}人同时参加考核。`,
			'近三年未发生考试安全事故和证书管理违规问题，考生和用人单位对考核的公信力评价较高。',
			`考生主要来自${ind1}、${ind2}等行业企业，考核结果已被多家用人单位用于岗位聘任和技术等级评定。`
		]),
		null,
		rng.int(220, 490),
		500
	);
}

function teamText(f: Facts, rng: Rng): string {
	if (f.type === 'training') {
		return compose(
			`单位现有师资团队${f.teamTotal}人，其中专职师资${f.fullTime}人、兼职师资${f.partTime}人，高级职称人员占比${rng.int(30, 65)}%。`,
			rng.shuffle([
				`兼职教师主要从${rng.pick(UNIVERSITIES)}等高校和本地骨干企业聘请，实行聘任合同管理，聘期两年。`,
				'单位建立了师资准入、年度考核和退出机制，新入职教师须经过试讲和教学能力评估后方可授课。',
				'实行课酬与教学质量评价挂钩的激励机制，对学员评价优秀的教师给予奖励，并在进修学习等方面给予支持。',
				`每年组织专职教师参加不少于${rng.int(4, 12) * 10}学时的专业技术培训和企业实践，提升实践教学能力。`,
				'针对专兼职结构，单位逐步提高专职教师比例，同时吸纳企业一线工程师担任实训指导教师。',
				`单位组建了${rng.int(2, 6)}个课程研发小组，由资深教师牵头开展教学研究和教材编写。`
			]),
			null,
			rng.int(200, 490),
			500
		);
	}
	return compose(
		`单位现有考评团队${f.teamTotal}人，其中考评员${f.assessors}人、督导员${f.supervisors}人，均具有相关专业中级及以上职称或五年以上从业经历。`,
		rng.shuffle([
			`命题专家团队由来自${rng.pick(UNIVERSITIES)}等高校、科研院所和行业企业的${f.settersCount + rng.int(2, 12)}名专家组成，负责题库建设和考核方案审定。`,
			`考评员、督导员上岗前须参加不少于${rng.int(2, 6) * 8}学时的岗前培训并考核合格，每年参加业务培训和考评能力复核。`,
			'单位实行考评人员回避和轮换制度，同一考评员连续在同一考点任职不超过两次。',
			'建立了考评员绩效评价和退出机制，对违规考评人员取消考评资格。',
			`单位计划每年新增培养考评员${rng.int(5, 30)}人，逐步优化考评队伍的年龄和专业结构。`
		]),
		null,
		rng.int(200, 490),
		500
	);
}

function listText(f: Facts, values: Record<string, number | null>, unit: string): string {
	return f.levels.map((l) => `${LEVEL_LABEL[l]}${values[l]}${unit}`).join('、');
}

function planText(f: Facts, rng: Rng): string {
	const occ = occupationShort(f.occ);
	const label = occupationLabel(f.occ);
	const city = f.info.place.city;
	if (f.type === 'training') {
		return compose(
			`下一步，单位将围绕${label}国家职业标准，完善分级培训课程体系，面向${city}及全省重点产业开展分级分类培训。`,
			[
				`计划年度培训${listText(f, f.planned, '人次')}，采取线上学习与线下集中实训相结合的方式，线下实训不低于总学时的${rng.int(3, 6) * 10}%。`,
				`培训费用按照课程开发、师资课酬、场地设备和平台运维等成本测算，${listText(f, f.fees, '元/学时')}，不高于本地区同类培训平均水平。`,
				...rng.shuffle([
					'质量管控方面，单位将严格执行考勤、学时记录和结业考核制度，每期培训开展学员满意度评价和用人单位回访，建立培训质量年度报告制度。',
					'师资培训方面，每年选派专职教师参加国家和省级师资研修，邀请企业专家参与课程开发和授课。',
					`学习资源开发方面，计划两年内新开发${occ}在线课程${rng.int(8, 40)}门、实训案例${rng.int(20, 100)}个，编写配套讲义和实训手册。`,
					`条件保障方面，单位将新增实训设备${rng.int(20, 200)}台套，扩建实训场地${rng.int(10, 80) * 10}平方米，并安排专项经费保障培训工作开展。`,
					'同时，单位将加强与行业企业和高校的合作，推动培训成果与岗位需求、职称评审相衔接。'
				])
			],
			null,
			rng.int(320, 780),
			800
		);
	}
	return compose(
		`下一步，单位将依据${label}国家职业标准，制定分级考核方案，规范开展专业技术等级考核评价工作。`,
		[
			`计划年度考核${listText(f, f.planned, '人次')}，考核费用按照命题组卷、考务组织、考评员劳务和场地设备等成本测算，${listText(f, f.fees, '元/次')}。`,
			...rng.shuffle([
				`考核站点建设方面，计划在现有站点基础上新建${rng.int(2, 6)}个标准化考核站点，配备视频监控和身份核验设备。`,
				`题库建设方面，组织命题专家开发理论知识试题${rng.int(20, 80) * 100}道、实操考核项目${rng.int(20, 90)}个，实行题库动态更新。`,
				'质量管控方面，严格执行考务管理、试题保密和考评人员回避制度，督导员全程督导，考核结果经集体审核后公示。',
				`考评队伍建设方面，每年组织考评员和督导员培训不少于${rng.int(3, 8) * 8}学时，建立考评质量评估机制。`,
				`单位将加强与${occ}领域用人单位的沟通，推动考核结果在人才选拔、岗位聘任等方面的应用。`
			])
		],
		null,
		rng.int(320, 780),
		800
	);
}

function recommendationText(f: Facts, rng: Rng): string {
	const occ = occupationShort(f.occ);
	const city = f.info.place.city;
	const tw = TYPE_WORD[f.type];
	const kind = f.type === 'training' ? '培训机构' : '评价机构';
	return rng.pick([
		`经审核，该单位申报材料齐全、内容真实，符合申报条件。该单位在${city}${occ}领域具有较强的影响力和认可度，是本地区专业技术人员继续教育体系的重要组成部分，同意推荐。`,
		`该单位社会信用良好，${tw}规模较大，${f.type === 'training' ? '师资' : '考评'}队伍稳定，场地设施能够满足需要。经我局审核评议，同意推荐其申报${occupationLabel(f.occ)}${kind}。`,
		`经材料审核和实地了解，该单位近年来积极参与本地区数字技能提升工作，在${occ}人才培养方面发挥了示范带动作用，推荐纳入${kind}目录。`
	]);
}

/* ------------------------------------------------------------------ applications */

function yearFactors(rng: Rng): number[] {
	return [rng.step(0.45, 0.7, 0.01), rng.step(0.55, 0.8, 0.01), rng.step(0.5, 0.85, 0.01), rng.step(0.75, 0.98, 0.01), 1];
}

function buildApplication(c: Ctx, index: number, row: PlanRow, info: InstInfo, listedExpert: Expert): Application {
	const rng = c.rng;
	const id = appId(index);
	const occ = row.occupation;
	const type = row.type;
	const levels = [...rng.weighted<string[]>([
		[['junior', 'intermediate'], 45],
		[['junior', 'intermediate', 'senior'], 35],
		[['intermediate', 'senior'], 10],
		[['junior'], 10]
	])];
	const firstYear = row.issue === 'founded-late' ? 2020 : 2018;
	const years = [2018, 2019, 2020, 2021, 2022].filter((y) => y >= firstYear);
	const factors = yearFactors(rng).slice(5 - years.length);
	const latest = row.issue === 'scale-below-min' ? 1850 : rng.int(2150, 6800);

	let trainingYears: Application['trainingYears'] = [];
	let evaluationYears: Application['evaluationYears'] = [];
	let sum5 = 0;
	let independent5 = 0;
	let own5 = 0;
	const ownCertificate = `${info.trade}${occupationShort(occ)}专业能力评价证书`;
	if (type === 'training') {
		trainingYears = years.map((year, k) => {
			const total = k === years.length - 1 ? latest : Math.round(latest * factors[k]);
			const independent = Math.round(total * rng.step(0.55, 0.92, 0.01));
			return { year, total, independent, cooperative: total - independent };
		});
		if (row.issue === 'totals-mismatch') {
			// The 2021 row: independent + cooperative no longer adds up to the total.
			const y = trainingYears[3];
			y.cooperative = (y.cooperative ?? 0) + 100;
		}
		for (const y of trainingYears) {
			sum5 += y.total!;
			independent5 += y.independent!;
		}
	} else {
		const withOther = rng.chance(0.6);
		for (let k = 0; k < years.length; k++) {
			const total = k === years.length - 1 ? latest : Math.round(latest * factors[k]);
			const ownShare = withOther ? rng.step(0.55, 0.85, 0.01) : 1;
			const own = Math.round(total * ownShare);
			evaluationYears.push({ year: years[k], certificate: ownCertificate, own: true, issued: own });
			if (withOther) evaluationYears.push({ year: years[k], certificate: OCC[occ].otherCertificate, own: false, issued: total - own });
			sum5 += total;
			own5 += own;
		}
	}

	// Team and people.
	const fullTime = rng.int(8, 40);
	const partTime = rng.int(6, 35);
	const assessors = rng.int(15, 60);
	const supervisors = rng.int(4, 15);
	const peopleCount = rng.int(3, 8);
	const specialties = OCC[occ].specialties;
	const people: Application['people'] = [];
	for (let k = 0; k < peopleCount; k++) {
		if (type === 'training') {
			const isFull = k < Math.max(1, Math.round(peopleCount * 0.5));
			people.push({
				role: 'teacher',
				name: personName(c),
				workUnit: isFull ? `${info.inst.name}${rng.pick(['培训部', '教学部', '技术研发中心', '课程研发部', '实训中心'])}` : rng.pick(EXTERNAL_UNITS),
				title: isFull ? rng.pick(['高级工程师', '工程师', '讲师', '高级讲师', '正高级工程师']) : rng.pick(['教授', '副教授', '副教授', '讲师', '高级工程师']),
				specialty: rng.pick(specialties),
				fullTime: isFull,
				phone: mobile(c)
			});
		} else {
			const own = k === 0 && rng.chance(0.5);
			people.push({
				role: 'question-setter',
				name: personName(c),
				workUnit: own ? `${info.inst.name}考务部` : rng.pick(EXTERNAL_UNITS),
				title: rng.pick(['教授', '副教授', '研究员', '正高级工程师', '高级工程师']),
				specialty: null,
				fullTime: null,
				phone: mobile(c)
			});
		}
	}
	if (row.issue === 'listed-in-application') {
		people.push({
			role: 'teacher',
			name: listedExpert.name,
			workUnit: listedExpert.workUnit,
			title: listedExpert.title,
			specialty: '计算机科学与技术',
			fullTime: false,
			phone: listedExpert.phone
		});
	}

	const planned: Record<string, number | null> = { junior: null, intermediate: null, senior: null };
	const fees: Record<string, number | null> = { junior: null, intermediate: null, senior: null };
	// Fees rise with the level: 元/学时 for training, 元/次 for evaluation.
	const feeLadder =
		type === 'training'
			? (() => {
					const j = rng.step(20, 40, 5);
					const i = j + rng.step(5, 15, 5);
					return { junior: j, intermediate: i, senior: i + rng.step(10, 25, 5) };
				})()
			: (() => {
					const j = rng.step(300, 480, 20);
					const i = j + rng.step(150, 250, 50);
					return { junior: j, intermediate: i, senior: i + rng.step(200, 500, 50) };
				})();
	for (const l of levels) {
		if (l === 'junior') planned.junior = rng.step(300, 1500, 50);
		if (l === 'intermediate') planned.intermediate = rng.step(200, 900, 50);
		if (l === 'senior') planned.senior = rng.step(50, 300, 10);
		fees[l] = feeLadder[l as 'junior' | 'intermediate' | 'senior'];
	}

	const ownPlatform = rng.chance(0.8);
	const facts: Facts = {
		info,
		row,
		occ,
		type,
		topics: rng.shuffle(OCC[occ].topics),
		levels,
		sum5,
		independent5,
		latest,
		own5,
		teamTotal: type === 'training' ? fullTime + partTime : assessors + supervisors,
		fullTime,
		partTime,
		assessors,
		supervisors,
		settersCount: peopleCount,
		planned,
		fees,
		platformName: type === 'training' ? `${info.trade}${rng.pick(['在线学习平台', '数字技能云课堂', '智慧培训平台'])}` : `${info.trade}考核评价管理平台`,
		url: ownPlatform
			? `https://${type === 'training' ? rng.pick(['edu', 'learn', 'peixun']) : rng.pick(['exam', 'kaohe', 'pingjia'])}.${info.domain}`
			: `https://${rng.pick(['ke', 'class', 'study'])}.example-edu.cn/org/${info.domain.split('.')[0]}`,
		ownPlatform,
		certificate: ownCertificate
	};

	const venueCount = rng.int(1, 3);
	const venues: Application['venues'] = [];
	for (let k = 0; k < venueCount; k++) {
		const d = rng.pick(info.place.districts);
		venues.push({
			address: k === 0 ? info.inst.address : `${info.place.city}${d.name}${rng.pick(d.streets)}${rng.int(1, 388)}号`,
			area: rng.step(300, 3500, 10),
			capacity: rng.step(60, 600, 10),
			equipmentSets: rng.int(40, 600),
			equipmentValue: rng.step(60, 1800, 0.5)
		});
	}

	const creditReport = row.issue === 'missing-attachments' ? false : rng.chance(0.6);
	const integrityCommitment = row.issue === 'missing-attachments' ? false : !creditReport || rng.chance(0.5);
	const date = row.issue === 'late-recommendation' ? '2023-06-18' : randomDate(rng, '2023-06-05', '2023-06-15');

	const contactTitle = type === 'training' ? rng.pick(['培训部主任', '培训部经理', '项目主管', '综合办公室主任']) : rng.pick(['考务部主任', '评价中心主任', '项目主管', '综合办公室主任']);
	const leadTitle =
		info.unit === 'association'
			? rng.pick(['秘书长', '副会长'])
			: info.unit === 'public-institution'
				? rng.pick(['主任', '副主任'])
				: info.unit === 'private-non-enterprise'
					? rng.pick(['校长', '副校长'])
					: rng.pick(['总经理', '副总经理', '董事长']);

	return {
		id,
		institutionId: info.inst.id,
		type,
		occupation: occ,
		levels,
		region: row.region,
		lead: { name: personName(c), title: leadTitle, phone: mobile(c), email: `office@${info.domain}` },
		contact: { name: personName(c), title: contactTitle, phone: mobile(c), email: `${type === 'training' ? 'peixun' : 'pingjia'}@${info.domain}` },
		overview: overviewText(facts, rng),
		platform: platformText(facts, rng),
		pastWork: pastWorkText(facts, rng),
		teamMechanism: teamText(facts, rng),
		plan: planText(facts, rng),
		trainingYears,
		evaluationYears,
		conductsEvaluation: type === 'evaluation' ? true : null,
		issuesCertificates: type === 'evaluation' ? true : null,
		certificateCategory:
			type === 'evaluation'
				? rng.weighted<string>([['industry', 4], ['enterprise', 3.5], ['upgraded-qualification', 1.5], ['other', 1]])
				: null,
		venues,
		team:
			type === 'training'
				? { total: fullTime + partTime, fullTime, partTime, assessors: null, supervisors: null }
				: { total: assessors + supervisors, fullTime: null, partTime: null, assessors, supervisors },
		people,
		planned: { junior: planned.junior, intermediate: planned.intermediate, senior: planned.senior },
		fees: { junior: fees.junior, intermediate: fees.intermediate, senior: fees.senior },
		attachments: { registrationCertificate: true, creditReport, integrityCommitment },
		recommendation: { reason: recommendationText(facts, rng), unit: regionUnit(row.region), date }
	};
}

/* ------------------------------------------------------------------ conflicts (for the demo's own assignment) */

/** NFKC, unify brackets, drop whitespace and punctuation (domain.md, conflicts). */
function normalizeUnit(s: string | null | undefined): string {
	return (s ?? '')
		.normalize('NFKC')
		.replace(/[（）]/g, (ch) => (ch === '（' ? '(' : ')'))
		.replace(/[\s\p{P}\p{S}]/gu, '');
}

function unitsOverlap(a: string | null | undefined, b: string | null | undefined): boolean {
	const x = normalizeUnit(a);
	const y = normalizeUnit(b);
	if (!x || !y) return false;
	if (x === y) return true;
	const [short, long] = x.length <= y.length ? [x, y] : [y, x];
	return short.length >= 4 && long.includes(short);
}

/** Any conflict of domain.md, hard or soft; the demo assignment avoids them all. */
function hasConflict(e: Expert, app: Application, inst: Institution, declared: Declaration[]): boolean {
	if (unitsOverlap(e.workUnit, inst.name)) return true;
	for (const p of app.people) {
		if (p.name === e.name && ((p.phone && p.phone === e.phone) || (p.workUnit && normalizeUnit(p.workUnit) === normalizeUnit(e.workUnit)))) return true;
		if (p.workUnit && normalizeUnit(p.workUnit) === normalizeUnit(e.workUnit)) return true;
	}
	for (const p of [app.lead, app.contact, inst.legalRep ? { name: inst.legalRep.name, phone: null } : null]) {
		if (p && p.name === e.name && (p.phone === null || p.phone === e.phone)) return true;
	}
	return declared.some((d) => d.applicationId === app.id && d.expertId === e.id);
}

/* ------------------------------------------------------------------ scores */

const SHEET_TOTALS: Partial<Record<DemoIssue, number[]>> = {
	// mean 75.8: the 50.5 sheet deviates 33% (ABNORMAL_SCORE); the others stay within 11%.
	'abnormal-sheet': [80, 83.5, 50.5, 81, 84],
	// ranges 26 and 22.5 (> 20: HIGH_DISPERSION), no sheet more than 17% from the mean.
	dispersed: [64, 70, 77, 84, 90]
};
const SECOND_DISPERSED = [66, 72.5, 80, 87, 88.5];
const IN_PROGRESS_STATES = ['submitted', 'draft', 'none', 'draft', 'submitted'] as const;

/** Points on the rubric adding up exactly to `total` (a multiple of 0.5 in [0, 100]). */
function pointsFor(rubric: Rubric, total: number, rng: Rng): Record<string, number> {
	const frac = total / 100;
	const pts: Record<string, number> = {};
	let sum = 0;
	for (const c of rubric.criteria) {
		const raw = c.maxPoints * frac + (rng.next() - 0.5) * c.maxPoints * 0.16;
		const v = Math.min(c.maxPoints, Math.max(0, Math.round(raw * 2) / 2));
		pts[c.id] = v;
		sum += v;
	}
	let diff = Math.round((total - sum) * 2);
	while (diff !== 0) {
		const open = rubric.criteria.filter((c) => (diff > 0 ? pts[c.id] < c.maxPoints : pts[c.id] > 0));
		const c = rng.pick(open);
		pts[c.id] += diff > 0 ? 0.5 : -0.5;
		diff += diff > 0 ? -1 : 1;
	}
	return pts;
}

const WEAK_TRAINING = [
	'专职师资比例偏低，建议加强专职队伍建设',
	'信息化平台功能较为简单，线上培训支撑能力有待提升',
	'合作培训占比较高，独立培训能力有待加强',
	'下步规划中培训费用测算不够具体',
	'培训管理制度的执行情况说明不够充分',
	'实训设备与申报职业的关联度有待提高',
	'年度计划培训人数与现有规模相比偏高'
];
const WEAK_EVALUATION = [
	'督导员数量偏少',
	'题库建设规划不够具体',
	'自有证书规模较小，以其他机构证书为主',
	'考核站点布局有待完善',
	'考务保密制度的执行情况说明不足',
	'命题专家中行业企业专家比例偏低'
];

function commentFor(app: Application, total: number, rng: Rng): string {
	const occ = occupationShort(app.occupation);
	const training = app.type === 'training';
	const tw = TYPE_WORD[app.type];
	const [w1, w2] = rng.sample(training ? WEAK_TRAINING : WEAK_EVALUATION, 2);
	if (total >= 85) {
		return rng.pick([
			`机构资质良好，${tw}规模大且逐年增长，${training ? '师资队伍' : '考评队伍'}结构合理，场地设施和信息化平台完备，下步规划具体可行，建议推荐。`,
			`申报材料完整规范，在${occ}领域积累深厚，${training ? '培训管理' : '考务管理'}制度健全，综合实力较强。`
		]);
	}
	if (total >= 75) return `总体符合申报条件，${occ}领域${tw}经验较为丰富；${w1}。`;
	if (total >= 65) return `基本符合申报条件，但${w1}，${w2}。`;
	return `${w1}；${w2}，综合实力一般。`;
}

/* ------------------------------------------------------------------ the bundle */

function cloneBatch(b: Batch): Batch {
	return {
		...b,
		closedEvaluationOccupations: [...b.closedEvaluationOccupations],
		quotas: { training: { ...b.quotas.training }, evaluation: { ...b.quotas.evaluation } },
		aggregation: { ...b.aggregation }
	};
}

/** The demo bundle of batch 2 (deterministic for a given seed). */
export function generateDemoBundle(opts: { seed?: string } = {}): FullBundle {
	const root = new Rng(opts.seed ?? DEMO_SEED);
	const reservedNames = new Set(EXPERT_SEEDS.map((e) => e.name));
	const usedPhones = new Set<string>();

	// Experts first: their phones are reserved before anyone else's.
	const expertCtx: Ctx = { rng: root.fork('experts'), usedPhones, reservedNames };
	const experts: Expert[] = EXPERT_SEEDS.map((s, i) => ({
		id: expertId(i),
		name: s.name,
		workUnit: s.workUnit,
		title: s.title,
		occupations: [...s.occupations],
		region: s.region,
		phone: mobile(expertCtx),
		email: s.email
	}));
	const byName = (n: string) => experts.find((e) => e.name === n)!;

	// Institutions: one per plan row, or one per shared key.
	const trades = root.fork('trades').shuffle(TRADES);
	const instByKey = new Map<string, InstInfo>();
	const institutions: Institution[] = [];
	const rowInst: InstInfo[] = [];
	PLAN.forEach((row, i) => {
		const key = row.inst ?? `row-${i}`;
		let info = instByKey.get(key);
		if (!info) {
			const occs = PLAN.filter((r, j) => (row.inst ? r.inst === row.inst : j === i)).map((r) => r.occupation);
			const ctx: Ctx = { rng: root.fork(`inst-${key}`), usedPhones, reservedNames };
			const trade: [string, string] = row.name ? ['云帆', 'yunfan'] : trades[institutions.length];
			info = buildInstitution(ctx, `inst-${String(institutions.length + 1).padStart(2, '0')}`, row, trade, [...new Set(occs)]);
			instByKey.set(key, info);
			institutions.push(info.inst);
		}
		rowInst.push(info);
	});

	const applications = PLAN.map((row, i) =>
		buildApplication({ rng: root.fork(`app-${i}`), usedPhones, reservedNames }, i, row, rowInst[i], byName(LISTED_EXPERT))
	);

	// The one declared conflict.
	const declarations: Declaration[] = [
		{ applicationId: DEMO_ISSUE_APPLICATIONS.declared[0], expertId: byName(DECLARING_EXPERT).id, reason: DEMO_DECLARATION_REASON }
	];

	// Assignments: least-loaded eligible experts, rotating ties, skipping every conflict.
	const load = new Map<string, number>(experts.map((e) => [e.id, 0]));
	const assignments: Assignment[] = [];
	applications.forEach((app, i) => {
		const row = PLAN[i];
		if (DEMO_UNASSIGNED_OCCUPATIONS.includes(app.occupation)) return;
		if (row.issue && BLOCKING_ISSUES.includes(row.issue)) return;
		const inst = rowInst[i].inst;
		const eligible = experts
			.map((e, k) => ({ e, k }))
			.filter(({ e }) => e.occupations.includes(app.occupation) && !hasConflict(e, app, inst, declarations))
			.sort((a, b) => load.get(a.e.id)! - load.get(b.e.id)! || ((a.k - i + 100 * experts.length) % experts.length) - ((b.k - i + 100 * experts.length) % experts.length))
			.slice(0, DEMO_EXPERTS_PER_APPLICATION);
		for (const { e } of eligible) {
			assignments.push({ applicationId: app.id, expertId: e.id });
			load.set(e.id, load.get(e.id)! + 1);
		}
	});

	// Score sheets.
	const scoreRng = root.fork('scores');
	const rubrics = [defaultRubric('training'), defaultRubric('evaluation')];
	const rubricOf = (t: Type) => rubrics.find((r) => r.type === t)!;
	const scores: Score[] = [];
	let dispersedSeen = 0;
	applications.forEach((app, i) => {
		const row = PLAN[i];
		const mine = assignments.filter((a) => a.applicationId === app.id);
		if (mine.length === 0) return;
		const rubric = rubricOf(app.type);
		let fixed: number[] | undefined;
		if (row.issue === 'abnormal-sheet') fixed = SHEET_TOTALS['abnormal-sheet'];
		if (row.issue === 'dispersed') fixed = dispersedSeen++ === 0 ? SHEET_TOTALS.dispersed : SECOND_DISPERSED;
		const base = scoreRng.step(72, 86, 0.5);
		let unfinished = 0;
		mine.forEach((a, k) => {
			const total = fixed ? fixed[k] : base + scoreRng.step(-5, 5, 0.5);
			// At most two unfinished sheets per application (so it can be ranked), except the one
			// application still in progress (two sheets submitted: INSUFFICIENT_REVIEWS).
			let state: 'submitted' | 'draft' | 'none' = fixed
				? 'submitted'
				: row.issue === 'in-progress'
					? IN_PROGRESS_STATES[k]
					: scoreRng.weighted<'submitted' | 'draft' | 'none'>([['submitted', 82], ['draft', 9], ['none', 9]]);
			if (state !== 'submitted' && row.issue !== 'in-progress' && ++unfinished > 2) state = 'submitted';
			if (state === 'none') return;
			const points = pointsFor(rubric, total, scoreRng);
			if (state === 'draft') {
				const keep = scoreRng.int(2, rubric.criteria.length - 2);
				const partial: Record<string, number> = {};
				for (const c of rubric.criteria.slice(0, keep)) partial[c.id] = points[c.id];
				scores.push({ applicationId: app.id, expertId: a.expertId, rubricId: rubric.id, status: 'draft', points: partial, comment: null, explanation: null });
				return;
			}
			const abnormal = row.issue === 'abnormal-sheet' && total < 60;
			scores.push({
				applicationId: app.id,
				expertId: a.expertId,
				rubricId: rubric.id,
				status: 'submitted',
				points,
				comment: commentFor(app, total, scoreRng),
				explanation: abnormal
					? app.type === 'training'
						? '该机构近5年培训规模数据与“已有培训情况简述”所述不一致，师资名单中多名兼职教师的专业与申报职业不对口，下步规划较为空泛，故评分明显低于其他专家。'
						: '该机构颁证数量与考核站点容量不匹配，命题专家与申报职业关联度低，考务保密制度缺少执行记录，故评分明显低于其他专家。'
					: null
			});
		});
	});

	return {
		format: BUNDLE_FORMAT,
		version: BUNDLE_VERSION,
		batch: cloneBatch(DEFAULT_BATCH),
		institutions,
		applications,
		experts,
		rubrics,
		assignments,
		declarations,
		scores,
		decisions: []
	};
}
