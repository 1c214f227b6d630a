import { requirePermission } from '$lib/server/guard';
import type { LayoutServerLoad } from './$types';

/** The audit administrator's pages (三员分立): the audit log, nothing of the review. */
export const load = ((event) => {
	requirePermission(event, 'audit.admin');
	return {};
}) satisfies LayoutServerLoad;
