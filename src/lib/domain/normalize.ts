/**
 * Values as people type them, made one (issue 15, item 12): full-width digits and letters from a
 * Chinese input mode, spaces around values, lower-case letters in codes, names padded with a
 * full-width space (周　明). Every entry — the web form, Excel, Word, a bundle — stores what these
 * return, so the same value is accepted (or refused) the same way on every path.
 */

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/u;

/** A code (USCC, ID number): NFKC, no whitespace at all, upper case; blank is null. */
export function normalizeCode(v: string | null | undefined): string | null {
	if (v == null) return null;
	const t = v.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
	return t === '' ? null : t;
}

/** A phone as typed, in half-width (NFKC), trimmed, inner spaces single; blank is null. Matching uses digits only (conflicts.normalizePhone). */
export function normalizePhoneText(v: string | null | undefined): string | null {
	if (v == null) return null;
	const t = v.normalize('NFKC').trim().replace(/\s+/g, ' ');
	return t === '' ? null : t;
}

/** A person's name: NFKC and trimmed; a Chinese name loses the spaces that pad it (周　明 → 周明). Blank is null. */
export function normalizeName(v: string | null | undefined): string | null {
	if (v == null) return null;
	let t = v.normalize('NFKC').trim();
	t = CJK.test(t) ? t.replace(/\s+/g, '') : t.replace(/\s+/g, ' ');
	return t === '' ? null : t;
}

/** A date or other short machine value: half-width and trimmed (a string that is not one is returned as is). */
export function normalizeShort(v: unknown): unknown {
	return typeof v === 'string' ? v.normalize('NFKC').trim() : v;
}
