import { error, fail } from '@sveltejs/kit';
import { actorOf, requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { listIntake } from '$lib/server/services/applications';
import { expertsByPhone } from '$lib/server/queries/personal-search';
import { importAnnexUpload, importWorkbookUpload, parseListFilter, zipUpload } from '$lib/server/services/intake-files';
import { isRegionKey } from '$lib/domain/regions';
import { FINDING_RULES } from '$lib/domain/formal-check';
import { PAGE_PROBLEM, pageSlice, parsePage } from '$lib/domain/paging';
import type { Actions, PageServerLoad } from './$types';
import { requestScope } from '$lib/server/batch-request';

export const load = ((event) => {
	requireRole(event, 'office');
	const parsed = parseListFilter(event.url.searchParams);
	if ('error' in parsed) error(400, { message: parsed.error });
	const f = parsed.filter;
	const page = parsePage(event.url.searchParams);
	if (page === null) error(400, { message: PAGE_PROBLEM });
	const db = getDb();
	const rows = listIntake(requestScope(event), f);
	// Searching by phone also names the experts of the pool with that phone (matched by digest).
	const experts = f.person ? expertsByPhone(db, f.person) : [];
	const counts = { total: rows.length, blocking: rows.filter((r) => r.blocking).length, submitted: rows.filter((r) => r.status === 'submitted').length };
	// The export link carries the filters that are set, so the download is the list as shown.
	const query = new URLSearchParams(Object.entries(f).filter(([, v]) => v)).toString();
	// One page of the list (the counts and the export are of the whole filtered list).
	const shown = pageSlice(rows, page);
	return { rows: shown.rows, paging: shown.paging, filter: f, query, rules: FINDING_RULES.map((r) => ({ ...r })), counts, experts };
}) satisfies PageServerLoad;

export const actions = {
	importExcel: async (event) => {
		const user = requireRole(event, 'office');
		const f = await zipUpload(await event.request.formData(), 'Excel 工作簿（.xlsx）');
		if ('error' in f) return fail(400, { action: 'importExcel' as const, file: null as string | null, problems: [f.error], more: 0 });
		const r = await importWorkbookUpload(getDb(), f.buf, actorOf(user), f.name);
		if (!r.ok) return fail(400, { action: 'importExcel' as const, file: f.name, problems: r.problems, more: r.more });
		return { excel: { file: f.name, institutions: r.counts.institutions, applications: r.counts.applications } };
	},
	importWord: async (event) => {
		const user = requireRole(event, 'office');
		const form = await event.request.formData();
		const region = String(form.get('region') ?? '');
		if (region && !isRegionKey(region)) return fail(400, { action: 'importWord' as const, file: null as string | null, problems: ['请选择有效的地区'], more: 0 });
		const f = await zipUpload(form, 'Word 文档（.docx 或 .doc）');
		if ('error' in f) return fail(400, { action: 'importWord' as const, file: null as string | null, problems: [f.error], more: 0 });
		const r = await importAnnexUpload(getDb(), f.buf, actorOf(user), region ? { region, fileName: f.name } : { fileName: f.name });
		if (!r.ok) return fail(400, { action: 'importWord' as const, file: f.name, problems: r.problems, more: r.more });
		return { word: { file: f.name, ...r.result } };
	}
} satisfies Actions;
