import { requirePermission, requireRole } from '$lib/server/guard';
import { requestScope } from '$lib/server/batch-request';
import { objectionCounts, objectionList, parseObjectionFilter, publicityList } from '$lib/server/queries/objections';
import { heldGroups } from '$lib/server/queries/held-groups';
import { publicityStatus } from '$lib/server/services/publicity';
import { placeInPeriod } from '$lib/domain/publicity';
import { phaseOf } from '$lib/server/scope';
import type { PageServerLoad } from './$types';

export const load = ((event) => {
	requireRole(event, 'office');
	requirePermission(event, 'objection.manage');
	const scope = requestScope(event);
	const filter = parseObjectionFilter(event.url.searchParams);
	const status = publicityStatus(scope);
	const period = status.start && status.end ? { start: status.start, end: status.end } : null;
	const held = heldGroups(scope);
	return {
		writable: phaseOf(scope) !== 'archived',
		filter,
		period,
		counts: objectionCounts(scope),
		groups: publicityList(scope).map((g) => ({ key: g.key, label: `${g.occupationLabel} · ${g.typeLabel}`, held: (held.get(g.key) ?? []).length })),
		objections: objectionList(scope, filter).map((o) => ({
			id: o.id,
			status: o.status,
			objectorKind: o.objectorKind,
			objectorName: o.objectorName,
			institutionName: o.institutionName,
			occupation: o.occupation,
			type: o.type,
			receivedDate: o.receivedDate,
			late: period ? placeInPeriod(o.receivedDate, period) === 'after' : false,
			outcome: o.outcome,
			rereview: o.rereview,
			replied: !!o.reply,
			files: o.files
		}))
	};
}) satisfies PageServerLoad;
