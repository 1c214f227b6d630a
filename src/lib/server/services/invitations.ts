/**
 * Invitations of the drawn experts (domain/invitations.ts has the rules): the roster's publication
 * invites every drawn expert; the expert confirms or declines on the task list; the office sets the
 * reply deadline and replaces an expert who declined or let the deadline pass by the next alternate
 * of each of their applications, in one action. Every write is one transaction, phase-checked and
 * audited; a refused request writes nothing.
 */
import { and, eq, inArray, lte } from 'drizzle-orm';
import type { Db } from '../db';
import * as s from '../db/schema';
import { audit, type Actor } from '../audit';
import { Refusal } from '../refusal';
import { requirePhase, type BatchScope } from '../scope';
import { alternateChoice } from './assignment-admin';
import { replaceExpert } from './assignment';
import { canChangeScores } from '../../domain/phases';
import { can, type Principal } from '../../domain/permissions';
import {
	answerInvitation as answer,
	INVITATION_LABELS,
	InvitationRefusal,
	parseReplyDeadline,
	replacementCause,
	effectiveStatus
} from '../../domain/invitations';

type Tx = Pick<Db, 'select' | 'selectDistinct' | 'insert' | 'update'>;

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

function refused(e: InvitationRefusal, status = 400): Refusal {
	return new Refusal(e.message, status, { [e.field]: e.message });
}

/** Experts with an assignment in the batch; with `publishedBy`, only those with one made at or before that time. */
function assignedExperts(tx: Pick<Db, 'select' | 'selectDistinct'>, batchId: string, publishedBy?: string | null): string[] {
	if (publishedBy === null) return [];
	return tx
		.selectDistinct({ e: s.assignments.expertId })
		.from(s.assignments)
		.innerJoin(s.applications, eq(s.assignments.applicationId, s.applications.id))
		.where(and(eq(s.applications.batchId, batchId), publishedBy === undefined ? undefined : lte(s.assignments.createdAt, publishedBy)))
		.all()
		.map((r) => r.e);
}

/**
 * A pending invitation for every expert of the batch's roster who has none yet, called when the
 * roster is published (inside its transaction; `previousPublication` is the publication before
 * this one). An expert who already answered keeps the answer. Experts who were already on the
 * published roster without an invitation — a roster published before invitations existed, or
 * imported from a bundle — are not invited after the fact: they are treated as confirmed
 * (domain/invitations.ts). Returns how many were invited.
 */
export function inviteDrawnExperts(tx: Tx, batchId: string, previousPublication: string | null = null): number {
	const working = new Set(assignedExperts(tx, batchId, previousPublication));
	let n = 0;
	for (const expertId of assignedExperts(tx, batchId)) {
		if (working.has(expertId) && !invitationRow(tx, batchId, expertId)) continue;
		n += tx.insert(s.invitations).values({ batchId, expertId, status: 'pending' }).onConflictDoNothing().run().changes;
	}
	return n;
}

/** Invites an expert who takes a seat by replacement, unless they already work on the published roster without an invitation. */
function inviteReplacement(tx: Tx, batch: s.BatchRow, expertId: string): void {
	if (invitationRow(tx, batch.id, expertId)) return;
	if (assignedExperts(tx, batch.id, batch.assignmentsPublishedAt).includes(expertId)) return;
	tx.insert(s.invitations).values({ batchId: batch.id, expertId, status: 'pending' }).run();
}

function invitationRow(tx: Pick<Db, 'select'>, batchId: string, expertId: string) {
	return tx
		.select()
		.from(s.invitations)
		.where(and(eq(s.invitations.batchId, batchId), eq(s.invitations.expertId, expertId)))
		.get();
}

function batchRow(tx: Pick<Db, 'select'>, scope: BatchScope): s.BatchRow {
	return tx.select().from(s.batches).where(eq(s.batches.id, scope.batch.id)).get() ?? scope.batch;
}

/**
 * The expert's answer: 参加 or 不能参加 with a reason. Only the expert themself answers their own
 * invitation (`invitation.answer` and the account's own expert), while the batch is under review
 * and before the reply deadline.
 */
export function answerInvitation(
	scope: BatchScope,
	user: Pick<Principal, 'role' | 'expertId'>,
	expertId: string,
	raw: { answer?: unknown; reason?: unknown },
	actor: Actor,
	now: Date = new Date()
): { status: 'confirmed' | 'declined' } {
	if (!can(user, 'invitation.answer') || !user.expertId || user.expertId !== expertId) {
		throw new Refusal('只能答复本人的评审邀请', 403);
	}
	return scope.db.transaction((tx) => {
		requirePhase(tx, scope, canChangeScores, '评审结果已锁定，不能再答复评审邀请');
		const batch = batchRow(tx, scope);
		if (!batch.assignmentsPublishedAt) throw new Refusal('专家分配尚未发布，暂无需答复', 409);
		const current = invitationRow(tx, batch.id, expertId);
		let next;
		try {
			next = answer(current, raw, batch.replyDeadline, now);
		} catch (e) {
			if (e instanceof InvitationRefusal) throw refused(e, e.field === 'form' ? 409 : 400);
			throw e;
		}
		const at = now.toISOString();
		tx.update(s.invitations)
			.set({ status: next.status, reason: next.reason, respondedAt: at })
			.where(and(eq(s.invitations.batchId, batch.id), eq(s.invitations.expertId, expertId), eq(s.invitations.status, 'pending')))
			.run();
		audit(tx, actor, next.status === 'confirmed' ? 'invitation.confirm' : 'invitation.decline', 'expert', expertId, {
			batch: batch.id,
			...(next.reason ? { reason: next.reason } : {})
		});
		return { status: next.status };
	});
}

/** The office's reply deadline (a Beijing date; empty removes it). */
export function setReplyDeadline(scope: BatchScope, raw: { replyDeadline?: unknown }, actor: Actor): string | null {
	let deadline: string | null;
	try {
		deadline = parseReplyDeadline(raw.replyDeadline);
	} catch (e) {
		if (e instanceof InvitationRefusal) throw new Refusal(e.message, 400, { replyDeadline: e.message });
		throw e;
	}
	scope.db.transaction((tx) => {
		requirePhase(tx, scope, canChangeScores, '评审结果已锁定，不能再修改答复期限');
		const previous = batchRow(tx, scope).replyDeadline;
		tx.update(s.batches).set({ replyDeadline: deadline }).where(eq(s.batches.id, scope.batch.id)).run();
		audit(tx, actor, 'invitation.deadline', 'batch', scope.batch.id, { replyDeadline: deadline, previous });
	});
	return deadline;
}

export type InviteeReplacement = {
	expertId: string;
	cause: 'declined' | 'no-answer';
	replaced: { applicationId: string; to: string }[];
	/** Applications where no alternate could take the seat: the expert stays there until the office assigns by hand. */
	unfilled: string[];
	/** Applications where the expert already submitted a sheet: left as they are. */
	keptSubmitted: string[];
};

/**
 * Replaces an expert who declined, or whose invitation expired, on every application of the batch
 * by that application's next alternate (by rank, skipping experts with a hard conflict, inactive,
 * already on it, at the load cap or who declined themselves). Records each replacement (cause
 * declined | no-answer), invites the new experts, and records 'expired' for an invitation that ran
 * out unanswered. Refused, writing nothing, when no seat can be filled.
 */
export function replaceInvitee(scope: BatchScope, raw: { expertId?: unknown }, actor: Actor, now: Date = new Date()): InviteeReplacement {
	const expertId = typeof raw.expertId === 'string' ? raw.expertId.trim() : '';
	if (!ID.test(expertId)) throw new Refusal('专家编号格式不正确', 400, { expertId: '专家编号格式不正确' });
	const db = scope.db;
	return db.transaction((tx) => {
		requirePhase(tx, scope, canChangeScores, '评审结果已锁定，不能再更换专家');
		const batch = batchRow(tx, scope);
		const expert = tx.select().from(s.experts).where(eq(s.experts.id, expertId)).get();
		if (!expert) throw new Refusal(`专家 "${expertId}" 不存在`, 404, { expertId: `专家 "${expertId}" 不存在` });
		const inv = invitationRow(tx, batch.id, expertId);
		const cause = replacementCause(inv, batch.replyDeadline, now);
		if (!inv || !cause) {
			const label = inv ? INVITATION_LABELS[effectiveStatus(inv, batch.replyDeadline, now)] : '没有邀请';
			throw new Refusal(`专家 ${expert.name} 的邀请状态为“${label}”，不需要替换`, 409, { expertId: '不需要替换' });
		}
		if (inv.status === 'pending') {
			tx.update(s.invitations)
				.set({ status: 'expired', respondedAt: null })
				.where(and(eq(s.invitations.batchId, batch.id), eq(s.invitations.expertId, expertId)))
				.run();
			audit(tx, actor, 'invitation.expire', 'expert', expertId, { batch: batch.id, replyDeadline: batch.replyDeadline });
		}
		const seats = tx
			.select({ applicationId: s.assignments.applicationId })
			.from(s.assignments)
			.innerJoin(s.applications, eq(s.assignments.applicationId, s.applications.id))
			.where(and(eq(s.applications.batchId, batch.id), eq(s.assignments.expertId, expertId)))
			.orderBy(s.assignments.applicationId)
			.all()
			.map((r) => r.applicationId);
		if (!seats.length) throw new Refusal(`专家 ${expert.name} 在本批次已没有分配，无需替换`, 409, { expertId: '没有分配' });
		const submitted = new Set(
			tx
				.select({ a: s.sheets.applicationId })
				.from(s.sheets)
				.where(and(eq(s.sheets.expertId, expertId), eq(s.sheets.status, 'submitted'), inArray(s.sheets.applicationId, seats)))
				.all()
				.map((r) => r.a)
		);
		// The expert's own words for a decline; the deadline for an invitation left unanswered (the cause says which).
		const reason = cause === 'declined' && inv.reason ? inv.reason : `答复期限 ${batch.replyDeadline ?? '（未设）'} 前未答复`;
		const out: InviteeReplacement = { expertId, cause, replaced: [], unfilled: [], keptSubmitted: [] };
		for (const applicationId of seats) {
			if (submitted.has(applicationId)) {
				out.keptSubmitted.push(applicationId);
				continue;
			}
			// Reads on `db` inside the transaction see its writes (one connection): the seats filled so far count.
			const next = alternateChoice(scope, applicationId, now).expertId;
			if (!next) {
				out.unfilled.push(applicationId);
				continue;
			}
			replaceExpert(scope, applicationId, expertId, reason, actor, next, cause);
			inviteReplacement(tx, batch, next);
			out.replaced.push({ applicationId, to: next });
		}
		if (!out.replaced.length) {
			throw new Refusal(
				`没有可用的候补专家替换 ${expert.name}：请重新抽取相关职业（会生成新的候补名单），或在申报的专家名单中手工指定`,
				409,
				{ expertId: '没有可用的候补专家' }
			);
		}
		audit(tx, actor, 'invitation.replace', 'expert', expertId, { batch: batch.id, cause, replaced: out.replaced, unfilled: out.unfilled, keptSubmitted: out.keptSubmitted });
		return out;
	});
}
