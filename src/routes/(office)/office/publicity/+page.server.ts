import { actorOf, requirePermission, requireRole } from '$lib/server/guard';
import { requestScope } from '$lib/server/batch-request';
import { refusal } from '$lib/server/refusal';
import { phaseOf } from '$lib/server/scope';
import { closePublicity, openPublicity, publicityStatus, reopenPublicity } from '$lib/server/services/publicity';
import { objectionCounts, publicityList } from '$lib/server/queries/objections';
import { heldGroups } from '$lib/server/queries/held-groups';
import { DEFAULT_NOTICE_DEPARTMENT, DEFAULT_PUBLICITY_DAYS, MAX_PUBLICITY_DAYS, PUBLICITY_STATE_LABELS } from '$lib/domain/publicity';
import type { Actions, PageServerLoad } from './$types';

const str = (form: FormData, k: string) => {
	const v = form.get(k);
	return typeof v === 'string' ? v : '';
};

export const load = ((event) => {
	requireRole(event, 'office');
	requirePermission(event, 'publicity.manage');
	const scope = requestScope(event);
	const status = publicityStatus(scope);
	const held = heldGroups(scope);
	const groups = publicityList(scope).map((g) => ({ ...g, held: held.get(g.key) ?? [] }));
	return {
		phase: phaseOf(scope),
		status,
		stateLabel: PUBLICITY_STATE_LABELS[status.state],
		groups,
		counts: objectionCounts(scope),
		defaults: { days: DEFAULT_PUBLICITY_DAYS, maxDays: MAX_PUBLICITY_DAYS, department: DEFAULT_NOTICE_DEPARTMENT }
	};
}) satisfies PageServerLoad;

export const actions = {
	open: async (event) => {
		requireRole(event, 'office');
		const user = requirePermission(event, 'publicity.manage');
		const form = await event.request.formData();
		const values = { start: str(form, 'start'), days: str(form, 'days') };
		try {
			const p = openPublicity(requestScope(event), values, actorOf(user));
			return { done: `公示期已设定：${p.start} 至 ${p.end}（${p.workingDays} 个工作日）` };
		} catch (e) {
			return refusal(e, values);
		}
	},
	close: async (event) => {
		requireRole(event, 'office');
		const user = requirePermission(event, 'publicity.manage');
		try {
			closePublicity(requestScope(event), actorOf(user));
			return { done: '公示已结束' };
		} catch (e) {
			return refusal(e);
		}
	},
	reopen: async (event) => {
		requireRole(event, 'office');
		const user = requirePermission(event, 'publicity.manage');
		const form = await event.request.formData();
		const values = { reason: str(form, 'reason') };
		try {
			reopenPublicity(requestScope(event), values.reason, actorOf(user));
			return { done: '已撤销公示结束' };
		} catch (e) {
			return refusal(e, values);
		}
	}
} satisfies Actions;
