import { requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { meetingView } from '$lib/server/queries/meeting';
import type { PageServerLoad } from './$types';

export const load = ((event) => {
	requireRole(event, 'office');
	return { view: meetingView(getDb(), { expertId: null }) };
}) satisfies PageServerLoad;
