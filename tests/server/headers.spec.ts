/**
 * On real responses of the built server: security headers and the Content Security Policy, the
 * session cookie's flags (Secure behind https), CSRF (a cross-origin form POST is refused and
 * writes nothing) and the per-address sign-in limit.
 */
import { describe, expect, inject, it } from 'vitest';
import { freePort, freshDb, removeDb, sessionCookie, startServer, serveFile } from './harness';
import { get, request } from './http';
import { fingerprint } from '../support/hostile';
import { DEMO_PASSWORDS } from '../../src/lib/server/demo/seed';
import { LOGIN_REFUSED } from '../../src/lib/server/services/login';

let office: string;

const served = serveFile('headers', (db) => {
	office = sessionCookie(db, 'office');
});

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

function login(base: string, username: string, password: string, origin = base, contentType = 'application/x-www-form-urlencoded') {
	// As a browser submits a form without JavaScript (text/html: a 303 redirect or the page, not JSON).
	return request(base, 'POST', '/login', { headers: { origin, 'content-type': contentType, accept: 'text/html' }, body: form({ username, password }) });
}

function cspOf(h: Headers): Map<string, string[]> {
	const text = h.get('content-security-policy') ?? '';
	return new Map(
		text
			.split(';')
			.map((d) => d.trim().split(/\s+/))
			.filter((d) => d[0])
			.map(([name, ...values]) => [name, values])
	);
}

describe('security headers', () => {
	const COMMON: Record<string, string> = {
		'x-content-type-options': 'nosniff',
		'referrer-policy': 'same-origin',
		'x-frame-options': 'SAMEORIGIN',
		'permissions-policy': 'camera=(), microphone=(), geolocation=()'
	};

	it('every kind of response carries them: page, signed-in page, JSON, redirect, 403, 404', async () => {
		const answers = {
			login: await get(served.server.base, '/login', null),
			office: await get(served.server.base, '/office', office),
			json: await get(served.server.base, '/healthz', null),
			redirect: await get(served.server.base, '/office/applications', null),
			forbidden: await get(served.server.base, '/observer', office),
			missing: await get(served.server.base, '/no/such/page', office)
		};
		expect(answers.redirect.status).toBe(303);
		expect(answers.forbidden.status).toBe(403);
		expect(answers.missing.status).toBe(404);
		for (const [name, a] of Object.entries(answers)) {
			for (const [header, value] of Object.entries(COMMON)) expect(a.headers.get(header), `${name} ${header}`).toBe(value);
		}
		expect(answers.office.headers.get('cache-control')).toBe('private, no-store');
		expect(answers.json.headers.get('cache-control')).toBe('no-store');
	});

	it('HTML pages carry a strict Content Security Policy, and every script has its nonce', async () => {
		for (const [path, cookie] of [
			['/login', null],
			['/office', office],
			['/office/audit', office]
		] as const) {
			const a = await get(served.server.base, path, cookie);
			expect(a.status, path).toBe(200);
			const csp = cspOf(a.headers);
			expect(csp.get('default-src'), path).toEqual(["'self'"]);
			const script = csp.get('script-src') ?? [];
			expect(script[0]).toBe("'self'");
			expect(script.join(' ')).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
			const nonce = script.find((v) => v.startsWith("'nonce-"))?.slice(7, -1);
			expect(nonce, `${path} 的 script-src 应有 nonce`).toMatch(/^[A-Za-z0-9+/=_-]{16,}$/);
			for (const d of ['object-src', 'base-uri', 'form-action', 'frame-ancestors', 'connect-src']) expect(csp.get(d), `${path} ${d}`).toEqual(["'self'"]);
			const scripts = [...a.body.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
			expect(scripts.length).toBeGreaterThan(0);
			for (const tag of scripts) if (!/\bsrc=/.test(tag)) expect(tag, path).toContain(`nonce="${nonce}"`);
			// A fresh nonce per response.
			const again = await get(served.server.base, path, cookie);
			expect(cspOf(again.headers).get('script-src')).not.toEqual(script);
		}
	});
});

describe('session cookie', () => {
	it('signing in sets an HttpOnly, SameSite=Lax session cookie for the whole site, not Secure over plain http', async () => {
		const a = await login(served.server.base, 'observer', DEMO_PASSWORDS.observer);
		expect(a.status).toBe(303);
		const cookie = a.headers.get('set-cookie') ?? '';
		expect(cookie).toMatch(/^session=[a-z0-9]{32};/);
		expect(cookie).toMatch(/; HttpOnly/i);
		expect(cookie).toMatch(/; SameSite=Lax/i);
		expect(cookie).toMatch(/; Path=\//);
		expect(cookie).toMatch(/; Expires=/);
		expect(cookie).not.toMatch(/; Secure/i);
		expect(a.headers.get('strict-transport-security')).toBeNull();
	});

	it('behind https (ORIGIN https://…) the cookie is Secure and every response carries HSTS', async () => {
		const port = await freePort();
		const origin = `https://127.0.0.1:${port}`;
		const file = freshDb(inject('templateDb'), 'headers-https');
		const https = await startServer({ db: file, port, origin });
		try {
			const a = await login(https.base, 'observer', DEMO_PASSWORDS.observer, origin);
			expect(a.status).toBe(303);
			expect(a.headers.get('set-cookie')).toMatch(/; Secure/i);
			expect(a.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
			expect((await get(https.base, '/login', null)).headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
		} finally {
			await https.stop();
			removeDb(file);
		}
	});

	it('a wrong password gets the same message for a known and an unknown user, and no cookie', async () => {
		const known = await login(served.server.base, 'office', 'Wrong-pass-123');
		const unknown = await login(served.server.base, 'no-such-user', 'Wrong-pass-123');
		expect(known.status).toBe(400);
		expect(known.headers.get('set-cookie')).toBeNull();
		expect(known.body).toContain(LOGIN_REFUSED);
		expect(unknown.body).toContain(LOGIN_REFUSED);
	});
});

describe('CSRF', () => {
	it('a cross-origin form POST is refused with 403 and writes nothing, whatever the form encoding', async () => {
		const before = fingerprint(served.look);
		for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain']) {
			const a = await login(served.server.base, 'office', DEMO_PASSWORDS.office, 'http://evil.example', type);
			expect(a.status, type).toBe(403);
			expect(a.headers.get('set-cookie'), type).toBeNull();
			const create = await request(served.server.base, 'POST', '/office/users?/create', {
				cookie: office,
				headers: { origin: 'http://evil.example', 'content-type': type },
				body: form({ username: 'csrf-made', displayName: '跨站', role: 'office' })
			});
			expect(create.status, type).toBe(403);
			expect(create.body).toMatch(/Cross-site/);
		}
		// No Origin header at all (an old browser or a script) is refused too.
		const noOrigin = await fetch(`${served.server.base}/login`, {
			method: 'POST',
			redirect: 'manual',
			headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
			body: form({ username: 'office', password: DEMO_PASSWORDS.office })
		});
		expect(noOrigin.status).toBe(403);
		expect(fingerprint(served.look)).toBe(before);
		expect(served.look.prepare(`SELECT count(*) FROM users WHERE username = 'csrf-made'`).pluck().get()).toBe(0);
		// The same request from the site's own origin goes through.
		const same = await login(served.server.base, 'office', DEMO_PASSWORDS.office);
		expect(same.status).toBe(303);
		expect(same.location).toBe('/office');
	});
});

describe('sign-in limit per address', () => {
	it('after 30 failed attempts from one address even the right password must wait', async () => {
		for (let i = 0; i < 30; i++) {
			const a = await login(served.server.base, `nobody-${i}`, 'Wrong-pass-123');
			expect(a.status).toBe(400);
		}
		const blocked = await login(served.server.base, 'office', DEMO_PASSWORDS.office);
		expect(blocked.status).toBe(400);
		expect(blocked.body).toContain('尝试次数过多，请一分钟后再试');
		expect(blocked.headers.get('set-cookie')).toBeNull();
	});
});
