import { requireRole } from '$lib/server/guard';
import { requestScope } from '$lib/server/batch-request';
import { feeSheet } from '$lib/server/queries/fees';
import { seesPersonalData } from '$lib/domain/permissions';
import type { PageServerLoad } from './$types';

export const load = ((event) => {
	const user = requireRole(event, 'office');
	return { sheet: feeSheet(requestScope(event), { fullIds: seesPersonalData(user) }) };
}) satisfies PageServerLoad;
