import { requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { overview } from '$lib/server/queries/overview';
import type { PageServerLoad } from './$types';
import { optionalScope } from '$lib/server/batch-request';

export const load = ((event) => {
	requireRole(event, 'office');
	const db = getDb();
	const batch = optionalScope(event)?.batch;
	return {
		overview: overview(db, batch?.id ?? null),
		batch: batch
			? {
					id: batch.id,
					name: batch.name,
					deadline: batch.deadline,
					published: batch.assignmentsPublishedAt,
					locked: batch.resultsLockedAt,
					archived: batch.archivedAt
				}
			: null
	};
}) satisfies PageServerLoad;
