/**
 * The keyed audit chain against someone who can write the database file but does not hold the key
 * file: every attack is raw SQL on the file, then `cli audit verify` must name the first broken entry
 * and exit 1. Before the key (plain SHA-256 chain, no head) all three attacks passed.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { cli, FIXTURES, tempDir } from './helpers';
import { entryHash, GENESIS_HASH, verifyAudit } from '../../src/lib/server/audit';
import { migrate, openDatabase } from '../../src/lib/server/db';
import { createKeyFile, KeyError, readKeyFile, rotateKeyFile } from '../../src/lib/server/keys';
import { decryptValue } from '../../src/lib/server/personal-data';
import { exportBundle } from '../../src/lib/server/queries/bundle';
import { requireScope } from '../../src/lib/server/scope';

type Row = { id: number; at: string; user_id: string | null; actor: string; action: string; entity: string | null; entity_id: string | null; detail: string | null; prev_hash: string; hash: string; alg: string };

/** A database file with a few audited actions (import, two accounts, a role change). */
async function logged(): Promise<string> {
	const db = path.join(tempDir(), 'w.db');
	expect((await cli(db, 'import', path.join(FIXTURES, 'full-bundle.json'))).code).toBe(0);
	expect((await cli(db, 'user', 'add', 'office', '--role', 'office', '--password', 'Passw0rd123')).code).toBe(0);
	expect((await cli(db, 'user', 'add', 'watcher', '--role', 'observer', '--password', 'Passw0rd456')).code).toBe(0);
	expect((await cli(db, 'user', 'add', 'third', '--role', 'observer', '--password', 'Passw0rd789')).code).toBe(0);
	return db;
}

/** Opens the file as an attacker would: plain SQLite, no key. */
function raw<T>(file: string, fn: (c: Database.Database) => T): T {
	const c = new Database(file);
	try {
		return fn(c);
	} finally {
		c.close();
	}
}

const rows = (c: Database.Database) => c.prepare('SELECT * FROM audit_log ORDER BY id').all() as Row[];

/** Recomputes the whole chain from `from` on with the public (unkeyed) SHA-256, as the old code did. */
function rechainUnkeyed(c: Database.Database) {
	let prev = GENESIS_HASH;
	const update = c.prepare(`UPDATE audit_log SET prev_hash = ?, hash = ?, alg = 'sha256' WHERE id = ?`);
	for (const r of rows(c)) {
		const hash = entryHash({ prevHash: prev, at: r.at, actor: r.actor, userId: r.user_id, action: r.action, entity: r.entity, entityId: r.entity_id, detail: r.detail });
		update.run(prev, hash, r.id);
		prev = hash;
	}
	const last = rows(c).at(-1)!;
	c.prepare('UPDATE audit_head SET last_id = ?, last_hash = ?').run(last.id, last.hash);
}

async function verify(db: string) {
	const r = await cli(db, 'audit', 'verify', '--json');
	return { code: r.code, stderr: r.stderr, ...(JSON.parse(r.stdout) as { ok: boolean; entries: number; first: { id: number; problem: string } | null; problems: { id: number; problem: string }[] }) };
}

describe('keyed audit chain', () => {
	it('an intact log verifies; every entry is HMAC-SM3 and the head names the last one', async () => {
		const db = await logged();
		const v = await verify(db);
		expect(v.code).toBe(0);
		expect(v).toMatchObject({ ok: true, first: null, problems: [] });
		raw(db, (c) => {
			const all = rows(c);
			expect(all.length).toBeGreaterThanOrEqual(4);
			expect(new Set(all.map((r) => r.alg))).toEqual(new Set(['hmac-sm3']));
			expect(c.prepare('SELECT last_id AS id, last_hash AS hash FROM audit_head WHERE id = 1').get()).toEqual({ id: all.at(-1)!.id, hash: all.at(-1)!.hash });
		});
		expect((await cli(db, 'audit', 'verify')).stdout).toMatch(/审计日志完好/);
	});

	it('an edited entry with the chain recomputed (unkeyed) is named', async () => {
		const db = await logged();
		raw(db, (c) => {
			c.prepare(`UPDATE audit_log SET detail = '{"role":"office"}' WHERE id = 3`).run();
			rechainUnkeyed(c);
		});
		const v = await verify(db);
		expect(v.code).toBe(1);
		expect(v.ok).toBe(false);
		// Every entry now looks like an older unkeyed one: the sealed head (over the last entry) no
		// longer matches, and the keyed entries are gone, so the head names the break.
		const last = raw(db, (c) => rows(c).at(-1)!.id);
		expect(v.first).toMatchObject({ id: last, problem: expect.stringMatching(/日志头的签名不符.*不用密钥重算/) });
		expect(v.stderr).toMatch(new RegExp(`首个问题在第 ${last} 条`));
		// Only the edited entry and its successors recomputed: named at the edited entry.
		const db2 = await logged();
		raw(db2, (c) => {
			c.prepare(`UPDATE audit_log SET detail = '{"role":"office"}' WHERE id = 3`).run();
			let prev = rows(c).find((r) => r.id === 2)!.hash;
			for (const r of rows(c).filter((x) => x.id >= 3)) {
				const hash = entryHash({ prevHash: prev, at: r.at, actor: r.actor, userId: r.user_id, action: r.action, entity: r.entity, entityId: r.entity_id, detail: r.detail });
				c.prepare(`UPDATE audit_log SET prev_hash = ?, hash = ?, alg = 'sha256' WHERE id = ?`).run(prev, hash, r.id);
				prev = hash;
			}
		});
		const v2 = await verify(db2);
		expect(v2.code).toBe(1);
		expect(v2.first).toMatchObject({ id: 3, problem: expect.stringMatching(/不用密钥重算/) });
	});

	it('an edited entry keeping alg hmac-sm3 (hash recomputed without the key) is named at that entry', async () => {
		const db = await logged();
		raw(db, (c) => {
			const r = rows(c).find((x) => x.id === 3)!;
			const forged = entryHash({ prevHash: r.prev_hash, at: r.at, actor: r.actor, userId: r.user_id, action: r.action, entity: r.entity, entityId: r.entity_id, detail: '{}' });
			c.prepare(`UPDATE audit_log SET detail = '{}', hash = ? WHERE id = 3`).run(forged);
			c.prepare(`UPDATE audit_log SET prev_hash = ? WHERE id = 4`).run(forged);
		});
		const v = await verify(db);
		expect(v.code).toBe(1);
		expect(v.first).toMatchObject({ id: 3, problem: expect.stringMatching(/签名不符/) });
	});

	it('a deleted tail is detected by the sealed head, and stays visible after the next append', async () => {
		const db = await logged();
		const last = raw(db, (c) => rows(c).at(-1)!.id);
		raw(db, (c) => c.prepare('DELETE FROM audit_log WHERE id >= ?').run(last - 1));
		const v = await verify(db);
		expect(v.code).toBe(1);
		expect(v.first).toMatchObject({ id: last - 1, problem: expect.stringMatching(/末尾被删除/) });
		// The attacker also moves the head back: its seal no longer holds.
		raw(db, (c) => {
			const now = rows(c).at(-1)!;
			c.prepare('UPDATE audit_head SET last_id = ?, last_hash = ?').run(now.id, now.hash);
		});
		expect((await verify(db)).first?.problem).toMatch(/日志头的签名不符/);
		// Restore the head as it was and let the application append: the gap stays visible.
		const db2 = await logged();
		const last2 = raw(db2, (c) => rows(c).at(-1)!.id);
		raw(db2, (c) => c.prepare('DELETE FROM audit_log WHERE id = ?').run(last2));
		expect((await cli(db2, 'user', 'add', 'later', '--role', 'observer', '--password', 'Passw0rd000')).code).toBe(0);
		const after = await verify(db2);
		expect(after.code).toBe(1);
		expect(after.first?.id).toBe(last2 + 1);
		expect(after.problems.map((p) => p.problem).join('\n')).toMatch(/缺失/);
	});

	it('a deleted entry with the ids renumbered and the link repaired is named', async () => {
		const db = await logged();
		raw(db, (c) => {
			const before = rows(c);
			c.prepare('DELETE FROM audit_log WHERE id = 2').run();
			c.prepare('UPDATE audit_log SET id = id - 1 WHERE id > 2').run();
			c.prepare('UPDATE audit_log SET prev_hash = ? WHERE id = 2').run(before[0].hash);
			const now = rows(c).at(-1)!;
			c.prepare('UPDATE audit_head SET last_id = ?, last_hash = ?').run(now.id, now.hash);
		});
		const v = await verify(db);
		expect(v.code).toBe(1);
		expect(v.first).toMatchObject({ id: 2, problem: expect.stringMatching(/签名不符/) });
	});

	it('a missing head is named', async () => {
		const db = await logged();
		const last = raw(db, (c) => rows(c).at(-1)!.id);
		raw(db, (c) => c.prepare('DELETE FROM audit_head').run());
		const v = await verify(db);
		expect(v.code).toBe(1);
		expect(v.first).toMatchObject({ id: last, problem: expect.stringMatching(/日志头缺失/) });
	});

	it('a wrong key file names the first keyed entry; a missing one is refused, never replaced', async () => {
		const db = await logged();
		const keyFile = `${db}.keys`;
		const good = fs.readFileSync(keyFile);
		fs.rmSync(keyFile);
		createKeyFile(keyFile);
		const v = await verify(db);
		expect(v.code).toBe(1);
		expect(v.first).toMatchObject({ id: 1, problem: expect.stringMatching(/签名不符.*密钥不对/) });
		// Without the key file the database does not open: no new key is made over keyed data.
		fs.rmSync(keyFile);
		expect(() => migrate(openDatabase(db))).toThrow(KeyError);
		expect(fs.existsSync(keyFile)).toBe(false);
		const r = await cli(db, 'audit', 'verify');
		expect(r.code).not.toBe(0);
		expect(r.stderr).toMatch(/找不到密钥文件/);
		fs.writeFileSync(keyFile, good, { mode: 0o600 });
		expect((await verify(db)).code).toBe(0);
	});

	it('creates the key file on first use, mode 0600, beside the database', async () => {
		const db = path.join(tempDir(), 'fresh.db');
		expect(fs.existsSync(`${db}.keys`)).toBe(false);
		expect((await cli(db, 'user', 'list')).code).toBe(0);
		const st = fs.statSync(`${db}.keys`);
		expect(st.mode & 0o777).toBe(0o600);
		const doc = JSON.parse(fs.readFileSync(`${db}.keys`, 'utf8'));
		expect(doc).toMatchObject({ format: 'workbench-keys', audit: expect.stringMatching(/^[0-9a-f]{64}$/), data: expect.stringMatching(/^[0-9a-f]{64}$/) });
		expect(doc.audit).not.toBe(doc.data);
	});

	it('an older unkeyed chain is sealed once when its key file is created, and protected from then on', async () => {
		const db = path.join(tempDir(), 'old.db');
		// As the old code left it: plain SHA-256 entries, no head, no key file.
		const d = openDatabase(db);
		migrate(d);
		d.$client.close();
		fs.rmSync(`${db}.keys`);
		raw(db, (c) => {
			let prev = GENESIS_HASH;
			for (let i = 1; i <= 3; i++) {
				const e = { prevHash: prev, at: `2025-01-0${i}T00:00:00.000Z`, actor: 'cli', userId: null, action: 'old.action', entity: null, entityId: null, detail: `{"n":${i}}` };
				const hash = entryHash(e);
				c.prepare(`INSERT INTO audit_log (id, at, actor, action, detail, prev_hash, hash, alg) VALUES (?, ?, 'cli', 'old.action', ?, ?, ?, 'sha256')`).run(i, e.at, e.detail, prev, hash);
				prev = hash;
			}
		});
		expect((await verify(db)).code).toBe(0);
		expect(raw(db, (c) => c.prepare('SELECT last_id AS id FROM audit_head').get())).toEqual({ id: 3 });
		expect((await cli(db, 'user', 'add', 'office', '--role', 'office', '--password', 'Passw0rd123')).code).toBe(0);
		expect(raw(db, (c) => rows(c).map((r) => r.alg))).toEqual(['sha256', 'sha256', 'sha256', 'hmac-sm3']);
		// Editing an old entry and recomputing the old chain breaks the link of the first keyed entry.
		raw(db, (c) => {
			c.prepare(`UPDATE audit_log SET detail = '{"n":9}' WHERE id = 2`).run();
			let prev = GENESIS_HASH;
			for (const r of rows(c).filter((x) => x.alg === 'sha256')) {
				const hash = entryHash({ prevHash: prev, at: r.at, actor: r.actor, userId: r.user_id, action: r.action, entity: r.entity, entityId: r.entity_id, detail: r.detail });
				c.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?').run(prev, hash, r.id);
				prev = hash;
			}
		});
		const v = await verify(db);
		expect(v.code).toBe(1);
		expect(v.first?.id).toBe(4);
	});

	it('verifyAudit of an in-memory database uses the process key and reports the first problem', () => {
		const d = openDatabase(':memory:');
		migrate(d);
		expect(verifyAudit(d)).toMatchObject({ entries: 0, problems: [], first: null, head: null });
	});

	it('keys rotate: new keys, data re-encrypted, old entries still checked with the retired audit key', async () => {
		const db = await logged();
		const keyFile = `${db}.keys`;
		const oldKeys = readKeyFile(keyFile)!;
		const oldDoc = JSON.parse(fs.readFileSync(keyFile, 'utf8'));
		const head = raw(db, (c) => c.prepare('SELECT last_id AS id, last_hash AS hash FROM audit_head').get() as { id: number; hash: string });
		const storedBefore = raw(db, (c) => c.prepare('SELECT phone FROM experts WHERE phone IS NOT NULL').pluck().all() as string[]);
		const bundleBefore = (() => {
			const d = openDatabase(db);
			try {
				return JSON.stringify(exportBundle(requireScope(d)));
			} finally {
				d.$client.close();
			}
		})();

		// Refused while another connection (a running server) holds the database.
		const holder = new Database(db);
		holder.prepare('SELECT 1').get();
		const busy = await cli(db, 'keys', 'rotate');
		holder.close();
		expect(busy.code).toBe(1);
		expect(busy.stderr).toMatch(/请先停止服务器/);

		const r = await cli(db, 'keys', 'rotate', '--json');
		expect(r.code, r.stderr).toBe(0);
		expect(JSON.parse(r.stdout).rotated).toMatchObject({ keyFile, retiredUpTo: head.id });
		const doc = JSON.parse(fs.readFileSync(keyFile, 'utf8'));
		expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
		expect(doc.audit).not.toBe(oldDoc.audit);
		expect(doc.data).not.toBe(oldDoc.data);
		expect(doc.retired).toEqual([{ upTo: head.id, audit: oldDoc.audit, data: null, retiredAt: expect.any(String) }]);
		// Re-encrypted: the old data key opens none of the stored values; the loaders give the same data.
		const storedAfter = raw(db, (c) => c.prepare('SELECT phone FROM experts WHERE phone IS NOT NULL').pluck().all() as string[]);
		expect(storedAfter).toHaveLength(storedBefore.length);
		for (const v of storedAfter) expect(() => decryptValue(oldKeys, v)).toThrow(KeyError);
		const d = openDatabase(db);
		try {
			expect(JSON.stringify(exportBundle(requireScope(d)))).toBe(bundleBefore);
		} finally {
			d.$client.close();
		}
		// The entries before the rotation are untouched (a head printed earlier still matches).
		expect(raw(db, (c) => c.prepare('SELECT hash FROM audit_log WHERE id = ?').pluck().get(head.id))).toBe(head.hash);
		expect(raw(db, (c) => rows(c).at(-1)!.action)).toBe('keys.rotate');
		expect((await verify(db)).code).toBe(0);
		// An old entry edited afterwards is still caught, with the retired key.
		raw(db, (c) => c.prepare(`UPDATE audit_log SET detail = '{}' WHERE id = 2`).run());
		const v = await verify(db);
		expect(v.first).toMatchObject({ id: 2, problem: expect.stringMatching(/签名不符/) });
		// A broken log is not rotated over.
		const again = await cli(db, 'keys', 'rotate');
		expect(again.code).toBe(1);
		expect(again.stderr).toMatch(/审计日志校验未通过（第 2 条/);
	});

	it('a rotation interrupted after the new key file was written loses nothing, and completes when run again', async () => {
		const db = await logged();
		const head = raw(db, (c) => c.prepare('SELECT last_id FROM audit_head').pluck().get() as number);
		rotateKeyFile(`${db}.keys`, head); // step 1 only, as if the process died there
		const d = openDatabase(db);
		try {
			expect(exportBundle(requireScope(d)).experts[0].phone).toBe('13700000001'); // the retired data key still decrypts
		} finally {
			d.$client.close();
		}
		expect((await verify(db)).code).toBe(0);
		expect((await cli(db, 'keys', 'rotate')).code).toBe(0);
		expect((await verify(db)).code).toBe(0);
		expect(JSON.parse(fs.readFileSync(`${db}.keys`, 'utf8')).retired.every((r: { data: unknown }) => r.data === null)).toBe(true);
	});
});
