import { requireRole } from '$lib/server/guard';
import type { LayoutServerLoad } from './$types';

export const load = ((event) => {
	requireRole(event, 'city');
	return {};
}) satisfies LayoutServerLoad;
