import { fail, redirect } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { dev } from '$app/environment';
import { actorOf, requireUser } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { users } from '$lib/server/db/schema';
import { SESSION_COOKIE, createSession, currentSecuritySettings, generateSessionToken } from '$lib/server/auth';
import { UserError, changeOwnPassword } from '$lib/server/services/users';
import { homeFor } from '$lib/domain/permissions';
import { passwordExpired, passwordRulesText } from '$lib/domain/passwords';
import type { Actions, PageServerLoad } from './$types';

export const load = ((event) => {
	const user = requireUser(event);
	const db = getDb();
	const settings = currentSecuritySettings(db);
	const row = db.select().from(users).where(eq(users.id, user.id)).get();
	const expired = !!row && passwordExpired(row.passwordChangedAt, row.createdAt, settings.passwordMaxAgeDays, Date.now());
	return {
		/** Why the change is required: an initial or reset password, or an expired one; null when it is voluntary. */
		reason: row?.mustChangePassword ? ('initial' as const) : expired ? ('expired' as const) : null,
		maxAgeDays: settings.passwordMaxAgeDays,
		rules: passwordRulesText(settings.passwordMinLength, settings.passwordHistory)
	};
}) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		const user = requireUser(event);
		const form = await event.request.formData();
		const current = String(form.get('current') ?? '');
		const next = String(form.get('next') ?? '');
		const repeat = String(form.get('repeat') ?? '');
		if (!current) return fail(400, { errors: { current: '请输入当前密码' } });
		if (next !== repeat) return fail(400, { errors: { repeat: '两次输入的新密码不一致' } });
		const db = getDb();
		try {
			await changeOwnPassword(db, user.id, current, next, actorOf(user), event.getClientAddress());
		} catch (e) {
			if (e instanceof UserError) return fail(400, { errors: { [e.field]: e.message } });
			throw e;
		}
		// Every session was ended with the change; open a fresh one for this browser.
		const token = generateSessionToken();
		const session = createSession(db, token, user.id, event.getClientAddress());
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
