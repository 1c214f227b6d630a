import { describe, expect, it } from 'vitest';
import { canDo, closingProblems, draftReply, handlingInput, isOpen, objectionInput, receivedDateProblem, refusalFor, rejectInput, OBJECTION_STATUSES, type ObjectionAction } from './objections';

const chineseDate = (d: string) => d.replace(/^(\d{4})-0?(\d+)-0?(\d+)$/, '$1年$2月$3日');
const valid = { applicationId: 'app-1', objectorKind: 'person', objectorName: '张三', contact: '13800000000', grounds: '该机构申报的师资人员并非全职在岗，与申报材料不符。', receivedDate: '2023-10-09' };
const firstError = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) => (r.success ? null : { field: String(r.error!.issues[0].path[0]), message: r.error!.issues[0].message });

describe('status machine', () => {
	it('received → accepted | rejected; accepted → closed; rejected and closed are final', () => {
		const table: Record<ObjectionAction, string[]> = {
			accept: ['received'],
			reject: ['received'],
			handle: ['accepted'],
			reply: ['accepted', 'rejected'],
			close: ['accepted'],
			attach: ['received', 'accepted']
		};
		for (const [action, from] of Object.entries(table) as [ObjectionAction, string[]][]) {
			for (const status of OBJECTION_STATUSES) expect(canDo(action, status), `${action} from ${status}`).toBe(from.includes(status));
		}
		expect(refusalFor('close', 'rejected')).toBe('该异议不予受理，不能办结');
		expect(refusalFor('accept', 'accepted')).toBe('该异议已受理，不能受理');
		expect(refusalFor('accept', 'received')).toBeNull();
	});
	it('received and accepted objections are open (they hold their group)', () => {
		expect(OBJECTION_STATUSES.filter(isOpen)).toEqual(['received', 'accepted']);
	});
});

describe('registration', () => {
	it('takes a real-name objection as typed', () => {
		const r = objectionInput.parse({ ...valid, objectorName: ' 张三 ', receivedDate: '２０２３-１０-０９' });
		expect(r.objectorName).toBe('张三');
		expect(r.receivedDate).toBe('2023-10-09');
	});
	it('refuses without a real name, a kind, a contact, grounds or a real date, naming the field', () => {
		expect(firstError(objectionInput.safeParse({ ...valid, objectorName: '' }))?.field).toBe('objectorName');
		expect(firstError(objectionInput.safeParse({ ...valid, objectorName: '某' }))?.message).toMatch('不少于2个字');
		expect(firstError(objectionInput.safeParse({ ...valid, objectorKind: 'anonymous' }))).toEqual({ field: 'objectorKind', message: '请选择异议人类型（单位或个人）' });
		expect(firstError(objectionInput.safeParse({ ...valid, contact: ' ' }))?.field).toBe('contact');
		expect(firstError(objectionInput.safeParse({ ...valid, contact: '无' }))?.message).toMatch('联系方式');
		expect(firstError(objectionInput.safeParse({ ...valid, grounds: '不公平' }))).toEqual({ field: 'grounds', message: '异议事实和理由不少于10个字' });
		expect(firstError(objectionInput.safeParse({ ...valid, receivedDate: '2023-02-30' }))?.field).toBe('receivedDate');
		expect(firstError(objectionInput.safeParse({ ...valid, applicationId: '' }))?.field).toBe('applicationId');
	});
	it('a date before the period is refused, after it only flagged', () => {
		expect(receivedDateProblem('before')).toMatch('早于公示开始日期');
		expect(receivedDateProblem('within')).toBeNull();
		expect(receivedDateProblem('after')).toBeNull();
	});
	it('不予受理 needs a reason', () => {
		expect(firstError(rejectInput.safeParse({ reason: '匿名' }))?.message).toMatch('不少于4个字');
		expect(rejectInput.safeParse({ reason: '未署真实姓名，无法核实' }).success).toBe(true);
	});
});

describe('handling and closing', () => {
	it('an outcome needs its notes, and a flagged re-review its notes', () => {
		expect(firstError(handlingInput.safeParse({ outcome: 'dismissed', outcomeNotes: '' }))?.field).toBe('outcomeNotes');
		expect(firstError(handlingInput.safeParse({ rereview: true, outcome: 'upheld', outcomeNotes: '材料不实，取消推荐' }))?.field).toBe('rereviewNotes');
		expect(handlingInput.safeParse({ investigation: '调取社保记录', rereview: true }).success).toBe(true);
		expect(firstError(handlingInput.safeParse({ outcome: 'maybe' }))?.field).toBe('outcome');
	});
	it('closing needs the investigation, the outcome, re-review notes when flagged, and the reply', () => {
		const done = { investigation: '核查了社保缴费记录', outcome: 'dismissed' as const, outcomeNotes: '师资均为全职', rereview: false, rereviewNotes: null, reply: '经核查……特此函复。' };
		expect(closingProblems(done)).toEqual([]);
		expect(closingProblems({ ...done, outcome: null })).toEqual(['尚未记录处理结论（成立、部分成立或不成立）']);
		expect(closingProblems({ ...done, reply: ' ' })).toEqual(['尚未填写书面答复']);
		expect(closingProblems({ ...done, rereview: true })).toEqual(['已提请原评审组复审，尚未填写复审情况']);
		expect(closingProblems({ ...done, investigation: null })).toEqual(['尚未填写调查核实情况']);
	});
	it('drafts a reply from the outcome or the reason', () => {
		const base = { institutionName: '甲培训学校', receivedDate: '2022-11-16', admissionReason: null, outcomeNotes: '所列师资均在该机构全职工作。', outcome: 'dismissed' as const };
		expect(draftReply({ ...base, status: 'accepted' }, chineseDate)).toBe(
			'你（单位）于2022年11月16日提出的关于“甲培训学校”的异议收悉。我厅依程序受理后进行了调查核实：所列师资均在该机构全职工作。经研究，你（单位）所提异议不成立。\n特此函复。'
		);
		expect(draftReply({ ...base, status: 'rejected', outcome: null, admissionReason: '未提供具体事实依据。' }, chineseDate)).toMatch('经审查，未提供具体事实依据，根据公示要求，决定不予受理。');
	});
});

describe('Chinese prose keeps its punctuation', () => {
	it('full-width commas and brackets stay as typed', () => {
		const r = objectionInput.parse({ ...valid, objectorName: '某（沈阳）科技有限公司', grounds: '经了解，该机构（沈阳）的师资，并非全职。' });
		expect(r.objectorName).toBe('某（沈阳）科技有限公司');
		expect(r.grounds).toBe('经了解，该机构（沈阳）的师资，并非全职。');
	});
});
