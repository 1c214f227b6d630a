import { fail } from '@sveltejs/kit';
import { actorOf, requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { resultsView } from '$lib/server/queries/results-view';
import { computeFindings } from '$lib/server/services/batch-state';
import { ResultsError, lockReadiness, lockResults, reopenResults } from '$lib/server/services/results';
import { loadExperts } from '$lib/server/queries/bundle';
import type { Actions, PageServerLoad } from './$types';
import { requestScope } from '$lib/server/batch-request';
import { Refusal } from '$lib/server/refusal';
import { unsignedReports } from '$lib/server/services/review-report';
import { heldGroups } from '$lib/server/queries/held-groups';

export const load = ((event) => {
	requireRole(event, 'office');
	const db = getDb();
	const view = resultsView(requestScope(event));
	const f = computeFindings(requestScope(event));
	const info = new Map(f.applications.map((a) => [a.app.id, { region: a.app.region, levels: a.app.levels }]));
	const readiness = view.locked ? null : lockReadiness(requestScope(event));
	// The review reports not fully signed: locking then needs a written reason (stored as the lock note).
	const unsigned = view.locked ? null : unsignedReports(requestScope(event));
	const expertNames = readiness?.total || unsigned?.missing.length ? Object.fromEntries(loadExperts(db).map((e) => [e.id, e.name])) : {};
	// Groups whose final list an open objection holds (公示异议未办结).
	const held = Object.fromEntries(heldGroups(requestScope(event)));
	return { ...view, info: Object.fromEntries(info), readiness, unsigned: unsigned?.missing ?? [], expertNames, lockNote: requestScope(event).batch.lockNote, held };
}) satisfies PageServerLoad;

export const actions = {
	lock: async (event) => {
		const user = requireRole(event, 'office');
		const form = await event.request.formData();
		try {
			const reason = String(form.get('reason') ?? '').trim() || null;
			const hash = lockResults(requestScope(event), actorOf(user), { confirmed: form.get('confirm') === 'on', reason });
			return { ok: `评审结果已锁定，数据摘要 ${hash}` };
		} catch (e) {
			if (e instanceof Refusal) return fail(e.status, { error: e.message, field: e.field });
			throw e;
		}
	},
	reopen: async (event) => {
		const user = requireRole(event, 'office');
		const form = await event.request.formData();
		try {
			reopenResults(requestScope(event), String(form.get('reason') ?? ''), actorOf(user));
			return { ok: '评审结果已重新开放，修改后须重新锁定' };
		} catch (e) {
			if (e instanceof Refusal) return fail(e.status, { error: e.message, field: e.field });
			throw e;
		}
	}
} satisfies Actions;
