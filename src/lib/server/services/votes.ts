/**
 * The meeting's vote (会议表决) and the 综合评审意见.
 *
 * The chair (office, `vote.call`) opens a round on the meeting's current application with a
 * motion; the eligible panel members (domain/votes.ts) vote 同意/不同意/弃权 on their laptops and
 * may change their vote until the chair closes the round. Only one round per application is open
 * at a time. Closing fixes the tally in `vote_rounds.tally`; a motion that passes is recorded as
 * the meeting's decision (`decisions.vote_round_id`); a motion that fails changes no decision (the
 * chair records one with a written reason, or calls another vote).
 *
 * Secrecy: until a round is closed no reader returns a vote or a per-choice count. The chair sees
 * how many of the eligible have voted (`voteBoard`), the panel member only their own vote
 * (`expertBallot`), everybody else that a vote is open. The events stream carries no vote: opening
 * and closing are published as `vote`; a cast is published as `ballot` (no application, no choice),
 * which only the chair's own stream forwards. The audit entry of a cast names the round, not the
 * choice; the closing entry carries the tally and a SHA-256 of the votes (the votes themselves are
 * kept in `votes` for the audit; reports print only the tally).
 *
 * Every write asks `canChangeScores`: nothing moves once the results are locked.
 */
import { createHash } from 'node:crypto';
import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import * as z from 'zod';
import type { Db } from '../db';
import * as s from '../db/schema';
import { audit, type Actor } from '../audit';
import { batchById, inBatch, requirePhase, type BatchScope } from '../scope';
import { Refusal } from '../refusal';
import { canChangeScores } from '../../domain/phases';
import { effectiveStatus } from '../../domain/invitations';
import {
	eligibleVoters,
	ineligibility,
	opinionProblem,
	OPINION_MAX,
	turnout,
	tallyVotes,
	votePasses,
	VOTE_CHOICE_KEYS,
	VOTE_MOTION_KEYS,
	type Ineligibility,
	type PanelCandidate,
	type VoteChoice,
	type VoteMotion,
	type VoteTally
} from '../../domain/votes';
import { hardConflictCodes, isPublished } from '../queries/reviews';
import { publishMeeting } from '../events';
import { isRecommended } from './batch-state';
import { findApplicationResult } from './results';

export class VoteError extends Refusal {
	constructor(message: string, field: string | null = null, status: 400 | 403 | 404 | 409 = 400) {
		super(message, status, field ? { [field]: message } : {});
	}
}

type Q = Pick<Db, 'select'>;
type Tx = Pick<Db, 'select' | 'insert' | 'update' | 'delete'>;

const LOCKED = '评审结果已锁定，不能再进行会议表决';

/* ---------- the panel ---------- */

export type PanelMember = { expertId: string; name: string; ineligible: Ineligibility | null };

/** The experts drawn onto the application, with why each does or does not vote. */
export function panelOf(db: Db, batch: s.BatchRow, applicationId: string): PanelMember[] {
	const rows = db
		.select({ expertId: s.assignments.expertId, createdAt: s.assignments.createdAt, name: s.experts.name, active: s.experts.active })
		.from(s.assignments)
		.innerJoin(s.experts, eq(s.experts.id, s.assignments.expertId))
		.where(eq(s.assignments.applicationId, applicationId))
		.orderBy(asc(s.assignments.expertId))
		.all();
	if (!rows.length) return [];
	const invitations = new Map(
		db
			.select()
			.from(s.invitations)
			.where(and(eq(s.invitations.batchId, batch.id), inArray(s.invitations.expertId, rows.map((r) => r.expertId))))
			.all()
			.map((r) => [r.expertId, effectiveStatus(r, batch.replyDeadline)])
	);
	return rows.map((r) => {
		const candidate: PanelCandidate = {
			expertId: r.expertId,
			published: isPublished(r.createdAt, batch.assignmentsPublishedAt),
			invitation: invitations.get(r.expertId) ?? null,
			active: r.active,
			conflict: hardConflictCodes(db, r.expertId, applicationId).length > 0
		};
		return { expertId: r.expertId, name: r.name, ineligible: ineligibility(candidate) };
	});
}

/** The ids of the members who vote on the application. */
export function eligibleOf(db: Db, batch: s.BatchRow, applicationId: string): string[] {
	return eligibleVoters(
		panelOf(db, batch, applicationId).map((m) => ({ expertId: m.expertId, published: true, invitation: null, active: true, conflict: m.ineligible !== null }))
	);
}

/* ---------- rounds ---------- */

type RoundRow = typeof s.voteRounds.$inferSelect;

function openRoundOf(db: Q, applicationId: string): RoundRow | undefined {
	return db
		.select()
		.from(s.voteRounds)
		.where(and(eq(s.voteRounds.applicationId, applicationId), isNull(s.voteRounds.closedAt)))
		.orderBy(desc(s.voteRounds.id))
		.get();
}

function roundInBatch(db: Q, batch: s.BatchRow, roundId: number): RoundRow | undefined {
	const row = db.select().from(s.voteRounds).where(eq(s.voteRounds.id, roundId)).get();
	if (!row || !inBatch({ db, batch }, row.applicationId)) return undefined;
	return row;
}

function currentApplication(db: Q, batch: s.BatchRow): string | null {
	return batchById(db, batch.id)?.meeting?.applicationId ?? null;
}

export const openVoteInput = z.object({
	applicationId: z.string().min(1, { message: '请选择评议事项' }).max(200),
	motion: z.enum(VOTE_MOTION_KEYS, { message: '请选择表决事项（拟推荐、不推荐、需实地考察或待定）' })
});

/** Opens a round on the meeting's current application. Returns the round's id. */
export function openVote(scope: BatchScope, input: z.input<typeof openVoteInput>, actor: Actor): number {
	const parsed = openVoteInput.safeParse(input);
	if (!parsed.success) throw new VoteError(parsed.error.issues[0].message, String(parsed.error.issues[0].path[0] ?? 'motion'));
	const { applicationId, motion } = parsed.data;
	const id = scope.db.transaction((tx) => {
		requirePhase(tx, scope, canChangeScores, LOCKED);
		const app = tx.select({ status: s.applications.status }).from(s.applications).where(and(eq(s.applications.id, applicationId), eq(s.applications.batchId, scope.batch.id))).get();
		if (!app) throw new VoteError('没有找到该申报', 'applicationId', 404);
		if (!isRecommended(app.status)) throw new VoteError('该申报未被推荐（草稿或已退回），不在评审会议程中', 'applicationId', 409);
		if (currentApplication(tx, scope.batch) !== applicationId) {
			throw new VoteError('只能对当前评议事项发起表决：请先将各屏幕切换到该事项', 'applicationId', 409);
		}
		if (openRoundOf(tx, applicationId)) throw new VoteError('该事项已有一轮表决正在进行，请先结束该轮表决', 'motion', 409);
		const eligible = eligibleOf(scope.db, scope.batch, applicationId);
		if (!eligible.length) throw new VoteError('该事项没有有表决权的评审专家（均回避、谢绝或尚未发布分配）', 'applicationId', 409);
		const roundId = tx
			.insert(s.voteRounds)
			.values({ applicationId, motion, openedBy: actor.userId, openedAt: new Date().toISOString() })
			.returning({ id: s.voteRounds.id })
			.get().id;
		audit(tx, actor, 'vote.open', 'application', applicationId, { roundId, motion, eligible: eligible.length });
		return roundId;
	});
	publishMeeting('vote', applicationId);
	return id;
}

export const castVoteInput = z.object({
	roundId: z.coerce.number({ message: '表决轮次不正确' }).int({ message: '表决轮次不正确' }).positive({ message: '表决轮次不正确' }),
	choice: z.enum(VOTE_CHOICE_KEYS, { message: '请选择同意、不同意或弃权' })
});

/** An eligible member votes, or changes their vote, while the round is open. */
export function castVote(scope: BatchScope, expertId: string, input: z.input<typeof castVoteInput>, actor: Actor): void {
	const parsed = castVoteInput.safeParse(input);
	if (!parsed.success) throw new VoteError(parsed.error.issues[0].message, String(parsed.error.issues[0].path[0] ?? 'choice'));
	const { roundId, choice } = parsed.data;
	scope.db.transaction((tx) => {
		requirePhase(tx, scope, canChangeScores, LOCKED);
		const round = roundInBatch(tx, scope.batch, roundId);
		if (!round) throw new VoteError('没有找到该表决', 'roundId', 404);
		if (round.closedAt) throw new VoteError('该轮表决已经结束，不能再投票或改票', 'roundId', 409);
		if (currentApplication(tx, scope.batch) !== round.applicationId) throw new VoteError('该表决事项已不是当前评议事项', 'roundId', 409);
		if (!eligibleOf(scope.db, scope.batch, round.applicationId).includes(expertId)) {
			throw new VoteError('您对该事项没有表决权（未分配、回避或未确认参加）', 'roundId', 403);
		}
		const before = tx
			.select({ choice: s.votes.choice })
			.from(s.votes)
			.where(and(eq(s.votes.roundId, roundId), eq(s.votes.expertId, expertId)))
			.get();
		const at = new Date().toISOString();
		tx.insert(s.votes)
			.values({ roundId, expertId, choice, at })
			.onConflictDoUpdate({ target: [s.votes.roundId, s.votes.expertId], set: { choice, at } })
			.run();
		// The entry says that the member voted (or changed the vote), never how.
		audit(tx, actor, 'vote.cast', 'vote-round', String(roundId), { applicationId: round.applicationId, expertId, changed: !!before });
	});
	publishMeeting('ballot', null);
}

/** The votes' fingerprint for the audit: SHA-256 over `expertId:choice` lines, sorted. */
export function votesDigest(votes: readonly { expertId: string; choice: string }[]): string {
	const lines = votes.map((v) => `${v.expertId}:${v.choice}`).sort();
	return createHash('sha256').update(lines.join('\n')).digest('hex');
}

/**
 * Closes the round: the tally (votes of members still eligible) is fixed; a motion that passes
 * becomes the meeting's decision, resting on this round. Returns the tally and whether it passed.
 */
export function closeVote(scope: BatchScope, roundId: number, actor: Actor): { tally: VoteTally; passed: boolean } {
	if (!Number.isInteger(roundId) || roundId <= 0) throw new VoteError('表决轮次不正确', 'roundId');
	const pre = roundInBatch(scope.db, scope.batch, roundId);
	const result = pre ? findApplicationResult(scope, pre.applicationId) : null;
	const out = scope.db.transaction((tx) => {
		requirePhase(tx, scope, canChangeScores, LOCKED);
		const round = roundInBatch(tx, scope.batch, roundId);
		if (!round) throw new VoteError('没有找到该表决', 'roundId', 404);
		if (round.closedAt) throw new VoteError('该轮表决已经结束', 'roundId', 409);
		const eligible = eligibleOf(scope.db, scope.batch, round.applicationId);
		const cast = tx.select({ expertId: s.votes.expertId, choice: s.votes.choice }).from(s.votes).where(eq(s.votes.roundId, roundId)).all();
		const tally = tallyVotes(cast, eligible);
		const passed = votePasses(tally);
		const at = new Date().toISOString();
		tx.update(s.voteRounds).set({ closedAt: at, closedBy: actor.userId, tally }).where(eq(s.voteRounds.id, roundId)).run();
		audit(tx, actor, 'vote.close', 'application', round.applicationId, { roundId, motion: round.motion, tally, passed, votes: votesDigest(cast) });
		if (passed) {
			tx.insert(s.decisions)
				.values({ applicationId: round.applicationId, decision: round.motion, reason: null, voteRoundId: roundId, userId: actor.userId, at })
				.onConflictDoUpdate({
					target: s.decisions.applicationId,
					set: { decision: round.motion, reason: null, voteRoundId: roundId, userId: actor.userId, at }
				})
				.run();
			audit(tx, actor, 'decision.record', 'application', round.applicationId, {
				decision: round.motion,
				default: result ? (result.defaultProposed ? 'proposed' : 'not-proposed') : null,
				reason: null,
				voteRoundId: roundId
			});
		}
		return { tally, passed, applicationId: round.applicationId };
	});
	publishMeeting('vote', out.applicationId);
	return { tally: out.tally, passed: out.passed };
}

/* ---------- what each viewer sees ---------- */

export type ClosedRound = { id: number; motion: VoteMotion; openedAt: string; closedAt: string; tally: VoteTally; passed: boolean };

/** The closed rounds of an application, oldest first: tallies only. */
export function closedRounds(db: Q, applicationId: string): ClosedRound[] {
	return db
		.select()
		.from(s.voteRounds)
		.where(eq(s.voteRounds.applicationId, applicationId))
		.orderBy(asc(s.voteRounds.openedAt), asc(s.voteRounds.id))
		.all()
		.filter((r) => r.closedAt && r.tally)
		.map((r) => ({ id: r.id, motion: r.motion, openedAt: r.openedAt, closedAt: r.closedAt!, tally: r.tally!, passed: votePasses(r.tally!) }));
}

/** That a vote is open and on what: what every viewer of the application may know of an open round. */
export function openVoteNotice(db: Q, applicationId: string): { motion: VoteMotion; openedAt: string } | null {
	const r = openRoundOf(db, applicationId);
	return r ? { motion: r.motion, openedAt: r.openedAt } : null;
}

export type VoteBoard = {
	open: { id: number; motion: VoteMotion; openedAt: string; voted: number; eligible: number } | null;
	closed: ClosedRound[];
	panel: PanelMember[];
};

/** The chair's view: the open round with how many of the eligible have voted (never how), the closed tallies, the panel. */
export function voteBoard(scope: BatchScope, applicationId: string): VoteBoard {
	const { db, batch } = scope;
	const panel = panelOf(db, batch, applicationId);
	const r = openRoundOf(db, applicationId);
	let open: VoteBoard['open'] = null;
	if (r) {
		const eligible = panel.filter((m) => m.ineligible === null).map((m) => m.expertId);
		const voters = db.select({ expertId: s.votes.expertId }).from(s.votes).where(eq(s.votes.roundId, r.id)).all();
		open = { id: r.id, motion: r.motion, openedAt: r.openedAt, ...turnout(voters, eligible) };
	}
	return { open, closed: closedRounds(db, applicationId), panel };
}

export type ExpertBallot = { roundId: number; motion: VoteMotion; openedAt: string; mine: VoteChoice | null };

/**
 * The panel member's ballot on the meeting's current application: the open round and their own
 * vote (null when there is no open round on it or they do not vote on it).
 */
export function expertBallot(scope: BatchScope, expertId: string): ExpertBallot | null {
	const { db, batch } = scope;
	const applicationId = currentApplication(db, batch);
	if (!applicationId) return null;
	const r = openRoundOf(db, applicationId);
	if (!r || !eligibleOf(db, batch, applicationId).includes(expertId)) return null;
	const mine = db
		.select({ choice: s.votes.choice })
		.from(s.votes)
		.where(and(eq(s.votes.roundId, r.id), eq(s.votes.expertId, expertId)))
		.get();
	return { roundId: r.id, motion: r.motion, openedAt: r.openedAt, mine: mine?.choice ?? null };
}

/* ---------- 综合评审意见 ---------- */

export const opinionInput = z.object({
	applicationId: z.string().min(1, { message: '请选择评议事项' }).max(200),
	text: z.string({ message: '请填写综合评审意见' }).max(OPINION_MAX * 2, { message: `综合评审意见不能超过${OPINION_MAX}字` })
});

export type Opinion = { text: string; updatedAt: string };

export function opinionOf(db: Q, applicationId: string): Opinion | null {
	const r = db.select({ text: s.reviewOpinions.text, updatedAt: s.reviewOpinions.updatedAt }).from(s.reviewOpinions).where(eq(s.reviewOpinions.applicationId, applicationId)).get();
	return r ?? null;
}

/** The chair drafts or revises the application's 综合评审意见. */
export function saveOpinion(scope: BatchScope, input: z.input<typeof opinionInput>, actor: Actor): void {
	const parsed = opinionInput.safeParse(input);
	if (!parsed.success) throw new VoteError(parsed.error.issues[0].message, String(parsed.error.issues[0].path[0] ?? 'text'));
	const text = parsed.data.text.trim();
	const problem = opinionProblem(text);
	if (problem) throw new VoteError(problem, 'text');
	const { applicationId } = parsed.data;
	scope.db.transaction((tx: Tx) => {
		requirePhase(tx, scope, canChangeScores, '评审结果已锁定，不能再修改综合评审意见');
		const app = tx.select({ status: s.applications.status }).from(s.applications).where(and(eq(s.applications.id, applicationId), eq(s.applications.batchId, scope.batch.id))).get();
		if (!app) throw new VoteError('没有找到该申报', 'applicationId', 404);
		if (!isRecommended(app.status)) throw new VoteError('该申报未被推荐（草稿或已退回），不在评审会议程中', 'applicationId', 409);
		const before = opinionOf(tx, applicationId);
		const at = new Date().toISOString();
		tx.insert(s.reviewOpinions)
			.values({ applicationId, text, userId: actor.userId, updatedAt: at })
			.onConflictDoUpdate({ target: s.reviewOpinions.applicationId, set: { text, userId: actor.userId, updatedAt: at } })
			.run();
		audit(tx, actor, 'opinion.save', 'application', applicationId, { text, revised: !!before });
	});
	publishMeeting('opinion', applicationId);
}
