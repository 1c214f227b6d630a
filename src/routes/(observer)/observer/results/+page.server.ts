import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { resultsView } from '$lib/server/queries/results-view';
import { METHODS, type Method } from '$lib/domain/aggregation';
import type { PageServerLoad } from './$types';
import { requestScope } from '$lib/server/batch-request';

export const load = ((event) => {
	requireRole(event, 'observer');
	const m = event.url.searchParams.get('method');
	if (m && !(METHODS as readonly string[]).includes(m)) error(400, { message: '参数 method 应为 trimmed、mean、median 或 zscore' });
	return resultsView(requestScope(event), (m ?? undefined) as Method | undefined);
}) satisfies PageServerLoad;
