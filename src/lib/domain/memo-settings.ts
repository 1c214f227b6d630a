/**
 * The memo's 版头 and 版记 settings (GB/T 9704-2012, 7.2 and 7.4), as the office types them:
 * 发文机关标志, 发文字号, 签发人 (the memo is an upward document, 上行文), 抄送, 印发机关 and
 * 印发日期. Stored beside the narrative paragraphs in `batches.memo` under the keys below; a blank
 * setting falls back to a default (`memoSettingsOf`).
 */
import * as z from 'zod';

export const MEMO_SETTING_KEYS = ['masthead', 'documentNo', 'signer', 'copyTo', 'printedBy', 'printedOn'] as const;
export type MemoSettingKey = (typeof MEMO_SETTING_KEYS)[number];
export type MemoSettings = Record<MemoSettingKey, string>;

export const MEMO_SETTING_LABELS: Record<MemoSettingKey, string> = {
	masthead: '发文机关标志',
	documentNo: '发文字号',
	signer: '签发人',
	copyTo: '抄送',
	printedBy: '印发机关',
	printedOn: '印发日期'
};

const OPEN = '[〔［\\[(（【]';
const CLOSE = '[〕］\\])）】]';
const DOCUMENT_NO = new RegExp(`^([^\\d〔〕［］\\[\\]()（）【】]{1,12})${OPEN}(\\d{4})${CLOSE}第?(\\d{1,5})号$`, 'u');

/** Full-width digits to half-width, all whitespace removed. */
const compact = (v: string) => v.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\s+/g, '');

/**
 * A 发文字号 as typed, made into the standard's form: 机关代字, the year in 〔〕, the number without
 * leading zeros or 第, then 号 (GB/T 9704-2012, 7.2.5) — `辽人社[2023]045号` → `辽人社〔2023〕45号`.
 * Null when it cannot be read as one.
 */
export function normalizeDocumentNo(raw: string): string | null {
	const m = DOCUMENT_NO.exec(compact(raw));
	if (!m) return null;
	const year = Number(m[2]);
	const n = Number(m[3]);
	if (year < 1949 || year > 2100 || n < 1) return null;
	return `${m[1]}〔${m[2]}〕${n}号`;
}

/** 抄送 as stored: trimmed, without the closing 。 (the memo adds it, 7.4.2). */
export function normalizeCopyTo(raw: string): string {
	return raw
		.replace(/[，,、；;]?\s*\n\s*/g, '，')
		.trim()
		.replace(/[。.，,；;、]+$/u, '');
}

const isRealDate = (v: string) => {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
	if (!m) return false;
	const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
	return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
};

const CJK_NAME = /^[\u3400-\u9fff\uf900-\ufaff·]{2,10}$/u;
const ORGAN = /^[^\n\r<>]{2,40}$/u;

const text = (v: unknown) => (typeof v === 'string' ? v : '');

/** The settings form: every field may be blank (its default is used); what is given must be well formed. */
export const memoSettingsInput = z.object({
	masthead: z
		.preprocess((v) => text(v).replace(/\s+/g, ''), z.string())
		.refine((v) => v === '' || ORGAN.test(v), { message: '应为2至40个字的发文机关全称或规范化简称' }),
	documentNo: z
		.preprocess((v) => text(v).trim(), z.string())
		.transform((v, ctx) => {
			if (v === '') return '';
			const n = normalizeDocumentNo(v);
			if (n === null) {
				ctx.addIssue({ code: 'custom', message: '格式应为机关代字、年份和序号，如“辽人社〔2023〕45号”（年份用六角括号〔〕括入）' });
				return z.NEVER;
			}
			return n;
		}),
	signer: z
		.preprocess((v) => text(v).normalize('NFKC').replace(/\s+/g, ''), z.string())
		.refine((v) => v === '' || CJK_NAME.test(v), { message: '应为签发人的姓名（2至10个汉字）' }),
	copyTo: z
		.preprocess((v) => normalizeCopyTo(text(v)), z.string())
		.refine((v) => v.length <= 300, { message: '不能超过300字' })
		.refine((v) => !/[<>]/.test(v), { message: '不能含有“<”或“>”' }),
	printedBy: z
		.preprocess((v) => text(v).replace(/\s+/g, ''), z.string())
		.refine((v) => v === '' || ORGAN.test(v), { message: '应为2至40个字的印发机关名称' }),
	printedOn: z
		.preprocess((v) => text(v).normalize('NFKC').trim(), z.string())
		.refine((v) => v === '' || isRealDate(v), { message: '应为日期，如 2023-03-06' })
});

export type MemoSettingsInput = z.input<typeof memoSettingsInput>;

/** The settings stored in `batches.memo` (blank when not set). */
export function storedSettings(memo: Record<string, unknown> | null | undefined): MemoSettings {
	return Object.fromEntries(MEMO_SETTING_KEYS.map((k) => [k, typeof memo?.[k] === 'string' ? (memo[k] as string).trim() : ''])) as MemoSettings;
}

/**
 * The settings the memo prints: the stored ones, with defaults for 发文机关标志 (the issuer),
 * 印发机关 (the issuer's 办公室) and 印发日期 (the memo's date). 发文字号, 签发人 and 抄送 have
 * no default: the memo leaves them out until the office sets them.
 */
export function memoSettingsOf(memo: Record<string, unknown> | null | undefined, defaults: { issuer: string; memoDate: string }): MemoSettings {
	const s = storedSettings(memo);
	return {
		masthead: s.masthead || defaults.issuer,
		documentNo: s.documentNo,
		signer: s.signer,
		copyTo: s.copyTo,
		printedBy: s.printedBy || `${defaults.issuer}办公室`,
		printedOn: s.printedOn || defaults.memoDate
	};
}
