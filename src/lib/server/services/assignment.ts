/**
 * The expert draw: fills every application that has fewer than N valid assignments with experts
 * of its occupation who have no hard conflict, exactly balanced and reproducible by seed (the
 * engine is src/lib/domain/assignment.ts). Writes the new assignments, the ranked alternates and
 * a draw record with its seed in one transaction, audited.
 */
import { randomBytes } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db';
import * as s from '../db/schema';
import { audit, type Actor } from '../audit';
import { loadExperts } from '../queries/bundle';
import { requirePhase, type BatchScope } from '../scope';
import { canChangeScores } from '../../domain/phases';
import { Refusal } from '../refusal';
import { blockingApplications, computeConflicts, computeFindings, recommendedApplications } from './batch-state';
import { assignExperts, type AssignResult } from '../../domain/assignment';
import { pairKey } from '../../domain/conflicts';
import { ratingExclusions } from '../queries/expert-record';

export type DrawOptions = {
	perApplication?: number;
	seed?: string;
	/** Limit the draw to one occupation; null for the whole batch. */
	occupation?: string | null;
	maxLoad?: number | null;
	onePerUnit?: boolean;
	/** Leave out applications with a blocking formal-check finding the office has not overridden. */
	skipBlocking?: boolean;
};

export type DrawOutcome = AssignResult & {
	drawId: number;
	seed: string;
	perApplication: number;
	/** Applications of the scope left out for a blocking finding (only with `skipBlocking`). */
	skippedBlocking: string[];
	/** Experts left out by the batch's 履职评价 threshold, with their average. */
	excluded: { expertId: string; average: number }[];
};

export function newSeed(): string {
	return randomBytes(6).toString('hex');
}

export function runDraw(scope: BatchScope, opts: DrawOptions, actor: Actor): DrawOutcome {
	const { db } = scope;
	requirePhase(db, scope, canChangeScores, '评审结果已锁定，不能再抽取专家；请先由省厅重新开放结果');
	const batch = scope.batch;
	const perApplication = opts.perApplication ?? batch.perApplication;
	const seed = opts.seed ?? newSeed();
	const maxLoad = opts.maxLoad === undefined ? batch.maxLoad : opts.maxLoad;
	const onePerUnit = opts.onePerUnit ?? batch.onePerUnit;

	const findings = computeFindings(scope);
	const conflicts = computeConflicts(scope, findings);
	const blocked = opts.skipBlocking ? blockingApplications(findings) : new Set<string>();
	const inScope = recommendedApplications(findings).filter((a) => !opts.occupation || a.app.occupation === opts.occupation);
	const skippedBlocking = inScope.filter((a) => blocked.has(a.app.id)).map((a) => a.app.id).sort();
	const applications = inScope.filter((a) => !blocked.has(a.app.id)).map((a) => ({ id: a.app.id, occupation: a.app.occupation }));
	const activeIds = new Set(db.select({ id: s.experts.id }).from(s.experts).where(eq(s.experts.active, true)).all().map((r) => r.id));
	// 履职评价 threshold (batch setting min_expert_rating, off when null): experts whose average
	// rating is below it are not in the pool; the draw record keeps who and why (draws.excluded).
	const excluded = ratingExclusions(scope);
	const belowRating = new Set(excluded.map((x) => x.expertId));
	const experts = loadExperts(db).filter((e) => activeIds.has(e.id) && !belowRating.has(e.id));
	const existing = db
		.select({ applicationId: s.assignments.applicationId, expertId: s.assignments.expertId })
		.from(s.assignments)
		.where(inArray(s.assignments.applicationId, findings.applications.map((a) => a.app.id)))
		.all()
		.filter((a) => !conflicts.hard.has(pairKey(a.applicationId, a.expertId)));

	const result = assignExperts({
		applications,
		experts,
		existing,
		blocked: new Set(conflicts.hard.keys()),
		perApplication,
		seed,
		maxLoad,
		onePerUnit
	});

	const drawId = db.transaction((tx) => {
		const id = tx
			.insert(s.draws)
			.values({
				batchId: batch.id,
				seed,
				scope: opts.occupation ?? 'all',
				perApplication,
				maxLoad: maxLoad ?? null,
				onePerUnit,
				made: result.assignments.length,
				userId: actor.userId,
				excluded: batch.minExpertRating != null ? excluded : null,
				summary: {
					unfilled: result.unfilled.length,
					maxLoad: result.maxLoad,
					applications: applications.length,
					skippedBlocking,
					unfilledReasons: result.unfilled.map((u) => ({ applicationId: u.applicationId, missing: u.missing, reason: u.reason })),
					// The record as drawn (抽取记录): later replacements and re-draws change the tables, not this.
					drawn: drawnByApplication(result.assignments),
					alternates: result.alternates
				}
			})
			.returning({ id: s.draws.id })
			.get().id;
		for (const a of result.assignments) {
			tx.insert(s.assignments).values({ ...a, source: 'draw', drawId: id }).onConflictDoNothing().run();
		}
		const touched = applications.map((a) => a.id);
		if (touched.length) tx.delete(s.alternates).where(inArray(s.alternates.applicationId, touched)).run();
		for (const [applicationId, list] of Object.entries(result.alternates)) {
			list.forEach((expertId, rank) => tx.insert(s.alternates).values({ applicationId, expertId, rank: rank + 1, drawId: id }).run());
		}
		audit(tx, actor, 'assignment.draw', 'draw', String(id), {
			seed,
			scope: opts.occupation ?? 'all',
			perApplication,
			maxLoad: maxLoad ?? null,
			onePerUnit,
			made: result.assignments.length,
			skippedBlocking,
			...(batch.minExpertRating != null ? { minExpertRating: batch.minExpertRating, excluded } : {}),
			unfilled: result.unfilled.map((u) => ({ applicationId: u.applicationId, missing: u.missing, eligible: u.eligible }))
		});
		return id;
	});
	return { ...result, drawId, seed, perApplication, skippedBlocking, excluded };
}

function drawnByApplication(list: { applicationId: string; expertId: string }[]): Record<string, string[]> {
	const out: Record<string, string[]> = {};
	for (const a of list) (out[a.applicationId] ??= []).push(a.expertId);
	return out;
}

export type ReplacementCause = (typeof s.replacements.$inferInsert)['cause'];

/**
 * Replaces one assigned expert with the best alternate of the application (or a named one). The
 * seat's history is kept in `replacements` (who replaced whom, why, from which draw's alternates).
 */
export function replaceExpert(
	scope: BatchScope,
	applicationId: string,
	expertId: string,
	reason: string,
	actor: Actor,
	replacementId?: string,
	cause: ReplacementCause = 'manual'
): string {
	const { db } = scope;
	const text = reason.trim();
	if (text.length < 2) throw new Refusal('请填写更换理由', 400, { reason: '请填写更换理由' });
	const hard = computeConflicts(scope).hard;
	return db.transaction((tx) => {
		requirePhase(tx, scope, canChangeScores, '评审结果已锁定，不能再改变专家分配；请先由省厅重新开放结果');
		const existing = tx.select().from(s.assignments).where(and(eq(s.assignments.applicationId, applicationId), eq(s.assignments.expertId, expertId))).get();
		if (!existing) throw new Refusal('该专家未分配到此申报', 404);
		const assigned = new Set(tx.select({ e: s.assignments.expertId }).from(s.assignments).where(eq(s.assignments.applicationId, applicationId)).all().map((r) => r.e));
		const candidates = replacementId
			? [replacementId]
			: tx.select().from(s.alternates).where(eq(s.alternates.applicationId, applicationId)).orderBy(s.alternates.rank).all().map((r) => r.expertId);
		const next = candidates.find((c) => !assigned.has(c) && !hard.has(pairKey(applicationId, c)));
		if (!next) throw new Refusal('没有可替补的专家，请重新抽取或手工指定', 409);
		const alternate = tx.select().from(s.alternates).where(and(eq(s.alternates.applicationId, applicationId), eq(s.alternates.expertId, next))).get();
		tx.delete(s.assignments).where(and(eq(s.assignments.applicationId, applicationId), eq(s.assignments.expertId, expertId))).run();
		tx.insert(s.assignments).values({ applicationId, expertId: next, source: 'replacement', reason: text }).run();
		tx.delete(s.alternates).where(and(eq(s.alternates.applicationId, applicationId), eq(s.alternates.expertId, next))).run();
		tx.insert(s.replacements)
			.values({ applicationId, fromExpertId: expertId, toExpertId: next, cause, reason: text, drawId: alternate?.drawId ?? existing.drawId ?? null, userId: actor.userId })
			.run();
		audit(tx, actor, 'assignment.replace', 'application', applicationId, { from: expertId, to: next, reason: text, cause });
		return next;
	});
}
