/**
 * Group commit. The database runs `synchronous = FULL` (db/index.ts): COMMIT returns only after the
 * write-ahead log was fsynced, so a write the server has acknowledged survives a power loss. The
 * fsync blocks the server's one thread for as long as the disk takes (a fraction of a millisecond
 * on a quiet disk, several milliseconds on a busy one), once per transaction: one commit per
 * autosave would put that wait on every save. Writes that arrive together are therefore committed
 * together:
 *
 * - `commitTogether(db, write)` queues the write; the queue is run once the event loop has taken in
 *   what has arrived (`setImmediate`), in one transaction, each write inside its own SAVEPOINT, with
 *   one COMMIT (one fsync) for all of them. Writes that arrive while a group is being written wait
 *   for the next group. At most MAX_GROUP writes go into one transaction; the rest into the next.
 * - A write that throws (a refusal, a version conflict) is rolled back to its savepoint alone and
 *   its promise is rejected with its own error; the other writes of the group are not affected.
 * - Every promise settles only after the shared COMMIT returned: that is the moment a write is
 *   acknowledged. If the COMMIT fails, or the transaction is lost on the way (SQLite rolls a whole
 *   transaction back on some errors: disk full, I/O error), nothing of the group is stored and every
 *   promise of the group is rejected with a GroupCommitError (its `cause` says why): no write of it
 *   is acknowledged.
 * - Writes run in the order they were queued, each a synchronous callback like every transaction
 *   here. What a write returns is read inside the transaction, so it is exactly what was committed.
 */
import type Database from 'better-sqlite3';
import type { Db } from './index';

/** Writes per transaction at most: the first write of a group waits for the others' work. */
export const MAX_GROUP = 64;

type Job = { write: (tx: Db) => unknown; resolve: (value: unknown) => void; reject: (error: unknown) => void };
type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export type GroupCommitStats = { commits: number; writes: number; failedCommits: number; largest: number };

type Queue = { db: Db; jobs: Job[]; scheduled: boolean; inSavepoint: (job: Job, tx: Db) => unknown; stats: GroupCommitStats };
const queues = new WeakMap<Database.Database, Queue>();

function clientOf(db: Db): Database.Database {
	const client = (db as { $client?: Database.Database }).$client;
	if (!client) throw new Error('commitTogether(): needs the database handle, not a transaction');
	return client;
}

function queueOf(db: Db): Queue {
	const client = clientOf(db);
	let queue = queues.get(client);
	if (!queue) {
		const stats = { commits: 0, writes: 0, failedCommits: 0, largest: 0 };
		queues.set(client, (queue = { db, jobs: [], scheduled: false, inSavepoint: savepointOf(client), stats }));
	}
	return queue;
}

/**
 * Runs `write` in a transaction shared with the writes queued at the same time (see above) and
 * resolves with its result once that transaction is committed; rejects with the write's own error
 * (nothing of it stored), or with a GroupCommitError when the shared transaction failed (nothing of
 * the group stored).
 */
export function commitTogether<T>(db: Db, write: (tx: Db) => T): Promise<T> {
	const queue = queueOf(db);
	if (clientOf(db).inTransaction) throw new Error('commitTogether(): a transaction is already open on this connection');
	return new Promise<T>((resolve, reject) => {
		queue.jobs.push({ write, resolve: resolve as (value: unknown) => void, reject });
		schedule(queue);
	});
}

/** Shared commits, writes in them, failed commits and the largest group so far on this connection (for tests and measurements). */
export function groupCommitStats(db: Db): GroupCommitStats {
	return { ...queueOf(db).stats };
}

function schedule(queue: Queue): void {
	if (queue.scheduled) return;
	queue.scheduled = true;
	setImmediate(() => flush(queue));
}

/** What every write of a group is rejected with when the group's transaction failed; `cause` is why. */
export class GroupCommitError extends Error {
	constructor(cause: unknown) {
		super(`本批保存未能写入数据库，均未生效：${cause instanceof Error ? cause.message : String(cause)}`, { cause });
	}
}

/**
 * One write in a SAVEPOINT of the open transaction (better-sqlite3's nested transaction: on an error
 * it rolls back to the savepoint and releases it, and rethrows the write's own error).
 */
function savepointOf(client: Database.Database) {
	return client.transaction((job: Job, tx: Db) => {
		const result = job.write(tx);
		if (result instanceof Promise) throw new TypeError('commitTogether(): a write must be synchronous');
		return result;
	});
}

function flush(queue: Queue): void {
	queue.scheduled = false;
	const jobs = queue.jobs.splice(0, MAX_GROUP);
	if (queue.jobs.length) schedule(queue);
	if (!jobs.length) return;
	const client = clientOf(queue.db);
	const outcomes: Outcome[] = [];
	try {
		// IMMEDIATE: the write lock is taken at BEGIN (waiting up to busy_timeout for another
		// process), never in the middle of the group, where it could fail for a stale snapshot.
		queue.db.transaction(
			(tx) => {
				for (const job of jobs) {
					try {
						outcomes.push({ ok: true, value: queue.inSavepoint(job, tx as unknown as Db) });
					} catch (error) {
						// SQLite rolled the whole transaction back: the writes before this one are gone too.
						if (!client.inTransaction) throw error;
						outcomes.push({ ok: false, error });
					}
				}
			},
			{ behavior: 'immediate' }
		);
	} catch (error) {
		queue.stats.failedCommits++;
		const failure = new GroupCommitError(error);
		for (const job of jobs) job.reject(failure);
		return;
	}
	queue.stats.commits++;
	queue.stats.writes += jobs.length;
	queue.stats.largest = Math.max(queue.stats.largest, jobs.length);
	jobs.forEach((job, i) => {
		const outcome = outcomes[i];
		if (outcome.ok) job.resolve(outcome.value);
		else job.reject(outcome.error);
	});
}
