import { requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { overview } from '$lib/server/queries/overview';
import { loadBatchRow } from '$lib/server/queries/bundle';
import type { PageServerLoad } from './$types';

export const load = ((event) => {
	requireRole(event, 'office');
	const db = getDb();
	const batch = loadBatchRow(db);
	return {
		overview: overview(db),
		batch: batch
			? { id: batch.id, name: batch.name, deadline: batch.deadline, published: batch.assignmentsPublishedAt, locked: batch.resultsLockedAt }
			: null
	};
}) satisfies PageServerLoad;
