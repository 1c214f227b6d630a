import { error } from '@sveltejs/kit';
import { requirePermission, requireRole } from '$lib/server/guard';
import { requestScope } from '$lib/server/batch-request';
import { drawRecord } from '$lib/server/queries/draw-record';
import { Refusal } from '$lib/server/refusal';
import type { PageServerLoad } from './$types';

/** One draw record for the supervisor (the same printable record as the office's). */
export const load = ((event) => {
	requireRole(event, 'observer');
	requirePermission(event, 'draw.record');
	if (!/^\d{1,12}$/.test(event.params.drawId)) error(404, { message: '没有这条抽取记录' });
	try {
		return { record: drawRecord(requestScope(event), Number(event.params.drawId)) };
	} catch (e) {
		if (e instanceof Refusal) error(e.status, { message: e.message });
		throw e;
	}
}) satisfies PageServerLoad;
