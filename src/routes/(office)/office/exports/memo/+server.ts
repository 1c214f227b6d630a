import { docxResponse } from '$lib/server/files';
import { requireRole } from '$lib/server/guard';
import { buildMemoData } from '$lib/server/export/memo-data';
import { renderMemo } from '$lib/server/export/docx';
import type { RequestHandler } from './$types';
import { requestScope } from '$lib/server/batch-request';

/** The results memo as a Word document. */
export const GET: RequestHandler = async (event) => {
	requireRole(event, 'office');
	const data = buildMemoData(requestScope(event));
	const body = await renderMemo(data);
	return docxResponse(body, `评审结果报告${data.lock.locked ? '' : '（未锁定）'}.docx`, 'memo.docx');
};
