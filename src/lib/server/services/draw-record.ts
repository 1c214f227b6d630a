/**
 * The supervisor's confirmation of a draw record (抽取记录): the observer checks the printed record
 * against the draw and confirms it in the workbench, once. Audited; refused in an archived batch.
 */
import { and, eq, isNull } from 'drizzle-orm';
import * as s from '../db/schema';
import { audit, type Actor } from '../audit';
import { Refusal } from '../refusal';
import { requirePhase, type BatchScope } from '../scope';
import { canWrite } from '../../domain/phases';
import { can, type Principal } from '../../domain/permissions';
import { beijingDateTime } from '../../domain/time';

export function confirmDrawRecord(
	scope: BatchScope,
	user: Pick<Principal, 'id' | 'role'>,
	rawDrawId: unknown,
	actor: Actor,
	now: Date = new Date()
): { drawId: number; confirmedAt: string } {
	if (!can(user, 'draw.confirm')) throw new Refusal('只有监督人员可以确认抽取记录', 403);
	const drawId = typeof rawDrawId === 'number' ? rawDrawId : /^\d{1,12}$/.test(String(rawDrawId ?? '')) ? Number(rawDrawId) : NaN;
	if (!Number.isInteger(drawId)) throw new Refusal('抽取记录编号不正确', 400, { drawId: '抽取记录编号不正确' });
	return scope.db.transaction((tx) => {
		requirePhase(tx, scope, canWrite, '该批次不能再确认抽取记录');
		const d = tx.select().from(s.draws).where(and(eq(s.draws.id, drawId), eq(s.draws.batchId, scope.batch.id))).get();
		if (!d) throw new Refusal('没有这条抽取记录', 404);
		if (d.confirmedAt) {
			const who = d.confirmedBy ? tx.select({ n: s.users.displayName }).from(s.users).where(eq(s.users.id, d.confirmedBy)).get()?.n : null;
			throw new Refusal(`该抽取记录已于 ${beijingDateTime(d.confirmedAt)} 由${who ?? '监督人员'}确认，不能重复确认`, 409);
		}
		const confirmedAt = now.toISOString();
		const r = tx
			.update(s.draws)
			.set({ confirmedBy: user.id, confirmedAt })
			.where(and(eq(s.draws.id, drawId), isNull(s.draws.confirmedAt)))
			.run();
		if (r.changes !== 1) throw new Refusal('该抽取记录已被确认', 409);
		audit(tx, actor, 'draw.confirm', 'draw', String(drawId), { batch: scope.batch.id, seed: d.seed, scope: d.scope });
		return { drawId, confirmedAt };
	});
}
