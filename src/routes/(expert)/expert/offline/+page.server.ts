import { error, fail, redirect } from '@sveltejs/kit';
import { actorOf, requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { expertTasks, hasCommitted } from '$lib/server/queries/reviews';
import { MAX_OFFLINE_BYTES, OfflineImportError, applyOfflinePlan, previewOfflineWorkbook } from '$lib/server/import/offline-sheet';
import type { Actions, PageServerLoad } from './$types';
import { requestScope } from '$lib/server/batch-request';
import { expertInvitation } from '$lib/server/queries/invitations';
import { closedInvitationText } from '$lib/domain/invitations';

function expertOf(event: Parameters<PageServerLoad>[0] | Parameters<Actions[string]>[0]) {
	const user = requireRole(event, 'expert');
	const db = getDb();
	if (!user.expertId) error(403, { message: '该账号未绑定专家' });
	if (!hasCommitted(db, user.expertId, requestScope(event).batch)) redirect(303, '/expert/commitment');
	return { user, db, expertId: user.expertId };
}

export const load = ((event) => {
	const { db, expertId } = expertOf(event);
	const scope = requestScope(event);
	const { tasks } = expertTasks(scope, expertId);
	// Before the expert confirms the invitation the list is empty: say why instead of "no tasks".
	const invitation = expertInvitation(scope, expertId);
	return { tasks: tasks.length, submitted: tasks.filter((t) => t.sheetStatus === 'submitted').length, invitation: invitation && !invitation.opens ? closedInvitationText(invitation) : null };
}) satisfies PageServerLoad;

export const actions = {
	/** Reads the uploaded workbook and shows what would change; writes nothing. */
	preview: async (event) => {
		requireRole(event, 'expert');
		const { db, expertId } = expertOf(event);
		const form = await event.request.formData();
		const file = form.get('file');
		if (!(file instanceof File) || file.size === 0) return fail(400, { problems: ['请选择填好的离线评分表（.xlsx）'] });
		if (file.size > MAX_OFFLINE_BYTES) return fail(400, { fileName: file.name, problems: [`文件不能超过 ${MAX_OFFLINE_BYTES / 1024 / 1024} MB`] });
		const preview = await previewOfflineWorkbook(requestScope(event), expertId, Buffer.from(await file.arrayBuffer()), file.name);
		if (preview.problems.length) return fail(400, { fileName: file.name, problems: preview.problems });
		return { fileName: file.name, items: preview.items, plan: JSON.stringify(preview.plan) };
	},
	/** Saves the previewed drafts (all or nothing); conflicting ones only when ticked. */
	apply: async (event) => {
		requireRole(event, 'expert');
		const { user, db, expertId } = expertOf(event);
		const form = await event.request.formData();
		let plan: unknown;
		try {
			plan = JSON.parse(String(form.get('plan') ?? ''));
		} catch {
			return fail(400, { problems: ['预览数据已损坏，请重新上传离线评分表'] });
		}
		const overwrite = form.getAll('overwrite').map(String);
		try {
			const r = applyOfflinePlan(requestScope(event), expertId, plan, overwrite, actorOf(user));
			return { applied: r.applied, skipped: r.skipped };
		} catch (e) {
			if (e instanceof OfflineImportError) return fail(409, { problems: e.problems });
			throw e;
		}
	}
} satisfies Actions;
