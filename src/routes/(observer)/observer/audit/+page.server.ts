import { requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { auditPage } from '$lib/server/services/audit-page';
import type { PageServerLoad } from './$types';

export const load = ((event) => {
	requireRole(event, 'observer');
	return auditPage(getDb(), event.url, { expertNames: false });
}) satisfies PageServerLoad;
