import { fail } from '@sveltejs/kit';
import { actorOf, requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { importAnnexUpload, zipUpload } from '$lib/server/services/intake-files';
import { listApplications } from '$lib/server/queries/applications';
import { batchFromRow } from '$lib/server/queries/bundle';
import { quotaFor } from '$lib/domain/bundle';
import { feedbackBlock } from '$lib/server/services/feedback';
import { isRecommended } from '$lib/server/services/batch-state';
import { beijingDate } from '$lib/domain/time';
import type { Actions, PageServerLoad } from './$types';
import { requestScope } from '$lib/server/batch-request';

export const load = ((event) => {
	const user = requireRole(event, 'city');
	const db = getDb();
	const rows = listApplications(requestScope(event), { region: user.region! });
	const batchRow = requestScope(event).batch;
	const batch = batchFromRow(batchRow);
	// Quota usage per (occupation, type) cell of this region: recommended applications count.
	const cells = new Map<string, { occupation: string; type: 'training' | 'evaluation'; used: number; quota: number | null }>();
	for (const r of rows) {
		const key = `${r.occupation}|${r.type}`;
		const c = cells.get(key) ?? { occupation: r.occupation, type: r.type, used: 0, quota: quotaFor(batch, r.type, user.region!) };
		if (r.status !== 'draft' && r.status !== 'returned') c.used++;
		cells.set(key, c);
	}
	return {
		region: user.region!,
		rows,
		cells: [...cells.values()],
		quotas: { training: quotaFor(batch, 'training', user.region!), evaluation: quotaFor(batch, 'evaluation', user.region!) },
		deadline: batch.deadline,
		closed: batch.closedEvaluationOccupations,
		// 评审反馈函 of the region's recommended applications, once the results are announced (null: available).
		feedback: feedbackBlock(db, batchRow.id, beijingDate(new Date())),
		recommended: rows.filter((r) => isRecommended(r.status)).map((r) => ({ id: r.id, name: r.institutionName, occupation: r.occupation, type: r.type }))
	};
}) satisfies PageServerLoad;

export const actions = {
	/** A filled Annex 1/2 as a draft of the city's own region; another region's application or institution is refused. */
	importWord: async (event) => {
		const user = requireRole(event, 'city');
		const f = await zipUpload(await event.request.formData(), 'Word 文档（.docx 或 .doc）');
		if ('error' in f) return fail(400, { file: null as string | null, problems: [f.error], more: 0 });
		const region = user.region!;
		const r = await importAnnexUpload(getDb(), f.buf, actorOf(user), { region, onlyRegion: region, fileName: f.name });
		if (!r.ok) return fail(400, { file: f.name, problems: r.problems, more: r.more });
		return { word: { file: f.name, ...r.result } };
	}
} satisfies Actions;
