/**
 * The system administrator's online backups from the page: the same consistent copy as
 * `cli backup` (SQLite backup API, `backup.ts`), written to the backup directory — `BACKUP_DIR`,
 * else `backups/` beside the database file — under a name that says the database and the time.
 * Each backup is an audit entry (`backup.run`: file, size, counts); the page lists the files there.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db';
import { audit, type Actor } from '../audit';
import { BackupError, backupDatabase, type DatabaseSummary } from '../backup';

export { BackupError };

/** Where the page's backups go. */
export function backupDir(db: Db, env: Record<string, string | undefined> = process.env): string {
	if (env.BACKUP_DIR) return path.resolve(env.BACKUP_DIR);
	const file = db.$client.name;
	const base = !file || file === ':memory:' ? 'data' : path.dirname(path.resolve(file));
	return path.join(base, 'backups');
}

/** Backups of this database start with its file name (`workbench-20261205T120000Z.db`). */
function prefixOf(db: Db): string {
	const file = db.$client.name;
	const base = !file || file === ':memory:' ? 'memory' : path.basename(file).replace(/\.[^.]+$/, '');
	return base.replace(/[^A-Za-z0-9._-]/g, '_') || 'workbench';
}

function stamp(d: Date): string {
	return d.toISOString().replace(/[-:]/g, '').replace(/\.(\d+)Z$/, '$1Z');
}

export type BackupFile = { name: string; bytes: number; at: string };

/** The backups in the directory, newest first (only files this page could have made: `*.db`). */
export function listBackups(dir: string): BackupFile[] {
	if (!fs.existsSync(dir)) return [];
	return fs
		.readdirSync(dir, { withFileTypes: true })
		.filter((d) => d.isFile() && /^[A-Za-z0-9._-]+\.db$/.test(d.name))
		.map((d) => {
			const st = fs.statSync(path.join(dir, d.name));
			return { name: d.name, bytes: st.size, at: st.mtime.toISOString() };
		})
		.sort((a, b) => b.at.localeCompare(a.at) || b.name.localeCompare(a.name));
}

/** Makes one backup now (while the server keeps writing) and records it in the audit log. */
export async function runBackup(db: Db, actor: Actor, dir = backupDir(db), now = new Date()): Promise<{ name: string; summary: DatabaseSummary }> {
	fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
	const name = `${prefixOf(db)}-${stamp(now)}.db`;
	const summary = await backupDatabase(db, path.join(dir, name));
	fs.chmodSync(path.join(dir, name), 0o600);
	db.transaction((tx) =>
		audit(tx, actor, 'backup.run', 'backup', name, { bytes: summary.bytes, schemaVersion: summary.schemaVersion, counts: summary.counts, auditIntact: summary.auditIntact })
	);
	return { name, summary };
}
