import { fail, redirect } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { dev } from '$app/environment';
import { actorOf, requireUser } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { users } from '$lib/server/db/schema';
import { SESSION_COOKIE, createSession, generateSessionToken, verifyPassword } from '$lib/server/auth';
import { UserError, changeOwnPassword } from '$lib/server/services/users';
import { homeFor } from '$lib/domain/permissions';
import type { Actions, PageServerLoad } from './$types';

export const load = ((event) => {
	const user = requireUser(event);
	return { first: event.url.searchParams.get('first') === '1' || user.mustChangePassword };
}) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		const user = requireUser(event);
		const form = await event.request.formData();
		const current = String(form.get('current') ?? '');
		const next = String(form.get('next') ?? '');
		const repeat = String(form.get('repeat') ?? '');
		const db = getDb();
		const row = db.select().from(users).where(eq(users.id, user.id)).get();
		if (!row || !(await verifyPassword(row.passwordHash, current))) return fail(400, { errors: { current: '当前密码不正确' } });
		if (next !== repeat) return fail(400, { errors: { repeat: '两次输入的新密码不一致' } });
		if (next === current) return fail(400, { errors: { next: '新密码不能与当前密码相同' } });
		try {
			await changeOwnPassword(db, user.id, next, actorOf(user));
		} catch (e) {
			if (e instanceof UserError) return fail(400, { errors: { next: e.message } });
			throw e;
		}
		// Every session was ended with the change; open a fresh one for this browser.
		const token = generateSessionToken();
		const session = createSession(db, token, user.id);
		event.cookies.set(SESSION_COOKIE, token, {
			path: '/',
			httpOnly: true,
			sameSite: 'lax',
			secure: !dev && event.url.protocol === 'https:',
			expires: session.expiresAt
		});
		redirect(303, homeFor(user.role));
	}
} satisfies Actions;
