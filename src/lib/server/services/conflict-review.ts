/**
 * The office's decision on a soft conflict (confirm: treated as hard; dismiss: remembered, so the
 * same suggestion does not come back as pending) and the expert's own declaration of a conflict.
 * Both are audited; the conflict engine itself is src/lib/domain/conflicts.ts.
 */
import { Refusal } from '../refusal';
import { batchById, requirePhase } from '../scope';
import { canChangeScores } from '../../domain/phases';
import { and, eq } from 'drizzle-orm';
import * as z from 'zod';
import type { Db } from '../db';
import * as s from '../db/schema';
import { audit, type Actor } from '../audit';
import { expertFromRow, loadApplicationById, loadInstitutions } from '../queries/bundle';
import { expertRelation } from '../queries/reviews';
import { detectPair, isConflictCode, isHardConflict, type Conflict } from '../../domain/conflicts';
import { DECLARATION_GROUND_KEYS } from '../../domain/experts';
import { opener, phoneMatchKey } from '../personal-data';

export class ConflictError extends Refusal {
	constructor(field: string, message: string, status = 400) {
		super(message, status, { [field]: message });
	}
	/** The field it names (always one). */
	override get field(): string {
		return Object.keys(this.errors)[0];
	}
}

const id = z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,120}$/, { message: '编号格式不正确' });
const reason = (what: string) =>
	z
		.string()
		.trim()
		.min(2, { message: `请填写${what}（至少2个字）` })
		.max(500, { message: `${what}不能超过500个字` });

export const conflictReviewInput = z.object({
	applicationId: id,
	expertId: id,
	code: z.string().refine((c) => isConflictCode(c) && !isHardConflict(c), { message: '只有需主持人决定的回避关系可以确认或排除' }),
	decision: z.enum(['confirmed', 'dismissed'], { message: '请选择确认回避或排除' }),
	reason: reason('理由')
});
export type ConflictReviewInput = { applicationId: string; expertId: string; code: string; decision: string; reason: string };

export const declarationInput = z.object({
	applicationId: id,
	ground: z.enum(DECLARATION_GROUND_KEYS, { message: '请选择回避情形' }),
	reason: reason('回避说明')
});
export type DeclarationInput = { applicationId: string; ground: string; reason: string };

function firstIssue(error: z.ZodError): ConflictError {
	const i = error.issues[0];
	return new ConflictError(String(i.path[0] ?? 'reason'), i.message);
}

/** Every conflict of one pair as the engine sees it now (declarations included). */
export function pairConflicts(db: Db, expertId: string, applicationId: string): Conflict[] {
	const expertRow = db.select().from(s.experts).where(eq(s.experts.id, expertId)).get();
	const found = loadApplicationById(db, applicationId);
	if (!expertRow || !found) return [];
	const institution = loadInstitutions(db, new Set([found.app.institutionId]))[0];
	const declarations = db
		.select()
		.from(s.declarations)
		.where(and(eq(s.declarations.expertId, expertId), eq(s.declarations.applicationId, applicationId)))
		.all();
	return detectPair(expertFromRow(expertRow, opener(db)), found.app, institution, declarations, phoneMatchKey(db));
}

/** Conflicts decide whose sheets count: they do not change once the application's batch is locked or archived. */
function requireAppPhase(tx: Db, applicationId: string, message: string): void {
	const batchId = tx.select({ b: s.applications.batchId }).from(s.applications).where(eq(s.applications.id, applicationId)).get()?.b;
	const batch = batchId ? batchById(tx, batchId) : undefined;
	if (batch) requirePhase(tx, { batch }, canChangeScores, message);
}

/**
 * Confirms (the pair is then treated as a hard conflict) or dismisses a soft conflict, with the
 * reason. A later review of the same pair and rule replaces the earlier one; both are in the audit log.
 */
export function reviewConflict(db: Db, input: ConflictReviewInput, actor: Actor): void {
	const parsed = conflictReviewInput.safeParse(input);
	if (!parsed.success) throw firstIssue(parsed.error);
	const r = parsed.data;
	const current = pairConflicts(db, r.expertId, r.applicationId).find((c) => c.code === r.code);
	if (!current) throw new ConflictError('code', '该回避关系已不存在（申报或专家信息可能已修改），请刷新页面', 404);
	const at = new Date().toISOString();
	db.transaction((tx) => {
		requireAppPhase(tx as unknown as Db, r.applicationId, '评审结果已锁定，不能再认定回避关系');
		tx.insert(s.conflictReviews)
			.values({ applicationId: r.applicationId, expertId: r.expertId, code: r.code, decision: r.decision, reason: r.reason, userId: actor.userId, at })
			.onConflictDoUpdate({
				target: [s.conflictReviews.applicationId, s.conflictReviews.expertId, s.conflictReviews.code],
				set: { decision: r.decision, reason: r.reason, userId: actor.userId, at }
			})
			.run();
		audit(tx, actor, r.decision === 'confirmed' ? 'conflict.confirm' : 'conflict.dismiss', 'application', r.applicationId, {
			expertId: r.expertId,
			code: r.code,
			reason: r.reason
		});
	});
}

/**
 * The expert declares a conflict with an application of their published list: the declaration is
 * a hard conflict (DECLARED), so the application leaves the list at once. An application the
 * expert cannot see answers "not found", whatever the reason.
 */
export function declareConflict(db: Db, expertId: string, input: DeclarationInput, actor: Actor): { applicationId: string; institutionName: string } {
	const parsed = declarationInput.safeParse(input);
	if (!parsed.success) throw firstIssue(parsed.error);
	const d = parsed.data;
	const rel = expertRelation(db, expertId, d.applicationId);
	if (!rel.assigned || !rel.published || !rel.committed || rel.hardConflict) {
		throw new ConflictError('applicationId', '没有找到该申报，或它不在您的评审任务中', 404);
	}
	const institutionName =
		db
			.select({ name: s.institutions.name })
			.from(s.applications)
			.innerJoin(s.institutions, eq(s.applications.institutionId, s.institutions.id))
			.where(eq(s.applications.id, d.applicationId))
			.get()?.name ?? d.applicationId;
	db.transaction((tx) => {
		requireAppPhase(tx as unknown as Db, d.applicationId, '评审结果已锁定，不能再申报回避');
		tx.insert(s.declarations).values({ applicationId: d.applicationId, expertId, ground: d.ground, reason: d.reason }).run();
		audit(tx, actor, 'conflict.declare', 'application', d.applicationId, { expertId, ground: d.ground, reason: d.reason });
	});
	return { applicationId: d.applicationId, institutionName };
}
