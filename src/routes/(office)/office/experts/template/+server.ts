import { requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { loadExperts } from '$lib/server/queries/bundle';
import { renderExpertWorkbook } from '$lib/server/import/experts-xlsx';
import type { RequestHandler } from './$types';

/** The Excel expert list: the empty import template, or (?filled=1) the whole pool in the same layout. */
export const GET: RequestHandler = async (event) => {
	requireRole(event, 'office');
	const filled = event.url.searchParams.get('filled') === '1';
	const body = await renderExpertWorkbook(filled ? loadExperts(getDb()) : []);
	const name = encodeURIComponent(filled ? '专家名单.xlsx' : '专家导入模板.xlsx');
	return new Response(new Uint8Array(body), {
		headers: {
			'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'Content-Disposition': `attachment; filename="${filled ? 'experts' : 'experts-template'}.xlsx"; filename*=UTF-8''${name}`,
			'Cache-Control': 'no-store'
		}
	});
};
