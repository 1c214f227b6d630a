/**
 * A small finished batch for the national decision and the feedback letters: three experts score
 * every application; app-1 and app-2 (ai training) and app-3 (iot evaluation) are proposed, app-4
 * (ai training) falls below the pass score. `finished()` locks the results on 2023-08-01 and runs
 * a publicity 2023-08-02 … 2023-08-08, closed on 2023-08-09 (Beijing), so decisions may be dated
 * from 2023-08-09 up to TODAY.
 */
import { eq } from 'drizzle-orm';
import { memoryDb, type Db } from '../../src/lib/server/db';
import * as s from '../../src/lib/server/db/schema';
import { importBundle } from '../../src/lib/server/services/bundle-import';
import { lockResults } from '../../src/lib/server/services/results';
import { SYSTEM_ACTOR, type Actor } from '../../src/lib/server/audit';
import { requireScope } from '../../src/lib/server/scope';
import { idCheckChar, usccCheckChar } from '../../src/lib/domain/identifiers';

export const OFFICE: Actor = { userId: null, name: 'office-test' };
export const TODAY = '2023-09-01';
export const EXPERT_NAMES = ['欧阳明', '司马亮', '诸葛慧'];
export const EXPERT_IDS = ['exp-1', 'exp-2', 'exp-3'];

const uscc = (n: number) => {
	const first17 = `9121010${String(n).padStart(10, '0')}`;
	return first17 + usccCheckChar(first17);
};
const idNumber = (n: number) => {
	const first17 = `21010219800101${String(n).padStart(3, '0')}`;
	return first17 + idCheckChar(first17);
};

function institution(id: string, name: string, n: number) {
	return { id, name, uscc: uscc(n), legalRep: { name: `法人${n}`, idNumber: idNumber(n) }, unitType: 'enterprise', founded: '2012-03-01', taxes: [{ year: 2022, amount: 30, dishonest: false }] };
}

function application(id: string, institutionId: string, type: 'training' | 'evaluation', occupation: string, region: string, levels: string[]) {
	return {
		id,
		institutionId,
		type,
		occupation,
		region,
		levels,
		trainingYears: type === 'training' ? [{ year: 2022, total: 2600, independent: 2000, cooperative: 600 }] : [],
		evaluationYears: type === 'evaluation' ? [{ year: 2022, certificate: '物联网工程师', own: true, issued: 2500 }] : [],
		attachments: { registrationCertificate: true, creditReport: true, integrityCommitment: true },
		recommendation: { reason: '推荐理由', unit: '推荐单位', date: '2023-06-10' }
	};
}

function sheet(applicationId: string, expertId: string, p: [number, number], comment: string | null) {
	const training = applicationId !== 'app-3';
	return { applicationId, expertId, rubricId: training ? 'rub-t' : 'rub-e', status: 'submitted', points: training ? { a: p[0], b: p[1] } : { x: p[0], y: p[1] }, comment, explanation: null };
}

export function nationalBundle() {
	const apps = ['app-1', 'app-2', 'app-3', 'app-4'];
	return {
		format: 'dte-review-bundle',
		version: 1,
		batch: { id: 'ln-2023-b2', name: '辽宁省第二批', deadline: '2023-06-15' },
		institutions: [
			institution('inst-1', '辽宁甲乙智能科技有限公司', 1),
			institution('inst-2', '大连丙丁数据服务有限公司', 2),
			institution('inst-3', '鞍山戊己物联网技术有限公司', 3),
			institution('inst-4', '鞍山庚辛培训学校', 4)
		],
		applications: [
			application('app-1', 'inst-1', 'training', 'ai', 'shenyang', ['junior', 'intermediate']),
			application('app-2', 'inst-2', 'training', 'ai', 'dalian', ['senior']),
			application('app-3', 'inst-3', 'evaluation', 'iot', 'anshan', ['junior']),
			application('app-4', 'inst-4', 'training', 'ai', 'anshan', ['junior'])
		],
		experts: EXPERT_IDS.map((id, i) => ({ id, name: EXPERT_NAMES[i], workUnit: ['东北大学', '大连理工大学', '沈阳工业大学'][i], occupations: ['ai', 'iot'] })),
		rubrics: [
			{ id: 'rub-t', type: 'training', criteria: [{ id: 'a', name: '培训规模', maxPoints: 40 }, { id: 'b', name: '师资与平台', maxPoints: 60 }] },
			{ id: 'rub-e', type: 'evaluation', criteria: [{ id: 'x', name: '考核规模', maxPoints: 50 }, { id: 'y', name: '考评队伍', maxPoints: 50 }] }
		],
		assignments: apps.flatMap((a) => EXPERT_IDS.map((e) => ({ applicationId: a, expertId: e }))),
		declarations: [],
		scores: [
			sheet('app-1', 'exp-1', [36.5, 54], '整体实力较强。'),
			sheet('app-1', 'exp-2', [34, 51.5], null),
			sheet('app-1', 'exp-3', [32, 48], '建议加强线上平台建设。'),
			sheet('app-2', 'exp-1', [30, 45], null),
			sheet('app-2', 'exp-2', [31, 46.5], null),
			sheet('app-2', 'exp-3', [32, 47], null),
			sheet('app-3', 'exp-1', [40, 41], null),
			sheet('app-3', 'exp-2', [38, 39], null),
			sheet('app-3', 'exp-3', [42, 43], null),
			sheet('app-4', 'exp-1', [20, 25], null),
			sheet('app-4', 'exp-2', [18, 22], null),
			sheet('app-4', 'exp-3', [19, 24], null)
		],
		decisions: []
	};
}

/** The batch loaded, results not locked. */
export function scored(): Db {
	const db = memoryDb();
	importBundle(db, nationalBundle(), SYSTEM_ACTOR);
	db.update(s.applications).set({ status: 'accepted' }).run();
	return db;
}

/** Locked (2023-08-01), publicity 2023-08-02 … 08-08 closed on 08-09. */
export function finished(opts: { publicity?: 'closed' | 'open' | 'none' } = {}): Db {
	const db = scored();
	const scope = requireScope(db);
	lockResults(scope, SYSTEM_ACTOR, { confirmed: true, reason: '测试锁定：评审报告签字另行核对' });
	const publicity = opts.publicity ?? 'closed';
	db.update(s.batches)
		.set({
			resultsLockedAt: '2023-08-01T02:00:00.000Z',
			...(publicity === 'none' ? {} : { publicityStart: '2023-08-02', publicityEnd: '2023-08-08', publicityDays: 5 }),
			...(publicity === 'closed' ? { publicityClosedAt: '2023-08-09T02:00:00.000Z' } : {})
		})
		.where(eq(s.batches.id, scope.batch.id))
		.run();
	return db;
}

export function auditActions(db: Db): string[] {
	return db.select().from(s.auditLog).all().map((r) => r.action);
}

export function lastAudits(db: Db, n: number) {
	return db
		.select()
		.from(s.auditLog)
		.all()
		.slice(-n)
		.map((r) => ({ ...r, detail: r.detail ? JSON.parse(r.detail) : null }));
}
