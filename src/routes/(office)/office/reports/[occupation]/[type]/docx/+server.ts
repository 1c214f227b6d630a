import { docxResponse } from '$lib/server/files';
import { error } from '@sveltejs/kit';
import { requirePermission, requireRole } from '$lib/server/guard';
import { requestScope } from '$lib/server/batch-request';
import { reportGroup } from '$lib/server/queries/review-report';
import { renderReport, reportTitle } from '$lib/server/export/review-report-docx';
import type { RequestHandler } from './$types';

/** The group's review report as a Word document, with its signature page. */
export const GET: RequestHandler = async (event) => {
	requireRole(event, 'office');
	requirePermission(event, 'report.manage');
	const scope = requestScope(event);
	const g = reportGroup(scope, event.params.occupation, event.params.type);
	if (!g) error(404, { message: '本批次没有该职业和类型的评审结果' });
	const expertNames = Object.fromEntries(g.content.members.map((m) => [m.expertId, m.name]));
	const body = await renderReport(g, { batchName: scope.batch.name, expertNames, generatedAt: new Date() });
	return docxResponse(body, `${reportTitle(g, scope.batch.name)}.docx`, 'review-report.docx');
};
