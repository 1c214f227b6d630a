/**
 * Sign-in and sessions against the built server (issue 12, points 4–7 and 9; GB/T 22239-2019
 * 8.1.4.1), started with SESSION_IDLE_MINUTES=1 and ADDRESS_HEADER=x-forwarded-for (adapter-node
 * takes the client address from that header, so one test can come from several addresses):
 *
 * - idle timeout and absolute cap: time is moved by setting `sessions.last_seen_at` /
 *   `created_at` back in the database instead of waiting; an ended session sends pages to the
 *   login and refuses the sheet's autosave, writing nothing; the cookie expires with the cap;
 * - `redirectTo` never leaves the site, signed in or signing in;
 * - initial, reset and expired passwords open only the password page: pages and form actions are
 *   sent there, endpoints answer 403, nothing is written;
 * - lockout per (username, address): the attacker's address is locked, the owner's is not; one
 *   message and similar timing for unknown, wrong, locked and deactivated;
 * - sign-in successes, failures and locks are in the audit log with the address, without passwords.
 */
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { serveFile, sessionCookie, withDb } from './harness';
import { request, type Answer } from './http';
import { DEMO_PASSWORDS } from '../../src/lib/server/demo/seed';
import { SESSION_COOKIE, sessionIdOf } from '../../src/lib/server/auth';
import { LOGIN_REFUSED } from '../../src/lib/server/services/login';
import * as s from '../../src/lib/server/db/schema';

const addr = (n: number) => `203.0.113.${n}`;
const HOUR = 3_600_000;

let deactivated = '';
let expert = { username: '', expertId: '', app: '' };

const served = serveFile(
	'sign-in',
	(db) => {
		const pick = (q: string) => db.$client.prepare(q).get() as Record<string, string>;
		deactivated = pick(`SELECT username FROM users WHERE role = 'expert' ORDER BY username DESC LIMIT 1`).username;
		db.update(s.users).set({ active: false }).where(eq(s.users.username, deactivated)).run();
		// An expert who signed the commitment and has a draft sheet to save.
		const row = pick(`SELECT u.username, u.expert_id AS expertId, a.application_id AS app FROM users u
			JOIN commitments c ON c.expert_id = u.expert_id
			JOIN assignments a ON a.expert_id = u.expert_id
			LEFT JOIN score_sheets sh ON sh.application_id = a.application_id AND sh.expert_id = u.expert_id
			WHERE u.role = 'expert' AND u.active = 1 AND (sh.status IS NULL OR sh.status = 'draft')
			ORDER BY u.username LIMIT 1`);
		expert = { username: row.username, expertId: row.expertId, app: row.app };
	},
	{ SESSION_IDLE_MINUTES: '1', ADDRESS_HEADER: 'x-forwarded-for', XFF_DEPTH: '1' }
);

const FORM = { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' };

function signIn(username: string, password: string, from: string, query = ''): Promise<Answer> {
	return request(served.server.base, 'POST', `/login${query}`, {
		headers: { ...FORM, 'x-forwarded-for': from },
		body: new URLSearchParams({ username, password })
	});
}

function cookieOf(a: Answer): string {
	const set = a.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`) && !c.startsWith(`${SESSION_COOKIE}=;`));
	expect(set, `应设置会话 Cookie（HTTP ${a.status}）`).toBeTruthy();
	return set!.split(';')[0];
}

const tokenOf = (cookie: string) => cookie.slice(SESSION_COOKIE.length + 1);
const page = (path: string, cookie: string | null, extra: Record<string, string> = {}) =>
	request(served.server.base, 'GET', path, { cookie, headers: { accept: 'text/html', ...extra } });

/** Moves a session's last use (or its start) back in the database, as if time had passed. */
function age(cookie: string, field: 'last_seen_at' | 'created_at', msAgo: number): void {
	const at = Date.now() - msAgo;
	withDb(served.dbFile, (db) =>
		db.$client.prepare(`UPDATE sessions SET ${field} = ? WHERE id = ?`).run(field === 'created_at' ? new Date(at).toISOString() : at, sessionIdOf(tokenOf(cookie)))
	);
}

const sessionRow = (cookie: string) =>
	served.look.prepare('SELECT last_seen_at AS lastSeen, address FROM sessions WHERE id = ?').get(sessionIdOf(tokenOf(cookie))) as
		| { lastSeen: number; address: string }
		| undefined;

function audits(action: string): { actor: string; detail: Record<string, unknown> }[] {
	return (served.look.prepare('SELECT actor, detail FROM audit_log WHERE action = ? ORDER BY id').all(action) as { actor: string; detail: string }[]).map((r) => ({
		actor: r.actor,
		detail: JSON.parse(r.detail)
	}));
}

describe('idle timeout and absolute cap (SESSION_IDLE_MINUTES=1)', () => {
	it('a session unused for a minute ends; any request before that keeps it', async () => {
		const cookie = cookieOf(await signIn('observer', DEMO_PASSWORDS.observer, addr(30)));
		expect(sessionRow(cookie)?.address).toBe(addr(30));
		expect((await page('/observer', cookie)).status).toBe(200);

		age(cookie, 'last_seen_at', 50_000);
		expect((await page('/observer', cookie)).status).toBe(200);
		// The request counted as use: the last use is now again.
		expect(Date.now() - sessionRow(cookie)!.lastSeen).toBeLessThan(10_000);

		age(cookie, 'last_seen_at', 61_000);
		const ended = await page('/observer', cookie);
		expect(ended.status).toBe(303);
		expect(ended.location).toBe('/login?redirectTo=%2Fobserver');
		expect(ended.headers.getSetCookie().some((c) => c.startsWith(`${SESSION_COOKIE}=;`))).toBe(true);
		expect(sessionRow(cookie)).toBeUndefined();
	});

	it('an ended session’s autosave writes nothing and is answered as “sign in again”', async () => {
		const cookie = cookieOf(await signIn(expert.username, DEMO_PASSWORDS.expert, addr(31)));
		const version = () =>
			(served.look.prepare('SELECT version FROM score_sheets WHERE application_id = ? AND expert_id = ?').pluck().get(expert.app, expert.expertId) as number | undefined) ?? 0;
		// The scoring page carries what its warning needs: the idle time (1 min) and the cap.
		const sheetPage = await page(`/expert/applications/${expert.app}`, cookie);
		expect(sheetPage.status).toBe(200);
		expect(sheetPage.body).toMatch(/idleMs:6e4|idleMs:60000/);
		const before = version();
		age(cookie, 'last_seen_at', 61_000);
		const save = await request(served.server.base, 'POST', `/expert/applications/${expert.app}/sheet`, {
			cookie,
			headers: { 'content-type': 'application/json', accept: 'application/json' },
			body: JSON.stringify({ version: before, points: {}, comments: {}, comment: '超时后的保存' })
		});
		expect(save.verdict).toBe('login');
		expect(version()).toBe(before);
	});

	it('the keep-alive (继续) counts as use and says when the session ends', async () => {
		const cookie = cookieOf(await signIn('observer', DEMO_PASSWORDS.observer, addr(32)));
		age(cookie, 'last_seen_at', 55_000);
		const ping = await request(served.server.base, 'GET', '/account/session', { cookie, headers: { accept: 'application/json' } });
		expect(ping.status).toBe(200);
		const body = JSON.parse(ping.body) as { now: number; idleEndsAt: number; capEndsAt: number };
		expect(body.idleEndsAt - body.now).toBeGreaterThan(50_000);
		expect(body.capEndsAt - body.now).toBeGreaterThan(11 * HOUR);
		// The last use was 55 s ago; the keep-alive made it now.
		expect(Date.now() - sessionRow(cookie)!.lastSeen).toBeLessThan(10_000);
		age(cookie, 'last_seen_at', 30_000);
		expect((await page('/observer', cookie)).status).toBe(200);
	});

	it('a session ends at the cap however busy, and its cookie expires then (not 30 days later)', async () => {
		const signedIn = await signIn('observer', DEMO_PASSWORDS.observer, addr(33));
		const cookie = cookieOf(signedIn);
		const expires = /Expires=([^;]+)/i.exec(signedIn.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`))!)?.[1];
		expect(Math.abs(Date.parse(expires!) - (Date.now() + 12 * HOUR))).toBeLessThan(120_000);
		age(cookie, 'created_at', 12 * HOUR - 60_000);
		expect((await page('/observer', cookie)).status).toBe(200);
		age(cookie, 'created_at', 12 * HOUR + 1000);
		expect((await page('/observer', cookie)).location).toMatch(/^\/login/);
	});
});

describe('redirectTo never leaves the site', () => {
	const hostile = [
		'?redirectTo=/%09/evil.example',
		'?redirectTo=%2F%09%2Fevil.example',
		'?redirectTo=/%0a/evil.example',
		'?redirectTo=//evil.example',
		'?redirectTo=/%5Cevil.example',
		'?redirectTo=/\\evil.example',
		'?redirectTo=%2F%2Fevil.example',
		'?redirectTo=/%252F%252Fevil.example',
		'?redirectTo=https://evil.example',
		'?redirectTo=javascript:alert(1)',
		'?redirectTo=/office%0d%0aSet-Cookie:x=1'
	];

	function expectHome(a: Answer, home: string, q: string) {
		expect(a.status, q).toBe(303);
		expect(a.location, q).toBe(home);
		expect(new URL(a.location!, served.server.base).origin).toBe(served.server.base);
	}

	it('while signing in', async () => {
		let n = 0;
		for (const q of hostile) expectHome(await signIn('office', DEMO_PASSWORDS.office, addr(40 + (n++ % 5)), q), '/office', q);
		const ok = await signIn('office', DEMO_PASSWORDS.office, addr(45), '?redirectTo=%2Foffice%2Fapplications%3Fstatus%3Drecommended');
		expect(ok.location).toBe('/office/applications?status=recommended');
	});

	it('when already signed in', async () => {
		const cookie = sessionCookie_('office');
		for (const q of hostile) expectHome(await page(`/login${q}`, cookie), '/office', q);
		expect((await page('/login?redirectTo=/office/results', cookie)).location).toBe('/office/results');
	});
});

/** The least a city's draft needs (an occupation and the unit's name). */
function draftBody(name: string): URLSearchParams {
	const occupation = served.look.prepare('SELECT key FROM occupations ORDER BY key LIMIT 1').pluck().get() as string;
	return new URLSearchParams({ occupation, 'inst.name': name });
}

/** A session made straight in the database for an existing account (like the harness's sessionCookie). */
function sessionCookie_(username: string): string {
	return withDb(served.dbFile, (db) => sessionCookie(db, username));
}

describe('an initial, reset or expired password opens nothing else', () => {
	it('pages and form actions go to the password page, endpoints answer 403, nothing is written', async () => {
		withDb(served.dbFile, (db) => db.update(s.users).set({ mustChangePassword: true }).where(eq(s.users.username, 'city-dalian')).run());
		const cookie = sessionCookie_('city-dalian');
		const count = () => served.look.prepare('SELECT count(*) FROM applications').pluck().get() as number;
		const before = count();

		const home = await page('/city', cookie);
		expect([home.status, home.location]).toEqual([303, '/account/password']);
		expect(home.headers.get('x-content-type-options')).toBe('nosniff');
		const data = await request(served.server.base, 'GET', '/city/__data.json?x-sveltekit-invalidated=01', { cookie });
		expect(data.body).toContain('"location":"/account/password"');

		const body = draftBody('必须先改密码有限公司');
		const enhanced = await request(served.server.base, 'POST', '/city/applications/new?type=training&/save', {
			cookie,
			headers: { accept: 'application/json', 'x-sveltekit-action': 'true', 'content-type': 'application/x-www-form-urlencoded' },
			body
		});
		expect(enhanced.body).toContain('"location":"/account/password"');
		const plain = await request(served.server.base, 'POST', '/city/applications/new?type=training&/save', { cookie, headers: FORM, body });
		expect([plain.status, plain.location]).toEqual([303, '/account/password']);

		const endpoint = await request(served.server.base, 'GET', '/city/template', { cookie });
		expect(endpoint.status).toBe(403);
		expect(endpoint.body).toContain('请先修改密码');
		expect(endpoint.headers.get('cache-control')).toContain('no-store');
		expect((await request(served.server.base, 'GET', '/account/session', { cookie, headers: { accept: 'application/json' } })).status).toBe(403);
		expect(count()).toBe(before);

		// What stays open: the password page, the health check, signing out.
		expect((await page('/account/password', cookie)).status).toBe(200);
		expect((await request(served.server.base, 'GET', '/healthz', { cookie })).status).toBe(200);
		const out = await request(served.server.base, 'POST', '/logout', { cookie, headers: FORM });
		expect([out.status, out.location]).toEqual([303, '/login']);
	});

	it('the expert’s sheet endpoint refuses to save until the password is changed', async () => {
		withDb(served.dbFile, (db) => db.update(s.users).set({ mustChangePassword: true }).where(eq(s.users.username, expert.username)).run());
		const cookie = sessionCookie_(expert.username);
		const version = () =>
			(served.look.prepare('SELECT version FROM score_sheets WHERE application_id = ? AND expert_id = ?').pluck().get(expert.app, expert.expertId) as number | undefined) ?? 0;
		const before = version();
		const save = await request(served.server.base, 'POST', `/expert/applications/${expert.app}/sheet`, {
			cookie,
			headers: { 'content-type': 'application/json', accept: 'application/json' },
			body: JSON.stringify({ version: before, points: {}, comments: {}, comment: '未改密码的保存' })
		});
		expect(save.status).toBe(403);
		expect(version()).toBe(before);
		withDb(served.dbFile, (db) => db.update(s.users).set({ mustChangePassword: false }).where(eq(s.users.username, expert.username)).run());
	});

	it('an expired password (older than 90 days) too; after the change everything opens', async () => {
		const old = new Date(Date.now() - 91 * 24 * HOUR).toISOString();
		withDb(served.dbFile, (db) => db.update(s.users).set({ passwordChangedAt: old }).where(eq(s.users.username, 'city-shenyang')).run());
		const signedIn = await signIn('city-shenyang', DEMO_PASSWORDS.city, addr(35));
		expect(signedIn.location).toBe('/account/password?first=1');
		const cookie = cookieOf(signedIn);
		expect((await page('/city', cookie)).location).toBe('/account/password');
		const form = await page('/account/password', cookie);
		expect(form.body).toContain('已使用超过 90 天');
		const next = 'Shenyang-Review-2026';
		const changed = await request(served.server.base, 'POST', '/account/password', {
			cookie,
			headers: { ...FORM, 'x-forwarded-for': addr(35) },
			body: new URLSearchParams({ current: DEMO_PASSWORDS.city, next, repeat: next })
		});
		expect([changed.status, changed.location]).toEqual([303, '/city']);
		const fresh = cookieOf(changed);
		expect((await page('/city', fresh)).status).toBe(200);
		// The form action that was refused before runs now (it creates the draft).
		const drafts = () => served.look.prepare('SELECT count(*) FROM applications').pluck().get() as number;
		const before = drafts();
		const action = await request(served.server.base, 'POST', '/city/applications/new?type=training&/save', {
			cookie: fresh,
			headers: { accept: 'application/json', 'x-sveltekit-action': 'true', 'content-type': 'application/x-www-form-urlencoded' },
			body: draftBody('改密后新建的机构')
		});
		expect(action.action?.type, action.body).toBe('redirect');
		expect(action.action?.location).toMatch(/^\/city\/applications\//);
		expect(drafts()).toBe(before + 1);
		expect(audits('user.change-password').at(-1)?.detail).toEqual({ username: 'city-shenyang', address: addr(35) });
	});
});

describe('lockout per (username, address), one message, similar timing', () => {
	it('five failures lock the attacker’s address only; the owner signs in from theirs; all audited with the address', async () => {
		for (let i = 0; i < 5; i++) {
			const a = await signIn('city-anshan', `Guess-number-${i}`, addr(10));
			expect(a.status).toBe(400);
			expect(a.body).toContain(LOGIN_REFUSED);
		}
		const locked = await signIn('city-anshan', DEMO_PASSWORDS.city, addr(10));
		expect(locked.status).toBe(400);
		expect(locked.body).toContain(LOGIN_REFUSED);
		const owner = await signIn('city-anshan', DEMO_PASSWORDS.city, addr(11));
		expect([owner.status, owner.location]).toEqual([303, '/city']);

		expect(audits('user.locked').map((e) => e.detail)).toEqual([{ username: 'city-anshan', address: addr(10), failures: 5, minutes: 15 }]);
		const failed = audits('user.login-failed').filter((e) => e.detail.address === addr(10));
		expect(failed.map((e) => e.detail.reason)).toEqual(['password', 'password', 'password', 'password', 'password', 'locked']);
		expect(audits('user.login').some((e) => e.actor === 'city-anshan' && e.detail.address === addr(11))).toBe(true);
		const log = JSON.stringify(served.look.prepare('SELECT * FROM audit_log').all());
		expect(log).not.toContain('Guess-number');
		expect(log).not.toContain(DEMO_PASSWORDS.city);
	});

	it('unknown user, wrong password, locked pair and deactivated account take similar time (loose bound)', async () => {
		for (let i = 0; i < 5; i++) await signIn('observer', `Wrong-guess-${i}`, addr(50));
		const kinds: Record<string, (i: number) => [string, string, string]> = {
			wrong: (i) => ['observer', 'Wrong-pass-1', addr(60 + i)],
			unknown: (i) => [`nobody-${i}`, 'Wrong-pass-1', addr(70 + i)],
			locked: () => ['observer', DEMO_PASSWORDS.observer, addr(50)],
			deactivated: (i) => [deactivated, DEMO_PASSWORDS.expert, addr(80 + i)]
		};
		const times: Record<string, number[]> = { wrong: [], unknown: [], locked: [], deactivated: [] };
		await signIn('observer', 'Warm-up-pass-1', addr(99));
		for (let i = 0; i < 7; i++) {
			for (const [kind, args] of Object.entries(kinds)) {
				const t = performance.now();
				const a = await signIn(...args(i));
				times[kind].push(performance.now() - t);
				expect(a.status, kind).toBe(400);
				expect(a.body, kind).toContain(LOGIN_REFUSED);
			}
		}
		const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
		const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
		for (const kind of ['unknown', 'locked', 'deactivated']) {
			expect(m[kind], `${kind} ${JSON.stringify(m)}`).toBeGreaterThan(m.wrong / 2);
			expect(m[kind], `${kind} ${JSON.stringify(m)}`).toBeLessThan(m.wrong * 2);
		}
	});
});
