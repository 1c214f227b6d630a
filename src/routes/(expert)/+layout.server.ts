import { requireRole } from '$lib/server/guard';
import type { LayoutServerLoad } from './$types';

export const load = ((event) => {
	requireRole(event, 'expert');
	return {};
}) satisfies LayoutServerLoad;
