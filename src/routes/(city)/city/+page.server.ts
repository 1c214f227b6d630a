import { requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { listApplications } from '$lib/server/queries/applications';
import { batchFromRow, loadBatchRow } from '$lib/server/queries/bundle';
import { DEFAULT_BATCH, quotaFor } from '$lib/domain/bundle';
import type { PageServerLoad } from './$types';

export const load = ((event) => {
	const user = requireRole(event, 'city');
	const db = getDb();
	const rows = listApplications(db, { region: user.region! });
	const batchRow = loadBatchRow(db);
	const batch = batchRow ? batchFromRow(batchRow) : DEFAULT_BATCH;
	// Quota usage per (occupation, type) cell of this region: recommended applications count.
	const cells = new Map<string, { occupation: string; type: 'training' | 'evaluation'; used: number; quota: number | null }>();
	for (const r of rows) {
		const key = `${r.occupation}|${r.type}`;
		const c = cells.get(key) ?? { occupation: r.occupation, type: r.type, used: 0, quota: quotaFor(batch, r.type, user.region!) };
		if (r.status !== 'draft' && r.status !== 'returned') c.used++;
		cells.set(key, c);
	}
	return {
		region: user.region!,
		rows,
		cells: [...cells.values()],
		quotas: { training: quotaFor(batch, 'training', user.region!), evaluation: quotaFor(batch, 'evaluation', user.region!) },
		deadline: batch.deadline,
		closed: batch.closedEvaluationOccupations
	};
}) satisfies PageServerLoad;
