/**
 * The office's sheet list (states, totals, abnormal flag, filters), the return of a submitted
 * sheet with a reason as the expert then sees it, and the printable per-expert score sheet.
 */
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import * as s from '../../src/lib/server/db/schema';
import type { Db } from '../../src/lib/server/db';
import { expertsWithSheets, expertPrint, listSheets } from '../../src/lib/server/queries/sheets';
import { expertTasks } from '../../src/lib/server/queries/reviews';
import { ScoringError, abnormalities, abnormality, getSheet, returnSheet, saveSheet } from '../../src/lib/server/services/scoring';
import { OFFICE, actorFor, auditActions, scoringDb } from './scoring-fixture';
import { requireScope } from '../../src/lib/server/scope';

/** Points on the default training rubric adding up to the given parts. */
const pts = (q: number, st: number, sc: number, f: number, fa: number, m: number, p: number) => ({
	qualification: q,
	standing: st,
	scale: sc,
	faculty: f,
	facilities: fa,
	management: m,
	plan: p
});
const submit = (db: Db, app: string, exp: string, points: Record<string, number>, comment = '') =>
	saveSheet(db, app, exp, { version: getSheet(db, app, exp).version, points, comments: {}, comment }, actorFor(exp), { submit: true });

/**
 * app-1: exp-1 80, exp-2 85.5, exp-3 40 → mean 205.5 / 3 = 68.5; 20% of it is 13.7: exp-2
 * (|85.5 − 68.5| = 17) and exp-3 (28.5) are abnormal, exp-1 (11.5) is not.
 * app-2: exp-1 draft (2 of 7 criteria, 20 points); exp-2 not started.
 */
function scored(): Db {
	const db = scoringDb();
	submit(db, 'app-1', 'exp-1', pts(8, 12, 16, 12, 12, 8, 12), '材料完整');
	submit(db, 'app-1', 'exp-2', pts(9, 13, 17, 13, 13, 8.5, 12));
	submit(db, 'app-1', 'exp-3', pts(4, 6, 8, 6, 6, 4, 6));
	saveSheet(db, 'app-2', 'exp-1', { version: 0, points: { qualification: 8, scale: 12 }, comments: {}, comment: '' }, actorFor('exp-1'));
	return db;
}

describe('the sheet list', () => {
	it('lists every stored sheet with state, total, progress and abnormal flag', () => {
		const db = scored();
		const rows = listSheets(requireScope(db));
		expect(rows.map((r) => [r.applicationId, r.expertId, r.state, r.total, r.scored, r.criteria])).toEqual([
			['app-1', 'exp-1', 'submitted', 80, 7, 7],
			['app-1', 'exp-2', 'submitted', 85.5, 7, 7],
			['app-1', 'exp-3', 'submitted', 40, 7, 7],
			['app-2', 'exp-1', 'draft', 20, 2, 7]
		]);
		expect(rows.map((r) => r.abnormal && r.abnormal.mean)).toEqual([null, 68.5, 68.5, null]);
		expect(rows[0].institutionName).toBe('辽宁甲乙智能科技有限公司');
		expect(rows[0].expertName).toBe('专家甲');
		expect(rows[0].submittedAt).not.toBeNull();
		expect(rows[3].submittedAt).toBeNull();
		expect(expertsWithSheets(requireScope(db))).toEqual([
			{ id: 'exp-1', name: '专家甲' },
			{ id: 'exp-2', name: '专家乙' },
			{ id: 'exp-3', name: '专家丙' }
		]);
	});

	it('the flags of the whole list at once are those of each sheet asked alone', () => {
		const db = scored();
		const all = abnormalities(requireScope(db));
		const submitted = db.select().from(s.sheets).where(eq(s.sheets.status, 'submitted')).all();
		expect(submitted.length).toBe(3);
		for (const r of submitted) expect(all.get(`${r.applicationId}|${r.expertId}`) ?? null).toEqual(abnormality(db, r.applicationId, r.expertId));
		expect([...all.keys()].sort()).toEqual(['app-1|exp-2', 'app-1|exp-3']);
	});

	it('filters by occupation, state, expert and abnormal', () => {
		const db = scored();
		expect(listSheets(requireScope(db), { expertId: 'exp-1' }).map((r) => r.applicationId)).toEqual(['app-1', 'app-2']);
		expect(listSheets(requireScope(db), { state: 'draft' }).map((r) => `${r.applicationId}/${r.expertId}`)).toEqual(['app-2/exp-1']);
		expect(listSheets(requireScope(db), { abnormalOnly: true }).map((r) => r.expertId)).toEqual(['exp-2', 'exp-3']);
		expect(listSheets(requireScope(db), { occupation: 'iot' })).toEqual([]);
		expect(listSheets(requireScope(db), { occupation: 'ai', state: 'submitted', expertId: 'exp-3' })).toHaveLength(1);
	});
});

describe('returning a sheet', () => {
	it('sends a submitted sheet back with the reason; the expert sees it editable and 已退回, the first scores are kept', () => {
		const db = scored();
		returnSheet(db, 'app-1', 'exp-3', '第三项评分明显偏低，请复核', OFFICE);
		const row = listSheets(requireScope(db), { expertId: 'exp-3' })[0];
		expect(row).toMatchObject({ state: 'returned', returnedReason: '第三项评分明显偏低，请复核', rounds: 1, total: 40, submittedAt: null, abnormal: null });
		expect(listSheets(requireScope(db), { state: 'returned' })).toHaveLength(1);
		const sheet = getSheet(db, 'app-1', 'exp-3');
		expect(sheet.status).toBe('draft');
		expect(sheet.returnedReason).toBe('第三项评分明显偏低，请复核');
		expect(expertTasks(requireScope(db), 'exp-3').tasks.find((t) => t.applicationId === 'app-1')!.sheetStatus).toBe('returned');
		const history = db.select().from(s.sheetHistory).all();
		expect(history).toHaveLength(1);
		expect(history[0]).toMatchObject({ round: 1, total: 40, returnedReason: '第三项评分明显偏低，请复核' });
		expect(auditActions(db)).toContain('sheet.return');

		// The expert re-scores and submits again; the reason stays on record, the state is submitted.
		submit(db, 'app-1', 'exp-3', pts(7, 11, 15, 11, 11, 7, 11));
		expect(listSheets(requireScope(db), { expertId: 'exp-3' })[0]).toMatchObject({ state: 'submitted', total: 73, rounds: 1 });
	});

	it('refuses a draft, a missing sheet and an empty reason, writing nothing', () => {
		const db = scored();
		const code = (f: () => void) => {
			try {
				f();
			} catch (e) {
				return e instanceof ScoringError ? [e.status, e.message] : e;
			}
			return null;
		};
		expect(code(() => returnSheet(db, 'app-2', 'exp-1', '请复核', OFFICE))).toEqual([409, '只有已提交的评分表可以退回']);
		expect(code(() => returnSheet(db, 'app-2', 'exp-2', '请复核', OFFICE))).toEqual([404, '没有找到该评分表']);
		expect(code(() => returnSheet(db, 'app-1', 'exp-1', ' ', OFFICE))).toEqual([400, '请填写退回理由']);
		expect(db.select().from(s.sheetHistory).all()).toHaveLength(0);
		expect(db.select().from(s.sheets).where(eq(s.sheets.status, 'submitted')).all()).toHaveLength(3);
	});
});

describe('the printable score sheet', () => {
	it('holds the expert’s own applications, grouped, with own points and totals only', () => {
		const db = scored();
		const p = expertPrint(requireScope(db), 'exp-1')!;
		expect(p.expert).toEqual({ id: 'exp-1', name: '专家甲', workUnit: '东北大学', title: null });
		expect(p.batchName).toBe('辽宁省第二批');
		expect([p.submitted, p.total]).toEqual([1, 3]);
		expect(p.groups.map((g) => [g.occupation, g.type, g.rubricId, g.rubricVersion, g.rows.map((r) => r.applicationId)])).toEqual([
			['ai', 'training', 'rub-training', 1, ['app-2', 'app-1']],
			['iot', 'evaluation', 'rub-evaluation', 1, ['app-3']]
		]);
		const [app2, app1] = p.groups[0].rows;
		expect(app1).toMatchObject({ state: 'submitted', total: 80, comment: '材料完整', points: pts(8, 12, 16, 12, 12, 8, 12) });
		expect(app2).toMatchObject({ state: 'draft', total: 20, points: { qualification: 8, scale: 12 } });
		expect(p.groups[1].rows[0]).toMatchObject({ state: 'not-started', total: null, points: {} });
		// Nothing of exp-2's or exp-3's sheets.
		const text = JSON.stringify(p);
		expect(text).not.toContain('85.5');
		expect(text).not.toContain('exp-2');
		expect(expertPrint(requireScope(db), 'no-such')).toBeNull();
	});
});
