import { fail, redirect } from '@sveltejs/kit';
import { actorOf, requirePermission, requireRole } from '$lib/server/guard';
import { requestScope } from '$lib/server/batch-request';
import { expertInvitation } from '$lib/server/queries/invitations';
import { answerInvitation } from '$lib/server/services/invitations';
import { Refusal } from '$lib/server/refusal';
import { batchPhase, canChangeScores } from '$lib/domain/phases';
import { getDb } from '$lib/server/db';
import { expertTasks, hasCommitted, type ExpertTask } from '$lib/server/queries/reviews';
import { declareConflict } from '$lib/server/services/conflict-review';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { beijingDate } from '$lib/domain/time';

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
	const scope = requestScope(event);
	if (!hasCommitted(db, user.expertId, scope.batch)) redirect(303, '/expert/commitment');
	const batch = scope.batch;
	const { tasks, recused } = expertTasks(scope, user.expertId, { listOnly: true });
	const invitation = expertInvitation(scope, user.expertId);
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
		invitation,
		locked: !canChangeScores(batchPhase(scope.batch)),
		deadline,
		daysLeft: daysUntil(deadline)
	};
}) satisfies PageServerLoad;

/** The expert's answer to the invitation: 参加, or 不能参加 with a reason (only their own). */
async function answer(event: RequestEvent, kind: 'confirm' | 'decline') {
	requireRole(event, 'expert');
	const user = requirePermission(event, 'invitation.answer');
	const form = await event.request.formData();
	const values = { answer: kind, reason: String(form.get('reason') ?? '') };
	if (!user.expertId) return fail(403, { invitation: { message: '该账号未绑定专家', errors: {} as Record<string, string>, values } });
	try {
		const r = answerInvitation(requestScope(event), user, user.expertId, values, actorOf(user));
		return { answered: r.status };
	} catch (e) {
		if (e instanceof Refusal) return fail(e.status, { invitation: { message: e.message, errors: e.errors, values } });
		throw e;
	}
}

export const actions = {
	confirm: (event) => answer(event, 'confirm'),
	decline: (event) => answer(event, 'decline'),
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
