/**
 * Refused requests as security events (GB/T 22239-2019 8.1.4.3): every 403 of a role or permission
 * check and every 404 given for an object that exists but that the user may not see becomes one
 * `access.denied` entry of the audit log — user, role, method, path (never the query string, which
 * may carry search terms), status and the object's id; nothing personal.
 *
 * The places that refuse only *note* the refusal (`noteDenial`): they may be inside a transaction
 * that is about to roll back, or on a read-only path. The request's hook (`hooks.server.ts`) writes
 * the note after the response is made, in a small transaction of its own; a failure to write is
 * reported on the server's output and never turns the refusal into a server error.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Db } from './db';
import { audit } from './audit';

export type Denial = {
	status: 403 | 404;
	/** What was refused: `route` for a role or permission check, else the object's kind. */
	entity: string;
	entityId: string | null;
	/** The missing permission or role, or why the object is hidden. */
	reason: string;
};

type Context = { denials: Denial[] };

const store = new AsyncLocalStorage<Context>();

/** Runs one request with a place for its refusals; returns what `fn` returns and the first refusal. */
export async function collectDenials<T>(fn: () => Promise<T>): Promise<{ result: T; denial: Denial | null }> {
	const ctx: Context = { denials: [] };
	const result = await store.run(ctx, fn);
	return { result, denial: ctx.denials[0] ?? null };
}

/** Notes a refusal of the current request (a no-op outside a request, e.g. on the command line). */
export function noteDenial(denial: Denial): void {
	store.getStore()?.denials.push(denial);
}

export type DeniedRequest = { userId: string; username: string; role: string; method: string; path: string };

/** Writes one `access.denied` entry in its own transaction; never throws. */
export function recordDenial(db: Db, req: DeniedRequest, denial: Denial): boolean {
	try {
		db.transaction((tx) => {
			audit(tx, { userId: req.userId, name: req.username }, 'access.denied', denial.entity, denial.entityId, {
				role: req.role,
				method: req.method,
				path: req.path.slice(0, 300),
				status: denial.status,
				reason: denial.reason
			});
		});
		return true;
	} catch (e) {
		console.error(`审计日志写入失败（access.denied ${req.method} ${req.path.slice(0, 120)}）：${e instanceof Error ? e.message : String(e)}`);
		return false;
	}
}
