import { redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { affiliationActions } from '$lib/server/affiliation-forms';
import { expertAffiliations } from '$lib/server/queries/affiliations';
import { beijingDate } from '$lib/domain/time';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/** The signed-in expert's own profile: an account not linked to an expert has none. */
function ownExpert(event: RequestEvent) {
	const user = requireRole(event, 'expert');
	if (!user.expertId) redirect(303, '/login');
	return { user, expertId: user.expertId };
}

export const load = ((event) => {
	const { expertId } = ownExpert(event);
	return { affiliations: expertAffiliations(getDb(), expertId), today: beijingDate(new Date()) };
}) satisfies PageServerLoad;

export const actions = affiliationActions(ownExpert) satisfies Actions;
