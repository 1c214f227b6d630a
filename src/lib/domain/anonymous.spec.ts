import { describe, expect, it } from 'vitest';
import { aliasLetters, canonicalJson, expertAlias } from './anonymous';

describe('code names and canonical JSON', () => {
	it('letters run A…Z, then AA, AB… like spreadsheet columns', () => {
		expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(aliasLetters)).toEqual(['A', 'B', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA']);
		expect(expertAlias(2)).toBe('专家C');
	});

	it('sorts keys at every level, drops undefined members, and writes non-finite numbers as null', () => {
		expect(canonicalJson({ b: [{ y: 1, x: undefined, w: NaN }], a: 'z' })).toBe('{"a":"z","b":[{"w":null,"y":1}]}');
		expect(canonicalJson({ a: 1, b: { d: 2, c: 3 } })).toBe(canonicalJson({ b: { c: 3, d: 2 }, a: 1 }));
	});
});
