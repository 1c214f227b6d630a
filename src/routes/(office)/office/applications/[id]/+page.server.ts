import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { visibleApplication } from '$lib/server/services/access';
import { refusal } from '$lib/server/intake-forms';
import {
	ApplicationError,
	acceptApplication,
	officeApplication,
	overrideFinding,
	returnApplication,
	revokeOverride,
	submittedSheetCount
} from '$lib/server/services/applications';
import { findingLabel, isFindingCode } from '$lib/domain/formal-check';
import { applicationBatch, batchById } from '$lib/server/scope';
import { institutionHistory } from '$lib/server/queries/institution-history';
import { beijingDate } from '$lib/domain/time';
import { feedbackBlock } from '$lib/server/services/feedback';
import { isRecommended } from '$lib/server/services/batch-state';
import type { Actions, PageServerLoad } from './$types';

export const load = ((event) => {
	const user = requireRole(event, 'office');
	const db = getDb();
	const v = visibleApplication(db, user, event.params.id);
	let o: ReturnType<typeof officeApplication>;
	try {
		o = officeApplication(db, user, event.params.id);
	} catch (e) {
		if (e instanceof ApplicationError) error(404, { message: e.message });
		throw e;
	}
	// 历史记录: the institution in the other batches than the application's own, and in the directory.
	const batchId = applicationBatch(db, event.params.id);
	const batch = batchId ? batchById(db, batchId) : undefined;
	const today = beijingDate(new Date());
	return {
		history: batch ? institutionHistory({ db, batch }, v.app.institutionId, today) : null,
		// 评审反馈函: for a recommended application once the batch's results are announced.
		feedback: batch && isRecommended(o.row.status) ? feedbackBlock(db, batch.id, today) : '该申报未进入评审结果',
		app: v.app,
		institution: v.institution,
		idNumber: v.idNumber,
		status: o.row.status,
		statusReason: o.row.statusReason,
		submittedAt: o.row.submittedAt,
		findings: o.findings.map((f) => ({ ...f, label: findingLabel(f.code) })),
		staleOverrides: o.staleOverrides.map((s) => ({ ...s, label: isFindingCode(s.code) ? findingLabel(s.code) : s.code })),
		blocking: o.blocking,
		submittedSheets: submittedSheetCount(db, event.params.id),
		quota: o.quota,
		attachments: o.attachments.map((a) => ({ id: a.id, kind: a.kind, filename: a.filename, mime: a.mime, size: a.size, uploadedAt: a.uploadedAt }))
	};
}) satisfies PageServerLoad;

export const actions = {
	override: async (event) => {
		const user = requireRole(event, 'office');
		const form = await event.request.formData();
		const code = form.get('code');
		try {
			overrideFinding(getDb(), user, event.params.id, code, form.get('reason'));
			return { done: `已放行 ${code}，理由已记入审计日志` };
		} catch (e) {
			return refusal(e, { code, reason: form.get('reason') });
		}
	},
	revoke: async (event) => {
		const user = requireRole(event, 'office');
		const form = await event.request.formData();
		const code = form.get('code');
		try {
			revokeOverride(getDb(), user, event.params.id, code);
			return { done: `已撤销对 ${code} 的放行` };
		} catch (e) {
			return refusal(e, { code });
		}
	},
	return: async (event) => {
		const user = requireRole(event, 'office');
		const form = await event.request.formData();
		try {
			returnApplication(getDb(), user, event.params.id, form.get('reason'), form.get('confirmSheets'));
			return { done: '已退回市局，市局修改后可重新提交' };
		} catch (e) {
			return refusal(e, { returnReason: form.get('reason'), confirmSheets: form.get('confirmSheets') });
		}
	},
	accept: async (event) => {
		const user = requireRole(event, 'office');
		try {
			acceptApplication(getDb(), user, event.params.id);
			return { done: '已受理，进入评审' };
		} catch (e) {
			return refusal(e);
		}
	}
} satisfies Actions;
