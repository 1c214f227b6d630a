import { json } from '@sveltejs/kit';
import { durability, getDb, schemaVersion } from '$lib/server/db';
import type { RequestHandler } from './$types';

/**
 * Liveness and readiness: the database answers, its schema version, and how it commits
 * (`journalMode` "wal", `synchronous` "full": an acknowledged write survives a power loss). Public by design.
 */
export const GET: RequestHandler = () => {
	try {
		const db = getDb();
		return json({ ok: true, schemaVersion: schemaVersion(db), ...durability(db) }, { headers: { 'Cache-Control': 'no-store' } });
	} catch (e) {
		return json({ ok: false, error: '数据库不可用' }, { status: 503 });
	}
};
