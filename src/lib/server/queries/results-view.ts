/** The results as the office and the observer read them: per group, with reliability and stability. */
import type { BatchScope } from '../scope';
import { batchById } from '../scope';
import { computeResults } from '../services/batch-state';
import { institutionNames } from './meeting';
import { loadExperts } from './bundle';
import { groupReliability } from '../../domain/reliability';
import { cutStability } from '../../domain/stability';
import { METHODS, type Method } from '../../domain/aggregation';

export function resultsView(scope: BatchScope, method?: Method) {
	const { db } = scope;
	const state = computeResults(scope, method);
	const names = institutionNames(db);
	const experts = new Map(loadExperts(db).map((e) => [e.id, e.name]));
	const stability = cutStability({ ...state.input, method, bootstrap: 200, seed: 'results' });
	const stab = new Map(stability.groups.flatMap((g) => g.applications.map((a) => [a.id, a] as const)));
	const batch = batchById(db, scope.batch.id);
	return {
		method: state.results.method,
		methods: METHODS,
		settings: state.results.settings,
		locked: batch?.resultsLockedAt ?? null,
		lockHash: batch?.resultsHash ?? null,
		groups: state.results.groups.map((g) => {
			const rel = groupReliability(g);
			return {
				occupation: g.occupation,
				type: g.type,
				reliability: { ...rel, severity: rel.severity.map((s) => ({ ...s, name: experts.get(s.expertId) ?? s.expertId })) },
				applications: g.applications.map((a) => {
					const st = stab.get(a.id);
					return {
						id: a.id,
						name: names.get(a.id) ?? a.id,
						score: a.score,
						rank: a.rank,
						n: a.n,
						flags: a.flags,
						proposed: a.proposed,
						defaultProposed: a.defaultProposed,
						decision: a.decision,
						mean: a.mean,
						min: a.min,
						max: a.max,
						excluded: a.excluded.map((x) => ({ ...x, name: experts.get(x.expertId) ?? x.expertId })),
						ranks: st?.ranks ?? null,
						pAboveCut: st?.pAboveCut ?? null,
						unstable: st?.unstable ?? false
					};
				})
			};
		})
	};
}
