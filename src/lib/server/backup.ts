/**
 * Online backup and offline restore of the one SQLite file.
 *
 * Backup uses SQLite's backup API (better-sqlite3 `db.backup`) while the server keeps writing: the
 * copy is one consistent snapshot (WAL readers never block writers), written next to the target
 * under a temporary name, checked, turned into a self-contained rollback-journal file and renamed
 * into place, so a half-written backup never carries the final name.
 *
 * Restore replaces the configured database file only when no other process holds it (a running
 * server keeps its connection open for its whole life): it takes SQLite's exclusive lock to find
 * out. The file to restore must be a workbench database (the core tables, an intact structure) of
 * this or an older schema; the replaced file is kept beside it (`NAME.before-restore-TIME`), and
 * the restored one is migrated to the current schema.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate, migrationsFolder, openDatabase, schema, type Db } from './db';
import { verifyAudit, type AuditProblem } from './audit';
import { holdsKeyedData, keyFileFor, keysOf, readKeyFile, KeyError, type Keys } from './keys';
import { decryptValue } from './personal-data';

export class BackupError extends Error {}

/** Tables every workbench database has; a file without them is not one. */
export const CORE_TABLES = ['batches', 'applications', 'institutions', 'experts', 'users', 'score_sheets', 'audit_log', '__drizzle_migrations'];

export type DatabaseSummary = {
	file: string;
	bytes: number;
	/** Applied migrations (the schema version /healthz reports). */
	schemaVersion: number;
	counts: { applications: number; experts: number; users: number; sheets: number; auditEntries: number };
	/** The audit log's keyed chain and sealed head hold (checked with `keyFile`). */
	auditIntact: boolean;
	/** The first broken audit entry, when not intact. */
	auditProblem: AuditProblem | null;
	/** The key file the audit log was checked with (null: none found). */
	keyFile: string | null;
};

/**
 * What the key file is for, in the words the command line prints with backup, restore and export:
 * the database file alone is not enough.
 */
export function keyNotice(keyFile: string | null): string {
	return `密钥文件 ${keyFile ?? '（未找到）'} 不在数据库文件之内：没有它，备份既不能校验审计日志，也不能解密个人信息（身份证号、电话）。请另行备份密钥文件，并与数据库备份分开保管。`;
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

function journalWhens(): number[] {
	const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder(), 'meta', '_journal.json'), 'utf8')) as { entries: { when: number }[] };
	return journal.entries.map((e) => e.when);
}

function count(client: Database.Database, table: string): number {
	return (client.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n;
}

/**
 * Checks that `file` is a workbench database this program can use: an SQLite file whose structure
 * is intact, with the core tables, and migrations no newer than this program's. Read-only.
 */
export function inspectDatabaseFile(file: string, opts: { readonly?: boolean; keys?: Keys | null } = {}): DatabaseSummary {
	if (!fs.existsSync(file)) throw new BackupError(`${file}: 文件不存在`);
	const stat = fs.statSync(file);
	if (!stat.isFile()) throw new BackupError(`${file}: 不是普通文件`);
	const head = Buffer.alloc(16);
	const fd = fs.openSync(file, 'r');
	try {
		fs.readSync(fd, head, 0, 16, 0);
	} finally {
		fs.closeSync(fd);
	}
	if (stat.size < 512 || !head.equals(SQLITE_MAGIC)) throw new BackupError(`${file}: 不是 SQLite 数据库文件`);
	let client: Database.Database;
	try {
		client = new Database(file, { readonly: opts.readonly ?? true, fileMustExist: true, timeout: 2000 });
	} catch (e) {
		throw new BackupError(`${file}: 无法打开（${e instanceof Error ? e.message : String(e)}）`);
	}
	try {
		let check: string;
		try {
			check = (client.pragma('quick_check', { simple: true }) as string) ?? '';
		} catch (e) {
			throw new BackupError(`${file}: 数据库已损坏（${e instanceof Error ? e.message : String(e)}）`);
		}
		if (check !== 'ok') throw new BackupError(`${file}: 数据库结构检查未通过（${String(check).slice(0, 120)}）`);
		const tables = new Set((client.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name));
		const missing = CORE_TABLES.filter((t) => !tables.has(t));
		if (missing.length) throw new BackupError(`${file}: 不是评审工作台的数据库（缺少数据表 ${missing.join('、')}）`);
		const applied = client.prepare('SELECT created_at AS at FROM __drizzle_migrations ORDER BY created_at').all() as { at: number }[];
		const known = journalWhens();
		const newest = Math.max(...known);
		if (applied.some((m) => Number(m.at) > newest)) {
			throw new BackupError(`${file}: 该数据库来自更新版本的程序（数据结构版本 ${applied.length}，本程序为 ${known.length}），请先升级程序`);
		}
		// verifyAudit only needs to read the audit tables: give it a drizzle handle over this connection,
		// checked with the given keys (a copy: its source's) or else the key file beside the file.
		const keys = opts.keys !== undefined ? opts.keys : readKeyFileQuietly(keyFileFor(file));
		const verified = verifyAudit(drizzleOver(client), { keys });
		return {
			file,
			bytes: stat.size,
			schemaVersion: applied.length,
			counts: {
				applications: count(client, 'applications'),
				experts: count(client, 'experts'),
				users: count(client, 'users'),
				sheets: count(client, 'score_sheets'),
				auditEntries: count(client, 'audit_log')
			},
			auditIntact: verified.problems.length === 0,
			auditProblem: verified.first,
			keyFile: keys?.file ?? null
		};
	} finally {
		client.close();
	}
}

function readKeyFileQuietly(file: string | null): Keys | null {
	if (!file) return null;
	try {
		return readKeyFile(file);
	} catch {
		return null;
	}
}

/** A drizzle handle over an existing connection (read-only use). */
function drizzleOver(client: Database.Database): Db {
	return drizzle(client, { schema }) as Db;
}

/**
 * Writes a consistent copy of the open database to `out` while other connections keep writing.
 * Refuses to overwrite an existing file unless `overwrite`.
 */
export async function backupDatabase(db: Db, out: string, opts: { overwrite?: boolean } = {}): Promise<DatabaseSummary> {
	const target = path.resolve(out);
	const dir = path.dirname(target);
	if (!fs.existsSync(dir)) throw new BackupError(`${out}: 目录 ${dir} 不存在`);
	if (fs.existsSync(target) && !opts.overwrite) throw new BackupError(`${out}: 文件已存在（覆盖请加 --force）`);
	if (db.$client.name && path.resolve(db.$client.name) === target) throw new BackupError(`${out}: 不能备份到数据库文件自身`);
	const tmp = `${target}.tmp-${process.pid}-${Date.now()}`;
	try {
		// The first step copies 100 pages; then everything in one step, so that writes between
		// steps (which restart a backup) cannot starve it.
		await db.$client.backup(tmp, { progress: () => 1 << 30 });
		const copy = new Database(tmp);
		try {
			copy.pragma('journal_mode = DELETE');
		} finally {
			copy.close();
		}
		// The copy is checked with the keys of the database it was taken from.
		const summary = inspectDatabaseFile(tmp, { keys: keysOf(db, { create: false }) });
		fs.renameSync(tmp, target);
		return { ...summary, file: out };
	} finally {
		for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`, `${tmp}-journal`]) fs.rmSync(f, { force: true });
	}
}

/**
 * True when some other connection (another process, or another handle in this one) has the
 * database open: it then holds a shared lock, and SQLite refuses our exclusive lock.
 */
export function databaseInUse(file: string): boolean {
	if (!fs.existsSync(file)) return false;
	const probe = new Database(file, { timeout: 200, fileMustExist: true });
	try {
		probe.pragma('locking_mode = EXCLUSIVE');
		probe.exec('BEGIN EXCLUSIVE');
		probe.exec('COMMIT');
		return false;
	} catch (e) {
		if (e instanceof Error && /locked|busy/i.test(e.message)) return true;
		throw e;
	} finally {
		probe.close();
	}
}

/** A database with no batch, no account, no application and no audit entry (a fresh schema). */
function isBlank(file: string): boolean {
	const client = new Database(file, { readonly: true, fileMustExist: true });
	try {
		const tables = new Set((client.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name));
		return ['batches', 'users', 'applications', 'audit_log'].every((t) => tables.has(t) && count(client, t) === 0);
	} catch {
		return false;
	} finally {
		client.close();
	}
}

export type RestoreResult = { restored: DatabaseSummary; replacedKeptAs: string | null };

/**
 * Whether `keys` are the keys of the database file: 'fits' (or it holds nothing keyed), 'missing'
 * (keyed data, no keys) or 'wrong' (a stored ciphertext does not authenticate under them).
 */
function keysFit(file: string, keys: Keys | null): 'fits' | 'missing' | 'wrong' {
	const client = new Database(file, { readonly: true, fileMustExist: true });
	try {
		if (!holdsKeyedData(client)) return 'fits';
		if (!keys) return 'missing';
		const sample = client
			.prepare(
				`SELECT v FROM (SELECT phone AS v FROM experts UNION ALL SELECT legal_rep_id_number FROM institutions UNION ALL SELECT lead_phone FROM applications UNION ALL SELECT phone FROM application_people) WHERE v LIKE 'sm4:%' LIMIT 1`
			)
			.pluck()
			.get() as string | undefined;
		if (sample === undefined) return 'fits';
		try {
			decryptValue(keys, sample);
			return 'fits';
		} catch {
			return 'wrong';
		}
	} finally {
		client.close();
	}
}

function stamp(d = new Date()): string {
	return d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/**
 * Replaces the database file `target` by the backup `source`. Call it with no connection of this
 * process open on `target`. Validates the source first; refuses while anything holds the target;
 * keeps the replaced file as `target.before-restore-TIME`; migrates the restored file.
 */
export async function restoreDatabase(target: string, source: string): Promise<RestoreResult> {
	const dest = path.resolve(target);
	const src = path.resolve(source);
	if (src === dest) throw new BackupError(`${source}: 不能用数据库文件自身恢复`);
	// The restored file will be used with the key file of the target: check the audit chain with it.
	const keyFile = keyFileFor(dest);
	let keys: Keys | null;
	try {
		keys = keyFile ? readKeyFile(keyFile) : null;
	} catch (e) {
		throw new BackupError(e instanceof KeyError ? e.message : String(e));
	}
	inspectDatabaseFile(source, { keys });
	const fit = keysFit(src, keys);
	if (fit === 'missing') {
		throw new BackupError(`${source}: 该备份的审计日志与个人信息需要密钥文件，但 ${keyFile ?? '（未配置）'} 不存在；请先把备份时的密钥文件放回该位置（或以 WORKBENCH_KEY_FILE 指明）再恢复`);
	}
	if (fit === 'wrong') {
		throw new BackupError(`${source}: 该备份不是用密钥文件 ${keyFile} 加密的（无法解密其中的个人信息）；请先把备份时的密钥文件放到该位置（或以 WORKBENCH_KEY_FILE 指明）再恢复`);
	}
	if (databaseInUse(dest)) {
		throw new BackupError(`${target}: 数据库正被其他进程使用（如正在运行的服务器），请先停止服务器再恢复`);
	}
	fs.mkdirSync(path.dirname(dest), { recursive: true });
	// Copy through the backup API (the source may itself be a WAL database with a -wal file).
	const tmp = `${dest}.restore-${process.pid}-${Date.now()}`;
	const from = new Database(src, { readonly: true, fileMustExist: true });
	try {
		await from.backup(tmp);
	} finally {
		from.close();
	}
	let kept: string | null = null;
	try {
		const fix = new Database(tmp);
		fix.pragma('journal_mode = DELETE');
		fix.close();
		if (fs.existsSync(dest) && isBlank(dest)) {
			// Only the empty schema the command line itself just created: nothing to keep.
			for (const side of ['', '-wal', '-shm', '-journal']) fs.rmSync(dest + side, { force: true });
		}
		if (fs.existsSync(dest)) {
			if (databaseInUse(dest)) throw new BackupError(`${target}: 数据库正被其他进程使用，请先停止服务器再恢复`);
			// Our probe closed last, so SQLite has checkpointed and removed the -wal file: the main file is whole.
			kept = `${target}.before-restore-${stamp()}`;
			const keptPath = path.resolve(kept);
			fs.renameSync(dest, keptPath);
			for (const side of ['-wal', '-shm', '-journal']) {
				if (fs.existsSync(dest + side)) fs.renameSync(dest + side, keptPath + side);
			}
		}
		fs.renameSync(tmp, dest);
	} finally {
		for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`, `${tmp}-journal`]) fs.rmSync(f, { force: true });
	}
	const db = openDatabase(dest);
	try {
		migrate(db);
	} finally {
		db.$client.close();
	}
	return { restored: { ...inspectDatabaseFile(dest, { readonly: false }), file: target }, replacedKeptAs: kept };
}
