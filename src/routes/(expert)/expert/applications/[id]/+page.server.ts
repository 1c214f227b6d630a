import { redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { hasCommitted } from '$lib/server/queries/reviews';
import { visibleApplication } from '$lib/server/services/access';
import type { PageServerLoad } from './$types';

export const load = ((event) => {
	const user = requireRole(event, 'expert');
	const db = getDb();
	if (!user.expertId || !hasCommitted(db, user.expertId)) redirect(303, '/expert/commitment');
	const v = visibleApplication(db, user, event.params.id);
	return { app: v.app, institution: v.institution, idNumber: v.idNumber };
}) satisfies PageServerLoad;
