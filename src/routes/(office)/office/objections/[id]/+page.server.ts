import { error } from '@sveltejs/kit';
import { actorOf, requirePermission, requireRole } from '$lib/server/guard';
import { requestScope } from '$lib/server/batch-request';
import { refusal } from '$lib/server/refusal';
import { uploadedFile } from '$lib/server/intake-forms';
import { objectionDetail } from '$lib/server/queries/objections';
import { acceptObjection, addObjectionFile, closeObjection, recordHandling, recordReply, rejectObjection } from '$lib/server/services/objections';
import { publicityStatus } from '$lib/server/services/publicity';
import { chineseDate } from '$lib/server/export/memo-data';
import { canDo, closingProblems, draftReply } from '$lib/domain/objections';
import { placeInPeriod } from '$lib/domain/publicity';
import { auditSentence } from '$lib/domain/audit-text';
import { regionLabel } from '$lib/domain/regions';
import type { Actions, PageServerLoad } from './$types';

const idOf = (raw: string) => (/^\d{1,12}$/.test(raw) ? Number(raw) : NaN);
const str = (form: FormData, k: string) => {
	const v = form.get(k);
	return typeof v === 'string' ? v : '';
};

export const load = ((event) => {
	requireRole(event, 'office');
	requirePermission(event, 'objection.manage');
	const scope = requestScope(event);
	const o = objectionDetail(scope, idOf(event.params.id));
	if (!o) error(404, { message: '没有找到该异议' });
	const status = publicityStatus(scope);
	const late = status.start && status.end ? placeInPeriod(o.receivedDate, { start: status.start, end: status.end }) === 'after' : false;
	const { history, ...rest } = o;
	return {
		o: { ...rest, regionLabel: regionLabel(o.region) },
		late,
		period: status.start ? { start: status.start, end: status.end } : null,
		can: {
			accept: canDo('accept', o.status),
			reject: canDo('reject', o.status),
			handle: canDo('handle', o.status) && status.state !== 'none',
			reply: canDo('reply', o.status),
			close: canDo('close', o.status),
			attach: canDo('attach', o.status)
		},
		problems: o.status === 'accepted' ? closingProblems(o) : [],
		draft: o.reply ?? draftReply(o, chineseDate),
		history: history.map((h) => ({ id: h.id, at: h.at, text: auditSentence(h) }))
	};
}) satisfies PageServerLoad;

function target(event: { params: { id: string } }) {
	return idOf(event.params.id);
}

export const actions = {
	accept: async (event) => {
		requireRole(event, 'office');
		const user = requirePermission(event, 'objection.manage');
		const form = await event.request.formData();
		const values = { reason: str(form, 'reason') };
		try {
			acceptObjection(requestScope(event), target(event), values, actorOf(user));
			return { done: '已受理' };
		} catch (e) {
			return refusal(e, values);
		}
	},
	reject: async (event) => {
		requireRole(event, 'office');
		const user = requirePermission(event, 'objection.manage');
		const form = await event.request.formData();
		const values = { rejectReason: str(form, 'reason') };
		try {
			rejectObjection(requestScope(event), target(event), { reason: values.rejectReason }, actorOf(user));
			return { done: '已决定不予受理' };
		} catch (e) {
			return refusal(e, values);
		}
	},
	handle: async (event) => {
		requireRole(event, 'office');
		const user = requirePermission(event, 'objection.manage');
		const form = await event.request.formData();
		const values = {
			investigation: str(form, 'investigation'),
			rereview: form.get('rereview') === 'on',
			rereviewNotes: str(form, 'rereviewNotes'),
			outcome: str(form, 'outcome'),
			outcomeNotes: str(form, 'outcomeNotes')
		};
		try {
			recordHandling(requestScope(event), target(event), values, actorOf(user));
			return { done: '处理情况已保存' };
		} catch (e) {
			return refusal(e, values);
		}
	},
	reply: async (event) => {
		requireRole(event, 'office');
		const user = requirePermission(event, 'objection.manage');
		const form = await event.request.formData();
		const values = { reply: str(form, 'reply') };
		try {
			recordReply(requestScope(event), target(event), values, actorOf(user));
			return { done: '书面答复已保存，可下载答复函' };
		} catch (e) {
			return refusal(e, values);
		}
	},
	close: async (event) => {
		requireRole(event, 'office');
		const user = requirePermission(event, 'objection.manage');
		try {
			closeObjection(requestScope(event), target(event), actorOf(user));
			return { done: '异议已办结' };
		} catch (e) {
			return refusal(e);
		}
	},
	upload: async (event) => {
		requireRole(event, 'office');
		const user = requirePermission(event, 'objection.manage');
		const form = await event.request.formData();
		try {
			const row = addObjectionFile(requestScope(event), target(event), await uploadedFile(form), actorOf(user));
			return { done: `已上传“${row.filename}”` };
		} catch (e) {
			return refusal(e);
		}
	}
} satisfies Actions;
