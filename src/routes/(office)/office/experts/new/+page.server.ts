import { fail, redirect } from '@sveltejs/kit';
import { actorOf, requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { ExpertFormError, createExpert, readExpertForm } from '$lib/server/services/experts';
import type { Actions, PageServerLoad } from './$types';

export const load = ((event) => {
	requireRole(event, 'office');
	return {};
}) satisfies PageServerLoad;

export const actions = {
	save: async (event) => {
		const user = requireRole(event, 'office');
		const values = readExpertForm(await event.request.formData());
		let id: string;
		try {
			id = createExpert(getDb(), values, actorOf(user));
		} catch (e) {
			if (e instanceof ExpertFormError) return fail(400, { errors: e.errors, values });
			throw e;
		}
		redirect(303, `/office/experts/${encodeURIComponent(id)}?created=1`);
	}
} satisfies Actions;
