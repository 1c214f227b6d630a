import { requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { mustLeave } from '$lib/server/queries/meeting';
import type { PageServerLoad } from './$types';

export const load = ((event) => {
	requireRole(event, 'office');
	return mustLeave(getDb());
}) satisfies PageServerLoad;
