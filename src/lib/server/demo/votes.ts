/**
 * Demo data for the meeting's votes and the 综合评审意见 (issue 14, points 2 and 3), written
 * straight to the tables (no phase checks), deterministic, each write audited.
 *
 * - 第一批 (call before its results are locked): a 综合评审意见 for every application of the
 *   results, and two closed votes: one confirming the default rule, one departing from it (the
 *   best-scored application the default rule leaves out, voted 拟推荐; or, when the rule leaves
 *   none out, the lowest-scored one with scores far apart, voted 不推荐), both passed: the departing
 *   decision rests on its round (`decisions.vote_round_id`) instead of a written reason.
 * - 第二批 (in its meeting): opinions on two applications and one closed vote confirming the
 *   default rule on one of them.
 *
 * The voters are each application's panel as domain/votes.ts defines it (assignment, no hard
 * conflict, invitation not declined or expired, account active); the first batch's roster is taken
 * as published (it was imported after the batch's own publication date).
 */
import { and, eq, inArray } from 'drizzle-orm';
import * as s from '../db/schema';
import type { BatchScope } from '../scope';
import { audit, SYSTEM_ACTOR, type Actor } from '../audit';
import { computeResults } from '../services/batch-state';
import { votesDigest } from '../services/votes';
import { effectiveStatus } from '../../domain/invitations';
import { eligibleVoters, tallyVotes, votePasses, type VoteChoice, type VoteMotion } from '../../domain/votes';
import { occupationLabel } from '../../domain/occupations';
import { pairKey } from '../../domain/conflicts';
import type { ApplicationResult } from '../../domain/aggregation';

type State = ReturnType<typeof computeResults>;

function chairActor(scope: BatchScope): Actor {
	const row = scope.db.select().from(s.users).where(eq(s.users.username, 'chair')).get();
	return row ? { userId: row.id, name: row.username } : SYSTEM_ACTOR;
}

/** The application's voters, as the service would count them (the roster taken as published). */
function voters(scope: BatchScope, state: State, applicationId: string): string[] {
	const { db, batch } = scope;
	const rows = db
		.select({ expertId: s.assignments.expertId, active: s.experts.active })
		.from(s.assignments)
		.innerJoin(s.experts, eq(s.experts.id, s.assignments.expertId))
		.where(eq(s.assignments.applicationId, applicationId))
		.all();
	const invitations = new Map(
		rows.length
			? db
					.select()
					.from(s.invitations)
					.where(and(eq(s.invitations.batchId, batch.id), inArray(s.invitations.expertId, rows.map((r) => r.expertId))))
					.all()
					.map((r) => [r.expertId, effectiveStatus(r, batch.replyDeadline)])
			: []
	);
	return eligibleVoters(
		rows.map((r) => ({
			expertId: r.expertId,
			published: true,
			invitation: invitations.get(r.expertId) ?? null,
			active: r.active,
			conflict: state.conflicts.hard.has(pairKey(applicationId, r.expertId))
		}))
	);
}

const minutes = (iso: string, n: number) => new Date(Date.parse(iso) + n * 60_000).toISOString();

/**
 * One closed round: every voter votes (the last one `dissent` when given, after the others agreed),
 * the tally fixed; a passed motion is recorded as the decision. Returns the round id, or null when
 * nobody votes on the application.
 */
function closedRound(
	scope: BatchScope,
	state: State,
	actor: Actor,
	a: ApplicationResult,
	motion: VoteMotion,
	openedAt: string,
	dissent: VoteChoice | null
): number | null {
	const { db } = scope;
	const members = voters(scope, state, a.id);
	if (!members.length) return null;
	const closedAt = minutes(openedAt, 6);
	return db.transaction((tx) => {
		const roundId = tx.insert(s.voteRounds).values({ applicationId: a.id, motion, openedBy: actor.userId, openedAt }).returning({ id: s.voteRounds.id }).get().id;
		audit(tx, actor, 'vote.open', 'application', a.id, { roundId, motion, eligible: members.length });
		const cast = members.map((expertId, i) => ({
			expertId,
			choice: (dissent && members.length > 2 && i === members.length - 1 ? dissent : 'agree') as VoteChoice
		}));
		cast.forEach((v, i) => {
			tx.insert(s.votes).values({ roundId, expertId: v.expertId, choice: v.choice, at: minutes(openedAt, 1 + i * 0.5) }).run();
			const user = tx.select({ id: s.users.id, username: s.users.username }).from(s.users).where(eq(s.users.expertId, v.expertId)).get();
			audit(tx, user ? { userId: user.id, name: user.username } : SYSTEM_ACTOR, 'vote.cast', 'vote-round', String(roundId), {
				applicationId: a.id,
				expertId: v.expertId,
				changed: false
			});
		});
		const tally = tallyVotes(cast, members);
		const passed = votePasses(tally);
		tx.update(s.voteRounds).set({ closedAt, closedBy: actor.userId, tally }).where(eq(s.voteRounds.id, roundId)).run();
		audit(tx, actor, 'vote.close', 'application', a.id, { roundId, motion, tally, passed, votes: votesDigest(cast) });
		if (passed) {
			const row = { decision: motion, reason: null, voteRoundId: roundId, userId: actor.userId, at: closedAt };
			tx.insert(s.decisions).values({ applicationId: a.id, ...row }).onConflictDoUpdate({ target: s.decisions.applicationId, set: row }).run();
			audit(tx, actor, 'decision.record', 'application', a.id, {
				decision: motion,
				default: a.defaultProposed ? 'proposed' : 'not-proposed',
				reason: null,
				voteRoundId: roundId
			});
		}
		return roundId;
	});
}

const STRENGTHS = [
	'培训体系较为完整，课程设置紧扣职业标准',
	'师资队伍结构合理，专职教师和考评人员比例适当',
	'场地设施和实训平台能够满足培训需要',
	'近三年培训规模稳定增长，组织管理制度健全',
	'与行业企业合作紧密，培训内容贴近岗位实际'
];
const WEAKNESSES = [
	'实训平台的软硬件条件有待加强',
	'专职师资数量偏少，兼职教师占比较高',
	'近三年培训规模偏小，组织实施经验有待积累',
	'培训计划的考核评价环节不够具体',
	'申报材料中部分数据与佐证材料衔接不够清晰'
];

/** A deterministic pick from a list by the application's id (`offset` picks another item of the same list). */
function pick<T>(list: readonly T[], id: string, offset = 0): T {
	let h = 0;
	for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
	return list[(h + offset) % list.length];
}

/** The chair's opinion, drafted from the results (score, rank, the meeting's decision). */
export function opinionText(a: ApplicationResult, institutionName: string, decision: string): string {
	const kind = a.type === 'training' ? '培训机构' : '评价机构';
	const score = a.score == null ? '有效评分不足，未计汇总得分' : `汇总得分 ${a.score.toFixed(2)} 分，组内排名第 ${a.rank ?? '—'} 位`;
	const base = `${institutionName}申报${occupationLabel(a.occupation)}${kind}。评审组审阅申报材料并经会议讨论认为：该机构${pick(STRENGTHS, a.id)}`;
	if (decision === 'proposed') return `${base}，${pick(STRENGTHS, a.id, 2)}，符合遴选条件。${score}，建议列入拟推荐名单。`;
	if (decision === 'site-visit') return `${base}，但${pick(WEAKNESSES, a.id)}。${score}，建议实地考察后再议。`;
	if (decision === 'pending') return `${base}，但${pick(WEAKNESSES, a.id)}。${score}，暂缓作出结论。`;
	return `${base}，但${pick(WEAKNESSES, a.id)}。${score}，建议本批次不予推荐。`;
}

function writeOpinion(scope: BatchScope, actor: Actor, a: ApplicationResult, name: string, decision: string, at: string): void {
	scope.db.transaction((tx) => {
		const text = opinionText(a, name, decision);
		tx.insert(s.reviewOpinions)
			.values({ applicationId: a.id, text, userId: actor.userId, updatedAt: at })
			.onConflictDoUpdate({ target: s.reviewOpinions.applicationId, set: { text, userId: actor.userId, updatedAt: at } })
			.run();
		audit(tx, actor, 'opinion.save', 'application', a.id, { text, revised: false });
	});
}

function names(scope: BatchScope): Map<string, string> {
	return new Map(
		scope.db
			.select({ id: s.applications.id, name: s.institutions.name })
			.from(s.applications)
			.innerJoin(s.institutions, eq(s.institutions.id, s.applications.institutionId))
			.where(eq(s.applications.batchId, scope.batch.id))
			.all()
			.map((r) => [r.id, r.name])
	);
}

export type VotesDemo = { rounds: number[]; departing: string | null; opinions: number };

/** 第一批: two closed votes (one departing from the default rule) and an opinion for every application. Call before locking. */
export function seedFirstBatchVotes(scope: BatchScope): VotesDemo {
	const actor = chairActor(scope);
	let state = computeResults(scope);
	const groups = state.results.groups;
	const all = groups.flatMap((g) => g.applications);
	const rounds: number[] = [];
	// Departing: the best-scored application the default rule leaves out, voted into the list; when
	// the rule leaves none out, the lowest-scored flagged one (scores far apart), voted out of it.
	const left = all.filter((a) => !a.defaultProposed && a.score != null && !a.flags.includes('INSUFFICIENT_REVIEWS')).sort((x, y) => y.score! - x.score! || x.id.localeCompare(y.id));
	const flagged = all
		.filter((a) => a.defaultProposed && a.score != null && a.flags.some((f) => f === 'HIGH_DISPERSION' || f === 'ABNORMAL_SCORE'))
		.sort((x, y) => x.score! - y.score! || x.id.localeCompare(y.id));
	const departing = left[0] ?? flagged[0] ?? null;
	if (departing) {
		const motion: VoteMotion = departing.defaultProposed ? 'not-proposed' : 'proposed';
		const id = closedRound(scope, state, actor, departing, motion, '2022-11-08T03:20:00.000Z', 'disagree');
		if (id) rounds.push(id);
	}
	// Confirming: the top application of another group.
	const confirming = groups
		.filter((g) => !departing || g.occupation !== departing.occupation || g.type !== departing.type)
		.flatMap((g) => g.applications.filter((a) => a.defaultProposed).slice(0, 1))[0];
	if (confirming) {
		const id = closedRound(scope, state, actor, confirming, 'proposed', '2022-11-08T02:40:00.000Z', 'abstain');
		if (id) rounds.push(id);
	}
	state = computeResults(scope);
	const byName = names(scope);
	let n = 0;
	for (const a of state.results.groups.flatMap((g) => g.applications)) {
		writeOpinion(scope, actor, a, byName.get(a.id) ?? a.id, a.decision ?? (a.defaultProposed ? 'proposed' : 'not-proposed'), '2022-11-08T08:30:00.000Z');
		n++;
	}
	return { rounds, departing: departing?.id ?? null, opinions: n };
}

/** 第二批 (in its meeting): opinions on two applications, one closed vote confirming the default rule. */
export function seedSecondBatchVotes(scope: BatchScope, opts: { avoid?: readonly string[] } = {}): VotesDemo {
	const actor = chairActor(scope);
	const state = computeResults(scope);
	const avoid = new Set(opts.avoid ?? []);
	// Applications every assigned expert has scored, at the top of their group, left alone by the browser tests.
	const ranked = state.results.groups
		.flatMap((g) => g.applications.filter((a) => a.rank === 1 && a.defaultProposed && !a.decision && !avoid.has(a.id)))
		.sort((x, y) => x.id.localeCompare(y.id));
	const chosen = ranked.slice(0, 2);
	const rounds: number[] = [];
	const now = Date.now();
	if (chosen[0]) {
		const id = closedRound(scope, state, actor, chosen[0], 'proposed', new Date(now - 3 * 3600_000).toISOString(), 'abstain');
		if (id) rounds.push(id);
	}
	const byName = names(scope);
	for (const a of chosen) writeOpinion(scope, actor, a, byName.get(a.id) ?? a.id, 'proposed', new Date(now - 2 * 3600_000).toISOString());
	return { rounds, departing: null, opinions: chosen.length };
}
