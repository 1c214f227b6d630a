import { describe, expect, it } from 'vitest';
import { normalizeCode, normalizeName, normalizePhoneText, normalizeShort } from './normalize';

describe('normalizing what people type', () => {
	it('codes: full-width, lower case, spaces', () => {
		expect(normalizeCode(' ９１２１０１００ma0xxxxxxx ')).toBe('91210100MA0XXXXXXX');
		expect(normalizeCode('2101 0219 8001 01123x')).toBe('21010219800101123X');
		expect(normalizeCode('　')).toBeNull();
		expect(normalizeCode(null)).toBeNull();
	});

	it('phones: half-width, trimmed, separators kept', () => {
		expect(normalizePhoneText(' １３８００１３８０００ ')).toBe('13800138000');
		expect(normalizePhoneText('０２４－８８８８　６６６６')).toBe('024-8888 6666');
		expect(normalizePhoneText('  ')).toBeNull();
	});

	it('names: a Chinese name loses its padding, a Latin one keeps one space', () => {
		expect(normalizeName('周　明')).toBe('周明');
		expect(normalizeName(' 欧阳 娜娜 ')).toBe('欧阳娜娜');
		expect(normalizeName('  John   Smith ')).toBe('John Smith');
		expect(normalizeName('　')).toBeNull();
	});

	it('short values: dates typed in full width', () => {
		expect(normalizeShort(' ２０２３－０６－１０ ')).toBe('2023-06-10');
		expect(normalizeShort(5)).toBe(5);
	});
});
