/**
 * kill -9 while 100 clients save sheets: the built server runs on a copy of the demo database; 100
 * clients (expert sessions, each owning one distinct draft sheet, so their versions never collide)
 * autosave their sheet in a loop with growing points and the right version, and remember every
 * save the server acknowledged. After 1.5–3 s (longer on a slow machine: until at least 300 saves
 * were acknowledged and every client had one), plus a random moment, the server gets SIGKILL in
 * mid-flight. Then, with the
 * process dead, every sheet in the database must hold the last acknowledged save — or the one that
 * was in flight at the kill (sent, not answered: it may or may not have been committed). Nothing
 * acknowledged may be lost, nothing half-written may show. Finally the server restarts on the same
 * file, answers /healthz and serves exactly the stored sheets.
 *
 * Why this holds: every save is committed before it is answered: the autosaves that arrive together
 * share one synchronous SQLite transaction (db/group-commit.ts: each save in its own savepoint, one
 * COMMIT for the group), and each is answered only after that COMMIT returned. The database runs
 * in WAL mode with synchronous = FULL (src/lib/server/db/index.ts, reported by /healthz): COMMIT
 * returns only after the -wal file was fsynced, so an acknowledged save survives the death of the
 * process (kill -9, an out-of-memory kill, a crash) and also a power loss or kernel crash, which
 * this test cannot cause: it checks the setting. (Checked the other way: a server patched to
 * answer first and commit a second later fails here with dozens of lost sheets.)
 *
 * Under this load one save costs the server some 10–40 ms (most of it the guard's conflict check,
 * which loads every application), so 100 clients that save without pause wait seconds per round.
 */
import http from 'node:http';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freshDb, removeDb, startServer, withDb, sessionCookie, type Server } from './harness';
import * as s from '../../src/lib/server/db/schema';
import { expertRelation } from '../../src/lib/server/queries/reviews';
import { canScore } from '../../src/lib/domain/permissions';
import { getSheet, returnSheet } from '../../src/lib/server/services/scoring';
import { SYSTEM_ACTOR } from '../../src/lib/server/audit';
import { defaultBatchRow } from '../../src/lib/server/scope';

const CLIENTS = 100;
/** Acknowledged saves wanted before the kill. */
const MIN_ACKED = 300;
const MAX_RUN_MS = 60_000;

type Criterion = { id: string; maxPoints: number };
type Saved = { version: number; points: Record<string, number>; comment: string };

type Client = {
	n: number;
	applicationId: string;
	expertId: string;
	cookie: string;
	criteria: Criterion[];
	/** The stored state before the run (version 0 = no sheet yet). */
	initial: Saved;
	/** The last save the server answered with 2xx, checked against what was sent. */
	acked: Saved | null;
	ackCount: number;
	/** The save sent and not (yet) answered. */
	inFlight: Saved | null;
	/** Sent saves that were never answered (the connection died with the server). */
	unanswered: number;
	errors: string[];
	startedAt: number;
	/** How long the first answer took (the server answers 100 clients in turn). */
	firstAckMs: number | null;
};

/** The k-th save: k half points spread over the criteria in order (total grows with k), within each maxPoints. */
function pointsFor(criteria: Criterion[], k: number): Record<string, number> {
	let half = k;
	const out: Record<string, number> = {};
	for (const c of criteria) {
		const take = Math.min(half, Math.round(c.maxPoints * 2));
		out[c.id] = take / 2;
		half -= take;
	}
	return out;
}

const same = (a: Saved, b: Saved) => a.version === b.version && a.comment === b.comment && JSON.stringify(sorted(a.points)) === JSON.stringify(sorted(b.points));
const sorted = (p: Record<string, number>) => Object.fromEntries(Object.entries(p).sort(([x], [y]) => x.localeCompare(y)));
const show = (v: Saved | null) => (v ? `v${v.version} ${JSON.stringify(sorted(v.points))} “${v.comment}”` : '无');

let dbFile: string;
let server: Server | null = null;
let clients: Client[] = [];

beforeAll(() => {
	dbFile = freshDb(inject('templateDb'), 'durability');
	clients = withDb(dbFile, (db) => {
		const batch = defaultBatchRow(db)!;
		const accounts = new Map(
			db
				.select()
				.from(s.users)
				.where(and(eq(s.users.role, 'expert'), eq(s.users.active, true)))
				.all()
				.filter((u) => u.expertId)
				.map((u) => [u.expertId!, u.username])
		);
		// Every expert with an account has signed the commitment (the demo signs them all; this makes sure).
		for (const expertId of accounts.keys()) {
			db.insert(s.commitments).values({ expertId, batchId: batch.id, textHash: 'durability-test' }).onConflictDoNothing().run();
		}
		// Pairs the expert may score (assigned, published, committed, no conflict): one distinct sheet per client.
		const pairs = db
			.select({ applicationId: s.assignments.applicationId, expertId: s.assignments.expertId })
			.from(s.assignments)
			.orderBy(s.assignments.applicationId, s.assignments.expertId)
			.all()
			.filter((p) => accounts.has(p.expertId))
			.filter((p) => canScore({ id: 'probe', role: 'expert', region: null, expertId: p.expertId }, expertRelation(db, p.expertId, p.applicationId)));
		const status = (p: (typeof pairs)[number]) =>
			db
				.select({ status: s.sheets.status })
				.from(s.sheets)
				.where(and(eq(s.sheets.applicationId, p.applicationId), eq(s.sheets.expertId, p.expertId)))
				.get()?.status ?? 'none';
		// Drafts and unstarted sheets first; the rest are submitted ones, which the office returns (the real service) to make them drafts again.
		const chosen = [...pairs.filter((p) => status(p) !== 'submitted'), ...pairs.filter((p) => status(p) === 'submitted')].slice(0, CLIENTS);
		if (chosen.length < CLIENTS) throw new Error(`演示数据中只有 ${chosen.length} 份可评分的评分表`);
		return chosen.map((p, n) => {
			if (status(p) === 'submitted') returnSheet(db, p.applicationId, p.expertId, '耐久性测试：退回重评', SYSTEM_ACTOR);
			const sheet = getSheet(db, p.applicationId, p.expertId);
			return {
				n,
				...p,
				cookie: sessionCookie(db, accounts.get(p.expertId)!),
				criteria: sheet.rubric.criteria.map((c) => ({ id: c.id, maxPoints: c.maxPoints })),
				initial: { version: sheet.version, points: sheet.points, comment: sheet.comment },
				acked: null,
				ackCount: 0,
				inFlight: null,
				unanswered: 0,
				errors: [],
				startedAt: 0,
				firstAckMs: null
			};
		});
	});
	expect(new Set(clients.map((c) => `${c.applicationId}|${c.expertId}`)).size).toBe(CLIENTS);
});

afterAll(async () => {
	await server?.stop();
	removeDb(dbFile);
});

/**
 * A POST with a JSON body on a connection of its own (`agent: false`, Connection: close). Reused
 * keep-alive connections would race the server's keep-alive timeout (5 s) when 100 saving clients
 * keep it busy for longer than that between two requests of one client: the server then closes a
 * socket that already carries the next request, and the client sees ECONNRESET.
 */
function postJson(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; json: Record<string, unknown> }> {
	return new Promise((resolve, reject) => {
		const req = http.request(url, { method: 'POST', agent: false, headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (d: Buffer) => chunks.push(d));
			res.on('error', reject);
			res.on('aborted', () => reject(new Error('应答中断')));
			res.on('end', () => {
				try {
					resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
				} catch (e) {
					reject(e);
				}
			});
		});
		req.on('error', reject);
		req.end(body);
	});
}

/** One client: save, wait for the answer, save the next, until told to stop or the server dies. */
async function run(c: Client, base: string, stop: { now: boolean }): Promise<void> {
	let version = c.initial.version;
	let k = 0;
	c.startedAt = Date.now();
	while (!stop.now) {
		k++;
		const sent: Saved = { version: version + 1, points: pointsFor(c.criteria, k), comment: `第${k}次保存（客户端${c.n}）` };
		c.inFlight = sent;
		let res: { ok: boolean; status: number };
		let body: { version?: number; points?: Record<string, number>; comment?: string; error?: string };
		try {
			const a = await postJson(
				`${base}/expert/applications/${encodeURIComponent(c.applicationId)}/sheet`,
				{ cookie: c.cookie, origin: base, accept: 'application/json' },
				JSON.stringify({ version, points: sent.points, comment: sent.comment })
			);
			res = { ok: a.status >= 200 && a.status < 300, status: a.status };
			body = a.json;
		} catch (e) {
			// The connection died: this save was sent and never answered (it may have been committed).
			c.unanswered++;
			if (!stop.now) c.errors.push(`服务器未被终止时请求失败：${(e as Error).message}`);
			return;
		}
		if (!res.ok) {
			c.inFlight = null;
			c.errors.push(`HTTP ${res.status}：${body.error ?? ''}`);
			return;
		}
		const answered: Saved = { version: body.version!, points: body.points ?? {}, comment: body.comment ?? '' };
		if (!same(answered, sent)) {
			c.inFlight = null;
			c.errors.push(`应答与发送的不一致：发送 ${show(sent)}，应答 ${show(answered)}`);
			return;
		}
		c.acked = sent;
		c.ackCount++;
		c.firstAckMs ??= Date.now() - c.startedAt;
		c.inFlight = null;
		version = sent.version;
	}
}

/** What the database holds for each client's sheet (version 0 and nothing else when there is no sheet yet, as getSheet). */
function stored(file: string): Map<number, Saved> {
	return withDb(file, (db) => {
		const out = new Map<number, Saved>();
		for (const c of clients) {
			const row = db
				.select()
				.from(s.sheets)
				.where(and(eq(s.sheets.applicationId, c.applicationId), eq(s.sheets.expertId, c.expertId)))
				.get();
			if (!row) {
				out.set(c.n, { version: 0, points: {}, comment: '' });
				continue;
			}
			const pts = db.select().from(s.sheetPoints).where(eq(s.sheetPoints.sheetId, row.id)).all();
			out.set(c.n, { version: row.version, points: Object.fromEntries(pts.map((p) => [p.criterionId, p.points])), comment: row.comment ?? '' });
		}
		return out;
	});
}

describe('kill -9 while 100 clients save sheets', () => {
	it('keeps every acknowledged save, and the restarted server serves exactly what is stored', async () => {
		server = await startServer({ db: dbFile });
		const base = server.base;
		// The server commits with synchronous = FULL in WAL mode: acknowledged saves survive a power loss too.
		const healthz = (await (await fetch(`${base}/healthz`)).json()) as Record<string, unknown>;
		expect(healthz).toMatchObject({ ok: true, journalMode: 'wal', synchronous: 'full' });
		const stop = { now: false };
		const started = Date.now();
		const runs = clients.map((c) => run(c, base, stop));
		// 1.5–3 s of saving, longer when the machine is slow, until enough saves were acknowledged to mean something.
		const minMs = 1500 + Math.floor(Math.random() * 1500);
		const ackedSoFar = () => clients.reduce((a, c) => a + c.ackCount, 0);
		while ((Date.now() - started < minMs || ackedSoFar() < MIN_ACKED || clients.some((c) => !c.ackCount)) && Date.now() - started < MAX_RUN_MS && clients.every((c) => !c.errors.length)) {
			await new Promise((r) => setTimeout(r, 20));
		}
		// Then a random moment more, so the kill lands anywhere in the server's work (mid-transaction, mid-answer).
		await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 1500)));
		const runMs = Date.now() - started;

		// Mid-flight: no client starts a new save from here on; whatever is sent stays in flight.
		stop.now = true;
		const inFlightAtKill = clients.filter((c) => c.inFlight).length;
		const killed = server;
		server = null;
		await killed.kill9();
		await Promise.all(runs);
		expect(killed.child.signalCode).toBe('SIGKILL');

		const acked = clients.reduce((a, c) => a + c.ackCount, 0);
		const unanswered = clients.reduce((a, c) => a + c.unanswered, 0);
		console.log(
			`耐久性：${CLIENTS} 个客户端运行 ${runMs} ms，确认保存 ${acked} 次（每个客户端 ${Math.min(...clients.map((c) => c.ackCount))}–${Math.max(...clients.map((c) => c.ackCount))} 次，首次应答最慢 ${Math.max(...clients.map((c) => c.firstAckMs ?? Infinity))} ms），` +
				`终止时在途 ${inFlightAtKill} 个请求，其中 ${unanswered} 个未获应答`
		);
		expect(clients.flatMap((c) => c.errors.map((e) => `客户端${c.n}（${c.applicationId}/${c.expertId}）：${e}`))).toEqual([]);
		expect(acked, '确认的保存太少，测试没有意义').toBeGreaterThanOrEqual(MIN_ACKED);
		expect(clients.every((c) => c.ackCount > 0), '每个客户端都应至少有一次确认的保存').toBe(true);
		expect(inFlightAtKill, '终止时应有在途的请求').toBeGreaterThan(0);
		expect(unanswered, '终止时应有发出但未获应答的请求').toBeGreaterThan(0);

		// The process is dead: open the file (SQLite replays the -wal) and compare every sheet.
		expect(withDb(dbFile, (db) => db.$client.pragma('integrity_check', { simple: true }))).toBe('ok');
		const after = stored(dbFile);
		const lost: string[] = [];
		let inFlightStored = 0;
		for (const c of clients) {
			const got = after.get(c.n)!;
			const allowed = [c.acked ?? c.initial, ...(c.inFlight ? [c.inFlight] : [])];
			const match = allowed.find((a) => same(a, got));
			if (!match) lost.push(`客户端${c.n}（${c.applicationId}/${c.expertId}）：库中为 ${show(got)}，最后确认 ${show(c.acked)}，在途 ${show(c.inFlight)}`);
			else if (match === c.inFlight) inFlightStored++;
		}
		console.log(`耐久性：终止后库中 ${CLIENTS - inFlightStored - lost.length} 份为最后确认的保存，${inFlightStored} 份为在途（未获应答但已提交）的保存`);
		expect(lost, '确认的保存丢失，或库中的评分表不是发送过的任何一次保存').toEqual([]);

		// Restart on the same file: healthy, and the sheet endpoint shows exactly the stored sheets.
		server = await startServer({ db: dbFile });
		const health = await fetch(`${server.base}/healthz`);
		expect(health.status).toBe(200);
		const served: string[] = [];
		for (const c of clients) {
			const res = await fetch(`${server.base}/expert/applications/${encodeURIComponent(c.applicationId)}/sheet`, { headers: { cookie: c.cookie } });
			expect(res.status, `客户端${c.n}`).toBe(200);
			const body = (await res.json()) as { version: number; points: Record<string, number>; comment: string; status: string };
			const want = after.get(c.n)!;
			if (!same({ version: body.version, points: body.points, comment: body.comment }, want) || body.status !== 'draft') {
				served.push(`客户端${c.n}：服务器返回 ${show(body)}（${body.status}），库中为 ${show(want)}`);
			}
		}
		expect(served).toEqual([]);

		// And it takes the next save on top of the stored version.
		const c = clients[0];
		const next = after.get(c.n)!;
		const res = await fetch(`${server.base}/expert/applications/${encodeURIComponent(c.applicationId)}/sheet`, {
			method: 'POST',
			headers: { cookie: c.cookie, origin: server.base, 'content-type': 'application/json' },
			body: JSON.stringify({ version: next.version, points: pointsFor(c.criteria, 1), comment: '重启后的保存' })
		});
		expect(res.status).toBe(200);
		expect(((await res.json()) as { version: number }).version).toBe(next.version + 1);
	});
});
