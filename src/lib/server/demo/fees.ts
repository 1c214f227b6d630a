/**
 * Demo data of the meeting's attendance and the 劳务费签领表: two meeting days (a full day and a
 * half day) for the batch's roster, everyone present except one expert who left early on the first
 * day and one absent on the second; ID numbers for the roster's experts that have none (valid GB
 * 11643 numbers, SM4-sealed like the form's). Deterministic; does nothing when the batch already has
 * meeting days. Writes directly (no phase check), so it also fills an archived batch.
 */
import { createHash } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import * as s from '../db/schema';
import type { BatchScope } from '../scope';
import { requireKeys } from '../keys';
import { sealIdNumber } from '../personal-data';
import { meetingDays, meetingRoster } from '../queries/fees';
import { idCheckChar } from '../../domain/identifiers';
import type { FeeStandard } from '../../domain/fees';

/** Districts of Liaoning (沈阳和平、大连中山、鞍山铁东、锦州古塔、营口站前). */
const DIVISIONS = ['210102', '210202', '210302', '210702', '210802'];

/** A valid ID number derived from the expert id (same id, same number). */
export function demoIdNumber(expertId: string): string {
	const h = createHash('sha256').update(`demo-id:${expertId}`).digest();
	const year = 1962 + (h[0] % 25);
	const month = 1 + (h[1] % 12);
	const day = 1 + (h[2] % 28);
	const seq = String(((h[3] << 8) | h[4]) % 1000).padStart(3, '0');
	const first17 = `${DIVISIONS[h[5] % DIVISIONS.length]}${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}${seq}`;
	return first17 + idCheckChar(first17);
}

/** The first Tuesday after `date` (YYYY-MM-DD: the scoring deadline), and the day after it. */
function defaultDates(date: string): [string, string] {
	const t = new Date(`${date}T00:00:00Z`);
	do t.setUTCDate(t.getUTCDate() + 1);
	while (t.getUTCDay() !== 2);
	const first = t.toISOString().slice(0, 10);
	t.setUTCDate(t.getUTCDate() + 1);
	return [first, t.toISOString().slice(0, 10)];
}

export type FeesSeedCounts = { days: number; attendance: number; idNumbers: number };

export function seedMeetingAttendance(scope: BatchScope, opts: { dates?: [string, string]; standard?: FeeStandard } = {}): FeesSeedCounts {
	const { db, batch } = scope;
	if (meetingDays(scope).length) return { days: 0, attendance: 0, idNumbers: 0 };
	const roster = meetingRoster(scope);
	if (!roster.length) return { days: 0, attendance: 0, idNumbers: 0 };
	const [first, second] = opts.dates ?? defaultDates(batch.scoringDeadline ?? batch.deadline ?? '2023-06-15');
	const keys = requireKeys(db);
	let attendance = 0;
	let idNumbers = 0;
	db.transaction((tx) => {
		const d1 = tx.insert(s.meetingDays).values({ batchId: batch.id, date: first, length: 1, note: '集中评审' }).returning({ id: s.meetingDays.id }).get().id;
		const d2 = tx.insert(s.meetingDays).values({ batchId: batch.id, date: second, length: 0.5, note: '上午复议' }).returning({ id: s.meetingDays.id }).get().id;
		const leftEarly = roster[Math.min(2, roster.length - 1)].id;
		const absent = roster.length > 4 ? roster[4].id : null;
		for (const e of roster) {
			const early = e.id === leftEarly;
			tx.insert(s.attendance).values({ dayId: d1, expertId: e.id, status: early ? 'left-early' : 'present', note: early ? '因工作原因提前离会' : null }).run();
			attendance++;
			if (e.id === absent) continue;
			tx.insert(s.attendance).values({ dayId: d2, expertId: e.id, status: 'present' }).run();
			attendance++;
		}
		const missing = tx
			.select({ id: s.experts.id, idNumber: s.experts.idNumber })
			.from(s.experts)
			.where(inArray(s.experts.id, roster.map((e) => e.id)))
			.all()
			.filter((e) => !e.idNumber);
		for (const e of missing) {
			const sealed = sealIdNumber(keys, demoIdNumber(e.id));
			tx.update(s.experts).set({ idNumber: sealed.value, idNumberDigest: sealed.digest }).where(eq(s.experts.id, e.id)).run();
			idNumbers++;
		}
		if (opts.standard) tx.update(s.batches).set({ feeStandard: opts.standard }).where(eq(s.batches.id, batch.id)).run();
	});
	return { days: 2, attendance, idNumbers };
}
