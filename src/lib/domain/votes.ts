/**
 * The meeting's vote (会议表决) on one application, as pure rules: who may vote, the tally, and
 * when a motion passes.
 *
 * The panel of an application is the experts drawn onto it (its assignments, published to them):
 * the same people whose meeting screen shows the application. Of these, a member votes unless
 * - the invitation to the batch was declined or expired (such a member is replaced, not voting),
 * - the account of the expert is deactivated, or
 * - the member has a hard conflict with the application: detected, declared by the expert, or a
 *   soft one the office confirmed (the member leaves the room, 回避).
 *
 * A motion passes when more than half of the eligible members vote 同意 (agree): abstaining or not
 * voting counts as not agreeing. With 5 eligible members 3 同意 pass; with 4, 3 are needed.
 */
export const VOTE_CHOICES = [
	{ key: 'agree', label: '同意' },
	{ key: 'disagree', label: '不同意' },
	{ key: 'abstain', label: '弃权' }
] as const;
export type VoteChoice = (typeof VOTE_CHOICES)[number]['key'];
export const VOTE_CHOICE_KEYS = VOTE_CHOICES.map((c) => c.key) as [VoteChoice, ...VoteChoice[]];

export const VOTE_MOTIONS = [
	{ key: 'proposed', label: '拟推荐' },
	{ key: 'not-proposed', label: '不推荐' },
	{ key: 'site-visit', label: '需实地考察' },
	{ key: 'pending', label: '待定' }
] as const;
export type VoteMotion = (typeof VOTE_MOTIONS)[number]['key'];
export const VOTE_MOTION_KEYS = VOTE_MOTIONS.map((m) => m.key) as [VoteMotion, ...VoteMotion[]];

export type VoteTally = { agree: number; disagree: number; abstain: number; eligible: number };

export function choiceLabel(c: string): string {
	return VOTE_CHOICES.find((x) => x.key === c)?.label ?? c;
}
export function motionLabel(m: string): string {
	return VOTE_MOTIONS.find((x) => x.key === m)?.label ?? m;
}

/** One expert drawn onto the application, with what decides whether they vote. */
export type PanelCandidate = {
	expertId: string;
	/** The assignment has been published to the expert (an assignment added later is not yet theirs). */
	published: boolean;
	/** The answer to the batch's invitation (null when none was sent, e.g. an imported roster). */
	invitation: 'pending' | 'confirmed' | 'declined' | 'expired' | null;
	/** The expert's account in the pool is active. */
	active: boolean;
	/** A hard conflict with the application (detected, declared, or confirmed by the office). */
	conflict: boolean;
};

export type Ineligibility = 'unpublished' | 'declined' | 'inactive' | 'conflict';

export const INELIGIBILITY_LABELS: Record<Ineligibility, string> = {
	unpublished: '分配尚未发布',
	declined: '已谢绝或逾期未答复邀请',
	inactive: '专家已停用',
	conflict: '回避'
};

/** Why a drawn member does not vote (null: they vote). */
export function ineligibility(c: PanelCandidate): Ineligibility | null {
	if (c.conflict) return 'conflict';
	if (!c.active) return 'inactive';
	if (c.invitation === 'declined' || c.invitation === 'expired') return 'declined';
	if (!c.published) return 'unpublished';
	return null;
}

/** The members who vote on the application, by id, sorted. */
export function eligibleVoters(candidates: readonly PanelCandidate[]): string[] {
	return [...new Set(candidates.filter((c) => ineligibility(c) === null).map((c) => c.expertId))].sort();
}

/**
 * The tally of a round: the votes of eligible members only (a vote of a member who has since
 * become ineligible, e.g. a conflict confirmed during the vote, is kept but not counted).
 */
export function tallyVotes(votes: readonly { expertId: string; choice: VoteChoice }[], eligible: readonly string[]): VoteTally {
	const members = new Set(eligible);
	const tally: VoteTally = { agree: 0, disagree: 0, abstain: 0, eligible: members.size };
	const seen = new Set<string>();
	for (const v of votes) {
		if (!members.has(v.expertId) || seen.has(v.expertId)) continue;
		seen.add(v.expertId);
		tally[v.choice] += 1;
	}
	return tally;
}

/** More than half of the eligible members agree. A round with nobody eligible never passes. */
export function votePasses(t: VoteTally): boolean {
	return t.eligible > 0 && t.agree * 2 > t.eligible;
}

/** How many 同意 a motion needs with `eligible` members. */
export function agreeNeeded(eligible: number): number {
	return Math.floor(eligible / 2) + 1;
}

/** The votes cast so far, not how: all the chair may see of an open round. */
export function turnout(votes: readonly { expertId: string }[], eligible: readonly string[]): { voted: number; eligible: number } {
	const members = new Set(eligible);
	return { voted: new Set(votes.map((v) => v.expertId).filter((e) => members.has(e))).size, eligible: members.size };
}

/** The tally as one line: 同意 3 · 不同意 1 · 弃权 1（应到 5 人，通过）. */
export function tallyText(t: VoteTally): string {
	const missing = t.eligible - t.agree - t.disagree - t.abstain;
	return `同意 ${t.agree} · 不同意 ${t.disagree} · 弃权 ${t.abstain}${missing > 0 ? ` · 未投 ${missing}` : ''}（有表决权 ${t.eligible} 人，${votePasses(t) ? '通过' : '未通过'}）`;
}

/**
 * Whether a decision rests on a vote: the latest closed round on the application whose motion is
 * that decision passed. (A later round on the same application supersedes an earlier one.)
 */
export function supportingRound<R extends { id: number; motion: string; closedAt: string | null; tally: VoteTally | null }>(
	rounds: readonly R[],
	decision: string
): R | null {
	const closed = rounds.filter((r) => r.closedAt && r.tally).sort((a, b) => (a.closedAt! < b.closedAt! ? -1 : a.closedAt! > b.closedAt! ? 1 : a.id - b.id));
	const last = closed.filter((r) => r.motion === decision).at(-1);
	if (!last || !votePasses(last.tally!)) return null;
	// A later round on another motion that passed overrides this one.
	const later = closed.filter((r) => r.closedAt! > last.closedAt! || (r.closedAt === last.closedAt && r.id > last.id));
	if (later.some((r) => r.motion !== decision && votePasses(r.tally!))) return null;
	return last;
}

/** The 综合评审意见: required text, at most this many characters. */
export const OPINION_MIN = 10;
export const OPINION_MAX = 2000;

/** The problem with an opinion's text (null when it may be saved). */
export function opinionProblem(text: string): string | null {
	const t = text.trim();
	if (t.length < OPINION_MIN) return `综合评审意见不能少于${OPINION_MIN}个字`;
	if (t.length > OPINION_MAX) return `综合评审意见不能超过${OPINION_MAX}字`;
	return null;
}
