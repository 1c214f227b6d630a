/**
 * Accounts: create, reset password, deactivate, list. Used by the system administrator's pages
 * (every role), the office's (expert accounts only: `manageable`) and the command line (every role).
 * Every change is one transaction with its audit entry.
 */
import { and, asc, eq, inArray, ne } from 'drizzle-orm';
import * as z from 'zod';
import type { Db } from '../db';
import { experts, users, ROLES, type Role } from '../db/schema';
import { generatePassword, hashPassword, invalidateUserSessions, passwordProblem } from '../auth';
import { audit, type Actor } from '../audit';
import { REGION_KEYS, regionLabel } from '../../domain/regions';
import { ACCOUNT_MANAGER_ROLES, ROLE_LABELS } from '../../domain/permissions';

export class UserError extends Error {
	constructor(
		public field: string,
		message: string,
		/** 400: bad input; 403: the account is not one the actor may manage. */
		public status: 400 | 403 = 400
	) {
		super(message);
	}
}

/** Which accounts the caller may manage; omitted (command line, demo, the office's expert pool): all. */
export type AccountScope = { manageable?: readonly Role[] };

function checkScope(role: Role, scope: AccountScope, username: string): void {
	if (scope.manageable && !scope.manageable.includes(role)) {
		throw new UserError('username', `无权管理${ROLE_LABELS[role]}的账号 "${username}"（由系统管理员管理）`, 403);
	}
}

export const usernameSchema = z
	.string()
	.trim()
	.min(2, { message: '用户名至少2个字符' })
	.max(40, { message: '用户名不能超过40个字符' })
	.regex(/^[a-z0-9][a-z0-9._-]*$/, { message: '用户名只能使用小写字母、数字和 . _ -' });

export const newUserSchema = z.object({
	username: usernameSchema,
	displayName: z.string().trim().min(1, { message: '请填写姓名或单位名称' }).max(60, { message: '姓名不能超过60个字符' }),
	role: z.enum(ROLES, { message: '请选择角色' }),
	region: z
		.string()
		.nullable()
		.refine((v) => v === null || (REGION_KEYS as readonly string[]).includes(v), { message: '请选择有效的地区' }),
	expertId: z.string().trim().min(1).max(100).nullable(),
	password: z.string().nullable()
});
export type NewUser = z.input<typeof newUserSchema>;

const ROLE_NAMES: Record<Role, string> = {
	office: '省厅',
	city: '市局',
	expert: '专家',
	observer: '监督',
	sysadmin: '系统管理员',
	secadmin: '安全管理员',
	auditadmin: '审计管理员'
};

/** Creates an account; returns it with the initial password (generated when none is given). */
export async function createUser(
	db: Db,
	input: NewUser,
	actor: Actor,
	scope: AccountScope = {}
): Promise<{ id: string; username: string; password: string }> {
	const parsed = newUserSchema.safeParse(input);
	if (!parsed.success) {
		const i = parsed.error.issues[0];
		throw new UserError(String(i.path[0] ?? 'username'), i.message);
	}
	const u = parsed.data;
	if (scope.manageable && !scope.manageable.includes(u.role)) {
		throw new UserError('role', `无权创建${ROLE_LABELS[u.role]}账号（由系统管理员创建）`, 403);
	}
	if (u.role === 'city' && !u.region) throw new UserError('region', '市局账号必须绑定一个地区');
	if (u.role !== 'city' && u.region) throw new UserError('region', '只有市局账号绑定地区');
	if (u.role === 'expert' && !u.expertId) throw new UserError('expertId', '专家账号必须绑定一位专家');
	if (u.role !== 'expert' && u.expertId) throw new UserError('expertId', '只有专家账号绑定专家');
	if (u.expertId && !db.select().from(experts).where(eq(experts.id, u.expertId)).get()) {
		throw new UserError('expertId', `专家 "${u.expertId}" 不存在`);
	}
	if (u.expertId && db.select().from(users).where(eq(users.expertId, u.expertId)).get()) {
		throw new UserError('expertId', `专家 "${u.expertId}" 已有账号`);
	}
	if (db.select().from(users).where(eq(users.username, u.username)).get()) {
		throw new UserError('username', `用户名 "${u.username}" 已被使用`);
	}
	const password = u.password ?? generatePassword();
	const problem = passwordProblem(password);
	if (problem) throw new UserError('password', problem);
	const passwordHash = await hashPassword(password);
	const id = crypto.randomUUID();
	db.transaction((tx) => {
		tx.insert(users)
			.values({
				id,
				username: u.username,
				displayName: u.displayName,
				role: u.role,
				region: u.region,
				expertId: u.expertId,
				passwordHash,
				mustChangePassword: u.password == null
			})
			.run();
		audit(tx, actor, 'user.create', 'user', id, { username: u.username, role: u.role, region: u.region, expertId: u.expertId });
	});
	return { id, username: u.username, password };
}

export function findUser(db: Db, username: string) {
	return db.select().from(users).where(eq(users.username, username)).get();
}

/** Sets a new password (generated when none is given), unlocks the account and ends its sessions. */
export async function resetPassword(db: Db, username: string, password: string | null, actor: Actor, scope: AccountScope = {}): Promise<string> {
	const user = findUser(db, username);
	if (!user) throw new UserError('username', `用户 "${username}" 不存在`);
	checkScope(user.role, scope, username);
	if (actor.userId === user.id) throw new UserError('username', '不能在此重置自己的密码，请在“修改密码”页面修改');
	const pw = password ?? generatePassword();
	const problem = passwordProblem(pw);
	if (problem) throw new UserError('password', problem);
	const passwordHash = await hashPassword(pw);
	db.transaction((tx) => {
		tx.update(users)
			.set({ passwordHash, mustChangePassword: password == null, failedLogins: 0, lockedUntil: null })
			.where(eq(users.id, user.id))
			.run();
		invalidateUserSessions(tx as unknown as Db, user.id);
		audit(tx, actor, 'user.reset-password', 'user', user.id, { username });
	});
	return pw;
}

/**
 * Deactivates (ending its sessions) or activates an account. Nobody deactivates their own account,
 * nor the last active account of a role that manages accounts (nobody could then reactivate it
 * from the pages).
 */
export function setUserActive(db: Db, username: string, active: boolean, actor: Actor, scope: AccountScope = {}): void {
	const user = findUser(db, username);
	if (!user) throw new UserError('username', `用户 "${username}" 不存在`);
	checkScope(user.role, scope, username);
	if (!active && actor.userId === user.id) throw new UserError('username', '不能停用自己的账号');
	db.transaction((tx) => {
		if (!active && user.active && ACCOUNT_MANAGER_ROLES.includes(user.role)) {
			const others = tx
				.select({ id: users.id })
				.from(users)
				.where(and(eq(users.role, user.role), eq(users.active, true), ne(users.id, user.id)))
				.all();
			if (others.length === 0) throw new UserError('username', `"${username}" 是最后一个启用的${ROLE_LABELS[user.role]}账号，不能停用`);
		}
		tx.update(users).set({ active }).where(eq(users.id, user.id)).run();
		if (!active) invalidateUserSessions(tx as unknown as Db, user.id);
		audit(tx, actor, active ? 'user.activate' : 'user.deactivate', 'user', user.id, { username });
	});
}

export type UserListing = {
	id: string;
	username: string;
	displayName: string;
	role: Role;
	roleName: string;
	region: string | null;
	regionName: string | null;
	expertId: string | null;
	active: boolean;
	lastLoginAt: string | null;
};

export function listUsers(db: Db, roles?: readonly Role[]): UserListing[] {
	return db
		.select()
		.from(users)
		.where(roles ? inArray(users.role, [...roles]) : undefined)
		.orderBy(asc(users.role), asc(users.username))
		.all()
		.map((u) => ({
			id: u.id,
			username: u.username,
			displayName: u.displayName,
			role: u.role,
			roleName: ROLE_NAMES[u.role],
			region: u.region,
			regionName: u.region ? regionLabel(u.region) : null,
			expertId: u.expertId,
			active: u.active,
			lastLoginAt: u.lastLoginAt
		}));
}

/** Changes one's own password after checking the current one; ends every other session. */
export async function changeOwnPassword(db: Db, userId: string, newPassword: string, actor: Actor): Promise<void> {
	const problem = passwordProblem(newPassword);
	if (problem) throw new UserError('password', problem);
	const passwordHash = await hashPassword(newPassword);
	db.transaction((tx) => {
		tx.update(users).set({ passwordHash, mustChangePassword: false }).where(eq(users.id, userId)).run();
		invalidateUserSessions(tx as unknown as Db, userId);
		audit(tx, actor, 'user.change-password', 'user', userId, null);
	});
}
