/**
 * The review reports (评审报告) of a batch, one per group (occupation × type) of the results: the
 * content (domain/review-report.ts) read from the tables it reports — the roster, replacements,
 * conflicts and declarations, the results and decisions, the re-check's `score_corrections`, the
 * closed `vote_rounds`, the `review_opinions`, the lock note — with its digest and the members'
 * signatures (`report_signatures`).
 */
import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Db } from '../db';
import * as s from '../db/schema';
import type { BatchScope } from '../scope';
import { computeResults, type ResultsState } from '../services/batch-state';
import { pairKey } from '../../domain/aggregation';
import {
	panelOf,
	reportDigest,
	signatureStatus,
	type GroupType,
	type InvitationState,
	type ReportContent,
	type ReportRecusal,
	type Signature,
	type SignatureStatus
} from '../../domain/review-report';

type Q = Pick<Db, 'select'>;

export type ReportGroup = {
	occupation: string;
	type: GroupType;
	content: ReportContent;
	digest: string;
	status: SignatureStatus;
	/** Every stored signature of the group (also of experts no longer on the panel). */
	signatures: (Signature & { userId: string | null })[];
};

export type ReportNames = {
	experts: Record<string, { name: string; workUnit: string | null; title: string | null }>;
	users: Record<string, string>;
};

export const groupKey = (occupation: string, type: string) => `${occupation}|${type}`;

/** Every group's report with its signature status, in the order of the results. */
export function reportGroups(scope: BatchScope, state: ResultsState = computeResults(scope)): ReportGroup[] {
	const { db, batch } = scope;
	const { results, findings, conflicts, input } = state;
	const ids = [...state.counted];
	const institutionName = new Map(findings.institutions.map((i) => [i.id, i.name]));
	const appInfo = new Map(findings.applications.map((a) => [a.app.id, { name: institutionName.get(a.app.institutionId) ?? a.app.institutionId, region: a.app.region }]));
	const nameOf = (applicationId: string) => appInfo.get(applicationId)?.name ?? applicationId;
	const experts = new Map(db.select({ id: s.experts.id, name: s.experts.name, workUnit: s.experts.workUnit, title: s.experts.title }).from(s.experts).all().map((e) => [e.id, e]));
	const expertName = (id: string | null) => (id ? (experts.get(id)?.name ?? id) : null);
	const users = new Map(db.select({ id: s.users.id, name: s.users.displayName }).from(s.users).all().map((u) => [u.id, u.name]));

	const inIds = (col: SQLiteColumn) => (ids.length ? inArray(col, ids) : sql`0`);
	const assignments = db.select({ applicationId: s.assignments.applicationId, expertId: s.assignments.expertId }).from(s.assignments).where(inIds(s.assignments.applicationId)).all();
	const invitations = new Map(
		db
			.select({ expertId: s.invitations.expertId, status: s.invitations.status })
			.from(s.invitations)
			.where(eq(s.invitations.batchId, batch.id))
			.all()
			.map((i) => [i.expertId, i.status as InvitationState])
	);
	const replacements = db.select().from(s.replacements).where(inIds(s.replacements.applicationId)).orderBy(s.replacements.at, s.replacements.id).all();
	const declarations = new Map(
		db.select().from(s.declarations).where(inIds(s.declarations.applicationId)).all().map((d) => [pairKey(d.applicationId, d.expertId), d])
	);
	const corrections = db
		.select({ c: s.scoreCorrections, applicationId: s.sheets.applicationId, expertId: s.sheets.expertId, rubricId: s.sheets.rubricId })
		.from(s.scoreCorrections)
		.innerJoin(s.sheets, eq(s.sheets.id, s.scoreCorrections.sheetId))
		.where(inIds(s.sheets.applicationId))
		.orderBy(s.scoreCorrections.at, s.scoreCorrections.id)
		.all();
	const criterionName = new Map(db.select({ r: s.criteria.rubricId, id: s.criteria.id, name: s.criteria.name }).from(s.criteria).all().map((c) => [`${c.r}|${c.id}`, c.name]));
	const votes = db
		.select()
		.from(s.voteRounds)
		.where(and(inIds(s.voteRounds.applicationId), isNotNull(s.voteRounds.closedAt)))
		.orderBy(s.voteRounds.closedAt, s.voteRounds.id)
		.all();
	const opinions = new Map(db.select().from(s.reviewOpinions).where(inIds(s.reviewOpinions.applicationId)).all().map((o) => [o.applicationId, o.text]));
	const signatures = db.select().from(s.reportSignatures).where(eq(s.reportSignatures.batchId, batch.id)).all();
	const reasons = new Map(input.decisions.map((d) => [d.applicationId, d.reason ?? null]));
	const lockNote = batch.lockNote ?? null;

	// Recusals: the hard (or confirmed) conflicts on assigned pairs, one per pair, with its reason.
	const assignedPairs = new Set(assignments.map((a) => pairKey(a.applicationId, a.expertId)));
	const recusalReason = new Map<string, string>();
	for (const c of conflicts.conflicts) {
		const key = pairKey(c.applicationId, c.expertId);
		if (conflicts.hard.get(key) !== c.code || recusalReason.has(key)) continue;
		const declared = c.code === 'DECLARED' ? declarations.get(key)?.reason : undefined;
		recusalReason.set(key, declared ?? c.reviewReason ?? c.matched);
	}

	return results.groups.map((g) => {
		const appIds = new Set(g.applications.map((a) => a.id));
		const groupAssignments = assignments.filter((a) => appIds.has(a.applicationId));
		const recused = new Set(groupAssignments.map((a) => pairKey(a.applicationId, a.expertId)).filter((k) => conflicts.hard.has(k)));
		const members = panelOf(groupAssignments, recused, invitations).map((m) => {
			const e = experts.get(m.expertId);
			return { ...m, name: e?.name ?? m.expertId, workUnit: e?.workUnit ?? null, title: e?.title ?? null };
		});
		const recusals: ReportRecusal[] = [...recused]
			.filter((k) => assignedPairs.has(k))
			.sort()
			.map((k) => {
				const [applicationId, expertId] = k.split('|');
				return { applicationId, institutionName: nameOf(applicationId), expertId, name: expertName(expertId)!, code: conflicts.hard.get(k)!, reason: recusalReason.get(k) ?? '' };
			});
		const content: ReportContent = {
			batchId: batch.id,
			occupation: g.occupation,
			type: g.type,
			members,
			replacements: replacements
				.filter((r) => appIds.has(r.applicationId))
				.map((r) => ({
					applicationId: r.applicationId,
					institutionName: nameOf(r.applicationId),
					fromExpertId: r.fromExpertId,
					fromName: expertName(r.fromExpertId)!,
					toExpertId: r.toExpertId,
					toName: expertName(r.toExpertId),
					cause: r.cause,
					reason: r.reason,
					at: r.at
				})),
			recusals,
			method: { ...results.settings, method: results.method as ReportContent['method']['method'] },
			results: g.applications.map((a) => ({
				applicationId: a.id,
				institutionName: nameOf(a.id),
				region: appInfo.get(a.id)?.region ?? '',
				rank: a.rank,
				score: a.score,
				n: a.n,
				flags: [...a.flags],
				proposed: a.proposed,
				defaultProposed: a.defaultProposed,
				decision: a.decision,
				decisionReason: reasons.get(a.id) ?? null
			})),
			corrections: corrections
				.filter((x) => appIds.has(x.applicationId))
				.map((x) => ({
					applicationId: x.applicationId,
					institutionName: nameOf(x.applicationId),
					expertId: x.expertId,
					expertName: expertName(x.expertId)!,
					criterionId: x.c.criterionId,
					criterionName: x.c.criterionId ? (criterionName.get(`${x.rubricId}|${x.c.criterionId}`) ?? x.c.criterionId) : null,
					rule: x.c.rule,
					oldValue: x.c.oldValue,
					newValue: x.c.newValue,
					reason: x.c.reason,
					byName: x.c.userId ? (users.get(x.c.userId) ?? x.c.userId) : null,
					at: x.c.at
				})),
			votes: votes
				.filter((v) => appIds.has(v.applicationId) && v.tally)
				.map((v) => ({ applicationId: v.applicationId, institutionName: nameOf(v.applicationId), motion: v.motion, tally: v.tally!, closedAt: v.closedAt! })),
			opinions: g.applications.filter((a) => opinions.get(a.id)?.trim()).map((a) => ({ applicationId: a.id, institutionName: nameOf(a.id), text: opinions.get(a.id)! })),
			lockNote: null
		};
		const note = lockNote?.missing.find((m) => m.occupation === g.occupation && m.type === g.type);
		if (lockNote && note) content.lockNote = { reason: lockNote.reason, missingExpertIds: [...note.expertIds], lockedAt: batch.resultsLockedAt };
		const own = signatures
			.filter((x) => x.occupation === g.occupation && x.type === g.type)
			.map((x) => ({ expertId: x.expertId, kind: x.kind, dissent: x.dissent, method: x.method, digest: x.digest, signedAt: x.signedAt, userId: x.userId }));
		const digest = reportDigest(content);
		return { occupation: g.occupation, type: g.type, content, digest, status: signatureStatus(content, own, digest), signatures: own };
	});
}

/** One group's report, or null when the batch's results have no such group. */
export function reportGroup(scope: BatchScope, occupation: string, type: string, state?: ResultsState): ReportGroup | null {
	return reportGroups(scope, state).find((g) => g.occupation === occupation && g.type === type) ?? null;
}

/** The groups whose report the expert must sign (or has signed while on the panel). */
export function expertReportGroups(scope: BatchScope, expertId: string): ReportGroup[] {
	return reportGroups(scope).filter((g) => g.content.members.some((m) => m.expertId === expertId && m.mustSign));
}

/** Names for the pages: experts (name, unit, title) and users (display name). */
export function reportNames(db: Q): ReportNames {
	return {
		experts: Object.fromEntries(db.select({ id: s.experts.id, name: s.experts.name, workUnit: s.experts.workUnit, title: s.experts.title }).from(s.experts).all().map((e) => [e.id, { name: e.name, workUnit: e.workUnit, title: e.title }])),
		users: Object.fromEntries(db.select({ id: s.users.id, name: s.users.displayName }).from(s.users).all().map((u) => [u.id, u.name]))
	};
}
