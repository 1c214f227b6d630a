import { error, fail, redirect } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { actorOf, requirePermission, requireRole } from '$lib/server/guard';
import { requestScope } from '$lib/server/batch-request';
import { Refusal } from '$lib/server/refusal';
import { invitationBoard, replacementHistory } from '$lib/server/queries/invitations';
import { drawList } from '$lib/server/queries/draw-record';
import { replaceInvitee, setReplyDeadline } from '$lib/server/services/invitations';
import { batchPhase, canChangeScores } from '$lib/domain/phases';
import type { Actor } from '$lib/server/audit';
import { getDb } from '$lib/server/db';
import { draws, experts } from '$lib/server/db/schema';
import { applicationRoster, assignmentBoard, openAssignmentsOfInactiveExperts } from '$lib/server/queries/assignment-board';
import {
	AssignmentError,
	assignByHand,
	drawExperts,
	publishAssignments,
	replaceWithAlternate,
	saveDrawSettings,
	unassignExpert
} from '$lib/server/services/assignment-admin';
import { isOccupationKey } from '$lib/domain/occupations';
import { ratingExclusions } from '$lib/server/queries/expert-record';
import { saveRatingThreshold } from '$lib/server/services/expert-record';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/** The result of one recorded draw, for the banner after a draw (reload-safe: read from the draws table). */
function drawResult(db: ReturnType<typeof getDb>, id: number, names: Map<string, string>) {
	const d = db.select().from(draws).where(eq(draws.id, id)).get();
	if (!d) return null;
	const summary = (d.summary ?? {}) as { unfilledReasons?: { applicationId: string; missing: number; reason: string }[]; skippedBlocking?: string[] };
	const unfilled = (summary.unfilledReasons ?? []).map((u) => ({ ...u, institutionName: names.get(u.applicationId) ?? u.applicationId }));
	return {
		id: d.id,
		seed: d.seed,
		scope: d.scope,
		made: d.made,
		perApplication: d.perApplication,
		unfilled,
		skippedBlocking: summary.skippedBlocking ?? [],
		excluded: d.excluded ? withNames(db, d.excluded) : null,
		nothingToFill: d.made === 0 && unfilled.length === 0
	};
}

/** Experts left out by the 履职评价 threshold, with their names. */
function withNames(db: ReturnType<typeof getDb>, list: { expertId: string; average: number }[]) {
	const names = new Map(db.select({ id: experts.id, name: experts.name }).from(experts).all().map((e) => [e.id, e.name]));
	return list.map((x) => ({ ...x, name: names.get(x.expertId) ?? x.expertId }));
}

export const load = ((event) => {
	requireRole(event, 'office');
	const db = getDb();
	const q = event.url.searchParams;
	const requested = q.get('occupation');
	if (requested && !isOccupationKey(requested)) error(400, { message: '职业参数无效' });
	const overview = assignmentBoard(requestScope(event), null);
	const occupation =
		requested ?? overview.occupations.find((o) => o.drawable > o.full)?.key ?? overview.occupations.find((o) => o.applications > 0)?.key ?? 'ai';
	const board = assignmentBoard(requestScope(event), occupation);
	const appId = q.get('app');
	const roster = appId && board.matrix?.applications.some((a) => a.id === appId) ? applicationRoster(requestScope(event), appId) : null;
	const names = new Map(board.matrix?.applications.map((a) => [a.id, a.institutionName]) ?? []);
	const drawId = Number(q.get('draw'));
	const scope = requestScope(event);
	const rating = { threshold: scope.batch.minExpertRating, excluded: withNames(db, ratingExclusions(scope)) };
	return {
		...board,
		occupation,
		roster,
		rating,
		toReplace: openAssignmentsOfInactiveExperts(scope),
		lastDraw: Number.isInteger(drawId) && drawId > 0 ? drawResult(db, drawId, names) : null,
		invitations: invitationBoard(scope),
		replyDeadline: scope.batch.replyDeadline,
		replacements: replacementHistory(scope),
		drawRecords: drawList(scope),
		canMove: canChangeScores(batchPhase(scope.batch))
	};
}) satisfies PageServerLoad;

type Event = RequestEvent;

function pairForm(form: FormData) {
	return {
		applicationId: String(form.get('applicationId') ?? ''),
		expertId: String(form.get('expertId') ?? ''),
		reason: String(form.get('reason') ?? ''),
		confirm: form.get('confirm') === 'on'
	};
}

function failed(action: string, e: Refusal, values: Record<string, unknown> = {}) {
	return fail(e.status === 409 ? 409 : 400, { action, errors: { [e.field ?? 'form']: e.message }, needsConfirm: e instanceof AssignmentError && e.needsConfirm, values });
}

/** Runs one write of the page; an AssignmentError becomes a 400 naming the field. */
async function write<T>(event: Event, action: string, run: (form: FormData, actor: Actor) => T) {
	const user = requireRole(event, 'office');
	const form = await event.request.formData();
	try {
		return { ok: true as const, result: run(form, actorOf(user)) };
	} catch (e) {
		if (e instanceof Refusal) return { ok: false as const, response: failed(action, e, pairForm(form)) };
		throw e;
	}
}

export const actions = {
	settings: async (event) => {
		const user = requireRole(event, 'office');
		const form = await event.request.formData();
		const values = { perApplication: String(form.get('perApplication') ?? ''), maxLoad: String(form.get('maxLoad') ?? ''), onePerUnit: form.get('onePerUnit') === 'on' };
		try {
			saveDrawSettings(requestScope(event), values, actorOf(user));
			return { ok: '抽取设置已保存' };
		} catch (e) {
			if (e instanceof Refusal) return failed('settings', e, values);
			throw e;
		}
	},
	/** The 履职评价 threshold of the draw (empty: off). */
	ratingThreshold: async (event) => {
		const user = requireRole(event, 'office');
		const form = await event.request.formData();
		const values = { minExpertRating: String(form.get('minExpertRating') ?? '') };
		try {
			const value = saveRatingThreshold(requestScope(event), values.minExpertRating, actorOf(user));
			return { ok: value == null ? '已关闭履职评价下限：抽取不排除任何专家' : `已设置履职评价下限 ${value} 分` };
		} catch (e) {
			if (e instanceof Refusal) return fail(e.status, { action: 'ratingThreshold', errors: e.errors, values });
			throw e;
		}
	},
	draw: async (event) => {
		const user = requireRole(event, 'office');
		const form = await event.request.formData();
		const values = { scope: String(form.get('scope') ?? ''), seed: String(form.get('seed') ?? '') };
		let report;
		try {
			report = drawExperts(requestScope(event), values, actorOf(user));
		} catch (e) {
			if (e instanceof Refusal) return failed('draw', e, values);
			throw e;
		}
		const current = event.url.searchParams.get('occupation');
		const occupation = report.scope !== 'all' ? report.scope : current && isOccupationKey(current) ? current : '';
		redirect(303, `/office/assignments?${occupation ? `occupation=${occupation}&` : ''}draw=${report.drawId}`);
	},
	replace: async (event) => {
		requireRole(event, 'office');
		const r = await write(event, 'replace', (form, actor) => {
			const v = pairForm(form);
			return { applicationId: v.applicationId, from: v.expertId, to: replaceWithAlternate(requestScope(event), v, actor) };
		});
		return r.ok ? { replaced: r.result } : r.response;
	},
	assign: async (event) => {
		requireRole(event, 'office');
		const r = await write(event, 'assign', (form, actor) => {
			const v = pairForm(form);
			assignByHand(requestScope(event), v, actor);
			return { applicationId: v.applicationId, expertId: v.expertId };
		});
		return r.ok ? { assigned: r.result } : r.response;
	},
	unassign: async (event) => {
		requireRole(event, 'office');
		const r = await write(event, 'unassign', (form, actor) => {
			const v = pairForm(form);
			unassignExpert(requestScope(event), v, actor);
			return { applicationId: v.applicationId, expertId: v.expertId };
		});
		return r.ok ? { unassigned: r.result } : r.response;
	},
	/** The experts' reply deadline (a Beijing date; empty removes it). */
	deadline: async (event) => {
		requireRole(event, 'office');
		const user = requirePermission(event, 'invitation.manage');
		const form = await event.request.formData();
		const values = { replyDeadline: String(form.get('replyDeadline') ?? '') };
		try {
			const d = setReplyDeadline(requestScope(event), values, actorOf(user));
			return { ok: d ? `答复截止日期已设为 ${d}` : '已取消答复截止日期' };
		} catch (e) {
			if (e instanceof Refusal) return fail(e.status, { action: 'deadline', errors: e.errors.replyDeadline ? e.errors : { replyDeadline: e.message }, values });
			throw e;
		}
	},
	/** Replaces an expert who declined or let the deadline pass by the next alternate of each of their applications. */
	replaceInvitee: async (event) => {
		requireRole(event, 'office');
		const user = requirePermission(event, 'invitation.manage');
		const form = await event.request.formData();
		const values = { expertId: String(form.get('expertId') ?? '') };
		try {
			return { invitee: replaceInvitee(requestScope(event), values, actorOf(user)) };
		} catch (e) {
			if (e instanceof Refusal) return fail(e.status, { action: 'replaceInvitee', errors: { [`invitee-${values.expertId}`]: e.message }, values });
			throw e;
		}
	},
	publish: async (event) => {
		const user = requireRole(event, 'office');
		try {
			const p = publishAssignments(requestScope(event), actorOf(user));
			return { published: p };
		} catch (e) {
			if (e instanceof Refusal) return failed('publish', e);
			throw e;
		}
	}
} satisfies Actions;
