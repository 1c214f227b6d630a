import { optionalScope } from '$lib/server/batch-request';
import { listBatches } from '$lib/server/scope';
import { batchPhase, PHASE_LABELS } from '$lib/domain/phases';
import type { Role } from '$lib/domain/permissions';
import type { LayoutServerLoad } from './$types';

/** The roles whose pages belong to a batch: they see the batch in the header and can switch. */
const BATCH_ROLES: readonly Role[] = ['office', 'city', 'expert', 'observer'];

export const load = ((event) => {
	const { locals } = event;
	const inBatch = !!locals.user && BATCH_ROLES.includes(locals.user.role) && !locals.user.mustChangePassword;
	const scope = inBatch ? optionalScope(event) : null;
	const batch = scope?.batch;
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
		batchName: batch?.name ?? null,
		/** The batch every page shows (the header's switcher chooses it). */
		batch: batch ? { id: batch.id, name: batch.name, archived: !!batch.archivedAt, phase: PHASE_LABELS[batchPhase(batch)] } : null,
		batches:
			scope && batch
				? listBatches(scope.db).map((b) => ({ id: b.id, name: b.name, archived: !!b.archivedAt }))
				: []
	};
}) satisfies LayoutServerLoad;
