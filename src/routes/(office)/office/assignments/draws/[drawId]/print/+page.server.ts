import { requirePermission, requireRole } from '$lib/server/guard';
import { drawRecordPage } from '$lib/server/draw-record-page';
import type { PageServerLoad } from './$types';

/** The printable 抽取记录 of one draw of the batch shown in the header. */
export const load = ((event) => {
	requireRole(event, 'office');
	requirePermission(event, 'draw.record');
	return drawRecordPage(event);
}) satisfies PageServerLoad;
