import { redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { expertTasks, hasCommitted, type ExpertTask } from '$lib/server/queries/reviews';
import { loadBatchRow } from '$lib/server/queries/bundle';
import type { PageServerLoad } from './$types';

/** Whole days from today (Beijing time) to the deadline: 0 on the day itself, negative after it. */
function daysUntil(deadline: string | null, now = new Date()): number | null {
	if (!deadline) return null;
	const today = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
	return Math.round((Date.parse(`${deadline}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

export const load = ((event) => {
	const user = requireRole(event, 'expert');
	const db = getDb();
	if (!user.expertId) redirect(303, '/login');
	if (!hasCommitted(db, user.expertId)) redirect(303, '/expert/commitment');
	const batch = loadBatchRow(db);
	const { tasks, recused } = expertTasks(db, user.expertId);
	// Progress per group (occupation × type), in the order of the task list.
	const groups: { occupation: string; type: ExpertTask['type']; submitted: number; tasks: ExpertTask[] }[] = [];
	for (const t of tasks) {
		let g = groups.find((x) => x.occupation === t.occupation && x.type === t.type);
		if (!g) groups.push((g = { occupation: t.occupation, type: t.type, submitted: 0, tasks: [] }));
		g.tasks.push(t);
		if (t.sheetStatus === 'submitted') g.submitted++;
	}
	const deadline = batch?.scoringDeadline ?? null;
	return {
		tasks,
		groups,
		recused,
		published: !!batch?.assignmentsPublishedAt,
		deadline,
		daysLeft: daysUntil(deadline)
	};
}) satisfies PageServerLoad;
