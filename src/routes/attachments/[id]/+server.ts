/**
 * Serves one uploaded file to a user who may see its application (404 otherwise, as for the
 * application itself): inline with its sniffed, safe Content-Type so PDFs and images preview in
 * the browser, `?download=1` as an attachment.
 */
import { error, isHttpError } from '@sveltejs/kit';
import { NOT_FOUND_ATTACHMENT } from '$lib/server/not-found';
import { requirePermission } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { visibleApplication } from '$lib/server/services/access';
import { attachmentFile } from '$lib/server/services/applications';
import { storedFileResponse } from '$lib/server/files';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = (event) => {
	// The administrators (三员) never see application contents: 403 before the object is looked up.
	const user = requirePermission(event, 'application.read');
	const db = getDb();
	const found = attachmentFile(db, event.params.id);
	if (!found) error(404, { message: NOT_FOUND_ATTACHMENT });
	// The same 404 when the user may not see the application the file belongs to (noted as refused).
	try {
		visibleApplication(db, user, found.row.applicationId, { entity: 'attachment', id: found.row.id });
	} catch (e) {
		if (isHttpError(e) && e.status === 404) error(404, { message: NOT_FOUND_ATTACHMENT });
		throw e;
	}
	return storedFileResponse(found, event.url.searchParams.get('download') === '1');
};
