/**
 * `npm run bench -- --only=throttle`: every main page of every role on a slow link — an expert on
 * a hotel network, 1.6 Mbit/s down and up (200,000 bytes/s) with 150 ms latency, Chromium's own
 * network throttling (CDP `Network.emulateNetworkConditions`). The built server (build-bench/) on
 * the demo batch; each role signed in (a session made in the database), each page opened three
 * times in a fresh browser context (nothing cached: the first visit of the day), then once more in
 * the last one (scripts cached). The median DOMContentLoaded of the first visits is held against
 * 1 s; the HTML's bytes on the wire are shown beside it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { openDatabase, migrate } from '../src/lib/server/db';
import { createSession, generateSessionToken, SESSION_COOKIE } from '../src/lib/server/auth';
import { seedDemo } from '../src/lib/server/demo/seed';

export const THROTTLE = { downloadThroughput: 200_000, uploadThroughput: 200_000, latency: 150 } as const;
const TARGET_MS = 1000;

type Helpers = {
	work: string;
	ensureBuild(): void;
	startServer(dbFile: string): Promise<{ base: string; stop(signal?: NodeJS.Signals): Promise<void> }>;
	record(bench: string, measure: string, value: string, target?: string, met?: boolean | null): void;
	heading(title: string): void;
};

type Visit = { dcl: number; htmlBytes: number; load: number };

/** The pages to open per role: [label, path]. Ids are picked from the demo database. */
function pagesOf(db: ReturnType<typeof openDatabase>) {
	const one = <T>(sql: string, ...args: unknown[]) => db.$client.prepare(sql).get(...args) as T;
	// An expert who signed the commitment, with a published assignment that has materials on file.
	const task = one<{ expert_id: string; application_id: string }>(
		`SELECT a.expert_id, a.application_id FROM assignments a JOIN commitments c ON c.expert_id = a.expert_id
		 WHERE EXISTS (SELECT 1 FROM attachments t WHERE t.application_id = a.application_id)
		 AND NOT EXISTS (SELECT 1 FROM declarations d WHERE d.application_id = a.application_id AND d.expert_id = a.expert_id)
		 ORDER BY (SELECT count(*) FROM assignments b WHERE b.expert_id = a.expert_id) DESC, a.expert_id, a.application_id LIMIT 1`
	);
	const city = one<{ region: string; id: string }>(`SELECT region, id FROM applications WHERE status IN ('draft', 'returned') ORDER BY id LIMIT 1`) ??
		one<{ region: string; id: string }>(`SELECT region, id FROM applications ORDER BY id LIMIT 1`);
	const anyApp = one<{ id: string }>(`SELECT id FROM applications WHERE status IN ('submitted', 'accepted') ORDER BY id LIMIT 1`);
	return {
		users: { expert: task.expert_id, office: 'office', city: `city-${city.region}`, observer: 'observer' },
		pages: {
			expert: [
				['评分表 (scoring page)', `/expert/applications/${task.application_id}`],
				['我的评审任务 (expert home)', '/expert'],
				['离线评分', '/expert/offline'],
				['打印评分表', '/expert/print'],
				['评审会议', '/expert/meeting']
			],
			office: [
				['工作概览', '/office'],
				['申报与形式审查 (list)', '/office/applications'],
				['申报详情', `/office/applications/${anyApp.id}`],
				['专家库', '/office/experts'],
				['回避', '/office/conflicts'],
				['专家抽取 (matrix)', '/office/assignments'],
				['评分表 (all sheets)', '/office/sheets'],
				['催办', '/office/sheets/reminders'],
				['评审结果', '/office/results'],
				['统计看板', '/office/dashboard'],
				['拟推荐名单', '/office/shortlist'],
				['评审会议', '/office/meeting'],
				['审计日志', '/office/audit']
			],
			city: [
				['本地区申报', '/city'],
				['city form: new application', '/city/applications/new?type=training'],
				['city form: a draft', `/city/applications/${city.id}`]
			],
			observer: [
				['评审进度', '/observer'],
				['评审结果', '/observer/results'],
				['审计日志', '/observer/audit']
			]
		} as Record<'expert' | 'office' | 'city' | 'observer', [string, string][]>
	};
}

async function visit(browser: Browser, base: string, cookie: string, urlPath: string, twice: boolean): Promise<{ first: Visit; again: Visit | null; status: number }> {
	const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
	await context.addCookies([{ name: SESSION_COOKIE, value: cookie, url: base }]);
	const page = await context.newPage();
	const cdp = await context.newCDPSession(page);
	await cdp.send('Network.enable');
	await cdp.send('Network.emulateNetworkConditions', { offline: false, ...THROTTLE });
	const open = async (): Promise<{ v: Visit; status: number }> => {
		const res = await page.goto(base + urlPath, { waitUntil: 'load', timeout: 60_000 });
		const v = await page.evaluate(() => {
			const n = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
			return { dcl: n.domContentLoadedEventEnd - n.startTime, load: n.loadEventEnd - n.startTime, htmlBytes: n.transferSize };
		});
		return { v, status: res?.status() ?? 0 };
	};
	try {
		const first = await open();
		const again = twice ? (await open()).v : null;
		return { first: first.v, again, status: first.status };
	} finally {
		await context.close();
	}
}

export async function benchThrottle(h: Helpers) {
	h.heading(`Slow link: DOMContentLoaded at ${(THROTTLE.downloadThroughput * 8) / 1e6} Mbit/s, ${THROTTLE.latency} ms (Chromium throttling)`);
	h.ensureBuild();
	const dbFile = path.join(h.work, `demo-${process.pid}.db`);
	const filesDir = path.join(h.work, 'files');
	const cleanup = () => {
		for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`, `${dbFile}.keys`]) fs.rmSync(f, { force: true });
		fs.rmSync(filesDir, { recursive: true, force: true });
	};
	cleanup();
	const db = openDatabase(dbFile);
	migrate(db);
	await seedDemo(db);
	const { users, pages } = pagesOf(db);
	const cookies: Record<string, string> = {};
	for (const [role, username] of Object.entries(users)) {
		const id = db.$client.prepare('SELECT id FROM users WHERE username = ?').pluck().get(username) as string;
		const token = generateSessionToken();
		createSession(db, token, id);
		cookies[role] = token;
	}
	db.$client.pragma('wal_checkpoint(TRUNCATE)');
	db.$client.close();
	const server = await h.startServer(dbFile);
	const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
	try {
		// Warm the server (route modules loaded, queries prepared) without throttling: the figures are the link's.
		for (const [role, list] of Object.entries(pages)) {
			for (const [, p] of list) await fetch(server.base + p, { headers: { cookie: `${SESSION_COOKIE}=${cookies[role]}` } }).then((r) => r.arrayBuffer());
		}
		for (const [role, list] of Object.entries(pages)) {
			for (const [label, p] of list) {
				const runs = [];
				for (let i = 0; i < 3; i++) runs.push(await visit(browser, server.base, cookies[role], p, i === 2));
				const median = runs.map((r) => r.first.dcl).sort((a, b) => a - b)[1];
				const last = runs[2];
				const kb = (last.first.htmlBytes / 1024).toFixed(1);
				const status = runs.find((r) => r.status !== 200)?.status ?? 200;
				h.record(
					'throttle',
					`${role} ${label}`,
					`${median.toFixed(0)} ms (cached ${last.again ? last.again.dcl.toFixed(0) : '?'} ms; HTML ${kb} KB${status === 200 ? '' : `; HTTP ${status}`})`,
					'< 1 s',
					status === 200 && median < TARGET_MS
				);
			}
		}
	} finally {
		await browser.close();
		await server.stop();
		cleanup();
	}
}
