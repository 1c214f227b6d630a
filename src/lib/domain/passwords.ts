/**
 * The password rules (GB/T 22239-2019 8.1.4.1 a: 口令复杂度): one checker behind the account page,
 * the office's account creation and reset, and the command line (`user add/reset`).
 *
 * - at least `minLength` characters (the security administrator's setting, never below 10),
 *   at most 128, no control characters;
 * - characters of at least three of four classes: upper-case letters, lower-case letters, digits,
 *   symbols (anything else that is printable, Chinese characters included);
 * - not containing the username, whatever the case;
 * - not on the list of common passwords (`common-passwords.ts`), whatever the case, also with
 *   symbols at its end taken off (`Password123!` is `password123`, which is on the list);
 * - expiry: a password older than `maxAgeDays` (0: never) must be changed; the account's last N
 *   passwords (the setting `passwordHistory`) may not be reused — that check needs the stored
 *   hashes and runs in `services/users.ts`.
 */
import { commonPasswords } from './common-passwords';

export const PASSWORD_MAX_LENGTH = 128;
const DAY = 24 * 60 * 60 * 1000;

export type PasswordRules = {
	/** At least this many characters (the setting `passwordMinLength`). */
	minLength: number;
	/** The account's username: the password may not contain it. */
	username?: string | null;
};

export type CharacterClass = 'upper' | 'lower' | 'digit' | 'symbol';

/** The classes of characters in `password`. */
export function characterClasses(password: string): Set<CharacterClass> {
	const out = new Set<CharacterClass>();
	for (const ch of password) {
		if (/[A-Z]/.test(ch)) out.add('upper');
		else if (/[a-z]/.test(ch)) out.add('lower');
		else if (/[0-9]/.test(ch)) out.add('digit');
		else if (!/\s/u.test(ch)) out.add('symbol');
	}
	return out;
}

/** True when the password, whatever its case, is a common one. */
export function isCommonPassword(password: string): boolean {
	const list = commonPasswords();
	const lower = password.normalize('NFKC').toLowerCase();
	if (list.has(lower)) return true;
	const trimmed = lower.replace(/[^\p{L}\p{N}]+$/u, '');
	return trimmed !== lower && trimmed.length > 0 && list.has(trimmed);
}

/** The first rule `password` breaks, as a Chinese message; null when it keeps them all. */
export function passwordProblem(password: string, rules: PasswordRules): string | null {
	const min = Math.max(10, rules.minLength);
	if ([...password].length < min) return `密码至少${min}个字符`;
	if (password.length > PASSWORD_MAX_LENGTH) return `密码不能超过${PASSWORD_MAX_LENGTH}个字符`;
	if (/[\p{Cc}\p{Cf}]/u.test(password)) return '密码不能包含控制字符';
	if (characterClasses(password).size < 3) return '密码须包含大写字母、小写字母、数字、符号中的至少三类';
	const username = rules.username?.trim().toLowerCase();
	if (username && password.toLowerCase().includes(username)) return '密码不能包含用户名';
	if (isCommonPassword(password)) return '该密码是常见密码，容易被猜中，请换一个';
	return null;
}

/** The rules in one sentence, for the forms. */
export function passwordRulesText(minLength: number, history: number): string {
	return `至少${Math.max(10, minLength)}个字符，包含大写字母、小写字母、数字、符号中的至少三类；不能包含用户名，不能是常见密码，不能与最近${history}次使用过的密码相同。`;
}

/**
 * True when a password set at `changedAt` (null: never changed, then `createdAt` counts) is older
 * than `maxAgeDays` at `now`; never when `maxAgeDays` is 0. An unreadable date counts as expired.
 */
export function passwordExpired(changedAt: string | null, createdAt: string, maxAgeDays: number, now: number): boolean {
	if (maxAgeDays <= 0) return false;
	const since = Date.parse(changedAt ?? createdAt);
	if (Number.isNaN(since)) return true;
	return now - since > maxAgeDays * DAY;
}

const LOWER = 'abcdefghjkmnpqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
const ALL = LOWER + UPPER + DIGITS;

/** A uniformly random integer in [0, n), n ≤ 256 (rejection sampling: no modulo bias). */
function randomInt(n: number, random: (bytes: Uint8Array<ArrayBuffer>) => void): number {
	const limit = 256 - (256 % n);
	const b = new Uint8Array(1);
	for (;;) {
		random(b);
		if (b[0] < limit) return b[0] % n;
	}
}

const pick = (alphabet: string, random: (bytes: Uint8Array<ArrayBuffer>) => void) => alphabet[randomInt(alphabet.length, random)];

/**
 * A readable random initial password (no 0/O/1/l/I) of at least 12 characters with upper- and
 * lower-case letters and digits, that keeps every rule for this account.
 */
export function generatePassword(
	rules: PasswordRules,
	random: (bytes: Uint8Array<ArrayBuffer>) => void = (b) => crypto.getRandomValues(b)
): string {
	const length = Math.max(12, rules.minLength);
	for (;;) {
		const chars = Array.from({ length }, () => pick(ALL, random));
		// One of each class at random places (distinct positions).
		const places: number[] = [];
		while (places.length < 3) {
			const p = randomInt(length, random);
			if (!places.includes(p)) places.push(p);
		}
		chars[places[0]] = pick(LOWER, random);
		chars[places[1]] = pick(UPPER, random);
		chars[places[2]] = pick(DIGITS, random);
		const password = chars.join('');
		if (passwordProblem(password, rules) === null) return password;
	}
}
