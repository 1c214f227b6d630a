/**
 * Demo data for the experts' standing conflict profiles (issue 13, item 6), deterministic. (The
 * directory's entries for 第一批 come from its recorded national decisions, demo/national.ts.)
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
import { computeConflicts, recommendedApplications, computeFindings } from '../services/batch-state';
import { pairKey } from '../../domain/conflicts';

function addYears(date: string, years: number): string {
	const [y, m, d] = date.split('-');
	const day = m === '02' && d === '29' ? '28' : d;
	return `${String(Number(y) + years).padStart(4, '0')}-${m}-${day}`;
}

export type StandingDemo = { formerUnit: { expertId: string; applicationId: string } | null; affiliations: number };

export function seedStandingDemo(first: BatchScope, second: BatchScope): StandingDemo {
	const { db } = first;
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
		audit(tx, SYSTEM_ACTOR, 'demo.seed', 'batch', second.batch.id, { affiliations });
		return { formerUnit, affiliations };
	});
}

