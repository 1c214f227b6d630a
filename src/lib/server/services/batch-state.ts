/**
 * The whole batch computed from the database: formal-check findings, conflicts of interest and
 * aggregated results. The pages and the command line both read the batch through here.
 */
import { sql, type AnyColumn } from 'drizzle-orm';
import { cacheClient, generation } from '../db/generations';
import * as s from '../db/schema';
import { batchFromRow, loadApplications, loadExperts, loadInstitutions, loadRubrics, loadScores } from '../queries/bundle';
import type { BatchScope } from '../scope';
import { type Application, type Batch, type Institution } from '../../domain/bundle';
import { checkAll, hasUnresolvedBlocking, type Finding, type FindingCode } from '../../domain/formal-check';
import { CONFLICT_CODES, detectConflicts, pairKey, type Conflict } from '../../domain/conflicts';
import { aggregate, type AggregateInput, type Method, type Results } from '../../domain/aggregation';
import { phoneMatchKey } from '../personal-data';

/**
 * Applications a city has put forward (已推荐 / 已受理): they count toward its quota, and only they
 * enter the draw, the results, the meeting, the shortlist, every export and the memo. Drafts and
 * applications returned to the city do not.
 */
export const RECOMMENDED_STATUSES: readonly s.ApplicationStatus[] = ['submitted', 'accepted'];

export function isRecommended(status: s.ApplicationStatus): boolean {
	return RECOMMENDED_STATUSES.includes(status);
}

/** The batch's recommended applications (see RECOMMENDED_STATUSES), in the order of the state. */
export function recommendedApplications(state: Pick<FindingsState, 'applications'>): FindingsState['applications'] {
	return state.applications.filter((a) => isRecommended(a.row.status));
}

export type FindingsState = {
	batch: Batch;
	applications: { row: s.ApplicationRow; app: Application }[];
	institutions: Institution[];
	findings: Map<string, Finding[]>;
	overrides: Map<string, Map<string, { reason: string; at: string }>>;
};

/*
 * The formal check and the conflicts of a batch depend only on the intake tables, which change far
 * less often than pages are read (every expert page and the dashboard need them). They are kept per
 * database connection against the `intake` change counter (bumped by triggers on every write to
 * those tables, from any process) and the date. Inside a transaction they are always computed
 * afresh. The cached state is shared: callers read it and never change it.
 */
type IntakeCache = { key: string; findings: FindingsState; conflicts?: ConflictState };
/** Per connection, per batch. */
const intakeCache = new WeakMap<object, Map<string, IntakeCache>>();

function localDate(): string {
	const d = new Date();
	return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** The connection's cached intake state, brought up to date; null when it cannot be cached. */
function cachedIntake(scope: BatchScope, today: string | undefined): IntakeCache | null {
	const { db } = scope;
	const client = cacheClient(db);
	const n = client ? generation(db, 'intake') : null;
	if (!client || n === null) return null;
	// The batch row itself is part of the key: its settings (quotas, deadline) move the findings.
	const b = scope.batch;
	const key = `${n}|${today ?? localDate()}|${b.deadline}|${b.createdAt}|${JSON.stringify(b.quotas)}`;
	let perBatch = intakeCache.get(client);
	if (!perBatch) intakeCache.set(client, (perBatch = new Map()));
	let hit = perBatch.get(b.id);
	if (!hit || hit.key !== key) perBatch.set(b.id, (hit = { key, findings: findingsOf(scope, today) }));
	return hit;
}

export function computeFindings(scope: BatchScope, today?: string): FindingsState {
	return cachedIntake(scope, today)?.findings ?? findingsOf(scope, today);
}

function findingsOf(scope: BatchScope, today?: string): FindingsState {
	const { db } = scope;
	const batch = batchFromRow(scope.batch);
	const applications = loadApplications(scope);
	const institutions = loadInstitutions(db, new Set(applications.map((a) => a.app.institutionId)));
	const status = new Map(applications.map((a) => [a.app.id, a.row.status]));
	const findings = checkAll(
		batch,
		institutions,
		applications.map((a) => a.app),
		{ today, counted: (app) => RECOMMENDED_STATUSES.includes(status.get(app.id)!) }
	);
	const overrides = new Map<string, Map<string, { reason: string; at: string }>>();
	for (const o of db.select().from(s.findingOverrides).where(sql`${s.findingOverrides.applicationId} IN (SELECT id FROM applications WHERE batch_id = ${scope.batch.id})`).all()) {
		const m = overrides.get(o.applicationId) ?? new Map();
		m.set(o.code, { reason: o.reason, at: o.at });
		overrides.set(o.applicationId, m);
	}
	return { batch, applications, institutions, findings, overrides };
}

/** Application ids with a blocking finding the office has not overridden. */
export function blockingApplications(state: FindingsState): Set<string> {
	const out = new Set<string>();
	for (const [id, list] of state.findings) {
		const overridden = [...(state.overrides.get(id)?.keys() ?? [])] as FindingCode[];
		if (hasUnresolvedBlocking(list, overridden)) out.add(id);
	}
	return out;
}

export type ConflictState = {
	/** Every detected and declared conflict, soft ones with the office's review attached. */
	conflicts: (Conflict & { review: 'confirmed' | 'dismissed' | null; reviewReason: string | null })[];
	/** pairKey → the first hard code (confirmed soft conflicts count as hard). */
	hard: Map<string, string>;
};

export function computeConflicts(scope: BatchScope, base?: Pick<FindingsState, 'applications' | 'institutions'>): ConflictState {
	const cached = cachedIntake(scope, undefined);
	if (!cached) return conflictsOf(scope, base);
	return (cached.conflicts ??= conflictsOf(scope, cached.findings));
}

function conflictsOf(scope: BatchScope, base?: Pick<FindingsState, 'applications' | 'institutions'>): ConflictState {
	const { db } = scope;
	const applications = base?.applications ?? loadApplications(scope);
	const institutions = base?.institutions ?? loadInstitutions(db, new Set(applications.map((a) => a.app.institutionId)));
	const experts = loadExperts(db);
	const ofBatch = (col: AnyColumn) => sql`${col} IN (SELECT id FROM applications WHERE batch_id = ${scope.batch.id})`;
	const declarations = db
		.select({ applicationId: s.declarations.applicationId, expertId: s.declarations.expertId, reason: s.declarations.reason })
		.from(s.declarations)
		.where(ofBatch(s.declarations.applicationId))
		.all();
	const reviews = new Map(
		db.select().from(s.conflictReviews).where(ofBatch(s.conflictReviews.applicationId)).all().map((r) => [`${pairKey(r.applicationId, r.expertId)}|${r.code}`, r])
	);
	const conflicts = detectConflicts({ experts, applications: applications.map((a) => a.app), institutions, declarations, phoneKey: phoneMatchKey(db) }).map((c) => {
		const r = c.hard ? undefined : reviews.get(`${pairKey(c.applicationId, c.expertId)}|${c.code}`);
		return { ...c, review: r?.decision ?? null, reviewReason: r?.reason ?? null };
	});
	const hard = new Map<string, string>();
	const order = (code: string) => CONFLICT_CODES.indexOf(code as (typeof CONFLICT_CODES)[number]);
	for (const c of conflicts) {
		if (!(c.hard || c.review === 'confirmed')) continue;
		const key = pairKey(c.applicationId, c.expertId);
		const prev = hard.get(key);
		if (prev === undefined || order(c.code) < order(prev)) hard.set(key, c.code);
	}
	return { conflicts, hard };
}

/** The `coi --json` rows: detected and declared conflicts; a soft one the office confirmed counts as hard, a dismissed one is left out. */
export function conflictRows(state: ConflictState) {
	return state.conflicts
		.filter((c) => c.review !== 'dismissed')
		.map((c) => ({ expertId: c.expertId, applicationId: c.applicationId, code: c.code, hard: c.hard || c.review === 'confirmed' }));
}

export type ResultsState = {
	results: Results;
	input: AggregateInput;
	findings: FindingsState;
	conflicts: ConflictState;
	/** Ids of the recommended applications: the only ones in `results` and `input`. */
	counted: Set<string>;
};

/**
 * Aggregated results over the recommended applications only: a draft or an application returned
 * to its city (even one with submitted sheets) is not in them, nor are its sheets and decision,
 * until the city recommends it again.
 */
export function computeResults(scope: BatchScope, method?: Method): ResultsState {
	const { db } = scope;
	const findings = computeFindings(scope);
	const conflicts = computeConflicts(scope, findings);
	const recommended = recommendedApplications(findings);
	const counted = new Set(recommended.map((a) => a.app.id));
	const assigned = new Set(
		db
			.select({ a: s.assignments.applicationId, e: s.assignments.expertId })
			.from(s.assignments)
			.where(sql`${s.assignments.applicationId} IN (SELECT id FROM applications WHERE batch_id = ${scope.batch.id})`)
			.all()
			.map((r) => pairKey(r.a, r.e))
	);
	const decisions = db
		.select({ applicationId: s.decisions.applicationId, decision: s.decisions.decision, reason: s.decisions.reason })
		.from(s.decisions)
		.all()
		.filter((d) => counted.has(d.applicationId));
	const input: AggregateInput = {
		settings: findings.batch.aggregation,
		method,
		applications: recommended.map((a) => ({ id: a.app.id, occupation: a.app.occupation, type: a.app.type })),
		sheets: loadScores(scope).filter((sc) => counted.has(sc.applicationId)),
		rubrics: loadRubrics(scope),
		assigned,
		hardConflicts: conflicts.hard,
		blocking: blockingApplications(findings),
		decisions
	};
	return { results: aggregate(input), input, findings, conflicts, counted };
}
