import { redirect } from '@sveltejs/kit';
import { actorOf, requirePermission, requireRole } from '$lib/server/guard';
import { requestScope } from '$lib/server/batch-request';
import { refusal } from '$lib/server/refusal';
import { fileObjection } from '$lib/server/services/objections';
import { publicityStatus, todayInBeijing } from '$lib/server/services/publicity';
import { publicityList } from '$lib/server/queries/objections';
import type { Actions, PageServerLoad } from './$types';

export const load = ((event) => {
	requireRole(event, 'office');
	requirePermission(event, 'objection.manage');
	const scope = requestScope(event);
	const status = publicityStatus(scope);
	return {
		period: status.start && status.end ? { start: status.start, end: status.end } : null,
		today: status.today,
		groups: publicityList(scope).map((g) => ({ key: g.key, label: `${g.occupationLabel} · ${g.typeLabel}`, items: g.items.map((i) => ({ id: i.id, name: i.institutionName })) })),
		application: event.url.searchParams.get('application') ?? ''
	};
}) satisfies PageServerLoad;

const FIELDS = ['applicationId', 'objectorKind', 'objectorName', 'contact', 'grounds', 'receivedDate'] as const;

export const actions = {
	default: async (event) => {
		requireRole(event, 'office');
		const user = requirePermission(event, 'objection.manage');
		const form = await event.request.formData();
		const values = Object.fromEntries(FIELDS.map((k) => [k, typeof form.get(k) === 'string' ? (form.get(k) as string) : ''])) as Record<(typeof FIELDS)[number], string>;
		let id: number;
		try {
			id = fileObjection(requestScope(event), values, actorOf(user), { today: todayInBeijing() }).id;
		} catch (e) {
			return refusal(e, values);
		}
		redirect(303, `/office/objections/${id}?filed=1`);
	}
} satisfies Actions;
