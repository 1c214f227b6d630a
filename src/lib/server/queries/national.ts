/**
 * The national decision page (国家确定结果): the batch's proposed applications by group, each with its
 * recorded decision, the directory entry that decision produced and whether an open objection holds
 * its group; also applications no longer proposed that still carry a decision.
 */
import { eq, inArray } from 'drizzle-orm';
import * as s from '../db/schema';
import { externalId, type BatchScope } from '../scope';
import { computeResults } from '../services/batch-state';
import { groupKey, heldGroups } from './held-groups';
import { earliestDecisionDate, recordingBlock } from '../../domain/national';
import { feedbackAvailability, type FeedbackAvailability } from '../../domain/feedback';
import { beijingDate } from '../../domain/time';

type Q = BatchScope['db'];

export type NationalDecisionRow = typeof s.nationalDecisions.$inferSelect;
export type GeneratedEntry = { id: number; validFrom: string; validTo: string | null; documentNo: string | null; levels: string[] };

export type NationalItem = {
	id: string;
	shownId: string;
	institutionName: string;
	region: string;
	levels: string[];
	score: number | null;
	rank: number | null;
	/** On the proposed list now (an item with a decision may have left it since). */
	proposed: boolean;
	decision: NationalDecisionRow | null;
	/** Directory entries this application produced (normally one, for a 确定). */
	entries: GeneratedEntry[];
	/** Open objections holding the item's group (empty: not held). */
	heldBy: number[];
};

export type NationalGroup = { occupation: string; type: 'training' | 'evaluation'; items: NationalItem[] };

export type NationalPage = {
	groups: NationalGroup[];
	/** Why nothing can be recorded now (null: it can). */
	block: string | null;
	earliest: string | null;
	counts: { proposed: number; confirmed: number; notConfirmed: number; open: number; held: number };
	feedback: FeedbackAvailability;
};

/** Decisions recorded for the batch's applications, by application id. */
export function nationalDecisions(db: Q, applicationIds: readonly string[]): Map<string, NationalDecisionRow> {
	if (!applicationIds.length) return new Map();
	return new Map(db.select().from(s.nationalDecisions).where(inArray(s.nationalDecisions.applicationId, [...applicationIds])).all().map((r) => [r.applicationId, r]));
}

/** Directory entries produced from these applications, by application id. */
export function generatedEntries(db: Q, applicationIds: readonly string[]): Map<string, GeneratedEntry[]> {
	const out = new Map<string, GeneratedEntry[]>();
	if (!applicationIds.length) return out;
	const rows = db.select().from(s.directoryEntries).where(inArray(s.directoryEntries.applicationId, [...applicationIds])).orderBy(s.directoryEntries.id).all();
	for (const r of rows) {
		const list = out.get(r.applicationId!) ?? [];
		list.push({ id: r.id, validFrom: r.validFrom, validTo: r.validTo, documentNo: r.documentNo, levels: r.levels });
		out.set(r.applicationId!, list);
	}
	return out;
}

export function nationalPage(scope: BatchScope, today: string): NationalPage {
	const { db, batch } = scope;
	const { results, findings } = computeResults(scope);
	const apps = new Map(findings.applications.map((a) => [a.app.id, a]));
	const names = new Map(findings.institutions.map((i) => [i.id, i.name]));
	const batchAppIds = findings.applications.map((a) => a.app.id);
	const decisions = nationalDecisions(db, batchAppIds);
	const entries = generatedEntries(db, batchAppIds);
	const held = heldGroups(scope);
	const groups: NationalGroup[] = [];
	for (const g of results.groups) {
		const items = g.applications
			.filter((a) => a.proposed || decisions.has(a.id))
			.map((a): NationalItem => {
				const x = apps.get(a.id)!;
				return {
					id: a.id,
					shownId: externalId(a.id, batch.id),
					institutionName: names.get(x.app.institutionId) ?? x.app.institutionId,
					region: x.app.region,
					levels: x.app.levels,
					score: a.score,
					rank: a.rank,
					proposed: a.proposed,
					decision: decisions.get(a.id) ?? null,
					entries: entries.get(a.id) ?? [],
					heldBy: held.get(groupKey(g.occupation, g.type)) ?? []
				};
			});
		if (items.length) groups.push({ occupation: g.occupation, type: g.type, items });
	}
	const all = groups.flatMap((g) => g.items);
	return {
		groups,
		block: recordingBlock(batch),
		earliest: earliestDecisionDate(batch, beijingDate),
		counts: {
			proposed: all.filter((i) => i.proposed).length,
			confirmed: all.filter((i) => i.decision?.decision === 'confirmed').length,
			notConfirmed: all.filter((i) => i.decision?.decision === 'not-confirmed').length,
			open: all.filter((i) => i.proposed && !i.decision).length,
			held: all.filter((i) => i.heldBy.length).length
		},
		feedback: feedbackAvailability(batch, today)
	};
}

/** The decision recorded for one application (any batch), or null. */
export function nationalDecisionOf(db: Q, applicationId: string): NationalDecisionRow | null {
	return db.select().from(s.nationalDecisions).where(eq(s.nationalDecisions.applicationId, applicationId)).get() ?? null;
}
