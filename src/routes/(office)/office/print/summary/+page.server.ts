import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { buildMemoData } from '$lib/server/export/memo-data';
import { loadExperts, loadRubrics } from '$lib/server/queries/bundle';
import type { PageServerLoad } from './$types';
import { requestScope } from '$lib/server/batch-request';

export const load = ((event) => {
	requireRole(event, 'office');
	const only = event.url.searchParams.get('app');
	if (only && !/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,120}$/.test(only)) error(400, { message: '参数 app 格式不正确' });
	const db = getDb();
	const m = buildMemoData(requestScope(event));
	const names = new Map(loadExperts(db).map((e) => [e.id, e.name]));
	const rubrics = loadRubrics(requestScope(event));
	const apps = m.groups.flatMap((g) => g.applications).filter((a) => !only || a.id === only);
	if (only && !apps.length) error(404, { message: '没有找到该申报' });
	return {
		locked: m.lock.locked,
		date: m.dates.memoDate,
		apps: apps.map((a) => {
			const rubric = rubrics.find((r) => r.id === a.sheets.find((x) => x.rubricId)?.rubricId) ?? rubrics.filter((r) => r.type === a.type).at(-1);
			return {
				id: a.id,
				name: a.institutionName,
				occupation: a.occupationLabel,
				type: a.typeLabel,
				region: a.regionLabel,
				score: a.scoreText,
				rank: a.rank,
				n: a.n,
				flags: a.flagLabels,
				decision: a.decisionLabel,
				criteria: rubric?.criteria.map((c) => ({ id: c.id, name: c.name, max: c.maxPoints, mean: a.criterionMeans[c.id] ?? null })) ?? [],
				sheets: a.sheets
					.filter((x) => x.status === 'submitted')
					.map((x) => ({ name: names.get(x.expertId) ?? x.expertId, points: x.points, total: x.total, valid: x.valid, why: x.excludedLabel }))
			};
		})
	};
}) satisfies PageServerLoad;
