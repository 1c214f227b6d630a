import { error, redirect } from '@sveltejs/kit';
import { actorOf, requirePermission, requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { meetingView } from '$lib/server/queries/meeting';
import { hasCommitted } from '$lib/server/queries/reviews';
import { castVote, expertBallot } from '$lib/server/services/votes';
import { refusal } from '$lib/server/refusal';
import type { Actions, PageServerLoad } from './$types';
import { requestScope } from '$lib/server/batch-request';

export const load = ((event) => {
	const user = requireRole(event, 'expert');
	const scope = requestScope(event);
	if (!user.expertId || !hasCommitted(getDb(), user.expertId, scope.batch)) redirect(303, '/expert/commitment');
	const view = meetingView(scope, { expertId: user.expertId });
	// The member's own ballot on the current item (their own vote only; nothing of the others').
	return { view, ballot: view.state === 'item' ? expertBallot(scope, user.expertId) : null };
}) satisfies PageServerLoad;

export const actions = {
	vote: async (event) => {
		const user = requirePermission(event, 'vote.cast');
		const scope = requestScope(event);
		if (!user.expertId || !hasCommitted(getDb(), user.expertId, scope.batch)) error(403, '请先阅读并接受评审承诺书');
		const form = await event.request.formData();
		const values = { roundId: String(form.get('roundId') ?? ''), choice: String(form.get('choice') ?? '') };
		try {
			castVote(scope, user.expertId, values as { roundId: string; choice: 'agree' }, actorOf(user));
			return { ok: '已投票；表决结束前可以改票' };
		} catch (e) {
			return refusal(e);
		}
	}
} satisfies Actions;
