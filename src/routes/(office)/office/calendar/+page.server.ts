import { error } from '@sveltejs/kit';
import { actorOf, requirePermission, requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { refusal } from '$lib/server/refusal';
import { calendarYear, removeCalendarDay, setCalendarDay } from '$lib/server/services/calendar';
import { beijingDate } from '$lib/domain/time';
import type { Actions, PageServerLoad } from './$types';

const str = (form: FormData, k: string) => {
	const v = form.get(k);
	return typeof v === 'string' ? v : '';
};

export const load = ((event) => {
	requireRole(event, 'office');
	requirePermission(event, 'publicity.manage');
	const raw = event.url.searchParams.get('year');
	const thisYear = Number(beijingDate(new Date()).slice(0, 4));
	const year = raw === null ? thisYear : /^\d{4}$/.test(raw) ? Number(raw) : NaN;
	if (!(year >= 2000 && year <= 2100)) error(400, { message: '参数 year 应为 2000–2100 之间的年份' });
	return { ...calendarYear(getDb(), year), thisYear };
}) satisfies PageServerLoad;

export const actions = {
	set: async (event) => {
		requireRole(event, 'office');
		const user = requirePermission(event, 'publicity.manage');
		const form = await event.request.formData();
		const values = { date: str(form, 'date'), kind: str(form, 'kind'), name: str(form, 'name') };
		try {
			const e = setCalendarDay(getDb(), actorOf(user), values);
			return { done: `已登记：${e.date} ${e.kind === 'workday' ? '上班' : '放假'}（${e.name}）` };
		} catch (e) {
			return refusal(e, values);
		}
	},
	remove: async (event) => {
		requireRole(event, 'office');
		const user = requirePermission(event, 'publicity.manage');
		const form = await event.request.formData();
		try {
			removeCalendarDay(getDb(), actorOf(user), str(form, 'date'));
			return { done: `已删除 ${str(form, 'date')} 的调整，恢复按国务院安排计算` };
		} catch (e) {
			return refusal(e);
		}
	}
} satisfies Actions;
