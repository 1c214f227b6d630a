import { redirect, type Handle } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { building } from '$app/environment';
import { getDb } from '$lib/server/db';
import { SESSION_COOKIE, validateSessionToken } from '$lib/server/auth';
import { collectDenials, recordDenial } from '$lib/server/denials';
import { readableForms } from '$lib/server/request-body';
import { compressResponses } from '$lib/server/compress';

/**
 * The session from the cookie into locals. Every request on a session counts as use (the idle
 * timeout); an ended session (idle, past the cap, account deactivated) is deleted and its cookie
 * cleared. The cookie was set at sign-in to expire with the session's cap: it is not renewed.
 */
const handleAuth: Handle = async ({ event, resolve }) => {
	event.locals.user = null;
	event.locals.session = null;
	if (building) return resolve(event);
	const token = event.cookies.get(SESSION_COOKIE);
	if (token) {
		const { session, user } = validateSessionToken(getDb(), token);
		if (!session) event.cookies.delete(SESSION_COOKIE, { path: '/' });
		event.locals.user = user;
		event.locals.session = session;
	}
	return resolve(event);
};

/**
 * Refused requests of signed-in users (403 of a role or permission check, 404 for an object the
 * user may not see) become `access.denied` audit entries, written after the response is made in a
 * transaction of their own. Anonymous requests are sent to the login page and not logged.
 */
const auditDenials: Handle = async ({ event, resolve }) => {
	const user = event.locals.user;
	if (!user || building) return resolve(event);
	const { result, denial } = await collectDenials(() => Promise.resolve(resolve(event)));
	if (denial) {
		recordDenial(getDb(), { userId: user.id, username: user.username, role: user.role, method: event.request.method, path: event.url.pathname }, denial);
	}
	return result;
};

const PASSWORD_PAGE = '/account/password';

/** What opens while the password must be changed: that page, signing out, the health check, static files. */
function openWhilePasswordMustChange(pathname: string): boolean {
	return (
		pathname === PASSWORD_PAGE ||
		pathname === `${PASSWORD_PAGE}/__data.json` ||
		pathname === '/logout' ||
		pathname === '/healthz' ||
		pathname.startsWith('/_app/') ||
		pathname === '/favicon.svg'
	);
}

/**
 * An initial, reset or expired password must be changed before any other page or action opens
 * (GB/T 22239-2019 8.1.4.1): pages (and their data) are sent to the password page, form actions
 * get a redirect there (use:enhance follows it, a form without JavaScript gets a 303), every other
 * request (endpoints, JSON) a 403 — nothing runs.
 */
const passwordChangeFirst: Handle = async ({ event, resolve }) => {
	const user = event.locals.user;
	if (!user?.mustChangePassword || openWhilePasswordMustChange(event.url.pathname)) return resolve(event);
	const method = event.request.method;
	const accept = event.request.headers.get('accept') ?? '';
	// Data requests of client-side navigation and use:enhance's actions get SvelteKit's own JSON redirect.
	if (event.isDataRequest || (method === 'POST' && event.request.headers.has('x-sveltekit-action'))) redirect(303, PASSWORD_PAGE);
	// Pages and forms without JavaScript: a plain redirect (returned, so the handles before add their headers).
	if (accept.includes('text/html') && (method === 'GET' || method === 'HEAD' || method === 'POST')) {
		return new Response(null, { status: 303, headers: { location: PASSWORD_PAGE } });
	}
	return new Response(JSON.stringify({ message: '请先修改密码：初始密码、重置后的密码或已过期的密码须修改后才能继续操作' }), {
		status: 403,
		headers: { 'content-type': 'application/json; charset=utf-8' }
	});
};

const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const h = response.headers;
	h.set('X-Content-Type-Options', 'nosniff');
	h.set('Referrer-Policy', 'same-origin');
	h.set('X-Frame-Options', 'SAMEORIGIN');
	h.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
	// Served over HTTPS (ORIGIN https://…, TLS at the proxy): browsers must not fall back to plain HTTP.
	if (event.url.protocol === 'https:') h.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
	if (event.locals.user && !h.has('Cache-Control')) h.set('Cache-Control', 'private, no-store');
	return response;
};

export const handle = sequence(compressResponses, handleAuth, auditDenials, readableForms, securityHeaders, passwordChangeFirst);
