import { requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { buildMemoData } from '$lib/server/export/memo-data';
import type { PageServerLoad } from './$types';
import { requestScope } from '$lib/server/batch-request';

export const load = ((event) => {
	requireRole(event, 'office');
	const m = buildMemoData(requestScope(event));
	return {
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
