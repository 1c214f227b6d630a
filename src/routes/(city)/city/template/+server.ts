import { requireRole } from '$lib/server/guard';
import { templateResponse } from '$lib/server/services/intake-files';
import type { RequestHandler } from './$types';

/** The blank Excel intake template, the same the office hands out. */
export const GET: RequestHandler = async (event) => {
	requireRole(event, 'city');
	return templateResponse();
};
