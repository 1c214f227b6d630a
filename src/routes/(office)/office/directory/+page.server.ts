import { error, redirect } from '@sveltejs/kit';
import { actorOf, requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { refusal } from '$lib/server/refusal';
import { directoryEntry, directoryList, directorySource, institutionChoices } from '$lib/server/queries/directory';
import { createDirectoryEntry, deleteDirectoryEntry, updateDirectoryEntry } from '$lib/server/services/directory';
import { beijingDate } from '$lib/domain/time';
import { directoryFilterFrom } from '$lib/domain/directory';
import type { Actions, PageServerLoad } from './$types';

function read(form: FormData) {
	const get = (k: string) => {
		const v = form.get(k);
		return typeof v === 'string' ? v : '';
	};
	return {
		institutionId: get('institutionId'),
		occupation: get('occupation'),
		type: get('type'),
		levels: form.getAll('levels').filter((v): v is string => typeof v === 'string'),
		validFrom: get('validFrom'),
		validTo: get('validTo'),
		documentNo: get('documentNo'),
		note: get('note')
	};
}

const idOf = (raw: FormDataEntryValue | string | null) => (typeof raw === 'string' && /^\d{1,12}$/.test(raw) ? Number(raw) : NaN);

export const load = ((event) => {
	requireRole(event, 'office');
	const db = getDb();
	const day = beijingDate(new Date());
	const filter = directoryFilterFrom(event.url.searchParams);
	const editParam = event.url.searchParams.get('edit');
	const editing = editParam ? directoryEntry(db, idOf(editParam)) : null;
	if (editParam && !editing) error(404, { message: '没有找到该目录条目' });
	return {
		day,
		filter,
		entries: directoryList(db, filter, day).map((e) => ({ ...e, source: directorySource(e) })),
		institutions: institutionChoices(db),
		editing: editing ?? null,
		query: event.url.search
	};
}) satisfies PageServerLoad;

export const actions = {
	create: async (event) => {
		const user = requireRole(event, 'office');
		const values = read(await event.request.formData());
		try {
			const id = createDirectoryEntry(getDb(), actorOf(user), values);
			return { done: `已新增目录条目 ${id}` };
		} catch (e) {
			return refusal(e, values);
		}
	},
	update: async (event) => {
		const user = requireRole(event, 'office');
		const form = await event.request.formData();
		const values = read(form);
		let changed: string[];
		try {
			changed = updateDirectoryEntry(getDb(), actorOf(user), idOf(form.get('id')), values);
		} catch (e) {
			return refusal(e, values);
		}
		redirect(303, `/office/directory?saved=${changed.length}`);
	},
	delete: async (event) => {
		const user = requireRole(event, 'office');
		const form = await event.request.formData();
		try {
			deleteDirectoryEntry(getDb(), actorOf(user), idOf(form.get('id')));
			return { done: '已删除目录条目' };
		} catch (e) {
			return refusal(e);
		}
	}
} satisfies Actions;
