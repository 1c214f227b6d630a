/**
 * Sessions end with the password and the account, against the built server: changing one's own
 * password at /account/password, the system administrator's reset at /admin/users (the office
 * manages expert accounts only), the office's deactivation of an expert at /office/users. After each,
 * every cookie the account had (this browser and another device) is refused — a page sends it to
 * the login, an endpoint writes nothing — while the office's own session goes on. Passwords, old
 * or new, never reach the server output or the audit log.
 *
 * (tests/integration/auth.spec.ts checks the services resetPassword and setUserActive against an
 * in-memory database; this file checks the pages, the change of one's own password, and the
 * cookies a browser really holds.)
 */
import { describe, expect, it } from 'vitest';
import { sessionCookie, serveFile } from './harness';
import { postAction, request, type Answer } from './http';
import { DEMO_PASSWORDS } from '../../src/lib/server/demo/seed';
import { SESSION_COOKIE } from '../../src/lib/server/auth';
import { LOGIN_REFUSED } from '../../src/lib/server/services/login';

type Account = { username: string; id: string; expertId: string | null; role: string };

let office: string;
let sysadmin: string;
let selfChanger: Account;
let resetTarget: Account;
let deactivated: Account;
/** Two sessions per account: "this browser" and "another device". */
const cookies = new Map<string, [string, string]>();
/** Every password typed or handed out in this file. */
const passwords: string[] = Object.values(DEMO_PASSWORDS);

const served = serveFile('sessions', (db) => {
	const pick = (q: string) => db.$client.prepare(q).get() as Account;
	selfChanger = pick(`SELECT username, id, expert_id AS expertId, role FROM users WHERE role = 'expert' AND active = 1 ORDER BY username LIMIT 1`);
	deactivated = pick(`SELECT username, id, expert_id AS expertId, role FROM users WHERE role = 'expert' AND active = 1 ORDER BY username LIMIT 1 OFFSET 1`);
	resetTarget = pick(`SELECT username, id, expert_id AS expertId, role FROM users WHERE role = 'city' AND active = 1 ORDER BY username LIMIT 1`);
	office = sessionCookie(db, 'office');
	sysadmin = sessionCookie(db, 'sysadmin');
	for (const a of [selfChanger, deactivated, resetTarget]) cookies.set(a.username, [sessionCookie(db, a.username), sessionCookie(db, a.username)]);
});

const sessionsOf = (a: Account) => (served.look.prepare('SELECT count(*) FROM sessions WHERE user_id = ?').pluck().get(a.id) as number);

/** A form posted by a browser without JavaScript (an HTML answer: 303 on success, the page with 400 on failure). */
const FORM = { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' };

/** A page every signed-in role may open. */
const ACCOUNT_PAGE = '/account/password';

async function accepted(cookie: string): Promise<boolean> {
	const a = await request(served.server.base, 'GET', ACCOUNT_PAGE, { cookie });
	if (a.status === 200) return true;
	expect(a.status, `${ACCOUNT_PAGE}：HTTP ${a.status}`).toBe(303);
	expect(a.location).toMatch(/^\/login\b/);
	// The refused cookie is also cleared in the browser.
	expect(a.headers.getSetCookie().some((c) => c.startsWith(`${SESSION_COOKIE}=;`) && /Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(c))).toBe(true);
	return false;
}

function newSessionCookie(a: Answer): string {
	const set = a.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`) && !c.startsWith(`${SESSION_COOKIE}=;`));
	expect(set, '应设置新的会话 Cookie').toBeTruthy();
	return set!.split(';')[0];
}

async function signIn(username: string, password: string): Promise<Answer> {
	return request(served.server.base, 'POST', '/login', {
		headers: FORM,
		body: new URLSearchParams({ username, password })
	});
}

/** A write with a refused cookie must not get through (the sheet autosave endpoint of an expert). */
async function writeRefused(cookie: string, expertId: string): Promise<void> {
	const app = served.look.prepare('SELECT application_id FROM assignments WHERE expert_id = ? ORDER BY application_id').pluck().get(expertId) as string;
	const before = served.look.prepare('SELECT version FROM score_sheets WHERE application_id = ? AND expert_id = ?').pluck().get(app, expertId) ?? null;
	const a = await request(served.server.base, 'POST', `/expert/applications/${app}/sheet`, {
		cookie,
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ version: before ?? 0, points: {} })
	});
	expect(a.verdict, `旧 Cookie 写入评分表：HTTP ${a.status}`).toBe('login');
	expect(served.look.prepare('SELECT version FROM score_sheets WHERE application_id = ? AND expert_id = ?').pluck().get(app, expertId) ?? null).toBe(before);
}

describe('sessions end on password change and deactivation', () => {
	it('changing one’s own password ends every session of the account; this browser gets a fresh one', async () => {
		const [here, elsewhere] = cookies.get(selfChanger.username)!;
		expect(await accepted(here)).toBe(true);
		expect(await accepted(elsewhere)).toBe(true);
		expect(sessionsOf(selfChanger)).toBe(2);

		const next = 'NeuesPasswort2024x';
		passwords.push(next);
		const wrong = await request(served.server.base, 'POST', '/account/password', {
			cookie: here,
			headers: FORM,
			body: new URLSearchParams({ current: 'not-the-password-1', next, repeat: next })
		});
		expect(wrong.status).toBe(400);
		expect(await accepted(elsewhere), '当前密码错误时不应结束会话').toBe(true);

		const changed = await request(served.server.base, 'POST', '/account/password', {
			cookie: here,
			headers: FORM,
			body: new URLSearchParams({ current: DEMO_PASSWORDS.expert, next, repeat: next })
		});
		expect(changed.status).toBe(303);
		const fresh = newSessionCookie(changed);
		expect(fresh).not.toBe(here);

		expect(await accepted(here), '本浏览器的旧会话应失效').toBe(false);
		expect(await accepted(elsewhere), '其他设备上的会话应失效').toBe(false);
		await writeRefused(elsewhere, selfChanger.expertId!);
		expect(await accepted(fresh)).toBe(true);
		expect(sessionsOf(selfChanger)).toBe(1);

		expect((await signIn(selfChanger.username, DEMO_PASSWORDS.expert)).status, '旧密码不能再登录').toBe(400);
		const again = await signIn(selfChanger.username, next);
		expect(again.status).toBe(303);
		expect(await accepted(newSessionCookie(again))).toBe(true);
	});

	it('the system administrator’s password reset ends every session of that account, not its own; the office may not reset a city account', async () => {
		const [here, elsewhere] = cookies.get(resetTarget.username)!;
		expect(await accepted(here)).toBe(true);
		const refused = await postAction(served.server.base, '/office/users', 'reset', office, new URLSearchParams({ username: resetTarget.username }));
		expect(refused.action?.type, JSON.stringify(refused.action)).toBe('failure');
		expect(refused.action?.status).toBe(403);
		expect(await accepted(here), '省厅不能重置市局账号').toBe(true);
		const a = await postAction(served.server.base, '/admin/users', 'reset', sysadmin, new URLSearchParams({ username: resetTarget.username }));
		expect(a.action?.type, JSON.stringify(a.action)).toBe('success');
		const issued = served.look.prepare('SELECT must_change_password FROM users WHERE id = ?').pluck().get(resetTarget.id);
		expect(issued).toBe(1);
		// The generated password is shown once to the system administrator (in the answer); keep it to look for it in the logs.
		const generated = (a.action?.data ?? '').match(/"([A-Za-z2-9]{12})"/g)?.map((x) => x.slice(1, -1)) ?? [];
		expect(generated, JSON.stringify(a.action)).toHaveLength(1);
		passwords.push(...generated);

		expect(await accepted(here)).toBe(false);
		expect(await accepted(elsewhere)).toBe(false);
		expect(sessionsOf(resetTarget)).toBe(0);
		expect(await accepted(sysadmin), '系统管理员自己的会话不受影响').toBe(true);
		expect((await signIn(resetTarget.username, DEMO_PASSWORDS.city)).status, '旧密码不能再登录').toBe(400);
		// The handed-out password signs in, straight to choosing one's own.
		const first = await signIn(resetTarget.username, generated[0]);
		expect(first.status).toBe(303);
		expect(first.location).toBe('/account/password?first=1');
		expect(await accepted(newSessionCookie(first))).toBe(true);
	});

	it('deactivation ends every session; the account cannot sign in; reactivation does not revive old cookies', async () => {
		const [here, elsewhere] = cookies.get(deactivated.username)!;
		expect(await accepted(here)).toBe(true);
		const off = await postAction(served.server.base, '/office/users', 'toggle', office, new URLSearchParams({ username: deactivated.username, active: '0' }));
		expect(off.action?.type, JSON.stringify(off.action)).toBe('success');
		expect(served.look.prepare('SELECT active FROM users WHERE id = ?').pluck().get(deactivated.id)).toBe(0);

		expect(await accepted(here)).toBe(false);
		expect(await accepted(elsewhere)).toBe(false);
		await writeRefused(elsewhere, deactivated.expertId!);
		expect(sessionsOf(deactivated)).toBe(0);
		const refused = await signIn(deactivated.username, DEMO_PASSWORDS.expert);
		expect(refused.status).toBe(400);
		// The same answer as for a wrong password: a deactivated account is not revealed.
		expect(refused.body).toContain(LOGIN_REFUSED);
		expect(refused.body).not.toContain('停用');
		expect(refused.headers.getSetCookie().some((c) => c.startsWith(`${SESSION_COOKIE}=`) && !c.startsWith(`${SESSION_COOKIE}=;`))).toBe(false);

		// The office cannot deactivate itself (and keeps its session).
		const self = await postAction(served.server.base, '/office/users', 'toggle', office, new URLSearchParams({ username: 'office', active: '0' }));
		expect(self.action?.type).toBe('failure');
		expect(await accepted(office)).toBe(true);

		const on = await postAction(served.server.base, '/office/users', 'toggle', office, new URLSearchParams({ username: deactivated.username, active: '1' }));
		expect(on.action?.type).toBe('success');
		expect(await accepted(here), '重新启用不应恢复旧会话').toBe(false);
		const back = await signIn(deactivated.username, DEMO_PASSWORDS.expert);
		expect(back.status).toBe(303);
		expect(await accepted(newSessionCookie(back))).toBe(true);
	});

	it('no password, old or new, is in the server output or the audit log', () => {
		const audit = (served.look.prepare('SELECT actor, action, entity, entity_id, detail FROM audit_log').raw().all() as unknown[][]).map((r) => r.join(' ')).join('\n');
		expect(audit).toMatch(/user\.reset-password/);
		expect(audit).toMatch(/user\.deactivate/);
		const output = served.server.output();
		for (const p of passwords) {
			expect(output.includes(p), `服务器输出含有密码 ${p.slice(0, 2)}…`).toBe(false);
			expect(audit.includes(p), `审计日志含有密码 ${p.slice(0, 2)}…`).toBe(false);
		}
	});
});
