import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { resultsView } from '$lib/server/queries/results-view';
import { METHODS, type Method } from '$lib/domain/aggregation';
import { feedbackBlock } from '$lib/server/services/feedback';
import { beijingDate } from '$lib/domain/time';
import type { PageServerLoad } from './$types';
import { requestScope } from '$lib/server/batch-request';

export const load = ((event) => {
	requireRole(event, 'office');
	const m = event.url.searchParams.get('method');
	if (m && !(METHODS as readonly string[]).includes(m)) error(400, { message: '参数 method 应为 trimmed、mean、median 或 zscore' });
	const scope = requestScope(event);
	// 评审反馈函 links once the results are announced (locked and the 公示 begun).
	const feedbackBase = feedbackBlock(scope.db, scope.batch.id, beijingDate(new Date())) === null ? '/office/applications' : null;
	return { ...resultsView(scope, (m ?? undefined) as Method | undefined), feedbackBase };
}) satisfies PageServerLoad;
