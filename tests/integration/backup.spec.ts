/**
 * `cli backup --out FILE` (online, consistent, while another process writes) and `cli restore FILE`
 * (validated, refused while the database is held, the replaced file kept).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { cli, FIXTURES, tempDir } from './helpers';
import { databaseInUse, inspectDatabaseFile } from '../../src/lib/server/backup';
import { readKeyFile } from '../../src/lib/server/keys';

/** The schema version is the number of committed migrations. */
const MIGRATIONS = (JSON.parse(fs.readFileSync(path.join(__dirname, '../../drizzle/meta/_journal.json'), 'utf8')) as { entries: unknown[] }).entries.length;

async function seeded(dir: string, name = 'live.db') {
	const db = path.join(dir, name);
	expect((await cli(db, 'import', path.join(FIXTURES, 'full-bundle.json'))).code).toBe(0);
	expect((await cli(db, 'user', 'add', 'office', '--role', 'office', '--password', 'Passw0rd123')).code).toBe(0);
	return db;
}

async function bundleOf(db: string): Promise<string> {
	const out = path.join(path.dirname(db), `export-${Math.random().toString(36).slice(2)}.json`);
	expect((await cli(db, 'export', '--out', out)).code).toBe(0);
	return fs.readFileSync(out, 'utf8');
}

describe('backup and restore', () => {
	it('backup then restore brings the data back and keeps the replaced file', async () => {
		const dir = tempDir();
		const live = await seeded(dir);
		const before = await bundleOf(live);
		const backup = path.join(dir, 'backup.db');
		const res = await cli(live, 'backup', '--out', backup, '--json');
		expect(res.code).toBe(0);
		const summary = JSON.parse(res.stdout).backup;
		expect(summary).toMatchObject({ schemaVersion: MIGRATIONS, auditIntact: true, counts: { applications: 2, experts: 2, users: 1, sheets: 2 } });
		// A self-contained file: no -wal beside it.
		expect(fs.existsSync(`${backup}-wal`)).toBe(false);
		// Refuses to overwrite without --force.
		const again = await cli(live, 'backup', '--out', backup);
		expect(again.code).toBe(1);
		expect(again.stderr).toMatch(/文件已存在/);
		expect((await cli(live, 'backup', '--out', backup, '--force')).code).toBe(0);
		expect((await cli(live, 'backup', '--out', path.join(dir, 'no/such/dir/b.db'))).stderr).toMatch(/目录 .* 不存在/);

		// Change the live database, then restore: the change is gone, the changed file is kept.
		expect((await cli(live, 'user', 'add', 'later', '--role', 'observer')).code).toBe(0);
		const restored = await cli(live, 'restore', backup, '--json');
		expect(restored.code, restored.stderr).toBe(0);
		const out = JSON.parse(restored.stdout);
		expect(out.restored.counts.users).toBe(1);
		expect(out.replacedKeptAs).toMatch(/live\.db\.before-restore-\d{8}T\d{6}Z$/);
		expect(await bundleOf(live)).toBe(before);
		const users = JSON.parse((await cli(live, 'user', 'list', '--json')).stdout).users.map((u: { username: string }) => u.username);
		expect(users).toEqual(['office']);
		expect(inspectDatabaseFile(out.replacedKeptAs).counts.users).toBe(2);
		expect((await cli(live, 'audit', 'verify')).code).toBe(0);
	});

	it('refuses a file that is not a workbench database of a compatible schema, changing nothing', async () => {
		const dir = tempDir();
		const live = await seeded(dir);
		const before = await bundleOf(live);
		const text = path.join(dir, 'notes.db');
		fs.writeFileSync(text, 'not a database at all\n'.repeat(100));
		const other = path.join(dir, 'other.db');
		const o = new Database(other);
		o.exec('CREATE TABLE t(x); INSERT INTO t VALUES (1)');
		o.close();
		const newer = path.join(dir, 'newer.db');
		expect((await cli(live, 'backup', '--out', newer)).code).toBe(0);
		const n = new Database(newer);
		n.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('future', Date.now() + 10 * 365 * 86400_000);
		n.close();
		const broken = path.join(dir, 'broken.db');
		expect((await cli(live, 'backup', '--out', broken)).code).toBe(0);
		const bytes = fs.readFileSync(broken);
		// Garble every page after the first: the structure check fails.
		for (let p = 4096; p < bytes.length; p += 4096) bytes.fill(0xa5, p + 8, p + 200);
		fs.writeFileSync(broken, bytes);
		const cases: [string, RegExp][] = [
			[path.join(dir, 'missing.db'), /文件不存在/],
			[text, /不是 SQLite 数据库文件/],
			[other, /不是评审工作台的数据库（缺少数据表 batches/],
			[newer, /来自更新版本的程序/],
			[broken, /损坏|结构检查未通过|不是评审工作台/],
			[live, /不能用数据库文件自身恢复/]
		];
		for (const [file, message] of cases) {
			const r = await cli(live, 'restore', file);
			expect(r.code, file).toBe(1);
			expect(r.stderr, file).toMatch(message);
			expect(r.stderr.split('\n')).toHaveLength(1);
		}
		expect(fs.readdirSync(dir).filter((f) => f.includes('before-restore'))).toEqual([]);
		expect(await bundleOf(live)).toBe(before);
	});

	it('refuses while another connection (a running server) holds the database', async () => {
		const dir = tempDir();
		const live = await seeded(dir);
		const backup = path.join(dir, 'b.db');
		expect((await cli(live, 'backup', '--out', backup)).code).toBe(0);
		const server = new Database(live);
		server.pragma('journal_mode = WAL');
		server.prepare('SELECT count(*) FROM applications').get();
		try {
			expect(databaseInUse(live)).toBe(true);
			const r = await cli(live, 'restore', backup);
			expect(r.code).toBe(1);
			expect(r.stderr).toMatch(/正被其他进程使用.*请先停止服务器/);
			expect(fs.readdirSync(dir).filter((f) => f.includes('before-restore'))).toEqual([]);
		} finally {
			server.close();
		}
		expect(databaseInUse(live)).toBe(false);
		expect((await cli(live, 'restore', backup)).code).toBe(0);
	});

	it('takes a consistent copy while another process writes', async () => {
		const dir = tempDir();
		const live = await seeded(dir);
		// Make the file big enough for the backup to need several steps, and a table to write into.
		const setup = new Database(live);
		setup.exec('CREATE TABLE writes (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)');
		const fill = setup.prepare('INSERT INTO writes (payload) VALUES (?)');
		setup.transaction(() => {
			for (let i = 0; i < 2000; i++) fill.run(Buffer.alloc(2048, i % 251));
		})();
		setup.close();
		const script = `
			const Database = require('better-sqlite3');
			const db = new Database(${JSON.stringify(live)}, { timeout: 5000 });
			db.pragma('journal_mode = WAL');
			const ins = db.prepare('INSERT INTO writes (payload) VALUES (?)');
			let n = 0;
			const tick = () => { for (let i = 0; i < 20; i++) { ins.run(Buffer.alloc(2048, 7)); n++; } if (n === 200) process.stdout.write('go\\n'); setImmediate(tick); };
			tick();
			process.on('SIGTERM', () => { db.close(); process.stdout.write('n=' + n + '\\n'); process.exit(0); });
		`;
		const writer = spawn(process.execPath, ['-e', script], { cwd: path.resolve(__dirname, '../..'), stdio: ['ignore', 'pipe', 'inherit'] });
		let output = '';
		writer.stdout.on('data', (d) => (output += d));
		await new Promise<void>((resolve) => writer.stdout.on('data', () => output.includes('go') && resolve()));
		const counted = () => {
			const c = new Database(live, { readonly: true });
			try {
				return (c.prepare('SELECT count(*) AS n FROM writes').get() as { n: number }).n;
			} finally {
				c.close();
			}
		};
		const low = counted();
		const copies: string[] = [];
		for (let k = 0; k < 3; k++) {
			const out = path.join(dir, `during-${k}.db`);
			const r = await cli(live, 'backup', '--out', out);
			expect(r.code, r.stderr).toBe(0);
			copies.push(out);
		}
		const high = counted();
		writer.kill('SIGTERM');
		await new Promise((r) => writer.on('exit', r));
		expect(high).toBeGreaterThan(low);
		let previous = low;
		for (const copy of copies) {
			const c = new Database(copy, { readonly: true });
			try {
				expect(c.pragma('integrity_check', { simple: true })).toBe('ok');
				const { n, max } = c.prepare('SELECT count(*) AS n, max(id) AS max FROM writes').get() as { n: number; max: number };
				// A snapshot: every row up to its last one, none missing in between, taken during the writes.
				expect(n).toBe(max);
				expect(n).toBeGreaterThanOrEqual(previous);
				expect(n).toBeLessThanOrEqual(high);
				previous = n;
			} finally {
				c.close();
			}
			// Checked with the key file of the database it was taken from (a copy alone cannot be).
			expect(inspectDatabaseFile(copy, { keys: readKeyFile(`${live}.keys`) }).auditIntact).toBe(true);
			expect(inspectDatabaseFile(copy).auditProblem?.problem).toMatch(/缺少审计密钥/);
		}
	});
});
