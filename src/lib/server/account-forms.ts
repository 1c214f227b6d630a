/**
 * The account actions of the system administrator's page (every role) and the office's page
 * (expert accounts only): read the form, call the users service within the actor's scope, answer
 * `fail(status, { action, errors, values })`. A request for an account outside the scope is a
 * refused request (403, noted for the audit log).
 */
import { fail, type RequestEvent } from '@sveltejs/kit';
import type { SessionUser } from './auth';
import { actorOf } from './guard';
import { getDb } from './db';
import { noteDenial } from './denials';
import { UserError, createUser, resetPassword, setUserActive, usernameSchema } from './services/users';
import { manageableRoles } from '../domain/permissions';
import { currentSecuritySettings } from './auth';
import { passwordRulesText } from '../domain/passwords';
import type { Db } from './db';

/** The password rules in force, as the account pages state them. */
export function rulesText(db: Db): string {
	const s = currentSecuritySettings(db);
	return passwordRulesText(s.passwordMinLength, s.passwordHistory);
}

const str = (f: FormData, k: string) => {
	const v = f.get(k);
	return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
};

function usernameFrom(form: FormData): string | { error: string } {
	const parsed = usernameSchema.safeParse(form.get('username') ?? '');
	return parsed.success ? parsed.data : { error: parsed.error.issues[0].message };
}

function refused(e: UserError, action: string, username: string | null, values?: unknown) {
	if (e.status === 403) noteDenial({ status: 403, entity: 'user', entityId: username, reason: 'account-scope' });
	return fail(e.status, { action, errors: { [e.field]: e.message }, values });
}

export async function createAccountAction(event: Pick<RequestEvent, 'request'>, user: SessionUser) {
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
		const created = await createUser(getDb(), values as Parameters<typeof createUser>[1], actorOf(user), { manageable: manageableRoles(user.role) });
		return { created: { username: created.username, password: created.password, displayName: values.displayName } };
	} catch (e) {
		if (e instanceof UserError) return refused(e, 'create', values.username || null, values);
		throw e;
	}
}

export async function resetAccountAction(event: Pick<RequestEvent, 'request'>, user: SessionUser) {
	const form = await event.request.formData();
	const username = usernameFrom(form);
	if (typeof username !== 'string') return fail(400, { action: 'reset', errors: { username: username.error } });
	try {
		const password = await resetPassword(getDb(), username, null, actorOf(user), { manageable: manageableRoles(user.role) });
		return { reset: { username, password } };
	} catch (e) {
		if (e instanceof UserError) return refused(e, 'reset', username);
		throw e;
	}
}

export async function toggleAccountAction(event: Pick<RequestEvent, 'request'>, user: SessionUser) {
	const form = await event.request.formData();
	const username = usernameFrom(form);
	if (typeof username !== 'string') return fail(400, { action: 'toggle', errors: { username: username.error } });
	const active = form.get('active') === '1';
	try {
		setUserActive(getDb(), username, active, actorOf(user), { manageable: manageableRoles(user.role) });
		return { toggled: { username, active } };
	} catch (e) {
		if (e instanceof UserError) return refused(e, 'toggle', username);
		throw e;
	}
}
