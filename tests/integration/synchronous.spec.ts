/**
 * Power-loss durability (issue 12, point 16): every connection openDatabase opens — the server's and
 * the command line's — runs in WAL mode with synchronous = FULL, so COMMIT returns only after the
 * log was fsynced (under NORMAL, the default of this SQLite build for WAL connections, the last
 * commits before a power loss may be lost). /healthz reports it (tests/server/durability.spec.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { durability, migrate, openDatabase, type Db } from '../../src/lib/server/db';
import { openForCli } from '../../src/cli/context';
import { tempDir } from './helpers';

const open: Db[] = [];
const dirs: string[] = [];
afterEach(() => {
	for (const db of open.splice(0)) if (db.$client.open) db.$client.close();
	for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function databaseFile(): string {
	const dir = tempDir();
	dirs.push(dir);
	return path.join(dir, 'workbench.db');
}

describe('synchronous = FULL', () => {
	it('the connection openDatabase opens runs WAL with synchronous = FULL (2), also on a database reopened later', () => {
		const file = databaseFile();
		const db = openDatabase(file);
		open.push(db);
		migrate(db);
		expect(db.$client.pragma('journal_mode', { simple: true })).toBe('wal');
		expect(db.$client.pragma('synchronous', { simple: true })).toBe(2);
		expect(durability(db)).toEqual({ journalMode: 'wal', synchronous: 'full' });
		db.$client.close();
		const again = openDatabase(file);
		open.push(again);
		expect(again.$client.pragma('journal_mode', { simple: true })).toBe('wal');
		expect(again.$client.pragma('synchronous', { simple: true })).toBe(2);
	});

	it('so does the command line’s connection', () => {
		const { db } = openForCli(databaseFile());
		open.push(db);
		expect(db.$client.pragma('synchronous', { simple: true })).toBe(2);
		expect(durability(db)).toEqual({ journalMode: 'wal', synchronous: 'full' });
	});
});
