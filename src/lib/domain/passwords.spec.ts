import { describe, expect, it } from 'vitest';
import {
	characterClasses,
	generatePassword,
	isCommonPassword,
	passwordExpired,
	passwordProblem,
	passwordRulesText
} from './passwords';
import { CHINESE_COMMON_PASSWORDS, commonPasswords } from './common-passwords';

const RULES = { minLength: 10, username: 'city-anshan' };

describe('passwordProblem', () => {
	it('accepts a long password of three classes that is not common', () => {
		expect(passwordProblem('Liaoning-Review7', RULES)).toBeNull();
		expect(passwordProblem('hx7#kq2!vm9@', RULES)).toBeNull(); // lower, digit, symbol
		expect(passwordProblem('HX7KQ2VM9Zt', RULES)).toBeNull(); // upper, digit, lower
		expect(passwordProblem('评审工作台Ab3xyz9', RULES)).toBeNull(); // Chinese characters count as symbols
	});

	it('needs the minimum length (the setting, never below 10)', () => {
		expect(passwordProblem('Ab3$xyz9k', RULES)).toBe('密码至少10个字符');
		expect(passwordProblem('Ab3$xyz9kq', RULES)).toBeNull();
		expect(passwordProblem('Ab3$xyz9kqw', { minLength: 12 })).toBe('密码至少12个字符');
		expect(passwordProblem('Ab3$xyz9k', { minLength: 4 })).toBe('密码至少10个字符');
		expect(passwordProblem('Ab3$' + 'x'.repeat(200), RULES)).toBe('密码不能超过128个字符');
	});

	it('needs three of the four classes', () => {
		const msg = '密码须包含大写字母、小写字母、数字、符号中的至少三类';
		expect(passwordProblem('onlylowercaseletters', RULES)).toBe(msg);
		expect(passwordProblem('lowerand12345digits', RULES)).toBe(msg);
		expect(passwordProblem('UPPERlowerletters', RULES)).toBe(msg);
		expect(passwordProblem('!!!###$$$%%%123', RULES)).toBe(msg);
		expect(passwordProblem('spaces do not count 12', RULES)).toBe(msg);
		expect(passwordProblem('Spaces do not count 12', RULES)).toBeNull();
		expect([...characterClasses('aB3$')].sort()).toEqual(['digit', 'lower', 'symbol', 'upper']);
	});

	it('refuses control characters', () => {
		expect(passwordProblem('Ab3xyz9kqw\u0000', RULES)).toBe('密码不能包含控制字符');
		expect(passwordProblem('Ab3xyz9kq\tw', RULES)).toBe('密码不能包含控制字符');
	});

	it('refuses a password containing the username, whatever the case', () => {
		expect(passwordProblem('Xy7-City-Anshan', RULES)).toBe('密码不能包含用户名');
		expect(passwordProblem('CITY-ANSHAN2024', RULES)).toBe('密码不能包含用户名');
		expect(passwordProblem('Office2023demo', { minLength: 10, username: 'office' })).toBe('密码不能包含用户名');
		expect(passwordProblem('Office2023demo', { minLength: 10, username: 'exp-01' })).toBeNull();
	});

	it('refuses common passwords whatever the case, also with symbols added at the end', () => {
		const msg = '该密码是常见密码，容易被猜中，请换一个';
		for (const p of ['Aa123456789', 'aA123456789', 'Woaini1314!', 'Qwertyuiop1', '1Qaz2Wsx3Edc', 'Password123!', 'P@ssw0rd123', 'Admin@123456', 'Zxcvbnm123!']) {
			expect(passwordProblem(p, RULES), p).toBe(msg);
		}
		expect(isCommonPassword('WOAINI1314')).toBe(true);
		expect(isCommonPassword('qwertyuiop')).toBe(true);
		expect(isCommonPassword('1qaz2wsx')).toBe(true);
		expect(isCommonPassword('Liaoning-Review7')).toBe(false);
	});

	it('ships a real list: tens of thousands of passwords, the Chinese ones included', () => {
		const list = commonPasswords();
		expect(list.size).toBeGreaterThan(40_000);
		for (const p of CHINESE_COMMON_PASSWORDS) expect(list.has(p.toLowerCase()), p).toBe(true);
		for (const p of ['123456', 'password', 'iloveyou', 'dragon']) expect(list.has(p)).toBe(true);
	});
});

describe('passwordExpired', () => {
	const now = Date.parse('2026-06-30T00:00:00Z');
	it('counts from the last change, else from the account’s creation', () => {
		expect(passwordExpired('2026-04-01T00:00:00Z', '2020-01-01T00:00:00Z', 90, now)).toBe(false);
		expect(passwordExpired('2026-03-31T23:59:59Z', '2020-01-01T00:00:00Z', 90, now)).toBe(true);
		expect(passwordExpired(null, '2026-04-01T00:00:00Z', 90, now)).toBe(false);
		expect(passwordExpired(null, '2026-01-01T00:00:00Z', 90, now)).toBe(true);
	});
	it('never expires with 0 days; an unreadable date counts as expired', () => {
		expect(passwordExpired(null, '2000-01-01T00:00:00Z', 0, now)).toBe(false);
		expect(passwordExpired('not a date', '2026-06-01T00:00:00Z', 90, now)).toBe(true);
	});
});

describe('generatePassword', () => {
	it('makes readable passwords that keep every rule for the account', () => {
		for (let i = 0; i < 300; i++) {
			const p = generatePassword({ minLength: 10, username: 'ab' });
			expect(p).toMatch(/^[A-HJ-NP-Za-km-z2-9]{12}$/);
			expect(passwordProblem(p, { minLength: 10, username: 'ab' })).toBeNull();
		}
		expect(generatePassword({ minLength: 16 })).toHaveLength(16);
	});

	it('tries again when a draw breaks a rule (here: contains the username)', () => {
		// A fixed byte stream: the first draw spells the username, the second one does not.
		const stream = [...Array(40).fill(0), ...Array.from({ length: 200 }, (_, i) => (i * 37) % 220)];
		let at = 0;
		const random = (b: Uint8Array) => {
			b[0] = stream[at++ % stream.length];
		};
		const p = generatePassword({ minLength: 10, username: 'aaaa' }, random);
		expect(passwordProblem(p, { minLength: 10, username: 'aaaa' })).toBeNull();
		expect(at).toBeGreaterThan(15);
	});
});

describe('passwordRulesText', () => {
	it('names the length and the history', () => {
		expect(passwordRulesText(12, 5)).toContain('至少12个字符');
		expect(passwordRulesText(12, 5)).toContain('最近5次');
	});
});
