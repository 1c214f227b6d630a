/**
 * The 公示 period of a batch: opened once its results are locked (N working days from a start date on
 * the official calendar with the office's own entries, services/calendar.ts), closed on or after its
 * last day, and — with a written reason — its closing undone (a premature or mistaken close). Opening
 * again before it is closed sets a new period; a closed period must be reopened first. Every change
 * is one audited transaction; a refused one writes nothing.
 */
import { and, eq, inArray } from 'drizzle-orm';
import * as s from '../db/schema';
import { audit, type Actor } from '../audit';
import { batchById, requirePhase, type BatchScope } from '../scope';
import { Refusal } from '../refusal';
import { canWrite } from '../../domain/phases';
import { beijingDate } from '../../domain/time';
import {
	DEFAULT_PUBLICITY_DAYS,
	MAX_PUBLICITY_DAYS,
	parsePublicityDays,
	parsePublicityStart,
	publicityDays,
	publicityPeriod,
	publicityState,
	noticeContactSchema,
	type PublicityPeriod,
	type PublicityState
} from '../../domain/publicity';
import { batchOrdinal } from '../../domain/batch-name';
import { MEMO_ISSUER } from '../export/memo-data';
import { noticeTitle, renderNotice } from '../export/publicity-docx';
import { publicityList } from '../queries/objections';
import { calendarOverrides } from './calendar';
import { OPEN_OBJECTION_STATUSES } from '../queries/held-groups';

export const todayInBeijing = () => beijingDate(new Date());

export function openPublicity(scope: BatchScope, input: { start: unknown; days?: unknown }, actor: Actor): PublicityPeriod {
	const start = parsePublicityStart(input.start);
	if (!start) throw new Refusal('公示开始日期应为有效日期，格式如 2023-09-28', 400, { start: '公示开始日期应为有效日期，格式如 2023-09-28' });
	const days = input.days === undefined || input.days === null || input.days === '' ? DEFAULT_PUBLICITY_DAYS : parsePublicityDays(input.days);
	if (days === null) throw new Refusal(`公示天数应为 1–${MAX_PUBLICITY_DAYS} 的整数（工作日）`, 400, { days: `公示天数应为 1–${MAX_PUBLICITY_DAYS} 的整数（工作日）` });
	return scope.db.transaction((tx) => {
		requirePhase(tx, scope, (p) => p === 'locked', '评审结果尚未锁定，不能开始公示；请先锁定评审结果');
		const before = batchById(tx, scope.batch.id)!;
		if (before.publicityClosedAt) throw new Refusal('本批次公示已结束；如需重新公示，请先填写理由撤销结束', 409, { start: '公示已结束' });
		const period = publicityPeriod(start, days, calendarOverrides(tx));
		tx.update(s.batches)
			.set({ publicityStart: period.start, publicityEnd: period.end, publicityDays: period.workingDays })
			.where(eq(s.batches.id, scope.batch.id))
			.run();
		audit(tx, actor, 'publicity.open', 'batch', scope.batch.id, {
			...period,
			previous: before.publicityStart ? { start: before.publicityStart, end: before.publicityEnd } : null
		});
		return period;
	});
}

/** Ends the period, on or after its last day (Beijing date). Open objections stay open: they hold their groups. */
export function closePublicity(scope: BatchScope, actor: Actor, opts: { today?: string } = {}): string {
	const today = opts.today ?? todayInBeijing();
	return scope.db.transaction((tx) => {
		requirePhase(tx, scope, (p) => p === 'locked', '评审结果未锁定，不能结束公示');
		const b = batchById(tx, scope.batch.id)!;
		if (!b.publicityStart || !b.publicityEnd) throw new Refusal('本批次尚未开始公示', 409);
		if (b.publicityClosedAt) throw new Refusal('本批次公示已结束', 409);
		if (today < b.publicityEnd) throw new Refusal(`公示期至 ${b.publicityEnd} 止，最后一天起才能结束公示`, 409);
		const at = new Date().toISOString();
		const open = tx
			.select({ id: s.objections.id })
			.from(s.objections)
			.where(and(eq(s.objections.batchId, b.id), inArray(s.objections.status, [...OPEN_OBJECTION_STATUSES])))
			.all().length;
		tx.update(s.batches).set({ publicityClosedAt: at }).where(eq(s.batches.id, b.id)).run();
		audit(tx, actor, 'publicity.close', 'batch', b.id, { start: b.publicityStart, end: b.publicityEnd, openObjections: open });
		return at;
	});
}

/** Undoes the closing (a mistaken close), with a reason; the period itself stays as it was. */
export function reopenPublicity(scope: BatchScope, reason: unknown, actor: Actor): void {
	const text = typeof reason === 'string' ? reason.trim() : '';
	if (text.length < 4) throw new Refusal('请填写不少于4个字的撤销理由', 400, { reason: '请填写不少于4个字的撤销理由' });
	if (text.length > 1000) throw new Refusal('撤销理由不能超过1000字', 400, { reason: '撤销理由不能超过1000字' });
	scope.db.transaction((tx) => {
		requirePhase(tx, scope, canWrite, '批次已归档');
		const b = batchById(tx, scope.batch.id)!;
		if (!b.publicityClosedAt) throw new Refusal('本批次公示尚未结束，无需撤销', 409);
		tx.update(s.batches).set({ publicityClosedAt: null }).where(eq(s.batches.id, b.id)).run();
		audit(tx, actor, 'publicity.reopen', 'batch', b.id, { reason: text, closedAt: b.publicityClosedAt });
	});
}

export type PublicityStatus = {
	state: PublicityState;
	start: string | null;
	end: string | null;
	workingDays: number | null;
	/** The working days of the period on today's calendar. */
	days: string[];
	closedAt: string | null;
	today: string;
};

export function publicityStatus(scope: BatchScope, opts: { today?: string } = {}): PublicityStatus {
	const b = batchById(scope.db, scope.batch.id) ?? scope.batch;
	const today = opts.today ?? todayInBeijing();
	const state = publicityState(b, today);
	return {
		state,
		start: b.publicityStart,
		end: b.publicityEnd,
		workingDays: b.publicityDays,
		days: b.publicityStart && b.publicityEnd ? publicityDays(b.publicityStart, b.publicityEnd, calendarOverrides(scope.db)) : [],
		closedAt: b.publicityClosedAt,
		today
	};
}

/**
 * The 公示 notice (.docx) of the batch: the proposed list, the period, how to object (with the
 * contact given), the issuer and the date (the period's start). Refused until a period is opened.
 */
export async function publicityNotice(scope: BatchScope, contactRaw: Record<string, unknown>): Promise<{ body: Buffer; filename: string }> {
	const parsed = noticeContactSchema.safeParse(contactRaw);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		throw new Refusal(issue.message, 400, { [String(issue.path[0] ?? 'contact')]: issue.message });
	}
	const b = batchById(scope.db, scope.batch.id) ?? scope.batch;
	if (!b.publicityStart || !b.publicityEnd || !b.publicityDays) throw new Refusal('本批次尚未开始公示：请先设定公示期', 409);
	const ordinal = batchOrdinal(b.name);
	const body = await renderNotice({
		ordinal,
		issuer: MEMO_ISSUER,
		date: b.publicityStart,
		period: { start: b.publicityStart, end: b.publicityEnd, workingDays: b.publicityDays },
		contact: parsed.data,
		groups: publicityList({ db: scope.db, batch: b })
	});
	return { body, filename: `${noticeTitle(ordinal)}.docx` };
}
