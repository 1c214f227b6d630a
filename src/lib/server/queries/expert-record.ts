/**
 * The expert's record (履职记录), computed per batch from what the batch holds: assignments, sheets
 * against the scoring deadline, abnormal scores and their explanations (ABNORMAL_SCORE of the
 * results), severity against the panel (as the results page computes it), declared and detected
 * conflicts, meeting attendance, and the office's 履职评价 with its due date. Across batches: the
 * history of one expert and the average rating, which the draw's threshold reads.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db';
import * as s from '../db/schema';
import { listBatches, type BatchScope } from '../scope';
import { computeResults } from '../services/batch-state';
import { isPublished } from './reviews';
import { expertSeverity } from '../../domain/reliability';
import { conflictLabel, isConflictCode } from '../../domain/conflicts';
import { batchPhase } from '../../domain/phases';
import { beijingDate } from '../../domain/time';
import {
	averageRating,
	belowThreshold,
	meetingEnd,
	pooledSeverity,
	ratingDueDate,
	ratingLate,
	ratingStatus,
	sheetTimeliness,
	type RatingStatus,
	type Timeliness
} from '../../domain/expert-record';

type Q = Pick<Db, 'select'>;
type RatingRow = typeof s.expertRatings.$inferSelect;

export type RecordItem = {
	applicationId: string;
	institutionName: string;
	occupation: string;
	type: 'training' | 'evaluation';
	/** Whether the expert could see the assignment (published after it was made). */
	published: boolean;
	/** The hard conflict that excludes the pair (rule label), null when none. */
	recused: string | null;
	/** Against the scoring deadline; null for a recused pair. */
	timeliness: Timeliness | null;
	submittedAt: string | null;
	total: number | null;
	/** total − mean of the application's valid totals. */
	deviation: number | null;
	abnormal: boolean;
	explanation: string | null;
};

export type RatingView = {
	points: Record<string, number>;
	total: number;
	note: string | null;
	at: string;
	by: string | null;
	late: boolean;
	reply: string | null;
	repliedAt: string | null;
};

export type AttendanceStatus = (typeof s.attendance.$inferSelect)['status'];

export type ExpertBatchRecord = {
	expertId: string;
	expertName: string;
	batch: { id: string; name: string; archived: boolean; closed: boolean; published: boolean; scoringDeadline: string | null; createdAt: string };
	assignments: number;
	recused: number;
	timeliness: Record<Timeliness, number>;
	items: RecordItem[];
	abnormal: number;
	explained: number;
	/** Over all the expert's groups of the batch; negative = stricter than the panel. */
	severity: { severity: number; shared: number } | null;
	severityGroups: { occupation: string; type: 'training' | 'evaluation'; severity: number; shared: number }[];
	declared: { applicationId: string; institutionName: string; ground: string; reason: string }[];
	/** Conflicts the rules found; `undeclared`: on an application assigned to the expert, who did not declare it. */
	detected: { applicationId: string; institutionName: string; code: string; label: string; hard: boolean; review: 'confirmed' | 'dismissed' | null; matched: string; assigned: boolean; undeclared: boolean }[];
	attendance: { date: string; length: number; status: AttendanceStatus | null; note: string | null }[];
	meetingEnd: string | null;
	due: string | null;
	rating: RatingView | null;
	ratingStatus: RatingStatus;
};

/** Experts who took part in the batch: an assignment, a sheet, a declaration, a day at the meeting or a rating. */
export function batchParticipants(scope: { db: Q; batch: s.BatchRow }): Set<string> {
	const { db, batch } = scope;
	const inBatch = sql`IN (SELECT id FROM applications WHERE batch_id = ${batch.id})`;
	const ids = new Set<string>();
	const add = (rows: { e: string }[]) => rows.forEach((r) => ids.add(r.e));
	add(db.select({ e: s.assignments.expertId }).from(s.assignments).where(sql`${s.assignments.applicationId} ${inBatch}`).all());
	add(db.select({ e: s.sheets.expertId }).from(s.sheets).where(sql`${s.sheets.applicationId} ${inBatch}`).all());
	add(db.select({ e: s.declarations.expertId }).from(s.declarations).where(sql`${s.declarations.applicationId} ${inBatch}`).all());
	add(
		db
			.select({ e: s.attendance.expertId })
			.from(s.attendance)
			.innerJoin(s.meetingDays, eq(s.attendance.dayId, s.meetingDays.id))
			.where(eq(s.meetingDays.batchId, batch.id))
			.all()
	);
	add(db.select({ e: s.expertRatings.expertId }).from(s.expertRatings).where(eq(s.expertRatings.batchId, batch.id)).all());
	return ids;
}

/** The meeting's end and the rating's due date of a batch. */
export function ratingDue(scope: { db: Q; batch: s.BatchRow }): { meetingEnd: string | null; due: string | null } {
	const days = scope.db.select({ date: s.meetingDays.date }).from(s.meetingDays).where(eq(s.meetingDays.batchId, scope.batch.id)).all();
	const end = meetingEnd(
		days.map((d) => d.date),
		scope.batch.meeting?.startedAt
	);
	return { meetingEnd: end, due: ratingDueDate(end) };
}

function ratingView(r: RatingRow, due: string | null, users: Map<string, string>): RatingView {
	return {
		points: r.points,
		total: r.total,
		note: r.note,
		at: r.at,
		by: r.userId ? (users.get(r.userId) ?? r.userId) : null,
		late: ratingLate(due, r.at),
		reply: r.reply,
		repliedAt: r.repliedAt
	};
}

/**
 * The record of every participant of the batch (or of one expert), by expert id. `today` is the
 * Beijing date the deadlines are measured against.
 */
export function batchExpertRecords(scope: BatchScope, opts: { expertId?: string; today?: string } = {}): ExpertBatchRecord[] {
	const { db, batch } = scope;
	const today = opts.today ?? beijingDate(new Date());
	const participants = batchParticipants(scope);
	const ids = [...participants].filter((id) => !opts.expertId || id === opts.expertId).sort();
	if (!ids.length) return [];

	const phase = batchPhase(batch);
	const closed = phase === 'locked' || phase === 'archived';
	const { results, conflicts } = computeResults(scope);
	const experts = new Map(db.select({ id: s.experts.id, name: s.experts.name }).from(s.experts).where(inArray(s.experts.id, ids)).all().map((e) => [e.id, e.name]));
	const apps = new Map(
		db
			.select({ id: s.applications.id, occupation: s.applications.occupation, type: s.applications.type, name: s.institutions.name })
			.from(s.applications)
			.innerJoin(s.institutions, eq(s.applications.institutionId, s.institutions.id))
			.where(eq(s.applications.batchId, batch.id))
			.all()
			.map((a) => [a.id, a])
	);
	const inBatch = sql`IN (SELECT id FROM applications WHERE batch_id = ${batch.id})`;
	const wanted = inArray(s.assignments.expertId, ids);
	const assignments = db
		.select({ a: s.assignments.applicationId, e: s.assignments.expertId, createdAt: s.assignments.createdAt })
		.from(s.assignments)
		.where(and(sql`${s.assignments.applicationId} ${inBatch}`, wanted))
		.orderBy(asc(s.assignments.applicationId))
		.all();
	const sheets = new Map(
		db
			.select({ a: s.sheets.applicationId, e: s.sheets.expertId, status: s.sheets.status, submittedAt: s.sheets.submittedAt, explanation: s.sheets.explanation })
			.from(s.sheets)
			.where(and(sql`${s.sheets.applicationId} ${inBatch}`, inArray(s.sheets.expertId, ids)))
			.all()
			.map((r) => [`${r.a}|${r.e}`, r])
	);
	const declarations = db
		.select()
		.from(s.declarations)
		.where(and(sql`${s.declarations.applicationId} ${inBatch}`, inArray(s.declarations.expertId, ids)))
		.all();

	// The results: each sheet's total, deviation and abnormal flag; severity per group.
	const sheetResults = new Map<string, { total: number; deviation: number | null; abnormal: boolean }>();
	const severities = new Map<string, ExpertBatchRecord['severityGroups']>();
	for (const g of results.groups) {
		for (const a of g.applications) for (const sh of a.sheets) sheetResults.set(`${a.id}|${sh.expertId}`, sh);
		for (const sev of expertSeverity(g)) {
			const list = severities.get(sev.expertId) ?? [];
			list.push({ occupation: g.occupation, type: g.type, severity: sev.severity, shared: sev.shared });
			severities.set(sev.expertId, list);
		}
	}

	const days = db.select().from(s.meetingDays).where(eq(s.meetingDays.batchId, batch.id)).orderBy(asc(s.meetingDays.date)).all();
	const presence = new Map(
		(days.length
			? db
					.select()
					.from(s.attendance)
					.where(inArray(s.attendance.dayId, days.map((d) => d.id)))
					.all()
			: []
		).map((r) => [`${r.dayId}|${r.expertId}`, r])
	);
	const { meetingEnd: end, due } = ratingDue(scope);
	const ratings = new Map(db.select().from(s.expertRatings).where(eq(s.expertRatings.batchId, batch.id)).all().map((r) => [r.expertId, r]));
	const users = new Map(db.select({ id: s.users.id, name: s.users.username }).from(s.users).all().map((u) => [u.id, u.name]));

	return ids.map((expertId) => {
		const items: RecordItem[] = [];
		const timeliness: Record<Timeliness, number> = { 'on-time': 0, late: 0, missing: 0, open: 0 };
		let recused = 0;
		let abnormal = 0;
		let explained = 0;
		for (const as of assignments) {
			if (as.e !== expertId) continue;
			const key = `${as.a}|${expertId}`;
			const app = apps.get(as.a);
			const hard = conflicts.hard.get(key) ?? null;
			const sheet = sheets.get(key) ?? null;
			const res = sheetResults.get(key);
			const t = hard ? null : sheetTimeliness(sheet, batch.scoringDeadline, today, closed);
			if (hard) recused++;
			else timeliness[t!]++;
			const isAbnormal = !!res?.abnormal;
			const explanation = sheet?.explanation?.trim() ? sheet.explanation : null;
			if (isAbnormal) {
				abnormal++;
				if (explanation) explained++;
			}
			items.push({
				applicationId: as.a,
				institutionName: app?.name ?? as.a,
				occupation: app?.occupation ?? '',
				type: app?.type ?? 'training',
				published: isPublished(as.createdAt, batch.assignmentsPublishedAt),
				recused: hard ? (isConflictCode(hard) ? conflictLabel(hard) : hard) : null,
				timeliness: t,
				submittedAt: sheet?.status === 'submitted' ? sheet.submittedAt : null,
				total: res && sheet?.status === 'submitted' ? res.total : null,
				deviation: res?.deviation ?? null,
				abnormal: isAbnormal,
				explanation
			});
		}
		const groups = severities.get(expertId) ?? [];
		const assignedApps = new Set(items.map((i) => i.applicationId));
		const declaredApps = new Set(declarations.filter((d) => d.expertId === expertId).map((d) => d.applicationId));
		const rating = ratings.get(expertId);
		return {
			expertId,
			expertName: experts.get(expertId) ?? expertId,
			batch: {
				id: batch.id,
				name: batch.name,
				archived: phase === 'archived',
				closed,
				published: !!batch.assignmentsPublishedAt,
				scoringDeadline: batch.scoringDeadline,
				createdAt: batch.createdAt
			},
			assignments: items.length,
			recused,
			timeliness,
			items,
			abnormal,
			explained,
			severity: pooledSeverity(groups),
			severityGroups: groups,
			declared: declarations
				.filter((d) => d.expertId === expertId)
				.map((d) => ({ applicationId: d.applicationId, institutionName: apps.get(d.applicationId)?.name ?? d.applicationId, ground: d.ground, reason: d.reason })),
			detected: conflicts.conflicts
				.filter((c) => c.expertId === expertId && c.code !== 'DECLARED')
				.map((c) => ({
					applicationId: c.applicationId,
					institutionName: apps.get(c.applicationId)?.name ?? c.applicationId,
					code: c.code,
					label: conflictLabel(c.code),
					hard: c.hard,
					review: c.review,
					matched: c.matched,
					assigned: assignedApps.has(c.applicationId),
					undeclared: assignedApps.has(c.applicationId) && !declaredApps.has(c.applicationId) && (c.hard || c.review === 'confirmed')
				})),
			attendance: days.map((d) => {
				const p = presence.get(`${d.id}|${expertId}`);
				return { date: d.date, length: d.length, status: p?.status ?? null, note: p?.note ?? null };
			}),
			meetingEnd: end,
			due,
			rating: rating ? ratingView(rating, due, users) : null,
			ratingStatus: ratingStatus(due, rating?.at ?? null, today)
		};
	});
}

/** One expert's record in the batch, or null when the expert took no part in it. */
export function expertBatchRecord(scope: BatchScope, expertId: string, today?: string): ExpertBatchRecord | null {
	return batchExpertRecords(scope, { expertId, today })[0] ?? null;
}

export type ExpertHistory = {
	/** The batches the expert took part in, the newest first (archived ones included). */
	records: ExpertBatchRecord[];
	average: number | null;
	ratings: number;
};

/** The expert's record in every batch, and the average of the ratings. */
export function expertHistory(db: Db, expertId: string, today?: string): ExpertHistory {
	const records: ExpertBatchRecord[] = [];
	for (const batch of listBatches(db)) {
		const scope = { db, batch };
		if (!batchParticipants(scope).has(expertId)) continue;
		const r = expertBatchRecord(scope, expertId, today);
		if (r) records.push(r);
	}
	const totals = records.flatMap((r) => (r.rating ? [r.rating.total] : []));
	return { records, average: averageRating(totals), ratings: totals.length };
}

/** Every rated expert's average rating over all batches (and how many ratings it is made of). */
export function ratingAverages(db: Q): Map<string, { average: number; count: number }> {
	const rows = db.select({ e: s.expertRatings.expertId, total: s.expertRatings.total }).from(s.expertRatings).all();
	const by = new Map<string, number[]>();
	for (const r of rows) by.set(r.e, [...(by.get(r.e) ?? []), r.total]);
	return new Map([...by].map(([e, totals]) => [e, { average: averageRating(totals)!, count: totals.length }]));
}

/**
 * The experts the batch's draw leaves out: those whose average 履职评价 (over every batch) is below
 * the batch's `min_expert_rating`. Off (empty) while the threshold is null; an expert never rated
 * is never left out. By expert id.
 */
export function ratingExclusions(scope: { db: Q; batch: s.BatchRow }): { expertId: string; average: number }[] {
	const threshold = scope.batch.minExpertRating;
	if (threshold == null) return [];
	return [...ratingAverages(scope.db)]
		.filter(([, a]) => belowThreshold(a.average, threshold))
		.map(([expertId, a]) => ({ expertId, average: a.average }))
		.sort((a, b) => (a.expertId < b.expertId ? -1 : a.expertId > b.expertId ? 1 : 0));
}

/**
 * What an expert sees of their own record: only assignments published to them, no conflict the
 * office detected (the count of recusals only), and the severity against the panel only once the
 * batch's results are locked or archived (before that it would hint at the other experts' scores).
 */
export type OwnRecord = {
	batch: ExpertBatchRecord['batch'];
	assignments: number;
	recused: number;
	timeliness: Record<Timeliness, number>;
	abnormal: number;
	explained: number;
	severity: { severity: number; shared: number } | null;
	declared: number;
	attendance: ExpertBatchRecord['attendance'];
	due: string | null;
	rating: RatingView | null;
};

export function ownRecord(r: ExpertBatchRecord): OwnRecord {
	const visible = r.items.filter((i) => i.published);
	const timeliness: Record<Timeliness, number> = { 'on-time': 0, late: 0, missing: 0, open: 0 };
	for (const i of visible) if (i.timeliness) timeliness[i.timeliness]++;
	const rating = r.rating ? { ...r.rating, by: null } : null;
	return {
		batch: r.batch,
		assignments: visible.length,
		recused: visible.filter((i) => i.recused).length,
		timeliness,
		abnormal: visible.filter((i) => i.abnormal).length,
		explained: visible.filter((i) => i.abnormal && i.explanation).length,
		severity: r.batch.closed ? r.severity : null,
		declared: r.declared.length,
		attendance: r.attendance,
		due: r.due,
		rating
	};
}
