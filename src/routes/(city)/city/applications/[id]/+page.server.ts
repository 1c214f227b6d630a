import { requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { visibleApplication } from '$lib/server/services/access';
import type { PageServerLoad } from './$types';

export const load = ((event) => {
	const user = requireRole(event, 'city');
	const v = visibleApplication(getDb(), user, event.params.id);
	return { app: v.app, institution: v.institution, idNumber: v.idNumber, status: v.row.status };
}) satisfies PageServerLoad;
