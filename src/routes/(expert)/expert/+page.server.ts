import { redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { expertTasks, hasCommitted } from '$lib/server/queries/reviews';
import { loadBatchRow } from '$lib/server/queries/bundle';
import type { PageServerLoad } from './$types';

export const load = ((event) => {
	const user = requireRole(event, 'expert');
	const db = getDb();
	if (!user.expertId) redirect(303, '/login');
	if (!hasCommitted(db, user.expertId)) redirect(303, '/expert/commitment');
	const batch = loadBatchRow(db);
	const { tasks, recused } = expertTasks(db, user.expertId);
	return { tasks, recused, published: !!batch?.assignmentsPublishedAt, deadline: batch?.scoringDeadline ?? null };
}) satisfies PageServerLoad;
