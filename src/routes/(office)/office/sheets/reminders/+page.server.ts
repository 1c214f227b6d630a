import { requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { reminders } from '$lib/server/queries/reminders';
import { reminderText } from '$lib/domain/reminders';
import type { PageServerLoad } from './$types';
import { requestScope } from '$lib/server/batch-request';

/** 催办: experts with unfinished sheets, their phones (office only) and a reminder text to copy. */
export const load = ((event) => {
	requireRole(event, 'office');
	const { rows, deadline, batchName, published } = reminders(requestScope(event));
	const loginUrl = `${event.url.origin}/login`;
	return {
		published,
		deadline,
		rows: rows.map((r) => ({ ...r, text: reminderText({ name: r.name, notStarted: r.notStarted, drafts: r.drafts, deadline, loginUrl, batchName }) }))
	};
}) satisfies PageServerLoad;
