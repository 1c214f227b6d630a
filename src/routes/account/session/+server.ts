import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/guard';
import { currentSecuritySettings, sessionDeadlines } from '$lib/server/auth';
import { getDb } from '$lib/server/db';
import type { RequestHandler } from './$types';

/**
 * The keep-alive of the scoring page's 继续 button: a cheap signed-in request (it counts as use of
 * the session, like every request) answering when the session would end.
 */
export const GET: RequestHandler = (event) => {
	requireUser(event);
	const session = event.locals.session!;
	const d = sessionDeadlines(session, currentSecuritySettings(getDb()));
	return json({ now: Date.now(), idleEndsAt: d.idleEndsAt, capEndsAt: d.capEndsAt }, { headers: { 'Cache-Control': 'no-store' } });
};
