/**
 * Reads of the invitations (domain/invitations.ts): the expert's own invitation for the task list,
 * the office's board (status per expert, and for a decline or an expired invitation the next
 * alternate of each application), and the batch's replacements (who replaced whom).
 */
import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../db';
import * as s from '../db/schema';
import type { BatchScope } from '../scope';
import { alternateChoice } from '../services/assignment-admin';
import {
	daysToReply,
	effectiveStatus,
	INVITATION_LABELS,
	invitationOpens,
	replacementCause,
	SKIP_LABELS,
	type InvitationStatus
} from '../../domain/invitations';

type ReplacementCause = (typeof s.replacements.$inferSelect)['cause'];

export const CAUSE_LABELS: Record<ReplacementCause, string> = {
	declined: '专家不能参加',
	'no-answer': '逾期未答复',
	deactivated: '专家已停用',
	conflict: '回避',
	manual: '省厅更换'
};

export type ExpertInvitation = {
	status: InvitationStatus;
	label: string;
	reason: string | null;
	respondedAt: string | null;
	replyDeadline: string | null;
	daysLeft: number | null;
	/** The application list and sheets are open (confirmed, or no invitation at all). */
	opens: boolean;
};

/** The expert's invitation in the batch (null when there is none: nothing to answer, everything open). */
export function expertInvitation(scope: { db: Pick<Db, 'select'>; batch: s.BatchRow }, expertId: string, now: Date = new Date()): ExpertInvitation | null {
	const row = scope.db
		.select()
		.from(s.invitations)
		.where(and(eq(s.invitations.batchId, scope.batch.id), eq(s.invitations.expertId, expertId)))
		.get();
	if (!row) return null;
	const status = effectiveStatus(row, scope.batch.replyDeadline, now);
	return {
		status,
		label: INVITATION_LABELS[status],
		reason: row.reason,
		respondedAt: row.respondedAt,
		replyDeadline: scope.batch.replyDeadline,
		daysLeft: daysToReply(scope.batch.replyDeadline, now),
		opens: invitationOpens(status)
	};
}

/** Whether the expert may open the batch's applications and sheets (the invitation is confirmed, or there is none). */
export function invitationOpensFor(scope: { db: Pick<Db, 'select'>; batch: s.BatchRow }, expertId: string, now: Date = new Date()): boolean {
	const inv = expertInvitation(scope, expertId, now);
	return inv === null || inv.opens;
}

export type ReplacementView = {
	id: number;
	applicationId: string;
	institutionName: string;
	occupation: string;
	from: { id: string; name: string };
	to: { id: string; name: string } | null;
	cause: ReplacementCause;
	causeLabel: string;
	reason: string | null;
	drawId: number | null;
	user: string | null;
	at: string;
};

/** Who replaced whom in the batch, newest first (optionally one draw's or one application's). */
export function replacementHistory(scope: BatchScope, filter: { drawId?: number; applicationId?: string } = {}): ReplacementView[] {
	const rows = scope.db
		.select({ r: s.replacements, institutionName: s.institutions.name, occupation: s.applications.occupation, user: s.users.displayName })
		.from(s.replacements)
		.innerJoin(s.applications, eq(s.replacements.applicationId, s.applications.id))
		.innerJoin(s.institutions, eq(s.applications.institutionId, s.institutions.id))
		.leftJoin(s.users, eq(s.replacements.userId, s.users.id))
		.where(eq(s.applications.batchId, scope.batch.id))
		.orderBy(desc(s.replacements.at), desc(s.replacements.id))
		.all()
		.filter((x) => (filter.drawId === undefined || x.r.drawId === filter.drawId) && (!filter.applicationId || x.r.applicationId === filter.applicationId));
	const names = expertNames(scope.db);
	return rows.map(({ r, institutionName, occupation, user }) => ({
		id: r.id,
		applicationId: r.applicationId,
		institutionName,
		occupation,
		from: { id: r.fromExpertId, name: names.get(r.fromExpertId) ?? r.fromExpertId },
		to: r.toExpertId ? { id: r.toExpertId, name: names.get(r.toExpertId) ?? r.toExpertId } : null,
		cause: r.cause,
		causeLabel: CAUSE_LABELS[r.cause],
		reason: r.reason,
		drawId: r.drawId,
		user,
		at: r.at
	}));
}

function expertNames(db: Pick<Db, 'select'>): Map<string, string> {
	return new Map(db.select({ id: s.experts.id, name: s.experts.name }).from(s.experts).all().map((e) => [e.id, e.name]));
}

export type InviteeRow = {
	expertId: string;
	name: string;
	workUnit: string | null;
	status: InvitationStatus | null;
	label: string;
	/** Recorded status differs from the computed one: pending past the deadline (shown 逾期未答复, recorded when replaced). */
	expiredUnrecorded: boolean;
	reason: string | null;
	respondedAt: string | null;
	cause: 'declined' | 'no-answer' | null;
	seats: {
		applicationId: string;
		institutionName: string;
		occupation: string;
		submitted: boolean;
		next: { id: string; name: string } | null;
		skipped: string[];
	}[];
};

/**
 * Every expert of the batch's roster or with an invitation: the invitation's status now and, for a
 * decline or an expired invitation, per application the alternate the replacement would seat.
 */
export function invitationBoard(scope: BatchScope, now: Date = new Date()): { rows: InviteeRow[]; counts: Record<InvitationStatus | 'none', number> } {
	const db = scope.db;
	const batch = scope.batch;
	const invitations = new Map(db.select().from(s.invitations).where(eq(s.invitations.batchId, batch.id)).all().map((i) => [i.expertId, i]));
	const seats = db
		.select({ expertId: s.assignments.expertId, applicationId: s.assignments.applicationId, institutionName: s.institutions.name, occupation: s.applications.occupation })
		.from(s.assignments)
		.innerJoin(s.applications, eq(s.assignments.applicationId, s.applications.id))
		.innerJoin(s.institutions, eq(s.applications.institutionId, s.institutions.id))
		.where(eq(s.applications.batchId, batch.id))
		.all();
	const submitted = new Set(
		db
			.select({ a: s.sheets.applicationId, e: s.sheets.expertId })
			.from(s.sheets)
			.where(eq(s.sheets.status, 'submitted'))
			.all()
			.map((r) => `${r.a}|${r.e}`)
	);
	const experts = new Map(db.select().from(s.experts).all().map((e) => [e.id, e]));
	const ids = [...new Set([...invitations.keys(), ...seats.map((x) => x.expertId)])];
	const counts: Record<InvitationStatus | 'none', number> = { pending: 0, confirmed: 0, declined: 0, expired: 0, none: 0 };
	const rows: InviteeRow[] = ids.map((expertId) => {
		const inv = invitations.get(expertId);
		const status = inv ? effectiveStatus(inv, batch.replyDeadline, now) : null;
		counts[status ?? 'none']++;
		const cause = replacementCause(inv, batch.replyDeadline, now);
		const e = experts.get(expertId);
		return {
			expertId,
			name: e?.name ?? expertId,
			workUnit: e?.workUnit ?? null,
			status,
			label: status ? INVITATION_LABELS[status] : '未邀请',
			expiredUnrecorded: !!inv && inv.status === 'pending' && status === 'expired',
			reason: inv?.reason ?? null,
			respondedAt: inv?.respondedAt ?? null,
			cause,
			seats: seats
				.filter((x) => x.expertId === expertId)
				.sort((a, b) => a.applicationId.localeCompare(b.applicationId))
				.map((x) => {
					const done = submitted.has(`${x.applicationId}|${expertId}`);
					const choice = cause && !done ? alternateChoice(scope, x.applicationId, now) : null;
					return {
						applicationId: x.applicationId,
						institutionName: x.institutionName,
						occupation: x.occupation,
						submitted: done,
						next: choice?.expertId ? { id: choice.expertId, name: experts.get(choice.expertId)?.name ?? choice.expertId } : null,
						skipped: (choice?.skipped ?? []).map((k) => `${experts.get(k.expertId)?.name ?? k.expertId}（${SKIP_LABELS[k.reason]}）`)
					};
				})
		};
	});
	const order: Record<string, number> = { declined: 0, expired: 1, pending: 2, confirmed: 3 };
	rows.sort((a, b) => (order[a.status ?? ''] ?? 4) - (order[b.status ?? ''] ?? 4) || a.expertId.localeCompare(b.expertId));
	return { rows, counts };
}
