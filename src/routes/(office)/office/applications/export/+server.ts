import { error } from '@sveltejs/kit';
import { actorOf, requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { exportListWorkbook, parseListFilter, workbookResponse } from '$lib/server/services/intake-files';
import type { RequestHandler } from './$types';
import { requestScope } from '$lib/server/batch-request';

/**
 * The application list with the page's filters (`?region=&occupation=&type=&status=&finding=`) as
 * the pre-filled intake workbook, which imports back to the same applications. Recorded in the audit log.
 */
export const GET: RequestHandler = async (event) => {
	const user = requireRole(event, 'office');
	const parsed = parseListFilter(event.url.searchParams);
	if ('error' in parsed) error(400, { message: parsed.error });
	return workbookResponse(await exportListWorkbook(requestScope(event), parsed.filter, actorOf(user)));
};
