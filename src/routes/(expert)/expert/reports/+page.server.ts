import { error, fail, redirect } from '@sveltejs/kit';
import { actorOf, requirePermission, requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { requestScope } from '$lib/server/batch-request';
import { refusal } from '$lib/server/refusal';
import { hasCommitted } from '$lib/server/queries/reviews';
import { expertReportGroups } from '$lib/server/queries/review-report';
import { signReport } from '$lib/server/services/review-report';
import { batchPhase, canChangeScores } from '$lib/domain/phases';
import { contentForMember } from '$lib/domain/review-report';
import type { Actions, PageServerLoad } from './$types';

/** The review reports of the expert's own groups: read the report, sign it (同意) or sign with a dissent and its reasons. */
export const load = ((event) => {
	const user = requireRole(event, 'expert');
	requirePermission(event, 'report.sign');
	if (!user.expertId) error(403, { message: '该账号未绑定专家' });
	const scope = requestScope(event);
	if (!hasCommitted(getDb(), user.expertId, scope.batch)) redirect(303, '/expert/commitment');
	const groups = expertReportGroups(scope, user.expertId).map((g) => {
		const own = g.status.members.find((m) => m.expertId === user.expertId)!;
		return {
			occupation: g.occupation,
			type: g.type,
			// Other members as 专家A, 专家B… without their units, reasons or scores (experts never see each other).
			content: contentForMember(g.content, user.expertId!),
			code: g.digest.slice(0, 8),
			signedCount: g.status.members.filter((m) => m.state === 'signed').length,
			memberCount: g.status.members.length,
			own: { state: own.state, signature: own.signature }
		};
	});
	return { batch: { name: scope.batch.name }, canSign: canChangeScores(batchPhase(scope.batch)), groups };
}) satisfies PageServerLoad;

export const actions = {
	/** Signs the group's report in the app: 同意, or a dissent with its reasons. */
	sign: async (event) => {
		const user = requireRole(event, 'expert');
		requirePermission(event, 'report.sign');
		const form = await event.request.formData();
		const values = {
			occupation: String(form.get('occupation') ?? ''),
			type: String(form.get('type') ?? ''),
			kind: String(form.get('kind') ?? ''),
			dissent: String(form.get('dissent') ?? '')
		};
		if (!user.expertId) return fail(403, { message: '该账号未绑定专家', errors: {}, values });
		try {
			signReport(requestScope(event), user.expertId, values, actorOf(user));
			return { signed: `${values.occupation}|${values.type}` };
		} catch (e) {
			return refusal(e, values);
		}
	}
} satisfies Actions;
