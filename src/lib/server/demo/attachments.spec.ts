import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { demoPdf, demoPng } from './attachments';
import { sniffMime } from '../files';

describe('demo files', () => {
	it('the PDF is one that uploads accept, and its cross-reference table points at its objects', () => {
		const pdf = demoPdf('法人登记证书（副本）', ['名称：沈阳测试学校', 'USCC 91210100'], '登记管理机关');
		expect(sniffMime(pdf)).toBe('application/pdf');
		const text = Buffer.from(pdf).toString('latin1');
		const xref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(text)![1]);
		expect(text.slice(xref, xref + 4)).toBe('xref');
		const offsets = [...text.slice(xref).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
		expect(offsets).toHaveLength(7);
		offsets.forEach((o, i) => expect(text.slice(o, o + `${i + 1} 0 obj`.length)).toBe(`${i + 1} 0 obj`));
		// Chinese text as UCS-2 code units: 法 = U+6CD5.
		expect(text).toContain('<6cd54eba');
	});

	it('the PNG is one that uploads accept, with the size its header states', () => {
		const png = Buffer.from(demoPng(40, 30));
		expect(sniffMime(png)).toBe('image/png');
		expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([40, 30]);
		const idatLength = png.readUInt32BE(33);
		expect(png.toString('latin1', 37, 41)).toBe('IDAT');
		expect(inflateSync(png.subarray(41, 41 + idatLength)).length).toBe(30 * (40 * 3 + 1));
	});
});
