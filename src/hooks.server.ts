import { error, type Handle } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { building, dev } from '$app/environment';
import { getDb } from '$lib/server/db';
import { SESSION_COOKIE, validateSessionToken } from '$lib/server/auth';
import { collectDenials, recordDenial } from '$lib/server/denials';

const handleAuth: Handle = async ({ event, resolve }) => {
	event.locals.user = null;
	event.locals.session = null;
	if (building) return resolve(event);
	const token = event.cookies.get(SESSION_COOKIE);
	if (token) {
		const { session, user } = validateSessionToken(getDb(), token);
		if (session) {
			event.cookies.set(SESSION_COOKIE, token, {
				path: '/',
				httpOnly: true,
				sameSite: 'lax',
				secure: !dev && event.url.protocol === 'https:',
				expires: session.expiresAt
			});
		} else {
			event.cookies.delete(SESSION_COOKIE, { path: '/' });
		}
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

const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const h = response.headers;
	h.set('X-Content-Type-Options', 'nosniff');
	h.set('Referrer-Policy', 'same-origin');
	h.set('X-Frame-Options', 'SAMEORIGIN');
	h.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
	if (event.locals.user && !h.has('Cache-Control')) h.set('Cache-Control', 'private, no-store');
	return response;
};

/**
 * A body that claims to be a form but cannot be read (no or a wrong content type, a broken
 * multipart body) is the sender's fault: answer 400 with a Chinese message instead of letting the
 * parser's exception become a server error in every action.
 */
const readableForms: Handle = async ({ event, resolve }) => {
	if (event.request.method !== 'GET' && event.request.method !== 'HEAD') {
		const request = event.request;
		const formData = request.formData.bind(request);
		Object.defineProperty(request, 'formData', {
			configurable: true,
			value: async () => {
				try {
					return await formData();
				} catch {
					error(400, '提交的表单数据无法读取：请从页面上的表单提交（内容类型须为 multipart/form-data 或 application/x-www-form-urlencoded）');
				}
			}
		});
	}
	return resolve(event);
};

export const handle = sequence(handleAuth, auditDenials, readableForms, securityHeaders);
