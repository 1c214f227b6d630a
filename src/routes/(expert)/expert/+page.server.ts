import { fail, redirect } from '@sveltejs/kit';
import { actorOf, requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { expertTasks, hasCommitted, type ExpertTask } from '$lib/server/queries/reviews';
import { ConflictError, declareConflict } from '$lib/server/services/conflict-review';
import type { Actions, PageServerLoad } from './$types';
import { beijingDate } from '$lib/domain/time';
import { requestScope } from '$lib/server/batch-request';
import { Refusal } from '$lib/server/refusal';

/** Whole days from today (Beijing time) to the deadline: 0 on the day itself, negative after it. */
function daysUntil(deadline: string | null, now = new Date()): number | null {
	if (!deadline) return null;
	const today = beijingDate(now);
	return Math.round((Date.parse(`${deadline}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

export const load = ((event) => {
	const user = requireRole(event, 'expert');
	const db = getDb();
	if (!user.expertId) redirect(303, '/login');
	if (!hasCommitted(db, user.expertId, requestScope(event).batch)) redirect(303, '/expert/commitment');
	const batch = requestScope(event).batch;
	const { tasks, recused } = expertTasks(requestScope(event), user.expertId);
	// Progress per group (occupation × type), in the order of the task list.
	const groups: { occupation: string; type: ExpertTask['type']; submitted: number; tasks: ExpertTask[] }[] = [];
	for (const t of tasks) {
		let g = groups.find((x) => x.occupation === t.occupation && x.type === t.type);
		if (!g) groups.push((g = { occupation: t.occupation, type: t.type, submitted: 0, tasks: [] }));
		g.tasks.push(t);
		if (t.sheetStatus === 'submitted') g.submitted++;
	}
	const deadline = batch?.scoringDeadline ?? null;
	return {
		tasks,
		groups,
		recused,
		published: !!batch?.assignmentsPublishedAt,
		deadline,
		daysLeft: daysUntil(deadline)
	};
}) satisfies PageServerLoad;

export const actions = {
	/** The expert declares a conflict with one application of the list (ground + reason); it leaves the list at once. */
	declare: async (event) => {
		const user = requireRole(event, 'expert');
		if (!user.expertId) return fail(403, { declare: { applicationId: '', ground: '', reason: '', errors: { applicationId: '该账号未绑定专家' } as Record<string, string> } });
		const form = await event.request.formData();
		const input = {
			applicationId: String(form.get('applicationId') ?? ''),
			ground: String(form.get('ground') ?? ''),
			reason: String(form.get('reason') ?? '')
		};
		try {
			const r = declareConflict(getDb(), user.expertId, input, actorOf(user));
			return { declared: r };
		} catch (e) {
			if (e instanceof Refusal) {
				return fail(e.status, { declare: { applicationId: input.applicationId, ground: input.ground, reason: input.reason, errors: { [e.field ?? 'reason']: e.message } as Record<string, string> } });
			}
			throw e;
		}
	}
} satisfies Actions;
