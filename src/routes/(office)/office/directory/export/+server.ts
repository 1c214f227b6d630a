import { actorOf, requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { exportDirectory } from '$lib/server/services/directory';
import { beijingDate } from '$lib/domain/time';
import { directoryFilterFrom } from '$lib/domain/directory';
import type { RequestHandler } from './$types';

/** The directory (as filtered on the page) as an Excel workbook. */
export const GET: RequestHandler = async (event) => {
	const user = requireRole(event, 'office');
	const day = beijingDate(new Date());
	const body = await exportDirectory(getDb(), actorOf(user), directoryFilterFrom(event.url.searchParams), day);
	return new Response(new Uint8Array(body), {
		headers: {
			'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'Content-Disposition': `attachment; filename="directory.xlsx"; filename*=UTF-8''${encodeURIComponent(`机构目录-${day}.xlsx`)}`,
			'Cache-Control': 'no-store'
		}
	});
};
