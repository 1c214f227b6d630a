/**
 * The append-only audit log. Each entry stores the hash of the previous entry and its own hash
 * over (previous hash, time, actor, action, entity, detail), so an edited or deleted entry breaks
 * the chain (`cli audit verify`). Nothing personal goes into `detail`: ids, codes and reasons only.
 */
import { createHash } from 'node:crypto';
import { desc } from 'drizzle-orm';
import type { Db } from './db';
import { auditLog } from './db/schema';

export type Actor = { userId: string | null; name: string };
export const SYSTEM_ACTOR: Actor = { userId: null, name: 'system' };
export const CLI_ACTOR: Actor = { userId: null, name: 'cli' };

type Tx = Pick<Db, 'select' | 'insert'>;

export const GENESIS_HASH = '0'.repeat(64);

export function entryHash(e: {
	prevHash: string;
	at: string;
	actor: string;
	userId: string | null;
	action: string;
	entity: string | null;
	entityId: string | null;
	detail: string | null;
}): string {
	const payload = JSON.stringify([e.prevHash, e.at, e.actor, e.userId, e.action, e.entity, e.entityId, e.detail]);
	return createHash('sha256').update(payload).digest('hex');
}

/** Appends one entry. Call it inside the transaction of the change it records. */
export function audit(
	tx: Tx,
	actor: Actor,
	action: string,
	entity: string | null = null,
	entityId: string | null = null,
	detail: Record<string, unknown> | string | null = null
): void {
	const last = tx.select({ hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.id)).limit(1).all()[0];
	const prevHash = last?.hash ?? GENESIS_HASH;
	const at = new Date().toISOString();
	const detailText = detail == null ? null : typeof detail === 'string' ? detail : JSON.stringify(detail);
	const row = { at, userId: actor.userId, actor: actor.name, action, entity, entityId, detail: detailText, prevHash };
	tx.insert(auditLog)
		.values({ ...row, hash: entryHash(row) })
		.run();
}

export type AuditProblem = { id: number; problem: string };

/** Walks the chain; reports the first entry whose hash or link does not hold, and gaps in ids. */
export function verifyAudit(db: Db): { entries: number; problems: AuditProblem[] } {
	const rows = db.select().from(auditLog).orderBy(auditLog.id).all();
	const problems: AuditProblem[] = [];
	let prev = GENESIS_HASH;
	let prevId = 0;
	for (const r of rows) {
		if (r.id !== prevId + 1) problems.push({ id: r.id, problem: `第 ${prevId + 1}–${r.id - 1} 条记录缺失（被删除）` });
		if (r.prevHash !== prev) problems.push({ id: r.id, problem: '与上一条记录的链接不符（前一条被修改或删除）' });
		if (entryHash(r) !== r.hash) problems.push({ id: r.id, problem: '内容与哈希不符（记录被修改）' });
		prev = r.hash;
		prevId = r.id;
	}
	return { entries: rows.length, problems };
}
