import { describe, expect, it } from 'vitest';
import {
	agreeNeeded,
	eligibleVoters,
	ineligibility,
	opinionProblem,
	supportingRound,
	tallyText,
	tallyVotes,
	turnout,
	votePasses,
	type PanelCandidate,
	type VoteTally
} from './votes';

const member = (expertId: string, over: Partial<PanelCandidate> = {}): PanelCandidate => ({
	expertId,
	published: true,
	invitation: 'confirmed',
	active: true,
	conflict: false,
	...over
});

describe('eligibleVoters', () => {
	it('keeps published, active, non-conflicted members whose invitation stands', () => {
		const panel = [
			member('e3'),
			member('e1', { invitation: null }),
			member('e2', { invitation: 'pending' }),
			member('e4', { conflict: true }),
			member('e5', { invitation: 'declined' }),
			member('e6', { invitation: 'expired' }),
			member('e7', { active: false }),
			member('e8', { published: false })
		];
		expect(eligibleVoters(panel)).toEqual(['e1', 'e2', 'e3']);
	});
	it('names the first reason a member does not vote; a conflict comes first', () => {
		expect(ineligibility(member('x', { conflict: true, invitation: 'declined' }))).toBe('conflict');
		expect(ineligibility(member('x', { active: false }))).toBe('inactive');
		expect(ineligibility(member('x', { invitation: 'expired' }))).toBe('declined');
		expect(ineligibility(member('x', { published: false }))).toBe('unpublished');
		expect(ineligibility(member('x'))).toBeNull();
	});
	it('counts a member once', () => {
		expect(eligibleVoters([member('a'), member('a')])).toEqual(['a']);
	});
});

describe('tally and passing', () => {
	const votes = [
		{ expertId: 'a', choice: 'agree' as const },
		{ expertId: 'b', choice: 'agree' as const },
		{ expertId: 'c', choice: 'disagree' as const },
		{ expertId: 'd', choice: 'abstain' as const },
		{ expertId: 'z', choice: 'agree' as const }
	];
	it('counts only eligible members, each once', () => {
		expect(tallyVotes(votes, ['a', 'b', 'c', 'd', 'e'])).toEqual({ agree: 2, disagree: 1, abstain: 1, eligible: 5 });
		expect(tallyVotes([...votes, { expertId: 'a', choice: 'disagree' }], ['a'])).toEqual({ agree: 1, disagree: 0, abstain: 0, eligible: 1 });
	});
	it('passes with 同意 from more than half of the eligible, abstentions and absences counting against', () => {
		const t = (agree: number, eligible: number, abstain = 0): VoteTally => ({ agree, disagree: 0, abstain, eligible });
		expect(votePasses(t(3, 5))).toBe(true);
		expect(votePasses(t(2, 5, 3))).toBe(false);
		expect(votePasses(t(2, 4))).toBe(false);
		expect(votePasses(t(3, 4))).toBe(true);
		expect(votePasses(t(1, 1))).toBe(true);
		expect(votePasses(t(0, 0))).toBe(false);
		expect(agreeNeeded(5)).toBe(3);
		expect(agreeNeeded(4)).toBe(3);
		expect(agreeNeeded(1)).toBe(1);
	});
	it('turnout says how many voted, never how', () => {
		const t = turnout(votes, ['a', 'b', 'c']);
		expect(t).toEqual({ voted: 3, eligible: 3 });
		expect(Object.keys(t).sort()).toEqual(['eligible', 'voted']);
	});
	it('prints the tally with the members who did not vote', () => {
		expect(tallyText({ agree: 3, disagree: 1, abstain: 0, eligible: 5 })).toBe('同意 3 · 不同意 1 · 弃权 0 · 未投 1（有表决权 5 人，通过）');
		expect(tallyText({ agree: 2, disagree: 2, abstain: 0, eligible: 4 })).toBe('同意 2 · 不同意 2 · 弃权 0（有表决权 4 人，未通过）');
	});
});

describe('supportingRound', () => {
	const pass: VoteTally = { agree: 3, disagree: 0, abstain: 0, eligible: 3 };
	const fail: VoteTally = { agree: 1, disagree: 2, abstain: 0, eligible: 3 };
	const round = (id: number, motion: string, tally: VoteTally | null, closedAt: string | null = `2023-07-0${id}`) => ({ id, motion, tally, closedAt });
	it('is the passed closed round on the same motion', () => {
		expect(supportingRound([round(1, 'proposed', pass)], 'proposed')?.id).toBe(1);
		expect(supportingRound([round(1, 'proposed', pass)], 'not-proposed')).toBeNull();
	});
	it('is not an open round nor a failed one', () => {
		expect(supportingRound([round(1, 'proposed', null, null)], 'proposed')).toBeNull();
		expect(supportingRound([round(1, 'proposed', fail)], 'proposed')).toBeNull();
	});
	it('a later round on the same motion decides; a later passed round on another motion overrides', () => {
		expect(supportingRound([round(1, 'proposed', pass), round(2, 'proposed', fail)], 'proposed')).toBeNull();
		expect(supportingRound([round(1, 'proposed', fail), round(2, 'proposed', pass)], 'proposed')?.id).toBe(2);
		expect(supportingRound([round(1, 'proposed', pass), round(2, 'site-visit', pass)], 'proposed')).toBeNull();
		expect(supportingRound([round(1, 'proposed', pass), round(2, 'site-visit', fail)], 'proposed')?.id).toBe(1);
	});
});

describe('opinionProblem', () => {
	it('asks for at least 10 and at most 2000 characters', () => {
		expect(opinionProblem('  太短  ')).toMatch(/不能少于10个字/);
		expect(opinionProblem('该机构师资力量较强，培训方案完整。')).toBeNull();
		expect(opinionProblem('意'.repeat(2001))).toMatch(/不能超过2000字/);
	});
});
