import { requirePermission, requireRole } from '$lib/server/guard';
import { feedbackDownload } from '$lib/server/feedback-download';
import type { RequestHandler } from './$types';

/** The 评审反馈函 of any application, once the results are announced (the office passes it on, or checks the city's). */
export const GET: RequestHandler = async (event) => {
	requireRole(event, 'office');
	const user = requirePermission(event, 'feedback.read');
	return feedbackDownload(event, user);
};
