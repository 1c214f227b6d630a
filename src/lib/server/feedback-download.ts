/**
 * The 评审反馈函 download of the office's and the city's routes: the object check first (a city sees
 * its own region's applications only; anything else is the same 404 as a missing application, noted
 * as refused), then the letter — refused with its reason while the results are not yet announced.
 */
import { error, type RequestEvent } from '@sveltejs/kit';
import type { SessionUser } from './auth';
import { getDb } from './db';
import { actorOf } from './guard';
import { visibleApplication } from './services/access';
import { feedbackDocument } from './services/feedback';
import { Refusal } from './refusal';
import { docxResponse } from './files';

export async function feedbackDownload(event: Pick<RequestEvent, 'params'>, user: SessionUser): Promise<Response> {
	const db = getDb();
	const id = (event.params as { id: string }).id;
	visibleApplication(db, user, id, { entity: 'feedback', id });
	let letter: { body: Buffer; filename: string };
	try {
		letter = await feedbackDocument(db, actorOf(user), id, { role: user.role });
	} catch (e) {
		if (e instanceof Refusal) error(e.status, { message: e.message });
		throw e;
	}
	return docxResponse(letter.body, letter.filename);
}
