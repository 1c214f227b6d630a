/**
 * Read models of the office's draw page and conflicts page: the experts × applications matrix of
 * one occupation with loads, alternates and conflicts; the draw history; every conflict with its
 * rule, why it matched, its review and what it means for assignments and sheets.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db';
import * as s from '../db/schema';
import { batchById, type BatchScope } from '../scope';
import { isPublished } from './reviews';
import { blockingApplications, computeConflicts, computeFindings, recommendedApplications, type ConflictState } from '../services/batch-state';
import { conflictLabel, pairKey, type ConflictCode } from '../../domain/conflicts';
import { OCCUPATIONS } from '../../domain/occupations';
import { declarationGroundLabel } from '../../domain/experts';

export type ConflictStateKey = 'hard' | 'pending' | 'confirmed' | 'dismissed';

export type BoardCell = {
	/** How the expert came onto the application, when assigned. */
	assigned: 'import' | 'draw' | 'manual' | 'replacement' | null;
	/** Not yet published to the expert. */
	unpublished: boolean;
	alternate: number | null;
	/** The first conflict code of the pair in rule order (hard ones before soft ones). */
	conflict: ConflictCode | null;
	hard: boolean;
	sheet: 'draft' | 'submitted' | null;
};

export type BoardApplication = {
	id: string;
	institutionName: string;
	type: 'training' | 'evaluation';
	region: string;
	status: s.ApplicationStatus;
	assigned: number;
	/** Assigned experts without a hard conflict (the ones that count). */
	valid: number;
	missing: number;
	blocking: boolean;
	/** The engine's reason from the last draw that left this application short. */
	reason: string | null;
};

export type BoardExpert = {
	id: string;
	name: string;
	workUnit: string | null;
	title: string | null;
	active: boolean;
	reviews: boolean;
	loadHere: number;
	loadTotal: number;
};

export type DrawRow = {
	id: number;
	at: string;
	seed: string;
	scope: string;
	perApplication: number;
	maxLoad: number | null;
	onePerUnit: boolean;
	made: number;
	unfilled: number;
	by: string | null;
};

type Base = {
	findings: ReturnType<typeof computeFindings>;
	conflicts: ConflictState;
	assignments: (typeof s.assignments.$inferSelect)[];
};

/** Assignments of the batch (each on one of its applications). */
const ofBatch = (scope: BatchScope) => sql`${s.assignments.applicationId} IN (SELECT id FROM applications WHERE batch_id = ${scope.batch.id})`;

function base(scope: BatchScope): Base {
	const findings = computeFindings(scope);
	return { findings, conflicts: computeConflicts(scope, findings), assignments: scope.db.select().from(s.assignments).where(ofBatch(scope)).all() };
}

function firstConflicts(conflicts: ConflictState): Map<string, { code: ConflictCode; hard: boolean }> {
	const out = new Map<string, { code: ConflictCode; hard: boolean }>();
	for (const c of conflicts.conflicts) {
		if (c.review === 'dismissed') continue;
		const key = pairKey(c.applicationId, c.expertId);
		const hard = c.hard || c.review === 'confirmed';
		const prev = out.get(key);
		if (!prev || (hard && !prev.hard)) out.set(key, { code: c.code, hard });
	}
	return out;
}

export function drawHistory({ db, batch }: BatchScope): DrawRow[] {
	return db
		.select({ d: s.draws, by: s.users.username })
		.from(s.draws)
		.leftJoin(s.users, eq(s.draws.userId, s.users.id))
		.where(eq(s.draws.batchId, batch.id))
		.orderBy(desc(s.draws.id))
		.all()
		.map(({ d, by }) => ({
			id: d.id,
			at: d.at,
			seed: d.seed,
			scope: d.scope,
			perApplication: d.perApplication,
			maxLoad: d.maxLoad,
			onePerUnit: d.onePerUnit,
			made: d.made,
			unfilled: typeof d.summary?.unfilled === 'number' ? d.summary.unfilled : 0,
			by
		}));
}

/** The engine's reason per application from the latest draw that covered it and left it short. */
function lastReasons({ db, batch }: BatchScope): Map<string, string> {
	const out = new Map<string, string>();
	for (const d of db.select({ summary: s.draws.summary }).from(s.draws).where(eq(s.draws.batchId, batch.id)).orderBy(desc(s.draws.id)).all()) {
		const list = d.summary?.unfilledReasons;
		if (!Array.isArray(list)) continue;
		for (const u of list as { applicationId: string; reason: string }[]) if (!out.has(u.applicationId)) out.set(u.applicationId, u.reason);
	}
	return out;
}

/**
 * The draw page: per-occupation counts, and for the chosen occupation the matrix of its experts
 * (active reviewers of the occupation, plus anyone assigned there) × its applications.
 */
export function assignmentBoard(scope: BatchScope, occupation: string | null) {
	const { db } = scope;
	const batch = batchById(db, scope.batch.id) ?? scope.batch;
	const N = batch.perApplication ?? 5;
	const published = batch.assignmentsPublishedAt ?? null;
	const { findings, conflicts, assignments } = base(scope);
	const blocking = blockingApplications(findings);
	const first = firstConflicts(conflicts);
	const experts = db.select().from(s.experts).all();
	const institutions = new Map(findings.institutions.map((i) => [i.id, i.name]));
	const apps = recommendedApplications(findings);
	const loadTotal = new Map<string, number>();
	const byApp = new Map<string, typeof assignments>();
	for (const a of assignments) {
		loadTotal.set(a.expertId, (loadTotal.get(a.expertId) ?? 0) + 1);
		byApp.set(a.applicationId, [...(byApp.get(a.applicationId) ?? []), a]);
	}
	const validCount = (appId: string) => (byApp.get(appId) ?? []).filter((a) => !conflicts.hard.has(pairKey(appId, a.expertId))).length;
	const unpublished = assignments.filter((a) => !isPublished(a.createdAt, published)).length;

	const occupations = OCCUPATIONS.map((o) => {
		const list = apps.filter((a) => a.app.occupation === o.key);
		const drawable = list.filter((a) => !blocking.has(a.app.id));
		return {
			key: o.key,
			label: o.short,
			applications: list.length,
			full: drawable.filter((a) => validCount(a.app.id) >= N).length,
			drawable: drawable.length,
			blocked: list.length - drawable.length,
			experts: experts.filter((e) => e.active && e.occupations.includes(o.key)).length
		};
	});

	let matrix = null;
	if (occupation) {
		const reasons = lastReasons(scope);
		const sheets = new Map(
			db.select({ a: s.sheets.applicationId, e: s.sheets.expertId, status: s.sheets.status }).from(s.sheets).all().map((r) => [pairKey(r.a, r.e), r.status])
		);
		const list = apps
			.filter((a) => a.app.occupation === occupation)
			.sort((x, y) => x.app.type.localeCompare(y.app.type) || x.app.id.localeCompare(y.app.id));
		const appIds = new Set(list.map((a) => a.app.id));
		const alternates = db.select().from(s.alternates).all().filter((r) => appIds.has(r.applicationId));
		const onHere = new Set(assignments.filter((a) => appIds.has(a.applicationId)).map((a) => a.expertId));
		const rowsOf = experts
			.filter((e) => onHere.has(e.id) || (e.active && e.occupations.includes(occupation)))
			.map((e) => ({
				id: e.id,
				name: e.name,
				workUnit: e.workUnit,
				title: e.title,
				active: e.active,
				reviews: e.occupations.includes(occupation),
				loadHere: assignments.filter((a) => a.expertId === e.id && appIds.has(a.applicationId)).length,
				loadTotal: loadTotal.get(e.id) ?? 0
			}))
			.sort((a, b) => b.loadHere - a.loadHere || a.id.localeCompare(b.id));
		const cells: Record<string, BoardCell> = {};
		for (const a of list) {
			for (const e of rowsOf) {
				const key = pairKey(a.app.id, e.id);
				const asg = (byApp.get(a.app.id) ?? []).find((x) => x.expertId === e.id);
				const alt = alternates.find((x) => x.applicationId === a.app.id && x.expertId === e.id);
				const c = first.get(key);
				if (!asg && !alt && !c) continue;
				cells[key] = {
					assigned: asg?.source ?? null,
					unpublished: !!asg && !isPublished(asg.createdAt, published),
					alternate: alt && !asg ? alt.rank : null,
					conflict: c?.code ?? null,
					hard: c?.hard ?? false,
					sheet: (sheets.get(key) as BoardCell['sheet']) ?? null
				};
			}
		}
		const columns: BoardApplication[] = list.map((a) => {
			const valid = validCount(a.app.id);
			return {
				id: a.app.id,
				institutionName: institutions.get(a.app.institutionId) ?? a.app.institutionId,
				type: a.app.type,
				region: a.app.region,
				status: a.row.status,
				assigned: (byApp.get(a.app.id) ?? []).length,
				valid,
				missing: blocking.has(a.app.id) ? 0 : Math.max(0, N - valid),
				blocking: blocking.has(a.app.id),
				reason: valid < N ? (reasons.get(a.app.id) ?? null) : null
			};
		});
		matrix = { occupation, applications: columns, experts: rowsOf, cells };
	}

	return {
		settings: { perApplication: N, maxLoad: batch?.maxLoad ?? null, onePerUnit: batch?.onePerUnit ?? false },
		batch: batch ? { id: batch.id, name: batch.name } : null,
		published,
		unpublished,
		totalAssignments: assignments.length,
		occupations,
		matrix,
		draws: drawHistory(scope)
	};
}

/** One application in detail: its experts, its ranked alternates, and who could be added by hand. */
export function applicationRoster(scope: BatchScope, applicationId: string) {
	const { db } = scope;
	const app = db
		.select({ id: s.applications.id, occupation: s.applications.occupation, type: s.applications.type, region: s.applications.region, status: s.applications.status, institutionName: s.institutions.name })
		.from(s.applications)
		.innerJoin(s.institutions, eq(s.applications.institutionId, s.institutions.id))
		.where(and(eq(s.applications.id, applicationId), eq(s.applications.batchId, scope.batch.id)))
		.get();
	if (!app) return null;
	const batch = batchById(db, scope.batch.id) ?? scope.batch;
	const published = batch.assignmentsPublishedAt ?? null;
	const conflicts = computeConflicts(scope);
	const first = firstConflicts(conflicts);
	const experts = new Map(db.select().from(s.experts).all().map((e) => [e.id, e]));
	const loads = new Map<string, number>();
	for (const a of db.select({ e: s.assignments.expertId }).from(s.assignments).where(ofBatch(scope)).all()) loads.set(a.e, (loads.get(a.e) ?? 0) + 1);
	const sheets = new Map(
		db.select({ e: s.sheets.expertId, status: s.sheets.status }).from(s.sheets).where(eq(s.sheets.applicationId, applicationId)).all().map((r) => [r.e, r.status])
	);
	const rows = db.select().from(s.assignments).where(eq(s.assignments.applicationId, applicationId)).all();
	const assignedIds = new Set(rows.map((r) => r.expertId));
	const person = (id: string) => {
		const e = experts.get(id);
		const c = first.get(pairKey(applicationId, id));
		return {
			id,
			name: e?.name ?? id,
			workUnit: e?.workUnit ?? null,
			title: e?.title ?? null,
			active: e?.active ?? false,
			load: loads.get(id) ?? 0,
			conflict: c ? { code: c.code, label: conflictLabel(c.code), hard: c.hard } : null
		};
	};
	const assigned = rows
		.map((r) => ({
			...person(r.expertId),
			source: r.source,
			reason: r.reason,
			createdAt: r.createdAt,
			unpublished: !isPublished(r.createdAt, published),
			sheet: sheets.get(r.expertId) ?? null
		}))
		.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
	const alternates = db
		.select()
		.from(s.alternates)
		.where(eq(s.alternates.applicationId, applicationId))
		.orderBy(s.alternates.rank)
		.all()
		.filter((r) => !assignedIds.has(r.expertId))
		.map((r) => ({ rank: r.rank, ...person(r.expertId) }));
	const eligible = [...experts.values()]
		.filter((e) => e.active && e.occupations.includes(app.occupation) && !assignedIds.has(e.id) && !conflicts.hard.has(pairKey(applicationId, e.id)))
		.map((e) => person(e.id))
		.sort((a, b) => a.load - b.load || a.id.localeCompare(b.id));
	return { app, assigned, alternates, eligible, perApplication: batch?.perApplication ?? 5, maxLoad: batch?.maxLoad ?? null };
}

export type ConflictRow = {
	applicationId: string;
	institutionName: string;
	occupation: string;
	type: 'training' | 'evaluation';
	expertId: string;
	expertName: string;
	expertUnit: string | null;
	code: ConflictCode;
	label: string;
	hard: boolean;
	matched: string;
	state: ConflictStateKey;
	review: { decision: 'confirmed' | 'dismissed'; reason: string; at: string; by: string | null } | null;
	declaration: { ground: string; groundLabel: string; reason: string; at: string } | null;
	assigned: boolean;
	sheet: 'draft' | 'submitted' | null;
	/** Assigned although it must not be: the office has to replace the expert. */
	mustReplace: boolean;
	/** A submitted sheet that aggregation leaves out because of this conflict. */
	sheetExcluded: boolean;
};

/** Every detected and declared conflict, with its review, for the conflicts page. */
export function conflictBoard(scope: BatchScope): ConflictRow[] {
	const { db } = scope;
	const { findings, conflicts, assignments } = base(scope);
	const apps = new Map(findings.applications.map((a) => [a.app.id, a.app]));
	const institutions = new Map(findings.institutions.map((i) => [i.id, i.name]));
	const experts = new Map(db.select().from(s.experts).all().map((e) => [e.id, e]));
	const assigned = new Set(assignments.map((a) => pairKey(a.applicationId, a.expertId)));
	const sheets = new Map(
		db.select({ a: s.sheets.applicationId, e: s.sheets.expertId, status: s.sheets.status }).from(s.sheets).all().map((r) => [pairKey(r.a, r.e), r.status])
	);
	const reviews = new Map(
		db
			.select({ r: s.conflictReviews, by: s.users.username })
			.from(s.conflictReviews)
			.leftJoin(s.users, eq(s.conflictReviews.userId, s.users.id))
			.all()
			.map(({ r, by }) => [`${pairKey(r.applicationId, r.expertId)}|${r.code}`, { decision: r.decision, reason: r.reason, at: r.at, by }])
	);
	const declarations = new Map(db.select().from(s.declarations).all().map((d) => [pairKey(d.applicationId, d.expertId), d]));
	return conflicts.conflicts.map((c) => {
		const key = pairKey(c.applicationId, c.expertId);
		const app = apps.get(c.applicationId)!;
		const e = experts.get(c.expertId);
		const review = c.hard ? null : (reviews.get(`${key}|${c.code}`) ?? null);
		const state: ConflictStateKey = c.hard ? 'hard' : (review?.decision ?? 'pending');
		const d = c.code === 'DECLARED' ? declarations.get(key) : undefined;
		const isAssigned = assigned.has(key);
		const sheet = (sheets.get(key) as ConflictRow['sheet']) ?? null;
		const effectiveHard = conflicts.hard.has(key);
		return {
			applicationId: c.applicationId,
			institutionName: institutions.get(app.institutionId) ?? app.institutionId,
			occupation: app.occupation,
			type: app.type,
			expertId: c.expertId,
			expertName: e?.name ?? c.expertId,
			expertUnit: e?.workUnit ?? null,
			code: c.code,
			label: conflictLabel(c.code),
			hard: c.hard,
			matched: c.matched,
			state,
			review,
			declaration: d ? { ground: d.ground, groundLabel: declarationGroundLabel(d.ground), reason: d.reason, at: d.at } : null,
			assigned: isAssigned,
			sheet,
			mustReplace: isAssigned && effectiveHard && (c.hard || state === 'confirmed'),
			sheetExcluded: sheet === 'submitted' && effectiveHard && (c.hard || state === 'confirmed')
		};
	});
}

/** An assignment of a deactivated expert without a submitted sheet (a draft, or nothing yet). */
export type OpenInactiveAssignment = Pick<ConflictRow, 'applicationId' | 'institutionName' | 'occupation' | 'type' | 'expertId' | 'expertName'> & {
	sheet: 'draft' | null;
};

/**
 * Assignments of deactivated experts whose sheet is not submitted, on recommended applications:
 * the draw page lists them for replacement (a deactivated expert can no longer sign in).
 */
export function openAssignmentsOfInactiveExperts(scope: BatchScope): OpenInactiveAssignment[] {
	const { db } = scope;
	const findings = computeFindings(scope);
	const apps = new Map(recommendedApplications(findings).map((a) => [a.app.id, a.app]));
	const names = new Map(findings.institutions.map((i) => [i.id, i.name]));
	const rows = db
		.select({
			applicationId: s.assignments.applicationId,
			expertId: s.assignments.expertId,
			expertName: s.experts.name,
			sheet: s.sheets.status
		})
		.from(s.assignments)
		.innerJoin(s.experts, eq(s.experts.id, s.assignments.expertId))
		.leftJoin(s.sheets, and(eq(s.sheets.applicationId, s.assignments.applicationId), eq(s.sheets.expertId, s.assignments.expertId)))
		.where(eq(s.experts.active, false))
		.all();
	const out: OpenInactiveAssignment[] = [];
	for (const r of rows) {
		const app = apps.get(r.applicationId);
		if (!app || r.sheet === 'submitted') continue;
		out.push({
			applicationId: r.applicationId,
			institutionName: names.get(app.institutionId) ?? app.institutionId,
			occupation: app.occupation,
			type: app.type,
			expertId: r.expertId,
			expertName: r.expertName,
			sheet: r.sheet
		});
	}
	return out.sort((a, b) => a.occupation.localeCompare(b.occupation) || a.applicationId.localeCompare(b.applicationId) || a.expertId.localeCompare(b.expertId));
}
