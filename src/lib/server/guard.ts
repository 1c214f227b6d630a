/**
 * The role and permission checks every group layout and every action and endpoint calls (a layout
 * load does not guard actions). Anonymous users are sent to the login page; a wrong role or a
 * missing permission gets 403, and the refusal is noted for the audit log (`denials.ts`).
 */
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import type { SessionUser } from './auth';
import type { Role } from './db/schema';
import { can, type Permission } from '../domain/permissions';
import { noteDenial } from './denials';

type WithLocals = Pick<RequestEvent, 'locals' | 'url'>;

export function requireUser(event: WithLocals): SessionUser {
	const user = event.locals.user;
	if (!user) {
		const back = event.url.pathname + event.url.search;
		redirect(303, `/login?redirectTo=${encodeURIComponent(back)}`);
	}
	return user;
}

function forbidden(reason: string): never {
	noteDenial({ status: 403, entity: 'route', entityId: null, reason });
	error(403, { message: '您的账号无权访问此页面' });
}

export function requireRole(event: WithLocals, ...roles: Role[]): SessionUser {
	const user = requireUser(event);
	if (!roles.includes(user.role)) forbidden(`role:${roles.join('|')}`);
	return user;
}

/** The user must hold the named permission(s), every one of them (`ROLE_PERMISSIONS` in domain/permissions.ts). */
export function requirePermission(event: WithLocals, permission: Permission, ...more: Permission[]): SessionUser {
	const user = requireUser(event);
	const missing = [permission, ...more].find((p) => !can(user, p));
	if (missing) forbidden(missing);
	return user;
}

/** The user must hold at least one of the permissions (a group layout whose pages need different ones). */
export function requireAnyPermission(event: WithLocals, ...permissions: Permission[]): SessionUser {
	const user = requireUser(event);
	if (!permissions.some((p) => can(user, p))) forbidden(permissions.join('|'));
	return user;
}

export function actorOf(user: SessionUser) {
	return { userId: user.id, name: user.username };
}
