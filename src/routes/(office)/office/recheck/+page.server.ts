import { actorOf, requirePermission, requireRole } from '$lib/server/guard';
import { requestScope } from '$lib/server/batch-request';
import { refusal } from '$lib/server/refusal';
import { recheckNames, recheckState } from '$lib/server/queries/recheck';
import { loadRubrics } from '$lib/server/queries/bundle';
import { confirmFinding, correctSheet, setObjectiveTolerance } from '$lib/server/services/recheck';
import { batchPhase, canChangeScores } from '$lib/domain/phases';
import type { Actions, PageServerLoad } from './$types';

/** The re-check (复核) of the batch in the header: per group its findings, handled or not, and the corrections made. */
export const load = ((event) => {
	requireRole(event, 'office');
	requirePermission(event, 'recheck.manage');
	const scope = requestScope(event);
	const state = recheckState(scope);
	const appIds = new Set<string>();
	const expertIds = new Set<string>();
	for (const f of state.findings) {
		appIds.add(f.applicationId);
		if (f.expertId) expertIds.add(f.expertId);
		for (const m of f.members ?? []) expertIds.add(m.expertId);
	}
	for (const c of state.corrections) {
		appIds.add(c.applicationId);
		expertIds.add(c.expertId);
	}
	const criterionNames: Record<string, string> = {};
	for (const r of loadRubrics(scope)) for (const c of r.criteria) criterionNames[c.id] ??= c.name;
	// The sheets the findings name, with their criteria and points, for the correction forms.
	const named = new Set(state.findings.flatMap((f) => [f.sheetId, ...(f.members ?? []).map((m) => m.sheetId)]));
	const sheets = Object.fromEntries(
		state.sheets
			.filter((sh) => named.has(sh.sheetId))
			.map((sh) => [sh.sheetId, { expertId: sh.expertId, declaredTotal: sh.declaredTotal, criteria: sh.criteria.map((c) => ({ id: c.id, name: c.name, maxPoints: c.maxPoints, points: sh.points[c.id] ?? null })) }])
	);
	return {
		sheets,
		groups: state.groups,
		open: state.open,
		total: state.findings.length,
		corrections: state.corrections,
		tolerance: state.tolerance,
		objectiveCriteria: loadRubrics(scope).flatMap((r) => r.criteria.filter((c) => c.objective).map((c) => ({ rubricId: r.id, type: r.type, name: c.name }))),
		criterionNames,
		names: recheckNames(scope.db, [...appIds], [...expertIds]),
		editable: canChangeScores(batchPhase(scope.batch))
	};
}) satisfies PageServerLoad;

const str = (v: FormDataEntryValue | null) => (typeof v === 'string' ? v : '');

export const actions = {
	correct: async (event) => {
		const user = requireRole(event, 'office');
		requirePermission(event, 'recheck.manage');
		const form = await event.request.formData();
		const values = {
			findingKey: str(form.get('findingKey')),
			sheetId: str(form.get('sheetId')),
			target: str(form.get('target')),
			criterionId: str(form.get('criterionId')),
			rule: str(form.get('rule')),
			newValue: str(form.get('newValue')),
			reason: str(form.get('reason'))
		};
		try {
			const r = correctSheet(requestScope(event), { ...values, target: values.target as 'points' | 'total', rule: values.rule as 'OTHER' }, actorOf(user));
			return { action: 'correct', done: `已更正：${r.oldValue ?? '（空）'} → ${r.newValue}` };
		} catch (e) {
			return refusal(e, { ...values, action: 'correct' });
		}
	},
	confirm: async (event) => {
		const user = requireRole(event, 'office');
		requirePermission(event, 'recheck.manage');
		const form = await event.request.formData();
		const values = { findingKey: str(form.get('findingKey')), reason: str(form.get('reason')) };
		try {
			const r = confirmFinding(requestScope(event), values, actorOf(user));
			return { action: 'confirm', done: `已记录核实无误（${r.rows} 份评分表）` };
		} catch (e) {
			return refusal(e, { ...values, action: 'confirm' });
		}
	},
	tolerance: async (event) => {
		const user = requireRole(event, 'office');
		requirePermission(event, 'recheck.manage');
		const form = await event.request.formData();
		const value = str(form.get('objectiveTolerance'));
		try {
			const v = setObjectiveTolerance(requestScope(event), value, actorOf(user));
			return { action: 'tolerance', done: `客观评分项允许误差已设为 ${v} 分` };
		} catch (e) {
			return refusal(e, { objectiveTolerance: value, action: 'tolerance' });
		}
	}
} satisfies Actions;
