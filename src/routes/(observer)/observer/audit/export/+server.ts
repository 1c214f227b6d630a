import { actorOf, requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { auditExportResponse } from '$lib/server/services/audit-export';
import type { RequestHandler } from './$types';

/** The audit log as CSV or Excel (`?format=csv|xlsx`, optional `&action=` prefix filter). */
export const GET: RequestHandler = async (event) => {
	const user = requireRole(event, 'observer');
	return auditExportResponse(getDb(), event.url, actorOf(user), { expertNames: false });
};
