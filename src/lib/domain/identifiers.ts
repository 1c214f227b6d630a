/**
 * Check-character validation of the unified social credit code (GB 32100-2015) and of the
 * citizen identity number (GB 11643-1999). Pure functions, no normalisation: the value is
 * checked exactly as given (callers trim and upper-case user input before storing it).
 */

export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export type UsccProblem = 'length' | 'charset' | 'check';

/** Computes the 18th character from the first 17 (which must be in the charset). */
export function usccCheckChar(first17: string): string {
	let sum = 0;
	for (let i = 0; i < 17; i++) sum += USCC_CHARSET.indexOf(first17[i]) * USCC_WEIGHTS[i];
	const c = (31 - (sum % 31)) % 31;
	return USCC_CHARSET[c];
}

/** null when the code is valid, else what is wrong. */
export function usccProblem(code: string | null | undefined): UsccProblem | null {
	if (typeof code !== 'string' || code.length !== 18) return 'length';
	for (const ch of code) if (!USCC_CHARSET.includes(ch)) return 'charset';
	// Positions 3–8 are the administrative division code: digits only.
	if (!/^\d{6}$/.test(code.slice(2, 8))) return 'charset';
	return usccCheckChar(code.slice(0, 17)) === code[17] ? null : 'check';
}

export function isValidUscc(code: string | null | undefined): boolean {
	return usccProblem(code) === null;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

export type IdNumberProblem = 'length' | 'charset' | 'date' | 'check';

export function idCheckChar(first17: string): string {
	let sum = 0;
	for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i];
	return ID_CHECK[sum % 11];
}

function isCalendarDate(y: number, m: number, d: number): boolean {
	if (m < 1 || m > 12 || d < 1) return false;
	const days = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
	return d <= days[m - 1];
}

/**
 * null when valid. `today` (YYYY-MM-DD) bounds the birth date from above; any real date from
 * 1800 on is accepted (GB 11643's own example, 440524188001010014, is born in 1880).
 */
export function idNumberProblem(id: string | null | undefined, today?: string): IdNumberProblem | null {
	if (typeof id !== 'string' || id.length !== 18) return 'length';
	if (!/^\d{17}[\dX]$/.test(id)) return 'charset';
	const y = Number(id.slice(6, 10));
	const m = Number(id.slice(10, 12));
	const d = Number(id.slice(12, 14));
	if (y < 1800 || !isCalendarDate(y, m, d)) return 'date';
	const birth = id.slice(6, 14);
	const limit = (today ?? new Date().toISOString().slice(0, 10)).replaceAll('-', '');
	if (birth > limit) return 'date';
	return idCheckChar(id.slice(0, 17)) === id[17] ? null : 'check';
}

export function isValidIdNumber(id: string | null | undefined, today?: string): boolean {
	return idNumberProblem(id, today) === null;
}

/** Shows the first 6 and last 4 characters: 210102********1234. */
export function maskIdNumber(id: string | null | undefined): string {
	if (!id) return '';
	if (id.length <= 10) return '*'.repeat(id.length);
	return id.slice(0, 6) + '*'.repeat(id.length - 10) + id.slice(-4);
}

/** Shows the first 3 and last 4 digits of a phone number. */
export function maskPhone(phone: string | null | undefined): string {
	if (!phone) return '';
	if (phone.length <= 7) return phone.slice(0, 1) + '*'.repeat(Math.max(phone.length - 1, 0));
	return phone.slice(0, 3) + '*'.repeat(phone.length - 7) + phone.slice(-4);
}

export const USCC_PROBLEM_TEXT: Record<UsccProblem, string> = {
	length: '应为18位',
	charset: '含有不允许的字符（仅限数字和除 I、O、Z、S、V 以外的大写字母，第3–8位为行政区划码）',
	check: '校验码不正确'
};
export const ID_PROBLEM_TEXT: Record<IdNumberProblem, string> = {
	length: '应为18位',
	charset: '前17位应为数字，末位为数字或 X',
	date: '出生日期无效',
	check: '校验码不正确'
};

/** 1 for the UTF-16 code units that `/\s/u` matches (filled on first use from the regex itself). */
let spaceUnits: Uint8Array | null = null;

/**
 * Counts characters as the notice does: Unicode characters (code points), whitespace (`/\s/u`) not
 * counted. The same count as testing every code point with the regex, without a regex call per
 * character (the formal check counts every narrative of every application).
 */
export function countChars(text: string | null | undefined): number {
	if (!text) return 0;
	if (!spaceUnits) {
		spaceUnits = new Uint8Array(0x10000);
		for (let c = 0; c < 0x10000; c++) if (/\s/u.test(String.fromCharCode(c))) spaceUnits[c] = 1;
	}
	const space = spaceUnits;
	let n = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
			const d = text.charCodeAt(i + 1);
			if (d >= 0xdc00 && d <= 0xdfff) {
				// a surrogate pair is one code point (and never whitespace, but ask the regex all the same)
				if (!/\s/u.test(text.slice(i, i + 2))) n++;
				i++;
				continue;
			}
		}
		if (!space[c]) n++;
	}
	return n;
}
