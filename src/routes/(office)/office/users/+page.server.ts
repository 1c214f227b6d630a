import { asc } from 'drizzle-orm';
import { requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { experts } from '$lib/server/db/schema';
import { listUsers } from '$lib/server/services/users';
import { createAccountAction, resetAccountAction, toggleAccountAction, rulesText } from '$lib/server/account-forms';
import { manageableRoles } from '$lib/domain/permissions';
import type { Actions, PageServerLoad } from './$types';

/** The office's accounts page: expert accounts only (三员分立: every other account is the system administrator's). */
export const load = ((event) => {
	const user = requireRole(event, 'office');
	const db = getDb();
	const users = listUsers(db, manageableRoles(user.role));
	const withAccount = new Set(users.map((u) => u.expertId).filter(Boolean));
	return {
		users,
		roles: manageableRoles(user.role),
		passwordRules: rulesText(db),
		experts: db
			.select({ id: experts.id, name: experts.name, workUnit: experts.workUnit })
			.from(experts)
			.orderBy(asc(experts.name))
			.all()
			.filter((e) => !withAccount.has(e.id))
	};
}) satisfies PageServerLoad;

export const actions = {
	create: async (event) => createAccountAction(event, requireRole(event, 'office')),
	reset: async (event) => resetAccountAction(event, requireRole(event, 'office')),
	toggle: async (event) => toggleAccountAction(event, requireRole(event, 'office'))
} satisfies Actions;
