/**
 * The append-only audit log, chained and keyed. Each entry stores the hash of the previous entry
 * and its own MAC, HMAC-SM3 under the audit key (server/keys.ts, kept outside the database), over
 * (id, previous hash, time, actor, action, entity, detail) — `alg = 'hmac-sm3'`. Entries written
 * before the key existed (`alg = 'sha256'`, unkeyed SHA-256) are checked as before and are protected
 * by the keyed entries chained after them. The head (`audit_head`, row 1: last id, last hash, time)
 * is sealed under the same key in the same transaction as each append, so a deleted tail is
 * detected too. Someone who can write the database file but lacks the key can neither recompute
 * the chain after an edit nor hide a deletion. What this does not cover: the whole database rolled
 * back together with its head (the memo prints the head; compare it).
 * Nothing personal goes into `detail`: ids, codes and reasons only.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Db } from './db';
import { auditHead, auditLog } from './db/schema';
import { auditKeyFor, clientOf, hmacSm3, keysOf, requireKeys, takeCreated, type Keys } from './keys';

export type Actor = { userId: string | null; name: string };
export const SYSTEM_ACTOR: Actor = { userId: null, name: 'system' };
export const CLI_ACTOR: Actor = { userId: null, name: 'cli' };

type Tx = Pick<Db, 'select' | 'insert'>;

export const GENESIS_HASH = '0'.repeat(64);
/** The link of an entry appended while the head was missing (it was deleted): verification fails there. */
export const MISSING_HEAD_LINK = 'head-missing';
export const KEYED_ALG = 'hmac-sm3';

type EntryContent = {
	prevHash: string;
	at: string;
	actor: string;
	userId: string | null;
	action: string;
	entity: string | null;
	entityId: string | null;
	detail: string | null;
};

/** The unkeyed SHA-256 of an entry written before the keyed chain (`alg = 'sha256'`). */
export function entryHash(e: EntryContent): string {
	const payload = JSON.stringify([e.prevHash, e.at, e.actor, e.userId, e.action, e.entity, e.entityId, e.detail]);
	return createHash('sha256').update(payload).digest('hex');
}

/** The HMAC-SM3 of a keyed entry; its id is part of it (renumbering breaks it). */
export function keyedEntryHash(key: Buffer, e: EntryContent & { id: number }): string {
	const payload = JSON.stringify([e.id, e.prevHash, e.at, e.actor, e.userId, e.action, e.entity, e.entityId, e.detail]);
	return hmacSm3(key, payload).toString('hex');
}

export function headSeal(key: Buffer, lastId: number, lastHash: string, at: string): string {
	return hmacSm3(key, JSON.stringify(['audit-head', lastId, lastHash, at])).toString('hex');
}

type Statements = {
	keys: Keys;
	head: Database.Statement<[], { lastId: number; lastHash: string } | undefined>;
	last: Database.Statement<[], { id: number; hash: string } | undefined>;
	keyed: Database.Statement<[], unknown>;
	insert: Database.Statement;
	seal: Database.Statement;
};

const statements = new WeakMap<Database.Database, Statements>();

function statementsOf(tx: object): Statements {
	const client = clientOf(tx);
	let st = statements.get(client);
	if (!st) {
		st = {
			keys: requireKeys(tx),
			head: client.prepare('SELECT last_id AS lastId, last_hash AS lastHash FROM audit_head WHERE id = 1'),
			last: client.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1'),
			keyed: client.prepare(`SELECT 1 FROM audit_log WHERE alg <> 'sha256' LIMIT 1`),
			insert: client.prepare(
				'INSERT INTO audit_log (id, at, user_id, actor, action, entity, entity_id, detail, prev_hash, hash, alg) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'
			),
			seal: client.prepare(
				'INSERT INTO audit_head (id, last_id, last_hash, seal, at) VALUES (1, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET last_id = excluded.last_id, last_hash = excluded.last_hash, seal = excluded.seal, at = excluded.at'
			)
		} as Statements;
		statements.set(client, st);
	}
	return st;
}

/** Appends one entry and reseals the head. Call it inside the transaction of the change it records. */
export function audit(
	tx: Tx,
	actor: Actor,
	action: string,
	entity: string | null = null,
	entityId: string | null = null,
	detail: Record<string, unknown> | string | null = null
): void {
	const st = statementsOf(tx);
	const head = st.head.get();
	const last = st.last.get();
	// Link to the sealed head: after a deleted tail the new entry does not link to what is left, so
	// the deletion stays visible. A log without a head links to its last entry only while it has
	// never been keyed (an older database); otherwise the missing head is written into the link.
	const prevHash = head ? head.lastHash : !last ? GENESIS_HASH : st.keyed.get() ? MISSING_HEAD_LINK : last.hash;
	const id = Math.max(head?.lastId ?? 0, last?.id ?? 0) + 1;
	const at = new Date().toISOString();
	const detailText = detail == null ? null : typeof detail === 'string' ? detail : JSON.stringify(detail);
	const content = { prevHash, at, actor: actor.name, userId: actor.userId, action, entity, entityId, detail: detailText };
	const hash = keyedEntryHash(st.keys.audit, { id, ...content });
	st.insert.run(id, at, actor.userId, actor.name, action, entity, entityId, detailText, prevHash, hash, KEYED_ALG);
	st.seal.run(id, hash, headSeal(st.keys.audit, id, hash, at), at);
}

/**
 * Seals the head over an existing unkeyed chain once, when this process created the key file of the
 * database (an older database opened for the first time). Called by migrate(); idempotent.
 */
export function sealLegacyChain(db: Db): boolean {
	const client = clientOf(db);
	if (!takeCreated(db)) return false;
	const st = statementsOf(db);
	if (st.head.get() || st.keyed.get()) return false;
	const last = st.last.get();
	if (!last) return false;
	const at = new Date().toISOString();
	client.transaction(() => st.seal.run(last.id, last.hash, headSeal(st.keys.audit, last.id, last.hash, at), at))();
	return true;
}

export type AuditProblem = { id: number; problem: string };
export type AuditHead = { lastId: number; lastHash: string; at: string };
export type AuditVerification = {
	entries: number;
	/** Every problem in id order; the first names the first broken entry. */
	problems: AuditProblem[];
	/** The first broken entry, or null when the log is intact. */
	first: AuditProblem | null;
	/** The head as stored (null when there is none). */
	head: AuditHead | null;
	/** False when the key file was missing (keyed entries could not be checked). */
	keyed: boolean;
};

const safeEqualHex = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Walks the chain and checks the head: names every entry whose MAC, link or id does not hold, a
 * deleted tail, a missing or wrongly sealed head. `keys` default to the database's key file (never
 * created here); pass them to check a copy (a backup) with the keys of its source.
 */
export function verifyAudit(db: Db, opts: { keys?: Keys | null } = {}): AuditVerification {
	const keys = opts.keys !== undefined ? opts.keys : keysOf(db, { create: false });
	// Plain rows (no drizzle mapping): a log of months of security events is long.
	const rows = clientOf(db)
		.prepare('SELECT id, at, user_id AS userId, actor, action, entity, entity_id AS entityId, detail, prev_hash AS prevHash, hash, alg FROM audit_log ORDER BY id')
		.all() as (typeof auditLog.$inferSelect)[];
	let headRow: typeof auditHead.$inferSelect | undefined;
	try {
		headRow = db.select().from(auditHead).all().find((h) => h.id === 1);
	} catch {
		headRow = undefined; // an older schema without the head
	}
	const problems: AuditProblem[] = [];
	let prev = GENESIS_HASH;
	let prevId = 0;
	let keyedSeen = false;
	let noKeyReported = false;
	for (const r of rows) {
		if (r.id !== prevId + 1) problems.push({ id: r.id, problem: `第 ${prevId + 1}–${r.id - 1} 条记录缺失（被删除）` });
		if (r.prevHash === MISSING_HEAD_LINK) problems.push({ id: r.id, problem: '写入时审计日志头已缺失（头被删除）' });
		else if (r.prevHash !== prev) problems.push({ id: r.id, problem: '与上一条记录的链接不符（前一条被修改或删除）' });
		if (r.alg === KEYED_ALG) {
			keyedSeen = true;
			if (!keys) {
				if (!noKeyReported) problems.push({ id: r.id, problem: '缺少审计密钥文件，无法校验此条起的带密钥记录' });
				noKeyReported = true;
			} else if (!safeEqualHex(keyedEntryHash(auditKeyFor(keys, r.id), r), r.hash)) {
				problems.push({ id: r.id, problem: '内容与密钥签名不符（记录被修改、被重新编号，或密钥不对）' });
			}
		} else if (r.alg === 'sha256') {
			if (keyedSeen) problems.push({ id: r.id, problem: '带密钥的记录之后出现不带密钥的记录（链被不用密钥重算）' });
			else if (entryHash(r) !== r.hash) problems.push({ id: r.id, problem: '内容与哈希不符（记录被修改）' });
		} else problems.push({ id: r.id, problem: `未知的签名算法 ${r.alg}` });
		prev = r.hash;
		prevId = r.id;
	}
	const last = rows.at(-1);
	const head = headRow ? { lastId: headRow.lastId, lastHash: headRow.lastHash, at: headRow.at } : null;
	// The head: required once the log is keyed (or its key file exists), sealed under the key, and
	// naming the last entry.
	if (!headRow) {
		if (last && (keyedSeen || (keys && keys.file !== null))) {
			problems.push({ id: last.id, problem: '审计日志头缺失（被删除），无法确认末尾记录未被删除' });
		}
	} else if (keys) {
		if (!safeEqualHex(headSeal(auditKeyFor(keys, headRow.lastId), headRow.lastId, headRow.lastHash, headRow.at), headRow.seal)) {
			problems.push({ id: headRow.lastId, problem: '审计日志头的签名不符（头被改动、链被不用密钥重算，或密钥不对）' });
		} else if (!last || headRow.lastId > last.id) {
			const from = (last?.id ?? 0) + 1;
			problems.push({ id: from, problem: `第 ${from}–${headRow.lastId} 条记录缺失（末尾被删除）` });
		} else if (headRow.lastId < last.id) {
			problems.push({ id: headRow.lastId + 1, problem: `第 ${headRow.lastId + 1}–${last.id} 条记录不在审计日志头的封印之内（不是本系统写入的）` });
		} else if (headRow.lastHash !== last.hash) {
			problems.push({ id: last.id, problem: '最后一条记录与审计日志头不符（被修改或替换）' });
		}
	} else if (!noKeyReported) {
		problems.push({ id: headRow.lastId, problem: '缺少审计密钥文件，无法校验审计日志头' });
	}
	problems.sort((a, b) => a.id - b.id);
	return { entries: rows.length, problems, first: problems[0] ?? null, head, keyed: keys !== null };
}
