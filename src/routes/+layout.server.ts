import { getDb } from '$lib/server/db';
import { loadBatchRow } from '$lib/server/queries/bundle';
import type { LayoutServerLoad } from './$types';

export const load = (({ locals }) => {
	const batch = locals.user ? loadBatchRow(getDb()) : undefined;
	return {
		user: locals.user
			? {
					username: locals.user.username,
					displayName: locals.user.displayName,
					role: locals.user.role,
					region: locals.user.region,
					/** Only the password page opens until it is changed: the menu is hidden. */
					mustChangePassword: locals.user.mustChangePassword
				}
			: null,
		batchName: batch?.name ?? null
	};
}) satisfies LayoutServerLoad;
