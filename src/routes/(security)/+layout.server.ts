import { requirePermission } from '$lib/server/guard';
import type { LayoutServerLoad } from './$types';

/** The security administrator's pages (三员分立): the security policy, nothing of the review. */
export const load = ((event) => {
	requirePermission(event, 'security.settings');
	return {};
}) satisfies LayoutServerLoad;
