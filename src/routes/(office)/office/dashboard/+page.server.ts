import { requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { dashboardData } from '$lib/server/queries/dashboard';
import type { PageServerLoad } from './$types';
import { requestScope } from '$lib/server/batch-request';

export const load = ((event) => {
	requireRole(event, 'office');
	return { dash: dashboardData(requestScope(event)) };
}) satisfies PageServerLoad;
