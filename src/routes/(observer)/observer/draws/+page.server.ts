import { fail } from '@sveltejs/kit';
import { actorOf, requirePermission, requireRole } from '$lib/server/guard';
import { requestScope } from '$lib/server/batch-request';
import { drawList } from '$lib/server/queries/draw-record';
import { confirmDrawRecord } from '$lib/server/services/draw-record';
import { Refusal } from '$lib/server/refusal';
import { batchPhase } from '$lib/domain/phases';
import type { Actions, PageServerLoad } from './$types';

/** The supervisor's list of the batch's draws, each with its record and confirmation. */
export const load = ((event) => {
	requireRole(event, 'observer');
	requirePermission(event, 'draw.record');
	const scope = requestScope(event);
	return { draws: drawList(scope), archived: batchPhase(scope.batch) === 'archived' };
}) satisfies PageServerLoad;

export const actions = {
	/** The observer confirms one draw record, once (audited). */
	confirm: async (event) => {
		requireRole(event, 'observer');
		const user = requirePermission(event, 'draw.confirm');
		const form = await event.request.formData();
		const drawId = String(form.get('drawId') ?? '');
		try {
			return { confirmed: confirmDrawRecord(requestScope(event), user, drawId, actorOf(user)) };
		} catch (e) {
			if (e instanceof Refusal) return fail(e.status, { message: e.message, drawId });
			throw e;
		}
	}
} satisfies Actions;
