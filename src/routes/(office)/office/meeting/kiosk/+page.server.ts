import { requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { mustLeave } from '$lib/server/queries/meeting';
import type { PageServerLoad } from './$types';
import { requestScope } from '$lib/server/batch-request';

export const load = ((event) => {
	requireRole(event, 'office');
	// Projector mode: the root layout shows no menu and no 退出 on this page.
	return { ...mustLeave(requestScope(event)), projector: true };
}) satisfies PageServerLoad;
