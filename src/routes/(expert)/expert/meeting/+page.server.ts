import { redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { meetingView } from '$lib/server/queries/meeting';
import { hasCommitted } from '$lib/server/queries/reviews';
import type { PageServerLoad } from './$types';
import { requestScope } from '$lib/server/batch-request';

export const load = ((event) => {
	const user = requireRole(event, 'expert');
	if (!user.expertId || !hasCommitted(getDb(), user.expertId, requestScope(event).batch)) redirect(303, '/expert/commitment');
	return { view: meetingView(requestScope(event), { expertId: user.expertId ?? '' }) };
}) satisfies PageServerLoad;
