import { describe, expect, it } from 'vitest';
import { escapeCellText, unescapeCellText } from './cell-text';

const HOSTILE = ['=HYPERLINK("http://evil.example","点击")', '＝1+1', '＋86 123', '－5', '＠SUM(A1)', '+1', '-1', '@x', '\t=1', '\r=1', '\n=1', "'=1", "''x"];

describe('formula escaping', () => {
	it('prefixes every trigger, half- and full-width, and a leading apostrophe', () => {
		for (const t of HOSTILE) expect(escapeCellText(t)).toBe(`'${t}`);
		for (const t of ['沈阳智算科技有限公司', ' =1', 'a=1', '１+1', '', '（=）']) expect(escapeCellText(t)).toBe(t);
	});

	it('is undone exactly by unescapeCellText, for any text', () => {
		for (const t of [...HOSTILE, "'abc", 'abc', '', "'", "''", '=']) expect(unescapeCellText(escapeCellText(t))).toBe(t);
		// An apostrophe that was typed, not added, stays.
		expect(unescapeCellText("'abc")).toBe("'abc");
	});
});
