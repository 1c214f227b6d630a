import { error, redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { hasCommitted } from '$lib/server/queries/reviews';
import { expertPrint } from '$lib/server/queries/sheets';
import type { PageServerLoad } from './$types';
import { beijingDate } from '$lib/domain/time';
import { requestScope } from '$lib/server/batch-request';
import { expertInvitation } from '$lib/server/queries/invitations';
import { closedInvitationText } from '$lib/domain/invitations';

/** The expert's own printable score sheet (评审专家评分表): their sheets only. */
export const load = ((event) => {
	const user = requireRole(event, 'expert');
	const db = getDb();
	if (!user.expertId) redirect(303, '/login');
	if (!hasCommitted(db, user.expertId, requestScope(event).batch)) redirect(303, '/expert/commitment');
	const scope = requestScope(event);
	const print = expertPrint(scope, user.expertId);
	if (!print) error(404, { message: '没有找到该专家' });
	const invitation = expertInvitation(scope, user.expertId);
	return { print, printedOn: beijingDate(new Date()), emptyText: invitation && !invitation.opens ? closedInvitationText(invitation) : null };
}) satisfies PageServerLoad;
