/**
 * The re-check (复核, issue 14 item 1): corrections write their row and move the score; refused
 * corrections write nothing; confirmations (核实无误) mark a finding handled for the values they
 * confirmed; nothing after locking; unhandled findings are open items of the lock; the objective
 * flag round-trips through the bundle; the offline workbook's total cell becomes the declared total.
 */
import { describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { Db } from '../../src/lib/server/db';
import { memoryDb } from '../../src/lib/server/db';
import * as s from '../../src/lib/server/db/schema';
import { importBundle, BundleImportError } from '../../src/lib/server/services/bundle-import';
import { exportBundle } from '../../src/lib/server/queries/bundle';
import { SYSTEM_ACTOR } from '../../src/lib/server/audit';
import { requireScope } from '../../src/lib/server/scope';
import { Refusal } from '../../src/lib/server/refusal';
import { computeResults } from '../../src/lib/server/services/batch-state';
import { lockReadiness, lockResults } from '../../src/lib/server/services/results';
import { confirmFinding, correctSheet, setObjectiveTolerance, type CorrectionInput } from '../../src/lib/server/services/recheck';
import { recheckState } from '../../src/lib/server/queries/recheck';
import { updateRubric } from '../../src/lib/server/services/rubrics';
import { buildOfflineWorkbook } from '../../src/lib/server/export/offline-sheet';
import { applyOfflinePlan, previewOfflineWorkbook } from '../../src/lib/server/import/offline-sheet';
import { OFFICE, actorFor, scoringBundle } from './scoring-fixture';

const RUBRIC = {
	id: 'rub-t',
	type: 'training',
	criteria: [
		{ id: 'scale', name: '培训规模', maxPoints: 20, guidance: null, objective: true },
		{ id: 'rest', name: '其余各项', maxPoints: 80, guidance: null }
	]
};

/**
 * app-1 (ai, training): exp-1 16 + 60 with a declared total of 80 (sum 76), exp-2 12 + 60,
 * exp-3 16 + 30 (abnormal, no explanation). "scale" is objective, tolerance 0.
 */
function world(): Db {
	const b = scoringBundle() as Record<string, any>;
	b.rubrics = [RUBRIC];
	const sheet = (expertId: string, scale: number, rest: number) => ({
		applicationId: 'app-1',
		expertId,
		rubricId: 'rub-t',
		status: 'submitted',
		points: { scale, rest },
		comment: '',
		explanation: null
	});
	b.scores = [sheet('exp-1', 16, 60), sheet('exp-2', 12, 60), sheet('exp-3', 16, 30)];
	const db = memoryDb();
	importBundle(db, b, SYSTEM_ACTOR);
	db.insert(s.users).values({ id: OFFICE.userId!, username: 'office', displayName: '省厅经办人', role: 'office', passwordHash: 'x' }).run();
	db.update(s.batches).set({ assignmentsPublishedAt: new Date().toISOString() }).run();
	db.update(s.sheets).set({ declaredTotal: 80 }).where(and(eq(s.sheets.applicationId, 'app-1'), eq(s.sheets.expertId, 'exp-1'))).run();
	return db;
}

const sheetId = (db: Db, expertId: string, applicationId = 'app-1') =>
	db.select({ id: s.sheets.id }).from(s.sheets).where(and(eq(s.sheets.applicationId, applicationId), eq(s.sheets.expertId, expertId))).get()!.id;
const rulesOf = (db: Db) => recheckState(requireScope(db)).findings.map((f) => `${f.rule}${f.handled ? ':handled' : ''}`);
const app1Score = (db: Db) => computeResults(requireScope(db)).results.groups.flatMap((g) => g.applications).find((a) => a.id === 'app-1')!.score;

/** Everything a correction may write, to compare before and after a refusal. */
function snapshot(db: Db) {
	return JSON.stringify({
		corrections: db.select().from(s.scoreCorrections).all(),
		points: db.all(sql`SELECT sheet_id, criterion_id, points FROM sheet_points ORDER BY sheet_id, criterion_id`),
		sheets: db.all(sql`SELECT id, version, declared_total, updated_at FROM score_sheets ORDER BY id`),
		audit: db.select({ n: sql<number>`count(*)` }).from(s.auditLog).get()!.n,
		tolerance: db.select({ t: s.batches.objectiveTolerance }).from(s.batches).all()
	});
}

function refused(db: Db, run: () => unknown): Refusal {
	const before = snapshot(db);
	let caught: unknown;
	try {
		run();
	} catch (e) {
		caught = e;
	}
	expect(caught).toBeInstanceOf(Refusal);
	expect(snapshot(db)).toBe(before);
	return caught as Refusal;
}

describe('re-check findings of a batch', () => {
	it('finds the declared total, the objective criterion and the abnormal score', () => {
		const db = world();
		const st = recheckState(requireScope(db));
		expect(st.findings.map((f) => [f.rule, f.expertId])).toEqual([
			['TOTAL_MISMATCH', 'exp-1'],
			['OBJECTIVE_DIFFERS', null],
			['ABNORMAL_SCORE', 'exp-3']
		]);
		const od = st.findings.find((f) => f.rule === 'OBJECTIVE_DIFFERS')!;
		expect(od.members!.map((m) => [m.expertId, m.points])).toEqual([
			['exp-1', 16],
			['exp-2', 12],
			['exp-3', 16]
		]);
		expect(st.groups.find((g) => g.occupation === 'ai' && g.type === 'training')!.open).toBe(3);
		expect(lockReadiness(requireScope(db)).groups.find((g) => g.occupation === 'ai' && g.type === 'training')!.recheck.map((r) => r.rule)).toEqual([
			'TOTAL_MISMATCH',
			'OBJECTIVE_DIFFERS',
			'ABNORMAL_SCORE'
		]);
	});
});

describe('corrections', () => {
	it('correcting the declared total writes the row, moves the total and clears the finding', () => {
		const db = world();
		const id = sheetId(db, 'exp-1');
		const version = db.select({ v: s.sheets.version }).from(s.sheets).where(eq(s.sheets.id, id)).get()!.v;
		const r = correctSheet(requireScope(db), { sheetId: String(id), target: 'total', rule: 'TOTAL_MISMATCH', newValue: '76', reason: '纸质评分表合计誊录有误，按各项得分核对' }, OFFICE);
		expect(r).toMatchObject({ sheetId: id, criterionId: null, oldValue: 80, newValue: 76 });
		const row = db.select().from(s.scoreCorrections).get()!;
		expect(row).toMatchObject({ sheetId: id, criterionId: null, rule: 'TOTAL_MISMATCH', oldValue: 80, newValue: 76, reason: '纸质评分表合计誊录有误，按各项得分核对', userId: OFFICE.userId });
		const sheet = db.select().from(s.sheets).where(eq(s.sheets.id, id)).get()!;
		expect(sheet.declaredTotal).toBe(76);
		expect(sheet.version).toBe(version + 1);
		expect(rulesOf(db)).not.toContain('TOTAL_MISMATCH');
		const entry = db.select().from(s.auditLog).where(eq(s.auditLog.action, 'sheet.correct')).get()!;
		expect(JSON.parse(entry.detail!)).toMatchObject({ applicationId: 'app-1', expertId: 'exp-1', criterionId: null, old: 80, new: 76 });
		expect(recheckState(requireScope(db)).corrections).toMatchObject([{ sheetId: id, userName: '省厅经办人', confirmation: false }]);
	});

	it('correcting one criterion’s points moves the score and clears OBJECTIVE_DIFFERS when the panel then agrees', () => {
		const db = world();
		const before = app1Score(db)!;
		const id = sheetId(db, 'exp-2');
		correctSheet(requireScope(db), { sheetId: id, target: 'points', criterionId: 'scale', rule: 'OBJECTIVE_DIFFERS', newValue: '16', reason: '按申报表近5年培训人数核对，应得16分' }, OFFICE);
		expect(db.select({ p: s.sheetPoints.points }).from(s.sheetPoints).where(and(eq(s.sheetPoints.sheetId, id), eq(s.sheetPoints.criterionId, 'scale'))).get()!.p).toBe(16);
		expect(app1Score(db)!).toBeCloseTo(before + 4 / 3);
		expect(rulesOf(db)).not.toContain('OBJECTIVE_DIFFERS');
		expect(db.select().from(s.scoreCorrections).get()).toMatchObject({ criterionId: 'scale', oldValue: 12, newValue: 16, rule: 'OBJECTIVE_DIFFERS' });
	});

	it('refused corrections name the field and write nothing', () => {
		const db = world();
		const id = sheetId(db, 'exp-1');
		const base: CorrectionInput = { sheetId: id, target: 'points', criterionId: 'scale', rule: 'OBJECTIVE_DIFFERS', newValue: '15', reason: '核对申报表数据' };
		const field = (raw: Partial<CorrectionInput>) => refused(db, () => correctSheet(requireScope(db), { ...base, ...raw } as CorrectionInput, OFFICE)).field;
		expect(field({ reason: '' })).toBe('reason');
		expect(field({ reason: '核对' .slice(0, 1) })).toBe('reason');
		expect(field({ newValue: '' })).toBe('newValue');
		expect(field({ newValue: 'abc' })).toBe('newValue');
		expect(field({ newValue: '-1' })).toBe('newValue');
		expect(field({ newValue: '20.5' })).toBe('newValue');
		expect(field({ newValue: '12.3' })).toBe('newValue');
		expect(field({ newValue: '16' })).toBe('newValue'); // the value it already has
		expect(field({ criterionId: 'nope' })).toBe('criterionId');
		expect(field({ criterionId: '' })).toBe('criterionId');
		expect(field({ target: 'whatever' as 'points' })).toBe('target');
		expect(field({ rule: 'MADE_UP' as 'OTHER' })).toBe('rule');
		expect(field({ sheetId: 'x' as unknown as number })).toBe('sheetId');
		expect(field({ sheetId: 99999 })).toBe('sheetId');
		// the declared total: only on a sheet that has one, and in range
		expect(field({ target: 'total', newValue: '-2' })).toBe('newValue');
		expect(field({ target: 'total', newValue: '80' })).toBe('newValue');
		expect(field({ sheetId: sheetId(db, 'exp-2'), target: 'total', newValue: '70' })).toBe('target');
		// a draft is still the expert's
		db.update(s.sheets).set({ status: 'draft' }).where(eq(s.sheets.id, id)).run();
		expect(refused(db, () => correctSheet(requireScope(db), base, OFFICE)).status).toBe(409);
	});

	it('a sheet of another batch is not found from this one', () => {
		const db = world();
		const other = scoringBundle() as Record<string, any>;
		other.batch = { id: 'ln-2024-b1', name: '辽宁省第三批' };
		other.rubrics = [{ ...RUBRIC }];
		other.scores = [{ applicationId: 'app-1', expertId: 'exp-1', rubricId: 'rub-t', status: 'submitted', points: { scale: 10, rest: 10 }, comment: '', explanation: null }];
		importBundle(db, other, SYSTEM_ACTOR);
		const foreign = db.all<{ id: number }>(sql`SELECT id FROM score_sheets WHERE application_id IN (SELECT id FROM applications WHERE batch_id = 'ln-2024-b1')`)[0].id;
		const e = refused(db, () =>
			correctSheet(requireScope(db, 'ln-2023-b2'), { sheetId: foreign, target: 'points', criterionId: 'scale', rule: 'OTHER', newValue: '12', reason: '跨批次更正' }, OFFICE)
		);
		expect(e.status).toBe(404);
	});
});

describe('核实无误', () => {
	it('confirming ABNORMAL_SCORE records old = new and marks it handled until the total moves', () => {
		const db = world();
		const key = recheckState(requireScope(db)).findings.find((f) => f.rule === 'ABNORMAL_SCORE')!.key;
		confirmFinding(requireScope(db), { findingKey: key, reason: '经核对申报材料，该专家评分依据充分' }, OFFICE);
		const row = db.select().from(s.scoreCorrections).get()!;
		expect(row).toMatchObject({ sheetId: sheetId(db, 'exp-3'), criterionId: null, rule: 'ABNORMAL_SCORE', oldValue: 46, newValue: 46 });
		expect(rulesOf(db)).toContain('ABNORMAL_SCORE:handled');
		expect(lockReadiness(requireScope(db)).groups[0].recheck.map((r) => r.rule)).not.toContain('ABNORMAL_SCORE');
		// confirming again is refused; a later correction of the sheet's points opens it again
		expect(refused(db, () => confirmFinding(requireScope(db), { findingKey: key, reason: '再次核实无误' }, OFFICE)).status).toBe(409);
		correctSheet(requireScope(db), { sheetId: sheetId(db, 'exp-3'), target: 'points', criterionId: 'rest', rule: 'OTHER', newValue: '28', reason: '誊录错误' }, OFFICE);
		expect(recheckState(requireScope(db)).findings.find((f) => f.rule === 'ABNORMAL_SCORE')).toMatchObject({ expertId: 'exp-3', total: 44, handled: false });
	});

	it('confirming OBJECTIVE_DIFFERS writes one row per panel member with their value', () => {
		const db = world();
		const key = recheckState(requireScope(db)).findings.find((f) => f.rule === 'OBJECTIVE_DIFFERS')!.key;
		expect(confirmFinding(requireScope(db), { findingKey: key, reason: '两位专家对合作培训人数的认定不同，均有依据' }, OFFICE)).toEqual({ rows: 3 });
		expect(db.select({ c: s.scoreCorrections.criterionId, o: s.scoreCorrections.oldValue, n: s.scoreCorrections.newValue }).from(s.scoreCorrections).all()).toEqual([
			{ c: 'scale', o: 16, n: 16 },
			{ c: 'scale', o: 12, n: 12 },
			{ c: 'scale', o: 16, n: 16 }
		]);
		expect(rulesOf(db)).toContain('OBJECTIVE_DIFFERS:handled');
		expect(db.select().from(s.auditLog).where(eq(s.auditLog.action, 'recheck.confirm')).get()).toBeTruthy();
	});

	it('is refused for TOTAL_MISMATCH, for an unknown finding and without a reason', () => {
		const db = world();
		const findings = recheckState(requireScope(db)).findings;
		const total = findings.find((f) => f.rule === 'TOTAL_MISMATCH')!.key;
		expect(refused(db, () => confirmFinding(requireScope(db), { findingKey: total, reason: '核实无误的理由' }, OFFICE)).status).toBe(409);
		expect(refused(db, () => confirmFinding(requireScope(db), { findingKey: 'ABNORMAL_SCORE|999|', reason: '核实无误的理由' }, OFFICE)).status).toBe(404);
		expect(refused(db, () => confirmFinding(requireScope(db), { findingKey: findings[2].key, reason: ' ' }, OFFICE)).field).toBe('reason');
	});
});

describe('the tolerance', () => {
	it('a tolerance of 4 points accepts the 16/12 spread; bad values are refused by name', () => {
		const db = world();
		expect(setObjectiveTolerance(requireScope(db), '4', OFFICE)).toBe(4);
		expect(rulesOf(db)).not.toContain('OBJECTIVE_DIFFERS');
		for (const bad of ['-1', 'abc', '0.3', '21']) {
			expect(refused(db, () => setObjectiveTolerance(requireScope(db), bad, OFFICE)).field).toBe('objectiveTolerance');
		}
	});
});

describe('after locking', () => {
	it('corrections, confirmations and the tolerance are refused and write nothing', () => {
		const db = world();
		const key = recheckState(requireScope(db)).findings.find((f) => f.rule === 'ABNORMAL_SCORE')!.key;
		lockResults(requireScope(db), OFFICE, { confirmed: true, reason: '测试锁定：评审报告签字另行核对' });
		const entry = db.select().from(s.auditLog).where(eq(s.auditLog.action, 'results.lock')).get()!;
		expect(JSON.parse(entry.detail!).openItems.recheck).toBe(3);
		const c = refused(db, () =>
			correctSheet(requireScope(db), { sheetId: sheetId(db, 'exp-1'), target: 'total', rule: 'TOTAL_MISMATCH', newValue: '76', reason: '锁定后更正' }, OFFICE)
		);
		expect(c.status).toBe(409);
		expect(c.message).toContain('已锁定');
		expect(refused(db, () => confirmFinding(requireScope(db), { findingKey: key, reason: '锁定后核实' }, OFFICE)).status).toBe(409);
		expect(refused(db, () => setObjectiveTolerance(requireScope(db), '2', OFFICE)).status).toBe(409);
	});
});

describe('objective criteria', () => {
	it('round-trip through the bundle: exported as "objective": true only where marked', () => {
		const db = world();
		const out = exportBundle(requireScope(db));
		const rub = out.rubrics.find((r) => r.id === 'rub-t')!;
		expect(rub.criteria[0]).toMatchObject({ id: 'scale', objective: true });
		expect('objective' in rub.criteria[1]).toBe(false);
		const json = JSON.stringify(out);
		const again = memoryDb();
		importBundle(again, JSON.parse(json), SYSTEM_ACTOR);
		expect(JSON.stringify(exportBundle(requireScope(again)))).toBe(json);
		expect(again.select({ o: s.criteria.objective }).from(s.criteria).where(eq(s.criteria.id, 'scale')).get()!.o).toBe(true);
	});

	it('the bundle refuses a non-boolean objective, naming the path', () => {
		const b = scoringBundle() as Record<string, any>;
		b.rubrics = [{ ...RUBRIC, criteria: [{ ...RUBRIC.criteria[0], objective: 'yes' }, RUBRIC.criteria[1]] }];
		try {
			importBundle(memoryDb(), b, SYSTEM_ACTOR);
			expect.unreachable();
		} catch (e) {
			expect(e).toBeInstanceOf(BundleImportError);
			expect((e as BundleImportError).errors.map((x) => x.path)).toContain('rubrics[0].criteria[0].objective');
		}
	});

	it('a frozen rubric cannot change its objective marks through the bundle', () => {
		const db = world();
		const b = exportBundle(requireScope(db)) as Record<string, any>;
		b.rubrics[0].criteria[1].objective = true;
		expect(() => importBundle(db, b, SYSTEM_ACTOR)).toThrow(BundleImportError);
	});

	it('the rubric editor marks a criterion objective while the rubric is editable', () => {
		const db = memoryDb();
		importBundle(db, { ...scoringBundle(), rubrics: [{ ...RUBRIC, criteria: RUBRIC.criteria.map((c) => ({ ...c, objective: false })) }] }, SYSTEM_ACTOR);
		const r = updateRubric(
			db,
			'rub-t',
			[
				{ id: 'scale', name: '培训规模', maxPoints: 20, guidance: '', objective: 'on' },
				{ id: 'rest', name: '其余各项', maxPoints: 80, guidance: '' }
			],
			OFFICE
		);
		expect(r.changed).toBe(true);
		expect(r.rubric.criteria.map((c) => !!c.objective)).toEqual([true, false]);
		expect(db.select({ id: s.criteria.id, o: s.criteria.objective }).from(s.criteria).all()).toEqual([
			{ id: 'scale', o: true },
			{ id: 'rest', o: false }
		]);
	});
});

describe('declared totals from the offline workbook', () => {
	it('a total typed over the formula is stored as declared_total; the untouched formula is not', async () => {
		const db = world();
		// exp-1's app-2 sheet starts empty; the workbook fills it
		db.update(s.sheets).set({ declaredTotal: null }).run();
		const scope = requireScope(db);
		const wb = await buildOfflineWorkbook(scope, 'exp-1');
		const book = new ExcelJS.Workbook();
		await book.xlsx.load(wb.buffer as unknown as ArrayBuffer);
		const ws = book.getWorksheet('app-2')!;
		ws.getCell('C5').value = 15;
		ws.getCell('C6').value = 60;
		ws.getCell('C7').value = 70; // the total row, typed over: 15 + 60 = 75
		const buf = Buffer.from(await book.xlsx.writeBuffer());
		const preview = await previewOfflineWorkbook(scope, 'exp-1', buf);
		expect(preview.problems).toEqual([]);
		const item = preview.items.find((i) => i.applicationId === 'app-2')!;
		expect(item.plan!.declaredTotal).toBe(70);
		applyOfflinePlan(scope, 'exp-1', preview.plan, [], actorFor('exp-1'));
		expect(db.select({ d: s.sheets.declaredTotal }).from(s.sheets).where(eq(s.sheets.id, sheetId(db, 'exp-1', 'app-2'))).get()!.d).toBe(70);

		// the formula left as it was: no declared total
		const book2 = new ExcelJS.Workbook();
		await book2.xlsx.load((await buildOfflineWorkbook(scope, 'exp-1')).buffer as unknown as ArrayBuffer);
		book2.getWorksheet('app-2')!.getCell('C5').value = 14;
		const p2 = await previewOfflineWorkbook(scope, 'exp-1', Buffer.from(await book2.xlsx.writeBuffer()));
		expect(p2.problems).toEqual([]);
		expect(p2.items.find((i) => i.applicationId === 'app-2')!.plan!.declaredTotal).toBeNull();
	});
});
