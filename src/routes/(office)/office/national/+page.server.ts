import { redirect } from '@sveltejs/kit';
import { actorOf, requirePermission, requireRole } from '$lib/server/guard';
import { refusal } from '$lib/server/refusal';
import { requestScope } from '$lib/server/batch-request';
import { nationalPage } from '$lib/server/queries/national';
import { clearNationalDecision, recordNationalDecision, recordNationalDecisions, type NationalOutcome } from '$lib/server/services/national';
import { beijingDate } from '$lib/domain/time';
import { defaultValidTo } from '$lib/domain/national';
import type { Actions, PageServerLoad } from './$types';

function read(form: FormData) {
	const get = (k: string) => {
		const v = form.get(k);
		return typeof v === 'string' ? v : '';
	};
	return {
		decision: get('decision'),
		date: get('date'),
		documentNo: get('documentNo'),
		note: get('note'),
		validFrom: get('validFrom'),
		validTo: get('validTo'),
		noEnd: get('noEnd')
	};
}

const summary = (o: NationalOutcome) =>
	`已登记 ${o.recorded} 项${o.unchanged ? `（${o.unchanged} 项无变化）` : ''}；目录条目新增 ${o.created}、更新 ${o.updated}、删除 ${o.removed} 条`;

/** The sentence after a redirect (numbers only in the address, never text). */
function notice(q: URLSearchParams): string | null {
	if (q.get('cleared') === '1') return '已撤销该申报的国家确定结果，它生成的目录条目已一并删除';
	const saved = q.get('saved');
	if (saved === null || !/^\d{1,4}$/.test(saved)) return null;
	const entries = /^\d{1,4}$/.test(q.get('entries') ?? '') ? Number(q.get('entries')) : 0;
	return saved === '0' ? '没有需要保存的修改' : `已保存国家确定结果${entries ? `，目录条目随之更新 ${entries} 条` : ''}`;
}

export const load = ((event) => {
	requireRole(event, 'office');
	requirePermission(event, 'national.record');
	const scope = requestScope(event);
	const today = beijingDate(new Date());
	const page = nationalPage(scope, today);
	const editId = event.url.searchParams.get('edit');
	const editing = editId ? (page.groups.flatMap((g) => g.items).find((i) => i.id === editId) ?? null) : null;
	return { ...page, today, defaultValidTo: defaultValidTo(today), editing, batchName: scope.batch.name, notice: notice(event.url.searchParams) };
}) satisfies PageServerLoad;

export const actions = {
	record: async (event) => {
		const user = requireRole(event, 'office');
		requirePermission(event, 'national.record');
		const form = await event.request.formData();
		const values = { ...read(form), applicationId: String(form.get('applicationId') ?? '') };
		let out: NationalOutcome;
		try {
			out = recordNationalDecision(requestScope(event), actorOf(user), values.applicationId, values);
		} catch (e) {
			return refusal(e, values);
		}
		redirect(303, `/office/national?saved=${out.recorded}&entries=${out.created + out.updated + out.removed}`);
	},
	bulk: async (event) => {
		const user = requireRole(event, 'office');
		requirePermission(event, 'national.record');
		const form = await event.request.formData();
		const ids = form.getAll('applicationIds').filter((v): v is string => typeof v === 'string');
		const values = { ...read(form), applicationIds: ids };
		try {
			return { done: summary(recordNationalDecisions(requestScope(event), actorOf(user), ids, values)) };
		} catch (e) {
			return refusal(e, values);
		}
	},
	clear: async (event) => {
		const user = requireRole(event, 'office');
		requirePermission(event, 'national.record');
		const form = await event.request.formData();
		try {
			clearNationalDecision(requestScope(event), actorOf(user), form.get('applicationId'));
		} catch (e) {
			return refusal(e);
		}
		redirect(303, '/office/national?cleared=1');
	}
} satisfies Actions;
