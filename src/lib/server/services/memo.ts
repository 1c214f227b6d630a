/** The memo's narrative paragraphs, edited by the office and stored per batch (tables are always generated). */
import { eq } from 'drizzle-orm';
import * as z from 'zod';
import * as s from '../db/schema';
import { audit, type Actor } from '../audit';
import { batchById, requirePhase, type BatchScope } from '../scope';
import { canWrite } from '../../domain/phases';
import { MEMO_PARAGRAPH_KEYS } from '../export/memo-data';

export const paragraphsInput = z.object(
	Object.fromEntries(MEMO_PARAGRAPH_KEYS.map((k) => [k, z.string().max(4000, { message: '每段不能超过4000字' }).default('')])) as Record<
		(typeof MEMO_PARAGRAPH_KEYS)[number],
		z.ZodDefault<z.ZodString>
	>
);

/** Stores the edited paragraphs; a blank paragraph goes back to the generated default. */
export function saveParagraphs(scope: BatchScope, input: Record<string, string>, actor: Actor): string[] {
	const p = paragraphsInput.parse(input);
	const custom = Object.fromEntries(Object.entries(p).filter(([, v]) => v.trim() !== '').map(([k, v]) => [k, v.trim()]));
	scope.db.transaction((tx) => {
		requirePhase(tx, scope, canWrite, '');
		const batch = batchById(tx, scope.batch.id)!;
		tx.update(s.batches).set({ memo: custom }).where(eq(s.batches.id, batch.id)).run();
		audit(tx, actor, 'memo.paragraphs', 'batch', batch.id, { custom: Object.keys(custom) });
	});
	return Object.keys(custom);
}
