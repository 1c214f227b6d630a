import { redirect } from '@sveltejs/kit';
import { actorOf, requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { acceptCommitment, hasCommitted } from '$lib/server/queries/reviews';
import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requestScope } from '$lib/server/batch-request';

export const load = ((event) => {
	const user = requireRole(event, 'expert');
	return { accepted: user.expertId ? hasCommitted(getDb(), user.expertId, requestScope(event).batch) : false };
}) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		const user = requireRole(event, 'expert');
		const form = await event.request.formData();
		if (form.get('agree') !== 'on') return fail(400, { errors: { agree: '请勾选“本人已阅读并承诺遵守”后再确认' } });
		if (!user.expertId) return fail(400, { errors: { agree: '该账号未绑定专家' } });
		const db = getDb();
		if (!hasCommitted(db, user.expertId, requestScope(event).batch)) acceptCommitment(requestScope(event), user.expertId, actorOf(user));
		redirect(303, '/expert');
	}
} satisfies Actions;
