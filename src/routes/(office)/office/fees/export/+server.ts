import { actorOf, requireRole } from '$lib/server/guard';
import { requestScope } from '$lib/server/batch-request';
import { exportFeeWorkbook } from '$lib/server/services/fees';
import { seesPersonalData } from '$lib/domain/permissions';
import type { RequestHandler } from './$types';

/** The 劳务费签领表 as an Excel workbook (the office: full ID numbers; the export is audited). */
export const GET: RequestHandler = async (event) => {
	const user = requireRole(event, 'office');
	const scope = requestScope(event);
	const body = await exportFeeWorkbook(scope, actorOf(user), { fullIds: seesPersonalData(user) });
	const name = `劳务费签领表-${scope.batch.name}.xlsx`;
	return new Response(new Uint8Array(body), {
		headers: {
			'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'Content-Disposition': `attachment; filename="fees.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`,
			'Cache-Control': 'no-store'
		}
	});
};
