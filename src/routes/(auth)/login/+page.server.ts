import { fail, redirect } from '@sveltejs/kit';
import * as z from 'zod';
import { dev } from '$app/environment';
import { getDb } from '$lib/server/db';
import { SESSION_COOKIE } from '$lib/server/auth';
import { login } from '$lib/server/services/login';
import { homeFor, type Role } from '$lib/domain/permissions';
import { safeRedirect } from '$lib/domain/redirect';
import type { Actions, PageServerLoad } from './$types';

const loginSchema = z.object({
	username: z.string().trim().min(1, { message: '请输入用户名' }).max(40, { message: '用户名过长' }),
	password: z.string().min(1, { message: '请输入密码' }).max(128, { message: '密码过长' })
});

/** Signed in already: straight on, to an in-app path only (`domain/redirect.ts`). */
export const load = (({ locals, url }) => {
	if (locals.user) redirect(303, safeRedirect(url.searchParams.get('redirectTo'), homeFor(locals.user.role)));
	return {};
}) satisfies PageServerLoad;

export const actions = {
	default: async ({ request, cookies, url, getClientAddress }) => {
		const form = await request.formData();
		const values = { username: String(form.get('username') ?? ''), password: String(form.get('password') ?? '') };
		const parsed = loginSchema.safeParse(values);
		if (!parsed.success) {
			const errors: Record<string, string> = {};
			for (const i of parsed.error.issues) errors[String(i.path[0])] ??= i.message;
			return fail(400, { errors, username: values.username });
		}
		const res = await login(getDb(), parsed.data.username, parsed.data.password, getClientAddress());
		if (!res.ok) return fail(400, { errors: { form: res.message } as Record<string, string>, username: values.username });
		cookies.set(SESSION_COOKIE, res.token, {
			path: '/',
			httpOnly: true,
			sameSite: 'lax',
			secure: !dev && url.protocol === 'https:',
			expires: res.expiresAt
		});
		if (res.mustChangePassword) redirect(303, '/account/password?first=1');
		redirect(303, safeRedirect(url.searchParams.get('redirectTo'), homeFor(res.role as Role)));
	}
} satisfies Actions;
