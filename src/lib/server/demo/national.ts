/**
 * Demo data for the national decision (issue 14, item 7), deterministic: in 第一批, after its lock,
 * the coordinating group's decisions on every proposed application — all 确定 but one 未确定 (the
 * last proposed by id) — dated 2023-01-16 under one 文号, and the directory entries the 确定 produce
 * (the application's levels, valid three years from the decision: 2023-01-16 to 2026-01-15), as
 * `services/national.ts` would write them. These are 第一批's whole directory (demo/standing.ts no
 * longer seeds entries by hand), so 第二批's returning institutions get ALREADY_IN_DIRECTORY from them.
 *
 * Written straight into the tables (no phase checks); called in first-batch.ts after the lock
 * (and after the publicity demo) and before the archive.
 */
import { eq } from 'drizzle-orm';
import * as s from '../db/schema';
import type { BatchScope } from '../scope';
import { audit, SYSTEM_ACTOR } from '../audit';
import { computeResults } from '../services/batch-state';
import { defaultValidTo } from '../../domain/national';

export const DEMO_NATIONAL = { date: '2023-01-16', documentNo: '人社厅函〔2023〕12号', at: '2023-01-18T02:00:00.000Z' } as const;

export type NationalDemo = { confirmed: number; notConfirmed: string | null; directory: number };

export function seedNationalDemo(scope: BatchScope): NationalDemo {
	const { db } = scope;
	const { results, findings } = computeResults(scope);
	const apps = new Map(findings.applications.map((a) => [a.app.id, a.app]));
	const proposed = results.groups
		.flatMap((g) => g.applications)
		.filter((a) => a.proposed)
		.map((a) => a.id)
		.sort();
	const notConfirmed = proposed.length > 1 ? proposed[proposed.length - 1] : null;
	const validTo = defaultValidTo(DEMO_NATIONAL.date);
	return db.transaction((tx) => {
		let confirmed = 0;
		let directory = 0;
		for (const id of proposed) {
			const app = apps.get(id)!;
			const decision = id === notConfirmed ? 'not-confirmed' : 'confirmed';
			const note = decision === 'not-confirmed' ? '协调小组审核：实训场地与申报规模不匹配，本批次暂不纳入' : null;
			tx.insert(s.nationalDecisions).values({ applicationId: id, decision, date: DEMO_NATIONAL.date, documentNo: DEMO_NATIONAL.documentNo, note, at: DEMO_NATIONAL.at }).run();
			let entryId: number | null = null;
			if (decision === 'confirmed') {
				confirmed++;
				// Whatever an earlier seed left for this application is replaced by the generated entry.
				tx.delete(s.directoryEntries).where(eq(s.directoryEntries.applicationId, id)).run();
				entryId = tx
					.insert(s.directoryEntries)
					.values({
						institutionId: app.institutionId,
						occupation: app.occupation,
						type: app.type,
						levels: app.levels,
						validFrom: DEMO_NATIONAL.date,
						validTo,
						batchId: scope.batch.id,
						applicationId: id,
						documentNo: DEMO_NATIONAL.documentNo,
						createdAt: DEMO_NATIONAL.at
					})
					.returning({ id: s.directoryEntries.id })
					.get().id;
				directory++;
			}
			audit(tx, SYSTEM_ACTOR, 'national.record', 'application', id, {
				decision,
				date: DEMO_NATIONAL.date,
				documentNo: DEMO_NATIONAL.documentNo,
				...(decision === 'confirmed' ? { validFrom: DEMO_NATIONAL.date, validTo } : {}),
				previous: null,
				directory: decision === 'confirmed' ? 'created' : 'unchanged',
				...(entryId ? { entryId } : {}),
				bulk: proposed.length
			});
		}
		return { confirmed, notConfirmed, directory };
	});
}
