import { describe, expect, it } from 'vitest';
import { memoSettingsInput, memoSettingsOf, normalizeCopyTo, normalizeDocumentNo, storedSettings } from './memo-settings';

describe('发文字号', () => {
	it('takes the standard form and the brackets people type, and writes 〔〕', () => {
		expect(normalizeDocumentNo('辽人社〔2023〕45号')).toBe('辽人社〔2023〕45号');
		expect(normalizeDocumentNo('辽人社[2023]45号')).toBe('辽人社〔2023〕45号');
		expect(normalizeDocumentNo('辽人社(2023)45号')).toBe('辽人社〔2023〕45号');
		expect(normalizeDocumentNo('辽人社（2023）45号')).toBe('辽人社〔2023〕45号');
		expect(normalizeDocumentNo('辽人社【２０２３】０４５号')).toBe('辽人社〔2023〕45号');
		expect(normalizeDocumentNo(' 辽人社 〔2023〕 第45号 ')).toBe('辽人社〔2023〕45号');
	});
	it('refuses what is not one', () => {
		for (const bad of ['45号', '辽人社2023年45号', '辽人社〔23〕45号', '辽人社〔2023〕号', '辽人社〔2023〕45', '辽人社〔2023〕0号', '〔2023〕45号', '辽人社〔1800〕4号']) {
			expect(normalizeDocumentNo(bad), bad).toBeNull();
		}
	});
});

describe('memo settings', () => {
	it('normalises what holds', () => {
		const r = memoSettingsInput.parse({
			masthead: ' 辽宁省人力资源和社会保障厅 ',
			documentNo: '辽人社[2022]87号',
			signer: '张　宏伟',
			copyTo: '人力资源社会保障部专业技术人员管理司。',
			printedBy: '辽宁省人力资源和社会保障厅办公室',
			printedOn: '２０２２-11-11'
		});
		expect(r).toEqual({
			masthead: '辽宁省人力资源和社会保障厅',
			documentNo: '辽人社〔2022〕87号',
			signer: '张宏伟',
			copyTo: '人力资源社会保障部专业技术人员管理司',
			printedBy: '辽宁省人力资源和社会保障厅办公室',
			printedOn: '2022-11-11'
		});
		expect(memoSettingsInput.parse({})).toEqual({ masthead: '', documentNo: '', signer: '', copyTo: '', printedBy: '', printedOn: '' });
	});

	it('names the field that does not hold', () => {
		const fields = (input: Record<string, string>) => {
			const r = memoSettingsInput.safeParse(input);
			return r.success ? [] : r.error.issues.map((i) => i.path[0]);
		};
		expect(fields({ documentNo: '第45号' })).toEqual(['documentNo']);
		expect(fields({ signer: 'Zhang3' })).toEqual(['signer']);
		expect(fields({ signer: '张' })).toEqual(['signer']);
		expect(fields({ masthead: '厅' })).toEqual(['masthead']);
		expect(fields({ printedOn: '2023-02-30' })).toEqual(['printedOn']);
		expect(fields({ printedOn: '2023年3月6日' })).toEqual(['printedOn']);
		expect(fields({ copyTo: 'x'.repeat(301) })).toEqual(['copyTo']);
		expect(fields({ printedBy: 'a'.repeat(41) })).toEqual(['printedBy']);
	});

	it('抄送 loses its closing punctuation (the memo adds 。)', () => {
		expect(normalizeCopyTo('人社部专技司，\n省委组织部。')).toBe('人社部专技司，省委组织部');
		expect(normalizeCopyTo('甲、乙；')).toBe('甲、乙');
	});

	it('defaults: the issuer, its 办公室, the memo date; nothing for 发文字号, 签发人, 抄送', () => {
		const d = { issuer: '辽宁省人力资源和社会保障厅', memoDate: '2023-03-06' };
		expect(memoSettingsOf(null, d)).toEqual({
			masthead: '辽宁省人力资源和社会保障厅',
			documentNo: '',
			signer: '',
			copyTo: '',
			printedBy: '辽宁省人力资源和社会保障厅办公室',
			printedOn: '2023-03-06'
		});
		expect(memoSettingsOf({ intro: 'x', documentNo: '辽人社〔2023〕45号', printedOn: '2023-03-07' }, d)).toMatchObject({ documentNo: '辽人社〔2023〕45号', printedOn: '2023-03-07' });
		expect(storedSettings({ intro: 'x', signer: ' 张宏伟 ' })).toMatchObject({ signer: '张宏伟', masthead: '' });
	});
});
