import { requirePermission } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { listUsers } from '$lib/server/services/users';
import { createAccountAction, resetAccountAction, toggleAccountAction, rulesText } from '$lib/server/account-forms';
import { manageableRoles } from '$lib/domain/permissions';
import type { Actions, PageServerLoad } from './$types';

/** Every account of every role, the other administrators included (the expert pool itself stays the office's). */
export const load = ((event) => {
	const user = requirePermission(event, 'account.manage');
	const db = getDb();
	return { users: listUsers(db), roles: manageableRoles(user.role), self: user.username, passwordRules: rulesText(db) };
}) satisfies PageServerLoad;

export const actions = {
	create: async (event) => createAccountAction(event, requirePermission(event, 'account.manage')),
	reset: async (event) => resetAccountAction(event, requirePermission(event, 'account.manage')),
	toggle: async (event) => toggleAccountAction(event, requirePermission(event, 'account.manage'))
} satisfies Actions;
