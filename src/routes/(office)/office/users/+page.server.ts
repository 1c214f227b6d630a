import { fail } from '@sveltejs/kit';
import { asc } from 'drizzle-orm';
import { actorOf, requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { experts } from '$lib/server/db/schema';
import { UserError, createUser, listUsers, resetPassword, setUserActive, usernameSchema } from '$lib/server/services/users';
import { currentSecuritySettings } from '$lib/server/auth';
import { passwordRulesText } from '$lib/domain/passwords';
import type { Actions, PageServerLoad } from './$types';

export const load = ((event) => {
	requireRole(event, 'office');
	const db = getDb();
	const users = listUsers(db);
	const withAccount = new Set(users.map((u) => u.expertId).filter(Boolean));
	const settings = currentSecuritySettings(db);
	return {
		users,
		passwordRules: passwordRulesText(settings.passwordMinLength, settings.passwordHistory),
		experts: db
			.select({ id: experts.id, name: experts.name, workUnit: experts.workUnit })
			.from(experts)
			.orderBy(asc(experts.name))
			.all()
			.filter((e) => !withAccount.has(e.id))
	};
}) satisfies PageServerLoad;

const str = (f: FormData, k: string) => {
	const v = f.get(k);
	return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
};

function usernameFrom(form: FormData): string | { error: string } {
	const parsed = usernameSchema.safeParse(form.get('username') ?? '');
	return parsed.success ? parsed.data : { error: parsed.error.issues[0].message };
}

export const actions = {
	create: async (event) => {
		const user = requireRole(event, 'office');
		const form = await event.request.formData();
		const values = {
			username: String(form.get('username') ?? '').trim(),
			displayName: String(form.get('displayName') ?? '').trim(),
			role: String(form.get('role') ?? ''),
			region: str(form, 'region'),
			expertId: str(form, 'expertId'),
			password: str(form, 'password')
		};
		try {
			const created = await createUser(getDb(), values as Parameters<typeof createUser>[1], actorOf(user));
			return { created: { username: created.username, password: created.password, displayName: values.displayName } };
		} catch (e) {
			if (e instanceof UserError) return fail(400, { action: 'create', errors: { [e.field]: e.message }, values });
			throw e;
		}
	},
	reset: async (event) => {
		const user = requireRole(event, 'office');
		const form = await event.request.formData();
		const username = usernameFrom(form);
		if (typeof username !== 'string') return fail(400, { action: 'reset', errors: { username: username.error } });
		try {
			const password = await resetPassword(getDb(), username, null, actorOf(user));
			return { reset: { username, password } };
		} catch (e) {
			if (e instanceof UserError) return fail(400, { action: 'reset', errors: { username: e.message } });
			throw e;
		}
	},
	toggle: async (event) => {
		const user = requireRole(event, 'office');
		const form = await event.request.formData();
		const username = usernameFrom(form);
		if (typeof username !== 'string') return fail(400, { action: 'toggle', errors: { username: username.error } });
		const active = form.get('active') === '1';
		try {
			setUserActive(getDb(), username, active, actorOf(user));
			return { toggled: { username, active } };
		} catch (e) {
			if (e instanceof UserError) return fail(400, { action: 'toggle', errors: { username: e.message } });
			throw e;
		}
	}
} satisfies Actions;
