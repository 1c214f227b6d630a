import { actorOf, requirePermission } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { auditExportResponse } from '$lib/server/services/audit-export';
import type { RequestHandler } from './$types';

/** The audit log as CSV or Excel (`?format=csv|xlsx`, optional `&action=` prefix and `&actor=` filters). */
export const GET: RequestHandler = async (event) => {
	const user = requirePermission(event, 'audit.admin', 'audit.export');
	return auditExportResponse(getDb(), event.url, actorOf(user));
};
