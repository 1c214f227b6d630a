/**
 * The invitation of a drawn expert (参加确认): after the roster is published every drawn expert of
 * the batch has one invitation, pending until they confirm (参加) or decline (不能参加, with a
 * reason). An invitation still pending after the office's reply deadline (a Beijing date) is
 * expired: computed here, recorded as 'expired' when the office replaces the expert.
 *
 * What an expert may open before confirming: the task list (institution, region, occupation — they
 * need it to decide and to declare a conflict), nothing else. The application, the score sheet,
 * the offline workbook and the printed sheets open only after confirming. An assignment made before
 * invitations existed (no invitation row: a roster imported from a bundle or published by an earlier
 * version) is treated as confirmed.
 */
import { beijingDate } from './time';

export const INVITATION_STATUSES = ['pending', 'confirmed', 'declined', 'expired'] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

export const INVITATION_LABELS: Record<InvitationStatus, string> = {
	pending: '待确认',
	confirmed: '已确认参加',
	declined: '不能参加',
	expired: '逾期未答复'
};

export type InvitationFacts = { status: InvitationStatus; reason?: string | null; respondedAt?: string | null };

export type Answer = { answer: 'confirm' } | { answer: 'decline'; reason: string };

export const DECLINE_REASON_MIN = 2;
export const DECLINE_REASON_MAX = 500;

/** `YYYY-MM-DD` that is a real calendar date. */
export function isIsoDate(v: string): boolean {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
	const d = new Date(`${v}T00:00:00Z`);
	return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

/** The reply deadline has passed: today in Beijing is after it (the deadline day itself still counts). */
export function isOverdue(replyDeadline: string | null | undefined, now: Date = new Date()): boolean {
	if (!replyDeadline) return false;
	return beijingDate(now) > replyDeadline;
}

/** The status as it stands now: a pending invitation past the deadline is expired even before it is recorded. */
export function effectiveStatus(inv: Pick<InvitationFacts, 'status'>, replyDeadline: string | null | undefined, now: Date = new Date()): InvitationStatus {
	if (inv.status === 'pending' && isOverdue(replyDeadline, now)) return 'expired';
	return inv.status;
}

/** Whole Beijing days left to answer (0 on the deadline day), null without a deadline. */
export function daysToReply(replyDeadline: string | null | undefined, now: Date = new Date()): number | null {
	if (!replyDeadline) return null;
	return Math.round((Date.parse(`${replyDeadline}T00:00:00Z`) - Date.parse(`${beijingDate(now)}T00:00:00Z`)) / 86_400_000);
}

export class InvitationRefusal extends Error {
	constructor(
		public field: 'answer' | 'reason' | 'form',
		message: string
	) {
		super(message);
	}
}

/**
 * The expert's answer, checked against the state machine: pending → confirmed | declined, before
 * the deadline. A confirmed, declined or expired invitation cannot be answered again (the office
 * is told of a change of mind by telephone, and replaces the expert). Returns the new facts.
 */
export function answerInvitation(
	current: InvitationFacts | null | undefined,
	raw: { answer?: unknown; reason?: unknown },
	replyDeadline: string | null | undefined,
	now: Date = new Date()
): { status: 'confirmed' | 'declined'; reason: string | null } {
	const answer = typeof raw.answer === 'string' ? raw.answer : '';
	if (answer !== 'confirm' && answer !== 'decline') throw new InvitationRefusal('answer', '请选择答复：参加或不能参加');
	const reason = typeof raw.reason === 'string' ? raw.reason.trim() : '';
	if (answer === 'decline') {
		if (reason.length < DECLINE_REASON_MIN) throw new InvitationRefusal('reason', `请填写不能参加的原因（至少${DECLINE_REASON_MIN}个字）`);
		if (reason.length > DECLINE_REASON_MAX) throw new InvitationRefusal('reason', `不能参加的原因不能超过${DECLINE_REASON_MAX}个字`);
	}
	if (!current) throw new InvitationRefusal('form', '您在本批次没有待答复的评审邀请');
	const status = effectiveStatus(current, replyDeadline, now);
	if (status === 'expired') throw new InvitationRefusal('form', `答复期限（${replyDeadline ?? ''}）已过，请直接联系省厅人才开发处`);
	if (status !== 'pending') throw new InvitationRefusal('form', `您已答复本批次的评审邀请（${INVITATION_LABELS[status]}），如需变更请联系省厅人才开发处`);
	return answer === 'confirm' ? { status: 'confirmed', reason: null } : { status: 'declined', reason };
}

/** Whether the office may replace the expert now, and with which cause. */
export function replacementCause(inv: Pick<InvitationFacts, 'status'> | null | undefined, replyDeadline: string | null | undefined, now: Date = new Date()): 'declined' | 'no-answer' | null {
	if (!inv) return null;
	const status = effectiveStatus(inv, replyDeadline, now);
	if (status === 'declined') return 'declined';
	if (status === 'expired') return 'no-answer';
	return null;
}

/** What the expert may open: everything with a confirmed invitation or none at all (a roster from before invitations). */
export function invitationOpens(status: InvitationStatus | null | undefined): boolean {
	return status == null || status === 'confirmed';
}

/* ---------- the next alternate ---------- */

export type AlternateCandidate = { expertId: string; rank: number };

/** Why a ranked alternate cannot take the seat (null: it can). */
export type SkipReason = 'assigned' | 'inactive' | 'occupation' | 'hard-conflict' | 'declined' | 'load';

export const SKIP_LABELS: Record<SkipReason, string> = {
	assigned: '已在该申报的专家名单中',
	inactive: '已停用',
	occupation: '不评审该职业',
	'hard-conflict': '须回避',
	declined: '已谢绝本批次邀请或逾期未答复',
	load: '已达评审上限'
};

export type AlternateFacts = {
	/** Experts on the application now. */
	assigned: ReadonlySet<string>;
	active: (expertId: string) => boolean;
	reviewsOccupation: (expertId: string) => boolean;
	hardConflict: (expertId: string) => boolean;
	/** Experts who declined the batch's invitation or let it expire. */
	declined: ReadonlySet<string>;
	/** The per-expert limit is reached (false without a limit). */
	atLoadCap: (expertId: string) => boolean;
};

export function skipReason(expertId: string, f: AlternateFacts): SkipReason | null {
	if (f.assigned.has(expertId)) return 'assigned';
	if (!f.active(expertId)) return 'inactive';
	if (!f.reviewsOccupation(expertId)) return 'occupation';
	if (f.declined.has(expertId)) return 'declined';
	if (f.atLoadCap(expertId)) return 'load';
	if (f.hardConflict(expertId)) return 'hard-conflict';
	return null;
}

/** The first alternate by rank who can take the seat, with the ones passed over and why. */
export function chooseAlternate(
	ranked: readonly AlternateCandidate[],
	facts: AlternateFacts
): { expertId: string | null; skipped: { expertId: string; reason: SkipReason }[] } {
	const skipped: { expertId: string; reason: SkipReason }[] = [];
	for (const c of [...ranked].sort((a, b) => a.rank - b.rank || a.expertId.localeCompare(b.expertId))) {
		const why = skipReason(c.expertId, facts);
		if (!why) return { expertId: c.expertId, skipped };
		skipped.push({ expertId: c.expertId, reason: why });
	}
	return { expertId: null, skipped };
}

/* ---------- reply deadline ---------- */

/** The office's reply deadline: a date, or empty to remove it. */
export function parseReplyDeadline(raw: unknown): string | null {
	const v = typeof raw === 'string' ? raw.trim() : '';
	if (v === '') return null;
	if (!isIsoDate(v)) throw new InvitationRefusal('form', '答复截止日期应为有效日期（如 2023-07-01）');
	return v;
}

/** Why an expert whose invitation does not open the batch sees no applications (offline and print pages). */
export function closedInvitationText(inv: { status: InvitationStatus; label: string }): string {
	return inv.status === 'pending'
		? '您尚未确认本批次的评审邀请：请先在“我的评审任务”中确认参加，确认后才能下载离线评分表和打印评分表。'
		: `您本批次的评审邀请为“${inv.label}”，没有需要评分的申报。`;
}
