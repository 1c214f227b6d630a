/**
 * The memo's narrative paragraphs and its 版头/版记 settings, edited by the office and stored per
 * batch in `batches.memo` (tables are always generated). Each save keeps what the other stores.
 */
import { eq } from 'drizzle-orm';
import * as z from 'zod';
import * as s from '../db/schema';
import { audit, type Actor } from '../audit';
import { batchById, requirePhase, type BatchScope } from '../scope';
import { canWrite } from '../../domain/phases';
import { MEMO_PARAGRAPH_KEYS } from '../export/memo-data';
import { MEMO_SETTING_KEYS, MEMO_SETTING_LABELS, memoSettingsInput, type MemoSettings } from '../../domain/memo-settings';
import { Refusal } from '../refusal';

export const paragraphsInput = z.object(
	Object.fromEntries(MEMO_PARAGRAPH_KEYS.map((k) => [k, z.string().max(4000, { message: '每段不能超过4000字' }).default('')])) as Record<
		(typeof MEMO_PARAGRAPH_KEYS)[number],
		z.ZodDefault<z.ZodString>
	>
);

const pick = (memo: Record<string, string> | null | undefined, keys: readonly string[]) =>
	Object.fromEntries(Object.entries(memo ?? {}).filter(([k]) => keys.includes(k)));

/** Stores the edited paragraphs; a blank paragraph goes back to the generated default. */
export function saveParagraphs(scope: BatchScope, input: Record<string, string>, actor: Actor): string[] {
	const p = paragraphsInput.parse(input);
	const custom = Object.fromEntries(Object.entries(p).filter(([, v]) => v.trim() !== '').map(([k, v]) => [k, v.trim()]));
	scope.db.transaction((tx) => {
		requirePhase(tx, scope, canWrite, '');
		const batch = batchById(tx, scope.batch.id)!;
		tx.update(s.batches)
			.set({ memo: { ...pick(batch.memo, MEMO_SETTING_KEYS), ...custom } })
			.where(eq(s.batches.id, batch.id))
			.run();
		audit(tx, actor, 'memo.paragraphs', 'batch', batch.id, { custom: Object.keys(custom) });
	});
	return Object.keys(custom);
}

/** A settings form that does not hold: the fields it names, each with its Chinese message. */
export class MemoSettingsError extends Refusal {}

/**
 * Stores the 版头 and 版记 settings (发文机关标志, 发文字号, 签发人, 抄送, 印发机关, 印发日期), each
 * validated and normalised (the 发文字号's year in 〔〕); a blank one goes back to its default.
 * Refused with nothing written when a field does not hold or the batch is archived.
 */
export function saveMemoSettings(scope: BatchScope, input: Record<string, unknown>, actor: Actor): MemoSettings {
	const parsed = memoSettingsInput.safeParse(input);
	if (!parsed.success) {
		const errors: Record<string, string> = {};
		for (const issue of parsed.error.issues) {
			const key = String(issue.path[0]) as keyof typeof MEMO_SETTING_LABELS;
			errors[key] ??= `${MEMO_SETTING_LABELS[key] ?? key}：${issue.message}`;
		}
		throw new MemoSettingsError(Object.values(errors)[0], 400, errors);
	}
	const settings = parsed.data as MemoSettings;
	scope.db.transaction((tx) => {
		requirePhase(tx, scope, canWrite, '');
		const batch = batchById(tx, scope.batch.id)!;
		const set = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== ''));
		tx.update(s.batches)
			.set({ memo: { ...pick(batch.memo, MEMO_PARAGRAPH_KEYS), ...set } })
			.where(eq(s.batches.id, batch.id))
			.run();
		audit(tx, actor, 'memo.settings', 'batch', batch.id, { set: Object.keys(set), documentNo: settings.documentNo || null });
	});
	return settings;
}
