/**
 * Opening the 公示 period of a batch (the command line's `publicity open`): only once its results
 * are locked, N working days from a start date on the official calendar, audited. Opening again
 * sets a new period (the audit log keeps both).
 */
import { eq } from 'drizzle-orm';
import * as s from '../db/schema';
import { audit, type Actor } from '../audit';
import { batchById, requirePhase, type BatchScope } from '../scope';
import { Refusal } from '../refusal';
import { DEFAULT_PUBLICITY_DAYS, MAX_PUBLICITY_DAYS, parsePublicityDays, parsePublicityStart, publicityPeriod, type PublicityPeriod } from '../../domain/publicity';

export function openPublicity(scope: BatchScope, input: { start: unknown; days?: unknown }, actor: Actor): PublicityPeriod {
	const start = parsePublicityStart(input.start);
	if (!start) throw new Refusal('公示开始日期应为有效日期，格式如 2023-09-28', 400, { start: '公示开始日期应为有效日期，格式如 2023-09-28' });
	const days = input.days === undefined || input.days === null || input.days === '' ? DEFAULT_PUBLICITY_DAYS : parsePublicityDays(input.days);
	if (days === null) throw new Refusal(`公示天数应为 1–${MAX_PUBLICITY_DAYS} 的整数（工作日）`, 400, { days: `公示天数应为 1–${MAX_PUBLICITY_DAYS} 的整数（工作日）` });
	const period = publicityPeriod(start, days);
	scope.db.transaction((tx) => {
		requirePhase(tx, scope, (p) => p === 'locked', '评审结果尚未锁定，不能开始公示；请先锁定评审结果');
		const before = batchById(tx, scope.batch.id)!;
		tx.update(s.batches)
			.set({ publicityStart: period.start, publicityEnd: period.end, publicityDays: period.workingDays })
			.where(eq(s.batches.id, scope.batch.id))
			.run();
		audit(tx, actor, 'publicity.open', 'batch', scope.batch.id, {
			...period,
			previous: before.publicityStart ? { start: before.publicityStart, end: before.publicityEnd } : null
		});
	});
	return period;
}
