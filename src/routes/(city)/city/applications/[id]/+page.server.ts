import { error, fail, redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { postedValues, refusal, uploadedFile } from '$lib/server/intake-forms';
import { visibleApplication } from '$lib/server/services/access';
import {
	ApplicationError,
	cityApplication,
	deleteAttachment,
	quotaMessage,
	recommendedInCell,
	saveDraft,
	submitApplication,
	uploadAttachment
} from '$lib/server/services/applications';
import { quotaFor } from '$lib/domain/bundle';
import { OCCUPATIONS } from '$lib/domain/occupations';
import { regionUnit } from '$lib/domain/regions';
import { findingLabel } from '$lib/domain/formal-check';
import { feedbackBlock } from '$lib/server/services/feedback';
import { isRecommended } from '$lib/server/services/batch-state';
import { beijingDate } from '$lib/domain/time';
import type { Actions, PageServerLoad } from './$types';

export const load = ((event) => {
	const user = requireRole(event, 'city');
	const db = getDb();
	let v: ReturnType<typeof cityApplication>;
	try {
		v = cityApplication(db, user, event.params.id);
	} catch (e) {
		if (e instanceof ApplicationError) error(e.status === 403 ? 403 : 404, { message: e.message });
		throw e;
	}
	const { row } = v;
	const notes: Record<string, string> = {};
	if (v.editable) {
		for (const o of OCCUPATIONS) {
			const used = recommendedInCell(db, { batchId: row.batchId, region: row.region, occupation: o.key, type: row.type }, row.id);
			const quota = quotaFor(v.batch, row.type, row.region);
			notes[o.key] = quota === null ? `已推荐 ${used} 家` : `已推荐 ${used}/${quota}${used >= quota ? '，名额已满' : ''}`;
		}
	}
	return {
		id: row.id,
		type: row.type,
		status: row.status,
		statusReason: row.statusReason,
		version: row.version,
		editable: v.editable,
		app: v.app,
		institution: v.institution,
		idNumber: v.idNumber,
		values: v.values,
		masked: v.masked,
		warnings: v.warnings,
		materials: v.materials,
		attachments: v.attachments.map((a) => ({ id: a.id, kind: a.kind, filename: a.filename, mime: a.mime, size: a.size, uploadedAt: a.uploadedAt })),
		quota: { ...v.quota, message: v.quota.full ? quotaMessage(v.quota) : null },
		preview: v.preview.map((f) => ({ ...f, label: findingLabel(f.code) })),
		closed: v.batch.closedEvaluationOccupations,
		deadline: v.batch.deadline,
		notes,
		unit: regionUnit(row.region),
		// 评审反馈函: a recommended application once its batch's results are announced (null: available).
		feedback: isRecommended(row.status) ? feedbackBlock(db, row.batchId, beijingDate(new Date())) : '该申报未进入评审结果'
	};
}) satisfies PageServerLoad;

export const actions = {
	save: async (event) => {
		const user = requireRole(event, 'city');
		const { values } = await postedValues(event.request);
		try {
			const r = saveDraft(getDb(), user, event.params.id, values);
			return { saved: true, version: r.version, warnings: r.warnings };
		} catch (e) {
			return refusal(e, values);
		}
	},
	submit: async (event) => {
		const user = requireRole(event, 'city');
		const { values } = await postedValues(event.request);
		try {
			submitApplication(getDb(), user, event.params.id, values);
		} catch (e) {
			return refusal(e, values);
		}
		redirect(303, `/city/applications/${event.params.id}?submitted=1`);
	},
	upload: async (event) => {
		const user = requireRole(event, 'city');
		const form = await event.request.formData();
		const kind = form.get('kind');
		const file = await uploadedFile(form);
		try {
			const row = uploadAttachment(getDb(), user, event.params.id, kind, file);
			return { uploaded: row.filename };
		} catch (e) {
			return refusal(e);
		}
	},
	deleteAttachment: async (event) => {
		const user = requireRole(event, 'city');
		// The application of the page first: 404 (and a refused-request entry) when it is not the city's.
		visibleApplication(getDb(), user, event.params.id);
		const form = await event.request.formData();
		try {
			deleteAttachment(getDb(), user, form.get('id'));
			return { deleted: String(form.get('filename') ?? '') };
		} catch (e) {
			return refusal(e);
		}
	}
} satisfies Actions;
