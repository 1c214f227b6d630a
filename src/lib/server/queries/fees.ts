/**
 * Reads of the meeting's days, its attendance and the 劳务费签领表 of one batch. The roster of a
 * batch's meeting is the experts assigned to one of its applications (and anyone already marked on
 * a day, so that a later replacement does not hide an attendance).
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import * as s from '../db/schema';
import type { Db } from '../db';
import type { BatchScope } from '../scope';
import { opener } from '../personal-data';
import { maskIdNumber } from '../../domain/identifiers';
import {
	ATTENDANCE_STATUSES,
	computeFees,
	feeStandardOf,
	titleClass,
	type AttendanceStatus,
	type FeeExpert,
	type FeeSheetView,
	type TitleClass
} from '../../domain/fees';

/** A scope whose db may be a transaction (the services read inside their write). */
export type ReadScope = { db: Pick<Db, 'select' | 'selectDistinct'>; batch: s.BatchRow };

export type MeetingDayRow = { id: number; date: string; length: number; note: string | null };
export type AttendanceRow = { dayId: number; expertId: string; status: AttendanceStatus; note: string | null };
export type RosterExpert = FeeExpert & { class: TitleClass; active: boolean; assigned: boolean };

export function meetingDays({ db, batch }: ReadScope): MeetingDayRow[] {
	return db
		.select({ id: s.meetingDays.id, date: s.meetingDays.date, length: s.meetingDays.length, note: s.meetingDays.note })
		.from(s.meetingDays)
		.where(eq(s.meetingDays.batchId, batch.id))
		.orderBy(asc(s.meetingDays.date), asc(s.meetingDays.id))
		.all();
}

export function meetingDay({ db, batch }: ReadScope, id: number): MeetingDayRow | undefined {
	return db
		.select({ id: s.meetingDays.id, date: s.meetingDays.date, length: s.meetingDays.length, note: s.meetingDays.note })
		.from(s.meetingDays)
		.where(and(eq(s.meetingDays.id, id), eq(s.meetingDays.batchId, batch.id)))
		.get();
}

export function attendanceOf({ db, batch }: ReadScope): AttendanceRow[] {
	return db
		.select({ dayId: s.attendance.dayId, expertId: s.attendance.expertId, status: s.attendance.status, note: s.attendance.note })
		.from(s.attendance)
		.innerJoin(s.meetingDays, eq(s.attendance.dayId, s.meetingDays.id))
		.where(eq(s.meetingDays.batchId, batch.id))
		.all()
		.filter((a): a is AttendanceRow => (ATTENDANCE_STATUSES as readonly string[]).includes(a.status));
}

/** Ids of the experts assigned to an application of the batch. */
export function assignedExpertIds({ db, batch }: ReadScope): Set<string> {
	return new Set(
		db
			.selectDistinct({ id: s.assignments.expertId })
			.from(s.assignments)
			.innerJoin(s.applications, eq(s.assignments.applicationId, s.applications.id))
			.where(eq(s.applications.batchId, batch.id))
			.all()
			.map((r) => r.id)
	);
}

/** The meeting's roster: assigned experts and anyone with an attendance in the batch, by expert id. */
export function meetingRoster(scope: ReadScope): RosterExpert[] {
	const assigned = assignedExpertIds(scope);
	const ids = new Set([...assigned, ...attendanceOf(scope).map((a) => a.expertId)]);
	if (!ids.size) return [];
	return scope.db
		.select({ id: s.experts.id, name: s.experts.name, title: s.experts.title, workUnit: s.experts.workUnit, active: s.experts.active })
		.from(s.experts)
		.where(inArray(s.experts.id, [...ids]))
		.orderBy(asc(sql`rowid`))
		.all()
		.map((e) => ({ ...e, class: titleClass(e.title), assigned: assigned.has(e.id) }));
}

export type { FeeSheetView };

/**
 * The 劳务费签领表 of the batch. Full ID numbers only with `fullIds` (the office: see
 * `seesPersonalData`); masked otherwise, decrypted on the server and never sent in full.
 */
export function feeSheet(scope: BatchScope, opts: { fullIds: boolean }): FeeSheetView {
	const roster = meetingRoster(scope);
	const fees = computeFees({ days: meetingDays(scope), attendance: attendanceOf(scope), experts: roster, standard: feeStandardOf(scope.batch.feeStandard) });
	const listed = fees.experts.map((e) => e.expertId);
	const open = opener(scope.db);
	const idNumbers: Record<string, string> = {};
	if (listed.length) {
		for (const r of scope.db.select({ id: s.experts.id, idNumber: s.experts.idNumber }).from(s.experts).where(inArray(s.experts.id, listed)).all()) {
			const plain = open(r.idNumber) ?? '';
			idNumbers[r.id] = opts.fullIds ? plain : maskIdNumber(plain);
		}
	}
	return {
		...fees,
		batch: { id: scope.batch.id, name: scope.batch.name, archived: !!scope.batch.archivedAt },
		fullIds: opts.fullIds,
		idNumbers,
		standardSet: !!scope.batch.feeStandard,
		roster: roster.length
	};
}
