import { fail } from '@sveltejs/kit';
import { actorOf, requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { RubricError, createRubricVersion, rubricOverview, setScoringDeadline, updateRubric, type CriterionInput } from '$lib/server/services/rubrics';
import type { Actions, PageServerLoad } from './$types';
import { requestScope } from '$lib/server/batch-request';
import { Refusal } from '$lib/server/refusal';

export const load = ((event) => {
	requireRole(event, 'office');
	const db = getDb();
	const batch = requestScope(event).batch;
	return { hasBatch: !!batch, rubrics: rubricOverview(requestScope(event)), scoringDeadline: batch?.scoringDeadline ?? null };
}) satisfies PageServerLoad;

const str = (v: FormDataEntryValue | null) => (typeof v === 'string' ? v : '');

/**
 * The editor's rows in page order (repeated id / name / maxPoints / guidance fields). Rows left
 * completely empty are ignored (the blank row for adding without JavaScript); a new row without
 * an id gets `c<n>`.
 */
function readCriteria(form: FormData): CriterionInput[] {
	const ids = form.getAll('id').map(str);
	const names = form.getAll('name').map(str);
	const max = form.getAll('maxPoints').map(str);
	const guidance = form.getAll('guidance').map(str);
	// A ticked 客观项 box sends its row's index (unticked boxes send nothing).
	const objective = new Set(form.getAll('objective').map(str));
	const rows: CriterionInput[] = [];
	for (let i = 0; i < names.length; i++) {
		if (!names[i]?.trim() && !max[i]?.trim() && !guidance[i]?.trim()) continue;
		rows.push({ id: (ids[i] ?? '').trim(), name: names[i] ?? '', maxPoints: max[i] ?? '', guidance: guidance[i] ?? '', objective: objective.has(String(i)) });
	}
	const taken = new Set(rows.map((r) => r.id));
	let n = 1;
	for (const r of rows) {
		if (r.id) continue;
		while (taken.has(`c${n}`)) n++;
		r.id = `c${n}`;
		taken.add(r.id);
	}
	return rows;
}

export const actions = {
	save: async (event) => {
		const user = requireRole(event, 'office');
		const form = await event.request.formData();
		const rubricId = str(form.get('rubricId'));
		const criteria = readCriteria(form);
		try {
			const r = updateRubric(getDb(), rubricId, criteria, actorOf(user));
			return { action: 'save', rubricId, saved: r.changed ? `评分细则已保存（${r.rubric.criteria.length} 项）` : '没有修改', draftsTouched: r.draftsTouched };
		} catch (e) {
			if (e instanceof Refusal) return fail(e.status, { action: 'save', rubricId, errors: e.errors, message: e.message, values: criteria });
			throw e;
		}
	},
	version: async (event) => {
		const user = requireRole(event, 'office');
		const form = await event.request.formData();
		const type = str(form.get('type'));
		if (type !== 'training' && type !== 'evaluation') return fail(400, { action: 'version', message: '申报类型无效', errors: { type: '申报类型无效' } });
		try {
			const r = createRubricVersion(requestScope(event), type, actorOf(user));
			return { action: 'version', created: r.id };
		} catch (e) {
			if (e instanceof Refusal) return fail(e.status, { action: 'version', type, message: e.message, errors: e.errors });
			throw e;
		}
	},
	deadline: async (event) => {
		const user = requireRole(event, 'office');
		const form = await event.request.formData();
		const value = str(form.get('scoringDeadline'));
		try {
			const d = setScoringDeadline(requestScope(event), value, actorOf(user));
			return { action: 'deadline', deadlineSaved: d ?? '' };
		} catch (e) {
			if (e instanceof Refusal) return fail(e.status, { action: 'deadline', message: e.message, errors: e.errors, values: { scoringDeadline: value } });
			throw e;
		}
	}
} satisfies Actions;
