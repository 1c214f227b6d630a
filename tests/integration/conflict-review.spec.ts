import { describe, expect, it } from 'vitest';
import * as s from '../../src/lib/server/db/schema';
import { ConflictError, declareConflict, reviewConflict } from '../../src/lib/server/services/conflict-review';
import { computeConflicts, conflictRows } from '../../src/lib/server/services/batch-state';
import { assignByHand, drawExperts, publishAssignments } from '../../src/lib/server/services/assignment-admin';
import { expertTasks } from '../../src/lib/server/queries/reviews';
import { conflictBoard } from '../../src/lib/server/queries/assignment-board';
import { importBundle } from '../../src/lib/server/services/bundle-import';
import { SYSTEM_ACTOR } from '../../src/lib/server/audit';
import { OFFICE, assigned, auditActions, commit, lastAudit, world } from './draw-world';
import { requireScope } from '../../src/lib/server/scope';

function error(fn: () => unknown): ConflictError {
	try {
		fn();
	} catch (e) {
		if (e instanceof ConflictError) return e;
		throw e;
	}
	throw new Error('expected a ConflictError');
}

const SOFT = { applicationId: 'app-b', expertId: 'e2', code: 'SHARED_UNIT_WITH_STAFF' };

describe('the office reviews soft conflicts', () => {
	it('a dismissal is remembered with its reason and the pair is no longer a conflict', () => {
		const db = world();
		const before = conflictBoard(requireScope(db)).find((c) => c.expertId === 'e2' && c.applicationId === 'app-b')!;
		expect(before).toMatchObject({ code: 'SHARED_UNIT_WITH_STAFF', hard: false, state: 'pending', review: null, assigned: false, mustReplace: false });
		expect(before.matched).toBe('专家单位“东北大学信息科学与工程学院”与培训教师“孙老师”（东北大学信息科学与工程学院）的单位一致');

		reviewConflict(db, { ...SOFT, decision: 'dismissed', reason: '该教师为外聘兼职，与专家无工作往来' }, OFFICE);
		const after = conflictBoard(requireScope(db)).find((c) => c.expertId === 'e2' && c.applicationId === 'app-b')!;
		expect(after).toMatchObject({ state: 'dismissed', review: { decision: 'dismissed', reason: '该教师为外聘兼职，与专家无工作往来' } });
		expect(conflictRows(computeConflicts(requireScope(db))).some((c) => c.expertId === 'e2' && c.applicationId === 'app-b')).toBe(false);
		expect(lastAudit(db)).toMatchObject({
			action: 'conflict.dismiss',
			entity: 'application',
			entityId: 'app-b',
			detail: { expertId: 'e2', code: 'SHARED_UNIT_WITH_STAFF', reason: '该教师为外聘兼职，与专家无工作往来' }
		});
	});

	it('a confirmation makes it hard: the draw avoids the pair, and an assigned expert must be replaced', () => {
		const db = world();
		assignByHand(requireScope(db), { applicationId: 'app-b', expertId: 'e2', reason: '熟悉该领域' }, OFFICE);
		reviewConflict(db, { ...SOFT, decision: 'confirmed', reason: '同一学院，应当回避' }, OFFICE);
		expect(computeConflicts(requireScope(db)).hard.get('app-b|e2')).toBe('SHARED_UNIT_WITH_STAFF');
		expect(conflictRows(computeConflicts(requireScope(db))).find((c) => c.expertId === 'e2' && c.applicationId === 'app-b')).toEqual({
			expertId: 'e2',
			applicationId: 'app-b',
			code: 'SHARED_UNIT_WITH_STAFF',
			hard: true
		});
		const row = conflictBoard(requireScope(db)).find((c) => c.expertId === 'e2' && c.applicationId === 'app-b')!;
		expect(row).toMatchObject({ state: 'confirmed', assigned: true, mustReplace: true, sheetExcluded: false });
		// The conflicted assignment does not count: the draw fills app-b to 3 valid experts without e2.
		drawExperts(requireScope(db), { scope: 'ai', seed: 'c' }, OFFICE);
		expect(assigned(db, 'app-b').filter((a) => a.expertId !== 'e2')).toHaveLength(3);
	});

	it('a later review replaces the earlier one (both audited)', () => {
		const db = world();
		reviewConflict(db, { ...SOFT, decision: 'dismissed', reason: '无实际关联' }, OFFICE);
		reviewConflict(db, { ...SOFT, decision: 'confirmed', reason: '复核后认定应回避' }, OFFICE);
		expect(db.select().from(s.conflictReviews).all()).toMatchObject([{ decision: 'confirmed', reason: '复核后认定应回避' }]);
		expect(auditActions(db).filter((a) => a.startsWith('conflict.'))).toEqual(['conflict.dismiss', 'conflict.confirm']);
	});

	it('needs a reason, a soft rule and a conflict that exists; writes nothing otherwise', () => {
		const db = world();
		const n = auditActions(db).length;
		expect(error(() => reviewConflict(db, { ...SOFT, decision: 'dismissed', reason: ' ' }, OFFICE))).toMatchObject({ field: 'reason', message: '请填写理由（至少2个字）' });
		expect(error(() => reviewConflict(db, { ...SOFT, code: 'SAME_UNIT', decision: 'dismissed', reason: '不是同一单位' }, OFFICE))).toMatchObject({
			field: 'code',
			message: '只有需主持人决定的回避关系可以确认或排除'
		});
		expect(error(() => reviewConflict(db, { ...SOFT, expertId: 'e1', decision: 'dismissed', reason: '无关' }, OFFICE)).status).toBe(404);
		expect(error(() => reviewConflict(db, { ...SOFT, decision: 'maybe', reason: '无关联' }, OFFICE)).field).toBe('decision');
		expect(db.select().from(s.conflictReviews).all()).toHaveLength(0);
		expect(auditActions(db)).toHaveLength(n);
	});

	it('shows an assigned hard conflict with a submitted sheet as excluded', () => {
		const db = world();
		importBundle(db, { assignments: [{ applicationId: 'app-a', expertId: 'e7' }] }, SYSTEM_ACTOR);
		importBundle(
			db,
			{ scores: [{ applicationId: 'app-a', expertId: 'e7', rubricId: 'rub-training', status: 'submitted', points: { scale: 30, faculty: 50 } }] },
			SYSTEM_ACTOR
		);
		const row = conflictBoard(requireScope(db)).find((c) => c.expertId === 'e7' && c.applicationId === 'app-a')!;
		expect(row).toMatchObject({ code: 'SAME_UNIT', state: 'hard', assigned: true, sheet: 'submitted', mustReplace: true, sheetExcluded: true });
	});
});

describe('an expert declares a conflict', () => {
	function published() {
		const db = world();
		drawExperts(requireScope(db), { scope: 'ai', seed: 'd' }, OFFICE);
		const expertId = assigned(db, 'app-a')[0].expertId;
		commit(db, expertId);
		const t = Date.now();
		while (Date.now() === t) {
			/* let the clock move past the assignments */
		}
		publishAssignments(requireScope(db), OFFICE);
		return { db, expertId, actor: { userId: null, name: expertId } };
	}

	it('the application leaves the list at once; the declaration and its ground are kept and audited', () => {
		const { db, expertId, actor } = published();
		expect(expertTasks(requireScope(db), expertId).tasks.map((t) => t.applicationId)).toContain('app-a');
		const r = declareConflict(db, expertId, { applicationId: 'app-a', ground: 'kinship', reason: '配偶在该单位担任财务负责人' }, actor);
		expect(r).toEqual({ applicationId: 'app-a', institutionName: '沈阳甲子科技有限公司' });
		const tasks = expertTasks(requireScope(db), expertId);
		expect(tasks.tasks.map((t) => t.applicationId)).not.toContain('app-a');
		expect(tasks.recused).toBe(1);
		expect(db.select().from(s.declarations).all()).toMatchObject([{ applicationId: 'app-a', expertId, ground: 'kinship', reason: '配偶在该单位担任财务负责人' }]);
		expect(lastAudit(db)).toMatchObject({ action: 'conflict.declare', entityId: 'app-a', detail: { expertId, ground: 'kinship' } });
		const row = conflictBoard(requireScope(db)).find((c) => c.code === 'DECLARED')!;
		expect(row).toMatchObject({
			applicationId: 'app-a',
			expertId,
			state: 'hard',
			assigned: true,
			mustReplace: true,
			declaration: { ground: 'kinship', groundLabel: '与该单位法定代表人、负责人或联系人有近亲属关系', reason: '配偶在该单位担任财务负责人' }
		});
	});

	it('refuses an application not in the expert list (not assigned, or declared already) as not found', () => {
		const { db, expertId, actor } = published();
		expect(error(() => declareConflict(db, expertId, { applicationId: 'app-c', ground: 'other', reason: '不在列表中' }, actor)).status).toBe(404);
		declareConflict(db, expertId, { applicationId: 'app-a', ground: 'employment', reason: '近三年曾在该单位兼职' }, actor);
		expect(error(() => declareConflict(db, expertId, { applicationId: 'app-a', ground: 'other', reason: '再次申请' }, actor)).status).toBe(404);
		expect(db.select().from(s.declarations).all()).toHaveLength(1);
	});

	it('needs a ground and a reason', () => {
		const { db, expertId, actor } = published();
		expect(error(() => declareConflict(db, expertId, { applicationId: 'app-a', ground: 'friendship', reason: '朋友' }, actor))).toMatchObject({
			field: 'ground',
			message: '请选择回避情形'
		});
		expect(error(() => declareConflict(db, expertId, { applicationId: 'app-a', ground: 'other', reason: '' }, actor))).toMatchObject({
			field: 'reason',
			message: '请填写回避说明（至少2个字）'
		});
		expect(db.select().from(s.declarations).all()).toHaveLength(0);
	});

	it('an unpublished assignment cannot be declared on (the expert does not know of it)', () => {
		const db = world();
		drawExperts(requireScope(db), { scope: 'ai', seed: 'd' }, OFFICE);
		const expertId = assigned(db, 'app-a')[0].expertId;
		commit(db, expertId);
		expect(error(() => declareConflict(db, expertId, { applicationId: 'app-a', ground: 'other', reason: '尚未发布' }, OFFICE)).status).toBe(404);
	});
});
