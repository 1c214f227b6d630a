/** The office dashboard's figures: scoring progress, score distributions, expert severity, dispersion. */
import { eq, sql } from 'drizzle-orm';
import type { BatchScope } from '../scope';
import * as s from '../db/schema';
import { computeResults } from '../services/batch-state';
import { loadExperts } from './bundle';
import { expertSeverity } from '../../domain/reliability';
import { OCCUPATIONS } from '../../domain/occupations';

export function dashboardData(scope: BatchScope) {
	const { db } = scope;
	const { results, input } = computeResults(scope);
	const experts = loadExperts(db);
	const expertName = new Map(experts.map((e) => [e.id, e.name]));
	const appOccupation = new Map(input.applications.map((a) => [a.id, a.occupation]));
	const institutionName = new Map(
		db.select({ id: s.applications.id, name: s.institutions.name }).from(s.applications).innerJoin(s.institutions, eq(s.institutions.id, s.applications.institutionId)).where(eq(s.applications.batchId, scope.batch.id)).all().map((r) => [r.id, r.name])
	);

	// Expected sheets = assignments without a hard conflict; their state from the sheets table.
	const sheetState = new Map(input.sheets.map((r) => [`${r.applicationId}|${r.expertId}`, r.status]));
	const byOcc = new Map<string, { submitted: number; draft: number; notStarted: number }>();
	const byExpert = new Map<string, { submitted: number; draft: number; notStarted: number }>();
	for (const key of input.assigned) {
		if (input.hardConflicts.has(key)) continue;
		const [a, e] = key.split('|');
		const st = sheetState.get(key);
		const bucket = st === 'submitted' ? 'submitted' : st === 'draft' ? 'draft' : 'notStarted';
		const occ = appOccupation.get(a) ?? '?';
		const o = byOcc.get(occ) ?? { submitted: 0, draft: 0, notStarted: 0 };
		o[bucket]++;
		byOcc.set(occ, o);
		const x = byExpert.get(e) ?? { submitted: 0, draft: 0, notStarted: 0 };
		x[bucket]++;
		byExpert.set(e, x);
	}

	// Severity pooled over groups: mean of the per-group severities weighted by shared applications.
	const pooled = new Map<string, { sum: number; n: number }>();
	for (const g of results.groups) {
		for (const sv of expertSeverity(g)) {
			const p = pooled.get(sv.expertId) ?? { sum: 0, n: 0 };
			p.sum += sv.severity * sv.shared;
			p.n += sv.shared;
			pooled.set(sv.expertId, p);
		}
	}

	const dispersion = results.groups
		.flatMap((g) => g.applications.filter((a) => a.spread != null && a.n >= 2).map((a) => ({ id: a.id, name: institutionName.get(a.id) ?? a.id, spread: a.spread!, occupation: g.occupation, type: g.type })))
		.sort((a, b) => b.spread - a.spread)
		.slice(0, 40);

	return {
		threshold: results.settings.dispersionThreshold,
		passScore: results.settings.passScore,
		progressByOccupation: OCCUPATIONS.filter((o) => byOcc.has(o.key)).map((o) => ({ key: o.key, label: o.short, ...byOcc.get(o.key)! })),
		progressByExpert: [...byExpert.entries()]
			.map(([id, v]) => ({ id, name: expertName.get(id) ?? id, ...v }))
			.sort((a, b) => b.notStarted + b.draft - (a.notStarted + a.draft) || a.name.localeCompare(b.name, 'zh')),
		distributions: results.groups.map((g) => ({
			occupation: g.occupation,
			type: g.type,
			scores: g.applications.filter((a) => a.score != null).map((a) => ({ id: a.id, score: a.score! }))
		})),
		severity: [...pooled.entries()]
			.filter(([, p]) => p.n > 0)
			.map(([id, p]) => ({ id, name: expertName.get(id) ?? id, severity: p.sum / p.n, shared: p.n }))
			.sort((a, b) => a.severity - b.severity),
		dispersion,
		totals: {
			applications: input.applications.length,
			sheetsExpected: [...byOcc.values()].reduce((a, v) => a + v.submitted + v.draft + v.notStarted, 0),
			sheetsSubmitted: [...byOcc.values()].reduce((a, v) => a + v.submitted, 0),
			ranked: results.groups.reduce((a, g) => a + g.applications.filter((x) => x.rank != null).length, 0),
			lastSubmission: db.select({ t: sql<string | null>`max(${s.sheets.submittedAt})` }).from(s.sheets).get()?.t ?? null
		}
	};
}
export type DashboardData = ReturnType<typeof dashboardData>;
