import { requirePermission, requireRole } from '$lib/server/guard';
import { drawRecordPage } from '$lib/server/draw-record-page';
import type { PageServerLoad } from './$types';

/** One draw record for the supervisor (the same printable record as the office's). */
export const load = ((event) => {
	requireRole(event, 'observer');
	requirePermission(event, 'draw.record');
	return drawRecordPage(event);
}) satisfies PageServerLoad;
