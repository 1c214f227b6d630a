import { error } from '@sveltejs/kit';
import { requirePermission, requireRole } from '$lib/server/guard';
import { requestScope } from '$lib/server/batch-request';
import { storedFileResponse } from '$lib/server/files';
import { objectionFile } from '$lib/server/services/objections';
import type { RequestHandler } from './$types';

/** A file that came with one of the batch's objections: inline with its sniffed type, `?download=1` as an attachment. */
export const GET: RequestHandler = (event) => {
	requireRole(event, 'office');
	requirePermission(event, 'objection.manage');
	const id = /^\d{1,12}$/.test(event.params.id) ? Number(event.params.id) : NaN;
	const found = objectionFile(requestScope(event), id, event.params.fileId);
	if (!found) error(404, { message: '没有找到该材料' });
	return storedFileResponse(found, event.url.searchParams.get('download') === '1');
};
