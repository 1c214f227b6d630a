import { requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { buildWorkbookData } from '$lib/server/export/memo-data';
import { renderResultsWorkbook } from '$lib/server/export/xlsx';
import type { RequestHandler } from './$types';
import { requestScope } from '$lib/server/batch-request';

/** Score summary, proposed list, expert workload and the audit log as one Excel workbook. */
export const GET: RequestHandler = async (event) => {
	requireRole(event, 'office');
	const body = await renderResultsWorkbook(buildWorkbookData(requestScope(event)));
	return new Response(new Uint8Array(body), {
		headers: {
			'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'Content-Disposition': `attachment; filename="results.xlsx"; filename*=UTF-8''${encodeURIComponent('评分汇总.xlsx')}`,
			'Cache-Control': 'no-store'
		}
	});
};
