import { error, fail } from '@sveltejs/kit';
import { actorOf, requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { expertsWithSheets, listSheets, type SheetState } from '$lib/server/queries/sheets';
import { ScoringError, returnSheet } from '$lib/server/services/scoring';
import { isOccupationKey } from '$lib/domain/occupations';
import { PAGE_PROBLEM, pageSlice, parsePage } from '$lib/domain/paging';
import type { Actions, PageServerLoad } from './$types';
import { requestScope } from '$lib/server/batch-request';

const STATES: SheetState[] = ['draft', 'submitted', 'returned'];
const ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,120}$/;

export const load = ((event) => {
	requireRole(event, 'office');
	const q = event.url.searchParams;
	const f = { occupation: q.get('occupation') || '', state: q.get('state') || '', expert: q.get('expert') || '', abnormal: q.get('abnormal') === '1' };
	if (f.occupation && !isOccupationKey(f.occupation)) error(400, { message: '筛选条件“职业”无效' });
	if (f.state && !STATES.includes(f.state as SheetState)) error(400, { message: '筛选条件“状态”无效' });
	if (f.expert && !ID.test(f.expert)) error(400, { message: '筛选条件“专家”无效' });
	const page = parsePage(q);
	if (page === null) error(400, { message: PAGE_PROBLEM });
	const db = getDb();
	const all = listSheets(requestScope(event));
	const rows = all.filter(
		(r) =>
			(!f.occupation || r.occupation === f.occupation) &&
			(!f.state || r.state === f.state) &&
			(!f.expert || r.expertId === f.expert) &&
			(!f.abnormal || r.abnormal)
	);
	const counts = {
		all: all.length,
		submitted: all.filter((r) => r.state === 'submitted').length,
		draft: all.filter((r) => r.state === 'draft').length,
		returned: all.filter((r) => r.state === 'returned').length,
		abnormal: all.filter((r) => r.abnormal).length,
		unexplained: all.filter((r) => r.abnormal && !r.explanation).length
	};
	const shown = pageSlice(rows, page);
	return { rows: shown.rows, paging: shown.paging, counts, filter: f, experts: expertsWithSheets(requestScope(event)) };
}) satisfies PageServerLoad;

export const actions = {
	return: async (event) => {
		const user = requireRole(event, 'office');
		const form = await event.request.formData();
		const values = {
			applicationId: String(form.get('applicationId') ?? ''),
			expertId: String(form.get('expertId') ?? ''),
			reason: String(form.get('reason') ?? '')
		};
		if (!ID.test(values.applicationId) || !ID.test(values.expertId)) {
			return fail(400, { errors: { reason: '评分表编号无效' }, values });
		}
		try {
			returnSheet(getDb(), values.applicationId, values.expertId, values.reason, actorOf(user));
			return { returned: { applicationId: values.applicationId, expertId: values.expertId } };
		} catch (e) {
			if (e instanceof ScoringError) return fail(e.status, { errors: { [e.field ?? 'reason']: e.message }, values });
			throw e;
		}
	}
} satisfies Actions;
