import { error, fail } from '@sveltejs/kit';
import { actorOf, requirePermission, requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { refusal } from '$lib/server/refusal';
import { expertHistory, ownRecord } from '$lib/server/queries/expert-record';
import { replyToRating } from '$lib/server/services/expert-record';
import { RATING_CRITERIA } from '$lib/domain/expert-record';
import type { Actions, PageServerLoad } from './$types';

/** The expert's own record in every batch they took part in, the office's ratings and their replies. */
export const load = ((event) => {
	const user = requireRole(event, 'expert');
	requirePermission(event, 'expert.rating.reply');
	if (!user.expertId) error(403, { message: '该账号未绑定专家' });
	const history = expertHistory(getDb(), user.expertId);
	return { records: history.records.map(ownRecord), average: history.average, ratings: history.ratings, criteria: RATING_CRITERIA };
}) satisfies PageServerLoad;

export const actions = {
	/** One explanation per rating. */
	reply: async (event) => {
		const user = requireRole(event, 'expert');
		requirePermission(event, 'expert.rating.reply');
		const form = await event.request.formData();
		const values = { batchId: String(form.get('batchId') ?? ''), reply: String(form.get('reply') ?? '') };
		if (!user.expertId) return fail(403, { message: '该账号未绑定专家', errors: {}, values });
		if (!/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,99}$/.test(values.batchId)) return fail(400, { message: '批次编号格式不正确', errors: { batchId: '批次编号格式不正确' }, values });
		try {
			replyToRating(getDb(), user.expertId, values.batchId, values.reply, actorOf(user));
			return { replied: values.batchId };
		} catch (e) {
			return refusal(e, values);
		}
	}
} satisfies Actions;
