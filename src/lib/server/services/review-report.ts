/**
 * Signing the review report (评审报告) of a group: a panel member signs in the app — 同意, or a
 * dissent with its reasons (政府采购法实施条例 §41) — and may sign again while the results are
 * unlocked; the office records a signature from the printed signature page (method `paper`, with
 * the date signed). Each signature stores the digest of the content signed: a later change of the
 * content makes it stale. Both audited, one transaction each, the content read inside it.
 */
import * as z from 'zod';
import type { Db } from '../db';
import * as s from '../db/schema';
import { audit, type Actor } from '../audit';
import { Refusal } from '../refusal';
import { requirePhase, type BatchScope } from '../scope';
import { canChangeScores } from '../../domain/phases';
import { dateString } from '../../domain/bundle';
import { beijingDate } from '../../domain/time';
import { OCCUPATIONS, occupationLabel } from '../../domain/occupations';
import { dissentProblem, DISSENT_MAX, lockReasonProblem, missingSignatures, missingText } from '../../domain/review-report';
import { reportGroup, reportGroups, type ReportGroup } from '../queries/review-report';
import type { ResultsState } from './batch-state';

export class ReportError extends Refusal {
	constructor(message: string, field: string | null = null, status: 400 | 403 | 404 | 409 = 400) {
		super(message, status, field ? { [field]: message } : {});
	}
}

const OCCUPATION_KEYS = OCCUPATIONS.map((o) => o.key) as [string, ...string[]];

const groupInput = {
	occupation: z.enum(OCCUPATION_KEYS, { message: '职业不正确' }),
	type: z.enum(['training', 'evaluation'], { message: '类型应为培训机构或评价机构' })
};
const kindInput = z.enum(['agree', 'dissent'], { message: '请选择“同意”或“有不同意见”' });
const dissentInput = z.string().max(DISSENT_MAX * 2, { message: `不同意见的理由不能超过${DISSENT_MAX}字` }).default('');

export const signInput = z.object({ ...groupInput, kind: kindInput, dissent: dissentInput });

export const paperInput = z.object({
	...groupInput,
	expertId: z.string().trim().min(1, { message: '请选择专家' }).max(100),
	kind: kindInput,
	dissent: dissentInput,
	date: dateString,
	/** The first 8 characters of the digest printed on the signature page. */
	code: z
		.string()
		.trim()
		.transform((v) => v.toLowerCase())
		.pipe(z.string().regex(/^[0-9a-f]{8}$/, { message: '请填写签字页上打印的8位报告校验码' }))
});

/** The first characters of the digest printed on the report and its signature page. */
export const digestCode = (digest: string) => digest.slice(0, 8);

const LOCKED = '评审结果已锁定，评审报告不能再签字；如需补签，请先重新开放结果';

function parse<T extends z.ZodType>(schema: T, raw: unknown): z.output<T> {
	const r = schema.safeParse(raw);
	if (!r.success) {
		const issue = r.error.issues[0];
		throw new ReportError(issue.message, String(issue.path[0] ?? '') || null);
	}
	return r.data;
}

function groupIn(tx: Db, scope: BatchScope, occupation: string, type: string): ReportGroup {
	const g = reportGroup({ db: tx, batch: scope.batch }, occupation, type);
	if (!g) throw new ReportError('本批次没有该职业和类型的评审结果', 'occupation', 404);
	return g;
}

function checkDissent(kind: 'agree' | 'dissent', dissent: string): string | null {
	const problem = dissentProblem(kind, dissent);
	if (problem) throw new ReportError(problem, 'dissent');
	return kind === 'dissent' ? dissent.trim() : null;
}

function store(tx: Db, scope: BatchScope, row: Omit<typeof s.reportSignatures.$inferInsert, 'batchId'>): void {
	const values = { ...row, batchId: scope.batch.id };
	tx.insert(s.reportSignatures)
		.values(values)
		.onConflictDoUpdate({
			target: [s.reportSignatures.batchId, s.reportSignatures.occupation, s.reportSignatures.type, s.reportSignatures.expertId],
			set: { kind: values.kind, dissent: values.dissent, method: values.method, digest: values.digest, userId: values.userId, signedAt: values.signedAt }
		})
		.run();
}

/** A panel member signs their group's report in the app (again, while the results are unlocked). */
export function signReport(scope: BatchScope, expertId: string, raw: unknown, actor: Actor): { digest: string; signedAt: string } {
	const v = parse(signInput, raw);
	const dissent = checkDissent(v.kind, v.dissent);
	return scope.db.transaction((t) => {
		const tx = t as unknown as Db;
		requirePhase(tx, scope, canChangeScores, LOCKED);
		const g = groupIn(tx, scope, v.occupation, v.type);
		if (!g.content.members.some((m) => m.expertId === expertId && m.mustSign)) {
			throw new ReportError('您不是该组的评审专家，不能签署该组评审报告', 'occupation', 403);
		}
		const signedAt = new Date().toISOString();
		store(tx, scope, { occupation: v.occupation, type: v.type, expertId, kind: v.kind, dissent, method: 'app', digest: g.digest, userId: actor.userId, signedAt });
		audit(tx, actor, 'report.sign', 'report', `${v.occupation}|${v.type}`, { batchId: scope.batch.id, expertId, kind: v.kind, method: 'app', digest: g.digest, ...(dissent ? { dissent } : {}) });
		return { digest: g.digest, signedAt };
	});
}

/**
 * The office records a member's signature from the printed signature page: the date signed and the
 * report's check code printed on that page (a page printed from an earlier content is refused).
 */
export function recordPaperSignature(scope: BatchScope, raw: unknown, actor: Actor, today = beijingDate(new Date())): void {
	const v = parse(paperInput, raw);
	const dissent = checkDissent(v.kind, v.dissent);
	if (v.date > today) throw new ReportError('签字日期不能晚于今天', 'date');
	scope.db.transaction((t) => {
		const tx = t as unknown as Db;
		requirePhase(tx, scope, canChangeScores, LOCKED);
		const g = groupIn(tx, scope, v.occupation, v.type);
		if (!g.content.members.some((m) => m.expertId === v.expertId && m.mustSign)) {
			throw new ReportError('该专家不是本组须签字的评审专家', 'expertId');
		}
		if (digestCode(g.digest) !== v.code) {
			throw new ReportError(`签字页的校验码 ${v.code} 与当前报告（${digestCode(g.digest)}）不符：报告在打印后有变更，请重新打印签字页`, 'code', 409);
		}
		store(tx, scope, { occupation: v.occupation, type: v.type, expertId: v.expertId, kind: v.kind, dissent, method: 'paper', digest: g.digest, userId: actor.userId, signedAt: v.date });
		audit(tx, actor, 'report.paper', 'report', `${v.occupation}|${v.type}`, { batchId: scope.batch.id, expertId: v.expertId, kind: v.kind, method: 'paper', date: v.date, digest: g.digest, ...(dissent ? { dissent } : {}) });
	});
}

/* ---------- The gate on locking ---------- */

export type UnsignedReports = { missing: s.LockNote['missing']; text: string };

/** The groups whose report is not fully signed (missing or stale signatures), and a sentence naming them. */
export function unsignedReports(scope: BatchScope, state?: ResultsState): UnsignedReports {
	const groups = reportGroups(scope, state);
	const missing = missingSignatures(groups);
	const names = new Map(scope.db.select({ id: s.experts.id, name: s.experts.name }).from(s.experts).all().map((e) => [e.id, e.name]));
	const stale = new Set(groups.flatMap((g) => g.status.stale.map((id) => `${g.occupation}|${g.type}|${id}`)));
	const text = missingText(missing, {
		occupation: occupationLabel,
		expert: (id) => names.get(id) ?? id,
		stale: (g, id) => stale.has(`${g.occupation}|${g.type}|${id}`)
	});
	return { missing, text };
}

/**
 * Locking with reports not fully signed needs a written reason: returns the lock note to store
 * ({ reason, missing }), null when every report is signed; refuses (field `reason`) otherwise.
 */
export function signatureGate(scope: BatchScope, state: ResultsState, reason: string | null | undefined): s.LockNote | null {
	const unsigned = unsignedReports(scope, state);
	if (unsigned.missing.length === 0) return null;
	const problem = lockReasonProblem(reason);
	if (problem) {
		throw new ReportError(`评审报告尚未全部签字（${unsigned.text}）。锁定须写明理由：${problem}`, 'reason', 409);
	}
	return { reason: reason!.trim(), missing: unsigned.missing };
}
