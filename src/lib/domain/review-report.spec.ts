import { describe, expect, it } from 'vitest';
import {
	contentForMember,
	dissentProblem,
	lockReasonProblem,
	missingSignatures,
	missingText,
	panelOf,
	reportDigest,
	requiredSigners,
	signatureStatus,
	type ReportContent,
	type Signature
} from './review-report';

function content(): ReportContent {
	return {
		batchId: 'b1',
		occupation: 'ai',
		type: 'training',
		members: [
			{ expertId: 'e1', name: '张一', workUnit: '甲大学', title: '教授', applications: 2, recused: 0, invitation: 'confirmed', mustSign: true },
			{ expertId: 'e2', name: '李二', workUnit: '乙公司', title: null, applications: 2, recused: 1, invitation: null, mustSign: true },
			{ expertId: 'e3', name: '王三', workUnit: null, title: null, applications: 1, recused: 1, invitation: 'confirmed', mustSign: false }
		],
		replacements: [{ applicationId: 'a1', institutionName: '甲机构', fromExpertId: 'e9', fromName: '赵九', toExpertId: 'e1', toName: '张一', cause: 'declined', reason: '出差', at: '2023-07-01T01:00:00.000Z' }],
		recusals: [{ applicationId: 'a2', institutionName: '乙机构', expertId: 'e2', name: '李二', code: 'DECLARED', reason: '曾在该单位兼职' }],
		method: { method: 'trimmed', minReviews: 3, passScore: 60, maxPerGroup: null, dispersionThreshold: 15, deviationPct: 20 },
		results: [
			{ applicationId: 'a1', institutionName: '甲机构', region: 'shenyang', rank: 1, score: 81.333333333, n: 3, flags: [], proposed: true, defaultProposed: true, decision: null, decisionReason: null },
			{ applicationId: 'a2', institutionName: '乙机构', region: 'dalian', rank: 2, score: 58, n: 3, flags: ['HIGH_DISPERSION'], proposed: false, defaultProposed: false, decision: 'not-proposed', decisionReason: null }
		],
		corrections: [],
		votes: [{ applicationId: 'a2', institutionName: '乙机构', motion: 'not-proposed', tally: { agree: 2, disagree: 0, abstain: 0, eligible: 2 }, closedAt: '2023-07-10T02:00:00.000Z' }],
		opinions: [{ applicationId: 'a1', institutionName: '甲机构', text: '师资力量雄厚，建议推荐。' }],
		lockNote: null
	};
}

const sig = (expertId: string, digest: string, extra: Partial<Signature> = {}): Signature => ({
	expertId,
	kind: 'agree',
	dissent: null,
	method: 'app',
	digest,
	signedAt: '2023-07-10T03:00:00.000Z',
	...extra
});

describe('panelOf', () => {
	it('counts assignments and recusals per expert; a declined, expired or wholly recused expert does not sign', () => {
		const panel = panelOf(
			[
				{ applicationId: 'a1', expertId: 'e2' },
				{ applicationId: 'a2', expertId: 'e2' },
				{ applicationId: 'a1', expertId: 'e1' },
				{ applicationId: 'a2', expertId: 'e3' },
				{ applicationId: 'a1', expertId: 'e4' },
				{ applicationId: 'a1', expertId: 'e5' }
			],
			new Set(['a2|e2', 'a2|e3']),
			new Map([
				['e1', 'confirmed'],
				['e4', 'declined'],
				['e5', 'expired']
			])
		);
		expect(panel).toEqual([
			{ expertId: 'e1', applications: 1, recused: 0, invitation: 'confirmed', mustSign: true },
			{ expertId: 'e2', applications: 2, recused: 1, invitation: null, mustSign: true },
			{ expertId: 'e3', applications: 1, recused: 1, invitation: null, mustSign: false },
			{ expertId: 'e4', applications: 1, recused: 0, invitation: 'declined', mustSign: false },
			{ expertId: 'e5', applications: 1, recused: 0, invitation: 'expired', mustSign: false }
		]);
	});
});

describe('reportDigest', () => {
	it('is stable: the same content, the same digest, whatever the order of lists or the names shown', () => {
		const a = content();
		const b = content();
		b.members.reverse();
		b.members[0].name = '王叁（更正）';
		b.results[0].institutionName = '甲机构（全称）';
		b.opinions[0].text = ' 师资力量雄厚，建议推荐。\n';
		expect(reportDigest(b)).toBe(reportDigest(a));
		expect(reportDigest(a)).toMatch(/^[0-9a-f]{64}$/);
		// Floating-point noise below 1e-6 does not move it.
		b.results[0].score = 81.3333333331;
		expect(reportDigest(b)).toBe(reportDigest(a));
	});

	it('changes with any substance: a score, a decision, a correction, a vote, an opinion, a recusal, the method, the panel', () => {
		const base = reportDigest(content());
		const changes: ((c: ReportContent) => void)[] = [
			(c) => (c.results[0].score = 81.5),
			(c) => (c.results[1].decision = 'site-visit'),
			(c) => (c.results[1].decisionReason = '需要实地核实'),
			(c) =>
				c.corrections.push({ applicationId: 'a1', institutionName: '', expertId: 'e1', expertName: '', criterionId: 'c1', criterionName: null, rule: 'TOTAL_MISMATCH', oldValue: 80, newValue: 78, reason: '合计抄错', byName: null, at: '2023-07-09T00:00:00.000Z' }),
			(c) => (c.votes[0].tally = { agree: 1, disagree: 1, abstain: 0, eligible: 2 }),
			(c) => (c.opinions[0].text = '建议推荐。'),
			(c) => c.recusals.pop(),
			(c) => (c.method = { ...c.method, passScore: 65 }),
			(c) => (c.members[2].mustSign = true),
			(c) => (c.replacements[0].reason = '另有安排')
		];
		for (const [i, change] of changes.entries()) {
			const c = content();
			change(c);
			expect(reportDigest(c), `change ${i}`).not.toBe(base);
		}
	});

	it('leaves the lock note out: it is written at locking, when nobody signs any more', () => {
		const c = content();
		const before = reportDigest(c);
		c.lockNote = { reason: '专家因病无法签字', missingExpertIds: ['e2'], lockedAt: '2023-07-11T00:00:00.000Z' };
		expect(reportDigest(c)).toBe(before);
	});
});

describe('signatureStatus', () => {
	it('counts a signature on an earlier content as stale and missing; a dissent is listed; others are ignored', () => {
		const c = content();
		const d = reportDigest(c);
		expect(requiredSigners(c)).toEqual(['e1', 'e2']);
		const st = signatureStatus(c, [sig('e1', d, { kind: 'dissent', dissent: '乙机构的评分偏低，理由见附页。' }), sig('e3', d)]);
		expect(st.members.map((m) => [m.expertId, m.state])).toEqual([
			['e1', 'signed'],
			['e2', 'missing']
		]);
		expect(st.missing).toEqual(['e2']);
		expect(st.dissents.map((s) => s.expertId)).toEqual(['e1']);
		expect(st.complete).toBe(false);

		const signed = signatureStatus(c, [sig('e1', d), sig('e2', d, { method: 'paper' })]);
		expect(signed.complete).toBe(true);

		// The content changes after both signed: both signatures are stale.
		c.results[0].score = 79;
		const after = signatureStatus(c, [sig('e1', d), sig('e2', d)]);
		expect(after.complete).toBe(false);
		expect(after.stale).toEqual(['e1', 'e2']);
		expect(after.missing).toEqual(['e1', 'e2']);
		expect(after.dissents).toEqual([]);
	});

	it('a group nobody has to sign is complete', () => {
		const c = content();
		c.members = [];
		expect(signatureStatus(c, []).complete).toBe(true);
	});

	it('missingSignatures lists only the groups not fully signed', () => {
		expect(
			missingSignatures([
				{ occupation: 'ai', type: 'training', status: { missing: ['e2'] } },
				{ occupation: 'iot', type: 'evaluation', status: { missing: [] } }
			])
		).toEqual([{ occupation: 'ai', type: 'training', expertIds: ['e2'] }]);
		expect(
			missingText([{ occupation: 'ai', type: 'training', expertIds: ['e1', 'e2'] }], {
				occupation: () => '人工智能工程技术人员',
				expert: (id) => ({ e1: '张一', e2: '李二' })[id]!,
				stale: (_g, id) => id === 'e1'
			})
		).toBe('人工智能工程技术人员·培训机构：张一（报告已变更）、李二');
	});
});

describe('input checks', () => {
	it('a dissent needs its reasons; 同意 needs none', () => {
		expect(dissentProblem('agree', '')).toBeNull();
		expect(dissentProblem('dissent', '')).toMatch(/理由/);
		expect(dissentProblem('dissent', '不同意。')).toMatch(/不少于10个字/);
		expect(dissentProblem('dissent', '乙机构的师资材料不足以支持该得分。')).toBeNull();
		expect(dissentProblem('dissent', '长'.repeat(2001))).toMatch(/2000/);
	});

	it('a lock reason is written out', () => {
		expect(lockReasonProblem(null)).toMatch(/锁定理由/);
		expect(lockReasonProblem('  好 ')).toMatch(/不少于4个字/);
		expect(lockReasonProblem('专家出差，纸质签字页随后补交')).toBeNull();
	});
});

describe('contentForMember', () => {
	it('shows a member the others as 专家A, 专家B… without their units, reasons or correction values; the own rows unchanged', () => {
		const c = content();
		c.corrections.push({ applicationId: 'a1', institutionName: '甲机构', expertId: 'e2', expertName: '李二', criterionId: null, criterionName: null, rule: 'TOTAL_MISMATCH', oldValue: 88, newValue: 86, reason: '合计抄错', byName: '省厅', at: '2023-07-09T00:00:00.000Z' });
		c.lockNote = { reason: '因病', missingExpertIds: ['e2'], lockedAt: null };
		const seen = contentForMember(c, 'e1');
		const text = JSON.stringify(seen);
		for (const secret of ['e2', 'e3', 'e9', '李二', '王三', '赵九', '乙公司', '曾在该单位兼职', '出差', '88', '86']) expect(text, secret).not.toContain(secret);
		expect(seen.members.map((m) => m.name)).toEqual(['张一', '专家A', '专家B']);
		expect(seen.members[0]).toEqual(c.members[0]);
		expect(seen.replacements[0]).toMatchObject({ fromName: '专家C', toName: '张一' });
		expect(seen.recusals[0]).toMatchObject({ name: '专家A', code: 'DECLARED', reason: '' });
		expect(seen.corrections[0]).toMatchObject({ expertName: '专家A', oldValue: null, newValue: null, reason: '合计抄错' });
		expect(seen.lockNote!.missingExpertIds).toEqual(['专家A']);
		// What the member signs is the full content.
		expect(seen.results).toEqual(c.results);
	});
});
