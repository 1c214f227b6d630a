import { describe, expect, it } from 'vitest';
import { batchOrdinal, forBatch } from './batch-name';

describe('batch ordinal', () => {
	it('takes 第X批 from the name', () => {
		expect(batchOrdinal('辽宁省第二批')).toBe('第二批');
		expect(batchOrdinal('2024年第三批次')).toBe('第三批');
		expect(batchOrdinal('第1批')).toBe('第1批');
	});
	it('falls back to the name without the province', () => {
		expect(batchOrdinal('辽宁省2025年度')).toBe('2025年度');
		expect(batchOrdinal('')).toBe('本批');
	});
	it('rewrites a second-batch title', () => {
		expect(forBatch('关于…第二批培训机构…的报告', '辽宁省第一批')).toBe('关于…第一批培训机构…的报告');
	});
});
