/**
 * Reads the database as a review bundle (docs/bundle.md). The same loader feeds export and every
 * computation over the whole batch (formal check, conflicts, draw, results).
 */
import { asc, eq, inArray, sql, type AnyColumn } from 'drizzle-orm';
import type { Db } from '../db';
import { prepared } from '../db/prepared';
import * as s from '../db/schema';
import {
	BUNDLE_FORMAT,
	BUNDLE_VERSION,
	type Application,
	type Batch,
	type Expert,
	type FullBundle,
	type Institution,
	type Rubric,
	type Score
} from '../../domain/bundle';
import { opener } from '../personal-data';
import { externalId } from '../scope';

/** Decrypts a stored personal value (ID number, phone): see personal-data.ts. */
export type Open = (stored: string | null | undefined) => string | null;

type Q = Pick<Db, 'select'>;

function groupBy<T, K>(rows: T[], key: (r: T) => K): Map<K, T[]> {
	const m = new Map<K, T[]>();
	for (const r of rows) {
		const k = key(r);
		const list = m.get(k);
		if (list) list.push(r);
		else m.set(k, [r]);
	}
	return m;
}

const byPosition = <T extends { position: number }>(a: T, b: T) => a.position - b.position;
const rowid = sql`rowid`;

export function batchFromRow(b: s.BatchRow): Batch {
	return {
		id: b.id,
		name: b.name,
		deadline: b.deadline,
		foundedOnOrBefore: b.foundedOnOrBefore,
		minAnnualScale: b.minAnnualScale,
		closedEvaluationOccupations: b.closedEvaluationOccupations,
		quotas: b.quotas,
		aggregation: b.aggregation
	};
}

/** A scope over a read handle (the database or a transaction). */
type Scope = { db: Q; batch: s.BatchRow };

/** Up to this many ids, loadInstitutions reads only their rows (else the whole table, filtered). */
const FEW_IDS = 200;

export function loadInstitutions(db: Q, ids?: Set<string>): Institution[] {
	// A few ids (one application's institution on every guarded request): read only their rows,
	// in the same (rowid) order as the whole table.
	const few = ids !== undefined && ids.size <= FEW_IDS;
	const list = few ? [...ids] : [];
	// One id (a guarded request): prepared queries.
	const one = few && list.length === 1 ? { id: list[0] } : null;
	let rows = one
		? prepared(db, 'bundle.institution', (d) =>
				d.select().from(s.institutions).where(eq(s.institutions.id, sql.placeholder('id'))).orderBy(asc(rowid)).prepare()
			).all(one)
		: few
			? list.length
				? db.select().from(s.institutions).where(inArray(s.institutions.id, list)).orderBy(asc(rowid)).all()
				: []
			: db.select().from(s.institutions).orderBy(asc(rowid)).all();
	if (ids && !few) rows = rows.filter((r) => ids.has(r.id));
	const taxRows = one
		? prepared(db, 'bundle.institutionTaxes', (d) =>
				d.select().from(s.institutionTaxes).where(eq(s.institutionTaxes.institutionId, sql.placeholder('id'))).orderBy(asc(rowid)).prepare()
			).all(one)
		: few
			? list.length
				? db.select().from(s.institutionTaxes).where(inArray(s.institutionTaxes.institutionId, list)).orderBy(asc(rowid)).all()
				: []
			: db.select().from(s.institutionTaxes).all();
	const taxes = groupBy(taxRows, (t) => t.institutionId);
	const open = opener(db);
	return rows.map((r) => ({
		id: r.id,
		name: r.name,
		uscc: r.uscc,
		legalRep: r.hasLegalRep ? { name: r.legalRepName, idNumber: open(r.legalRepIdNumber) } : null,
		address: r.address,
		unitType: r.unitType,
		industry: r.industry,
		registeredCapital: r.registeredCapital,
		employees: r.employees,
		founded: r.founded,
		taxes: (taxes.get(r.id) ?? []).sort(byPosition).map((t) => ({ year: t.year, amount: t.amount, dishonest: t.dishonest })),
		bases: r.hasBases
			? {
					nationalCE: r.baseNationalCE,
					industryCE: r.baseIndustryCE,
					provincialCE: r.baseProvincialCE,
					standardDeveloper: r.baseStandardDeveloper
				}
			: null
	}));
}

export function applicationFromRows(
	r: s.ApplicationRow,
	children: {
		trainingYears: (typeof s.trainingYears.$inferSelect)[];
		evaluationYears: (typeof s.evaluationYears.$inferSelect)[];
		venues: (typeof s.venues.$inferSelect)[];
		people: (typeof s.people.$inferSelect)[];
	},
	open: Open
): Application {
	return {
		id: r.id,
		institutionId: r.institutionId,
		type: r.type,
		occupation: r.occupation,
		levels: r.levels,
		region: r.region,
		lead: r.hasLead ? { name: r.leadName, title: r.leadTitle, phone: open(r.leadPhone), email: r.leadEmail } : null,
		contact: r.hasContact
			? { name: r.contactName, title: r.contactTitle, phone: open(r.contactPhone), email: r.contactEmail }
			: null,
		overview: r.overview,
		platform: r.platform,
		pastWork: r.pastWork,
		teamMechanism: r.teamMechanism,
		plan: r.plan,
		trainingYears: [...children.trainingYears]
			.sort(byPosition)
			.map((y) => ({ year: y.year, total: y.total, independent: y.independent, cooperative: y.cooperative })),
		evaluationYears: [...children.evaluationYears]
			.sort(byPosition)
			.map((y) => ({ year: y.year, certificate: y.certificate, own: y.own, issued: y.issued })),
		conductsEvaluation: r.conductsEvaluation,
		issuesCertificates: r.issuesCertificates,
		certificateCategory: r.certificateCategory,
		venues: [...children.venues].sort(byPosition).map((v) => ({
			address: v.address,
			area: v.area,
			capacity: v.capacity,
			equipmentSets: v.equipmentSets,
			equipmentValue: v.equipmentValue
		})),
		team: r.hasTeam
			? {
					total: r.teamTotal,
					fullTime: r.teamFullTime,
					partTime: r.teamPartTime,
					assessors: r.teamAssessors,
					supervisors: r.teamSupervisors
				}
			: null,
		people: [...children.people].sort(byPosition).map((p) => ({
			role: p.role,
			name: p.name,
			workUnit: p.workUnit,
			title: p.title,
			specialty: p.specialty,
			fullTime: p.fullTime,
			phone: open(p.phone)
		})),
		planned: r.hasPlanned
			? { junior: r.plannedJunior, intermediate: r.plannedIntermediate, senior: r.plannedSenior }
			: null,
		fees: r.hasFees ? { junior: r.feeJunior, intermediate: r.feeIntermediate, senior: r.feeSenior } : null,
		attachments: r.hasAttachments
			? {
					registrationCertificate: r.attRegistrationCertificate,
					creditReport: r.attCreditReport,
					integrityCommitment: r.attIntegrityCommitment
				}
			: null,
		recommendation: r.hasRecommendation
			? { reason: r.recommendationReason, unit: r.recommendationUnit, date: r.recommendationDate }
			: null
	};
}

/** Applications with all their rows; `filter` narrows the application rows first. */
export function loadApplications({ db, batch }: Scope, filter?: (r: s.ApplicationRow) => boolean): { row: s.ApplicationRow; app: Application }[] {
	let rows = db.select().from(s.applications).where(eq(s.applications.batchId, batch.id)).orderBy(asc(rowid)).all();
	if (filter) rows = rows.filter(filter);
	const wanted = new Set(rows.map((r) => r.id));
	const pick = <T extends { applicationId: string }>(list: T[]) =>
		groupBy(list.filter((x) => wanted.has(x.applicationId)), (x) => x.applicationId);
	const ty = pick(db.select().from(s.trainingYears).all());
	const ey = pick(db.select().from(s.evaluationYears).all());
	const ve = pick(db.select().from(s.venues).all());
	const pe = pick(db.select().from(s.people).all());
	const open = opener(db);
	return rows.map((row) => ({
		row,
		app: applicationFromRows(
			row,
			{
				trainingYears: ty.get(row.id) ?? [],
				evaluationYears: ey.get(row.id) ?? [],
				venues: ve.get(row.id) ?? [],
				people: pe.get(row.id) ?? []
			},
			open
		)
	}));
}

/**
 * One application with all its rows: the same as `loadApplications(db, (r) => r.id === id)[0]`, but
 * reading only its own rows (guards call this on every request of an expert).
 */
export function loadApplicationById(db: Q, id: string): { row: s.ApplicationRow; app: Application } | undefined {
	// Read on guarded requests (conflicts of a pair, the scoring page): prepared queries.
	const p = { id };
	const row = prepared(db, 'bundle.application', (d) => d.select().from(s.applications).where(eq(s.applications.id, sql.placeholder('id'))).prepare()).get(p);
	if (!row) return undefined;
	return {
		row,
		app: applicationFromRows(row, {
			trainingYears: prepared(db, 'bundle.trainingYears', (d) =>
				d.select().from(s.trainingYears).where(eq(s.trainingYears.applicationId, sql.placeholder('id'))).orderBy(asc(rowid)).prepare()
			).all(p),
			evaluationYears: prepared(db, 'bundle.evaluationYears', (d) =>
				d.select().from(s.evaluationYears).where(eq(s.evaluationYears.applicationId, sql.placeholder('id'))).orderBy(asc(rowid)).prepare()
			).all(p),
			venues: prepared(db, 'bundle.venues', (d) => d.select().from(s.venues).where(eq(s.venues.applicationId, sql.placeholder('id'))).orderBy(asc(rowid)).prepare()).all(p),
			people: prepared(db, 'bundle.people', (d) => d.select().from(s.people).where(eq(s.people.applicationId, sql.placeholder('id'))).orderBy(asc(rowid)).prepare()).all(p)
		}, opener(db))
	};
}

export function expertFromRow(e: s.ExpertRow, open: Open): Expert {
	return {
		id: e.id,
		name: e.name,
		workUnit: e.workUnit,
		title: e.title,
		occupations: e.occupations,
		region: e.region,
		phone: open(e.phone),
		email: e.email
	};
}

export function loadExperts(db: Q): Expert[] {
	const open = opener(db);
	return db.select().from(s.experts).orderBy(asc(rowid)).all().map((e) => expertFromRow(e, open));
}

export function loadRubrics({ db, batch }: Scope): Rubric[] {
	const rows = db.select().from(s.rubrics).where(eq(s.rubrics.batchId, batch.id)).orderBy(asc(rowid)).all();
	const crit = groupBy(db.select().from(s.criteria).all(), (c) => c.rubricId);
	return rows.map((r) => ({
		id: r.id,
		type: r.type,
		criteria: (crit.get(r.id) ?? [])
			.sort(byPosition)
			.map((c) => ({ id: c.id, name: c.name, maxPoints: c.maxPoints, guidance: c.guidance, ...(c.objective ? { objective: true as const } : {}) }))
	}));
}

type SheetLine = { id: number; application_id: string; expert_id: string; rubric_id: string; status: Score['status']; comment: string | null; explanation: string | null; points_gen: number };
type PointLine = { sheet_id: number; criterion_id: string; points: number };

/**
 * The points of each sheet, per connection, with the sheet's `points_gen` when they were read
 * (a trigger bumps it on every write of the sheet's points): the dashboard and the results re-read
 * only the points of sheets that changed. Inside a transaction everything is read afresh.
 */
const pointsCache = new WeakMap<object, Map<number, { gen: number; points: Record<string, number> }>>();

const allPoints = (db: Pick<Db, 'all'>) => db.all<PointLine>(sql`SELECT sheet_id, criterion_id, points FROM sheet_points ORDER BY sheet_id, position`);

function pointsBySheet(pts: PointLine[]): Map<number, Record<string, number>> {
	const out = new Map<number, Record<string, number>>();
	for (const p of pts) {
		let m = out.get(p.sheet_id);
		if (!m) out.set(p.sheet_id, (m = {}));
		m[p.criterion_id] = p.points;
	}
	return out;
}

export function loadScores({ db, batch }: { db: Pick<Db, 'select' | 'all'>; batch: s.BatchRow }): Score[] {
	// Only the columns a score needs, without drizzle's row mapping: the dashboard and the results
	// read every sheet of the batch on each view.
	const rows = db.all<SheetLine>(
		sql`SELECT id, application_id, expert_id, rubric_id, status, comment, explanation, points_gen FROM score_sheets WHERE application_id IN (SELECT id FROM applications WHERE batch_id = ${batch.id}) ORDER BY id`
	);
	// Inside a transaction the counters may still roll back: read everything, cache nothing.
	const client = (db as { $client?: { inTransaction?: boolean } }).$client;
	let points: (id: number) => Record<string, number>;
	if (!client || client.inTransaction) {
		const all = pointsBySheet(allPoints(db));
		points = (id) => all.get(id) ?? {};
	} else {
		let cache = pointsCache.get(client);
		if (!cache) pointsCache.set(client, (cache = new Map()));
		const stale = rows.filter((r) => cache!.get(r.id)?.gen !== r.points_gen);
		if (stale.length) {
			// Many stale sheets: one pass over all points; a few: only theirs.
			const fresh = pointsBySheet(
				stale.length > 200
					? allPoints(db)
					: db.all<PointLine>(
							sql`SELECT sheet_id, criterion_id, points FROM sheet_points WHERE sheet_id IN (SELECT value FROM json_each(${JSON.stringify(stale.map((r) => r.id))})) ORDER BY sheet_id, position`
						)
			);
			for (const r of stale) cache.set(r.id, { gen: r.points_gen, points: fresh.get(r.id) ?? {} });
		}
		if (cache.size > 4 * rows.length + 1000) {
			// Sheets of every batch share the cache: drop the deleted ones now and then.
			const live = new Set(db.all<{ id: number }>(sql`SELECT id FROM score_sheets`).map((r) => r.id));
			for (const id of cache.keys()) if (!live.has(id)) cache.delete(id);
		}
		points = (id) => ({ ...cache!.get(id)!.points });
	}
	return rows.map((r) => ({
		applicationId: r.application_id,
		expertId: r.expert_id,
		rubricId: r.rubric_id,
		status: r.status,
		points: points(r.id),
		comment: r.comment,
		explanation: r.explanation
	}));
}

/**
 * One batch as a bundle, every key present, in a stable order (insertion order): the batch, its
 * applications, rubrics, assignments, declarations, scores and decisions; the institutions its
 * applications refer to (and those no batch refers to yet); the whole expert pool, which every
 * batch draws from. Ids are the ones the bundle gave (see `externalId`).
 */
export function exportBundle(scope: { db: Db; batch: s.BatchRow }): FullBundle {
	return scope.db.transaction((tx) => {
		const batchRow = tx.select().from(s.batches).where(eq(s.batches.id, scope.batch.id)).get() ?? scope.batch;
		const sc = { db: tx, batch: batchRow };
		const bid = batchRow.id;
		const ext = (id: string) => externalId(id, bid);
		const applications = loadApplications(sc);
		const used = new Set(applications.map((a) => a.app.institutionId));
		const elsewhere = new Set(tx.select({ i: s.applications.institutionId }).from(s.applications).all().map((r) => r.i));
		const appCol = (col: AnyColumn) => sql`${col} IN (SELECT id FROM applications WHERE batch_id = ${bid})`;
		const out: FullBundle = {
			format: BUNDLE_FORMAT,
			version: BUNDLE_VERSION,
			batch: batchFromRow(batchRow),
			institutions: loadInstitutions(tx).filter((i) => used.has(i.id) || !elsewhere.has(i.id)),
			applications: applications.map((a) => ({ ...a.app, id: ext(a.app.id) })),
			experts: loadExperts(tx),
			rubrics: loadRubrics(sc).map((r) => ({ ...r, id: ext(r.id) })),
			assignments: tx
				.select({ applicationId: s.assignments.applicationId, expertId: s.assignments.expertId })
				.from(s.assignments)
				.where(appCol(s.assignments.applicationId))
				.orderBy(asc(rowid))
				.all()
				.map((r) => ({ ...r, applicationId: ext(r.applicationId) })),
			declarations: tx
				.select({
					applicationId: s.declarations.applicationId,
					expertId: s.declarations.expertId,
					reason: s.declarations.reason
				})
				.from(s.declarations)
				.where(appCol(s.declarations.applicationId))
				.orderBy(asc(rowid))
				.all()
				.map((r) => ({ ...r, applicationId: ext(r.applicationId) })),
			scores: loadScores(sc).map((r) => ({ ...r, applicationId: ext(r.applicationId), rubricId: ext(r.rubricId) })),
			decisions: tx
				.select({ applicationId: s.decisions.applicationId, decision: s.decisions.decision, reason: s.decisions.reason })
				.from(s.decisions)
				.where(appCol(s.decisions.applicationId))
				.orderBy(asc(rowid))
				.all()
				.map((r) => ({ ...r, applicationId: ext(r.applicationId) }))
		};
		return out;
	});
}
