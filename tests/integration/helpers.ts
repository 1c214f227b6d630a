import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/index';
import { bufferIo } from '../../src/cli/io';

export const FIXTURES = path.resolve(__dirname, '../fixtures');

export function tempDir(): string {
	return fs.mkdtempSync(path.join(os.tmpdir(), 'workbench-'));
}

/** Runs the command line in-process against a database file; returns exit code and output. */
export async function cli(db: string, ...args: string[]) {
	const io = bufferIo();
	const code = await main(['--db', db, ...args], io);
	return { code, stdout: io.stdout.join('\n'), stderr: io.stderr.join('\n') };
}

export function readJson(file: string): unknown {
	return JSON.parse(fs.readFileSync(file, 'utf8'));
}

export function fullBundle(): Record<string, any> {
	return structuredClone(readJson(path.join(FIXTURES, 'full-bundle.json'))) as Record<string, any>;
}

export function writeJson(dir: string, name: string, value: unknown): string {
	const file = path.join(dir, name);
	fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
	return file;
}

/** Every stored application of any batch (a refused import must leave none behind, even in a database without a batch). */
export function storedApplicationIds(db: { $client: { prepare(sql: string): { all(): unknown[] } } }): string[] {
	return (db.$client.prepare('SELECT id FROM applications ORDER BY rowid').all() as { id: string }[]).map((r) => r.id);
}
