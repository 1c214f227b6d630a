import { requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { overview } from '$lib/server/queries/overview';
import type { PageServerLoad } from './$types';
import { optionalScope } from '$lib/server/batch-request';

export const load = ((event) => {
	requireRole(event, 'observer');
	return { overview: overview(getDb(), optionalScope(event)?.batch.id ?? null) };
}) satisfies PageServerLoad;
