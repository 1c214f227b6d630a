import { describe, expect, it } from 'vitest';
import { parseAffiliation } from './affiliations';

const TODAY = '2026-12-05';
const errorsOf = (input: Parameters<typeof parseAffiliation>[0]) => {
	const r = parseAffiliation(input, TODAY);
	return r.ok ? {} : r.errors;
};

describe('parseAffiliation', () => {
	it('a former unit needs the unit and a real leaving date, not in the future', () => {
		expect(parseAffiliation({ kind: 'former-unit', unit: ' 东北大学　计算机学院 ', endedOn: '２０２２-０３-３１', note: '' }, TODAY)).toEqual({
			ok: true,
			values: { kind: 'former-unit', unit: '东北大学 计算机学院', relation: null, endedOn: '2022-03-31', note: null }
		});
		expect(errorsOf({ kind: 'former-unit', unit: '', endedOn: '' })).toEqual({ unit: '请填写单位名称', endedOn: '请填写离开该单位的日期' });
		expect(errorsOf({ kind: 'former-unit', unit: '东北大学', endedOn: '2023-02-30' })).toEqual({ endedOn: '离开日期不是有效的日历日期' });
		expect(errorsOf({ kind: 'former-unit', unit: '东北大学', endedOn: '2023/02/01' })).toEqual({ endedOn: '离开日期日期格式应为 YYYY-MM-DD' });
		expect(errorsOf({ kind: 'former-unit', unit: '东北大学', endedOn: '2026-12-06' })).toEqual({
			endedOn: '离开日期 2026-12-06 晚于今天（2026-12-05），不能是将来的日期'
		});
		expect(errorsOf({ kind: 'former-unit', unit: '东北大学', endedOn: TODAY })).toEqual({});
	});

	it('a relative needs the relation; a leaving date is not kept for it', () => {
		expect(parseAffiliation({ kind: 'relative-unit', unit: '辽宁某某科技有限公司', relation: '配偶', endedOn: '2020-01-01' }, TODAY)).toEqual({
			ok: true,
			values: { kind: 'relative-unit', unit: '辽宁某某科技有限公司', relation: '配偶', endedOn: null, note: null }
		});
		expect(errorsOf({ kind: 'relative-unit', unit: '辽宁某某科技有限公司', relation: ' ' })).toEqual({ relation: '请填写亲属关系（如配偶、子女、父母）' });
	});

	it('refuses an unknown kind and over-long text', () => {
		expect(errorsOf({ kind: 'friend', unit: 'x' })).toEqual({ kind: '类别应为“曾任职单位”或“亲属所在单位”' });
		expect(errorsOf({ kind: 'relative-unit', unit: '单'.repeat(101), relation: '子女', note: '注'.repeat(201) })).toEqual({
			unit: '单位名称不能超过 100 个字',
			note: '备注不能超过 200 个字'
		});
	});
});
