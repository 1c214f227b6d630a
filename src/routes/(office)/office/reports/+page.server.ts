import { requirePermission, requireRole } from '$lib/server/guard';
import { requestScope } from '$lib/server/batch-request';
import { reportGroups } from '$lib/server/queries/review-report';
import { batchPhase } from '$lib/domain/phases';
import type { PageServerLoad } from './$types';

/** Every group's review report (评审报告): the members who sign, who signed, stale signatures, dissents, who is missing. */
export const load = ((event) => {
	requireRole(event, 'office');
	requirePermission(event, 'report.manage');
	const scope = requestScope(event);
	const groups = reportGroups(scope).map((g) => {
		const name = (id: string) => g.content.members.find((m) => m.expertId === id)?.name ?? id;
		return {
			occupation: g.occupation,
			type: g.type,
			applications: g.content.results.length,
			code: g.digest.slice(0, 8),
			members: g.status.members.map((m) => ({
				expertId: m.expertId,
				name: name(m.expertId),
				state: m.state,
				kind: m.signature?.kind ?? null,
				method: m.signature?.method ?? null,
				signedAt: m.signature?.signedAt ?? null
			})),
			complete: g.status.complete,
			lockNote: g.content.lockNote
		};
	});
	return { batch: { name: scope.batch.name, phase: batchPhase(scope.batch), lockNote: scope.batch.lockNote }, groups };
}) satisfies PageServerLoad;
