/**
 * The office records the meeting's days and who attended each, and sets the batch's fee standard.
 * Every write checks the batch's phase (an archived batch is read-only), validates everything before
 * writing anything, runs in one transaction and is audited (ids and statuses, nothing personal).
 */
import { and, eq } from 'drizzle-orm';
import * as z from 'zod';
import * as s from '../db/schema';
import { audit, type Actor } from '../audit';
import { Refusal } from '../refusal';
import { requirePhase, type BatchScope } from '../scope';
import { canWrite } from '../../domain/phases';
import {
	ATTENDANCE_LABELS,
	ATTENDANCE_STATUSES,
	feeStandardOf,
	feeStandardSchema,
	meetingDaySchema,
	type AttendanceStatus,
	type FeeStandard
} from '../../domain/fees';
import { attendanceOf, feeSheet, meetingDay, meetingDays, meetingRoster } from '../queries/fees';
import { renderFeeWorkbook } from '../export/fees-xlsx';

const PHASE_MESSAGE = '本批次当前不能修改会议出席和劳务费';

function fieldErrors(error: z.ZodError): Record<string, string> {
	const out: Record<string, string> = {};
	for (const issue of error.issues) out[String(issue.path[0] ?? 'form')] ??= issue.message;
	return out;
}

function refuse(errors: Record<string, string>): never {
	throw new Refusal(Object.values(errors)[0] ?? '输入有误', 400, errors);
}

function parseDay(raw: { date?: unknown; length?: unknown; note?: unknown }) {
	const r = meetingDaySchema.safeParse({ date: raw.date ?? '', length: raw.length ?? '', note: raw.note ?? '' });
	if (!r.success) refuse(fieldErrors(r.error));
	return r.data;
}

function dayId(raw: unknown): number {
	const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d{1,12}$/.test(raw) ? Number(raw) : NaN;
	if (!Number.isSafeInteger(n) || n <= 0) refuse({ day: '会议日编号无效' });
	return n;
}

/** Adds a day to the batch's meeting. Returns its id. */
export function addMeetingDay(scope: BatchScope, actor: Actor, raw: { date?: unknown; length?: unknown; note?: unknown }): number {
	const v = parseDay(raw);
	return scope.db.transaction((tx) => {
		requirePhase(tx, scope, canWrite, PHASE_MESSAGE);
		const taken = tx
			.select({ id: s.meetingDays.id })
			.from(s.meetingDays)
			.where(and(eq(s.meetingDays.batchId, scope.batch.id), eq(s.meetingDays.date, v.date)))
			.get();
		if (taken) refuse({ date: `会议日期 ${v.date} 已经登记过` });
		const row = tx.insert(s.meetingDays).values({ batchId: scope.batch.id, date: v.date, length: v.length, note: v.note }).returning({ id: s.meetingDays.id }).get();
		audit(tx, actor, 'meeting.day.add', 'meeting-day', String(row.id), { batchId: scope.batch.id, date: v.date, length: v.length });
		return row.id;
	});
}

/** Changes a day's length or note (its date stays: remove and add for another date). */
export function updateMeetingDay(scope: BatchScope, actor: Actor, rawId: unknown, raw: { length?: unknown; note?: unknown }): void {
	const id = dayId(rawId);
	scope.db.transaction((tx) => {
		requirePhase(tx, scope, canWrite, PHASE_MESSAGE);
		const day = meetingDay({ db: tx, batch: scope.batch }, id);
		if (!day) throw new Refusal('本批次没有这个会议日', 404, { day: '本批次没有这个会议日' });
		const v = parseDay({ date: day.date, length: raw.length, note: raw.note });
		if (v.length === day.length && (v.note ?? null) === (day.note ?? null)) return;
		tx.update(s.meetingDays).set({ length: v.length, note: v.note }).where(eq(s.meetingDays.id, id)).run();
		audit(tx, actor, 'meeting.day.update', 'meeting-day', String(id), { batchId: scope.batch.id, date: day.date, from: day.length, length: v.length });
	});
}

/** Removes a day and its attendance. Returns the number of attendance records removed with it. */
export function removeMeetingDay(scope: BatchScope, actor: Actor, rawId: unknown): number {
	const id = dayId(rawId);
	return scope.db.transaction((tx) => {
		requirePhase(tx, scope, canWrite, PHASE_MESSAGE);
		const day = meetingDay({ db: tx, batch: scope.batch }, id);
		if (!day) throw new Refusal('本批次没有这个会议日', 404, { day: '本批次没有这个会议日' });
		const marked = tx.select({ e: s.attendance.expertId }).from(s.attendance).where(eq(s.attendance.dayId, id)).all().length;
		tx.delete(s.attendance).where(eq(s.attendance.dayId, id)).run();
		tx.delete(s.meetingDays).where(eq(s.meetingDays.id, id)).run();
		audit(tx, actor, 'meeting.day.remove', 'meeting-day', String(id), { batchId: scope.batch.id, date: day.date, attendance: marked });
		return marked;
	});
}

/** One cell of the attendance matrix: '' (or 'absent') clears it. */
export type AttendanceCell = { dayId: unknown; expertId: unknown; status: unknown; note?: unknown };

export const cellKey = (dayId: number | string, expertId: string) => `a:${dayId}:${expertId}`;

/**
 * Saves attendance cells of the batch's meeting. Each cell names a day of this batch, an expert of
 * its roster and a status (present, half, left-early, removed; '' for not present). Any bad cell:
 * nothing is written, and every bad cell is named. Returns the number of cells that changed.
 */
export function saveAttendance(scope: BatchScope, actor: Actor, cells: AttendanceCell[]): number {
	const userId = actor.userId;
	if (cells.length > 20000) refuse({ form: '一次提交的出席记录过多' });
	return scope.db.transaction((tx) => {
		requirePhase(tx, scope, canWrite, PHASE_MESSAGE);
		const txScope = { db: tx, batch: scope.batch };
		const days = new Map(meetingDays(txScope).map((d) => [d.id, d]));
		const roster = new Map(meetingRoster(txScope).map((e) => [e.id, e]));
		const current = new Map(attendanceOf(txScope).map((a) => [cellKey(a.dayId, a.expertId), a]));
		const errors: Record<string, string> = {};
		// note undefined: the cell did not carry a note, the stored one stays
		const wanted = new Map<string, { dayId: number; expertId: string; status: AttendanceStatus | null; note: string | null | undefined }>();
		for (const c of cells) {
			const dayRaw = typeof c.dayId === 'number' || typeof c.dayId === 'string' ? String(c.dayId) : '';
			const expertId = typeof c.expertId === 'string' ? c.expertId : '';
			const key = cellKey(dayRaw, expertId);
			const id = /^\d{1,12}$/.test(dayRaw) ? Number(dayRaw) : NaN;
			const day = days.get(id);
			if (!day) {
				errors[key] = `会议日 ${dayRaw || '（空）'} 不属于本批次`;
				continue;
			}
			const expert = roster.get(expertId);
			if (!expert) {
				errors[key] = `专家 ${expertId || '（空）'} 不在本批次的评审专家名单中`;
				continue;
			}
			const raw = typeof c.status === 'string' ? c.status.trim() : '';
			if (raw !== '' && raw !== 'absent' && !(ATTENDANCE_STATUSES as readonly string[]).includes(raw)) {
				errors[key] = `${expert.name} ${day.date} 的出席情况无效：应为${Object.values(ATTENDANCE_LABELS).join('、')}或未出席`;
				continue;
			}
			const note = typeof c.note === 'string' ? c.note.trim() : undefined;
			if (note !== undefined && note.length > 200) {
				errors[key] = `${expert.name} ${day.date} 的备注不能超过200个字符`;
				continue;
			}
			wanted.set(key, { dayId: id, expertId, status: raw === '' || raw === 'absent' ? null : (raw as AttendanceStatus), note: note === undefined ? undefined : note || null });
		}
		if (Object.keys(errors).length) throw new Refusal(`有 ${Object.keys(errors).length} 处出席记录无效：${Object.values(errors)[0]}`, 400, errors);
		const changes: { date: string; expertId: string; from: AttendanceStatus | null; to: AttendanceStatus | null }[] = [];
		const stamp = new Date().toISOString();
		for (const [key, w] of wanted) {
			const old = current.get(key);
			const note = w.note === undefined ? (old?.note ?? null) : w.note;
			if ((old?.status ?? null) === w.status && (w.status === null || note === (old?.note ?? null))) continue;
			if (w.status === null) {
				tx.delete(s.attendance).where(and(eq(s.attendance.dayId, w.dayId), eq(s.attendance.expertId, w.expertId))).run();
			} else {
				tx.insert(s.attendance)
					.values({ dayId: w.dayId, expertId: w.expertId, status: w.status, note, userId, at: stamp })
					.onConflictDoUpdate({ target: [s.attendance.dayId, s.attendance.expertId], set: { status: w.status, note, userId, at: stamp } })
					.run();
			}
			changes.push({ date: days.get(w.dayId)!.date, expertId: w.expertId, from: old?.status ?? null, to: w.status });
		}
		if (changes.length) audit(tx, actor, 'meeting.attendance', 'batch', scope.batch.id, { changes });
		return changes.length;
	});
}

/** Sets the batch's 劳务费 standard (both rates within the ranges of 财科教〔2017〕128号). */
export function setFeeStandard(scope: BatchScope, actor: Actor, raw: { senior?: unknown; other?: unknown }): FeeStandard {
	const r = feeStandardSchema.safeParse({ senior: raw.senior ?? '', other: raw.other ?? '' });
	if (!r.success) refuse(fieldErrors(r.error));
	const next: FeeStandard = { senior: r.data.senior, other: r.data.other };
	scope.db.transaction((tx) => {
		requirePhase(tx, scope, canWrite, PHASE_MESSAGE);
		const row = tx.select({ f: s.batches.feeStandard }).from(s.batches).where(eq(s.batches.id, scope.batch.id)).get();
		const before = row?.f ? feeStandardOf(row.f) : null;
		if (before && before.senior === next.senior && before.other === next.other) return;
		tx.update(s.batches).set({ feeStandard: next }).where(eq(s.batches.id, scope.batch.id)).run();
		audit(tx, actor, 'fees.standard', 'batch', scope.batch.id, { from: before, to: next });
	});
	return next;
}

/**
 * The workbook of the 劳务费签领表. With full ID numbers (the office) the export is audited: it
 * carries personal data out of the workbench.
 */
export async function exportFeeWorkbook(scope: BatchScope, actor: Actor, opts: { fullIds: boolean }): Promise<Buffer> {
	const view = feeSheet(scope, opts);
	const body = await renderFeeWorkbook(view);
	if (opts.fullIds) {
		scope.db.transaction((tx) => {
			audit(tx, actor, 'fees.export', 'batch', scope.batch.id, { experts: view.experts.length, days: view.days.length, amount: view.total.amount });
		});
	}
	return body;
}
