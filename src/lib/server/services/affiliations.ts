/**
 * The expert's standing conflict profile (issue 13, item 6): former units and relatives' units,
 * kept by the office on the expert's page and by the expert on their own profile page. Every
 * change is one transaction with its audit entry (ids, kind and the fields changed; not the text).
 * The profile is shared by all batches; conflict detection reads it (`batch-state.ts`).
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db';
import * as s from '../db/schema';
import { audit, type Actor } from '../audit';
import { Refusal } from '../refusal';
import { parseAffiliation, type AffiliationInput } from '../../domain/affiliations';
import { beijingDate } from '../../domain/time';

function requireExpert(db: Pick<Db, 'select'>, expertId: string) {
	const e = db.select({ id: s.experts.id }).from(s.experts).where(eq(s.experts.id, expertId)).get();
	if (!e) throw new Refusal(`专家 ${expertId} 不存在`, 404);
}

function requireEntry(db: Pick<Db, 'select'>, expertId: string, id: number) {
	const row = Number.isSafeInteger(id)
		? db
				.select()
				.from(s.expertAffiliations)
				.where(and(eq(s.expertAffiliations.id, id), eq(s.expertAffiliations.expertId, expertId)))
				.get()
		: undefined;
	// Another expert's entry is answered as missing: nothing to learn about it.
	if (!row) throw new Refusal('没有找到该条记录（可能已被删除）', 404, { id: '没有找到该条记录' });
	return row;
}

function parse(input: AffiliationInput, now: Date) {
	const r = parseAffiliation(input, beijingDate(now));
	if (!r.ok) throw new Refusal(Object.values(r.errors)[0], 400, r.errors);
	return r.values;
}

/** Adds an entry to the expert's profile; returns its id. */
export function addAffiliation(db: Db, actor: Actor, expertId: string, input: AffiliationInput, now = new Date()): number {
	requireExpert(db, expertId);
	const v = parse(input, now);
	return db.transaction((tx) => {
		const row = tx
			.insert(s.expertAffiliations)
			.values({ expertId, kind: v.kind, unit: v.unit, relation: v.relation, endedOn: v.endedOn, note: v.note, createdAt: now.toISOString() })
			.returning({ id: s.expertAffiliations.id })
			.get();
		audit(tx, actor, 'expert.affiliation.add', 'expert', expertId, { affiliationId: row.id, kind: v.kind });
		return row.id;
	});
}

const FIELDS = ['kind', 'unit', 'relation', 'endedOn', 'note'] as const;

/** Changes an entry of the expert's profile; returns the fields that changed (none: nothing written). */
export function updateAffiliation(db: Db, actor: Actor, expertId: string, id: number, input: AffiliationInput, now = new Date()): string[] {
	requireExpert(db, expertId);
	const old = requireEntry(db, expertId, id);
	const v = parse(input, now);
	const changed = FIELDS.filter((f) => (old[f] ?? null) !== (v[f] ?? null));
	if (!changed.length) return [];
	db.transaction((tx) => {
		tx.update(s.expertAffiliations).set({ kind: v.kind, unit: v.unit, relation: v.relation, endedOn: v.endedOn, note: v.note }).where(eq(s.expertAffiliations.id, id)).run();
		audit(tx, actor, 'expert.affiliation.update', 'expert', expertId, { affiliationId: id, kind: v.kind, changed });
	});
	return changed;
}

/** Removes an entry from the expert's profile. */
export function deleteAffiliation(db: Db, actor: Actor, expertId: string, id: number): void {
	requireExpert(db, expertId);
	const old = requireEntry(db, expertId, id);
	db.transaction((tx) => {
		tx.delete(s.expertAffiliations).where(eq(s.expertAffiliations.id, id)).run();
		audit(tx, actor, 'expert.affiliation.delete', 'expert', expertId, { affiliationId: id, kind: old.kind });
	});
}

/** The entry id a form posts ("12"), or NaN. */
export function entryId(raw: FormDataEntryValue | null): number {
	return typeof raw === 'string' && /^\d{1,12}$/.test(raw) ? Number(raw) : NaN;
}
