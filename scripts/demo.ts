/**
 * `npm run demo`: builds the app, migrates the database (DATABASE_URL, default data/demo.db),
 * loads the demo batch when the database is empty, prints the demo logins and serves on
 * HOST:PORT (default 127.0.0.1:3000). Options: --no-build (reuse build/), --fresh (start from an
 * empty database), --no-serve (prepare only).
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate, openDatabase, databasePath } from '../src/lib/server/db';
import { isEmpty, seedDemo, type DemoLogin } from '../src/lib/server/demo/seed';

const args = new Set(process.argv.slice(2));
const HOST = process.env.HOST ?? '127.0.0.1';
const PORT = process.env.PORT ?? '3000';
const dbFile = databasePath(process.env.DATABASE_URL ?? 'data/demo.db');
const buildDir = process.env.BUILD_DIR ?? 'build';

if (!args.has('--no-build') || !fs.existsSync(path.join(buildDir, 'index.js'))) {
	console.log('正在构建……');
	const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
	if (r.status !== 0) process.exit(r.status ?? 1);
}

if (args.has('--fresh')) for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) fs.rmSync(f, { force: true });
const db = openDatabase(dbFile);
migrate(db);
let logins: DemoLogin[] | null = null;
if (isEmpty(db)) {
	console.log(`正在载入演示数据到 ${dbFile} ……`);
	logins = await seedDemo(db);
} else {
	console.log(`数据库 ${dbFile} 已有数据，不再载入演示数据。`);
}
db.$client.close();

const url = `http://${HOST}:${PORT}`;
console.log(`\n评审工作台演示：${url}\n数据库：${path.resolve(dbFile)}\n`);
console.log('演示账号（用户名 / 密码）：');
const shown = (role: string, n: number) => (logins ?? []).filter((l) => l.role === role).slice(0, n);
if (logins) {
	for (const l of [...shown('office', 2), ...shown('city', 3), ...shown('expert', 3), ...shown('observer', 1), ...shown('sysadmin', 1), ...shown('secadmin', 1), ...shown('auditadmin', 1)]) {
		console.log(`  ${l.role.padEnd(10)} ${l.username.padEnd(16)} ${l.password.padEnd(18)} ${l.who}`);
	}
	console.log('  （每个地区都有 city-地区键 账号，如 city-dalian；每位专家的用户名是其编号，如 exp-05；同角色密码相同）');
} else {
	console.log('  office / Office2023demo，city-anshan / City2023demo，exp-01 / Expert2023demo，observer / Observer2023demo，sysadmin / Sys-Admin-2023，secadmin / Sec-Admin-2023，auditadmin / Aud-Admin-2023（若是演示库）');
}

if (args.has('--no-serve')) process.exit(0);
// scripts/serve.js sets BODY_SIZE_LIMIT (12M, for the 10 MB uploads) unless the environment does.
const child = spawn(process.execPath, [fileURLToPath(new URL('./serve.js', import.meta.url))], {
	stdio: 'inherit',
	env: { ...process.env, HOST, PORT, ORIGIN: process.env.ORIGIN ?? url, DATABASE_URL: dbFile, BUILD_DIR: buildDir }
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
