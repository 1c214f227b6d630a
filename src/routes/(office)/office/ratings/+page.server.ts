import { requirePermission, requireRole } from '$lib/server/guard';
import { requestScope } from '$lib/server/batch-request';
import { batchExpertRecords, ratingAverages, ratingDue, ratingExclusions } from '$lib/server/queries/expert-record';
import { beijingDate } from '$lib/domain/time';
import { batchPhase } from '$lib/domain/phases';
import type { PageServerLoad } from './$types';

/** The 履职评价 of the batch shown in the header: every expert who took part, their record in brief and the rating. */
export const load = ((event) => {
	requireRole(event, 'office');
	requirePermission(event, 'expert.rate');
	const scope = requestScope(event);
	const today = beijingDate(new Date());
	const averages = ratingAverages(scope.db);
	const excluded = new Set(ratingExclusions(scope).map((x) => x.expertId));
	const rows = batchExpertRecords(scope, { today }).map((r) => ({
		expertId: r.expertId,
		name: r.expertName,
		assignments: r.assignments,
		recused: r.recused,
		timeliness: r.timeliness,
		abnormal: r.abnormal,
		explained: r.explained,
		severity: r.severity,
		declared: r.declared.length,
		detected: r.detected.filter((c) => c.review !== 'dismissed').length,
		daysPresent: r.attendance.filter((a) => a.status === 'present' || a.status === 'half').length,
		daysFlagged: r.attendance.filter((a) => a.status === 'left-early' || a.status === 'removed').length,
		days: r.attendance.length,
		rating: r.rating ? { total: r.rating.total, late: r.rating.late, replied: !!r.rating.reply } : null,
		ratingStatus: r.ratingStatus,
		average: averages.get(r.expertId)?.average ?? null,
		excluded: excluded.has(r.expertId)
	}));
	return {
		batch: { id: scope.batch.id, name: scope.batch.name, phase: batchPhase(scope.batch) },
		...ratingDue(scope),
		today,
		threshold: scope.batch.minExpertRating,
		rows
	};
}) satisfies PageServerLoad;
