import type { Role } from '$lib/domain/permissions';

/** A menu entry; entries with the same `group` are shown together under one drop-down. */
export type NavItem = { href: string; label: string; group?: string };
export type NavEntry = { label: string; href?: string; items: NavItem[] };

/** The office's menu groups, in order. */
export const OFFICE_GROUPS = ['申报', '专家', '评分', '结果', '系统'] as const;

/** The menu of each role; later features add their pages here. */
export const NAV: Record<Role, NavItem[]> = {
	office: [
		{ href: '/office', label: '工作概览' },
		{ href: '/office/applications', label: '申报受理', group: '申报' },
		{ href: '/office/directory', label: '机构目录', group: '申报' },
		{ href: '/office/experts', label: '专家库', group: '专家' },
		{ href: '/office/conflicts', label: '回避审查', group: '专家' },
		{ href: '/office/assignments', label: '专家抽取', group: '专家' },
		{ href: '/office/ratings', label: '履职评价', group: '专家' },
		{ href: '/office/rubrics', label: '评分细则', group: '评分' },
		{ href: '/office/dashboard', label: '评审看板', group: '评分' },
		{ href: '/office/sheets', label: '评分表', group: '评分' },
		{ href: '/office/results', label: '评审结果', group: '结果' },
		{ href: '/office/meeting', label: '评审会议', group: '结果' },
		{ href: '/office/meeting/attendance', label: '会议出席', group: '结果' },
		{ href: '/office/fees', label: '劳务费', group: '结果' },
		{ href: '/office/recheck', label: '复核', group: '结果' },
		{ href: '/office/shortlist', label: '拟推荐名单', group: '结果' },
		{ href: '/office/reports', label: '评审报告签字', group: '结果' },
		{ href: '/office/memo', label: '评审结果报告', group: '结果' },
		{ href: '/office/publicity', label: '公示', group: '结果' },
		{ href: '/office/objections', label: '异议登记', group: '结果' },
		{ href: '/office/national', label: '国家确定结果', group: '结果' },
		{ href: '/office/batches', label: '评审批次', group: '系统' },
		{ href: '/office/users', label: '专家账号', group: '系统' },
		{ href: '/office/calendar', label: '节假日日历', group: '系统' },
		{ href: '/office/audit', label: '审计日志', group: '系统' }
	],
	city: [
		{ href: '/city', label: '本地区申报' },
		{ href: '/city/applications/new', label: '新建申报' }
	],
	expert: [
		{ href: '/expert', label: '我的评审任务' },
		{ href: '/expert/offline', label: '离线评分' },
		{ href: '/expert/print', label: '打印评分表' },
		{ href: '/expert/meeting', label: '评审会议' },
		{ href: '/expert/reports', label: '评审报告' },
		{ href: '/expert/profile', label: '回避档案' },
		{ href: '/expert/record', label: '履职记录' }
	],
	observer: [
		{ href: '/observer', label: '评审进度' },
		{ href: '/observer/results', label: '评审结果' },
		{ href: '/observer/draws', label: '抽取记录' },
		{ href: '/observer/meeting', label: '评审会议' },
		{ href: '/observer/fees', label: '劳务费' },
		{ href: '/observer/audit', label: '审计日志' }
	],
	// 三员分立: each administrator sees only its own pages.
	sysadmin: [
		{ href: '/admin/users', label: '账号管理' },
		{ href: '/admin/backups', label: '数据备份' }
	],
	secadmin: [{ href: '/security', label: '安全策略' }],
	auditadmin: [{ href: '/audit', label: '审计日志' }]
};

/** Folds the items into top-level entries: single links and drop-down groups, in first-seen order. */
export function menu(items: NavItem[]): NavEntry[] {
	const out: NavEntry[] = [];
	const groups = new Map<string, NavEntry>();
	for (const item of items) {
		if (!item.group) {
			out.push({ label: item.label, href: item.href, items: [] });
			continue;
		}
		let g = groups.get(item.group);
		if (!g) {
			g = { label: item.group, items: [] };
			groups.set(item.group, g);
			out.push(g);
		}
		g.items.push(item);
	}
	return out;
}
