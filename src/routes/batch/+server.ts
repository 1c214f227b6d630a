/**
 * The header's batch switcher: POST a batch id; the choice is kept in a cookie (per browser) and
 * every page then shows that batch. The browser is sent back to the page it came from.
 */
import { error, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { requireRole } from '$lib/server/guard';
import { chooseBatch } from '$lib/server/batch-request';
import { batchById } from '$lib/server/scope';
import { safeRedirect } from '$lib/domain/redirect';
import type { RequestHandler } from './$types';

const ROLES = ['office', 'city', 'expert', 'observer'] as const;

export const POST: RequestHandler = async (event) => {
	requireRole(event, ...ROLES);
	const form = await event.request.formData().catch(() => null);
	const id = String(form?.get('batch') ?? '').trim();
	const batch = id ? batchById(getDb(), id) : undefined;
	if (!batch) error(400, id ? `没有批次 ${id}` : '请选择批次');
	chooseBatch(event, batch.id);
	redirect(303, safeRedirect(String(form?.get('back') ?? ''), '/'));
};
