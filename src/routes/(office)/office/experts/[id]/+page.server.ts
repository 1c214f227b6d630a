import { error, fail } from '@sveltejs/kit';
import { actorOf, requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { ExpertFormError, expertDetail, readExpertForm, setExpertActive, updateExpert } from '$lib/server/services/experts';
import { affiliationActions } from '$lib/server/affiliation-forms';
import { expertAffiliations } from '$lib/server/queries/affiliations';
import { beijingDate } from '$lib/domain/time';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { expertHistory } from '$lib/server/queries/expert-record';
import { requestScope } from '$lib/server/batch-request';

export const load = ((event) => {
	requireRole(event, 'office');
	const detail = expertDetail(requestScope(event), event.params.id);
	if (!detail) error(404, { message: '没有找到该专家' });
	// 履职记录: every batch the expert took part in (archived ones included) and the average rating.
	const history = expertHistory(getDb(), event.params.id);
	const record = {
		average: history.average,
		ratings: history.ratings,
		batches: history.records.map((r) => ({
			id: r.batch.id,
			name: r.batch.name,
			archived: r.batch.archived,
			assignments: r.assignments,
			recused: r.recused,
			timeliness: r.timeliness,
			abnormal: r.abnormal,
			explained: r.explained,
			severity: r.severity,
			declared: r.declared.length,
			detected: r.detected.filter((c) => c.review !== 'dismissed').length,
			days: r.attendance.length,
			present: r.attendance.filter((a) => a.status === 'present' || a.status === 'half').length,
			flagged: r.attendance.filter((a) => a.status === 'left-early' || a.status === 'removed').length,
			rating: r.rating ? { total: r.rating.total, late: r.rating.late, note: r.rating.note, reply: r.rating.reply } : null,
			ratingStatus: r.ratingStatus
		}))
	};
	return { ...detail, record, affiliations: expertAffiliations(getDb(), event.params.id), today: beijingDate(new Date()), created: event.url.searchParams.has('created') };
}) satisfies PageServerLoad;

export const actions = {
	/** The expert's standing conflict profile (former units, relatives' units). */
	...affiliationActions((event: RequestEvent) => ({ user: requireRole(event, 'office'), expertId: event.params.id })),
	save: async (event) => {
		const user = requireRole(event, 'office');
		const values = readExpertForm(await event.request.formData());
		try {
			const changed = updateExpert(getDb(), event.params.id, values, actorOf(user));
			return { saved: changed.length };
		} catch (e) {
			if (e instanceof ExpertFormError) return fail(400, { errors: e.errors, values });
			throw e;
		}
	},
	toggle: async (event) => {
		const user = requireRole(event, 'office');
		const form = await event.request.formData();
		const active = form.get('active');
		// Deactivating ends the expert's access at once: never on a request that did not say which.
		if (active !== '0' && active !== '1') return fail(400, { errors: { active: '请指明启用或停用该专家（active 应为 1 或 0）' } });
		try {
			const assignments = setExpertActive(getDb(), event.params.id, active === '1', actorOf(user));
			return { toggled: { active: active === '1', assignments } };
		} catch (e) {
			if (e instanceof ExpertFormError) return fail(400, { errors: e.errors });
			throw e;
		}
	}
} satisfies Actions;
