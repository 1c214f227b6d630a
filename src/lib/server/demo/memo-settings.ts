/**
 * The memo's 版头 and 版记 settings in the demo (GB/T 9704-2012): the archived 第一批 with the number
 * its report was issued under, the playable 第二批 with the number reserved for it. Written straight
 * into `batches.memo` beside any narrative paragraphs (no phase check: 第一批 is archived).
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import * as s from '../db/schema';
import { memoSettingsInput, type MemoSettings } from '../../domain/memo-settings';

const COMMON = {
	masthead: '辽宁省人力资源和社会保障厅',
	signer: '张宏伟',
	copyTo: '人力资源社会保障部专业技术人员管理司',
	printedBy: '辽宁省人力资源和社会保障厅办公室'
};

export const DEMO_MEMO_SETTINGS: Record<string, MemoSettings> = {
	'ln-2022-b1': { ...COMMON, documentNo: '辽人社〔2022〕87号', printedOn: '2022-11-11' },
	'ln-2023-b2': { ...COMMON, documentNo: '辽人社〔2023〕45号', printedOn: '' }
};

/** Sets the demo batches' memo settings (those of the batches present), keeping their paragraphs. */
export function seedMemoSettings(db: Db): void {
	for (const [batchId, settings] of Object.entries(DEMO_MEMO_SETTINGS)) {
		const row = db.select({ memo: s.batches.memo }).from(s.batches).where(eq(s.batches.id, batchId)).get();
		if (!row) continue;
		const valid = memoSettingsInput.parse(settings);
		db.update(s.batches).set({ memo: { ...(row.memo ?? {}), ...valid } }).where(eq(s.batches.id, batchId)).run();
	}
}
