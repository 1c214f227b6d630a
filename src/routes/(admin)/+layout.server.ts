import { requireAnyPermission } from '$lib/server/guard';
import type { LayoutServerLoad } from './$types';

/** The system administrator's pages (三员分立): accounts and backups, nothing of the review. */
export const load = ((event) => {
	requireAnyPermission(event, 'account.manage', 'backup.run');
	return {};
}) satisfies LayoutServerLoad;
