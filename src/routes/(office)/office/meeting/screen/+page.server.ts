import { requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { meetingView } from '$lib/server/queries/meeting';
import type { PageServerLoad } from './$types';
import { requestScope } from '$lib/server/batch-request';

export const load = ((event) => {
	requireRole(event, 'office');
	// Projector mode: the root layout shows no menu and no 退出 on this page.
	return { view: meetingView(requestScope(event), { expertId: null }), projector: true };
}) satisfies PageServerLoad;
