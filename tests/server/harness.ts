/**
 * Tests against the built server (`node BUILD_DIR/index.js`), each file on its own port with its
 * own copy of the demo database: the authorization matrix, security headers and CSRF, hostile form
 * input, personal data in pages and logs, kill -9 durability and backup under load.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, inject } from 'vitest';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { createSession, generateSessionToken, SESSION_COOKIE } from '../../src/lib/server/auth';
import * as s from '../../src/lib/server/db/schema';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BUILD_DIR = path.resolve(ROOT, process.env.BUILD_DIR ?? 'build');
export const WORK = path.join(ROOT, 'data', 'test-server');

export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address() as net.AddressInfo;
			srv.close(() => resolve(port));
		});
	});
}

/** A copy of the seeded template database (made by global-setup.ts) for one test file. */
export function freshDb(template: string, name: string): string {
	fs.mkdirSync(WORK, { recursive: true });
	const file = path.join(WORK, `${name}-${process.pid}.db`);
	for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}.keys`]) fs.rmSync(f, { force: true });
	fs.copyFileSync(template, file);
	// The copy is keyed as its template: its key file (keys.ts) goes with it.
	fs.copyFileSync(`${template}.keys`, `${file}.keys`);
	return file;
}

export function removeDb(file: string): void {
	for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}.keys`]) fs.rmSync(f, { force: true });
	// Backups the system administrator's page made of this database (`backups/NAME-TIME.db` beside it).
	const backups = path.join(path.dirname(file), 'backups');
	const prefix = path.basename(file).replace(/\.[^.]+$/, '') + '-';
	if (fs.existsSync(backups)) for (const b of fs.readdirSync(backups)) if (b.startsWith(prefix)) fs.rmSync(path.join(backups, b), { force: true });
}

export type Server = {
	base: string;
	port: number;
	child: ChildProcess;
	/** Everything the server wrote to stdout and stderr so far. */
	output(): string;
	stop(): Promise<void>;
	kill9(): Promise<void>;
};

export async function startServer(opts: { db: string; port?: number; origin?: string; env?: Record<string, string> }): Promise<Server> {
	const entry = path.join(BUILD_DIR, 'index.js');
	if (!fs.existsSync(entry)) throw new Error(`没有找到构建结果 ${entry}（先运行 vite build）`);
	const port = opts.port ?? (await freePort());
	const base = `http://127.0.0.1:${port}`;
	// Started as `npm start` does (scripts/serve.js), with the body limit the demo uses (10 MB uploads + form fields).
	const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'serve.js')], {
		cwd: ROOT,
		env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), ORIGIN: opts.origin ?? base, DATABASE_URL: opts.db, BUILD_DIR, BODY_SIZE_LIMIT: '12M', ...opts.env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let out = '';
	child.stdout!.on('data', (d) => (out += d));
	child.stderr!.on('data', (d) => (out += d));
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const deadline = Date.now() + 30_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`服务器启动失败：${out}`);
		try {
			const res = await fetch(`${base}/healthz`);
			if (res.ok) break;
		} catch {
			/* not listening yet */
		}
		if (Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error(`服务器 30 秒内未就绪：${out}`);
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	return {
		base,
		port,
		child,
		output: () => out,
		async stop() {
			if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
			await exited;
		},
		async kill9() {
			child.kill('SIGKILL');
			await exited;
		}
	};
}

/** Creates a session for an existing user straight in the database; returns the cookie header value. */
export function sessionCookie(db: Db, username: string): string {
	const user = db.select().from(s.users).where(eq(s.users.username, username)).get();
	if (!user) throw new Error(`no user ${username}`);
	const token = generateSessionToken();
	createSession(db, token, user.id);
	return `${SESSION_COOKIE}=${token}`;
}

export function withDb<T>(file: string, fn: (db: Db) => T): T {
	const db = openDatabase(file);
	try {
		return fn(db);
	} finally {
		db.$client.close();
	}
}

/** Headers of a SvelteKit form-action request as `use:enhance` sends it (JSON answer). */
export function actionHeaders(base: string, cookie: string | null, contentType = 'application/x-www-form-urlencoded'): Record<string, string> {
	return {
		origin: base,
		accept: 'application/json',
		'x-sveltekit-action': 'true',
		'content-type': contentType,
		...(cookie ? { cookie } : {})
	};
}

export type Served = { readonly server: Server; readonly dbFile: string; readonly look: Database.Database };

/**
 * The setting of one test file: its own copy of the template database, `prepare` run on it (the
 * file's accounts, sessions, world), the built server on it (with `env` added to its environment)
 * and a read-only connection to look
 * into it; all stopped and removed after the file. The fields are set once `beforeAll` has run.
 */
export function serveFile(name: string, prepare: (db: Db) => void = () => {}, env?: Record<string, string>): Served {
	const served = {} as { server: Server; dbFile: string; look: Database.Database };
	beforeAll(async () => {
		served.dbFile = freshDb(inject('templateDb'), name);
		withDb(served.dbFile, prepare);
		served.server = await startServer({ db: served.dbFile, env });
		served.look = new Database(served.dbFile, { readonly: true });
	});
	afterAll(async () => {
		served.look?.close();
		await served.server?.stop();
		if (served.dbFile) removeDb(served.dbFile);
	});
	return served;
}
