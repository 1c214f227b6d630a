import { error } from '@sveltejs/kit';
import { actorOf, requirePermission, requireRole } from '$lib/server/guard';
import { requestScope } from '$lib/server/batch-request';
import { refusal } from '$lib/server/refusal';
import { expertBatchRecord, ratingAverages } from '$lib/server/queries/expert-record';
import { rateExpert } from '$lib/server/services/expert-record';
import { RATING_CRITERIA } from '$lib/domain/expert-record';
import type { Actions, PageServerLoad } from './$types';

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

/** One expert's record in the batch shown in the header, and the office's 履职评价 of it. */
export const load = ((event) => {
	requireRole(event, 'office');
	requirePermission(event, 'expert.record.read');
	if (!ID.test(event.params.id)) error(404, { message: '没有找到该专家在本批次的履职记录' });
	const scope = requestScope(event);
	const record = expertBatchRecord(scope, event.params.id);
	if (!record) error(404, { message: '没有找到该专家在本批次的履职记录' });
	return { record, average: ratingAverages(scope.db).get(record.expertId) ?? null, criteria: RATING_CRITERIA };
}) satisfies PageServerLoad;

export const actions = {
	rate: async (event) => {
		const user = requireRole(event, 'office');
		requirePermission(event, 'expert.rate');
		const form = await event.request.formData();
		const points = Object.fromEntries(RATING_CRITERIA.map((c) => [c.key, String(form.get(`points.${c.key}`) ?? '')]));
		const values = { points, note: String(form.get('note') ?? '') };
		try {
			const r = rateExpert(requestScope(event), event.params.id, values, actorOf(user));
			return { rated: r };
		} catch (e) {
			return refusal(e, values);
		}
	}
} satisfies Actions;
