/**
 * Recording the coordinating group's decision (确定 / 未确定) on proposed applications, one by one or
 * for several at once (same date and 文号), and keeping the directory in step in the same
 * transaction: a 确定 creates the application's directory entry (institution, occupation, type,
 * the application's levels, the validity the office entered, batch, application, 文号); editing it
 * updates that entry's validity and 文号 (levels edited by hand on the directory page stay); 未确定 or
 * withdrawing the record removes it. Entries entered by hand (no application) are never touched.
 *
 * Refused (nothing written): results not locked, the batch archived, the publicity not yet closed
 * (domain/national.ts), an application not on the proposed list, a group held by an open
 * objection (queries/held-groups.ts). Every change is audited (`national.record`, `national.clear`,
 * and `directory.*` for the entry it touches).
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db';
import * as s from '../db/schema';
import { audit, type Actor } from '../audit';
import { Refusal } from '../refusal';
import { batchById, externalId, requirePhase, type BatchScope } from '../scope';
import { computeResults } from './batch-state';
import { groupKey, heldGroups } from '../queries/held-groups';
import { earliestDecisionDate, parseNationalDecision, recordingBlock, type NationalInput, type NationalValues } from '../../domain/national';
import { beijingDate } from '../../domain/time';
import { occupationLabel } from '../../domain/occupations';
import { APPLICATION_TYPES, labelOf } from '../../domain/vocabulary';

export class NationalError extends Refusal {}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export type NationalOutcome = { recorded: number; unchanged: number; created: number; updated: number; removed: number };

const MAX_BULK = 500;
const ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,120}$/;

function idsOf(raw: unknown): string[] {
	const list = (Array.isArray(raw) ? raw : raw == null || raw === '' ? [] : [raw]).map((v) => (typeof v === 'string' ? v.trim() : ''));
	if (list.some((v) => !ID.test(v))) throw new NationalError('所选申报编号有误', 400, { applicationIds: '所选申报编号有误' });
	const ids = [...new Set(list)];
	if (!ids.length) throw new NationalError('请至少勾选一个申报', 400, { applicationIds: '请至少勾选一个申报' });
	if (ids.length > MAX_BULK) throw new NationalError(`一次最多登记 ${MAX_BULK} 个申报`, 400, { applicationIds: `一次最多登记 ${MAX_BULK} 个申报` });
	return ids;
}

/**
 * Refuses when decisions cannot be recorded in the batch now: the phase (locked), then the
 * publicity; read on `tx`, so a concurrent reopening or archiving counts.
 */
function requireRecordable(tx: Pick<Db, 'select'>, scope: BatchScope): s.BatchRow {
	requirePhase(tx, scope, (p) => p === 'locked', '评审结果尚未锁定，不能登记国家确定结果；请先锁定评审结果');
	const batch = batchById(tx, scope.batch.id)!;
	const block = recordingBlock(batch);
	if (block) throw new NationalError(block, 409);
	return batch;
}

type Target = { id: string; institutionId: string; occupation: string; type: 'training' | 'evaluation'; levels: string[] };

/** The applications asked for, each on the batch's proposed list and not held by an open objection. */
function targets(scope: BatchScope, tx: Tx, ids: string[]): Target[] {
	const { results, findings } = computeResults(scope);
	const proposed = new Map(results.groups.flatMap((g) => g.applications).map((a) => [a.id, a]));
	const apps = new Map(findings.applications.map((a) => [a.app.id, a.app]));
	const held = heldGroups({ db: tx as unknown as Db, batch: scope.batch });
	const out: Target[] = [];
	const notProposed: string[] = [];
	const heldBy = new Map<string, number[]>();
	for (const id of ids) {
		const app = apps.get(id);
		const r = proposed.get(id);
		if (!app || !r) throw new NationalError(`没有找到申报 ${id}（或它不属于${scope.batch.name}的评审结果）`, 404, { applicationIds: `没有找到申报 ${id}` });
		if (!r.proposed) notProposed.push(externalId(id, scope.batch.id));
		const h = held.get(groupKey(app.occupation, app.type));
		if (h?.length) heldBy.set(`${occupationLabel(app.occupation)}${labelOf(APPLICATION_TYPES, app.type)}`, h);
		out.push({ id, institutionId: app.institutionId, occupation: app.occupation, type: app.type, levels: app.levels });
	}
	if (notProposed.length) throw new NationalError(`申报 ${notProposed.join('、')} 不在拟推荐名单中，不能登记国家确定结果`, 409, { applicationIds: '所选申报不在拟推荐名单中' });
	if (heldBy.size) {
		const groups = [...heldBy].map(([g, objections]) => `${g}（异议 ${objections.map((o) => `#${o}`).join('、')}）`).join('；');
		throw new NationalError(`异议尚未处理完毕，以下组别的名单暂停确定：${groups}`, 409, { applicationIds: '所选申报所在组别有未处理完毕的异议' });
	}
	return out;
}

function parse(scope: BatchScope, input: NationalInput, today: string): NationalValues {
	const r = parseNationalDecision(input, { today, earliest: earliestDecisionDate(scope.batch, beijingDate) });
	if (!r.ok) throw new NationalError(Object.values(r.errors)[0], 400, r.errors);
	return r.values;
}

/** Brings the application's generated directory entries in line with its decision; returns what changed. */
function syncDirectory(tx: Tx, actor: Actor, batchId: string, t: Target, v: NationalValues | null): 'created' | 'updated' | 'removed' | 'unchanged' {
	const entries = tx.select().from(s.directoryEntries).where(eq(s.directoryEntries.applicationId, t.id)).all();
	const what = { institutionId: t.institutionId, occupation: t.occupation, type: t.type, applicationId: t.id, source: 'national' };
	if (!v || v.decision === 'not-confirmed') {
		for (const e of entries) {
			tx.delete(s.directoryEntries).where(eq(s.directoryEntries.id, e.id)).run();
			audit(tx, actor, 'directory.delete', 'directory', String(e.id), { ...what, documentNo: e.documentNo });
		}
		return entries.length ? 'removed' : 'unchanged';
	}
	if (!entries.length) {
		const row = tx
			.insert(s.directoryEntries)
			.values({
				institutionId: t.institutionId,
				occupation: t.occupation,
				type: t.type,
				levels: t.levels,
				validFrom: v.validFrom!,
				validTo: v.validTo,
				batchId,
				applicationId: t.id,
				documentNo: v.documentNo,
				userId: actor.userId
			})
			.returning({ id: s.directoryEntries.id })
			.get();
		audit(tx, actor, 'directory.create', 'directory', String(row.id), { ...what, documentNo: v.documentNo });
		return 'created';
	}
	let changedAny = false;
	for (const e of entries) {
		const next = { validFrom: v.validFrom!, validTo: v.validTo, documentNo: v.documentNo, batchId };
		const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => (e[k] ?? null) !== (next[k] ?? null));
		if (!changed.length) continue;
		tx.update(s.directoryEntries).set({ ...next, userId: actor.userId }).where(eq(s.directoryEntries.id, e.id)).run();
		audit(tx, actor, 'directory.update', 'directory', String(e.id), { ...what, changed });
		changedAny = true;
	}
	return changedAny ? 'updated' : 'unchanged';
}

/**
 * Records one decision for each application in `applicationIds` (the same decision, date, 文号, note
 * and validity), all in one transaction: one refused application refuses them all.
 */
export function recordNationalDecisions(
	scope: BatchScope,
	actor: Actor,
	applicationIds: unknown,
	input: NationalInput,
	opts: { today?: string } = {}
): NationalOutcome {
	const ids = idsOf(applicationIds);
	const today = opts.today ?? beijingDate(new Date());
	const block = recordingBlock(batchById(scope.db, scope.batch.id) ?? scope.batch);
	if (block) throw new NationalError(block, 409);
	const v = parse(scope, input, today);
	return scope.db.transaction((tx) => {
		const batch = requireRecordable(tx, scope);
		const list = targets({ db: scope.db, batch }, tx, ids);
		const out: NationalOutcome = { recorded: 0, unchanged: 0, created: 0, updated: 0, removed: 0 };
		for (const t of list) {
			const prev = tx.select().from(s.nationalDecisions).where(eq(s.nationalDecisions.applicationId, t.id)).get();
			const same = prev && prev.decision === v.decision && prev.date === v.date && prev.documentNo === v.documentNo && (prev.note ?? null) === v.note;
			if (!same) {
				const row = { decision: v.decision, date: v.date, documentNo: v.documentNo, note: v.note, userId: actor.userId, at: new Date().toISOString() };
				tx.insert(s.nationalDecisions)
					.values({ applicationId: t.id, ...row })
					.onConflictDoUpdate({ target: s.nationalDecisions.applicationId, set: row })
					.run();
			}
			const directory = syncDirectory(tx, actor, batch.id, t, v);
			if (same && directory === 'unchanged') {
				out.unchanged++;
				continue;
			}
			if (directory !== 'unchanged') out[directory]++;
			out.recorded++;
			audit(tx, actor, 'national.record', 'application', t.id, {
				decision: v.decision,
				date: v.date,
				documentNo: v.documentNo,
				...(v.note ? { note: v.note } : {}),
				...(v.decision === 'confirmed' ? { validFrom: v.validFrom, validTo: v.validTo } : {}),
				previous: prev ? { decision: prev.decision, date: prev.date, documentNo: prev.documentNo } : null,
				directory,
				...(ids.length > 1 ? { bulk: ids.length } : {})
			});
		}
		return out;
	});
}

/** Records the decision on one application. */
export function recordNationalDecision(scope: BatchScope, actor: Actor, applicationId: unknown, input: NationalInput, opts: { today?: string } = {}): NationalOutcome {
	return recordNationalDecisions(scope, actor, [applicationId], input, opts);
}

/** Withdraws a recorded decision (entered by mistake): the decision and the entry it produced go. */
export function clearNationalDecision(scope: BatchScope, actor: Actor, applicationId: unknown): void {
	const [id] = idsOf([applicationId]);
	scope.db.transaction((tx) => {
		const batch = requireRecordable(tx, scope);
		const prev = tx
			.select({ d: s.nationalDecisions, app: s.applications })
			.from(s.nationalDecisions)
			.innerJoin(s.applications, eq(s.applications.id, s.nationalDecisions.applicationId))
			.where(and(eq(s.nationalDecisions.applicationId, id), eq(s.applications.batchId, batch.id)))
			.get();
		if (!prev) throw new NationalError('该申报没有登记国家确定结果', 404, { applicationId: '该申报没有登记国家确定结果' });
		const t: Target = { id, institutionId: prev.app.institutionId, occupation: prev.app.occupation, type: prev.app.type, levels: prev.app.levels };
		tx.delete(s.nationalDecisions).where(eq(s.nationalDecisions.applicationId, id)).run();
		const directory = syncDirectory(tx, actor, batch.id, t, null);
		audit(tx, actor, 'national.clear', 'application', id, { decision: prev.d.decision, date: prev.d.date, documentNo: prev.d.documentNo, directory });
	});
}

/** How many decisions the batch holds (reopening the results is refused while there are any). */
export function nationalDecisionCount(db: Pick<Db, 'select'>, batchId: string): number {
	const ids = db.select({ id: s.applications.id }).from(s.applications).where(eq(s.applications.batchId, batchId)).all().map((r) => r.id);
	if (!ids.length) return 0;
	return db.select({ a: s.nationalDecisions.applicationId }).from(s.nationalDecisions).where(inArray(s.nationalDecisions.applicationId, ids)).all().length;
}
