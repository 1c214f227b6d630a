import { requireRole } from '$lib/server/guard';
import { requestScope } from '$lib/server/batch-request';
import { feeSheet } from '$lib/server/queries/fees';
import { seesPersonalData } from '$lib/domain/permissions';
import type { PageServerLoad } from './$types';

/** The observer reads the 劳务费签领表 with masked ID numbers. */
export const load = ((event) => {
	const user = requireRole(event, 'observer');
	return { sheet: feeSheet(requestScope(event), { fullIds: seesPersonalData(user) }) };
}) satisfies PageServerLoad;
