import { actorOf, requireRole } from '$lib/server/guard';
import { requestScope } from '$lib/server/batch-request';
import { refusal } from '$lib/server/refusal';
import { phaseOf } from '$lib/server/scope';
import { feeSheet } from '$lib/server/queries/fees';
import { setFeeStandard } from '$lib/server/services/fees';
import { seesPersonalData } from '$lib/domain/permissions';
import type { Actions, PageServerLoad } from './$types';

export const load = ((event) => {
	const user = requireRole(event, 'office');
	const scope = requestScope(event);
	return { sheet: feeSheet(scope, { fullIds: seesPersonalData(user) }), archived: phaseOf(scope) === 'archived' };
}) satisfies PageServerLoad;

export const actions = {
	standard: async (event) => {
		const user = requireRole(event, 'office');
		const form = await event.request.formData();
		const values = { senior: String(form.get('senior') ?? ''), other: String(form.get('other') ?? '') };
		try {
			const s = setFeeStandard(requestScope(event), actorOf(user), values);
			return { ok: `已设定劳务费标准：高级职称 ${s.senior} 元/人天，其他 ${s.other} 元/人天` };
		} catch (e) {
			return refusal(e, values);
		}
	}
} satisfies Actions;
