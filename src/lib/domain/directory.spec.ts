import { describe, expect, it } from 'vitest';
import { filterDirectory, parseDirectoryEntry, validityOn } from './directory';

const good = { institutionId: 'inst-1', occupation: 'ai', type: 'training', levels: ['senior', 'junior'], validFrom: '2022-09-01', validTo: '2025-08-31', documentNo: ' 人社厅函〔2022〕88号 ', note: '' };

describe('parseDirectoryEntry', () => {
	it('keeps the levels in their order and blank text as null', () => {
		expect(parseDirectoryEntry(good)).toEqual({
			ok: true,
			values: { institutionId: 'inst-1', occupation: 'ai', type: 'training', levels: ['junior', 'senior'], validFrom: '2022-09-01', validTo: '2025-08-31', documentNo: '人社厅函〔2022〕88号', note: null }
		});
		const open = parseDirectoryEntry({ ...good, validTo: '', levels: 'intermediate' });
		expect(open.ok && open.values).toMatchObject({ validTo: null, levels: ['intermediate'] });
	});

	it('names every field that is wrong', () => {
		const r = parseDirectoryEntry({ institutionId: '', occupation: 'cooking', type: 'x', levels: [], validFrom: '2022-13-01', validTo: '', documentNo: '号'.repeat(101) });
		expect(r.ok ? {} : r.errors).toEqual({
			institutionId: '请选择机构',
			occupation: '请选择职业',
			type: '类型应为培训机构或评价机构',
			levels: '请至少选择一个等级',
			validFrom: '有效期起始日期不是有效的日历日期',
			documentNo: '文号不能超过 100 个字'
		});
		const back = parseDirectoryEntry({ ...good, validFrom: '2025-01-01', validTo: '2024-12-31', levels: ['expert'] });
		expect(back.ok ? {} : back.errors).toEqual({ levels: '等级只能是初级、中级、高级', validTo: '有效期截止日期 2024-12-31 早于起始日期 2025-01-01' });
		const none = parseDirectoryEntry({ ...good, validFrom: '' });
		expect(none.ok ? {} : none.errors).toEqual({ validFrom: '请填写有效期起始日期' });
	});
});

describe('validity and the filter', () => {
	const entries = [
		{ id: 1, occupation: 'ai', type: 'training', validFrom: '2022-09-01', validTo: '2025-08-31' },
		{ id: 2, occupation: 'ai', type: 'evaluation', validFrom: '2019-01-01', validTo: '2021-12-31' },
		{ id: 3, occupation: 'iot', type: 'training', validFrom: '2027-01-01', validTo: null },
		{ id: 4, occupation: 'iot', type: 'evaluation', validFrom: '2020-01-01', validTo: null }
	];
	it('an entry is valid from its first to its last day, an open end never expires', () => {
		expect(validityOn(entries[0], '2025-08-31')).toBe('valid');
		expect(validityOn(entries[0], '2025-09-01')).toBe('expired');
		expect(validityOn(entries[0], '2022-08-31')).toBe('future');
		expect(validityOn(entries[3], '2099-01-01')).toBe('valid');
	});
	it('filters by occupation, type and validity', () => {
		const day = '2023-06-15';
		expect(filterDirectory(entries, {}, day).map((e) => e.id)).toEqual([1, 2, 3, 4]);
		expect(filterDirectory(entries, { occupation: 'ai' }, day).map((e) => e.id)).toEqual([1, 2]);
		expect(filterDirectory(entries, { type: 'evaluation' }, day).map((e) => e.id)).toEqual([2, 4]);
		expect(filterDirectory(entries, { validity: 'valid' }, day).map((e) => e.id)).toEqual([1, 4]);
		expect(filterDirectory(entries, { validity: 'expired' }, day).map((e) => e.id)).toEqual([2]);
		expect(filterDirectory(entries, { validity: 'future', occupation: 'iot' }, day).map((e) => e.id)).toEqual([3]);
	});
});
