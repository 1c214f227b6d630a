import { fail } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { actorOf, requireRole } from '$lib/server/guard';
import { archiveBatch, batchListing, createBatch } from '$lib/server/services/batches';
import { chooseBatch } from '$lib/server/batch-request';
import { Refusal } from '$lib/server/refusal';
import type { Actions, PageServerLoad } from './$types';

export const load = ((event) => {
	requireRole(event, 'office');
	return { batches: batchListing(getDb()) };
}) satisfies PageServerLoad;

export const actions = {
	create: async (event) => {
		const user = requireRole(event, 'office');
		const form = await event.request.formData();
		const values = { id: String(form.get('id') ?? ''), name: String(form.get('name') ?? ''), from: String(form.get('from') ?? '') };
		try {
			const row = createBatch(getDb(), values, actorOf(user));
			// The new batch is the one the office works on next.
			chooseBatch(event, row.id);
			return { created: row.id };
		} catch (e) {
			if (e instanceof Refusal) return fail(e.status, { action: 'create', message: e.message, errors: e.errors, values });
			throw e;
		}
	},
	archive: async (event) => {
		const user = requireRole(event, 'office');
		const form = await event.request.formData();
		const id = String(form.get('id') ?? '');
		const row = batchListing(getDb()).find((b) => b.id === id);
		if (row && row.phase !== 'locked' && form.get('confirm') !== 'on') {
			return fail(409, { action: 'archive', id, message: `批次「${row.name}」的评审结果尚未锁定。归档后不能再修改任何内容；确认归档请勾选确认。`, needsConfirm: true });
		}
		try {
			archiveBatch(getDb(), id, actorOf(user));
			return { archived: id };
		} catch (e) {
			if (e instanceof Refusal) return fail(e.status, { action: 'archive', id, message: e.message });
			throw e;
		}
	}
} satisfies Actions;
