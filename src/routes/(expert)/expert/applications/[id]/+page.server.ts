import { error, fail, redirect } from '@sveltejs/kit';
import { actorOf, requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { currentSecuritySettings, sessionDeadlines } from '$lib/server/auth';
import { NOT_FOUND_APPLICATION } from '$lib/server/not-found';
import { expertRelation, hasCommitted } from '$lib/server/queries/reviews';
import { applicationExists, visibleApplication } from '$lib/server/services/access';
import { noteDenial } from '$lib/server/denials';
import { ScoringError, explainSheet, getSheet, saveSheet } from '$lib/server/services/scoring';
import { computeFindings } from '$lib/server/services/batch-state';
import { applicationScope } from '$lib/server/services/scoring';
import { listAttachments } from '$lib/server/services/applications';
import { canScore } from '$lib/domain/permissions';
import type { Actions, PageServerLoad } from './$types';
import { requestScope } from '$lib/server/batch-request';

export const load = ((event) => {
	const user = requireRole(event, 'expert');
	const db = getDb();
	if (!user.expertId || !hasCommitted(db, user.expertId, requestScope(event).batch)) redirect(303, '/expert/commitment');
	const v = visibleApplication(db, user, event.params.id);
	const sheet = getSheet(db, v.app.id, user.expertId);
	// The formal check of the application's own batch.
	const findings = computeFindings(applicationScope(db, v.app.id)!).findings.get(v.app.id) ?? [];
	// For the sheet's warning before the idle timeout (and the absolute cap).
	const deadlines = event.locals.session ? sessionDeadlines(event.locals.session, currentSecuritySettings(db)) : null;
	return {
		session: deadlines ? { idleMs: deadlines.idleMs, touchMs: deadlines.touchMs, capLeftMs: deadlines.capEndsAt - Date.now() } : undefined,
		app: v.app,
		institution: v.institution,
		idNumber: v.idNumber,
		findings,
		// The uploaded materials, read-only: served by /attachments/[id] under the same rule as this page.
		attachments: listAttachments(db, v.app.id).map((a) => ({ id: a.id, kind: a.kind, filename: a.filename, mime: a.mime, size: a.size })),
		sheet: {
			rubric: sheet.rubric,
			status: sheet.status,
			points: sheet.points,
			comments: sheet.comments,
			comment: sheet.comment,
			explanation: sheet.explanation,
			version: sheet.version,
			updatedAt: sheet.updatedAt,
			submittedAt: sheet.submittedAt,
			total: sheet.total,
			abnormal: sheet.abnormal,
			returnedReason: sheet.returnedReason,
			locked: sheet.locked
		}
	};
}) satisfies PageServerLoad;

/** Form fields → sheet input (the page works without JavaScript too). */
function readForm(form: FormData) {
	const points: Record<string, number | null> = {};
	const comments: Record<string, string> = {};
	for (const [k, v] of form.entries()) {
		if (typeof v !== 'string') continue;
		if (k.startsWith('points.')) {
			const t = v.trim();
			points[k.slice(7)] = t === '' ? null : Number(t.replace(',', '.'));
		} else if (k.startsWith('comments.')) comments[k.slice(9)] = v;
	}
	const version = Number(form.get('version'));
	return { version: Number.isInteger(version) ? version : -1, points, comments, comment: String(form.get('comment') ?? '') };
}

function scoringGuard(event: Parameters<Actions[string]>[0]) {
	const user = requireRole(event, 'expert');
	const db = getDb();
	const id = event.params.id!;
	if (!user.expertId) error(403, { message: '该账号未绑定专家' });
	if (!canScore({ id: user.id, role: user.role, region: user.region, expertId: user.expertId }, expertRelation(db, user.expertId, id))) {
		if (applicationExists(db, id)) noteDenial({ status: 404, entity: 'sheet', entityId: `${id}/${user.expertId}`, reason: 'cannot-score' });
		error(404, { message: NOT_FOUND_APPLICATION });
	}
	return { user, db, id, expertId: user.expertId };
}

async function saveAction(event: Parameters<Actions[string]>[0], submit: boolean) {
	const { user, db, id, expertId } = scoringGuard(event);
	const input = readForm(await event.request.formData());
	for (const [k, v] of Object.entries(input.points)) {
		if (v !== null && !Number.isFinite(v)) return fail(400, { error: `评分项 ${k} 的分数应为数字`, field: `points.${k}` });
	}
	try {
		saveSheet(db, id, expertId, input, actorOf(user), { submit });
		return { ok: submit ? '评分表已提交' : '已保存' };
	} catch (e) {
		if (e instanceof ScoringError) return fail(e.status, { error: e.message, field: e.field });
		throw e;
	}
}

export const actions = {
	save: async (event) => {
		requireRole(event, 'expert');
		return saveAction(event, false);
	},
	submit: async (event) => {
		requireRole(event, 'expert');
		return saveAction(event, true);
	},
	explain: async (event) => {
		requireRole(event, 'expert');
		const { user, db, id, expertId } = scoringGuard(event);
		const form = await event.request.formData();
		try {
			explainSheet(db, id, expertId, String(form.get('explanation') ?? ''), actorOf(user));
			return { ok: '说明已保存' };
		} catch (e) {
			if (e instanceof ScoringError) return fail(e.status, { error: e.message, field: e.field });
			throw e;
		}
	}
} satisfies Actions;
