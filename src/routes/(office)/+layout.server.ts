import { requireRole } from '$lib/server/guard';
import type { LayoutServerLoad } from './$types';

export const load = ((event) => {
	requireRole(event, 'office');
	return {};
}) satisfies LayoutServerLoad;
