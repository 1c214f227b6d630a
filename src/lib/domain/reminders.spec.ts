import { describe, expect, it } from 'vitest';
import { reminderText } from './reminders';

describe('reminderText', () => {
	it('names the counts, the deadline in Chinese and the sign-in address', () => {
		const t = reminderText({ name: '王立新', notStarted: 2, drafts: 1, deadline: '2023-07-05', loginUrl: 'https://pj.example.gov.cn/login', batchName: '辽宁省第二批' });
		expect(t).toContain('王立新老师您好');
		expect(t).toContain('还有 3 份评分表未提交（尚未开始 2 份，已保存未提交 1 份）');
		expect(t).toContain('请于2023年7月5日前');
		expect(t).toContain('https://pj.example.gov.cn/login');
	});

	it('without a deadline asks for soon; leaves out a zero count', () => {
		const t = reminderText({ name: '李华', notStarted: 0, drafts: 4, deadline: null, loginUrl: 'http://x/login', batchName: '第二批' });
		expect(t).toContain('（已保存未提交 4 份）');
		expect(t).toContain('请尽快登录');
		expect(t).not.toContain('尚未开始');
	});
});
