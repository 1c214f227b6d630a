/**
 * A small published batch for the scoring-workbench tests (rubrics, sheet list, offline form,
 * printable sheet, expert isolation). The default rubrics are created on first use.
 *
 * app-1 training ai   : exp-1, exp-2, exp-3
 * app-2 training ai   : exp-1, exp-2
 * app-3 evaluation iot: exp-1
 * app-4 training ai   : exp-2 only (not assigned to exp-1)
 * app-5 training ai   : exp-1 assigned, but exp-1 declared a conflict (recused)
 */
import { memoryDb, type Db } from '../../src/lib/server/db';
import * as s from '../../src/lib/server/db/schema';
import { importBundle } from '../../src/lib/server/services/bundle-import';
import { SYSTEM_ACTOR, type Actor } from '../../src/lib/server/audit';
import { idCheckChar, usccCheckChar } from '../../src/lib/domain/identifiers';
import type { SessionUser } from '../../src/lib/server/auth';

const uscc = (n: number) => {
	const first17 = `9121010${String(n).padStart(10, '0')}`;
	return first17 + usccCheckChar(first17);
};
const idNumber = (n: number) => {
	const first17 = `21010219800101${String(n).padStart(3, '0')}`;
	return first17 + idCheckChar(first17);
};

function institution(id: string, name: string, n: number) {
	return {
		id,
		name,
		uscc: uscc(n),
		legalRep: { name: `法人${n}`, idNumber: idNumber(n) },
		unitType: 'enterprise',
		founded: '2012-03-01',
		taxes: [{ year: 2022, amount: 30, dishonest: false }]
	};
}

function application(id: string, institutionId: string, type: 'training' | 'evaluation', occupation: string, region: string) {
	return {
		id,
		institutionId,
		type,
		occupation,
		region,
		levels: ['junior'],
		trainingYears: type === 'training' ? [{ year: 2022, total: 2600, independent: 2000, cooperative: 600 }] : [],
		evaluationYears: type === 'evaluation' ? [{ year: 2022, certificate: '物联网工程师', own: true, issued: 2500 }] : [],
		attachments: { registrationCertificate: true, creditReport: true, integrityCommitment: true },
		recommendation: { reason: '推荐理由', unit: '沈阳市人力资源和社会保障局', date: '2023-06-10' }
	};
}

export const EXPERTS = [
	{ id: 'exp-1', name: '专家甲', workUnit: '东北大学', occupations: ['ai', 'iot'] },
	{ id: 'exp-2', name: '专家乙', workUnit: '大连理工大学', occupations: ['ai', 'iot'] },
	{ id: 'exp-3', name: '专家丙', workUnit: '沈阳工业大学', occupations: ['ai', 'iot'] }
];

export function scoringBundle() {
	const pairs: [string, string][] = [
		['app-1', 'exp-1'],
		['app-1', 'exp-2'],
		['app-1', 'exp-3'],
		['app-2', 'exp-1'],
		['app-2', 'exp-2'],
		['app-3', 'exp-1'],
		['app-4', 'exp-2'],
		['app-5', 'exp-1']
	];
	return {
		format: 'dte-review-bundle',
		version: 1,
		batch: { id: 'ln-2023-b2', name: '辽宁省第二批', deadline: '2023-06-15' },
		institutions: [
			institution('inst-1', '辽宁甲乙智能科技有限公司', 1),
			institution('inst-2', '大连丙丁数据服务有限公司', 2),
			institution('inst-3', '鞍山戊己物联网技术有限公司', 3),
			institution('inst-4', '=HYPERLINK("http://x","y")', 4),
			institution('inst-5', '沈阳庚辛信息技术有限公司', 5)
		],
		applications: [
			application('app-1', 'inst-1', 'training', 'ai', 'shenyang'),
			application('app-2', 'inst-2', 'training', 'ai', 'dalian'),
			application('app-3', 'inst-3', 'evaluation', 'iot', 'anshan'),
			application('app-4', 'inst-4', 'training', 'ai', 'shenyang'),
			application('app-5', 'inst-5', 'training', 'ai', 'shenyang')
		],
		experts: EXPERTS,
		assignments: pairs.map(([applicationId, expertId]) => ({ applicationId, expertId })),
		declarations: [{ applicationId: 'app-5', expertId: 'exp-1', reason: '近三年曾在该单位兼职' }]
	};
}

/** The batch, imported, with assignments published and every expert's commitment signed. */
export function scoringDb(opts: { publish?: boolean } = {}): Db {
	const db = memoryDb();
	importBundle(db, scoringBundle(), SYSTEM_ACTOR);
	db.update(s.batches).set({ assignmentsPublishedAt: opts.publish === false ? null : new Date().toISOString(), scoringDeadline: '2023-07-10' }).run();
	for (const e of EXPERTS) db.insert(s.commitments).values({ expertId: e.id, batchId: 'ln-2023-b2', textHash: 'test' }).run();
	return db;
}

export const OFFICE: Actor = { userId: 'u-office', name: 'office' };
export const actorFor = (expertId: string): Actor => ({ userId: `u-${expertId}`, name: expertId });

export function expertUser(expertId: string): SessionUser {
	return { id: `u-${expertId}`, username: expertId, displayName: expertId, role: 'expert', region: null, expertId, mustChangePassword: false };
}

export const OFFICE_USER: SessionUser = {
	id: 'u-office',
	username: 'office',
	displayName: '省厅',
	role: 'office',
	region: null,
	expertId: null,
	mustChangePassword: false
};

/** Full points on the default training rubric that add up to `total` (filled from the last criterion down). */
export const TRAINING_MAX = { qualification: 10, standing: 15, scale: 20, faculty: 15, facilities: 15, management: 10, plan: 15 };
export const EVALUATION_MAX = { qualification: 10, standing: 15, scale: 20, assessors: 15, facilities: 15, security: 10, plan: 15 };

export function auditActions(db: Db): string[] {
	return db.select({ a: s.auditLog.action }).from(s.auditLog).all().map((r) => r.a);
}
