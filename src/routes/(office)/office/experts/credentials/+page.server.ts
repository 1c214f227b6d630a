import { fail } from '@sveltejs/kit';
import { actorOf, requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { ExpertFormError, listExpertPool, provisionAccounts } from '$lib/server/services/experts';
import { expertUsername } from '$lib/domain/experts';
import { beijingDate } from '$lib/domain/time';
import type { Actions, PageServerLoad } from './$types';
import { requestScope } from '$lib/server/batch-request';

/** Expert ids from `ids=a&ids=b` or `ids=a,b`. */
function idsOf(values: string[]): string[] {
	return [...new Set(values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean))].slice(0, 200);
}

export const load = ((event) => {
	requireRole(event, 'office');
	const db = getDb();
	const ids = idsOf(event.url.searchParams.getAll('ids'));
	const pool = new Map(listExpertPool(requestScope(event)).map((e) => [e.id, e]));
	const experts = ids
		.map((id) => pool.get(id))
		.filter((e) => !!e)
		.map((e) => ({ id: e.id, name: e.name, workUnit: e.workUnit, title: e.title, active: e.active, account: e.account?.username ?? null, proposed: expertUsername(e.id) }));
	return { experts, unknown: ids.filter((id) => !pool.has(id)), batchName: requestScope(event).batch?.name ?? null };
}) satisfies PageServerLoad;

export const actions = {
	issue: async (event) => {
		const user = requireRole(event, 'office');
		const form = await event.request.formData();
		const ids = idsOf(form.getAll('ids').map(String));
		const usernames: Record<string, string> = {};
		for (const id of ids) usernames[id] = String(form.get(`username:${id}`) ?? '').trim();
		const reset = form.get('reset') === 'on';
		try {
			const credentials = await provisionAccounts(getDb(), ids.map((expertId) => ({ expertId, username: usernames[expertId] || null })), { reset }, actorOf(user));
			return { credentials, loginUrl: `${event.url.origin}/login`, issuedAt: beijingDate(new Date()) };
		} catch (e) {
			if (e instanceof ExpertFormError) return fail(400, { errors: e.errors, usernames, reset });
			throw e;
		}
	}
} satisfies Actions;
