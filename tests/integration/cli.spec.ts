import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers';
import { openDatabase } from '../../src/lib/server/db';
import { auditLog } from '../../src/lib/server/db/schema';
import { eq } from 'drizzle-orm';

describe('command line', () => {
	it('migrate creates the schema and is idempotent', async () => {
		const db = path.join(tempDir(), 'm.db');
		expect((await cli(db, 'migrate')).code).toBe(0);
		const again = await cli(db, 'migrate');
		expect(again.code).toBe(0);
		expect(again.stderr).toMatch(/已是最新结构/);
	});

	it('user add, list, reset, deactivate', async () => {
		const db = path.join(tempDir(), 'u.db');
		const add = await cli(db, 'user', 'add', 'city-anshan', '--role', 'city', '--region', 'anshan', '--name', '鞍山市人社局');
		expect(add.code).toBe(0);
		expect(add.stdout).toMatch(/初始密码：\S{12}/);
		const list = await cli(db, 'user', 'list', '--json');
		const users = JSON.parse(list.stdout).users;
		expect(users).toHaveLength(1);
		expect(users[0]).toMatchObject({ username: 'city-anshan', role: 'city', region: 'anshan', active: true });
		expect(JSON.stringify(users)).not.toMatch(/argon2|passwordHash/);
		expect((await cli(db, 'user', 'reset', 'city-anshan', '--password', 'NewPassw0rd1')).code).toBe(0);
		expect((await cli(db, 'user', 'deactivate', 'city-anshan')).code).toBe(0);
		expect(JSON.parse((await cli(db, 'user', 'list', '--json')).stdout).users[0].active).toBe(false);
	});

	it('rejects bad user input with one line naming the field', async () => {
		const db = path.join(tempDir(), 'u.db');
		const noRegion = await cli(db, 'user', 'add', 'city-x', '--role', 'city');
		expect(noRegion.code).toBe(1);
		expect(noRegion.stderr).toMatch(/region: 市局账号必须绑定一个地区/);
		const badRole = await cli(db, 'user', 'add', 'x1', '--role', 'admin');
		expect(badRole.code).toBe(1);
		const weak = await cli(db, 'user', 'add', 'x2', '--role', 'office', '--password', 'short');
		expect(weak.stderr).toMatch(/password: 密码至少10个字符/);
		await cli(db, 'user', 'add', 'x3', '--role', 'observer');
		const dup = await cli(db, 'user', 'add', 'x3', '--role', 'observer');
		expect(dup.stderr).toMatch(/已被使用/);
		const users = JSON.parse((await cli(db, 'user', 'list', '--json')).stdout).users;
		expect(users.map((u: { username: string }) => u.username)).toEqual(['x3']);
	});

	it('unknown commands and options exit 1', async () => {
		const db = path.join(tempDir(), 'x.db');
		expect((await cli(db, 'frobnicate')).code).toBe(1);
		expect((await cli(db, 'export', '--out', '/tmp/x.json', '--bogus')).code).toBe(1);
		expect((await cli(db, 'export')).code).toBe(1);
	});

	it('audit verify detects an edited entry', async () => {
		const dir = tempDir();
		const db = path.join(dir, 'a.db');
		await cli(db, 'user', 'add', 'o1', '--role', 'office');
		await cli(db, 'user', 'add', 'o2', '--role', 'office');
		expect((await cli(db, 'audit', 'verify')).code).toBe(0);
		const raw = openDatabase(db);
		raw.update(auditLog).set({ detail: '{"username":"someone-else"}' }).where(eq(auditLog.id, 1)).run();
		raw.$client.close();
		const res = await cli(db, 'audit', 'verify');
		expect(res.code).toBe(1);
		expect(res.stdout).toMatch(/第 1 条/);
	});
});
