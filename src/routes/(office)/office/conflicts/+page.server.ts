import { error, fail } from '@sveltejs/kit';
import { actorOf, requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { conflictBoard } from '$lib/server/queries/assignment-board';
import { ConflictError, reviewConflict } from '$lib/server/services/conflict-review';
import { isConflictCode } from '$lib/domain/conflicts';
import { isOccupationKey } from '$lib/domain/occupations';
import { PAGE_PROBLEM, pageSlice, parsePage } from '$lib/domain/paging';
import type { Actions, PageServerLoad } from './$types';
import { requestScope } from '$lib/server/batch-request';
import { Refusal } from '$lib/server/refusal';

const STATES = ['pending', 'hard', 'confirmed', 'dismissed', 'replace'];

export const load = ((event) => {
	requireRole(event, 'office');
	const q = event.url.searchParams;
	const f = { occupation: q.get('occupation') || '', code: q.get('code') || '', state: q.get('state') || '' };
	if (f.occupation && !isOccupationKey(f.occupation)) error(400, { message: '筛选条件“职业”无效' });
	if (f.code && !isConflictCode(f.code)) error(400, { message: '筛选条件“规则”无效' });
	if (f.state && !STATES.includes(f.state)) error(400, { message: '筛选条件“状态”无效' });
	const page = parsePage(q);
	if (page === null) error(400, { message: PAGE_PROBLEM });
	const all = conflictBoard(requestScope(event));
	const rows = all
		.filter((r) => (!f.occupation || r.occupation === f.occupation) && (!f.code || r.code === f.code))
		.filter((r) => (!f.state ? true : f.state === 'replace' ? r.mustReplace || r.sheetExcluded : r.state === f.state))
		.sort((a, b) => Number(b.mustReplace) - Number(a.mustReplace) || Number(b.state === 'pending') - Number(a.state === 'pending') || a.applicationId.localeCompare(b.applicationId) || a.expertId.localeCompare(b.expertId));
	const counts = {
		all: all.length,
		hard: all.filter((r) => r.state === 'hard').length,
		pending: all.filter((r) => r.state === 'pending').length,
		confirmed: all.filter((r) => r.state === 'confirmed').length,
		dismissed: all.filter((r) => r.state === 'dismissed').length,
		replace: all.filter((r) => r.mustReplace).length,
		excluded: all.filter((r) => r.sheetExcluded).length,
		declared: all.filter((r) => r.code === 'DECLARED').length
	};
	const shown = pageSlice(rows, page);
	return { rows: shown.rows, paging: shown.paging, counts, filter: f };
}) satisfies PageServerLoad;

export const actions = {
	review: async (event) => {
		const user = requireRole(event, 'office');
		const form = await event.request.formData();
		const input = {
			applicationId: String(form.get('applicationId') ?? ''),
			expertId: String(form.get('expertId') ?? ''),
			code: String(form.get('code') ?? ''),
			decision: String(form.get('decision') ?? ''),
			reason: String(form.get('reason') ?? '')
		};
		const key = `${input.applicationId}|${input.expertId}|${input.code}`;
		try {
			reviewConflict(getDb(), input, actorOf(user));
			return { reviewed: { key, decision: input.decision } };
		} catch (e) {
			if (e instanceof Refusal) return fail(e.status, { key, errors: { [e.field ?? 'code']: e.message }, reason: input.reason });
			throw e;
		}
	}
} satisfies Actions;
