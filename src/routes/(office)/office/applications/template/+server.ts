import { requireRole } from '$lib/server/guard';
import { templateResponse } from '$lib/server/services/intake-files';
import type { RequestHandler } from './$types';

/** The blank Excel intake template (one sheet per repeatable section, dropdowns for the lists). */
export const GET: RequestHandler = async (event) => {
	requireRole(event, 'office');
	return templateResponse();
};
