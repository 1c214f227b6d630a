/**
 * Issue 12, points 1–3: only applications a city has recommended (已推荐 / 已受理) enter the draw,
 * the results, the meeting, the shortlist, the exports and the memo; a deactivated expert loses
 * access at once and their open assignments are listed for replacement; returning an application
 * with submitted sheets needs a confirmation naming their number and takes it out of the results.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import Database from 'better-sqlite3';
import { memoryDb, type Db } from '../../src/lib/server/db';
import * as s from '../../src/lib/server/db/schema';
import { importBundle } from '../../src/lib/server/services/bundle-import';
import { SYSTEM_ACTOR } from '../../src/lib/server/audit';
import { computeResults } from '../../src/lib/server/services/batch-state';
import { buildAgenda } from '../../src/lib/server/queries/meeting';
import { resultsView } from '../../src/lib/server/queries/results-view';
import { buildMemoData, buildWorkbookData } from '../../src/lib/server/export/memo-data';
import { ResultsError, lockResults, moveMeeting, recordDecision, reopenResults } from '../../src/lib/server/services/results';
import { runDraw } from '../../src/lib/server/services/assignment';
import { ApplicationError, returnApplication } from '../../src/lib/server/services/applications';
import { setExpertActive } from '../../src/lib/server/services/experts';
import { openAssignmentsOfInactiveExperts } from '../../src/lib/server/queries/assignment-board';
import { createSession, generateSessionToken, validateSessionToken } from '../../src/lib/server/auth';
import { createUser } from '../../src/lib/server/services/users';
import { EXPERTS, OFFICE, OFFICE_USER, scoringBundle } from './scoring-fixture';
import { FIXTURES, cli, tempDir, writeJson } from './helpers';
import { requireScope } from '../../src/lib/server/scope';

const RUBRIC = { id: 'rub-t', type: 'training', criteria: [{ id: 'all', name: '综合', maxPoints: 100, guidance: null }] };

/** scoringBundle with submitted sheets: app-1 by exp-1..3, app-2 by exp-1..2, app-4 by exp-2. */
function bundleWithSheets() {
	const b = scoringBundle() as Record<string, any>;
	b.rubrics = [RUBRIC];
	const sheet = (applicationId: string, expertId: string, points: number) => ({
		applicationId,
		expertId,
		rubricId: 'rub-t',
		status: 'submitted',
		points: { all: points },
		comment: '',
		explanation: null
	});
	b.scores = [
		sheet('app-1', 'exp-1', 80),
		sheet('app-1', 'exp-2', 82),
		sheet('app-1', 'exp-3', 84),
		sheet('app-2', 'exp-1', 90),
		sheet('app-2', 'exp-2', 91),
		sheet('app-4', 'exp-2', 70)
	];
	return b;
}

function world(): Db {
	const db = memoryDb();
	importBundle(db, bundleWithSheets(), SYSTEM_ACTOR);
	db.update(s.batches).set({ assignmentsPublishedAt: new Date().toISOString() }).run();
	for (const e of EXPERTS) db.insert(s.commitments).values({ expertId: e.id, batchId: 'ln-2023-b2', textHash: 'test' }).run();
	return db;
}

const setStatus = (db: Db, id: string, status: s.ApplicationStatus) =>
	db.update(s.applications).set({ status }).where(eq(s.applications.id, id)).run();

const resultIds = (db: Db) => computeResults(requireScope(db)).results.groups.flatMap((g) => g.applications.map((a) => a.id)).sort();

describe('only recommended applications count (point 1)', () => {
	it('a draft and a returned application are in no result, agenda, shortlist, export or memo', () => {
		const db = world();
		expect(resultIds(db)).toEqual(['app-1', 'app-2', 'app-3', 'app-4', 'app-5']);
		setStatus(db, 'app-2', 'draft');
		setStatus(db, 'app-4', 'returned');
		expect(resultIds(db)).toEqual(['app-1', 'app-3', 'app-5']);

		const agendaIds = buildAgenda(requireScope(db)).flatMap((g) => g.items.map((i) => i.id));
		expect(agendaIds).not.toContain('app-2');
		expect(agendaIds).not.toContain('app-4');
		const viewIds = resultsView(requireScope(db)).groups.flatMap((g) => g.applications.map((a) => a.id));
		expect(viewIds.sort()).toEqual(['app-1', 'app-3', 'app-5']);

		const memo = buildMemoData(requireScope(db));
		const memoIds = memo.groups.flatMap((g) => g.applications.map((a) => a.id));
		expect(memoIds.sort()).toEqual(['app-1', 'app-3', 'app-5']);
		expect(memo.received.total).toBe(3);
		expect(memo.received.returned).toBe(1);
		// Sheets and assignments of the draft and the returned application are not reported either.
		expect(memo.experts.submittedSheets).toBe(3);
		expect(memo.experts.assignments).toBe(5);
		const workbook = buildWorkbookData(requireScope(db));
		expect(workbook.groups.flatMap((g) => g.proposed.map((a) => a.id))).not.toContain('app-2');
		expect(JSON.stringify(workbook.groups)).not.toContain('"app-4"');
	});

	it('a decision and the meeting refuse an application that is not recommended', () => {
		const db = world();
		setStatus(db, 'app-2', 'draft');
		expect(() => recordDecision(requireScope(db), { applicationId: 'app-2', decision: 'proposed', reason: '' }, OFFICE)).toThrow(ResultsError);
		expect(() => moveMeeting(requireScope(db), 'app-2', OFFICE)).toThrow(/未被推荐/);
		moveMeeting(requireScope(db), 'app-1', OFFICE);
		expect(db.select({ d: s.decisions.applicationId }).from(s.decisions).all()).toEqual([]);
	});

	it('the draw skips drafts and returned applications', () => {
		const db = world();
		setStatus(db, 'app-3', 'draft');
		setStatus(db, 'app-4', 'returned');
		const r = runDraw(requireScope(db), { perApplication: 3, seed: 's' }, SYSTEM_ACTOR);
		const drawnFor = new Set(r.assignments.map((a) => a.applicationId));
		expect(drawnFor.has('app-3')).toBe(false);
		expect(drawnFor.has('app-4')).toBe(false);
		expect(drawnFor.has('app-2')).toBe(true);
	});

	it('command line: an Annex imported as a draft is neither drawn for nor in results', async () => {
		const dir = tempDir();
		const file = path.join(dir, 'w.db');
		expect((await cli(file, 'import', writeJson(dir, 'b.json', bundleWithSheets()))).code).toBe(0);
		const imported = await cli(file, 'import', path.join(FIXTURES, 'annex1-filled.docx'));
		expect(imported.code).toBe(0);
		const raw = new Database(file);
		const drafts = raw.prepare("SELECT id FROM applications WHERE status = 'draft'").all() as { id: string }[];
		raw.close();
		expect(drafts).toHaveLength(1);
		const draftId = drafts[0].id;
		const results = JSON.parse((await cli(file, 'results', '--json')).stdout);
		const ids = results.groups.flatMap((g: { applications: { id: string }[] }) => g.applications.map((a) => a.id));
		expect(ids).not.toContain(draftId);
		expect(ids).toContain('app-1');
		const drawn = JSON.parse((await cli(file, 'assign', '--json', '--seed', 'x')).stdout);
		expect(drawn.assignments.map((a: { applicationId: string }) => a.applicationId)).not.toContain(draftId);
		expect(drawn.unfilled.map((a: { applicationId: string }) => a.applicationId)).not.toContain(draftId);
	});
});

describe('deactivating an expert (point 2)', () => {
	it('ends the sessions, blocks the account and lists the open assignments for replacement', async () => {
		const db = world();
		const { id: userId } = await createUser(
			db,
			{ username: 'exp-1', displayName: '专家甲', role: 'expert', region: null, expertId: 'exp-1', password: 'Review-Pass-2023' },
			OFFICE
		);
		// exp-1 holds app-1 and app-2 (submitted), app-3 and app-5 (nothing yet).
		const token = generateSessionToken();
		createSession(db, token, userId);
		expect(validateSessionToken(db, token).user?.username).toBe('exp-1');
		expect(openAssignmentsOfInactiveExperts(requireScope(db))).toEqual([]);

		setExpertActive(db, 'exp-1', false, OFFICE);
		expect(validateSessionToken(db, token).session).toBeNull();
		expect(db.select().from(s.sessions).where(eq(s.sessions.userId, userId)).all()).toEqual([]);
		expect(db.select({ a: s.users.active }).from(s.users).where(eq(s.users.id, userId)).get()!.a).toBe(false);
		const open = openAssignmentsOfInactiveExperts(requireScope(db));
		// Sorted by occupation key (ai before iot), then application.
		expect(open.map((o) => `${o.applicationId}|${o.expertId}`)).toEqual(['app-5|exp-1', 'app-3|exp-1']);
		expect(open.every((o) => o.expertName === '专家甲' && o.sheet === null)).toBe(true);
		const entry = db.select().from(s.auditLog).where(eq(s.auditLog.action, 'expert.deactivate')).get()!;
		expect(JSON.parse(entry.detail!).accounts).toEqual([userId]);

		setExpertActive(db, 'exp-1', true, OFFICE);
		expect(db.select({ a: s.users.active }).from(s.users).where(eq(s.users.id, userId)).get()!.a).toBe(true);
		expect(openAssignmentsOfInactiveExperts(requireScope(db))).toEqual([]);
	});
});

describe('returning an application with submitted sheets (point 3)', () => {
	it('asks for a confirmation naming the number of sheets, then takes it out of the results until recommended again', () => {
		const db = world();
		const ask = () => returnApplication(db, OFFICE_USER, 'app-1', '材料不全，请补充', undefined);
		expect(ask).toThrow(ApplicationError);
		try {
			ask();
		} catch (e) {
			expect((e as ApplicationError).message).toContain('3 份已提交的评分表');
			expect((e as ApplicationError).errors.confirmSheets).toBeTruthy();
		}
		// A stale confirmation (another sheet was submitted meanwhile) asks again.
		expect(() => returnApplication(db, OFFICE_USER, 'app-1', '材料不全，请补充', '2')).toThrow(/3 份/);
		expect(db.select({ st: s.applications.status }).from(s.applications).where(eq(s.applications.id, 'app-1')).get()!.st).toBe('submitted');

		returnApplication(db, OFFICE_USER, 'app-1', '材料不全，请补充', '3');
		expect(resultIds(db)).not.toContain('app-1');
		expect(db.select().from(s.sheets).where(eq(s.sheets.applicationId, 'app-1')).all()).toHaveLength(3);
		const entry = db.select().from(s.auditLog).where(eq(s.auditLog.action, 'application.return')).get()!;
		expect(JSON.parse(entry.detail!).submittedSheets).toBe(3);

		// Recommended again by the city: back in the results with its sheets.
		setStatus(db, 'app-1', 'submitted');
		const back = computeResults(requireScope(db)).results.groups.flatMap((g) => g.applications).find((a) => a.id === 'app-1')!;
		expect(back.n).toBe(3);
	});

	it('an application without submitted sheets is returned without a confirmation; locked results refuse a return with sheets', () => {
		const db = world();
		returnApplication(db, OFFICE_USER, 'app-3', '请补充评价证书材料');
		expect(db.select({ st: s.applications.status }).from(s.applications).where(eq(s.applications.id, 'app-3')).get()!.st).toBe('returned');
		lockResults(requireScope(db), OFFICE, { confirmed: true, reason: '评审报告的签字页会后补交' });
		expect(() => returnApplication(db, OFFICE_USER, 'app-2', '材料不全，请补充', '2')).toThrow(/已锁定/);
		reopenResults(requireScope(db), '会议决定补充材料后重新评议', OFFICE);
		returnApplication(db, OFFICE_USER, 'app-2', '材料不全，请补充', '2');
	});
});
