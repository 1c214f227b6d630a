import type { Role } from '$lib/domain/permissions';

export type NavItem = { href: string; label: string };

/** The menu of each role; later features add their pages here. */
export const NAV: Record<Role, NavItem[]> = {
	office: [
		{ href: '/office', label: '工作概览' },
		{ href: '/office/applications', label: '申报受理' },
		{ href: '/office/experts', label: '专家库' },
		{ href: '/office/results', label: '评审结果' },
		{ href: '/office/meeting', label: '评审会议' },
		{ href: '/office/shortlist', label: '拟推荐名单' },
		{ href: '/office/users', label: '账号管理' },
		{ href: '/office/audit', label: '审计日志' }
	],
	city: [{ href: '/city', label: '本地区申报' }],
	expert: [
		{ href: '/expert', label: '我的评审任务' },
		{ href: '/expert/meeting', label: '评审会议' }
	],
	observer: [
		{ href: '/observer', label: '评审进度' },
		{ href: '/observer/results', label: '评审结果' },
		{ href: '/observer/meeting', label: '评审会议' },
		{ href: '/observer/audit', label: '审计日志' }
	]
};
