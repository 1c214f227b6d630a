import { fail } from '@sveltejs/kit';
import * as z from 'zod';
import { actorOf, requireRole } from '$lib/server/guard';
import { buildMemoData, defaultParagraphs } from '$lib/server/export/memo-data';
import { saveMemoSettings, saveParagraphs } from '$lib/server/services/memo';
import type { Actions, PageServerLoad } from './$types';
import { requestScope } from '$lib/server/batch-request';
import { Refusal, refusal } from '$lib/server/refusal';
import { phaseOf } from '$lib/server/scope';
import { storedSettings } from '$lib/domain/memo-settings';

export const load = ((event) => {
	requireRole(event, 'office');
	const scope = requestScope(event);
	const memo = buildMemoData(scope);
	return {
		memo,
		defaults: defaultParagraphs(memo),
		/** What the office set (blank: the default the memo prints). */
		stored: storedSettings(scope.batch.memo),
		/** An archived batch's memo is shown, not edited. */
		readOnly: phaseOf(scope) === 'archived'
	};
}) satisfies PageServerLoad;

const LABELS: Record<string, string> = {
	intro: '开头',
	organisation: '评审组织情况',
	method: '评分与汇总方法',
	conflicts: '回避情况',
	review: '评分复核和会议表决情况',
	results: '评审结果',
	publicity: '公示和异议处理情况',
	closing: '结尾'
};

const strings = (form: FormData) => Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === 'string')) as Record<string, string>;

export const actions = {
	save: async (event) => {
		const user = requireRole(event, 'office');
		const values = strings(await event.request.formData());
		try {
			saveParagraphs(requestScope(event), values, actorOf(user));
			return { ok: '报告正文已保存；下载的 Word 文档将使用修改后的文字' };
		} catch (e) {
			if (e instanceof z.ZodError) {
				const key = String(e.issues[0].path[0]);
				return fail(400, { error: `「${LABELS[key] ?? key}」：${e.issues[0].message}`, field: key, values });
			}
			if (e instanceof Refusal) return fail(e.status, { error: e.message, field: null, values });
			throw e;
		}
	},
	settings: async (event) => {
		const user = requireRole(event, 'office');
		const values = strings(await event.request.formData());
		try {
			saveMemoSettings(requestScope(event), values, actorOf(user));
			return { ok: '版头和版记已保存' };
		} catch (e) {
			return refusal(e, values);
		}
	}
} satisfies Actions;
