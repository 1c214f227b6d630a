/**
 * The batch of a web request: the one chosen with the header's switcher (a cookie), else the
 * default batch (the most recently created that is not archived). Routes take it with
 * `requestScope(event)` and hand it to every per-batch query and service.
 */
import { error, type Cookies } from '@sveltejs/kit';
import { getDb } from './db';
import { batchById, defaultBatchRow, type BatchScope } from './scope';

export const BATCH_COOKIE = 'batch';

/** The chosen batch id, when the cookie names a batch that exists. */
export function chosenBatchId(cookies: Pick<Cookies, 'get'>): string | null {
	const id = cookies.get(BATCH_COOKIE);
	return id && /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,99}$/.test(id) ? id : null;
}

export function requestScope(event: { cookies: Pick<Cookies, 'get'> }): BatchScope {
	const db = getDb();
	const id = chosenBatchId(event.cookies);
	const batch = (id ? batchById(db, id) : undefined) ?? defaultBatchRow(db);
	if (!batch) error(404, '数据库中还没有评审批次：请先导入批次数据或新建批次');
	return { db, batch };
}

/** The same, or null when the database holds no batch yet (pages that can show an empty state). */
export function optionalScope(event: { cookies: Pick<Cookies, 'get'> }): BatchScope | null {
	const db = getDb();
	const id = chosenBatchId(event.cookies);
	const batch = (id ? batchById(db, id) : undefined) ?? defaultBatchRow(db);
	return batch ? { db, batch } : null;
}

/** Keeps `batchId` as this browser's chosen batch (the header's switcher, a newly created batch). */
export function chooseBatch(event: { cookies: Pick<Cookies, 'set'>; url: URL }, batchId: string): void {
	event.cookies.set(BATCH_COOKIE, batchId, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: event.url.protocol === 'https:',
		maxAge: 60 * 60 * 24 * 180
	});
}
