/**
 * The review meeting and the results: the chair's current item, decisions (a reason is required
 * when a decision departs from the default rule), site visits, and locking the results with a
 * hash of what they say (reopening needs a reason). Everything is audited.
 */
import { Refusal } from '../refusal';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import * as z from 'zod';
import type { Db } from '../db';
import * as s from '../db/schema';
import { audit, type Actor } from '../audit';
import { batchById, inBatch, requirePhase, type BatchScope } from '../scope';
import { canChangeScores, canLock, canUnlock } from '../../domain/phases';
import { computeResults, isRecommended } from './batch-state';
import { resultsDigest } from '../export/memo-data';
import { publishMeeting } from '../events';
import { nationalDecisionCount } from './national';
import { dateString } from '../../domain/bundle';
import type { ApplicationResult } from '../../domain/aggregation';
import type { RecheckRule } from '../../domain/recheck';
import { recheckState } from '../queries/recheck';
import { supportingRound } from '../../domain/votes';
import { signatureGate } from './review-report';

export class ResultsError extends Refusal {
	constructor(message: string, field: string | null = null, status: 400 | 404 | 409 = 400) {
		super(message, status, field ? { [field]: message } : {});
	}
}

type Tx = Pick<Db, 'select' | 'insert' | 'update' | 'delete'>;

/** Throws when the batch's results are locked (or the batch archived): nothing that changes them may be written. */
export function assertUnlocked(tx: Tx, scope: { batch: s.BatchRow }): void {
	requirePhase(tx, scope, canChangeScores, '评审结果已锁定，如需修改请先由省厅重新开放结果');
}

export function findApplicationResult(scope: BatchScope, applicationId: string): ApplicationResult | null {
	const { results } = computeResults(scope);
	for (const g of results.groups) for (const a of g.applications) if (a.id === applicationId) return a;
	return null;
}

export const DECISION_REASON_MIN = 4;

export const decisionInput = z.object({
	applicationId: z.string().min(1).max(100),
	decision: z.enum(['proposed', 'not-proposed', 'site-visit', 'pending'], { message: '请选择评议结论' }),
	reason: z.string().trim().max(2000, { message: '理由不能超过2000字' }).default('')
});

/**
 * Records the meeting's decision. Departing from the default (proposed ↔ the default rule says
 * otherwise; site visit and pending always depart) needs a closed vote on the application that
 * supports it (domain/votes.ts `supportingRound`: the latest closed round on that motion passed)
 * or a written reason. A decision a passed vote supports rests on that round (`vote_round_id`).
 */
export function recordDecision(scope: BatchScope, input: z.input<typeof decisionInput>, actor: Actor): void {
	const { db } = scope;
	const d = decisionInput.parse(input);
	const result = findApplicationResult(scope, d.applicationId);
	if (!result) throw new ResultsError('没有找到该申报', 'applicationId', 404);
	const departs = (d.decision === 'proposed') !== result.defaultProposed || d.decision === 'site-visit' || d.decision === 'pending';
	db.transaction((tx) => {
		assertUnlocked(tx, scope);
		const rounds = tx.select().from(s.voteRounds).where(eq(s.voteRounds.applicationId, d.applicationId)).all();
		const vote = supportingRound(rounds, d.decision);
		if (departs && !vote && d.reason.length < DECISION_REASON_MIN) {
			throw new ResultsError(
				`该结论与默认规则（${result.defaultProposed ? '拟推荐' : '不推荐'}）不同：需经会议表决通过，或填写不少于${DECISION_REASON_MIN}个字的理由`,
				'reason'
			);
		}
		const now = new Date().toISOString();
		const row = { decision: d.decision, reason: d.reason || null, voteRoundId: vote?.id ?? null, userId: actor.userId, at: now };
		tx.insert(s.decisions)
			.values({ applicationId: d.applicationId, ...row })
			.onConflictDoUpdate({ target: s.decisions.applicationId, set: row })
			.run();
		audit(tx, actor, 'decision.record', 'application', d.applicationId, {
			decision: d.decision,
			default: result.defaultProposed ? 'proposed' : 'not-proposed',
			reason: d.reason || null,
			...(vote ? { voteRoundId: vote.id } : {})
		});
	});
	publishMeeting('decision', d.applicationId);
}

export function clearDecision(scope: BatchScope, applicationId: string, actor: Actor): void {
	scope.db.transaction((tx) => {
		if (!inBatch({ db: tx, batch: scope.batch }, applicationId)) throw new ResultsError('没有找到该申报', 'applicationId', 404);
		assertUnlocked(tx, scope);
		tx.delete(s.decisions).where(eq(s.decisions.applicationId, applicationId)).run();
		audit(tx, actor, 'decision.clear', 'application', applicationId, null);
	});
	publishMeeting('decision', applicationId);
}

export const siteVisitInput = z.object({
	applicationId: z.string().min(1).max(100),
	date: dateString,
	members: z.string().trim().min(2, { message: '请填写考察组成员' }).max(500, { message: '考察组成员不能超过500字' }),
	findings: z.string().trim().min(5, { message: '请填写不少于5个字的考察情况' }).max(5000, { message: '考察情况不能超过5000字' })
});

export function recordSiteVisit(scope: BatchScope, input: z.input<typeof siteVisitInput>, actor: Actor): void {
	const v = siteVisitInput.parse(input);
	scope.db.transaction((tx) => {
		if (!inBatch({ db: tx, batch: scope.batch }, v.applicationId)) {
			throw new ResultsError('没有找到该申报', 'applicationId', 404);
		}
		assertUnlocked(tx, scope);
		const id = tx.insert(s.siteVisits).values({ ...v, userId: actor.userId }).returning({ id: s.siteVisits.id }).get().id;
		audit(tx, actor, 'site-visit.record', 'application', v.applicationId, { siteVisitId: id, date: v.date });
	});
}

/** Moves the meeting to an application (null ends the item); every screen follows through SSE. */
export function moveMeeting(scope: BatchScope, applicationId: string | null, actor: Actor): void {
	scope.db.transaction((tx) => {
		requirePhase(tx, scope, canChangeScores, '评审结果已锁定，评审会议已结束');
		const batch = batchById(tx, scope.batch.id)!;
		if (applicationId) {
			const row = tx
				.select({ status: s.applications.status })
				.from(s.applications)
				.where(and(eq(s.applications.id, applicationId), eq(s.applications.batchId, batch.id)))
				.get();
			if (!row) throw new ResultsError('没有找到该申报', 'applicationId', 404);
			// Only recommended applications are on the agenda: a draft or a returned one is not discussed.
			if (!isRecommended(row.status)) throw new ResultsError('该申报未被推荐（草稿或已退回），不在评审会议程中', 'applicationId', 409);
		}
		tx.update(s.batches)
			.set({ meeting: { applicationId, startedAt: batch.meeting?.startedAt ?? new Date().toISOString(), chairUserId: actor.userId } })
			.where(eq(s.batches.id, batch.id))
			.run();
		audit(tx, actor, 'meeting.move', 'application', applicationId, null);
	});
	publishMeeting('move', applicationId);
}

export function currentMeeting(scope: { db: Db; batch: s.BatchRow }): { applicationId: string | null; startedAt: string | null } {
	const m = batchById(scope.db, scope.batch.id)?.meeting;
	return { applicationId: m?.applicationId ?? null, startedAt: m?.startedAt ?? null };
}

/** Locks the results: stores the lock time and the SHA-256 of the results it fixes. */
/** What is still open in one group when the office locks: experts have to finish or the chair decide. */
export type LockGroupItems = {
	occupation: string;
	type: 'training' | 'evaluation';
	/** Assigned experts (without a hard conflict) with no sheet yet. */
	notStarted: { applicationId: string; expertId: string }[];
	/** Sheets still in draft. */
	drafts: { applicationId: string; expertId: string }[];
	/** Soft conflicts on assigned pairs the chair has neither confirmed nor dismissed. */
	openConflicts: { applicationId: string; expertId: string; code: string }[];
	/** Abnormal submitted totals without the expert's written explanation. */
	missingExplanations: { applicationId: string; expertId: string }[];
	/** Re-check (复核) findings neither corrected nor confirmed (/office/recheck). */
	recheck: { key: string; rule: RecheckRule; applicationId: string; expertId: string | null; criterionId: string | null }[];
};

export type LockReadiness = { groups: LockGroupItems[]; total: number };

/** Per group, what is still open: shown before locking, and locking with open items needs a confirmation. */
export function lockReadiness(scope: BatchScope, state = computeResults(scope)): LockReadiness {
	const { results, input, conflicts } = state;
	const assigned = scope.db
		.select({ a: s.assignments.applicationId, e: s.assignments.expertId })
		.from(s.assignments)
		.where(inArray(s.assignments.applicationId, [...state.counted]))
		.all();
	const byApp = new Map<string, string[]>();
	for (const r of assigned) byApp.set(r.a, [...(byApp.get(r.a) ?? []), r.e]);
	const sheets = new Map(input.sheets.map((sc) => [`${sc.applicationId}|${sc.expertId}`, sc]));
	const assignedPairs = new Set(assigned.map((r) => `${r.a}|${r.e}`));
	const groups: LockGroupItems[] = [];
	const groupOf = new Map<string, LockGroupItems>();
	for (const g of results.groups) {
		const items: LockGroupItems = { occupation: g.occupation, type: g.type, notStarted: [], drafts: [], openConflicts: [], missingExplanations: [], recheck: [] };
		for (const a of g.applications) {
			groupOf.set(a.id, items);
			for (const expertId of [...(byApp.get(a.id) ?? [])].sort()) {
				const key = `${a.id}|${expertId}`;
				if (conflicts.hard.has(key)) continue;
				const sheet = sheets.get(key);
				if (!sheet) items.notStarted.push({ applicationId: a.id, expertId });
				else if (sheet.status === 'draft') items.drafts.push({ applicationId: a.id, expertId });
			}
			for (const sh of a.sheets) {
				if (sh.abnormal && !sheets.get(`${a.id}|${sh.expertId}`)?.explanation?.trim()) {
					items.missingExplanations.push({ applicationId: a.id, expertId: sh.expertId });
				}
			}
		}
		groups.push(items);
	}
	for (const c of conflicts.conflicts) {
		if (c.hard || c.review !== null || !assignedPairs.has(`${c.applicationId}|${c.expertId}`)) continue;
		groupOf.get(c.applicationId)?.openConflicts.push({ applicationId: c.applicationId, expertId: c.expertId, code: c.code });
	}
	for (const f of recheckState(scope, state).findings) {
		if (!f.handled) groupOf.get(f.applicationId)?.recheck.push({ key: f.key, rule: f.rule, applicationId: f.applicationId, expertId: f.expertId, criterionId: f.criterionId });
	}
	const count = (g: LockGroupItems) => g.notStarted.length + g.drafts.length + g.openConflicts.length + g.missingExplanations.length + g.recheck.length;
	const open = groups.filter((g) => count(g) > 0);
	return { groups: open, total: open.reduce((n, g) => n + count(g), 0) };
}

/**
 * Locks the results with the hash of what they say. With items still open (lockReadiness) the
 * office must confirm (`confirmed`); the open items are recorded with the lock. With a group's
 * review report not fully signed (missing or stale signatures) a written `reason` is needed: the
 * reason and the missing signatures are stored in `batches.lock_note` (cleared on reopening).
 */
export function lockResults(scope: BatchScope, actor: Actor, opts: { confirmed?: boolean; reason?: string | null } = {}): string {
	const { db } = scope;
	requirePhase(db, scope, canLock, '评审结果已经锁定');
	const state = computeResults(scope);
	const { results } = state;
	const readiness = lockReadiness(scope, state);
	if (readiness.total > 0 && !opts.confirmed) {
		throw new ResultsError(`尚有 ${readiness.total} 项未完成事项（未开始或未提交的评分表、未认定的回避、缺少的异常分说明、未处理的复核事项），请核对后勾选确认再锁定`, 'confirm', 409);
	}
	// The review reports: with signatures missing or stale, a written reason, stored as the lock note.
	const lockNote = signatureGate(scope, state, opts.reason);
	const hash = resultsDigest(results);
	db.transaction((tx) => {
		requirePhase(tx, scope, canLock, '评审结果已经锁定');
		const batch = batchById(tx, scope.batch.id)!;
		// A vote still open could never be closed after locking (and would have no tally): close it first.
		const openVotes = tx
			.select({ id: s.voteRounds.id })
			.from(s.voteRounds)
			.where(and(isNull(s.voteRounds.closedAt), sql`${s.voteRounds.applicationId} IN (SELECT id FROM applications WHERE batch_id = ${batch.id})`))
			.all();
		if (openVotes.length) {
			throw new ResultsError(`会议表决尚未结束（第 ${openVotes.map((r) => r.id).join('、')} 号表决），请在会议页结束表决后再锁定`, 'confirm', 409);
		}
		tx.update(s.batches).set({ resultsLockedAt: new Date().toISOString(), resultsHash: hash, lockNote }).where(eq(s.batches.id, batch.id)).run();
		const open = readiness.groups.reduce(
			(o, g) => ({
				notStarted: o.notStarted + g.notStarted.length,
				drafts: o.drafts + g.drafts.length,
				openConflicts: o.openConflicts + g.openConflicts.length,
				missingExplanations: o.missingExplanations + g.missingExplanations.length,
				recheck: o.recheck + g.recheck.length
			}),
			{ notStarted: 0, drafts: 0, openConflicts: 0, missingExplanations: 0, recheck: 0 }
		);
		audit(tx, actor, 'results.lock', 'batch', batch.id, {
			hash,
			method: results.method,
			...(readiness.total ? { openItems: open } : {}),
			...(opts.reason ? { reason: opts.reason } : {}),
			...(lockNote ? { unsigned: lockNote.missing } : {})
		});
	});
	publishMeeting('lock', null);
	return hash;
}

export function reopenResults(scope: BatchScope, reason: string, actor: Actor): void {
	const text = reason.trim();
	if (text.length < 4) throw new ResultsError('请填写不少于4个字的重新开放理由', 'reason');
	if (text.length > 1000) throw new ResultsError('理由不能超过1000字', 'reason');
	scope.db.transaction((tx) => {
		requirePhase(tx, scope, canUnlock, '评审结果尚未锁定');
		const batch = batchById(tx, scope.batch.id)!;
		// The national decision rests on the locked results: withdraw the decisions first.
		const decided = nationalDecisionCount(tx, batch.id);
		if (decided) throw new ResultsError(`已登记 ${decided} 项国家确定结果，不能重新开放评审结果；确需重新开放的，请先在“国家确定结果”页撤销登记`, 'reason', 409);
		tx.update(s.batches).set({ resultsLockedAt: null, resultsHash: null, lockNote: null }).where(eq(s.batches.id, batch.id)).run();
		audit(tx, actor, 'results.reopen', 'batch', batch.id, { reason: text, previousHash: batch.resultsHash, ...(batch.lockNote ? { previousLockNote: batch.lockNote } : {}) });
	});
	publishMeeting('lock', null);
}
