/**
 * The change counters of migration 0001: triggers bump `generations.n` on every write to the
 * tables each one watches (`intake`: batch, institutions, applications and their rows,
 * attachments, overrides, experts, declarations, conflict reviews; `review`: assignments, rubrics,
 * sheets, points, decisions), from any connection. State derived from those tables can be kept per
 * connection against the counter.
 */
import { eq, sql } from 'drizzle-orm';
import type { Db } from './index';
import { prepared } from './prepared';
import { generations } from './schema';

/**
 * The connection a cache may be kept for: null for a transaction handle, or while a transaction
 * is open on the connection (its writes, and the counters with them, may still roll back).
 */
export function cacheClient(db: Db): object | null {
	const client = (db as { $client?: { inTransaction?: boolean } }).$client;
	return client && !client.inTransaction ? client : null;
}

/** The counter now; null when it cannot be read (a database from before migration 0001). */
export function generation(db: Db, name: 'intake' | 'review'): number | null {
	try {
		// Read on every cached lookup: a prepared query. Preparing fails (and is tried again next
		// time) while the table does not exist.
		const row = prepared(db, 'generations.n', (d) =>
			d.select({ n: generations.n }).from(generations).where(eq(generations.name, sql.placeholder('name'))).prepare()
		).get({ name });
		return row && typeof row.n === 'number' ? row.n : null;
	} catch {
		return null;
	}
}
