import { redirect } from '@sveltejs/kit';
import { homeFor } from '$lib/domain/permissions';
import type { PageServerLoad } from './$types';

export const load = (({ locals }) => {
	redirect(303, locals.user ? homeFor(locals.user.role) : '/login');
}) satisfies PageServerLoad;
