/**
 * The phase of a batch, asked instead of reading the lock or the archive flag. Each write of the
 * review asks one of the predicates below (through `requirePhase`), so a new phase (publicity,
 * the national decision) is one change here.
 *
 * - `intake`   applications come in; the roster is not published yet
 * - `review`   the roster is published: experts confirm and score, the meeting decides
 * - `locked`   results, decisions and scores are frozen (the office may reopen them with a reason)
 * - `archived` the batch is finished: read-only for everyone, still browsable and exportable
 */
export const PHASES = ['intake', 'review', 'locked', 'archived'] as const;
export type Phase = (typeof PHASES)[number];

export const PHASE_LABELS: Record<Phase, string> = {
	intake: '申报与审查',
	review: '专家评审',
	locked: '结果已锁定',
	archived: '已归档'
};

export type PhaseFacts = {
	archivedAt?: string | null;
	resultsLockedAt?: string | null;
	assignmentsPublishedAt?: string | null;
};

export function batchPhase(b: PhaseFacts): Phase {
	if (b.archivedAt) return 'archived';
	if (b.resultsLockedAt) return 'locked';
	if (b.assignmentsPublishedAt) return 'review';
	return 'intake';
}

/** Anything at all may be written to the batch (settings, intake, experts' relations to it). */
export const canWrite = (p: Phase) => p !== 'archived';
/** Scores, sheets, decisions, conflicts, the draw and the roster move. */
export const canChangeScores = (p: Phase) => p === 'intake' || p === 'review';
/** The results can be locked. */
export const canLock = (p: Phase) => p === 'intake' || p === 'review';
/** The results can be reopened. */
export const canUnlock = (p: Phase) => p === 'locked';
/** The batch can be archived (the page asks for a confirmation when its results are not locked). */
export const canArchive = (p: Phase) => p !== 'archived';
