/**
 * Demo data for the experts' standing conflict profiles and the directory (issue 13, items 4 and 6),
 * deterministic:
 * - the directory: one entry per application 第一批 proposed (its decision, or the default), valid
 *   for three years from the day after the batch's deadline + 90 days, with a 文号;
 * - profiles: for the first recommended application of 第二批 (by id), the first active expert of its
 *   occupation (by id) who is not assigned to an application of that institution and has no conflict
 *   with one gets that institution
 *   as a former unit left a year before 第二批's deadline (a FORMER_UNIT on the 回避审查 page); the
 *   next such expert gets a relative (配偶) in a unit that matches nothing, and a former unit left
 *   five years before the deadline (outside the window: no conflict).
 *
 * The lead calls `seedStandingDemo(first, second)` in the demo seed after both batches hold their
 * applications, results and assignments (before 第一批 is archived or after: entries of the profile
 * created after a batch's lock or archive do not count for it).
 */
import * as s from '../db/schema';
import type { BatchScope } from '../scope';
import { audit, SYSTEM_ACTOR } from '../audit';
import { computeConflicts, computeResults, recommendedApplications, computeFindings } from '../services/batch-state';
import { pairKey } from '../../domain/conflicts';

/** `date` (YYYY-MM-DD) moved by whole days (UTC arithmetic on a calendar date). */
function addDays(date: string, days: number): string {
	const t = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
	return new Date(t).toISOString().slice(0, 10);
}

function addYears(date: string, years: number): string {
	const [y, m, d] = date.split('-');
	const day = m === '02' && d === '29' ? '28' : d;
	return `${String(Number(y) + years).padStart(4, '0')}-${m}-${day}`;
}

export type StandingDemo = { directory: number; formerUnit: { expertId: string; applicationId: string } | null; affiliations: number };

export function seedStandingDemo(first: BatchScope, second: BatchScope): StandingDemo {
	const { db } = first;
	// The directory from 第一批's proposed applications.
	const results = computeResults(first);
	const byId = new Map(results.findings.applications.map((a) => [a.app.id, a.app]));
	const proposed = results.results.groups.flatMap((g) => g.applications).filter((a) => a.proposed).sort((a, b) => a.id.localeCompare(b.id));
	const from = addDays(first.batch.deadline ?? '2022-06-30', 90);
	const to = addDays(addYears(from, 3), -1);

	// The standing profiles against 第二批.
	const findings = computeFindings(second);
	const conflicts = computeConflicts(second, findings);
	const target = recommendedApplications(findings)
		.map((a) => a.app)
		.sort((a, b) => a.id.localeCompare(b.id))[0];
	const institution = target ? findings.institutions.find((i) => i.id === target.institutionId) : undefined;
	const sameInstitution = target ? findings.applications.filter((a) => a.app.institutionId === target.institutionId).map((a) => a.app.id) : [];
	const assigned = new Set(db.select({ a: s.assignments.applicationId, e: s.assignments.expertId }).from(s.assignments).all().map((r) => pairKey(r.a, r.e)));
	const inConflict = new Set(conflicts.conflicts.map((c) => pairKey(c.applicationId, c.expertId)));
	const candidates = target
		? db
				.select({ id: s.experts.id, occupations: s.experts.occupations, active: s.experts.active })
				.from(s.experts)
				.all()
				.filter((e) => e.active && e.occupations.includes(target.occupation))
				.map((e) => e.id)
				.sort()
				// Not assigned to any application of that institution (its scores stay as they are), no conflict with it yet.
				.filter((id) => sameInstitution.every((a) => !assigned.has(pairKey(a, id)) && !inConflict.has(pairKey(a, id))))
		: [];
	const deadline = second.batch.deadline ?? '2023-06-15';

	return db.transaction((tx) => {
		let directory = 0;
		proposed.forEach((r, i) => {
			const app = byId.get(r.id);
			if (!app) return;
			tx.insert(s.directoryEntries)
				.values({
					institutionId: app.institutionId,
					occupation: app.occupation,
					type: app.type,
					levels: app.levels,
					validFrom: from,
					validTo: to,
					batchId: first.batch.id,
					applicationId: app.id,
					documentNo: `辽人社函〔${from.slice(0, 4)}〕${101 + i}号`,
					note: `${first.batch.name}评审结果`
				})
				.run();
			directory++;
		});
		let affiliations = 0;
		let formerUnit: StandingDemo['formerUnit'] = null;
		if (target && institution && candidates[0]) {
			tx.insert(s.expertAffiliations)
				.values({ expertId: candidates[0], kind: 'former-unit', unit: institution.name, endedOn: addYears(deadline, -1), note: '演示：近三年曾在申报单位工作' })
				.run();
			formerUnit = { expertId: candidates[0], applicationId: target.id };
			affiliations++;
		}
		if (candidates[1]) {
			tx.insert(s.expertAffiliations).values({ expertId: candidates[1], kind: 'relative-unit', unit: '辽宁省某某设计研究院', relation: '配偶' }).run();
			tx.insert(s.expertAffiliations)
				.values({ expertId: candidates[1], kind: 'former-unit', unit: institution?.name ?? '辽宁省某某信息中心', endedOn: addYears(deadline, -5), note: '演示：离开已满三年，不再回避' })
				.run();
			affiliations += 2;
		}
		audit(tx, SYSTEM_ACTOR, 'demo.seed', 'batch', second.batch.id, { directory, affiliations });
		return { directory, formerUnit, affiliations };
	});
}

