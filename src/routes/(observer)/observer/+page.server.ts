import { requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { overview } from '$lib/server/queries/overview';
import type { PageServerLoad } from './$types';

export const load = ((event) => {
	requireRole(event, 'observer');
	return { overview: overview(getDb()) };
}) satisfies PageServerLoad;
