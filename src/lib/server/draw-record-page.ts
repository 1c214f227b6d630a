/**
 * The load of the printable 抽取记录, shared by the office's print page and the supervisor's page
 * (each route checks its own role and permission first): the draw id from the URL, a 404 with one
 * sentence for a malformed id, and the record of the batch shown in the header.
 */
import { error, type Cookies } from '@sveltejs/kit';
import { requestScope } from './batch-request';
import { drawRecord } from './queries/draw-record';
import { Refusal } from './refusal';

export function drawRecordPage(event: { params: { drawId: string }; cookies: Pick<Cookies, 'get'> }) {
	if (!/^\d{1,12}$/.test(event.params.drawId)) error(404, { message: '没有这条抽取记录' });
	try {
		return { record: drawRecord(requestScope(event), Number(event.params.drawId)) };
	} catch (e) {
		if (e instanceof Refusal) error(e.status, { message: e.message });
		throw e;
	}
}
