import { describe, expect, it } from 'vitest';
import {
	DEFAULT_FEE_STANDARD,
	FEE_RANGES,
	computeFees,
	feeStandardOf,
	feeStandardSchema,
	formatYuan,
	isCalendarDate,
	meetingDaySchema,
	personDays,
	titleClass,
	type FeeAttendance,
	type FeeDay,
	type FeeExpert
} from './fees';

describe('titleClass: senior titles (正高 and 副高) against the rest', () => {
	const senior = [
		'教授',
		'副教授',
		'研究员',
		'副研究员',
		'正高级工程师',
		'高级工程师',
		'教授级高级工程师',
		'研究员级高级工程师',
		'教授级高工',
		'高工',
		'高级经济师',
		'高级会计师',
		'正高级会计师',
		'高级讲师',
		'高级实验师',
		'高级教师',
		'正高级教师',
		'高级农艺师',
		'农业技术推广研究员',
		'研究馆员',
		'副研究馆员',
		'主任医师',
		'副主任医师',
		'副主任药师',
		'编审',
		'副编审',
		'译审',
		'高级编辑',
		'主任记者',
		'一级律师',
		'二级律师',
		'二级演员',
		'正高',
		'副高级',
		'高级职称',
		'中国工程院院士',
		'教授、博士生导师',
		'副教授，硕士生导师',
		'高级工程师（教授级）',
		'二级教授',
		'教 授',
		'Professor',
		'Associate Professor'
	];
	const other = [
		'',
		null,
		undefined,
		'讲师',
		'工程师',
		'助理研究员',
		'助理教授',
		'研究实习员',
		'助理工程师',
		'经济师',
		'主治医师',
		'主管护师',
		'一级教师',
		'高级技师',
		'技师',
		'高级工',
		'一级建造师',
		'注册会计师',
		'高级人力资源管理师',
		'副主任科员',
		'总工程师',
		'部门经理',
		'博士生导师',
		'中级',
		'无',
		'Assistant Professor'
	];
	for (const t of senior) it(`${t} is senior`, () => expect(titleClass(t)).toBe('senior'));
	for (const t of other) it(`${String(t)} is not senior`, () => expect(titleClass(t)).toBe('other'));
});

describe('the fee standard', () => {
	it('defaults to the lower bounds of 财科教〔2017〕128号', () => {
		expect(DEFAULT_FEE_STANDARD).toEqual({ senior: 1500, other: 900 });
		expect(FEE_RANGES).toEqual({ senior: { min: 1500, max: 2400 }, other: { min: 900, max: 1500 } });
		expect(feeStandardOf(null)).toEqual(DEFAULT_FEE_STANDARD);
		expect(feeStandardOf({ senior: 2000, other: 1200 })).toEqual({ senior: 2000, other: 1200 });
		// A stored value outside the range is not trusted.
		expect(feeStandardOf({ senior: 9000, other: 1200 })).toEqual({ senior: 1500, other: 1200 });
	});

	it('accepts rates within the ranges, bounds included, with up to 2 decimals', () => {
		expect(feeStandardSchema.parse({ senior: '1500', other: '1500' })).toEqual({ senior: 1500, other: 1500 });
		expect(feeStandardSchema.parse({ senior: '2,400.00', other: ' 900 ' })).toEqual({ senior: 2400, other: 900 });
		expect(feeStandardSchema.parse({ senior: '１８００.５', other: '1000' })).toEqual({ senior: 1800.5, other: 1000 });
	});

	it('refuses rates outside the ranges with a message naming the field', () => {
		const r = feeStandardSchema.safeParse({ senior: '2400.01', other: '899' });
		expect(r.success).toBe(false);
		const messages = r.error!.issues.map((i) => `${String(i.path[0])}:${i.message}`);
		expect(messages).toContain('senior:高级职称人员标准（元/人天）应在 1500–2400 元之间（财科教〔2017〕128号）');
		expect(messages).toContain('other:其他专业人员标准（元/人天）应在 900–1500 元之间（财科教〔2017〕128号）');
		for (const bad of ['', 'abc', '1500.001', '-1600', '1e3']) {
			const x = feeStandardSchema.safeParse({ senior: bad, other: '900' });
			expect(x.success, bad).toBe(false);
			expect(x.error!.issues[0].message, bad).toMatch(/^(请填写)?高级职称人员标准/);
		}
	});
});

describe('meeting days', () => {
	it('takes real dates only', () => {
		expect(isCalendarDate('2024-02-29')).toBe(true);
		expect(isCalendarDate('2023-02-29')).toBe(false);
		expect(isCalendarDate('2023-13-01')).toBe(false);
		expect(isCalendarDate('2023-6-1')).toBe(false);
		expect(isCalendarDate('1999-12-31')).toBe(false);
		expect(meetingDaySchema.parse({ date: '2023-07-10', length: '0.5' })).toEqual({ date: '2023-07-10', length: 0.5, note: null });
		expect(meetingDaySchema.safeParse({ date: '2023-07-10', length: '2' }).error?.issues[0].message).toBe('会期应为全天或半天');
		expect(meetingDaySchema.safeParse({ date: '2023-07-32', length: '1' }).error?.issues[0].message).toMatch(/^会议日期应为真实日期/);
	});

	it('counts person-days: half days and half attendance are 0.5, left early and removed 0', () => {
		expect(personDays(1, 'present')).toBe(1);
		expect(personDays(0.5, 'present')).toBe(0.5);
		expect(personDays(1, 'half')).toBe(0.5);
		expect(personDays(0.5, 'half')).toBe(0.5);
		expect(personDays(1, 'left-early')).toBe(0);
		expect(personDays(1, 'removed')).toBe(0);
		expect(personDays(0.5, 'removed')).toBe(0);
	});
});

describe('computeFees', () => {
	const experts: FeeExpert[] = [
		{ id: 'e1', name: '张教授', title: '教授', workUnit: '东北大学' },
		{ id: 'e2', name: '李讲师', title: '讲师', workUnit: '辽宁大学' },
		{ id: 'e3', name: '王高工', title: '高级工程师', workUnit: '某研究院' },
		{ id: 'e4', name: '赵工', title: '工程师', workUnit: '某公司' }
	];
	const days: FeeDay[] = [
		{ id: 2, date: '2023-07-11', length: 0.5 },
		{ id: 1, date: '2023-07-10', length: 1 }
	];
	const attendance: FeeAttendance[] = [
		{ dayId: 1, expertId: 'e2', status: 'present' },
		{ dayId: 1, expertId: 'e1', status: 'present' },
		{ dayId: 1, expertId: 'e3', status: 'left-early' },
		{ dayId: 1, expertId: 'e4', status: 'half' },
		{ dayId: 2, expertId: 'e1', status: 'present' },
		{ dayId: 2, expertId: 'e2', status: 'removed' },
		{ dayId: 2, expertId: 'e3', status: 'present' }
	];
	const standard = { senior: 1800, other: 1000.5 };

	it('pays per day the rate of the title class times the person-days', () => {
		const f = computeFees({ days, attendance, experts, standard });
		expect(f.days.map((d) => d.date)).toEqual(['2023-07-10', '2023-07-11']);
		const d1 = f.days[0];
		expect(d1.lines.map((l) => [l.expertId, l.class, l.rate, l.days, l.amount, l.paid])).toEqual([
			['e1', 'senior', 1800, 1, 1800, true],
			['e2', 'other', 1000.5, 1, 1000.5, true],
			['e3', 'senior', 1800, 0, 0, false],
			['e4', 'other', 1000.5, 0.5, 500.25, true]
		]);
		expect(d1.paid.map((l) => l.expertId)).toEqual(['e1', 'e2', 'e4']);
		expect(d1.unpaid.map((l) => l.expertId)).toEqual(['e3']);
		expect(d1.amount).toBe(3300.75);
		expect(d1.days).toBe(2.5);
		const d2 = f.days[1];
		expect(d2.lines.map((l) => [l.expertId, l.days, l.amount])).toEqual([
			['e1', 0.5, 900],
			['e2', 0, 0],
			['e3', 0.5, 900]
		]);
		expect(d2.amount).toBe(1800);
	});

	it('totals per expert and per batch; left early and removed earn nothing that day', () => {
		const f = computeFees({ days, attendance, experts, standard });
		expect(f.experts.map((e) => [e.expertId, e.days, e.amount, e.unpaidDays])).toEqual([
			['e1', 1.5, 2700, []],
			['e2', 1, 1000.5, ['2023-07-11']],
			['e3', 0.5, 900, ['2023-07-10']],
			['e4', 0.5, 500.25, []]
		]);
		expect(f.total).toEqual({ days: 3.5, amount: 5100.75, experts: 4 });
		expect(f.total.amount).toBe(f.experts.reduce((a, e) => a + e.amount * 100, 0) / 100);
	});

	it('an expert only ever left early or removed is listed with 0 and not counted as paid', () => {
		const f = computeFees({ days: [days[1]], attendance: [{ dayId: 1, expertId: 'e3', status: 'removed' }], experts, standard });
		expect(f.experts).toHaveLength(1);
		expect(f.experts[0].amount).toBe(0);
		expect(f.total).toEqual({ days: 0, amount: 0, experts: 0 });
	});

	it('rounds half a fen up and keeps sums exact in fen', () => {
		const f = computeFees({
			days: [{ id: 1, date: '2023-07-10', length: 0.5 }],
			attendance: [
				{ dayId: 1, expertId: 'e2', status: 'present' },
				{ dayId: 1, expertId: 'e4', status: 'present' }
			],
			experts,
			standard: { senior: 1500, other: 900.01 }
		});
		expect(f.days[0].lines.map((l) => l.amount)).toEqual([450.01, 450.01]);
		expect(f.total.amount).toBe(900.02);
	});

	it('refuses an attendance of an expert it does not know', () => {
		expect(() => computeFees({ days, attendance: [{ dayId: 1, expertId: 'zz', status: 'present' }], experts, standard })).toThrow(/zz/);
	});

	it('formats amounts with 2 decimals', () => {
		expect(formatYuan(1500)).toBe('1,500.00');
		expect(formatYuan(500.25)).toBe('500.25');
		expect(formatYuan(1234567.5)).toBe('1,234,567.50');
		expect(formatYuan(0)).toBe('0.00');
	});
});
