import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { meetingStream, withoutApplication } from '$lib/server/events';
import { hasCommitted } from '$lib/server/queries/reviews';
import type { RequestHandler } from './$types';
import { requestScope } from '$lib/server/batch-request';

/**
 * Server-sent events: tells this screen when the chair moves or records a decision (never which
 * application: the page then reloads its own, role-checked view). Nothing for an expert who has
 * not signed the commitment (评审承诺书).
 */
export const GET: RequestHandler = (event) => {
	const user = requireRole(event, 'expert');
	if (!user.expertId || !hasCommitted(getDb(), user.expertId, requestScope(event).batch)) error(403, '请先阅读并接受评审承诺书');
	return meetingStream(null, event.request.signal, withoutApplication);
};
