import { requireRole } from '$lib/server/guard';
import { meetingStream } from '$lib/server/events';
import type { RequestHandler } from './$types';

/** Server-sent events: tells this screen when the chair moves or records a decision. */
export const GET: RequestHandler = (event) => {
	requireRole(event, 'observer');
	return meetingStream(null, event.request.signal);
};
