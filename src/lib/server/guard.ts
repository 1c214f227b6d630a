/**
 * The role check every group layout and every action and endpoint calls (a layout load does not
 * guard actions). Anonymous users are sent to the login page; a wrong role gets 403.
 */
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import type { SessionUser } from './auth';
import type { Role } from './db/schema';

type WithLocals = Pick<RequestEvent, 'locals' | 'url'>;

export function requireUser(event: WithLocals): SessionUser {
	const user = event.locals.user;
	if (!user) {
		const back = event.url.pathname + event.url.search;
		redirect(303, `/login?redirectTo=${encodeURIComponent(back)}`);
	}
	return user;
}

export function requireRole(event: WithLocals, ...roles: Role[]): SessionUser {
	const user = requireUser(event);
	if (!roles.includes(user.role)) error(403, { message: '您的账号无权访问此页面' });
	return user;
}

export function actorOf(user: SessionUser) {
	return { userId: user.id, name: user.username };
}
