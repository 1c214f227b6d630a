import { error } from '@sveltejs/kit';
import { actorOf, requirePermission, requireRole } from '$lib/server/guard';
import { requestScope } from '$lib/server/batch-request';
import { refusal } from '$lib/server/refusal';
import { reportGroup } from '$lib/server/queries/review-report';
import { recordPaperSignature } from '$lib/server/services/review-report';
import { batchPhase, canChangeScores } from '$lib/domain/phases';
import { beijingDate } from '$lib/domain/time';
import type { Actions, PageServerLoad } from './$types';

/** One group's review report in full, its signatures, the form to record a paper signature. */
export const load = ((event) => {
	requireRole(event, 'office');
	requirePermission(event, 'report.manage');
	const scope = requestScope(event);
	const g = reportGroup(scope, event.params.occupation, event.params.type);
	if (!g) error(404, { message: '本批次没有该职业和类型的评审结果' });
	const phase = batchPhase(scope.batch);
	return {
		batch: { name: scope.batch.name, phase },
		canSign: canChangeScores(phase),
		today: beijingDate(new Date()),
		group: { occupation: g.occupation, type: g.type, content: g.content, code: g.digest.slice(0, 8), digest: g.digest, status: g.status }
	};
}) satisfies PageServerLoad;

export const actions = {
	/** A signature from the printed signature page: the member, 同意 or a dissent with reasons, the date, the check code on the page. */
	paper: async (event) => {
		const user = requireRole(event, 'office');
		requirePermission(event, 'report.manage');
		const form = await event.request.formData();
		const values = {
			expertId: String(form.get('expertId') ?? ''),
			kind: String(form.get('kind') ?? ''),
			dissent: String(form.get('dissent') ?? ''),
			date: String(form.get('date') ?? ''),
			code: String(form.get('code') ?? '')
		};
		try {
			recordPaperSignature(requestScope(event), { ...values, occupation: event.params.occupation, type: event.params.type }, actorOf(user));
			return { ok: '已登记纸质签字' };
		} catch (e) {
			return refusal(e, values);
		}
	}
} satisfies Actions;
