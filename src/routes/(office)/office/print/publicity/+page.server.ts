import { requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { buildMemoData } from '$lib/server/export/memo-data';
import type { PageServerLoad } from './$types';
import { requestScope } from '$lib/server/batch-request';
import { batchOrdinal } from '$lib/domain/batch-name';

export const load = ((event) => {
	requireRole(event, 'office');
	const scope = requestScope(event);
	const m = buildMemoData(scope);
	return {
		ordinal: batchOrdinal(scope.batch.name),
		locked: m.lock.locked,
		hash: m.hash,
		groups: m.groups
			.filter((g) => g.proposed.length)
			.map((g) => ({
				occupationLabel: g.occupationLabel,
				typeLabel: g.typeLabel,
				items: g.proposed.map((a) => ({ id: a.id, name: a.institutionName, levels: a.levelLabels.join('、'), region: a.regionLabel }))
			}))
	};
}) satisfies PageServerLoad;
