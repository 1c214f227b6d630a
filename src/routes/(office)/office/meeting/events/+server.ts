import { requireRole } from '$lib/server/guard';
import { meetingStream } from '$lib/server/events';
import { can } from '$lib/domain/permissions';
import type { RequestHandler } from './$types';

/**
 * Server-sent events: tells this screen when the chair moves, records a decision, opens or closes
 * a vote. The chair's own page asks `?ballots=1` to hear also that a member voted (never how), so
 * that its count of votes cast moves; the screens in the room do not ask it.
 */
export const GET: RequestHandler = (event) => {
	const user = requireRole(event, 'office');
	const withBallots = event.url.searchParams.get('ballots') === '1' && can(user, 'vote.call');
	return meetingStream(null, event.request.signal, undefined, { withBallots });
};
