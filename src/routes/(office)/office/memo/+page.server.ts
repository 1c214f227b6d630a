import { fail } from '@sveltejs/kit';
import * as z from 'zod';
import { actorOf, requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { buildMemoData, defaultParagraphs } from '$lib/server/export/memo-data';
import { saveParagraphs } from '$lib/server/services/memo';
import type { Actions, PageServerLoad } from './$types';
import { requestScope } from '$lib/server/batch-request';
import { Refusal } from '$lib/server/refusal';

export const load = ((event) => {
	requireRole(event, 'office');
	const memo = buildMemoData(requestScope(event));
	return { memo, defaults: defaultParagraphs(memo) };
}) satisfies PageServerLoad;

const LABELS: Record<string, string> = { intro: '开头', organisation: '评审组织情况', method: '评分与汇总方法', conflicts: '回避情况', results: '评审结果', closing: '结尾' };

export const actions = {
	save: async (event) => {
		const user = requireRole(event, 'office');
		const form = await event.request.formData();
		const values = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === 'string')) as Record<string, string>;
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
	}
} satisfies Actions;
