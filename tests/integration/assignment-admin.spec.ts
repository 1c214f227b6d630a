import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import * as s from '../../src/lib/server/db/schema';
import {
	AssignmentError,
	assignByHand,
	drawExperts,
	nextAlternate,
	publishAssignments,
	replaceWithAlternate,
	saveDrawSettings,
	unassignExpert,
	unpublishedCount
} from '../../src/lib/server/services/assignment-admin';
import { expertRelation, expertTasks } from '../../src/lib/server/queries/reviews';
import { applicationRoster, assignmentBoard } from '../../src/lib/server/queries/assignment-board';
import { importBundle } from '../../src/lib/server/services/bundle-import';
import { SYSTEM_ACTOR } from '../../src/lib/server/audit';
import { OFFICE, assigned, auditActions, commit, lastAudit, world, worldBundle } from './draw-world';
import { cli, tempDir, writeJson } from './helpers';
import { openDatabase } from '../../src/lib/server/db';
import path from 'node:path';
import { requireScope } from '../../src/lib/server/scope';

function error(fn: () => unknown): AssignmentError {
	try {
		fn();
	} catch (e) {
		if (e instanceof AssignmentError) return e;
		throw e;
	}
	throw new Error('expected an AssignmentError');
}

/** Waits until the clock has moved on (createdAt and publishedAt have millisecond resolution). */
function tick() {
	const t = Date.now();
	while (Date.now() === t) {
		/* spin */
	}
}

describe('draw settings', () => {
	it('stores N, the per-expert limit and one-per-unit, audited', () => {
		const db = world();
		saveDrawSettings(requireScope(db), { perApplication: '4', maxLoad: '2', onePerUnit: true }, OFFICE);
		const b = db.select().from(s.batches).get()!;
		expect([b.perApplication, b.maxLoad, b.onePerUnit]).toEqual([4, 2, true]);
		expect(lastAudit(db)).toMatchObject({ action: 'assignment.settings', detail: { perApplication: 4, maxLoad: 2, onePerUnit: true } });
		saveDrawSettings(requireScope(db), { perApplication: 5, maxLoad: '', onePerUnit: false }, OFFICE);
		expect(db.select().from(s.batches).get()!.maxLoad).toBeNull();
	});

	it('names the bad field and writes nothing', () => {
		const db = world();
		const before = auditActions(db).length;
		expect(error(() => saveDrawSettings(requireScope(db), { perApplication: '0', maxLoad: '', onePerUnit: false }, OFFICE))).toMatchObject({
			field: 'perApplication',
			message: '每项专家人数至少为1'
		});
		expect(error(() => saveDrawSettings(requireScope(db), { perApplication: '5', maxLoad: '2.5', onePerUnit: false }, OFFICE))).toMatchObject({
			field: 'maxLoad',
			message: '评审上限应为整数'
		});
		expect(error(() => saveDrawSettings(requireScope(db), { perApplication: 'x', maxLoad: '', onePerUnit: false }, OFFICE)).field).toBe('perApplication');
		expect(db.select().from(s.batches).get()!.perApplication).toBe(3);
		expect(auditActions(db)).toHaveLength(before);
	});
});

describe('the draw from the page', () => {
	it('fills one occupation with its seed recorded, leaves a blocked application out and never a hard conflict', () => {
		const db = world();
		const r = drawExperts(requireScope(db), { scope: 'ai', seed: 'demo-1' }, OFFICE);
		expect(r.seed).toBe('demo-1');
		expect(r.made).toBe(6);
		expect(r.unfilled).toEqual([]);
		expect(r.skippedBlocking).toEqual(['app-x']);
		expect(r.nothingToFill).toBe(false);
		expect(assigned(db, 'app-a')).toHaveLength(3);
		expect(assigned(db, 'app-b')).toHaveLength(3);
		expect(assigned(db, 'app-x')).toHaveLength(0);
		expect(assigned(db, 'app-c')).toHaveLength(0);
		expect(assigned(db, 'app-a').map((a) => a.expertId)).not.toContain('e7');
		const draw = db.select().from(s.draws).get()!;
		expect(draw).toMatchObject({ seed: 'demo-1', scope: 'ai', perApplication: 3, made: 6 });
		expect(draw.summary).toMatchObject({ skippedBlocking: ['app-x'], unfilledReasons: [] });
		expect(lastAudit(db)).toMatchObject({ action: 'assignment.draw', entityId: String(draw.id) });
		expect(lastAudit(db).detail).toMatchObject({ seed: 'demo-1', scope: 'ai', made: 6, skippedBlocking: ['app-x'] });
	});

	it('is reproducible: the same seed on the same data gives the same experts', () => {
		const a = world();
		const b = world();
		drawExperts(requireScope(a), { scope: 'all', seed: 'same' }, OFFICE);
		drawExperts(requireScope(b), { scope: 'all', seed: 'same' }, OFFICE);
		const pairs = (db: ReturnType<typeof world>) => assigned(db).map((x) => `${x.applicationId}/${x.expertId}`);
		expect(pairs(a)).toEqual(pairs(b));
		expect(pairs(a)).toHaveLength(9);
	});

	it('reports nothing to fill on a second draw, and still records it with its seed', () => {
		const db = world();
		drawExperts(requireScope(db), { scope: 'ai', seed: 'one' }, OFFICE);
		const again = drawExperts(requireScope(db), { scope: 'ai', seed: '' }, OFFICE);
		expect(again.nothingToFill).toBe(true);
		expect(again.made).toBe(0);
		expect(again.seed).toMatch(/^[0-9a-f]{12}$/);
		expect(db.select().from(s.draws).all().map((d) => d.seed)).toEqual(['one', again.seed]);
	});

	it('explains an application left short', () => {
		const db = world(4);
		const r = drawExperts(requireScope(db), { scope: 'ic', seed: 'x' }, OFFICE);
		expect(r.made).toBe(3);
		expect(r.unfilled).toEqual([{ applicationId: 'app-c', institutionName: '锦州丙寅电子有限公司', missing: 1, reason: '该职业无冲突的可选专家仅 3 人，需 4 人' }]);
		const board = assignmentBoard(requireScope(db), 'ic');
		expect(board.matrix!.applications[0]).toMatchObject({ id: 'app-c', valid: 3, missing: 1, reason: '该职业无冲突的可选专家仅 3 人，需 4 人' });
	});

	it('refuses an unknown scope or a seed with odd characters', () => {
		const db = world();
		expect(error(() => drawExperts(requireScope(db), { scope: 'chemistry', seed: '' }, OFFICE)).field).toBe('scope');
		expect(error(() => drawExperts(requireScope(db), { scope: 'ai', seed: '种子' }, OFFICE)).message).toBe('随机种子只能使用字母、数字和英文符号');
		expect(db.select().from(s.draws).all()).toHaveLength(0);
	});
});

describe('publication', () => {
	it('keeps the roster from the experts until published, and later changes until published again', () => {
		const db = world();
		for (const e of ['e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7']) commit(db, e);
		expect(error(() => publishAssignments(requireScope(db), OFFICE)).message).toBe('还没有任何分配，请先抽取专家');
		drawExperts(requireScope(db), { scope: 'ai', seed: 'p' }, OFFICE);
		const first = assigned(db, 'app-a')[0].expertId;
		expect(expertTasks(requireScope(db), first).tasks).toEqual([]);
		expect(expertRelation(db, first, 'app-a').published).toBe(false);
		expect(unpublishedCount(requireScope(db))).toBe(6);

		tick();
		const p = publishAssignments(requireScope(db), OFFICE);
		expect(p).toMatchObject({ assignments: 6, newlyPublished: 6 });
		expect(expertTasks(requireScope(db), first).tasks.map((t) => t.applicationId)).toContain('app-a');
		expect(expertRelation(db, first, 'app-a').published).toBe(true);
		expect(unpublishedCount(requireScope(db))).toBe(0);
		expect(lastAudit(db)).toMatchObject({ action: 'assignment.publish', detail: { assignments: 6, newlyPublished: 6, previous: null } });
		expect(error(() => publishAssignments(requireScope(db), OFFICE)).message).toBe('自上次发布以来分配没有变化，无需再次发布');

		// A hand assignment after publication stays hidden until the next publication.
		tick();
		const free = applicationRoster(requireScope(db), 'app-b')!.eligible[0].id;
		assignByHand(requireScope(db), { applicationId: 'app-b', expertId: free, reason: '补充一位专家' }, OFFICE);
		expect(unpublishedCount(requireScope(db))).toBe(1);
		expect(expertRelation(db, free, 'app-b').published).toBe(false);
		expect(expertTasks(requireScope(db), free).tasks.map((t) => t.applicationId)).not.toContain('app-b');
		tick();
		expect(publishAssignments(requireScope(db), OFFICE)).toMatchObject({ assignments: 7, newlyPublished: 1 });
		expect(expertTasks(requireScope(db), free).tasks.map((t) => t.applicationId)).toContain('app-b');
	});
});

describe('assigning and unassigning by hand', () => {
	it('refuses a hard conflict, another occupation, an inactive or an already assigned expert', () => {
		const db = world();
		expect(error(() => assignByHand(requireScope(db), { applicationId: 'app-a', expertId: 'e7', reason: '人手不足' }, OFFICE))).toMatchObject({
			field: 'expertId',
			message: '专家 甲七 与此申报须回避（与申报单位为同一单位），不能分配'
		});
		expect(error(() => assignByHand(requireScope(db), { applicationId: 'app-a', expertId: 'i1', reason: '人手不足' }, OFFICE)).message).toBe('专家 乙一 不评审“人工智能”职业');
		db.update(s.experts).set({ active: false }).where(eq(s.experts.id, 'e1')).run();
		expect(error(() => assignByHand(requireScope(db), { applicationId: 'app-a', expertId: 'e1', reason: '人手不足' }, OFFICE)).message).toBe('专家 甲一 已停用，不能分配');
		expect(error(() => assignByHand(requireScope(db), { applicationId: 'app-a', expertId: 'e2', reason: ' ' }, OFFICE))).toMatchObject({ field: 'reason', message: '请填写理由（至少2个字）' });
		assignByHand(requireScope(db), { applicationId: 'app-a', expertId: 'e2', reason: '熟悉该领域' }, OFFICE);
		expect(error(() => assignByHand(requireScope(db), { applicationId: 'app-a', expertId: 'e2', reason: '再来一次' }, OFFICE)).message).toBe('专家 甲二 已分配到此申报');
		expect(assigned(db)).toMatchObject([{ applicationId: 'app-a', expertId: 'e2', source: 'manual', reason: '熟悉该领域' }]);
		expect(lastAudit(db)).toMatchObject({ action: 'assignment.assign', entity: 'application', entityId: 'app-a', detail: { expertId: 'e2', reason: '熟悉该领域' } });
	});

	it('a confirmed soft conflict is refused like a hard one', () => {
		const db = world();
		db.insert(s.conflictReviews).values({ applicationId: 'app-b', expertId: 'e2', code: 'SHARED_UNIT_WITH_STAFF', decision: 'confirmed', reason: '同一学院' }).run();
		expect(error(() => assignByHand(requireScope(db), { applicationId: 'app-b', expertId: 'e2', reason: '补充' }, OFFICE)).message).toBe(
			'专家 甲二 与此申报须回避（与申报材料所列人员同一单位（由主持人决定）），不能分配'
		);
	});

	it('unassigning an expert who submitted a sheet needs a confirmation; nothing changes without it', () => {
		const db = world();
		drawExperts(requireScope(db), { scope: 'ai', seed: 'u' }, OFFICE);
		const [first] = assigned(db, 'app-a');
		importBundle(
			db,
			{ scores: [{ applicationId: 'app-a', expertId: first.expertId, rubricId: 'rub-training', status: 'submitted', points: { scale: 30, faculty: 50 } }] },
			SYSTEM_ACTOR
		);
		const e = error(() => unassignExpert(requireScope(db), { applicationId: 'app-a', expertId: first.expertId, reason: '工作调整' }, OFFICE));
		expect(e.needsConfirm).toBe(true);
		expect(e.field).toBe('confirm');
		expect(assigned(db, 'app-a')).toHaveLength(3);
		unassignExpert(requireScope(db), { applicationId: 'app-a', expertId: first.expertId, reason: '工作调整', confirm: true }, OFFICE);
		expect(assigned(db, 'app-a').map((a) => a.expertId)).not.toContain(first.expertId);
		expect(lastAudit(db)).toMatchObject({ action: 'assignment.unassign', detail: { expertId: first.expertId, reason: '工作调整', submittedSheet: true } });
		const name = db.select().from(s.experts).where(eq(s.experts.id, first.expertId)).get()!.name;
		expect(error(() => unassignExpert(requireScope(db), { applicationId: 'app-a', expertId: first.expertId, reason: '再次', confirm: true }, OFFICE)).message).toBe(
			`专家 ${name} 未分配到此申报`
		);
	});
});

describe('replacing by the next alternate', () => {
	it('takes the best-ranked usable alternate and records the reason', () => {
		const db = world();
		drawExperts(requireScope(db), { scope: 'ai', seed: 'r' }, OFFICE);
		const alternates = db.select().from(s.alternates).where(eq(s.alternates.applicationId, 'app-a')).orderBy(s.alternates.rank).all();
		// app-a: 6 ai experts without a conflict, 3 assigned → 3 ranked alternates.
		expect(alternates.map((a) => a.rank)).toEqual([1, 2, 3]);
		const [out] = assigned(db, 'app-a');
		// The first alternate is deactivated meanwhile: the second one comes in.
		db.update(s.experts).set({ active: false }).where(eq(s.experts.id, alternates[0].expertId)).run();
		expect(nextAlternate(requireScope(db), 'app-a')).toBe(alternates[1].expertId);
		const next = replaceWithAlternate(requireScope(db), { applicationId: 'app-a', expertId: out.expertId, reason: '出差无法参加' }, OFFICE);
		expect(next).toBe(alternates[1].expertId);
		const now = assigned(db, 'app-a');
		expect(now.map((a) => a.expertId)).not.toContain(out.expertId);
		expect(now.find((a) => a.expertId === next)).toMatchObject({ source: 'replacement', reason: '出差无法参加' });
		expect(lastAudit(db)).toMatchObject({ action: 'assignment.replace', detail: { from: out.expertId, to: next, reason: '出差无法参加' } });
	});

	it('says so when no alternate is left', () => {
		const db = world();
		drawExperts(requireScope(db), { scope: 'ic', seed: 'r' }, OFFICE);
		const [out] = assigned(db, 'app-c');
		expect(nextAlternate(requireScope(db), 'app-c')).toBeNull();
		expect(error(() => replaceWithAlternate(requireScope(db), { applicationId: 'app-c', expertId: out.expertId, reason: '请假' }, OFFICE)).message).toBe(
			'没有可用的候补专家：请重新抽取该职业（会生成新的候补名单），或手工指定专家'
		);
		expect(assigned(db, 'app-c')).toHaveLength(3);
	});
});

describe('the board', () => {
	it('shows assignments, alternates, conflicts and loads of one occupation', () => {
		const db = world();
		drawExperts(requireScope(db), { scope: 'ai', seed: 'b' }, OFFICE);
		const board = assignmentBoard(requireScope(db), 'ai');
		expect(board.settings).toEqual({ perApplication: 3, maxLoad: null, onePerUnit: false });
		expect(board.unpublished).toBe(6);
		expect(board.occupations.find((o) => o.key === 'ai')).toMatchObject({ applications: 3, drawable: 2, blocked: 1, full: 2, experts: 7 });
		expect(board.occupations.find((o) => o.key === 'ic')).toMatchObject({ applications: 1, full: 0, experts: 3 });
		const m = board.matrix!;
		expect(m.applications.map((a) => [a.id, a.valid, a.missing, a.blocking])).toEqual([
			['app-a', 3, 0, false],
			['app-b', 3, 0, false],
			['app-x', 0, 0, true]
		]);
		expect(m.experts.map((e) => e.id).sort()).toEqual(['e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7']);
		expect(m.cells['app-a|e7']).toMatchObject({ conflict: 'SAME_UNIT', hard: true, assigned: null });
		expect(m.cells['app-b|e2']).toMatchObject({ conflict: 'SHARED_UNIT_WITH_STAFF', hard: false });
		const a = assigned(db, 'app-a')[0];
		expect(m.cells[`app-a|${a.expertId}`]).toMatchObject({ assigned: 'draw', unpublished: true, alternate: null });
		const loadSum = m.experts.reduce((n, e) => n + e.loadHere, 0);
		expect(loadSum).toBe(6);
		expect(board.draws).toMatchObject([{ seed: 'b', scope: 'ai', made: 6, unfilled: 0 }]);
	});

	it('lists who may be assigned by hand: active, the occupation, no hard conflict, not yet on it', () => {
		const db = world();
		const r = applicationRoster(requireScope(db), 'app-a')!;
		expect(r.eligible.map((e) => e.id)).toEqual(['e1', 'e2', 'e3', 'e4', 'e5', 'e6']);
		const b = applicationRoster(requireScope(db), 'app-b')!;
		expect(b.eligible.find((e) => e.id === 'e2')!.conflict).toMatchObject({ code: 'SHARED_UNIT_WITH_STAFF', hard: false });
		expect(applicationRoster(requireScope(db), 'nope')).toBeNull();
	});
});

describe('cli assign --publish', () => {
	it('publishes the roster after the draw, audited; without the flag nothing is published', async () => {
		const dir = tempDir();
		const file = path.join(dir, 'w.db');
		expect((await cli(file, 'import', writeJson(dir, 'w.json', worldBundle()))).code).toBe(0);
		expect((await cli(file, 'assign', '--per-application', '3', '--seed', 's', '--occupation', 'ic')).code).toBe(0);
		let db = openDatabase(file);
		expect(db.select().from(s.batches).get()!.assignmentsPublishedAt).toBeNull();
		db.$client.close();
		const r = await cli(file, 'assign', '--per-application', '3', '--seed', 's', '--publish');
		expect(r.code).toBe(0);
		db = openDatabase(file);
		expect(db.select().from(s.batches).get()!.assignmentsPublishedAt).not.toBeNull();
		expect(unpublishedCount(requireScope(db))).toBe(0);
		expect(auditActions(db).filter((a) => a.startsWith('assignment.'))).toEqual(['assignment.draw', 'assignment.draw', 'assignment.publish']);
		db.$client.close();
	});
});
