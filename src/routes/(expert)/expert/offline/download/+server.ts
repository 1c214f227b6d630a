import { error, redirect } from '@sveltejs/kit';
import { actorOf, requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { audit } from '$lib/server/audit';
import { hasCommitted } from '$lib/server/queries/reviews';
import { buildOfflineWorkbook } from '$lib/server/export/offline-sheet';
import type { RequestHandler } from './$types';
import { requestScope } from '$lib/server/batch-request';

/** The expert's offline score form (.xlsx): their published, non-recused tasks with their current sheets. */
export const GET: RequestHandler = async (event) => {
	const user = requireRole(event, 'expert');
	const db = getDb();
	if (!user.expertId) error(403, { message: '该账号未绑定专家' });
	if (!hasCommitted(db, user.expertId, requestScope(event).batch)) redirect(303, '/expert/commitment');
	const wb = await buildOfflineWorkbook(requestScope(event), user.expertId);
	if (wb.sheets === 0) error(409, { message: '目前没有可离线评分的评审任务' });
	const expertId = user.expertId;
	db.transaction((tx) => audit(tx, actorOf(user), 'sheet.offline-download', 'expert', expertId, { sheets: wb.sheets }));
	return new Response(new Uint8Array(wb.buffer), {
		headers: {
			'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'Content-Disposition': `attachment; filename="offline-${expertId}.xlsx"; filename*=UTF-8''${encodeURIComponent(wb.filename)}`,
			'Cache-Control': 'no-store'
		}
	});
};
