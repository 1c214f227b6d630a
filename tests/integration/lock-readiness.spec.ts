/**
 * Locking asks first (issue 15, item 7): per group, the sheets not started, the drafts, the soft
 * conflicts nobody decided and the abnormal totals without an explanation; with any of them open,
 * locking needs a confirmation, and the lock records what was open.
 */
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { memoryDb } from '../../src/lib/server/db';
import * as s from '../../src/lib/server/db/schema';
import { importBundle } from '../../src/lib/server/services/bundle-import';
import { SYSTEM_ACTOR } from '../../src/lib/server/audit';
import { ResultsError, lockReadiness, lockResults } from '../../src/lib/server/services/results';
import { OFFICE, scoringBundle } from './scoring-fixture';
import { requireScope } from '../../src/lib/server/scope';

function world() {
	const b = scoringBundle() as Record<string, any>;
	b.rubrics = [{ id: 'rub-t', type: 'training', criteria: [{ id: 'all', name: '综合', maxPoints: 100, guidance: null }] }];
	// A listed teacher of app-2 works where exp-2 works: a soft conflict the chair has not decided.
	b.applications[1].people = [{ role: 'teacher', name: '王老师', workUnit: '大连理工大学', title: '教授', specialty: '人工智能', fullTime: false, phone: null }];
	const sheet = (applicationId: string, expertId: string, points: number, status = 'submitted', explanation: string | null = null) => ({
		applicationId,
		expertId,
		rubricId: 'rub-t',
		status,
		points: { all: points },
		comment: '',
		explanation
	});
	// app-1: 75, 75 and an abnormal 40 without an explanation; app-2: exp-1 in draft, exp-2 not started.
	b.scores = [sheet('app-1', 'exp-1', 75), sheet('app-1', 'exp-2', 75), sheet('app-1', 'exp-3', 40), sheet('app-2', 'exp-1', 70, 'draft')];
	const db = memoryDb();
	importBundle(db, b, SYSTEM_ACTOR);
	return db;
}

describe('lock readiness', () => {
	it('lists per group what is open, and locking needs a confirmation, recorded with the lock', () => {
		const db = world();
		const r = lockReadiness(requireScope(db));
		const ai = r.groups.find((g) => g.occupation === 'ai' && g.type === 'training')!;
		expect(ai.missingExplanations).toEqual([{ applicationId: 'app-1', expertId: 'exp-3' }]);
		expect(ai.drafts).toEqual([{ applicationId: 'app-2', expertId: 'exp-1' }]);
		expect(ai.notStarted).toContainEqual({ applicationId: 'app-2', expertId: 'exp-2' });
		expect(ai.notStarted).toContainEqual({ applicationId: 'app-4', expertId: 'exp-2' });
		// app-5 × exp-1 is a declared (hard) conflict: nothing is expected of exp-1 there.
		expect(ai.notStarted).not.toContainEqual({ applicationId: 'app-5', expertId: 'exp-1' });
		expect(ai.openConflicts).toEqual([{ applicationId: 'app-2', expertId: 'exp-2', code: 'SHARED_UNIT_WITH_STAFF' }]);
		const iot = r.groups.find((g) => g.occupation === 'iot')!;
		expect(iot.notStarted).toEqual([{ applicationId: 'app-3', expertId: 'exp-1' }]);
		// the abnormal 40 is also an open re-check finding (ABNORMAL_SCORE) until the office confirms or corrects it
		expect(ai.recheck).toEqual([{ key: expect.stringMatching(/^ABNORMAL_SCORE\|\d+\|$/), rule: 'ABNORMAL_SCORE', applicationId: 'app-1', expertId: 'exp-3', criterionId: null }]);
		expect(r.total).toBe(3 + 1 + 1 + 1 + 1);

		try {
			lockResults(requireScope(db), OFFICE);
			expect.unreachable();
		} catch (e) {
			expect(e).toBeInstanceOf(ResultsError);
			expect((e as ResultsError).field).toBe('confirm');
			expect((e as ResultsError).message).toContain(`尚有 ${r.total} 项未完成事项`);
		}
		expect(db.select({ at: s.batches.resultsLockedAt }).from(s.batches).get()!.at).toBeNull();

		lockResults(requireScope(db), OFFICE, { confirmed: true, reason: '评审报告的签字页会后补交' });
		expect(db.select({ at: s.batches.resultsLockedAt }).from(s.batches).get()!.at).not.toBeNull();
		const entry = db.select().from(s.auditLog).where(eq(s.auditLog.action, 'results.lock')).get()!;
		expect(JSON.parse(entry.detail!).openItems).toEqual({ notStarted: 3, drafts: 1, openConflicts: 1, missingExplanations: 1, recheck: 1 });
	});

	it('locks without a confirmation when nothing is open', () => {
		const db = memoryDb();
		const b = scoringBundle() as Record<string, any>;
		b.applications = b.applications.slice(0, 1);
		b.assignments = [];
		b.declarations = [];
		importBundle(db, b, SYSTEM_ACTOR);
		expect(lockReadiness(requireScope(db)).total).toBe(0);
		expect(lockResults(requireScope(db), OFFICE)).toMatch(/^[0-9a-f]{64}$/);
	});
});
