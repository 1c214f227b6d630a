import { requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { meetingView } from '$lib/server/queries/meeting';
import type { PageServerLoad } from './$types';
import { requestScope } from '$lib/server/batch-request';

export const load = ((event) => {
	requireRole(event, 'observer');
	return { view: meetingView(requestScope(event), { expertId: null }) };
}) satisfies PageServerLoad;
