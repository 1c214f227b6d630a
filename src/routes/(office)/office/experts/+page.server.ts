import { fail } from '@sveltejs/kit';
import { actorOf, requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { ExpertFormError, ExpertImportError, importExpertsFromBundle, importExpertsFromWorkbook, listExpertPool, setExpertActive } from '$lib/server/services/experts';
import { BundleImportError } from '$lib/server/services/bundle-import';
import type { Actions, PageServerLoad } from './$types';
import { requestScope } from '$lib/server/batch-request';

const MAX_UPLOAD = 5 * 1024 * 1024;

export const load = ((event) => {
	requireRole(event, 'office');
	return { experts: listExpertPool(requestScope(event)), saved: event.url.searchParams.get('saved') };
}) satisfies PageServerLoad;

/** The uploaded file of a form, checked for presence, size and extension. */
async function upload(form: FormData, ext: string): Promise<{ name: string; buf: Buffer } | { error: string }> {
	const file = form.get('file');
	if (!(file instanceof File) || file.size === 0) return { error: '请选择要上传的文件' };
	if (file.size > MAX_UPLOAD) return { error: '文件不能超过 5 MB' };
	if (!file.name.toLowerCase().endsWith(ext)) return { error: `请上传 ${ext} 文件（当前为“${file.name}”）` };
	return { name: file.name, buf: Buffer.from(await file.arrayBuffer()) };
}

export const actions = {
	toggle: async (event) => {
		const user = requireRole(event, 'office');
		const form = await event.request.formData();
		const id = String(form.get('id') ?? '');
		const raw = form.get('active');
		// Deactivating ends the expert's access at once: never on a request that did not say which.
		if (raw !== '0' && raw !== '1') return fail(400, { action: 'toggle', problems: ['请指明启用或停用该专家（active 应为 1 或 0）'] });
		const active = raw === '1';
		try {
			const assignments = setExpertActive(getDb(), id, active, actorOf(user));
			return { toggled: { id, active, assignments } };
		} catch (e) {
			if (e instanceof ExpertFormError) return fail(400, { action: 'toggle', problems: Object.values(e.errors) });
			throw e;
		}
	},
	importExcel: async (event) => {
		const user = requireRole(event, 'office');
		const f = await upload(await event.request.formData(), '.xlsx');
		if ('error' in f) return fail(400, { action: 'importExcel', problems: [f.error] });
		try {
			const r = await importExpertsFromWorkbook(getDb(), f.buf, actorOf(user), f.name);
			return { imported: { file: f.name, created: r.created.length, updated: r.updated.length } };
		} catch (e) {
			if (e instanceof ExpertImportError) return fail(400, { action: 'importExcel', file: f.name, problems: e.problems });
			throw e;
		}
	},
	importBundle: async (event) => {
		const user = requireRole(event, 'office');
		const f = await upload(await event.request.formData(), '.json');
		if ('error' in f) return fail(400, { action: 'importBundle', problems: [f.error] });
		try {
			const r = importExpertsFromBundle(getDb(), f.buf.toString('utf8'), actorOf(user));
			return { imported: { file: f.name, experts: r.counts.experts, ignored: r.ignored } };
		} catch (e) {
			if (e instanceof BundleImportError) {
				return fail(400, { action: 'importBundle', file: f.name, problems: e.errors.slice(0, 50).map((x) => `${x.path}：${x.message}`) });
			}
			throw e;
		}
	}
} satisfies Actions;
