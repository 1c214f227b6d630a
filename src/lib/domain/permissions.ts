/**
 * Who may do what, as pure functions of the user and the object. The routes call these after
 * loading the object, on top of the role check of each route group's layout and action.
 *
 * 三员分立 (GB/T 22239-2019 8.1.4.2 / 8.1.10): besides the four roles of the review, three
 * administrators, each with its own account and its own named permissions (`ROLE_PERMISSIONS`):
 * the system administrator (accounts, backups), the security administrator (timeouts, lockout,
 * password rules) and the audit administrator (reads, exports and verifies the audit log). None of
 * them holds a permission of the review (`review.*`, `application.read`), and no permission is held
 * by two of them (`permissions.spec.ts`).
 */

export const ROLES = ['office', 'city', 'expert', 'observer', 'sysadmin', 'secadmin', 'auditadmin'] as const;
export type Role = (typeof ROLES)[number];
export type Principal = { id: string; role: Role; region: string | null; expertId: string | null };

/** The three administrators of 三员分立. */
export const ADMIN_ROLES = ['sysadmin', 'secadmin', 'auditadmin'] as const satisfies readonly Role[];
export type AdminRole = (typeof ADMIN_ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
	office: '省厅人才开发处',
	city: '推荐单位（市局）',
	expert: '评审专家',
	observer: '监督人员',
	sysadmin: '系统管理员',
	secadmin: '安全管理员',
	auditadmin: '审计管理员'
};

export const ROLE_HOME: Record<Role, string> = {
	office: '/office',
	city: '/city',
	expert: '/expert',
	observer: '/observer',
	sysadmin: '/admin',
	secadmin: '/security',
	auditadmin: '/audit'
};

export function homeFor(role: Role): string {
	return ROLE_HOME[role];
}

/**
 * Named permissions. `review.*` open the pages of one business role (its route group);
 * `application.read` the application contents outside a group (attachments).
 */
export const PERMISSIONS = [
	'review.office',
	'review.city',
	'review.expert',
	'review.observe',
	'application.read',
	'account.manage',
	'account.manage.expert',
	'backup.run',
	'security.settings',
	'audit.admin',
	'audit.read',
	'audit.export',
	'audit.verify',
	'invitation.answer',
	'invitation.manage',
	'draw.record',
	'draw.confirm',
	'expert.rate',
	'expert.record.read',
	'expert.rating.reply',
	'recheck.manage',
	'vote.call',
	'vote.cast',
	'report.sign',
	'report.manage',
	'publicity.manage',
	'objection.manage',
	'national.record',
	'feedback.read'
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const PERMISSION_LABELS: Record<Permission, string> = {
	'review.office': '省厅评审工作（申报受理、专家、评分、结果、会议）',
	'review.city': '本地区申报',
	'review.expert': '评审打分',
	'review.observe': '评审监督（进度、结果、会议）',
	'application.read': '查看申报内容和附件',
	'account.manage': '管理所有角色的账号',
	'account.manage.expert': '开通和重置专家账号',
	'backup.run': '在线备份数据库',
	'security.settings': '安全策略（会话超时、登录锁定、密码规则）',
	'audit.admin': '审计管理员工作台（全部审计日志）',
	'audit.read': '查阅审计日志',
	'audit.export': '导出审计日志',
	'audit.verify': '校验审计日志哈希链',
	'invitation.answer': '答复评审邀请（参加或不能参加）',
	'invitation.manage': '设定答复期限、以候补专家替换谢绝或逾期未答复的专家',
	'draw.record': '查看和打印抽取记录',
	'draw.confirm': '监督确认抽取记录',
	'expert.rate': '专家履职评价（评分和说明）',
	'expert.record.read': '查看任一专家的履职记录和评价',
	'expert.rating.reply': '查看本人的履职评价并作出说明',
	'recheck.manage': '评分复核（发现并更正评分表错误）',
	'vote.call': '会议表决（发起、结束表决，起草综合评审意见）',
	'vote.cast': '会议表决投票（同意、不同意、弃权）',
	'report.sign': '签署评审报告（同意或提出不同意见）',
	'report.manage': '评审报告（生成、登记纸质签字）',
	'publicity.manage': '公示（开始、结束公示，生成公示通知）',
	'objection.manage': '异议登记、受理、处理和答复',
	'national.record': '登记国家工程指导协调小组的确定结果并生成目录',
	'feedback.read': '下载评审反馈函'
};

/** The administration's permissions (accounts, backups, security settings, the audit log): none of them shows a review. */
export const ADMINISTRATION_PERMISSIONS: readonly Permission[] = [
	'account.manage',
	'account.manage.expert',
	'backup.run',
	'security.settings',
	'audit.admin',
	'audit.read',
	'audit.export',
	'audit.verify'
];

/**
 * Permissions that let a role see application contents, scores or personal data: every other one,
 * so that a permission added for a later step of the review is a business permission without being
 * listed twice.
 */
export const BUSINESS_PERMISSIONS: readonly Permission[] = PERMISSIONS.filter((p) => !ADMINISTRATION_PERMISSIONS.includes(p));

/**
 * The role → permission table: the only place where a role gets a permission. The office and the
 * observer read and export the audit log on their own pages; the audit administrator's pages
 * (`/audit`) also need `audit.admin`, which only it holds.
 */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
	office: ['review.office', 'application.read', 'account.manage.expert', 'audit.read', 'audit.export', 'invitation.manage', 'draw.record', 'expert.rate', 'expert.record.read', 'recheck.manage', 'vote.call', 'report.manage', 'publicity.manage', 'objection.manage', 'national.record', 'feedback.read'],
	city: ['review.city', 'application.read', 'feedback.read'],
	expert: ['review.expert', 'application.read', 'invitation.answer', 'expert.rating.reply', 'vote.cast', 'report.sign'],
	observer: ['review.observe', 'application.read', 'audit.read', 'audit.export', 'draw.record', 'draw.confirm'],
	sysadmin: ['account.manage', 'backup.run'],
	secadmin: ['security.settings'],
	auditadmin: ['audit.admin', 'audit.read', 'audit.export', 'audit.verify']
};

export function can(user: Pick<Principal, 'role'> | null | undefined, permission: Permission): boolean {
	return !!user && ROLE_PERMISSIONS[user.role].includes(permission);
}

/** Roles whose accounts a role may create, reset, deactivate and activate. */
export function manageableRoles(role: Role): readonly Role[] {
	if (ROLE_PERMISSIONS[role].includes('account.manage')) return ROLES;
	if (ROLE_PERMISSIONS[role].includes('account.manage.expert')) return ['expert'];
	return [];
}

/** Roles that manage accounts: their last active account cannot be deactivated. */
export const ACCOUNT_MANAGER_ROLES: readonly Role[] = ROLES.filter((r) => manageableRoles(r).length > 0);

export function hasRole(user: Principal | null | undefined, ...roles: Role[]): user is Principal {
	return !!user && roles.includes(user.role);
}

/** Application as far as permissions care. */
export type ApplicationRef = { id: string; region: string; status: string };

/**
 * The expert's relation to one application. `confirmed` is false while the expert's invitation to
 * the batch is pending, declined or expired (domain/invitations.ts): the application and its sheet
 * open only after confirming; absent or true when confirmed or when there is no invitation.
 */
export type ExpertRelation = { assigned: boolean; hardConflict: boolean; published: boolean; committed: boolean; confirmed?: boolean };

export function canViewApplication(user: Principal, app: ApplicationRef, rel?: ExpertRelation): boolean {
	switch (user.role) {
		case 'office':
		case 'observer':
			return true;
		case 'city':
			return user.region === app.region;
		case 'expert':
			return !!rel && rel.assigned && !rel.hardConflict && rel.published && rel.committed && rel.confirmed !== false;
		default:
			return false;
	}
}

/** A city edits its own region's applications while they are drafts or returned to it. */
export function canEditApplication(user: Principal, app: ApplicationRef): boolean {
	if (user.role === 'office') return true;
	if (user.role === 'city') return user.region === app.region && (app.status === 'draft' || app.status === 'returned');
	return false;
}

export function canScore(user: Principal, rel: ExpertRelation): boolean {
	return user.role === 'expert' && rel.assigned && !rel.hardConflict && rel.published && rel.committed && rel.confirmed !== false;
}

/** Only the office sees full personal ID numbers and phone numbers of legal representatives. */
export function seesPersonalData(user: Principal): boolean {
	return user.role === 'office';
}

export function canManageUsers(user: Principal): boolean {
	return manageableRoles(user.role).length > 0;
}

export function canReadAudit(user: Principal): boolean {
	return can(user, 'audit.read');
}
