/**
 * Prepared drizzle queries, built once per connection. drizzle builds the SQL text of a query
 * every time it runs it, and for the small queries of every guarded request (the session, the
 * batch, the expert's relation to an application, the score sheet) building costs several times
 * what SQLite needs to run them. A query built here with `sql.placeholder(...)` for its inputs is
 * built once and then only executed, with drizzle's own column mapping.
 *
 * They are kept per drizzle session: the database handle and every transaction opened on it share
 * it (and with it the connection), so a query prepared from either runs inside the transaction
 * when one is open, exactly as the same query built on the `tx` would.
 */
import type { Db } from './index';

const store = new WeakMap<object, Map<string, unknown>>();

/** Any drizzle handle of a connection: the database or a transaction opened on it. */
type Handle = Pick<Db, 'select'>;

function sessionOf(db: Handle): object {
	const session = (db as unknown as { session?: object }).session;
	if (!session) throw new Error('prepared(): not a drizzle database or transaction handle');
	return session;
}

/**
 * The query `key` of this connection, built by `build` on first use. `key` names the query: the
 * same key must always build the same query (its inputs are placeholders, never values).
 */
export function prepared<T>(db: Handle, key: string, build: (db: Db) => T): T {
	const session = sessionOf(db);
	let queries = store.get(session);
	if (!queries) store.set(session, (queries = new Map()));
	let query = queries.get(key) as T | undefined;
	if (query === undefined) {
		query = build(db as Db);
		queries.set(key, query);
	}
	return query;
}
