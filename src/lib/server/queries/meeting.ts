/**
 * What a meeting screen shows for the current item, shaped per viewer: aggregated results,
 * per-criterion means, anonymised comments (专家A, 专家B…), findings and flags — or 回避 for an
 * expert with a conflict on it. The agenda orders each group by score with flagged items first.
 */
import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../db';
import type { BatchScope } from '../scope';
import * as s from '../db/schema';
import { computeResults } from '../services/batch-state';
import { currentMeeting } from '../services/results';
import { closedRounds, openVoteNotice, opinionOf, type ClosedRound } from '../services/votes';
import { loadRubrics } from './bundle';
import { expertRelation, hardConflictCodes } from './reviews';
import { pairKey } from '../../domain/conflicts';
import { cutStability } from '../../domain/stability';
import type { ApplicationResult, Flag, Results } from '../../domain/aggregation';
import type { Finding } from '../../domain/formal-check';

export const LETTERS = '甲乙丙丁戊己庚辛壬癸';
export function expertLabel(i: number): string {
	return `专家${String.fromCharCode(65 + (i % 26))}${i >= 26 ? Math.floor(i / 26) : ''}`;
}

export type AgendaItem = {
	id: string;
	institutionName: string;
	score: number | null;
	rank: number | null;
	n: number;
	flags: Flag[];
	unstable: boolean;
	proposed: boolean;
	defaultProposed: boolean;
	decision: string | null;
	flagged: boolean;
};
export type AgendaGroup = { occupation: string; type: 'training' | 'evaluation'; items: AgendaItem[] };

export function institutionNames(db: Db): Map<string, string> {
	return new Map(
		db
			.select({ id: s.applications.id, name: s.institutions.name })
			.from(s.applications)
			.innerJoin(s.institutions, eq(s.applications.institutionId, s.institutions.id))
			.all()
			.map((r) => [r.id, r.name])
	);
}

export function buildAgenda(scope: BatchScope, state = computeResults(scope)): AgendaGroup[] {
	const { results } = state;
	const names = institutionNames(scope.db);
	const stability = cutStability({ ...state.input, bootstrap: 100, seed: 'meeting' });
	const unstable = new Set(stability.groups.flatMap((g) => g.applications.filter((a) => a.unstable).map((a) => a.id)));
	return results.groups.map((g) => {
		const items = g.applications.map((a) => {
			const flagged = a.flags.some((f) => f !== 'INSUFFICIENT_REVIEWS') || unstable.has(a.id);
			return {
				id: a.id,
				institutionName: names.get(a.id) ?? a.id,
				score: a.score,
				rank: a.rank,
				n: a.n,
				flags: a.flags,
				unstable: unstable.has(a.id),
				proposed: a.proposed,
				defaultProposed: a.defaultProposed,
				decision: a.decision,
				flagged
			};
		});
		// Flagged items first (dispersion, abnormal, tie, unstable cut), each part by score.
		items.sort((x, y) => Number(y.flagged) - Number(x.flagged) || (y.score ?? -1) - (x.score ?? -1) || x.id.localeCompare(y.id));
		return { occupation: g.occupation, type: g.type, items };
	});
}

export type MeetingItem = {
	id: string;
	institutionName: string;
	occupation: string;
	type: 'training' | 'evaluation';
	region: string;
	levels: string[];
	result: Omit<ApplicationResult, 'sheets' | 'excluded'> & { excludedCount: number };
	criteria: { id: string; name: string; maxPoints: number; mean: number | null }[];
	sheets: { label: string; total: number; abnormal: boolean; comment: string | null; explanation: string | null; criterionComments: { name: string; text: string }[] }[];
	findings: Finding[];
	siteVisits: { date: string; members: string; findings: string }[];
	/** The chair's 综合评审意见 (null until drafted). */
	opinion: string | null;
	/** Closed votes: the tallies only (never a member's vote). */
	votes: ClosedRound[];
	/** A vote is open on this item, on what: nothing about the votes cast. */
	openVote: { motion: string; openedAt: string } | null;
};

/**
 * `recused`: the expert has a hard conflict with the current item (leave the room); `elsewhere`:
 * the current item is not one of the expert's (not on its panel, or the roster not yet published).
 * Neither carries the application's id or name.
 */
export type MeetingView =
	| { state: 'idle'; seq: number }
	| { state: 'recused'; seq: number }
	| { state: 'elsewhere'; seq: number }
	| { state: 'item'; seq: number; item: MeetingItem };

/**
 * The current item as one viewer may see it. `expertId` set for an expert viewer, who sees the item
 * only when on its panel (assigned, published) without a hard conflict; office and observer
 * screens pass null. The caller checks the expert's commitment (an uncommitted expert gets no view).
 */
export function meetingView(scope: BatchScope, viewer: { expertId: string | null }, seq = 0): MeetingView {
	const { db } = scope;
	const { applicationId } = currentMeeting(scope);
	if (!applicationId) return { state: 'idle', seq };
	if (viewer.expertId) {
		const rel = expertRelation(db, viewer.expertId, applicationId);
		if (rel.hardConflict || hardConflictCodes(db, viewer.expertId, applicationId).length) return { state: 'recused', seq };
		if (!rel.assigned || !rel.published) return { state: 'elsewhere', seq };
	}
	const state = computeResults(scope);
	// The current item was returned to its city since the chair moved to it: it is off the agenda.
	if (!state.counted.has(applicationId)) return { state: 'idle', seq };
	if (viewer.expertId && state.conflicts.hard.has(pairKey(applicationId, viewer.expertId))) return { state: 'recused', seq };
	return { state: 'item', seq, item: meetingItem(scope, applicationId, state) };
}

export function meetingItem(scope: BatchScope, applicationId: string, state: ReturnType<typeof computeResults>): MeetingItem {
	const { db } = scope;
	const { results, findings } = state;
	const a = findResult(results, applicationId)!;
	const app = findings.applications.find((x) => x.app.id === applicationId)!.app;
	const rubrics = loadRubrics(scope);
	const valid = a.sheets.filter((sh) => sh.valid);
	const sheetRows = db
		.select()
		.from(s.sheets)
		.where(eq(s.sheets.applicationId, applicationId))
		.all();
	const byExpert = new Map(sheetRows.map((r) => [r.expertId, r]));
	const rubric = rubrics.find((r) => r.id === byExpert.get(valid[0]?.expertId ?? '')?.rubricId) ?? rubrics.filter((r) => r.type === app.type).at(-1);
	const points = sheetRows.length
		? db.select().from(s.sheetPoints).where(inArray(s.sheetPoints.sheetId, sheetRows.map((r) => r.id))).all()
		: [];
	const critName = new Map((rubric?.criteria ?? []).map((c) => [c.id, c.name]));
	const { sheets: _sheets, excluded, ...rest } = a;
	void _sheets;
	return {
		id: applicationId,
		institutionName: state.findings.institutions.find((i) => i.id === app.institutionId)?.name ?? applicationId,
		occupation: app.occupation,
		type: app.type,
		region: app.region,
		levels: app.levels,
		result: { ...rest, excludedCount: excluded.length },
		criteria: (rubric?.criteria ?? []).map((c) => ({ id: c.id, name: c.name, maxPoints: c.maxPoints, mean: a.criterionMeans[c.id] ?? null })),
		sheets: valid.map((sh, i) => {
			const row = byExpert.get(sh.expertId);
			return {
				label: expertLabel(i),
				total: sh.total,
				abnormal: sh.abnormal,
				comment: row?.comment ?? null,
				explanation: row?.explanation ?? null,
				criterionComments: points
					.filter((p) => p.sheetId === row?.id && p.comment)
					.map((p) => ({ name: critName.get(p.criterionId) ?? p.criterionId, text: p.comment! }))
			};
		}),
		findings: findings.findings.get(applicationId) ?? [],
		siteVisits: db
			.select({ date: s.siteVisits.date, members: s.siteVisits.members, findings: s.siteVisits.findings })
			.from(s.siteVisits)
			.where(eq(s.siteVisits.applicationId, applicationId))
			.all(),
		opinion: opinionOf(db, applicationId)?.text ?? null,
		votes: closedRounds(db, applicationId),
		openVote: openVoteNotice(db, applicationId)
	};
}

export function findResult(results: Results, applicationId: string): ApplicationResult | null {
	for (const g of results.groups) for (const a of g.applications) if (a.id === applicationId) return a;
	return null;
}

/** Experts who must leave the room for the current item (hard conflicts), by name and unit. */
export function mustLeave(scope: BatchScope): { applicationId: string | null; institutionName: string | null; experts: { name: string; workUnit: string | null; code: string }[] } {
	const { db } = scope;
	const { applicationId } = currentMeeting(scope);
	const state = applicationId ? computeResults(scope) : null;
	if (!applicationId || !state?.counted.has(applicationId)) return { applicationId: null, institutionName: null, experts: [] };
	const ids = [...state.conflicts.hard.entries()].filter(([k]) => k.startsWith(applicationId + '|')).map(([k, code]) => [k.slice(applicationId.length + 1), code] as const);
	const experts = ids.length
		? db.select().from(s.experts).where(inArray(s.experts.id, ids.map(([e]) => e))).all()
		: [];
	return {
		applicationId,
		institutionName: institutionNames(db).get(applicationId) ?? null,
		experts: ids.map(([e, code]) => {
			const x = experts.find((r) => r.id === e);
			return { name: x?.name ?? e, workUnit: x?.workUnit ?? null, code };
		})
	};
}
