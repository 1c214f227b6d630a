/**
 * The directory (目录, table `directory_entries`): shared by all batches like the institutions it
 * names. The formal check reads it for ALREADY_IN_DIRECTORY; the office's directory page and an
 * application's history list it.
 */
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db';
import * as s from '../db/schema';
import type { DirectoryEntry } from '../../domain/formal-check';
import { filterDirectory, validityOn, type DirectoryFilter, type Validity } from '../../domain/directory';

type Q = Pick<Db, 'select'>;

export type DirectoryRow = typeof s.directoryEntries.$inferSelect;

/** Every entry as the formal check reads it (or one institution's). */
export function loadDirectory(db: Q, institutionId?: string): DirectoryEntry[] {
	const q = db
		.select({
			institutionId: s.directoryEntries.institutionId,
			occupation: s.directoryEntries.occupation,
			type: s.directoryEntries.type,
			levels: s.directoryEntries.levels,
			validFrom: s.directoryEntries.validFrom,
			validTo: s.directoryEntries.validTo,
			documentNo: s.directoryEntries.documentNo,
			batchId: s.directoryEntries.batchId,
			applicationId: s.directoryEntries.applicationId
		})
		.from(s.directoryEntries);
	return (institutionId ? q.where(eq(s.directoryEntries.institutionId, institutionId)) : q).orderBy(asc(s.directoryEntries.id)).all();
}

export type DirectoryListing = DirectoryRow & {
	institutionName: string;
	uscc: string | null;
	batchName: string | null;
	validity: Validity;
	/** The date of the 确定 that produced the entry (null: entered by hand, or no decision recorded). */
	decisionDate: string | null;
};

/** Where an entry came from, in words: the decision that produced it, else its batch, else 手工录入. */
export function directorySource(e: Pick<DirectoryListing, 'batchName' | 'decisionDate' | 'documentNo'>): string {
	if (e.decisionDate) return `${e.batchName ?? ''}国家确定结果（${e.decisionDate}${e.documentNo ? `，${e.documentNo}` : ''}）`;
	return e.batchName ? `${e.batchName}评审结果` : '手工录入';
}

/**
 * The entries for the office's list, filtered (occupation, type, validity on `day`), ordered by
 * occupation, type, institution and start.
 */
export function directoryList(db: Q, filter: DirectoryFilter, day: string): DirectoryListing[] {
	const rows = db
		.select({ e: s.directoryEntries, name: s.institutions.name, uscc: s.institutions.uscc, batchName: s.batches.name, decision: s.nationalDecisions.decision, decisionDate: s.nationalDecisions.date })
		.from(s.directoryEntries)
		.innerJoin(s.institutions, eq(s.institutions.id, s.directoryEntries.institutionId))
		.leftJoin(s.batches, eq(s.batches.id, s.directoryEntries.batchId))
		.leftJoin(s.nationalDecisions, eq(s.nationalDecisions.applicationId, s.directoryEntries.applicationId))
		.orderBy(asc(s.directoryEntries.occupation), asc(s.directoryEntries.type), asc(s.institutions.name), asc(s.directoryEntries.validFrom), asc(s.directoryEntries.id))
		.all()
		.map(({ e, name, uscc, batchName, decision, decisionDate }) => ({
			...e,
			institutionName: name,
			uscc,
			batchName,
			validity: validityOn(e, day),
			decisionDate: decision === 'confirmed' ? decisionDate : null
		}));
	return filterDirectory(rows, filter, day);
}

export function directoryEntry(db: Q, id: number): DirectoryRow | undefined {
	return Number.isSafeInteger(id) ? db.select().from(s.directoryEntries).where(eq(s.directoryEntries.id, id)).get() : undefined;
}

/** The institutions to choose from on the form: id, name and USCC, by name. */
export function institutionChoices(db: Q): { id: string; name: string; uscc: string | null }[] {
	return db.select({ id: s.institutions.id, name: s.institutions.name, uscc: s.institutions.uscc }).from(s.institutions).orderBy(asc(s.institutions.name)).all();
}
