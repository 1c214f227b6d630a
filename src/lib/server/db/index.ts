/**
 * The one place that opens the database. Nothing is opened at import time: SvelteKit imports
 * server modules during `vite build`, and the command line chooses its own file.
 */
import Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate as drizzleMigrate } from 'drizzle-orm/better-sqlite3/migrator';
import fs from 'node:fs';
import path from 'node:path';
import * as schema from './schema';
import { OCCUPATIONS } from '../../domain/occupations';
import { REGIONS } from '../../domain/regions';
import { requireKeys } from '../keys';
import { sealLegacyChain } from '../audit';
import { encryptPlaintextAtRest } from '../personal-data';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
export { schema };

export const DEFAULT_DATABASE_FILE = 'data/workbench.db';

/** `DATABASE_URL` may be a plain path or a `file:` URL; `:memory:` opens an in-memory database. */
export function databasePath(url = process.env.DATABASE_URL): string {
	if (!url) return DEFAULT_DATABASE_FILE;
	if (url.startsWith('file://')) return new URL(url).pathname;
	if (url.startsWith('file:')) return url.slice(5);
	return url;
}

export function migrationsFolder(): string {
	const candidates = [
		process.env.MIGRATIONS_DIR,
		path.resolve(process.cwd(), 'drizzle'),
		path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../../drizzle')
	].filter(Boolean) as string[];
	for (const c of candidates) if (fs.existsSync(path.join(c, 'meta', '_journal.json'))) return c;
	throw new Error(`找不到数据库迁移目录 drizzle/（已查找：${candidates.join('，')}）`);
}

/**
 * drizzle asks better-sqlite3 to prepare every query it runs, and preparing costs about as much as
 * running a small query. This keeps the connection's prepared statements by SQL text (the 1000 used
 * last), handed out again in their default mode (object rows: no raw, pluck or expand left over),
 * and never one that is still being iterated (then a fresh statement is prepared, as before).
 */
function cacheStatements(client: Database.Database): void {
	const prepare = client.prepare.bind(client);
	const cache = new Map<string, Database.Statement>();
	client.prepare = ((source: string) => {
		const hit = cache.get(source);
		if (hit && !hit.busy) {
			cache.delete(source);
			cache.set(source, hit);
			if (hit.reader) hit.raw(false).pluck(false).expand(false);
			return hit;
		}
		const statement = prepare(source);
		if (!hit) {
			cache.set(source, statement);
			if (cache.size > 1000) cache.delete(cache.keys().next().value!);
		}
		return statement;
	}) as typeof client.prepare;
}

/**
 * Opens a connection: write-ahead log, foreign keys, and `synchronous = FULL`: every COMMIT waits
 * until the log is fsynced, so a committed (and acknowledged) write survives a power loss or a
 * kernel crash, not only the death of the process (under NORMAL the last commits before a power
 * loss may be lost). The web server shares that fsync among the autosaves that arrive together
 * (db/group-commit.ts).
 */
export function openDatabase(file: string = databasePath()): Db {
	if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
	const client = new Database(file);
	cacheStatements(client);
	client.pragma('journal_mode = WAL');
	client.pragma('foreign_keys = ON');
	// Set on every connection: this SQLite build gives a connection to a WAL database NORMAL
	// unless it sets synchronous itself (SQLITE_DEFAULT_WAL_SYNCHRONOUS=1).
	client.pragma('synchronous = FULL');
	client.pragma('busy_timeout = 5000');
	return drizzle(client, { schema }) as Db;
}

const SYNCHRONOUS = ['off', 'normal', 'full', 'extra'];

/** The connection's journal mode and synchronous setting, as /healthz reports them ("wal", "full"). */
export function durability(db: Db): { journalMode: string; synchronous: string } {
	const journalMode = String(db.$client.pragma('journal_mode', { simple: true }));
	const level = Number(db.$client.pragma('synchronous', { simple: true }));
	return { journalMode, synchronous: SYNCHRONOUS[level] ?? String(level) };
}

/** Creates or upgrades the schema, (re)writes the fixed vocabulary and protects data at rest. Idempotent. */
export function migrate(db: Db): void {
	drizzleMigrate(db, { migrationsFolder: migrationsFolder() });
	db.transaction((tx) => {
		OCCUPATIONS.forEach((o, i) =>
			tx
				.insert(schema.occupations)
				.values({ key: o.key, label: o.label, position: i })
				.onConflictDoUpdate({
					target: schema.occupations.key,
					set: { label: o.label, position: i },
					// Only when the vocabulary changed: opening a database must not write (nor move the change counters).
					setWhere: sql`${schema.occupations.label} IS NOT excluded.label OR ${schema.occupations.position} IS NOT excluded.position`
				})
				.run()
		);
		REGIONS.forEach((r, i) =>
			tx
				.insert(schema.regions)
				.values({ key: r.key, label: r.label, unit: r.unit, position: i })
				.onConflictDoUpdate({
					target: schema.regions.key,
					set: { label: r.label, unit: r.unit, position: i },
					setWhere: sql`${schema.regions.label} IS NOT excluded.label OR ${schema.regions.unit} IS NOT excluded.unit OR ${schema.regions.position} IS NOT excluded.position`
				})
				.run()
		);
	});
	// The keys beside the database (created on first use), an older audit chain sealed once, and
	// personal data still stored in plaintext encrypted (see keys.ts, audit.ts, personal-data.ts).
	requireKeys(db);
	sealLegacyChain(db);
	encryptPlaintextAtRest(db);
}

/** Number of applied migrations: the schema version reported by /healthz. */
export function schemaVersion(db: Db): number {
	const row = db.$client.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number };
	return row.n;
}

let shared: Db | null = null;

/** The server's database, opened and migrated on first use. */
export function getDb(): Db {
	if (!shared) {
		shared = openDatabase();
		migrate(shared);
	}
	return shared;
}

/** For tests: a migrated in-memory database. */
export function memoryDb(): Db {
	const db = openDatabase(':memory:');
	migrate(db);
	return db;
}

export function setDb(db: Db | null): void {
	shared = db;
}
