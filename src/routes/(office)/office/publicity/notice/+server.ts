import { error } from '@sveltejs/kit';
import { requirePermission, requireRole } from '$lib/server/guard';
import { requestScope } from '$lib/server/batch-request';
import { Refusal } from '$lib/server/refusal';
import { docxResponse } from '$lib/server/files';
import { publicityNotice } from '$lib/server/services/publicity';
import type { RequestHandler } from './$types';

/** The 公示 notice (.docx): the contact for objections comes from the page's form (query string). */
export const GET: RequestHandler = async (event) => {
	requireRole(event, 'office');
	requirePermission(event, 'publicity.manage');
	const q = event.url.searchParams;
	try {
		const { body, filename } = await publicityNotice(requestScope(event), { department: q.get('department') ?? '', phone: q.get('phone') ?? '', address: q.get('address') ?? '' });
		return docxResponse(body, filename);
	} catch (e) {
		if (e instanceof Refusal) error(e.status, { message: e.message });
		throw e;
	}
};
