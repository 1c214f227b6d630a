import { redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { SESSION_COOKIE, invalidateSession } from '$lib/server/auth';
import type { Actions, PageServerLoad } from './$types';

export const load = (() => redirect(303, '/login')) satisfies PageServerLoad;

export const actions = {
	default: ({ locals, cookies }) => {
		if (locals.session) invalidateSession(getDb(), locals.session.id);
		cookies.delete(SESSION_COOKIE, { path: '/' });
		redirect(303, '/login');
	}
} satisfies Actions;
