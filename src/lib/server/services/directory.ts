/**
 * The office keeps the directory (目录) by hand: add, edit and delete an entry. Each change is one
 * transaction with its audit entry. The directory is shared by all batches (like the institutions),
 * so no batch phase is asked; the formal check of every batch reads it (ALREADY_IN_DIRECTORY).
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import * as s from '../db/schema';
import { audit, type Actor } from '../audit';
import { Refusal } from '../refusal';
import { parseDirectoryEntry, type DirectoryFilter, type DirectoryInput, type DirectoryValues } from '../../domain/directory';
import { directoryEntry, directoryList } from '../queries/directory';
import { nationalDecisionOf } from '../queries/national';
import { renderDirectoryWorkbook } from '../export/directory-xlsx';

function parse(db: Pick<Db, 'select'>, input: DirectoryInput): DirectoryValues {
	const r = parseDirectoryEntry(input);
	if (!r.ok) throw new Refusal(Object.values(r.errors)[0], 400, r.errors);
	const inst = db.select({ id: s.institutions.id }).from(s.institutions).where(eq(s.institutions.id, r.values.institutionId)).get();
	if (!inst) throw new Refusal(`机构 ${r.values.institutionId} 不存在`, 400, { institutionId: `机构 ${r.values.institutionId} 不存在` });
	return r.values;
}

/** Adds an entry by hand; returns its id. */
export function createDirectoryEntry(db: Db, actor: Actor, input: DirectoryInput): number {
	const v = parse(db, input);
	return db.transaction((tx) => {
		const row = tx
			.insert(s.directoryEntries)
			.values({ ...v, userId: actor.userId })
			.returning({ id: s.directoryEntries.id })
			.get();
		audit(tx, actor, 'directory.create', 'directory', String(row.id), { institutionId: v.institutionId, occupation: v.occupation, type: v.type });
		return row.id;
	});
}

const FIELDS = ['institutionId', 'occupation', 'type', 'levels', 'validFrom', 'validTo', 'documentNo', 'note'] as const;

function requireEntry(db: Pick<Db, 'select'>, id: number) {
	const row = directoryEntry(db, id);
	if (!row) throw new Refusal('没有找到该目录条目（可能已被删除）', 404);
	return row;
}

/** Edits an entry; returns the fields that changed (none: nothing written). */
export function updateDirectoryEntry(db: Db, actor: Actor, id: number, input: DirectoryInput): string[] {
	const old = requireEntry(db, id);
	const v = parse(db, input);
	const changed = FIELDS.filter((f) => JSON.stringify(old[f] ?? null) !== JSON.stringify(v[f] ?? null));
	if (!changed.length) return [];
	db.transaction((tx) => {
		tx.update(s.directoryEntries).set({ ...v, userId: actor.userId }).where(eq(s.directoryEntries.id, id)).run();
		audit(tx, actor, 'directory.update', 'directory', String(id), { institutionId: v.institutionId, occupation: v.occupation, type: v.type, changed });
	});
	return changed;
}

export function deleteDirectoryEntry(db: Db, actor: Actor, id: number): void {
	const old = requireEntry(db, id);
	// An entry a recorded 确定 produced goes with that decision (国家确定结果 page), not by hand.
	const decision = old.applicationId ? nationalDecisionOf(db, old.applicationId) : null;
	if (decision?.decision === 'confirmed') throw new Refusal(`该条目由国家确定结果（${decision.documentNo}）生成，请在“国家确定结果”页改为未确定或撤销登记`, 409);
	db.transaction((tx) => {
		tx.delete(s.directoryEntries).where(eq(s.directoryEntries.id, id)).run();
		audit(tx, actor, 'directory.delete', 'directory', String(id), { institutionId: old.institutionId, occupation: old.occupation, type: old.type });
	});
}

/** The filtered directory as an Excel workbook, the export audited (filter and row count). */
export async function exportDirectory(db: Db, actor: Actor, filter: DirectoryFilter, day: string): Promise<Buffer> {
	const rows = directoryList(db, filter, day);
	const body = await renderDirectoryWorkbook(rows, day);
	db.transaction((tx) => audit(tx, actor, 'directory.export', 'directory', null, { filter, rows: rows.length }));
	return body;
}
