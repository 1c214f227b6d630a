import { error, fail } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import * as z from 'zod';
import { actorOf, requirePermission, requireRole } from '$lib/server/guard';
import { closeVote, openVote, saveOpinion, voteBoard } from '$lib/server/services/votes';
import { getDb } from '$lib/server/db';
import * as s from '$lib/server/db/schema';
import { buildAgenda, meetingItem } from '$lib/server/queries/meeting';
import { computeResults } from '$lib/server/services/batch-state';
import { ResultsError, currentMeeting, moveMeeting, recordDecision, recordSiteVisit } from '$lib/server/services/results';
import { ScoringError, returnSheet } from '$lib/server/services/scoring';
import { meetingListeners } from '$lib/server/events';
import type { Actions, PageServerLoad } from './$types';
import { requestScope } from '$lib/server/batch-request';
import { Refusal } from '$lib/server/refusal';

const ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,120}$/;

export const load = ((event) => {
	requireRole(event, 'office');
	const db = getDb();
	const state = computeResults(requestScope(event));
	const agenda = buildAgenda(requestScope(event), state);
	const { applicationId } = currentMeeting(requestScope(event));
	const selected = event.url.searchParams.get('app') ?? applicationId;
	if (selected && !ID.test(selected)) error(400, { message: '参数 app 格式不正确' });
	const item = selected && agenda.some((g) => g.items.some((i) => i.id === selected)) ? meetingItem(requestScope(event), selected, state) : null;
	// The chair sees who scored (names), the screens only 专家A, B, …
	const sheets = item
		? db
				.select({ expertId: s.sheets.expertId, status: s.sheets.status, name: s.experts.name })
				.from(s.sheets)
				.innerJoin(s.experts, eq(s.sheets.expertId, s.experts.id))
				.where(eq(s.sheets.applicationId, item.id))
				.all()
		: [];
	const batch = requestScope(event).batch;
	return {
		agenda,
		current: applicationId,
		item,
		sheets,
		locked: !!batch?.resultsLockedAt,
		screens: meetingListeners(),
		decision: item ? db.select().from(s.decisions).where(eq(s.decisions.applicationId, item.id)).get() ?? null : null,
		// The chair's view of the vote: how many of the eligible have voted, never how; tallies once closed.
		board: item ? voteBoard(requestScope(event), item.id) : null
	};
}) satisfies PageServerLoad;

const idField = z.string().regex(ID, { message: '申报编号格式不正确' });

function failWith(e: unknown) {
	if (e instanceof Refusal) return fail(e.status, { error: e.message, field: e.field });
	if (e instanceof z.ZodError) return fail(400, { error: e.issues[0].message, field: String(e.issues[0].path[0] ?? '') });
	throw e;
}

export const actions = {
	move: async (event) => {
		const user = requireRole(event, 'office');
		const form = await event.request.formData();
		const raw = String(form.get('applicationId') ?? '');
		const parsed = raw === '' ? { success: true as const, data: null } : idField.safeParse(raw);
		if (!parsed.success) return fail(400, { error: parsed.error.issues[0].message, field: 'applicationId' });
		try {
			moveMeeting(requestScope(event), parsed.data, actorOf(user));
			return { ok: parsed.data ? '各屏幕已切换到该事项' : '已结束当前事项' };
		} catch (e) {
			return failWith(e);
		}
	},
	decide: async (event) => {
		const user = requireRole(event, 'office');
		const form = await event.request.formData();
		try {
			recordDecision(
				requestScope(event),
				{ applicationId: String(form.get('applicationId') ?? ''), decision: String(form.get('decision') ?? '') as 'proposed', reason: String(form.get('reason') ?? '') },
				actorOf(user)
			);
			return { ok: '已记录评议结论' };
		} catch (e) {
			return failWith(e);
		}
	},
	returnSheet: async (event) => {
		const user = requireRole(event, 'office');
		const form = await event.request.formData();
		const applicationId = idField.safeParse(form.get('applicationId'));
		const expertId = idField.safeParse(form.get('expertId'));
		if (!applicationId.success || !expertId.success) return fail(400, { error: '参数不正确', field: 'expertId' });
		try {
			returnSheet(getDb(), applicationId.data, expertId.data, String(form.get('reason') ?? ''), actorOf(user));
			return { ok: '已退回该专家重新评分，首次评分已保留' };
		} catch (e) {
			return failWith(e);
		}
	},
	voteOpen: async (event) => {
		const user = requirePermission(event, 'vote.call');
		const form = await event.request.formData();
		try {
			openVote(requestScope(event), { applicationId: String(form.get('applicationId') ?? ''), motion: String(form.get('motion') ?? '') as 'proposed' }, actorOf(user));
			return { ok: '已发起表决：各专家屏幕显示表决按钮' };
		} catch (e) {
			return failWith(e);
		}
	},
	voteClose: async (event) => {
		const user = requirePermission(event, 'vote.call');
		const form = await event.request.formData();
		const roundId = Number(form.get('roundId'));
		try {
			const { passed } = closeVote(requestScope(event), roundId, actorOf(user));
			return { ok: passed ? '表决结束：通过，已记录为评议结论' : '表决结束：未通过，评议结论未改变' };
		} catch (e) {
			return failWith(e);
		}
	},
	opinion: async (event) => {
		const user = requirePermission(event, 'vote.call');
		const form = await event.request.formData();
		try {
			saveOpinion(requestScope(event), { applicationId: String(form.get('applicationId') ?? ''), text: String(form.get('text') ?? '') }, actorOf(user));
			return { ok: '已保存综合评审意见' };
		} catch (e) {
			return failWith(e);
		}
	},
	siteVisit: async (event) => {
		const user = requireRole(event, 'office');
		const form = await event.request.formData();
		try {
			recordSiteVisit(
				requestScope(event),
				{
					applicationId: String(form.get('applicationId') ?? ''),
					date: String(form.get('date') ?? ''),
					members: String(form.get('members') ?? ''),
					findings: String(form.get('findings') ?? '')
				},
				actorOf(user)
			);
			return { ok: '已保存实地考察记录' };
		} catch (e) {
			return failWith(e);
		}
	}
} satisfies Actions;
