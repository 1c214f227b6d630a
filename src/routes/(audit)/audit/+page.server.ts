import { actorOf, requirePermission } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { auditPage } from '$lib/server/services/audit-page';
import { runAuditVerification } from '$lib/server/services/audit-verify';
import type { Actions, PageServerLoad } from './$types';

/** The whole audit log — the other administrators' actions and refused requests included — filtered by action and actor. */
export const load = ((event) => {
	requirePermission(event, 'audit.admin', 'audit.read');
	return auditPage(getDb(), event.url);
}) satisfies PageServerLoad;

export const actions = {
	/** Walks the whole chain now and shows the result (the check itself is recorded). */
	verify: async (event) => {
		const user = requirePermission(event, 'audit.admin', 'audit.verify');
		return { verification: runAuditVerification(getDb(), actorOf(user)) };
	}
} satisfies Actions;
