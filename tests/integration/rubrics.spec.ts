/**
 * The office's rubric editor: editable until the first sheet on the rubric is submitted, then
 * frozen and versioned; the scoring deadline.
 */
import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import * as s from '../../src/lib/server/db/schema';
import type { Db } from '../../src/lib/server/db';
import {
	RubricError,
	createRubricVersion,
	isRubricFrozen,
	nextRubricId,
	parseDeadline,
	rubricOverview,
	setScoringDeadline,
	updateRubric,
	validateCriteria,
	type CriterionInput
} from '../../src/lib/server/services/rubrics';
import { currentRubric, getSheet, returnSheet, rubricById, saveSheet } from '../../src/lib/server/services/scoring';
import { OFFICE, actorFor, auditActions, scoringDb } from './scoring-fixture';
import { requireScope } from '../../src/lib/server/scope';

const full = { qualification: 8, standing: 12, scale: 16, faculty: 12, facilities: 12, management: 8, plan: 12 }; // 80

function criteriaOf(db: Db, type: 'training' | 'evaluation'): CriterionInput[] {
	return currentRubric(requireScope(db), type).criteria.map((c) => ({ id: c.id, name: c.name, maxPoints: c.maxPoints, guidance: c.guidance ?? '' }));
}

function thrown(f: () => unknown): RubricError {
	try {
		f();
	} catch (e) {
		if (e instanceof RubricError) return e;
		throw e;
	}
	throw new Error('expected a RubricError');
}

describe('rubric overview', () => {
	it('shows the default rubric of each type, version 1, editable, 100 points', () => {
		const db = scoringDb();
		const o = rubricOverview(requireScope(db));
		expect(o.map((x) => x.type)).toEqual(['training', 'evaluation']);
		expect(o[0].current).toMatchObject({ id: 'rub-training', version: 1, frozen: false, total: 100, sheets: { draft: 0, submitted: 0 } });
		expect(o[0].current.criteria.map((c) => c.id)).toEqual(['qualification', 'standing', 'scale', 'faculty', 'facilities', 'management', 'plan']);
		expect(o[1].current.id).toBe('rub-evaluation');
		expect(o[1].versions).toHaveLength(1);
	});
});

describe('editing a rubric that is not frozen', () => {
	it('saves added, removed and reordered criteria and audits the change', () => {
		const db = scoringDb();
		const c = criteriaOf(db, 'training');
		// Drop "management" (10), move "plan" first and give it 20, add a new 5-point criterion: 100 − 10 + 5 + 5 = 100.
		const edited: CriterionInput[] = [
			{ ...c[6], maxPoints: '20' },
			...c.slice(0, 5),
			{ id: 'innovation', name: '特色与创新', maxPoints: 5, guidance: '有无特色培训项目' }
		];
		const r = updateRubric(db, 'rub-training', edited, OFFICE);
		expect(r.changed).toBe(true);
		expect(r.rubric.criteria.map((x) => `${x.id}:${x.maxPoints}`)).toEqual([
			'plan:20',
			'qualification:10',
			'standing:15',
			'scale:20',
			'faculty:15',
			'facilities:15',
			'innovation:5'
		]);
		expect(currentRubric(requireScope(db), 'training').criteria[0].id).toBe('plan');
		expect(auditActions(db).filter((a) => a === 'rubric.update')).toHaveLength(1);
	});

	it('does nothing (and audits nothing) when nothing changed', () => {
		const db = scoringDb();
		const r = updateRubric(db, 'rub-training', criteriaOf(db, 'training'), OFFICE);
		expect(r.changed).toBe(false);
		expect(auditActions(db)).not.toContain('rubric.update');
	});

	it('refuses a sum other than 100, bad steps, duplicates, empty names and bad ids, writing nothing', () => {
		const db = scoringDb();
		const c = criteriaOf(db, 'training');
		const sum = thrown(() => updateRubric(db, 'rub-training', [{ ...c[0], maxPoints: 9.5 }, ...c.slice(1)], OFFICE));
		expect(sum.errors.criteria).toBe('各评分项满分之和应为100分，当前为99.5分');
		const step = thrown(() => updateRubric(db, 'rub-training', [{ ...c[0], maxPoints: 10.3 }, ...c.slice(1)], OFFICE));
		expect(step.errors['criteria.0.maxPoints']).toBe('第1项：满分应大于0且为0.5的整数倍');
		const zero = thrown(() => validateCriteria([{ ...c[0], maxPoints: 0 }, ...c.slice(1)]));
		expect(zero.errors['criteria.0.maxPoints']).toBe('第1项：满分应大于0且为0.5的整数倍');
		const text = thrown(() => validateCriteria([{ ...c[0], maxPoints: '十分' }, ...c.slice(1)]));
		expect(text.errors['criteria.0.maxPoints']).toBe('第1项：满分应为数字');
		const dup = thrown(() => validateCriteria([...c.slice(0, 6), { ...c[6], id: 'scale' }]));
		expect(dup.errors['criteria.6.id']).toBe('第7项：编号“scale”与前面的评分项重复');
		const name = thrown(() => validateCriteria([{ ...c[0], name: '  ' }, ...c.slice(1)]));
		expect(name.errors['criteria.0.name']).toBe('第1项：请填写评分项名称');
		const id = thrown(() => validateCriteria([{ ...c[0], id: 'Qual 1' }, ...c.slice(1)]));
		expect(id.errors['criteria.0.id']).toMatch(/^第1项：编号只能含小写字母/);
		expect(thrown(() => validateCriteria([])).errors.criteria).toBe('至少需要一个评分项');
		expect(criteriaOf(db, 'training')).toEqual(c);
		expect(auditActions(db)).not.toContain('rubric.update');
	});

	it('accepts maxPoints in 0.5 steps written as text, with a comma or full-width digits', () => {
		const out = validateCriteria([
			{ id: 'a', name: '甲', maxPoints: '４９，５', guidance: '' },
			{ id: 'b', name: '乙', maxPoints: '50.5', guidance: '' }
		]);
		expect(out.map((x) => x.maxPoints)).toEqual([49.5, 50.5]);
	});

	it('drops draft points of removed criteria and moves those drafts to a new version; other drafts keep theirs', () => {
		const db = scoringDb();
		const a = saveSheet(db, 'app-1', 'exp-1', { version: 0, points: { qualification: 8, management: 7 }, comments: { management: '制度完整' }, comment: '' }, actorFor('exp-1'));
		const b = saveSheet(db, 'app-1', 'exp-2', { version: 0, points: { scale: 15 }, comments: {}, comment: '' }, actorFor('exp-2'));
		const c = criteriaOf(db, 'training');
		const r = updateRubric(db, 'rub-training', [...c.filter((x) => x.id !== 'management'), { id: 'extra', name: '附加项', maxPoints: 10, guidance: '' }], OFFICE);
		expect(r.draftsTouched).toBe(1);
		const a2 = getSheet(db, 'app-1', 'exp-1');
		expect(a2.points).toEqual({ qualification: 8 });
		expect(a2.comments).toEqual({});
		expect(a2.version).toBe(a.version + 1);
		expect(getSheet(db, 'app-1', 'exp-2').version).toBe(b.version);
	});
});

describe('freezing and versions', () => {
	it('freezes on the first submission; a new version goes to sheets not started, started sheets keep theirs', () => {
		const db = scoringDb();
		saveSheet(db, 'app-1', 'exp-1', { version: 0, points: full, comments: {}, comment: '' }, actorFor('exp-1'), { submit: true });
		saveSheet(db, 'app-2', 'exp-1', { version: 0, points: { scale: 10 }, comments: {}, comment: '' }, actorFor('exp-1'));
		expect(isRubricFrozen(db, 'rub-training')).toBe(true);
		expect(db.select().from(s.rubrics).where(eq(s.rubrics.id, 'rub-training')).get()!.frozenAt).not.toBeNull();

		const c = criteriaOf(db, 'training');
		const frozen = thrown(() => updateRubric(db, 'rub-training', [{ ...c[0], name: '改名' }, ...c.slice(1)], OFFICE));
		expect(frozen.status).toBe(409);
		expect(frozen.message).toContain('已冻结');
		expect(currentRubric(requireScope(db), 'training').criteria[0].name).toBe('机构资质与社会信用');

		const v2 = createRubricVersion(requireScope(db), 'training', OFFICE);
		expect(v2.id).toBe('rub-training-v2');
		expect(v2.criteria).toEqual(currentRubric(requireScope(db), 'training').criteria);
		expect(currentRubric(requireScope(db), 'training').id).toBe('rub-training-v2');
		const row = db.select().from(s.rubrics).where(eq(s.rubrics.id, 'rub-training-v2')).get()!;
		expect(row.version).toBe(2);
		expect(row.frozenAt).toBeNull();
		expect(auditActions(db)).toContain('rubric.version');

		// Started sheets keep rub-training; a sheet not started yet gets v2.
		expect(getSheet(db, 'app-1', 'exp-1').rubric.id).toBe('rub-training');
		expect(getSheet(db, 'app-2', 'exp-1').rubric.id).toBe('rub-training');
		expect(getSheet(db, 'app-1', 'exp-2').rubric.id).toBe('rub-training-v2');
		saveSheet(db, 'app-1', 'exp-2', { version: 0, points: { scale: 12 }, comments: {}, comment: '' }, actorFor('exp-2'));
		expect(db.select().from(s.sheets).where(and(eq(s.sheets.applicationId, 'app-1'), eq(s.sheets.expertId, 'exp-2'))).get()!.rubricId).toBe('rub-training-v2');

		// v2 is editable; a third version is refused while v2 is not frozen.
		const c2 = criteriaOf(db, 'training');
		updateRubric(db, 'rub-training-v2', [{ ...c2[0], maxPoints: 5 }, { ...c2[1], maxPoints: 20 }, ...c2.slice(2)], OFFICE);
		expect(currentRubric(requireScope(db), 'training').criteria.slice(0, 2).map((x) => x.maxPoints)).toEqual([5, 20]);
		expect(rubricById(db, 'rub-training')!.criteria.slice(0, 2).map((x) => x.maxPoints)).toEqual([10, 15]);
		expect(thrown(() => createRubricVersion(requireScope(db), 'training', OFFICE)).status).toBe(409);
		// The old frozen version cannot be edited either (it is frozen and not the current one).
		expect(thrown(() => updateRubric(db, 'rub-training', c, OFFICE)).status).toBe(409);

		const o = rubricOverview(requireScope(db))[0];
		expect(o.versions.map((v) => [v.id, v.version, v.frozen])).toEqual([
			['rub-training-v2', 2, false],
			['rub-training', 1, true]
		]);
		expect(o.versions[1].sheets).toEqual({ draft: 1, submitted: 1 });
	});

	it('counts a rubric with a submitted sheet but no stamp (imported) as frozen, and one whose sheet was returned', () => {
		const db = scoringDb();
		saveSheet(db, 'app-1', 'exp-1', { version: 0, points: full, comments: {}, comment: '' }, actorFor('exp-1'), { submit: true });
		db.update(s.rubrics).set({ frozenAt: null }).run();
		expect(isRubricFrozen(db, 'rub-training')).toBe(true);
		returnSheet(db, 'app-1', 'exp-1', '请复核第三项', OFFICE);
		expect(db.select().from(s.sheets).where(eq(s.sheets.status, 'submitted')).all()).toHaveLength(0);
		expect(isRubricFrozen(db, 'rub-training')).toBe(true);
		expect(isRubricFrozen(db, 'rub-evaluation')).toBe(false);
		expect(isRubricFrozen(db, 'no-such')).toBe(false);
	});

	it('names new versions after the base id', () => {
		const none = () => false;
		expect(nextRubricId('rub-training', 2, none)).toBe('rub-training-v2');
		expect(nextRubricId('rub-training-v2', 3, none)).toBe('rub-training-v3');
		expect(nextRubricId('rub-training', 2, (id) => id === 'rub-training-v2')).toBe('rub-training-v2-2');
	});
});

describe('scoring deadline', () => {
	it('sets, validates and clears the date, with an audit entry per change', () => {
		const db = scoringDb();
		expect(setScoringDeadline(requireScope(db), '2023-07-20', OFFICE)).toBe('2023-07-20');
		expect(db.select().from(s.batches).get()!.scoringDeadline).toBe('2023-07-20');
		setScoringDeadline(requireScope(db), '2023-07-20', OFFICE); // unchanged: no entry
		expect(thrown(() => setScoringDeadline(requireScope(db), '2023-02-30', OFFICE)).errors.scoringDeadline).toBe('评分截止日期应为有效日期，格式如 2023-07-10');
		expect(thrown(() => parseDeadline('7/10')).status).toBe(400);
		expect(db.select().from(s.batches).get()!.scoringDeadline).toBe('2023-07-20');
		expect(setScoringDeadline(requireScope(db), '', OFFICE)).toBeNull();
		expect(db.select().from(s.batches).get()!.scoringDeadline).toBeNull();
		expect(auditActions(db).filter((a) => a === 'batch.scoring-deadline')).toHaveLength(2);
	});
});
