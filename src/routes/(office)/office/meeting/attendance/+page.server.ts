import { actorOf, requireRole } from '$lib/server/guard';
import { requestScope } from '$lib/server/batch-request';
import { refusal } from '$lib/server/refusal';
import { phaseOf } from '$lib/server/scope';
import { attendanceOf, meetingDays, meetingRoster } from '$lib/server/queries/fees';
import { addMeetingDay, cellKey, removeMeetingDay, saveAttendance, updateMeetingDay, type AttendanceCell } from '$lib/server/services/fees';
import type { Actions, PageServerLoad } from './$types';

export const load = ((event) => {
	requireRole(event, 'office');
	const scope = requestScope(event);
	const statuses: Record<string, string> = {};
	for (const a of attendanceOf(scope)) statuses[cellKey(a.dayId, a.expertId)] = a.status;
	return {
		batch: { id: scope.batch.id, name: scope.batch.name },
		archived: phaseOf(scope) === 'archived',
		days: meetingDays(scope),
		roster: meetingRoster(scope).map((e) => ({ id: e.id, name: e.name, title: e.title, workUnit: e.workUnit, class: e.class, assigned: e.assigned })),
		statuses
	};
}) satisfies PageServerLoad;

const str = (form: FormData, k: string) => {
	const v = form.get(k);
	return typeof v === 'string' ? v : '';
};

export const actions = {
	addDay: async (event) => {
		const user = requireRole(event, 'office');
		const form = await event.request.formData();
		const values = { date: str(form, 'date'), length: str(form, 'length'), note: str(form, 'note') };
		try {
			addMeetingDay(requestScope(event), actorOf(user), values);
			return { ok: `已登记会议日 ${values.date}` };
		} catch (e) {
			return refusal(e, values);
		}
	},
	updateDay: async (event) => {
		const user = requireRole(event, 'office');
		const form = await event.request.formData();
		try {
			updateMeetingDay(requestScope(event), actorOf(user), str(form, 'day'), { length: str(form, 'length'), note: str(form, 'note') });
			return { ok: '已修改会议日' };
		} catch (e) {
			return refusal(e);
		}
	},
	removeDay: async (event) => {
		const user = requireRole(event, 'office');
		const form = await event.request.formData();
		try {
			const n = removeMeetingDay(requestScope(event), actorOf(user), str(form, 'day'));
			return { ok: n ? `已删除会议日及其 ${n} 条出席记录` : '已删除会议日' };
		} catch (e) {
			return refusal(e);
		}
	},
	save: async (event) => {
		const user = requireRole(event, 'office');
		const form = await event.request.formData();
		const cells: AttendanceCell[] = [];
		const statuses: Record<string, string> = {};
		for (const [key, value] of form) {
			const m = /^a:([^:]*):(.*)$/.exec(key);
			if (!m || typeof value !== 'string') continue;
			cells.push({ dayId: m[1], expertId: m[2], status: value });
			statuses[key] = value;
		}
		try {
			const n = saveAttendance(requestScope(event), actorOf(user), cells);
			return { ok: n ? `已保存出席记录（修改 ${n} 项）` : '出席记录没有变化' };
		} catch (e) {
			return refusal(e, { statuses });
		}
	}
} satisfies Actions;
