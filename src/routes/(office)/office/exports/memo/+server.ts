import { requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { buildMemoData } from '$lib/server/export/memo-data';
import { renderMemo } from '$lib/server/export/docx';
import type { RequestHandler } from './$types';
import { requestScope } from '$lib/server/batch-request';

/** The results memo as a Word document. */
export const GET: RequestHandler = async (event) => {
	requireRole(event, 'office');
	const data = buildMemoData(requestScope(event));
	const body = await renderMemo(data);
	const name = encodeURIComponent(`评审结果报告${data.lock.locked ? '' : '（未锁定）'}.docx`);
	return new Response(new Uint8Array(body), {
		headers: {
			'Content-Type': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
			'Content-Disposition': `attachment; filename="memo.docx"; filename*=UTF-8''${name}`,
			'Cache-Control': 'no-store'
		}
	});
};
