/**
 * Before the server tests: a build must exist (scripts/test.sh builds first; only when it is
 * missing is one made here), and one seeded demo database is made for every test file to copy.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { migrate, openDatabase } from '../../src/lib/server/db';
import { seedDemo } from '../../src/lib/server/demo/seed';
import { BUILD_DIR, ROOT, WORK } from './harness';

declare module 'vitest' {
	export interface ProvidedContext {
		templateDb: string;
	}
}

export default async function setup(project: TestProject) {
	if (!fs.existsSync(path.join(BUILD_DIR, 'index.js'))) {
		console.log(`没有找到 ${BUILD_DIR}/index.js，正在构建……`);
		const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit', env: process.env });
		if (r.status !== 0) throw new Error('vite build 失败');
	}
	fs.mkdirSync(WORK, { recursive: true });
	const template = path.join(WORK, `template-${process.pid}.db`);
	for (const f of [template, `${template}-wal`, `${template}-shm`, `${template}.keys`]) fs.rmSync(f, { force: true });
	const db = openDatabase(template);
	migrate(db);
	await seedDemo(db);
	db.$client.pragma('wal_checkpoint(TRUNCATE)');
	db.$client.close();
	project.provide('templateDb', template);
	return () => {
		for (const f of [template, `${template}-wal`, `${template}-shm`, `${template}.keys`]) fs.rmSync(f, { force: true });
	};
}
