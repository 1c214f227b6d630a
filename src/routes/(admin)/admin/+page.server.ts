import { redirect } from '@sveltejs/kit';
import { requireAnyPermission } from '$lib/server/guard';
import { can } from '$lib/domain/permissions';
import type { PageServerLoad } from './$types';

export const load = ((event) => {
	const user = requireAnyPermission(event, 'account.manage', 'backup.run');
	redirect(303, can(user, 'account.manage') ? '/admin/users' : '/admin/backups');
}) satisfies PageServerLoad;
