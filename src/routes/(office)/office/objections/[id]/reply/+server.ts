import { error } from '@sveltejs/kit';
import { requirePermission, requireRole } from '$lib/server/guard';
import { requestScope } from '$lib/server/batch-request';
import { Refusal } from '$lib/server/refusal';
import { docxResponse } from '$lib/server/files';
import { replyLetter } from '$lib/server/services/objections';
import type { RequestHandler } from './$types';

/** The reply letter (异议答复函, .docx) of an objection with a recorded reply. */
export const GET: RequestHandler = async (event) => {
	requireRole(event, 'office');
	requirePermission(event, 'objection.manage');
	const id = /^\d{1,12}$/.test(event.params.id) ? Number(event.params.id) : NaN;
	try {
		const { body, filename } = await replyLetter(requestScope(event), id);
		return docxResponse(body, filename);
	} catch (e) {
		if (e instanceof Refusal) error(e.status, { message: e.message });
		throw e;
	}
};
