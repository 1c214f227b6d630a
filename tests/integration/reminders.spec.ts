/**
 * 催办 (issue 15, item 9): who is reminded — active experts with published, unconflicted
 * assignments on recommended applications whose sheet is not submitted — with their phones.
 */
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import * as s from '../../src/lib/server/db/schema';
import { reminders } from '../../src/lib/server/queries/reminders';
import { setExpertActive } from '../../src/lib/server/services/experts';
import { importBundle } from '../../src/lib/server/services/bundle-import';
import { SYSTEM_ACTOR } from '../../src/lib/server/audit';
import { OFFICE, scoringDb } from './scoring-fixture';
import { requireScope } from '../../src/lib/server/scope';

describe('reminders', () => {
	it('lists open sheets per expert, leaving out submitted, conflicted, unrecommended and inactive', () => {
		const db = scoringDb();
		importBundle(
			db,
			{
				experts: [{ id: 'exp-2', name: '专家乙', workUnit: '大连理工大学', occupations: ['ai', 'iot'], phone: '13900002222' }],
				rubrics: [{ id: 'rub-t', type: 'training', criteria: [{ id: 'all', name: '综合', maxPoints: 100, guidance: null }] }],
				scores: [
					{ applicationId: 'app-1', expertId: 'exp-1', rubricId: 'rub-t', status: 'submitted', points: { all: 80 }, comment: '', explanation: null },
					{ applicationId: 'app-2', expertId: 'exp-1', rubricId: 'rub-t', status: 'draft', points: { all: 70 }, comment: '', explanation: null }
				]
			},
			SYSTEM_ACTOR
		);
		db.update(s.applications).set({ status: 'draft' }).where(eq(s.applications.id, 'app-4')).run();
		const r = reminders(requireScope(db));
		expect(r.published).toBe(true);
		const byId = new Map(r.rows.map((x) => [x.expertId, x]));
		// exp-1: app-2 draft, app-3 not started; app-1 submitted; app-5 recused (declared conflict).
		expect(byId.get('exp-1')!.items.map((i) => `${i.applicationId}:${i.state}`)).toEqual(['app-2:draft', 'app-3:not-started']);
		expect(byId.get('exp-1')).toMatchObject({ notStarted: 1, drafts: 1 });
		// exp-2: app-1 and app-2 (app-4 is a draft of its city now: not reminded).
		expect(byId.get('exp-2')!.items.map((i) => i.applicationId)).toEqual(['app-1', 'app-2']);
		expect(byId.get('exp-2')!.phone).toBe('13900002222');
		expect(byId.get('exp-3')!.items.map((i) => i.applicationId)).toEqual(['app-1']);

		setExpertActive(db, 'exp-3', false, OFFICE);
		expect(reminders(requireScope(db)).rows.map((x) => x.expertId)).not.toContain('exp-3');
	});

	it('nothing before the roster is published', () => {
		const db = scoringDb({ publish: false });
		expect(reminders(requireScope(db))).toMatchObject({ rows: [], published: false });
	});
});
