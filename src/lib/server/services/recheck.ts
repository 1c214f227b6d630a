/**
 * The office's re-check (复核, `recheck.manage`): correcting a submitted sheet — one criterion's
 * points or the declared total — with a written reason, confirming an OBJECTIVE_DIFFERS or
 * ABNORMAL_SCORE finding as correct (核实无误: a correction row with old = new on each sheet it
 * concerns), and the batch's tolerance for objective criteria. Only while scores may change; each
 * action is one transaction with its score_corrections row(s) and its audit entry, and a refused
 * request writes nothing.
 */
import { and, eq } from 'drizzle-orm';
import * as z from 'zod';
import type { Db } from '../db';
import * as s from '../db/schema';
import { audit, type Actor } from '../audit';
import { batchById, requirePhase, type BatchScope } from '../scope';
import { Refusal } from '../refusal';
import { canChangeScores } from '../../domain/phases';
import { isHalfStep } from '../../domain/rubric';
import { CONFIRMABLE_RULES, RECHECK_LABELS, RECHECK_RULES, type RecheckRule } from '../../domain/recheck';
import { recheckState } from '../queries/recheck';

export class RecheckError extends Refusal {
	constructor(message: string, field: string | null = null, status: 400 | 404 | 409 = 400) {
		super(message, status, field ? { [field]: message } : {});
	}
}

const LOCKED = '评审结果已锁定，不能再复核更正评分；如需更正请先由省厅重新开放结果';

export const REASON_MIN = 4;
const reason = z
	.string({ message: '请填写更正理由' })
	.trim()
	.min(REASON_MIN, { message: `请填写不少于${REASON_MIN}个字的理由` })
	.max(1000, { message: '理由不能超过1000字' });

function toNumber(v: unknown): number {
	if (typeof v === 'number') return v;
	if (typeof v !== 'string') return NaN;
	const t = v.normalize('NFKC').trim().replace(/[，,]/g, '.').replace(/分$/, '');
	return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : NaN;
}

export const correctionInput = z.object({
	sheetId: z.coerce.number({ message: '评分表编号无效' }).int({ message: '评分表编号无效' }).positive({ message: '评分表编号无效' }),
	/** `points`: one criterion's points; `total`: the declared total (合计). */
	target: z.enum(['points', 'total'], { message: '请选择更正的是某项得分还是合计' }),
	criterionId: z.string().trim().max(100).optional().default(''),
	rule: z.enum([...RECHECK_RULES, 'OTHER'], { message: '复核规则无效' }),
	newValue: z.unknown(),
	reason
});

export type CorrectionInput = z.input<typeof correctionInput>;

function parse<T extends z.ZodType>(schema: T, raw: unknown): z.output<T> {
	const r = schema.safeParse(raw);
	if (r.success) return r.data;
	const errors: Record<string, string> = {};
	for (const issue of r.error.issues) {
		const key = String(issue.path[0] ?? 'form');
		errors[key] ??= issue.message;
	}
	throw new Refusal(Object.values(errors)[0], 400, errors);
}

export type CorrectionResult = { correctionId: number; sheetId: number; criterionId: string | null; oldValue: number | null; newValue: number };

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** The sheet, if it is of the scope's batch. */
function sheetOfBatch(tx: Pick<Db, 'select'>, scope: BatchScope, sheetId: number) {
	return tx
		.select({
			id: s.sheets.id,
			applicationId: s.sheets.applicationId,
			expertId: s.sheets.expertId,
			rubricId: s.sheets.rubricId,
			status: s.sheets.status,
			version: s.sheets.version,
			declaredTotal: s.sheets.declaredTotal
		})
		.from(s.sheets)
		.innerJoin(s.applications, eq(s.applications.id, s.sheets.applicationId))
		.where(and(eq(s.sheets.id, sheetId), eq(s.applications.batchId, scope.batch.id)))
		.get();
}

/**
 * Corrects one value of a submitted sheet: a criterion's points (0 … maxPoints, 0.5 steps) or the
 * declared total. The old and new value, the rule, the reason and the user go into
 * score_corrections; the sheet's version moves (an open page reloads instead of saving over it).
 */
export function correctSheet(scope: BatchScope, raw: CorrectionInput, actor: Actor): CorrectionResult {
	const input = parse(correctionInput, raw);
	const value = toNumber(input.newValue);
	if (!Number.isFinite(value)) throw new RecheckError('请填写更正后的分值（数字，如 12 或 12.5）', 'newValue');
	return scope.db.transaction((tx: Tx) => {
		requirePhase(tx, scope, canChangeScores, LOCKED);
		const sheet = sheetOfBatch(tx, scope, input.sheetId);
		if (!sheet) throw new RecheckError('没有找到该评分表', 'sheetId', 404);
		if (sheet.status !== 'submitted') throw new RecheckError('该评分表尚未提交，仍由专家填写，不能复核更正', 'sheetId', 409);
		let oldValue: number | null;
		let criterionId: string | null = null;
		if (input.target === 'points') {
			if (!input.criterionId) throw new RecheckError('请选择要更正的评分项', 'criterionId');
			const c = tx
				.select()
				.from(s.criteria)
				.where(and(eq(s.criteria.rubricId, sheet.rubricId), eq(s.criteria.id, input.criterionId)))
				.get();
			if (!c) throw new RecheckError(`评分项“${input.criterionId}”不在该评分表的评分细则中`, 'criterionId');
			if (value < 0) throw new RecheckError('得分不能为负数', 'newValue');
			if (value > c.maxPoints) throw new RecheckError(`得分不能超过“${c.name}”的满分 ${c.maxPoints} 分`, 'newValue');
			if (!isHalfStep(value)) throw new RecheckError('得分须为 0.5 的整数倍（如 12 或 12.5）', 'newValue');
			criterionId = c.id;
			const point = tx
				.select({ points: s.sheetPoints.points })
				.from(s.sheetPoints)
				.where(and(eq(s.sheetPoints.sheetId, sheet.id), eq(s.sheetPoints.criterionId, c.id)))
				.get();
			oldValue = point?.points ?? null;
			if (oldValue !== null && oldValue === value) throw new RecheckError('更正后的分值与原分值相同；如核实无误，请使用“核实无误”', 'newValue');
			tx.insert(s.sheetPoints)
				.values({ sheetId: sheet.id, criterionId: c.id, position: c.position, points: value })
				.onConflictDoUpdate({ target: [s.sheetPoints.sheetId, s.sheetPoints.criterionId], set: { points: value } })
				.run();
		} else {
			if (sheet.declaredTotal === null) throw new RecheckError('该评分表没有填写的合计（在系统中评分），无需更正合计', 'target');
			if (value < 0 || value > 1000) throw new RecheckError('合计应在 0 到 1000 分之间', 'newValue');
			if (!isHalfStep(value)) throw new RecheckError('合计须为 0.5 的整数倍', 'newValue');
			oldValue = sheet.declaredTotal;
			if (oldValue === value) throw new RecheckError('更正后的合计与原合计相同', 'newValue');
			tx.update(s.sheets).set({ declaredTotal: value }).where(eq(s.sheets.id, sheet.id)).run();
		}
		tx.update(s.sheets)
			.set({ version: sheet.version + 1, updatedAt: new Date().toISOString() })
			.where(eq(s.sheets.id, sheet.id))
			.run();
		const correctionId = tx
			.insert(s.scoreCorrections)
			.values({ sheetId: sheet.id, criterionId, rule: input.rule, oldValue, newValue: value, reason: input.reason, userId: actor.userId })
			.returning({ id: s.scoreCorrections.id })
			.get().id;
		audit(tx, actor, 'sheet.correct', 'sheet', String(sheet.id), {
			applicationId: sheet.applicationId,
			expertId: sheet.expertId,
			criterionId,
			rule: input.rule,
			old: oldValue,
			new: value,
			reason: input.reason
		});
		return { correctionId, sheetId: sheet.id, criterionId, oldValue, newValue: value };
	});
}

export const confirmationInput = z.object({
	findingKey: z.string({ message: '复核事项无效' }).trim().min(1, { message: '复核事项无效' }).max(300, { message: '复核事项无效' }),
	reason
});

/**
 * Confirms an OBJECTIVE_DIFFERS or ABNORMAL_SCORE finding as correct (核实无误): one correction row
 * with old = new per sheet it concerns (each panel member's points on the criterion; the sheet's
 * total), so the report prints it and the finding shows as handled while the values stay as
 * confirmed. Refused for a finding that is not (or no longer) present or already handled.
 */
export function confirmFinding(scope: BatchScope, raw: z.input<typeof confirmationInput>, actor: Actor): { rows: number } {
	const input = parse(confirmationInput, raw);
	return scope.db.transaction((tx: Tx) => {
		requirePhase(tx, scope, canChangeScores, LOCKED);
		const fresh = { db: tx as unknown as Db, batch: batchById(tx, scope.batch.id)! };
		const finding = recheckState(fresh).findings.find((f) => f.key === input.findingKey);
		if (!finding) throw new RecheckError('没有找到该复核事项（可能已经更正），请刷新页面', 'findingKey', 404);
		if (!CONFIRMABLE_RULES.includes(finding.rule)) {
			throw new RecheckError(`“${RECHECK_LABELS[finding.rule]}”须更正分值或合计，不能仅核实`, 'findingKey', 409);
		}
		if (finding.handled) throw new RecheckError('该复核事项已核实', 'findingKey', 409);
		const rows: { sheetId: number; criterionId: string | null; value: number }[] =
			finding.rule === 'OBJECTIVE_DIFFERS'
				? finding.members!.map((m) => ({ sheetId: m.sheetId, criterionId: finding.criterionId, value: m.points }))
				: [{ sheetId: finding.sheetId!, criterionId: null, value: finding.total! }];
		for (const r of rows) {
			tx.insert(s.scoreCorrections)
				.values({ sheetId: r.sheetId, criterionId: r.criterionId, rule: finding.rule as RecheckRule, oldValue: r.value, newValue: r.value, reason: input.reason, userId: actor.userId })
				.run();
		}
		audit(tx, actor, 'recheck.confirm', 'application', finding.applicationId, {
			rule: finding.rule,
			criterionId: finding.criterionId,
			sheets: rows.map((r) => r.sheetId),
			values: rows.map((r) => r.value),
			reason: input.reason
		});
		return { rows: rows.length };
	});
}

/** The batch's tolerance (points) for objective criteria: 0 … 20 in 0.5 steps. */
export function setObjectiveTolerance(scope: BatchScope, raw: unknown, actor: Actor): number {
	const value = toNumber(raw);
	const field = 'objectiveTolerance';
	if (!Number.isFinite(value)) throw new RecheckError('客观评分项允许误差应为数字（分），如 0 或 1', field);
	if (value < 0 || value > 20) throw new RecheckError('客观评分项允许误差应在 0 到 20 分之间', field);
	if (!isHalfStep(value)) throw new RecheckError('客观评分项允许误差须为 0.5 的整数倍', field);
	scope.db.transaction((tx: Tx) => {
		requirePhase(tx, scope, canChangeScores, '评审结果已锁定，不能修改客观评分项允许误差');
		const batch = batchById(tx, scope.batch.id)!;
		if (batch.objectiveTolerance === value) return;
		tx.update(s.batches).set({ objectiveTolerance: value }).where(eq(s.batches.id, batch.id)).run();
		audit(tx, actor, 'batch.objective-tolerance', 'batch', batch.id, { from: batch.objectiveTolerance, to: value });
	});
	return value;
}
