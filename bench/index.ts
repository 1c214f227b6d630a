/**
 * Benchmarks of 评审工作台 (`npm run bench`): the expert draw, the aggregation and the dashboard,
 * score-sheet saves against the built server, and the mixed load of a review day (experts reading
 * and saving, office dashboards, meeting screens on server-sent events while the chair moves), and
 * every role's main pages in Chromium on a throttled link (bench/throttle.ts: 1.6 Mbit/s, 150 ms).
 *
 * A benchmark, not a test: it prints the figures and the targets and exits 0 even when a target is
 * missed (misses are marked ✗ MISSED). Everything it writes lives under data/bench/ and is removed at
 * the end. The server is the production build in build-bench/ (rebuilt with `vite build` when it is
 * missing or older than the sources).
 *
 * Options: --only=draw,aggregation,commit,dashboard,save,mixed,throttle (default: all) · --short (shorter load
 * phases, for trying the bench out; the published figures come from a full run) · --keep (leave
 * the province database in data/bench/ for inspection) · --cold (the saves start on a server that
 * has just started, without the experts opening their pages first). BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR"
 * passes node options to the server (then stopped with SIGTERM so that the profile is written).
 * BENCH_TRACE=FILE appends a line per save of phase a) to FILE: its start (ms into the phase),
 * its latency (ms) and the expert's number, to see when the slow ones happened.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
// autocannon ships no types: the little of its result this bench reads.
// @ts-expect-error no declaration file
import autocannonModule from 'autocannon';
import Database from 'better-sqlite3';
import { openDatabase, migrate, type Db } from '../src/lib/server/db';
import * as s from '../src/lib/server/db/schema';
import { createSession, generateSessionToken, hashPassword, SESSION_COOKIE } from '../src/lib/server/auth';
import { SYSTEM_ACTOR } from '../src/lib/server/audit';
import { importBundle } from '../src/lib/server/services/bundle-import';
import { generateDemoBundle } from '../src/lib/server/demo/generate';
import { dashboardData } from '../src/lib/server/queries/dashboard';
import { loadApplications, loadInstitutions, loadScores } from '../src/lib/server/queries/bundle';
import { computeConflicts, computeFindings, computeResults } from '../src/lib/server/services/batch-state';
import { assignExperts, seededRandom, type AssignInput } from '../src/lib/domain/assignment';
import { aggregate, pairKey, type AggregateInput } from '../src/lib/domain/aggregation';
import { detectConflicts } from '../src/lib/domain/conflicts';
import { defaultRubric } from '../src/lib/domain/rubric';
import { DEFAULT_AGGREGATION, type Rubric, type Score } from '../src/lib/domain/bundle';
import { OCCUPATIONS } from '../src/lib/domain/occupations';
import { benchThrottle } from './throttle';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUILD_DIR = path.join(ROOT, 'build-bench');
const WORK = path.join(ROOT, 'data', 'bench');
const args = process.argv.slice(2);
const only = new Set((args.find((a) => a.startsWith('--only='))?.slice(7) ?? 'draw,aggregation,commit,dashboard,save,mixed,throttle').split(','));
const SHORT = args.includes('--short');
/** Leaves the province database in data/bench/ (for looking into it; delete it by hand). */
const KEEP = args.includes('--keep');
const SECONDS = { save: SHORT ? 8 : 20, capacity: SHORT ? 6 : 15, mixed: SHORT ? 12 : 30 };
/**
 * Skips the page opening before the saves: the 200 experts then save on a server that has just
 * started and never served a page (no route module loaded, no JIT, nothing prepared or cached).
 */
const COLD = args.includes('--cold');
/** Pause (ms) of an expert after each answer: the autosave of the scoring page fires 2.5 s after the last change. */
const PACE: [number, number] = [1500, 3500];
/** In the mixed load, an expert opens the scoring page of an application, then saves this many times, */
const SAVES_PER_READ = 10;
/** pausing this long (ms) after each answer: reading, weighing, typing a comment. */
const MIXED_PACE: [number, number] = [2500, 7500];
/** In the save benchmark, latencies of saves started after this (ms) are also reported apart: the opening burst is over. */
const STEADY_AFTER = 5000;
/** Office sessions refreshing the dashboard in the mixed load, and how often (ms). */
const DASHBOARD = { sessions: 3, every: 5000 };

/* ------------------------------------------------------------------ reporting */

type Row = { bench: string; measure: string; value: string; target: string; met: boolean | null };
const rows: Row[] = [];
const started = Date.now();

function record(bench: string, measure: string, value: string, target = '', met: boolean | null = null) {
	rows.push({ bench, measure, value, target, met });
	const mark = met === null ? '' : met ? '  ✓ met' : '  ✗ MISSED';
	console.log(`  ${measure.padEnd(46)} ${value.padStart(14)}${target ? `   target ${target}` : ''}${mark}`);
}

function heading(title: string) {
	console.log(`\n=== ${title} (${((Date.now() - started) / 1000).toFixed(0)} s) ===`);
}

const ms = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : x >= 10 ? `${x.toFixed(0)} ms` : `${x.toFixed(1)} ms`);
const int = (x: number) => Math.round(x).toLocaleString('en-US');
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;

/** Exact percentiles (nearest rank) of a list of samples. */
function stats(samples: number[]) {
	const v = Float64Array.from(samples).sort();
	const at = (p: number) => (v.length ? v[Math.min(v.length - 1, Math.max(0, Math.ceil((p / 100) * v.length) - 1))] : NaN);
	let sum = 0;
	for (const x of v) sum += x;
	return { n: v.length, mean: v.length ? sum / v.length : NaN, p50: at(50), p95: at(95), p975: at(97.5), p99: at(99), max: v.length ? v[v.length - 1] : NaN, min: v.length ? v[0] : NaN };
}

function timeIt<T>(fn: () => T): { ms: number; value: T } {
	const t = performance.now();
	const value = fn();
	return { ms: performance.now() - t, value };
}

type CannonResult = {
	requests: { average: number };
	latency: { p50: number; p97_5: number; p99: number; max: number };
	errors: number;
	timeouts: number;
	non2xx: number;
};
const autocannon = autocannonModule as (opts: Record<string, unknown>) => Promise<CannonResult>;

// A full collection before each in-process measurement, so that garbage left by the previous
// section (the national inputs are hundreds of MB) is not collected on its time.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const sleep = (msec: number) => new Promise<void>((r) => setTimeout(r, msec));

/* ------------------------------------------------------------------ synthetic inputs */

const OCC = OCCUPATIONS.map((o) => o.key);
const CLOSED_EVALUATION = new Set(['smart-manufacturing', 'bigdata', 'blockchain']);
/** Share of applications per occupation (ai, iot, bigdata, cloud, smart-manufacturing, industrial-internet, vr, blockchain, ic, digital-management). */
const APP_WEIGHTS = [18, 8, 12, 12, 10, 8, 6, 6, 6, 14];
/** Share of experts per (first) occupation: supply does not follow demand exactly. */
const EXPERT_WEIGHTS = [12, 10, 10, 10, 12, 10, 8, 8, 10, 10];

function pickWeighted(rng: () => number, weights: number[]): number {
	const total = weights.reduce((a, b) => a + b, 0);
	let x = rng() * total;
	for (let i = 0; i < weights.length; i++) {
		x -= weights[i];
		if (x < 0) return i;
	}
	return weights.length - 1;
}

const UNIVERSITIES = ['东北大学', '大连理工大学', '辽宁大学', '沈阳工业大学', '大连海事大学', '沈阳航空航天大学', '辽宁工程技术大学', '沈阳建筑大学', '大连交通大学', '辽宁科技大学', '沈阳理工大学', '大连大学', '渤海大学', '沈阳化工大学', '辽宁石油化工大学', '沈阳师范大学', '辽宁师范大学', '大连工业大学', '沈阳大学', '辽宁工业大学'];
const DEPARTMENTS = ['计算机科学与工程学院', '信息科学与工程学院', '软件学院', '电子信息工程学院', '管理学院', '人工智能学院', '机械工程学院'];
const COMPANIES = ['东软集团股份有限公司', '辽宁省软件行业协会', '中国移动通信集团辽宁有限公司', '国网辽宁省电力有限公司信息通信分公司', '沈阳新松机器人自动化股份有限公司', '大连华信计算机技术股份有限公司', '辽宁省信息技术标准化研究院', '中国电信股份有限公司辽宁分公司'];
const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建国志文辉宇浩然博睿晨阳凯峰岩松海波鹏飞';

function expertName(i: number): string {
	const a = SURNAMES[i % SURNAMES.length];
	const b = GIVEN[Math.floor(i / SURNAMES.length) % GIVEN.length];
	const c = GIVEN[Math.floor(i / (SURNAMES.length * GIVEN.length)) % GIVEN.length];
	return `${a}${b}${c}`;
}

function expertUnit(rng: () => number): string {
	return rng() < 0.8 ? `${UNIVERSITIES[Math.floor(rng() * UNIVERSITIES.length)]}${DEPARTMENTS[Math.floor(rng() * DEPARTMENTS.length)]}` : COMPANIES[Math.floor(rng() * COMPANIES.length)];
}

/**
 * Input of the draw, as runDraw passes it: the applications in scope, the active experts with their
 * occupations and units, the hard-conflict pairs, N = 5, no cap, one draw seed. Experts cover one to
 * three occupations; conflicts: 70 % of the applications have none, 20 % one, 8 % two, 2 % three to
 * five (SAME_UNIT, LISTED_IN_APPLICATION, APPLICATION_CONTACT, DECLARED), and 2 % of the experts are
 * "hubs" (a staff member of many applicants) with 10–40 conflicts each.
 */
function drawInput(nApps: number, nExperts: number, seed: string): AssignInput {
	const rng = seededRandom(seed);
	const experts = Array.from({ length: nExperts }, (_, i) => {
		const occs = new Set<string>([OCC[pickWeighted(rng, EXPERT_WEIGHTS)]]);
		const extra = rng() < 0.35 ? (rng() < 0.3 ? 2 : 1) : 0;
		for (let k = 0; k < extra; k++) occs.add(OCC[pickWeighted(rng, APP_WEIGHTS)]);
		return { id: `exp-${String(i).padStart(5, '0')}`, occupations: [...occs], workUnit: expertUnit(rng) };
	});
	const byOcc = new Map<string, number[]>();
	experts.forEach((e, i) => {
		for (const o of e.occupations) {
			const list = byOcc.get(o);
			if (list) list.push(i);
			else byOcc.set(o, [i]);
		}
	});
	const applications = Array.from({ length: nApps }, (_, i) => ({ id: `app-${String(i).padStart(6, '0')}`, occupation: OCC[pickWeighted(rng, APP_WEIGHTS)] }));
	const blocked = new Set<string>();
	for (const a of applications) {
		const pool = byOcc.get(a.occupation) ?? [];
		const x = rng();
		const k = x < 0.7 ? 0 : x < 0.9 ? 1 : x < 0.98 ? 2 : 3 + Math.floor(rng() * 3);
		for (let j = 0; j < k && pool.length; j++) blocked.add(pairKey(a.id, experts[pool[Math.floor(rng() * pool.length)]].id));
	}
	const appsByOcc = new Map<string, string[]>();
	for (const a of applications) (appsByOcc.get(a.occupation) ?? appsByOcc.set(a.occupation, []).get(a.occupation)!).push(a.id);
	for (let h = 0; h < Math.round(nExperts * 0.02); h++) {
		const e = experts[Math.floor(rng() * nExperts)];
		const apps = e.occupations.flatMap((o) => appsByOcc.get(o) ?? []);
		const n = 10 + Math.floor(rng() * 31);
		for (let j = 0; j < n && apps.length; j++) blocked.add(pairKey(apps[Math.floor(rng() * apps.length)], e.id));
	}
	return { applications, experts, existing: [], blocked, perApplication: 5, seed: `draw-${seed}`, maxLoad: null, onePerUnit: false };
}

/** Points of one sheet: quality of the application, severity of the expert, noise; 0.5 steps. */
function sheetPoints(rubric: Rubric, quality: number, severity: number, rng: () => number): Record<string, number> {
	const points: Record<string, number> = {};
	for (const c of rubric.criteria) {
		const v = Math.min(1, Math.max(0, quality + severity + (rng() - 0.5) * 0.16));
		points[c.id] = Math.round(v * c.maxPoints * 2) / 2;
	}
	return points;
}

/** The national input of `results`: 12,000 applications, 7 submitted sheets each over 7 criteria. */
function aggregationInput(nApps: number, nExperts: number, perApp: number): AggregateInput {
	const rng = seededRandom('aggregation');
	const rubrics = [defaultRubric('training'), defaultRubric('evaluation')];
	const severity = Array.from({ length: nExperts }, () => (rng() - 0.5) * 0.16);
	const applications = Array.from({ length: nApps }, (_, i) => {
		const occupation = OCC[pickWeighted(rng, APP_WEIGHTS)];
		const type = CLOSED_EVALUATION.has(occupation) || rng() < 0.6 ? ('training' as const) : ('evaluation' as const);
		return { id: `app-${String(i).padStart(6, '0')}`, occupation, type };
	});
	const sheets: Score[] = [];
	const assigned = new Set<string>();
	const hardConflicts = new Map<string, string>();
	for (const a of applications) {
		const rubric = a.type === 'training' ? rubrics[0] : rubrics[1];
		const quality = 0.5 + rng() * 0.42;
		const chosen = new Set<number>();
		while (chosen.size < perApp) chosen.add(Math.floor(rng() * nExperts));
		for (const e of chosen) {
			const expertId = `exp-${String(e).padStart(5, '0')}`;
			sheets.push({ applicationId: a.id, expertId, rubricId: rubric.id, status: 'submitted', points: sheetPoints(rubric, quality, severity[e], rng), comment: null, explanation: null });
			const key = pairKey(a.id, expertId);
			if (rng() < 0.998) assigned.add(key); // a few sheets by experts no longer assigned
			if (rng() < 0.002) hardConflicts.set(key, 'DECLARED');
		}
	}
	const blocking = new Set(applications.filter(() => rng() < 0.03).map((a) => a.id));
	const decisions = applications.filter(() => rng() < 0.01).map((a) => ({ applicationId: a.id, decision: 'site-visit' as const, reason: '需实地考察' }));
	return { settings: DEFAULT_AGGREGATION, applications, sheets, rubrics, assigned, hardConflicts, blocking, decisions };
}

/* ------------------------------------------------------------------ the province database */

type BenchExpert = { id: string; cookie: string; apps: string[]; drafts: string[] };
type BenchWorld = {
	file: string;
	experts: BenchExpert[];
	office: string[];
	chair: string;
	observers: string[];
	applications: string[];
	/** Per draft sheet `${app}|${expert}`: the criteria ids of its rubric, in order, with their maxPoints. */
	criteria: Map<string, { id: string; max: number }[]>;
};

function removeDbFiles(file: string) {
	for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) fs.rmSync(f, { force: true });
}

/**
 * A province at full size: the 60 applications of the demo batch cloned ten times (600, all ten
 * occupations, 15 regions, complete Annex 1/2 forms), 200 experts with realistic units, 7 experts
 * per application without a hard conflict (detected as the app does), every sheet submitted. Then
 * accounts, signed commitments, published assignments, and sessions made straight in the database.
 */
async function buildWorld(file: string, expertCount = 200, perApp = 7): Promise<{ world: BenchWorld; db: Db; setDrafts: () => void }> {
	removeDbFiles(file);
	const rng = seededRandom('province-db');
	const demo = generateDemoBundle();
	const VARIANTS = ['', '新', '华', '恒', '博', '瑞', '嘉', '远', '盛', '达'];
	const institutions = VARIANTS.flatMap((v, k) =>
		demo.institutions.map((inst) => ({ ...inst, id: `${inst.id}-k${k}`, name: k === 0 ? inst.name : `${inst.name.slice(0, 2)}${v}${inst.name.slice(2)}` }))
	);
	const applications = VARIANTS.flatMap((_, k) => demo.applications.map((app) => ({ ...app, id: `${app.id}-k${k}`, institutionId: `${app.institutionId}-k${k}` })));
	// Experts per occupation in proportion to the applications of the occupation.
	const demand = new Map<string, number>();
	for (const a of applications) demand.set(a.occupation, (demand.get(a.occupation) ?? 0) + 1);
	const experts: (typeof demo.experts)[number][] = [];
	const share = OCC.map((o) => Math.max(perApp + 2, Math.floor(((demand.get(o) ?? 0) / applications.length) * expertCount)));
	while (share.reduce((a, b) => a + b, 0) < expertCount) share[share.indexOf(Math.min(...share))]++;
	OCC.forEach((o, k) => {
		for (let j = 0; j < share[k]; j++) {
			const i = experts.length;
			const occupations = [o];
			if (rng() < 0.3) {
				const other = OCC[pickWeighted(rng, APP_WEIGHTS)];
				if (other !== o) occupations.push(other);
			}
			experts.push({
				id: `bx-${String(i + 1).padStart(3, '0')}`,
				name: expertName(i + 7),
				workUnit: expertUnit(rng),
				title: rng() < 0.6 ? '教授' : '高级工程师',
				occupations,
				region: demo.experts[i % demo.experts.length].region,
				phone: `139${String(40000000 + i * 7919).padStart(8, '0')}`,
				email: `bx${i + 1}@example.edu.cn`
			});
		}
	});
	const hard = new Set(
		detectConflicts({ experts, applications, institutions, declarations: [] })
			.filter((c) => c.hard)
			.map((c) => pairKey(c.applicationId, c.expertId))
	);
	// Least-loaded eligible experts of the occupation; every sheet submitted for now.
	const load = new Map(experts.map((e) => [e.id, 0]));
	const assignments: { applicationId: string; expertId: string }[] = [];
	const scores: Score[] = [];
	const rubricOf = (t: string) => demo.rubrics.find((r) => r.type === t)!;
	const severity = new Map(experts.map((e) => [e.id, (rng() - 0.5) * 0.16]));
	applications.forEach((app, i) => {
		const eligible = experts
			.map((e, k) => ({ e, k }))
			.filter(({ e }) => e.occupations.includes(app.occupation) && !hard.has(pairKey(app.id, e.id)))
			.sort((a, b) => load.get(a.e.id)! - load.get(b.e.id)! || ((a.k + i) % experts.length) - ((b.k + i) % experts.length))
			.slice(0, perApp);
		const quality = 0.55 + rng() * 0.37;
		for (const { e } of eligible) {
			assignments.push({ applicationId: app.id, expertId: e.id });
			load.set(e.id, load.get(e.id)! + 1);
			const rubric = rubricOf(app.type);
			scores.push({ applicationId: app.id, expertId: e.id, rubricId: rubric.id, status: 'submitted', points: sheetPoints(rubric, quality, severity.get(e.id)!, rng), comment: '总体符合要求。', explanation: null });
		}
	});
	const bundle = {
		format: demo.format,
		version: demo.version,
		batch: demo.batch,
		institutions,
		applications,
		experts,
		rubrics: demo.rubrics,
		assignments,
		declarations: [],
		scores,
		decisions: []
	};

	const db = openDatabase(file);
	migrate(db);
	importBundle(db, bundle, SYSTEM_ACTOR);

	// Accounts (one password hash for all: nobody signs in, sessions are made directly).
	const passwordHash = await hashPassword('Bench2023pass');
	const batchId = demo.batch.id;
	const user = (username: string, displayName: string, role: 'office' | 'expert' | 'observer', expertId: string | null = null) => {
		const id = randomUUID();
		db.insert(s.users).values({ id, username, displayName, role, region: null, expertId, passwordHash }).run();
		const token = generateSessionToken();
		createSession(db, token, id);
		return `${SESSION_COOKIE}=${token}`;
	};
	const world: BenchWorld = { file, experts: [], office: [], chair: '', observers: [], applications: applications.map((a) => a.id), criteria: new Map() };
	db.transaction(() => {
		world.chair = user('chair', '会议主持', 'office');
		for (let i = 1; i <= 4; i++) world.office.push(user(`office-${i}`, `人才开发处${i}`, 'office'));
		for (let i = 1; i <= 5; i++) world.observers.push(user(`observer-${i}`, `监督员${i}`, 'observer'));
		for (const e of experts) {
			const cookie = user(e.id, e.name, 'expert', e.id);
			db.insert(s.commitments).values({ expertId: e.id, batchId, textHash: 'bench' }).run();
			world.experts.push({ id: e.id, cookie, apps: assignments.filter((a) => a.expertId === e.id).map((a) => a.applicationId), drafts: [] });
		}
	});
	db.update(s.batches).set({ assignmentsPublishedAt: new Date().toISOString(), scoringDeadline: '2023-07-10' }).run();

	// Later: two sheets of every application go back to draft (the experts still scoring them),
	// spread so that every expert has about the same number of drafts.
	const setDrafts = () => {
		const drafts = new Map(experts.map((e) => [e.id, 0]));
		const typeOf = new Map(applications.map((a) => [a.id, a.type]));
		const byApp = new Map<string, string[]>();
		for (const a of assignments) (byApp.get(a.applicationId) ?? byApp.set(a.applicationId, []).get(a.applicationId)!).push(a.expertId);
		const back = db.$client.prepare(`UPDATE score_sheets SET status = 'draft', submitted_at = NULL WHERE application_id = ? AND expert_id = ?`);
		db.$client.transaction(() => {
			for (const [app, list] of byApp) {
				const pick = [...list].sort((a, b) => drafts.get(a)! - drafts.get(b)! || (a < b ? -1 : 1)).slice(0, 2);
				for (const e of pick) {
					back.run(app, e);
					drafts.set(e, drafts.get(e)! + 1);
					world.experts.find((x) => x.id === e)!.drafts.push(app);
					world.criteria.set(pairKey(app, e), rubricOf(typeOf.get(app)!).criteria.map((c) => ({ id: c.id, max: c.maxPoints })));
				}
			}
		})();
	};
	return { world, db, setDrafts };
}

/* ------------------------------------------------------------------ the built server */

function newestMtime(dir: string): number {
	let newest = 0;
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const p = path.join(dir, entry.name);
		if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
		else newest = Math.max(newest, fs.statSync(p).mtimeMs);
	}
	return newest;
}

function ensureBuild() {
	const entry = path.join(BUILD_DIR, 'index.js');
	const sources = Math.max(newestMtime(path.join(ROOT, 'src')), ...['svelte.config.js', 'vite.config.ts', 'package-lock.json'].map((f) => fs.statSync(path.join(ROOT, f)).mtimeMs));
	if (fs.existsSync(entry) && fs.statSync(entry).mtimeMs >= sources) {
		console.log('  build-bench/ is up to date');
		return;
	}
	console.log('  building the server into build-bench/ (vite build) …');
	const t = Date.now();
	const res = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: ROOT, env: { ...process.env, BUILD_DIR: 'build-bench' }, stdio: ['ignore', 'inherit', 'inherit'] });
	if (res.status !== 0 || !fs.existsSync(entry)) throw new Error('vite build failed');
	// The output keeps the build's start time: mark it fresh so the next run does not rebuild.
	const now = new Date();
	fs.utimesSync(entry, now, now);
	console.log(`  built in ${((Date.now() - t) / 1000).toFixed(0)} s`);
}

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address() as net.AddressInfo;
			srv.close(() => resolve(port));
		});
	});
}

type Server = { base: string; child: ChildProcess; rssKb(): number; hwmKb(): number; stop(signal?: NodeJS.Signals): Promise<void> };

async function startServer(dbFile: string): Promise<Server> {
	const port = await freePort();
	const base = `http://127.0.0.1:${port}`;
	const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
	const child = spawn(process.execPath, [...nodeArgs, path.join(BUILD_DIR, 'index.js')], {
		cwd: ROOT,
		env: { ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), ORIGIN: base, DATABASE_URL: dbFile, BODY_SIZE_LIMIT: '512K' },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let out = '';
	child.stdout!.on('data', (d) => (out = (out + d).slice(-20000)));
	child.stderr!.on('data', (d) => (out = (out + d).slice(-20000)));
	const exited = new Promise<void>((r) => child.once('exit', () => r()));
	const deadline = Date.now() + 30_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`server failed to start: ${out}`);
		try {
			const res = await fetch(`${base}/healthz`);
			if (res.ok) break;
		} catch {
			/* not yet */
		}
		if (Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error(`server not ready in 30 s: ${out}`);
		}
		await sleep(100);
	}
	const status = (key: string) => {
		try {
			const m = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8').match(new RegExp(`${key}:\\s+(\\d+) kB`));
			return m ? Number(m[1]) : 0;
		} catch {
			return 0;
		}
	};
	return {
		base,
		child,
		rssKb: () => status('VmRSS'),
		hwmKb: () => status('VmHWM'),
		async stop(signal: NodeJS.Signals = 'SIGTERM') {
			if (child.exitCode === null && child.signalCode === null) child.kill(signal);
			await exited;
		}
	};
}

/** Samples the server's RSS every 250 ms while a phase runs. */
function rssSampler(server: Server) {
	let peak = 0;
	const timer = setInterval(() => (peak = Math.max(peak, server.rssKb())), 250);
	return {
		stop() {
			clearInterval(timer);
			return { peakKb: Math.max(peak, server.rssKb()), endKb: server.rssKb() };
		}
	};
}

/* ------------------------------------------------------------------ a small HTTP client */

type Answer = { status: number; body: string; ms: number; error?: string };

/**
 * Requests sent again because the server closed the idle keep-alive connection just as they went
 * out on it (Node's default keep-alive timeout is 5 s; a browser sends such a request again too).
 */
let resent = 0;

function request(agent: http.Agent, base: string, method: string, urlPath: string, headers: Record<string, string>, body?: string): Promise<Answer> {
	const t = performance.now();
	const attempt = (first: boolean): Promise<Answer> =>
		new Promise((resolve) => {
			let answered = false;
			const req = http.request(`${base}${urlPath}`, { method, agent, headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) }, timeout: 30_000 }, (res) => {
				answered = true;
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - t }));
				res.on('error', (e) => resolve({ status: 0, body: '', ms: performance.now() - t, error: e.message }));
			});
			req.on('timeout', () => req.destroy(new Error('timeout after 30 s')));
			req.on('error', (e: NodeJS.ErrnoException) => {
				if (first && !answered && req.reusedSocket && (e.code === 'ECONNRESET' || e.code === 'EPIPE')) {
					resent++;
					resolve(attempt(false));
				} else resolve({ status: 0, body: '', ms: performance.now() - t, error: e.code ?? e.message });
			});
			if (body !== undefined) req.write(body);
			req.end();
		});
	return attempt(true);
}

/** What one kind of request did in a phase. */
class Tally {
	latencies: number[] = [];
	errors = 0;
	non2xx = 0;
	statuses = new Map<number, number>();
	errorKinds = new Map<string, number>();
	add(a: Answer) {
		if (a.status === 0) {
			this.errors++;
			this.errorKinds.set(a.error ?? '?', (this.errorKinds.get(a.error ?? '?') ?? 0) + 1);
			return;
		}
		this.latencies.push(a.ms);
		this.statuses.set(a.status, (this.statuses.get(a.status) ?? 0) + 1);
		if (a.status < 200 || a.status > 299) this.non2xx++;
	}
}

/* ------------------------------------------------------------------ score-sheet saves */

/** The last acknowledged save of every sheet: what the database must hold. */
type Acked = { version: number; points: Record<string, number>; comment: string };

/** `unsure`: a save went out after the last 200 (still out, or its answer never came): the stored version may be newer than `acked`. */
type SheetState = { version: number; acked: Acked | null; unsure: boolean };

class Saver {
	sheets = new Map<string, SheetState>();
	conflicts = 0;
	private n = 0;
	constructor(private world: BenchWorld) {}

	state(app: string, expert: string): SheetState {
		const key = pairKey(app, expert);
		let st = this.sheets.get(key);
		if (!st) this.sheets.set(key, (st = { version: -1, acked: null, unsure: false }));
		return st;
	}

	/** A draft as the scoring page sends it: a few criteria scored (0.5 steps), a general comment. */
	body(app: string, expert: string, rng: () => number): { json: string; points: Record<string, number>; comment: string } {
		const crit = this.world.criteria.get(pairKey(app, expert))!;
		const points: Record<string, number | null> = {};
		for (const c of crit) points[c.id] = rng() < 0.15 ? null : Math.round(rng() * c.max * 2) / 2;
		const comment = `第${++this.n}次保存：材料齐全，师资较强。`;
		const st = this.state(app, expert);
		st.unsure = true; // in flight until its answer arrives
		const clean = Object.fromEntries(Object.entries(points).filter(([, v]) => v !== null)) as Record<string, number>;
		return { json: JSON.stringify({ version: st.version, points, comments: {}, comment }), points: clean, comment };
	}

	/** Reads the answer of a save: the new version (200) or the stored one (409 carries `current`). */
	answer(app: string, expert: string, status: number, body: string, sent: { points: Record<string, number>; comment: string } | null) {
		const st = this.state(app, expert);
		if (status === 0) return; // no answer: whether it was stored is unknown (st.unsure stays)
		let data: { version?: number; current?: { version: number } } = {};
		try {
			data = JSON.parse(body);
		} catch {
			/* not JSON */
		}
		if (status === 200 && typeof data.version === 'number') {
			st.version = data.version;
			st.unsure = false;
			if (sent) st.acked = { version: data.version, points: sent.points, comment: sent.comment };
		} else if (status === 409) {
			// nothing was written now, but the stored sheet is newer than our last answer (a save
			// whose answer never came): carry on from the stored version, as the page does
			this.conflicts++;
			if (data.current) st.version = data.current.version;
		}
	}
}

/** Loads the stored version of every draft sheet (what the scoring page gives the browser). */
function loadVersions(db: Db, saver: Saver) {
	for (const r of db.select({ a: s.sheets.applicationId, e: s.sheets.expertId, v: s.sheets.version }).from(s.sheets).all()) {
		saver.state(r.a, r.e).version = r.v;
	}
}

/**
 * After the closed loop stops, requests that were still out get no answer but may be stored: like
 * the page after a conflict, take the stored version of those sheets. Returns how many there were.
 */
async function resync(file: string, saver: Saver): Promise<number> {
	await sleep(1500); // let the server finish what it had received
	const db = openDatabase(file);
	try {
		const get = db.$client.prepare('SELECT version FROM score_sheets WHERE application_id = ? AND expert_id = ?').pluck();
		let n = 0;
		for (const [key, st] of saver.sheets) {
			if (!st.unsure) continue;
			const [app, expert] = key.split('|');
			const v = get.get(app, expert) as number | undefined;
			if (v !== undefined && v !== st.version) {
				st.version = v;
				n++;
			}
		}
		return n;
	} finally {
		db.$client.close();
	}
}

/** Every acknowledged save's last points are stored: checked from the database file. */
function verifySaves(file: string, saver: Saver): { checked: number; lost: number; unsure: number; detail: string[] } {
	const db = openDatabase(file);
	try {
		const sheet = db.$client.prepare('SELECT id, version, comment, status FROM score_sheets WHERE application_id = ? AND expert_id = ?');
		const pts = db.$client.prepare('SELECT criterion_id AS c, points AS p FROM sheet_points WHERE sheet_id = ?');
		let checked = 0;
		let lost = 0;
		let unsure = 0;
		const detail: string[] = [];
		for (const [key, st] of saver.sheets) {
			if (!st.acked) continue;
			const [app, expert] = key.split('|');
			checked++;
			const row = sheet.get(app, expert) as { id: number; version: number; comment: string | null } | undefined;
			if (!row) {
				lost++;
				detail.push(`${key}: sheet missing`);
				continue;
			}
			if (row.version !== st.acked.version) {
				// A later save that got no answer may have been stored: newer is not a loss.
				if (st.unsure && row.version > st.acked.version) {
					unsure++;
					continue;
				}
				lost++;
				detail.push(`${key}: version ${row.version}, acknowledged ${st.acked.version}`);
				continue;
			}
			const stored = Object.fromEntries((pts.all(row.id) as { c: string; p: number }[]).map((r) => [r.c, r.p]));
			const same = Object.keys(stored).length === Object.keys(st.acked.points).length && Object.entries(st.acked.points).every(([k, v]) => stored[k] === v) && row.comment === st.acked.comment;
			if (!same) {
				lost++;
				detail.push(`${key}: points differ`);
			}
		}
		return { checked, lost, unsure, detail: detail.slice(0, 5) };
	} finally {
		db.$client.close();
	}
}

const sheetPath = (app: string) => `/expert/applications/${encodeURIComponent(app)}/sheet`;
const jsonHeaders = (base: string, cookie: string) => ({ cookie, origin: base, 'content-type': 'application/json', accept: 'application/json' });

/**
 * 200 experts save at once and keep saving: each its own draft sheets in turn, one request at a time,
 * with the version of the previous answer. `pace` (ms, [min, max]) is the pause after each save.
 */
async function savePhase(server: Server, world: BenchWorld, saver: Saver, seconds: number, pace: [number, number]) {
	const tally = new Tally();
	/** Latencies of the saves that started after the first STEADY_AFTER ms (the opening burst is over). */
	const steady: number[] = [];
	const until = performance.now() + seconds * 1000;
	const rss = rssSampler(server);
	const t0 = performance.now();
	await Promise.all(
		world.experts.map(async (ex, i) => {
			const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
			const rng = seededRandom(`saver-${i}`);
			await sleep(rng() * 1000); // everyone starts within the first second
			let k = i % ex.drafts.length;
			while (performance.now() < until) {
				const app = ex.drafts[k++ % ex.drafts.length];
				const sent = saver.body(app, ex.id, rng);
				const start = performance.now();
				const a = await request(agent, server.base, 'POST', sheetPath(app), jsonHeaders(server.base, ex.cookie), sent.json);
				tally.add(a);
				if (a.status && start - t0 >= STEADY_AFTER) steady.push(a.ms);
				if (process.env.BENCH_TRACE) fs.appendFileSync(process.env.BENCH_TRACE, `${(start - t0).toFixed(1)} ${a.ms.toFixed(1)} ${i}\n`);
				saver.answer(app, ex.id, a.status, a.body, sent);
				const pause = pace[0] + rng() * (pace[1] - pace[0]);
				if (pause > 0) await sleep(pause);
			}
			agent.destroy();
		})
	);
	const elapsed = (performance.now() - t0) / 1000;
	return { tally, steady, elapsed, rss: rss.stop() };
}

/** The same saves as fast as the server answers (closed loop, autocannon, 200 connections). */
async function capacityPhase(server: Server, world: BenchWorld, saver: Saver, seconds: number) {
	const rss = rssSampler(server);
	let next = 0;
	const url = new URL(server.base);
	const result = await autocannon({
		url: server.base,
		connections: world.experts.length,
		duration: seconds,
		timeout: 30,
		requests: [{ method: 'GET', path: '/healthz' }],
		setupClient(client: { setRequests(r: unknown[]): void }) {
			// One connection = one expert: its own cookie and its own sheets, in turn.
			const ex = world.experts[next++ % world.experts.length];
			const rng = seededRandom(`capacity-${ex.id}`);
			let k = 0;
			let current: { app: string; sent: { points: Record<string, number>; comment: string } } | null = null;
			client.setRequests([
				{
					method: 'POST',
					setupRequest(req: Record<string, unknown>) {
						const app = ex.drafts[k++ % ex.drafts.length];
						const sent = saver.body(app, ex.id, rng);
						current = { app, sent };
						return { ...req, path: sheetPath(app), headers: { ...jsonHeaders(`http://${url.host}`, ex.cookie), host: url.host }, body: sent.json };
					},
					onResponse(status: number, body: string) {
						if (current) saver.answer(current.app, ex.id, status, body, current.sent);
						current = null;
					}
				}
			]);
		}
	});
	return { result, rss: rss.stop() };
}

/* ------------------------------------------------------------------ server-sent events */

type Screen = { close(): void; connected: Promise<void> };

/** A meeting screen: one SSE connection; calls `onEvent` with the event and its arrival time. */
function openScreen(base: string, urlPath: string, cookie: string, onEvent: (e: { seq: number; kind?: string; applicationId?: string | null }, at: number) => void): Screen {
	let req: http.ClientRequest;
	const connected = new Promise<void>((resolve, reject) => {
		req = http.get(`${base}${urlPath}`, { agent: false, headers: { cookie, accept: 'text/event-stream' } }, (res) => {
			if (res.statusCode !== 200) {
				reject(new Error(`SSE ${urlPath}: ${res.statusCode}`));
				res.resume();
				return;
			}
			resolve();
			let buf = '';
			res.setEncoding('utf8');
			res.on('data', (chunk: string) => {
				const at = performance.now();
				buf += chunk;
				let cut: number;
				while ((cut = buf.indexOf('\n\n')) >= 0) {
					const block = buf.slice(0, cut);
					buf = buf.slice(cut + 2);
					let event = 'message';
					let data = '';
					for (const line of block.split('\n')) {
						if (line.startsWith('event:')) event = line.slice(6).trim();
						else if (line.startsWith('data:')) data += line.slice(5).trim();
					}
					if (event === 'meeting' && data) onEvent(JSON.parse(data), at);
				}
			});
			res.on('error', () => {});
		});
		req.on('error', (e) => reject(e));
	});
	return { connected, close: () => req.destroy() };
}

/* ------------------------------------------------------------------ the sections */

/**
 * What a commit costs on this disk, in WAL mode as the server runs, under synchronous = NORMAL
 * (the log is written, not fsynced: survives the death of the process, not a power loss) and FULL
 * (fsynced before COMMIT returns: survives a power loss). One "save" writes what a draft autosave
 * writes: one sheet row updated, its 7 point rows replaced. The runs alternate, so that a change
 * in the machine's load shows in both settings; the last row is FULL with 20 saves per commit, as
 * the server's group commit (db/group-commit.ts) does when saves arrive together.
 */
function benchCommits() {
	heading('0. Commit cost on this disk (WAL mode): synchronous = NORMAL vs FULL');
	const COMMITS = SHORT ? 200 : 500;
	const file = path.join(WORK, `commits-${process.pid}.db`);
	const samples: Record<string, number[]> = { NORMAL: [], FULL: [], 'FULL, 20 saves per commit': [] };
	try {
		const run = (mode: 'NORMAL' | 'FULL', perCommit: number, into: number[]) => {
			removeDbFiles(file);
			const db = new Database(file);
			db.pragma('journal_mode = WAL');
			db.pragma(`synchronous = ${mode}`);
			db.exec(`CREATE TABLE sheets (id INTEGER PRIMARY KEY, version INTEGER NOT NULL, comment TEXT, updated_at TEXT NOT NULL);
				CREATE TABLE points (sheet_id INTEGER NOT NULL REFERENCES sheets(id), criterion TEXT NOT NULL, points REAL NOT NULL, comment TEXT, PRIMARY KEY (sheet_id, criterion))`);
			const addSheet = db.prepare('INSERT INTO sheets (id, version, comment, updated_at) VALUES (?, 0, NULL, ?)');
			for (let i = 1; i <= 1200; i++) addSheet.run(i, new Date().toISOString());
			const update = db.prepare('UPDATE sheets SET version = version + 1, comment = ?, updated_at = ? WHERE id = ?');
			const clear = db.prepare('DELETE FROM points WHERE sheet_id = ?');
			const insert = db.prepare('INSERT INTO points (sheet_id, criterion, points, comment) VALUES (?, ?, ?, ?)');
			let n = 0;
			const save = () => {
				const id = (n++ % 1200) + 1;
				update.run(`第${n}次保存的总体意见`, new Date().toISOString(), id);
				clear.run(id);
				for (let c = 0; c < 7; c++) insert.run(id, `c${c}`, (n + c) % 20, c === 0 ? '评语' : null);
			};
			const commit = db.transaction(() => {
				for (let i = 0; i < perCommit; i++) save();
			});
			for (let i = 0; i < 20; i++) commit();
			for (let i = 0; i < COMMITS; i++) {
				const t = performance.now();
				commit();
				into.push((performance.now() - t) / perCommit);
			}
			db.close();
		};
		for (let round = 0; round < 2; round++) {
			run('NORMAL', 1, samples.NORMAL);
			run('FULL', 1, samples.FULL);
		}
		run('FULL', 20, samples['FULL, 20 saves per commit']);
	} finally {
		removeDbFiles(file);
	}
	const fine = (x: number) => (Math.abs(x) < 1 ? `${x.toFixed(2)} ms` : ms(x));
	const normal = stats(samples.NORMAL);
	const full = stats(samples.FULL);
	const grouped = stats(samples['FULL, 20 saves per commit']);
	record('commit', `NORMAL: one save per commit (n=${int(normal.n)}) p50 / p99`, `${fine(normal.p50)} / ${fine(normal.p99)}`);
	record('commit', `FULL: one save per commit (n=${int(full.n)}) p50 / p99`, `${fine(full.p50)} / ${fine(full.p99)}`);
	record('commit', 'the fsync: FULL − NORMAL, p50 / mean', `${fine(full.p50 - normal.p50)} / ${fine(full.mean - normal.mean)}`);
	record('commit', `FULL, 20 saves per commit (n=${int(grouped.n)}): per save p50 / mean`, `${fine(grouped.p50)} / ${fine(grouped.mean)}`);
}

async function benchDraw() {
	heading('1. Expert draw (src/lib/domain/assignment.ts, as runDraw calls it)');
	const province = drawInput(600, 150, 'province');
	const national = drawInput(12000, 3000, 'national');
	console.log(`  province: 600 applications, 150 experts, ${province.blocked.size} hard-conflict pairs; country: 12,000 applications, 3,000 experts, ${national.blocked.size} pairs; N = 5`);
	gc();
	assignExperts(province); // warm-up (JIT)
	const runs: number[] = [];
	let res = assignExperts(province);
	for (let i = 0; i < 5; i++) {
		const t = timeIt(() => assignExperts({ ...province, seed: `province-${i}` }));
		runs.push(t.ms);
		res = t.value;
	}
	const p = stats(runs);
	const loads = Object.values(res.loads);
	record('draw', 'province 600 × 150, N=5 (median of 5)', ms(p.p50), '< 1 s', p.p50 < 1000);
	record('draw', '  slowest of 5', ms(p.max));
	record('draw', '  seats filled / unfilled applications', `${int(res.assignments.length)} / ${res.unfilled.length}`);
	record('draw', '  expert load min–max', `${Math.min(...loads)}–${res.maxLoad}`);

	const nat: number[] = [];
	gc();
	for (let i = 0; i < 3; i++) {
		const t = timeIt(() => assignExperts({ ...national, seed: `national-${i}` }));
		nat.push(t.ms);
		res = t.value;
		console.log(`    country run ${i + 1}: ${ms(t.ms)}`);
	}
	const n = stats(nat);
	const nl = Object.values(res.loads);
	record('draw', 'country 12,000 × 3,000, N=5 (median of 3)', ms(n.p50), '< 20 s', n.p50 < 20000);
	record('draw', '  slowest of 3', ms(n.max));
	record('draw', '  seats filled / unfilled applications', `${int(res.assignments.length)} / ${res.unfilled.length}`);
	record('draw', '  expert load min–max', `${Math.min(...nl)}–${res.maxLoad}`);
	gc();
	const unit = timeIt(() => assignExperts({ ...national, onePerUnit: true }));
	record('draw', 'country, one expert per unit (1 run)', ms(unit.ms), '< 20 s', unit.ms < 20000);
}

function benchAggregation() {
	heading('2a. Aggregation (src/lib/domain/aggregation.ts, `results`)');
	const input = aggregationInput(12000, 3000, 7);
	console.log(`  12,000 applications, ${int(input.sheets.length)} submitted sheets of 7 criteria, 3,000 experts`);
	for (const method of ['trimmed', 'zscore'] as const) {
		gc();
		aggregate({ ...input, method }); // warm-up
		const runs: number[] = [];
		for (let i = 0; i < 5; i++) runs.push(timeIt(() => aggregate({ ...input, method })).ms);
		const st = stats(runs);
		record('aggregation', `country, ${method} (median of 5)`, ms(st.p50), '< 1 s', st.p50 < 1000);
		record('aggregation', `  slowest of 5`, ms(st.max));
	}
}

function benchDashboard(db: Db) {
	heading('2b. Office dashboard data (queries/dashboard.ts, the /office/dashboard load)');
	console.log('  province database: 600 applications × 7 submitted sheets, 200 experts');
	gc();
	// The formal check and the conflicts are cached against the intake change counter (triggers), so
	// three cases: the review day (a sheet was just saved: intake cached, sheets re-read and
	// re-aggregated) — the target; right after an intake change (everything recomputed); nothing changed.
	const touchIntake = () => db.$client.prepare('UPDATE batches SET name = name').run();
	const touchSheets = () => db.$client.prepare('UPDATE score_sheets SET version = version WHERE rowid = (SELECT min(rowid) FROM score_sheets)').run();
	const cases: [string, () => void, string | undefined][] = [
		['dashboardData, province, after a sheet save (median of 15)', touchSheets, '< 100 ms'],
		['dashboardData, province, after an intake change (median of 15)', touchIntake, undefined],
		['dashboardData, province, nothing changed (median of 15)', () => {}, undefined]
	];
	for (let i = 0; i < 3; i++) dashboardData(db); // warm-up
	for (const [label, touch, target] of cases) {
		const runs: number[] = [];
		for (let i = 0; i < 15; i++) {
			touch();
			runs.push(timeIt(() => dashboardData(db)).ms);
		}
		const st = stats(runs);
		record('dashboard', label, ms(st.p50), target, target ? st.p50 < 100 : null);
		record('dashboard', '  slowest of 15', ms(st.max));
	}
	// Where the time goes (the steps of computeResults, then the dashboard's own work).
	const findings = computeFindings(db);
	const { input } = computeResults(db);
	const parts: [string, () => unknown][] = [
		['  read applications and institutions', () => (loadApplications(db), loadInstitutions(db))],
		['  formal check of all (computeFindings, with the read, uncached)', () => (touchIntake(), computeFindings(db))],
		['  conflicts of interest (computeConflicts, uncached)', () => (touchIntake(), computeConflicts(db, findings))],
		['  read the sheets (loadScores)', () => loadScores(db)],
		['  aggregate (domain)', () => aggregate(input)],
		['  all of computeResults (intake cached)', () => computeResults(db)]
	];
	for (const [label, fn] of parts) {
		fn();
		const r: number[] = [];
		for (let i = 0; i < 7; i++) r.push(timeIt(fn).ms);
		record('dashboard', label, ms(stats(r).p50));
	}
}

type Kind = 'page' | 'save' | 'dashboard' | 'move';
/** What one request of each kind costs alone (p50, ms), from section 3c. */
const cost: Partial<Record<Kind, number>> = {};

const actionHeaders = (base: string, cookie: string) => ({ cookie, origin: base, accept: 'application/json', 'x-sveltekit-action': 'true', 'content-type': 'application/x-www-form-urlencoded' });

/** Each kind of request alone, one after another: what one request costs the server. */
async function serviceTimes(server: Server, world: BenchWorld, saver: Saver) {
	heading('3c. One request at a time (what each kind of request costs the server, no concurrency)');
	const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
	const ex = world.experts[world.experts.length - 1];
	const rng = seededRandom('service');
	const kinds: [Kind, string, number, (i: number) => Promise<Answer>][] = [
		[
			'save',
			'expert saves a draft (POST JSON)',
			60,
			async (i) => {
				const app = ex.drafts[i % ex.drafts.length];
				const sent = saver.body(app, ex.id, rng);
				const a = await request(agent, server.base, 'POST', sheetPath(app), jsonHeaders(server.base, ex.cookie), sent.json);
				saver.answer(app, ex.id, a.status, a.body, sent);
				return a;
			}
		],
		['page', 'expert reads the scoring page (GET)', 20, (i) => request(agent, server.base, 'GET', `/expert/applications/${encodeURIComponent(ex.apps[i % ex.apps.length])}`, { cookie: ex.cookie, accept: 'text/html' })],
		['dashboard', 'office dashboard (GET)', 10, () => request(agent, server.base, 'GET', '/office/dashboard', { cookie: world.office[0], accept: 'text/html' })],
		['move', 'chair moves the meeting (POST ?/move)', 10, (i) => request(agent, server.base, 'POST', '/office/meeting?/move', actionHeaders(server.base, world.chair), `applicationId=${encodeURIComponent(world.applications[i])}`)]
	];
	for (const [kind, label, n, fn] of kinds) {
		for (let i = 0; i < 3; i++) await fn(i); // warm-up
		const t = new Tally();
		for (let i = 0; i < n; i++) t.add(await fn(i + 3));
		const st = stats(t.latencies);
		cost[kind] = st.p50;
		record('alone', `${label} (n=${n}) p50 / max`, `${ms(st.p50)} / ${ms(st.max)}`, t.errors + t.non2xx ? 'no errors' : '', t.errors + t.non2xx ? false : null);
	}
	agent.destroy();
}

/**
 * Before they save, the experts open what they score: an autosave fires only on a scoring page
 * that was opened. Every expert opens the scoring page of each of its draft sheets (8 requests at
 * a time); the server loads its route modules, warms up and prepares its queries on the way.
 * Then one expert saves three times (not timed either).
 */
async function openPages(server: Server, world: BenchWorld, saver: Saver) {
	const pages = world.experts.flatMap((ex) => ex.drafts.map((app) => ({ ex, app })));
	const tally = new Tally();
	const t0 = performance.now();
	let next = 0;
	await Promise.all(
		Array.from({ length: 8 }, async () => {
			const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
			while (next < pages.length) {
				const { ex, app } = pages[next++];
				tally.add(await request(agent, server.base, 'GET', `/expert/applications/${encodeURIComponent(app)}`, { cookie: ex.cookie, accept: 'text/html' }));
			}
			agent.destroy();
		})
	);
	// As before every timed kind of request (3c): a few requests not timed, so that the first
	// timed save does not pay for loading its route and compiling its code.
	const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
	const ex = world.experts[world.experts.length - 1];
	const rng = seededRandom('warm-up');
	for (let i = 0; i < 3; i++) {
		const app = ex.drafts[i % ex.drafts.length];
		const sent = saver.body(app, ex.id, rng);
		const a = await request(agent, server.base, 'POST', sheetPath(app), jsonHeaders(server.base, ex.cookie), sent.json);
		tally.add(a);
		saver.answer(app, ex.id, a.status, a.body, sent);
	}
	agent.destroy();
	const st = stats(tally.latencies);
	console.log(`  before a): the 200 experts open the scoring pages of their ${int(pages.length)} draft sheets, 8 at a time, in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
	record('saves', `before a): experts open their scoring pages (n=${int(pages.length)}, 8 at a time; then 3 saves) p50 / p99`, `${ms(st.p50)} / ${ms(st.p99)}`);
	record('saves', 'before a): errors / non-2xx', `${tally.errors} / ${tally.non2xx}`, '0 / 0', tally.errors + tally.non2xx === 0);
}

async function benchSaves(server: Server, world: BenchWorld, saver: Saver) {
	heading('3. Saving score sheets against the built server');
	if (COLD) console.log('  --cold: the saves start on a server that has just started and never served a page');
	else await openPages(server, world, saver);
	console.log(`  200 experts, ${int(world.experts.reduce((a, e) => a + e.drafts.length, 0))} draft sheets (${world.experts[0].drafts.length}–${Math.max(...world.experts.map((e) => e.drafts.length))} each), JSON autosave POST …/sheet with the version check`);
	// a) All 200 at once (first saves within the same second), then every expert saves again 1.5–3.5 s
	// after each answer: the scoring page autosaves 2.5 s after the last change, so this is every
	// expert typing all the time.
	const paced = await savePhase(server, world, saver, SECONDS.save, PACE);
	const a = stats(paced.tally.latencies);
	const total = paced.tally.latencies.length + paced.tally.errors;
	console.log(`  a) autosave pace: 200 experts at once, each saving again ${PACE[0] / 1000}–${PACE[1] / 1000} s after each answer, ${SECONDS.save} s`);
	record('saves', 'a) autosave pace: requests/s', (total / paced.elapsed).toFixed(0));
	record('saves', 'a) latency p50', ms(a.p50));
	record('saves', 'a) latency p97.5', ms(a.p975));
	record('saves', 'a) latency p99', ms(a.p99), '< 50 ms', a.p99 < 50);
	record('saves', 'a) latency max', ms(a.max));
	const st = stats(paced.steady);
	record('saves', `a) after the first ${STEADY_AFTER / 1000} s: p50 / p97.5`, `${ms(st.p50)} / ${ms(st.p975)}`);
	record('saves', `a) after the first ${STEADY_AFTER / 1000} s: p99`, ms(st.p99), '< 50 ms', st.p99 < 50);
	record('saves', 'a) errors / non-2xx', `${paced.tally.errors} / ${paced.tally.non2xx}`, '0 / 0', paced.tally.errors + paced.tally.non2xx === 0);
	record('saves', 'a) server RSS peak', mb(paced.rss.peakKb));

	// b) The same 200 experts with no pause at all: the server's capacity (closed loop, autocannon).
	const cap = await capacityPhase(server, world, saver, SECONDS.capacity);
	const r = cap.result;
	console.log(`  b) closed loop: 200 connections saving without pause (autocannon), ${SECONDS.capacity} s`);
	record('saves', 'b) closed loop: requests/s (mean)', r.requests.average.toFixed(0));
	record('saves', 'b) latency p50', ms(r.latency.p50));
	record('saves', 'b) latency p97.5', ms(r.latency.p97_5));
	record('saves', 'b) latency p99', ms(r.latency.p99), `none; Little's law: 200 ÷ req/s ≈ ${ms(200000 / r.requests.average)}`);
	record('saves', 'b) errors / timeouts / non-2xx', `${r.errors} / ${r.timeouts} / ${r.non2xx}`, '0 / 0 / 0', r.errors + r.timeouts + r.non2xx === 0);
	record('saves', 'b) server RSS peak', mb(cap.rss.peakKb));
	record('saves', 'version conflicts (409) in a) and b)', String(saver.conflicts), '0', saver.conflicts === 0);
	const cut = await resync(world.file, saver);
	console.log(`    ${cut} saves were still out when b) stopped (stored without an answer): their sheets take the stored version`);

	const v = verifySaves(world.file, saver);
	record('saves', 'acknowledged sheets checked in the db / lost', `${int(v.checked)} / ${v.lost}`, '0 lost', v.lost === 0);
	if (v.detail.length) console.log(`    ${v.detail.join('\n    ')}`);
}

async function benchMixed(server: Server, world: BenchWorld, saver: Saver) {
	heading('4. Mixed load of a review day against the built server');
	const seconds = SECONDS.mixed;
	const kinds = { page: new Tally(), save: new Tally(), dashboard: new Tally(), move: new Tally() };
	const rss = rssSampler(server);

	// 50 meeting screens: 40 experts' laptops, 5 observers, 5 office screens. The experts' stream
	// says only that the meeting moved (seq, kind; never the application: issue 12 point 15), so
	// arrivals are counted per event seq, and the k-th move of the chair is the k-th move seq.
	const arrivals = new Map<number, number[]>();
	const seen = { events: 0 };
	const screens: Screen[] = [];
	for (let i = 0; i < 50; i++) {
		const [p, cookie] = i < 40 ? ['/expert/meeting/events', world.experts[i * 5].cookie] : i < 45 ? ['/observer/meeting/events', world.observers[i - 40]] : ['/office/meeting/events', world.office[(i - 45) % world.office.length]];
		screens.push(
			openScreen(server.base, p, cookie, (e, at) => {
				seen.events++;
				if (e.kind !== 'move') return;
				const list = arrivals.get(e.seq) ?? [];
				list.push(at);
				arrivals.set(e.seq, list);
			})
		);
	}
	await Promise.all(screens.map((sc) => sc.connected));
	console.log(`  50 SSE screens connected (40 expert, 5 observer, 5 office); ${seconds} s of load`);

	const until = performance.now() + seconds * 1000;
	const t0 = performance.now();
	const moves: { app: string; sent: number; answered: number; ok: boolean }[] = [];

	// The chair moves the meeting every 2 s (form action ?/move, as use:enhance posts it).
	const chair = (async () => {
		const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
		let i = 0;
		while (performance.now() < until - 1000) {
			const app = world.applications[(i++ * 37) % world.applications.length];
			const tick = performance.now();
			const a = await request(agent, server.base, 'POST', '/office/meeting?/move', actionHeaders(server.base, world.chair), `applicationId=${encodeURIComponent(app)}`);
			kinds.move.add(a);
			let ok = a.status === 200;
			try {
				ok = ok && JSON.parse(a.body).type === 'success';
			} catch {
				ok = false;
			}
			moves.push({ app, sent: tick, answered: tick + a.ms, ok });
			await sleep(Math.max(0, 2000 - (performance.now() - tick)));
		}
		agent.destroy();
	})();

	// Three office sessions refresh the dashboard every 5 s (staggered).
	const dashboards = world.office.slice(0, DASHBOARD.sessions).map(async (cookie, i) => {
		const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
		await sleep((i * DASHBOARD.every) / DASHBOARD.sessions);
		while (performance.now() < until) {
			const tick = performance.now();
			const a = await request(agent, server.base, 'GET', '/office/dashboard', { cookie, accept: 'text/html' });
			kinds.dashboard.add(a);
			await sleep(Math.max(0, DASHBOARD.every - (performance.now() - tick)));
		}
		agent.destroy();
	});

	// 200 experts in the middle of their work: open an assigned application (the scoring page,
	// HTML), then save their drafts SAVES_PER_READ times, MIXED_PACE after every answer. Each starts
	// at a random point of that cycle, so the load is steady from the start.
	const pause = (rng: () => number) => sleep(MIXED_PACE[0] + rng() * (MIXED_PACE[1] - MIXED_PACE[0]));
	const experts = world.experts.map(async (ex, i) => {
		const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
		const rng = seededRandom(`mixed-${i}`);
		let step = Math.floor(rng() * (SAVES_PER_READ + 1));
		await sleep(rng() * MIXED_PACE[1]);
		let k = i;
		let d = i;
		while (performance.now() < until) {
			if (step++ % (SAVES_PER_READ + 1) === 0) {
				const app = ex.apps[k++ % ex.apps.length];
				kinds.page.add(await request(agent, server.base, 'GET', `/expert/applications/${encodeURIComponent(app)}`, { cookie: ex.cookie, accept: 'text/html' }));
			} else {
				const draft = ex.drafts[d++ % ex.drafts.length];
				const sent = saver.body(draft, ex.id, rng);
				const a = await request(agent, server.base, 'POST', sheetPath(draft), jsonHeaders(server.base, ex.cookie), sent.json);
				kinds.save.add(a);
				saver.answer(draft, ex.id, a.status, a.body, sent);
			}
			await pause(rng);
		}
		agent.destroy();
	});

	await Promise.all([chair, ...dashboards, ...experts]);
	const elapsed = (performance.now() - t0) / 1000;
	await sleep(500); // late events
	for (const sc of screens) sc.close();
	const mem = rss.stop();

	const all = Object.values(kinds);
	const count = all.reduce((a, t) => a + t.latencies.length + t.errors, 0);
	// The work asked for: the intended rates (experts at most one request per mean pause) times what
	// each request costs alone. One Node.js thread can serve at most 1 s of work per second.
	const perExpert = world.experts.length / ((MIXED_PACE[0] + MIXED_PACE[1]) / 2000);
	const rates: Record<Kind, number> = {
		page: perExpert / (SAVES_PER_READ + 1),
		save: (perExpert * SAVES_PER_READ) / (SAVES_PER_READ + 1),
		dashboard: DASHBOARD.sessions / (DASHBOARD.every / 1000),
		move: 0.5
	};
	if (Object.keys(cost).length === 4) {
		const demand = (Object.keys(rates) as Kind[]).reduce((a, k) => a + (rates[k] * cost[k]!) / 1000, 0);
		const parts = (Object.keys(rates) as Kind[]).map((k) => `${k} ${rates[k].toFixed(1)}/s × ${ms(cost[k]!)}`).join(' + ');
		console.log(`  work asked for at the intended rates: ${parts} = ${demand.toFixed(2)} s per s`);
		record('mixed', 'work asked for (intended rates × cost alone)', `${demand.toFixed(2)} s/s${demand > 1 ? ', overloaded' : ''}`, 'one thread serves ≤ 1 s/s');
	}
	record('mixed', 'throughput, all HTTP requests', `${(count / elapsed).toFixed(0)} req/s`);
	const labels: Record<keyof typeof kinds, string> = { page: 'expert reads the scoring page (GET)', save: 'expert saves a draft (POST JSON)', dashboard: 'office dashboard (GET)', move: 'chair moves the meeting (POST ?/move)' };
	for (const [k, t] of Object.entries(kinds) as [keyof typeof kinds, Tally][]) {
		const st = stats(t.latencies);
		record('mixed', `${labels[k]}: n, req/s`, `${int(t.latencies.length + t.errors)}, ${((t.latencies.length + t.errors) / elapsed).toFixed(1)}/s`);
		record('mixed', `  p50 / p99`, `${ms(st.p50)} / ${ms(st.p99)}`);
		record('mixed', `  errors / non-2xx`, `${t.errors} / ${t.non2xx}`, '0 / 0', t.errors + t.non2xx === 0);
		if (t.errors + t.non2xx) console.log(`    ${[...t.errorKinds, ...[...t.statuses].filter(([c]) => c > 299).map(([c, n]) => [`HTTP ${c}`, n])].map(([k, n]) => `${k} × ${n}`).join(', ')}`);
	}
	// SSE delivery: from the answer of the move (and from the click) to the event at each screen.
	const afterAnswer: number[] = [];
	const afterClick: number[] = [];
	let missing = 0;
	const moveSeqs = [...arrivals.keys()].sort((a, b) => a - b);
	for (const [k, m] of moves.filter((x) => x.ok).entries()) {
		const got = arrivals.get(moveSeqs[k]) ?? [];
		missing += Math.max(0, 50 - got.length);
		for (const at of got) {
			afterAnswer.push(at - m.answered);
			afterClick.push(at - m.sent);
		}
	}
	const sa = stats(afterAnswer);
	const sc = stats(afterClick);
	record('mixed', `SSE: moves, events delivered / expected`, `${moves.length}, ${int(afterAnswer.length)} / ${int(moves.filter((m) => m.ok).length * 50)}`, 'all', missing === 0 && moves.length > 0);
	record('mixed', 'SSE delay after the answer p50 / p99', `${ms(sa.p50)} / ${ms(sa.p99)}`);
	record('mixed', 'SSE delay after the answer max', ms(sa.max), '< 1 s (own)', sa.max < 1000);
	record('mixed', 'SSE delay after the click p50 / p99 / max', `${ms(sc.p50)} / ${ms(sc.p99)} / ${ms(sc.max)}`);
	record('mixed', 'server RSS peak / at the end', `${mb(mem.peakKb)} / ${mb(mem.endKb)}`);
	record('mixed', 'version conflicts (409) since the start', String(saver.conflicts), '0', saver.conflicts === 0);
	record('mixed', 'requests resent on a just-closed keep-alive connection', String(resent));
}

/* ------------------------------------------------------------------ main */

function machine() {
	const cpu = (fs.readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) ?? [])[1] ?? os.cpus()[0]?.model ?? '?';
	const load = os.loadavg().map((x) => x.toFixed(2)).join(' ');
	return `${os.cpus().length} cores (${cpu}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GB RAM, Node ${process.version}, load average ${load}`;
}

function summary() {
	console.log('\n=== Summary ===');
	console.log('| benchmark | measure | value | target | |');
	console.log('|---|---|---|---|---|');
	for (const r of rows) console.log(`| ${r.bench} | ${r.measure.trim()} | ${r.value} | ${r.target} | ${r.met === null ? '' : r.met ? '✓ met' : '✗ **MISSED**'} |`);
	const missed = rows.filter((r) => r.met === false);
	console.log(`\n${missed.length ? `✗ ${missed.length} target(s) MISSED: ${missed.map((r) => `${r.bench} – ${r.measure.trim()}`).join('; ')}` : '✓ every target met'}`);
	console.log(`total time ${((Date.now() - started) / 1000).toFixed(0)} s; ${machine()}`);
}

async function main() {
	console.log(`评审工作台 benchmarks — ${machine()}`);
	fs.mkdirSync(WORK, { recursive: true });
	const dbFile = path.join(WORK, `province-${process.pid}.db`);
	let server: Server | null = null;
	// Interrupted (Ctrl-C): stop the server and remove the database all the same.
	for (const signal of ['SIGINT', 'SIGTERM'] as const) {
		process.once(signal, () => {
			server?.child.kill('SIGKILL');
			if (!KEEP) removeDbFiles(dbFile);
			try {
				fs.rmdirSync(WORK);
			} catch {
				/* not empty */
			}
			process.exit(130);
		});
	}
	try {
		if (only.has('draw')) await benchDraw();
		if (only.has('aggregation')) benchAggregation();
		if (only.has('commit')) benchCommits();
		const needWorld = only.has('dashboard') || only.has('save') || only.has('mixed');
		if (needWorld) {
			if (only.has('save') || only.has('mixed')) ensureBuild();
			const t = Date.now();
			const { world, db, setDrafts } = await buildWorld(dbFile);
			console.log(`\n  province database built in ${((Date.now() - t) / 1000).toFixed(1)} s: ${world.applications.length} applications, ${world.experts.length} experts`);
			if (only.has('dashboard')) benchDashboard(db);
			setDrafts();
			const saver = new Saver(world);
			loadVersions(db, saver);
			db.$client.close();
			if (only.has('save') || only.has('mixed')) {
				server = await startServer(dbFile);
				// How the server commits (a server from before /healthz reported it shows "?").
				const health = (await (await fetch(`${server.base}/healthz`)).json()) as { journalMode?: string; synchronous?: string };
				record('server', 'SQLite journal mode / synchronous (/healthz)', `${health.journalMode ?? '?'} / ${health.synchronous ?? '?'}`);
				if (only.has('save')) await benchSaves(server, world, saver);
				await serviceTimes(server, world, saver);
				if (only.has('mixed')) await benchMixed(server, world, saver);
				// Durability: kill the server hard, then every acknowledged save must be in the file
				// (with BENCH_NODE_ARGS, e.g. --cpu-prof, a clean stop so that the profile is written).
				record('server', 'server RSS high-water mark (VmHWM)', mb(server.hwmKb()));
				const hard = !process.env.BENCH_NODE_ARGS;
				await server.stop(hard ? 'SIGKILL' : 'SIGTERM');
				server = null;
				const v = verifySaves(dbFile, saver);
				record('server', `after ${hard ? 'kill -9' : 'SIGTERM'}: acknowledged sheets checked / lost`, `${int(v.checked)} / ${v.lost}`, '0 lost', v.lost === 0);
			}
		}
		if (only.has('throttle')) await benchThrottle({ work: WORK, ensureBuild, startServer, record, heading });
	} finally {
		if (server) await server.stop('SIGKILL');
		if (KEEP) console.log(`\n  kept ${path.relative(ROOT, dbFile)}`);
		else removeDbFiles(dbFile);
		try {
			fs.rmdirSync(WORK);
		} catch {
			/* other files there: leave the directory */
		}
	}
	summary();
}

main().then(
	() => process.exit(0),
	(e) => {
		console.error(e);
		summary();
		process.exit(1);
	}
);
