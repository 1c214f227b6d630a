/**
 * The 评审反馈函 per application (issue 14, item 8): what the city passes on to the applicant — the
 * result, the 综合评审意见 and the experts' written comments under code names (专家A, 专家B…), never a
 * name, the panel list or one expert's score.
 *
 * When: once the results are announced, i.e. the results are locked and the 公示 period has begun
 * (its start day reached). Before that, the panel and the comments stay inside the review.
 */
import { expertAlias } from './anonymous';

export type FeedbackFacts = { resultsLockedAt?: string | null; publicityStart?: string | null };

export type FeedbackAvailability = { available: true } | { available: false; reason: string };

export function feedbackAvailability(b: FeedbackFacts, today: string): FeedbackAvailability {
	if (!b.resultsLockedAt) return { available: false, reason: '评审结果尚未锁定：反馈函在结果锁定并开始公示后提供' };
	if (!b.publicityStart) return { available: false, reason: '尚未开始公示：评审结果公布（公示开始）后才能下载反馈函' };
	if (b.publicityStart > today) return { available: false, reason: `公示自 ${b.publicityStart} 开始，届时才能下载反馈函` };
	return { available: true };
}

/** The letter's code names (专家A, 专家B…), as the meeting's. */
export const feedbackLabel = expertAlias;

/**
 * Code names for the experts of one letter: ordered by `key(expert)` (a keyed digest per
 * application on the server, so that neither the expert ids' order nor anything an applicant can
 * compute decides who is 专家A), ties by position. Returns expert → label.
 */
export function codeNames(experts: readonly string[], key: (expert: string) => string): Map<string, string> {
	const order = experts.map((e, i) => ({ e, i, k: key(e) })).sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.i - b.i));
	return new Map(order.map((x, i) => [x.e, feedbackLabel(i)]));
}
