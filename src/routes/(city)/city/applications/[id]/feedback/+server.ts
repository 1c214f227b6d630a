import { requirePermission, requireRole } from '$lib/server/guard';
import { feedbackDownload } from '$lib/server/feedback-download';
import type { RequestHandler } from './$types';

/** The 评审反馈函 of one of the city's own region's applications, once the results are announced. */
export const GET: RequestHandler = async (event) => {
	requireRole(event, 'city');
	const user = requirePermission(event, 'feedback.read');
	return feedbackDownload(event, user);
};
