/**
 * Accounts: create, reset password, change one's own, deactivate, list. Used by the system
 * administrator's pages (every role), the office's (expert accounts only: `manageable`), the account
 * page and the command line (every role). Every change is one transaction with its audit entry. Every password set here keeps the rules of
 * `domain/passwords.ts` with the security administrator's settings; a password set by someone else
 * (an initial or a reset password) must be changed at the next sign-in before anything else opens;
 * the account's last `passwordHistory` passwords (hashes in `password_history`) are not reused.
 */
import { Refusal } from '../refusal';
import { and, asc, desc, eq, inArray, ne } from 'drizzle-orm';
import * as z from 'zod';
import type { Db } from '../db';
import { experts, loginFailures, passwordHistory, users, ROLES, type Role } from '../db/schema';
import { currentSecuritySettings, hashPassword, invalidateUserSessions, verifyPassword } from '../auth';
import { audit, type Actor } from '../audit';
import { REGION_KEYS, regionLabel } from '../../domain/regions';
import { generatePassword, passwordProblem } from '../../domain/passwords';
import { ACCOUNT_MANAGER_ROLES, ROLE_LABELS } from '../../domain/permissions';

export class UserError extends Refusal {
	constructor(
		field: string,
		message: string,
		/** 400: bad input; 403: the account is not one the actor may manage. */
		status: 400 | 403 = 400
	) {
		super(message, status, { [field]: message });
	}
	/** The field it names (always one). */
	override get field(): string {
		return Object.keys(this.errors)[0];
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

/** Password hashes kept per account (enough for the largest `passwordHistory` setting). */
const HISTORY_KEPT = 24;

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Records a newly set password hash in the account's history and drops the oldest beyond HISTORY_KEPT. */
function rememberPassword(tx: Tx, userId: string, passwordHash: string): void {
	tx.insert(passwordHistory).values({ userId, passwordHash }).run();
	const old = tx
		.select({ id: passwordHistory.id })
		.from(passwordHistory)
		.where(eq(passwordHistory.userId, userId))
		.orderBy(desc(passwordHistory.id))
		.offset(HISTORY_KEPT)
		.limit(1000)
		.all();
	if (old.length) tx.delete(passwordHistory).where(inArray(passwordHistory.id, old.map((r) => r.id))).run();
}

/**
 * True when `password` is one of the account's last `count` passwords: the current one and the
 * ones before it (argon2 verify against each stored hash).
 */
export async function reusesPassword(db: Db, userId: string, password: string, count: number): Promise<boolean> {
	const current = db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, userId)).get();
	const past = db
		.select({ hash: passwordHistory.passwordHash })
		.from(passwordHistory)
		.where(eq(passwordHistory.userId, userId))
		.orderBy(desc(passwordHistory.id))
		.limit(count)
		.all()
		.map((r) => r.hash);
	// The current hash is the newest history entry, except for accounts from before the history.
	const hashes = [...new Set([...(current ? [current.hash] : []), ...past])].slice(0, count);
	for (const h of hashes) if (await verifyPassword(h, password)) return true;
	return false;
}

/** The password rules for this account with the settings in force (throws UserError naming `field`). */
function checkPassword(db: Db, password: string, username: string, field = 'password'): void {
	const problem = passwordProblem(password, { minLength: currentSecuritySettings(db).passwordMinLength, username });
	if (problem) throw new UserError(field, problem);
}

function newPassword(db: Db, username: string): string {
	return generatePassword({ minLength: currentSecuritySettings(db).passwordMinLength, username });
}

/**
 * How the demo seed creates its documented accounts: the printed demo passwords (some contain the
 * username, which the rules refuse) are taken as they are and need no change at first sign-in.
 * Nothing but `demo/seed.ts` passes it.
 */
export type DemoAccount = { demo: true };

/**
 * Creates an account; returns it with the initial password (generated when none is given). The
 * password is an initial one: it must be changed at the first sign-in.
 */
export async function createUser(
	db: Db,
	input: NewUser,
	actor: Actor,
	opts: AccountScope & Partial<DemoAccount> = {}
): Promise<{ id: string; username: string; password: string }> {
	const parsed = newUserSchema.safeParse(input);
	if (!parsed.success) {
		const i = parsed.error.issues[0];
		throw new UserError(String(i.path[0] ?? 'username'), i.message);
	}
	const u = parsed.data;
	if (opts.manageable && !opts.manageable.includes(u.role)) {
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
	const password = u.password ?? newPassword(db, u.username);
	if (!opts.demo) checkPassword(db, password, u.username);
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
				mustChangePassword: !opts.demo,
				passwordChangedAt: new Date().toISOString()
			})
			.run();
		rememberPassword(tx, id, passwordHash);
		audit(tx, actor, 'user.create', 'user', id, { username: u.username, role: u.role, region: u.region, expertId: u.expertId });
	});
	return { id, username: u.username, password };
}

export function findUser(db: Db, username: string) {
	return db.select().from(users).where(eq(users.username, username)).get();
}

/**
 * An administrator sets a new password (generated when none is given; a given one keeps the rules
 * and is not one of the last passwords), ends the account's sessions and lifts its sign-in locks.
 * It is a reset password: it must be changed at the next sign-in.
 */
export async function resetPassword(db: Db, username: string, password: string | null, actor: Actor, scope: AccountScope = {}): Promise<string> {
	const user = findUser(db, username);
	if (!user) throw new UserError('username', `用户 "${username}" 不存在`);
	checkScope(user.role, scope, username);
	if (actor.userId === user.id) throw new UserError('username', '不能在此重置自己的密码，请在“修改密码”页面修改');
	const pw = password ?? newPassword(db, user.username);
	checkPassword(db, pw, user.username);
	const { passwordHistory: history } = currentSecuritySettings(db);
	if (password != null && (await reusesPassword(db, user.id, pw, history))) {
		throw new UserError('password', `新密码不能与最近${history}次使用过的密码相同`);
	}
	const passwordHash = await hashPassword(pw);
	db.transaction((tx) => {
		tx.update(users)
			.set({ passwordHash, mustChangePassword: true, passwordChangedAt: new Date().toISOString() })
			.where(eq(users.id, user.id))
			.run();
		rememberPassword(tx, user.id, passwordHash);
		tx.delete(loginFailures).where(eq(loginFailures.username, user.username)).run();
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

/**
 * Changes one's own password: the current one must be given; the new one keeps the rules, differs
 * from the current one and from the last `passwordHistory` ones. Ends every session of the account
 * (the caller opens a fresh one for this browser). Throws UserError naming the field.
 */
export async function changeOwnPassword(
	db: Db,
	userId: string,
	current: string,
	next: string,
	actor: Actor,
	address: string | null = null
): Promise<void> {
	const user = db.select().from(users).where(eq(users.id, userId)).get();
	if (!user || !user.active) throw new UserError('current', '账号不存在或已停用');
	if (!(await verifyPassword(user.passwordHash, current))) throw new UserError('current', '当前密码不正确');
	checkPassword(db, next, user.username, 'next');
	if (next === current) throw new UserError('next', '新密码不能与当前密码相同');
	const { passwordHistory: history } = currentSecuritySettings(db);
	if (await reusesPassword(db, userId, next, history)) throw new UserError('next', `新密码不能与最近${history}次使用过的密码相同`);
	const passwordHash = await hashPassword(next);
	db.transaction((tx) => {
		tx.update(users).set({ passwordHash, mustChangePassword: false, passwordChangedAt: new Date().toISOString() }).where(eq(users.id, userId)).run();
		rememberPassword(tx, userId, passwordHash);
		invalidateUserSessions(tx as unknown as Db, userId);
		audit(tx, actor, 'user.change-password', 'user', userId, { username: user.username, address });
	});
}
