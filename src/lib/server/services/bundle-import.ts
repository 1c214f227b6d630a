/**
 * Imports a review bundle: upsert by id in one transaction. Every error names its JSON path;
 * when there is any error nothing is written.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db';
import * as s from '../db/schema';
import {
	DEFAULT_BATCH,
	bundleSchema,
	resolveBatch,
	zodErrors,
	type Application,
	type ApplicationInput,
	type Bundle,
	type BundleError,
	type Institution,
	type InstitutionInput,
	type RubricInput
} from '../../domain/bundle';
import { pointsProblems, rubricProblems } from '../../domain/rubric';
import { audit, type Actor } from '../audit';
import { batchFromRow } from '../queries/bundle';
import { batchById, defaultBatchRow, ID_SEPARATOR } from '../scope';
import { requireKeys } from '../keys';
import { sealIdNumber, sealPhone } from '../personal-data';
import { normalizeCode, normalizeName, normalizePhoneText } from '../../domain/normalize';

export class BundleImportError extends Error {
	constructor(public errors: BundleError[]) {
		super(errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
	}
	/** One line for the command line: the first error, and how many more. */
	get firstLine(): string {
		const e = this.errors[0];
		const more = this.errors.length > 1 ? `（另有 ${this.errors.length - 1} 处错误）` : '';
		return `${e.path}: ${e.message}${more}`;
	}
}

export type ImportCounts = {
	batch: number;
	institutions: number;
	applications: number;
	experts: number;
	rubrics: number;
	assignments: number;
	declarations: number;
	scores: number;
	decisions: number;
};

/** Parses JSON text; a syntax error becomes a BundleImportError naming the position. */
export function parseBundleText(text: string): unknown {
	try {
		return JSON.parse(text.replace(/^\uFEFF/, ''));
	} catch (e) {
		const msg = e instanceof Error ? e.message : String(e);
		throw new BundleImportError([{ path: '(根)', message: `不是有效的 JSON：${msg}` }]);
	}
}

type Rub = { id: string; type: 'training' | 'evaluation'; criteria: { id: string; name: string; maxPoints: number; guidance: string | null; objective?: boolean }[] };

/** Where a bundle goes: its own `batch.id`, else the batch asked for (`--batch`), else the default batch. */
export function importTarget(db: Db, b: Pick<Bundle, 'batch'>, batchId?: string | null): { id: string; existing: s.BatchRow | undefined } | BundleError {
	if (b.batch && batchId && b.batch.id !== batchId) {
		return { path: 'batch.id', message: `数据包属于批次 "${b.batch.id}"，与指定的批次 "${batchId}" 不一致` };
	}
	const id = b.batch?.id ?? batchId ?? defaultBatchRow(db)?.id ?? DEFAULT_BATCH.id;
	return { id, existing: batchById(db, id) };
}

/**
 * The stored ids of a bundle's own objects in the target batch. Applications and rubrics belong to
 * a batch: an id another batch already holds is stored as `id@batch` (scope.ts). Institutions are
 * shared and recognised by their credit code: a bundle's institution whose USCC is already stored
 * under another id is that institution; an id already held by an institution with another USCC is
 * a different institution, stored as `id@batch`.
 */
function mapIds(db: Db, b: Bundle, batchId: string): Bundle {
	const owned = (table: typeof s.applications | typeof s.rubrics) => (ext: string) => {
		const here = `${ext}${ID_SEPARATOR}${batchId}`;
		const row = db.select({ b: table.batchId }).from(table).where(eq(table.id, ext)).get();
		if (!row || row.b === batchId) return ext;
		return here;
	};
	const app = owned(s.applications);
	const rub = owned(s.rubrics);
	const inst = new Map<string, string>();
	for (const i of b.institutions ?? []) {
		const uscc = normalizeCode(i.uscc);
		const byId = db.select({ id: s.institutions.id, uscc: s.institutions.uscc }).from(s.institutions).where(eq(s.institutions.id, i.id)).get();
		if (uscc) {
			if (byId && (byId.uscc === uscc || !byId.uscc)) continue;
			const byUscc = db.select({ id: s.institutions.id }).from(s.institutions).where(eq(s.institutions.uscc, uscc)).get();
			if (byUscc) {
				inst.set(i.id, byUscc.id);
				continue;
			}
			if (byId) inst.set(i.id, `${i.id}${ID_SEPARATOR}${batchId}`);
		}
	}
	const I = (id: string) => inst.get(id) ?? id;
	return {
		...b,
		institutions: b.institutions?.map((i) => ({ ...i, id: I(i.id) })),
		applications: b.applications?.map((a) => ({ ...a, id: app(a.id), institutionId: I(a.institutionId) })),
		rubrics: b.rubrics?.map((r) => ({ ...r, id: rub(r.id) })),
		assignments: b.assignments?.map((x) => ({ ...x, applicationId: app(x.applicationId) })),
		declarations: b.declarations?.map((x) => ({ ...x, applicationId: app(x.applicationId) })),
		scores: b.scores?.map((x) => ({ ...x, applicationId: app(x.applicationId), ...(x.rubricId ? { rubricId: rub(x.rubricId) } : {}) })),
		decisions: b.decisions?.map((x) => ({ ...x, applicationId: app(x.applicationId) }))
	};
}

function validateReferences(db: Db, b: Bundle, batchId: string, existingBatch: s.BatchRow | undefined): BundleError[] {
	const errors: BundleError[] = [];
	const err = (path: string, message: string) => errors.push({ path, message });

	// The expert pool and the institutions are shared: only a batch's own sections are refused.
	const own = (['applications', 'rubrics', 'assignments', 'declarations', 'scores', 'decisions'] as const).filter((k) => b[k]?.length);
	if (existingBatch?.archivedAt && (b.batch || own.length)) {
		err(b.batch ? 'batch' : own[0], `批次「${existingBatch.name}」已归档，只能查看和导出，不能再导入数据`);
		return errors;
	}
	if (existingBatch?.resultsLockedAt) {
		// Every section can change the results (the formal check, the conflicts, the draw, the
		// points, the decisions), so a locked batch imports nothing.
		for (const section of ['institutions', 'applications', 'experts', 'rubrics', 'assignments', 'declarations', 'scores', 'decisions'] as const) {
			if (b[section]?.length) err(section, '评审结果已锁定，不能导入会改变结果的数据；请先由省厅重新开放结果');
		}
		if (b.batch) err('batch', '评审结果已锁定，不能修改批次设置（名额、截止日期、汇总方法等）；请先由省厅重新开放结果');
	}

	const dupes = <T>(list: T[] | undefined, section: string, key: (x: T) => string, what: string) => {
		const seen = new Map<string, number>();
		list?.forEach((x, i) => {
			const k = key(x);
			if (seen.has(k)) err(`${section}[${i}]`, `${what} "${k}" 与 ${section}[${seen.get(k)}] 重复`);
			else seen.set(k, i);
		});
	};
	dupes(b.institutions, 'institutions', (x) => x.id, 'id');
	dupes(b.applications, 'applications', (x) => x.id, 'id');
	dupes(b.experts, 'experts', (x) => x.id, 'id');
	dupes(b.rubrics, 'rubrics', (x) => x.id, 'id');
	dupes(b.assignments, 'assignments', (x) => `${x.applicationId}/${x.expertId}`, '分配');
	dupes(b.declarations, 'declarations', (x) => `${x.applicationId}/${x.expertId}`, '回避申报');
	dupes(b.scores, 'scores', (x) => `${x.applicationId}/${x.expertId}`, '评分表');
	dupes(b.decisions, 'decisions', (x) => x.applicationId, 'applicationId');

	const institutionIds = new Set(db.select({ id: s.institutions.id }).from(s.institutions).all().map((r) => r.id));
	b.institutions?.forEach((x) => institutionIds.add(x.id));
	const expertIds = new Set(db.select({ id: s.experts.id }).from(s.experts).all().map((r) => r.id));
	b.experts?.forEach((x) => expertIds.add(x.id));

	// Applications and rubrics of the target batch only: a bundle cannot refer to another batch's.
	const appTypes = new Map(
		db.select({ id: s.applications.id, type: s.applications.type }).from(s.applications).where(eq(s.applications.batchId, batchId)).all().map((r) => [r.id, r.type])
	);
	b.applications?.forEach((a, i) => {
		if (!institutionIds.has(a.institutionId)) err(`applications[${i}].institutionId`, `引用的机构 "${a.institutionId}" 不存在`);
		const old = appTypes.get(a.id);
		if (old && old !== a.type && db.select().from(s.sheets).where(eq(s.sheets.applicationId, a.id)).get()) {
			err(`applications[${i}].type`, `申报 "${a.id}" 已有评分，不能改变申报类型`);
		}
		appTypes.set(a.id, a.type);
	});

	const rubrics = new Map<string, Rub>();
	for (const r of db.select().from(s.rubrics).where(eq(s.rubrics.batchId, batchId)).all()) {
		const crit = db.select().from(s.criteria).where(eq(s.criteria.rubricId, r.id)).all().sort((a, b) => a.position - b.position);
		rubrics.set(r.id, { id: r.id, type: r.type, criteria: crit });
	}
	const frozen = new Set(
		db.select({ id: s.rubrics.id }).from(s.rubrics).where(eq(s.rubrics.batchId, batchId)).all().filter((r) =>
			db.select({ id: s.sheets.id }).from(s.sheets).where(and(eq(s.sheets.rubricId, r.id), eq(s.sheets.status, 'submitted'))).get()
		).map((r) => r.id)
	);
	b.rubrics?.forEach((r: RubricInput, i) => {
		const rub: Rub = { id: r.id, type: r.type, criteria: r.criteria.map((c) => ({ ...c, guidance: c.guidance ?? null })) };
		for (const p of rubricProblems(rub)) err(`rubrics[${i}].criteria`, p);
		const old = rubrics.get(r.id);
		if (old && old.type !== rub.type && db.select({ id: s.sheets.id }).from(s.sheets).where(eq(s.sheets.rubricId, r.id)).get()) {
			err(`rubrics[${i}].type`, `评分细则 "${r.id}" 已有评分表在使用，不能改变类型`);
		}
		if (old && frozen.has(r.id)) {
			const same =
				old.type === rub.type &&
				old.criteria.length === rub.criteria.length &&
				old.criteria.every((c, k) => {
					const n = rub.criteria[k];
					return c.id === n.id && c.name === n.name && c.maxPoints === n.maxPoints && (c.guidance ?? null) === n.guidance && !!c.objective === !!n.objective;
				});
			if (!same) err(`rubrics[${i}]`, `评分细则 "${r.id}" 已有提交的评分表，已冻结，不能修改（请新建一个版本）`);
		}
		rubrics.set(r.id, rub);
	});
	const latestRubricOfType = (type: string) => [...rubrics.values()].filter((r) => r.type === type).at(-1);

	const checkPair = (section: string, i: number, applicationId: string, expertId: string) => {
		if (!appTypes.has(applicationId)) err(`${section}[${i}].applicationId`, `引用的申报 "${applicationId}" 不存在`);
		if (!expertIds.has(expertId)) err(`${section}[${i}].expertId`, `引用的专家 "${expertId}" 不存在`);
	};
	b.assignments?.forEach((a, i) => checkPair('assignments', i, a.applicationId, a.expertId));
	b.declarations?.forEach((a, i) => checkPair('declarations', i, a.applicationId, a.expertId));
	b.decisions?.forEach((d, i) => {
		if (!appTypes.has(d.applicationId)) err(`decisions[${i}].applicationId`, `引用的申报 "${d.applicationId}" 不存在`);
	});
	b.scores?.forEach((sc, i) => {
		checkPair('scores', i, sc.applicationId, sc.expertId);
		const type = appTypes.get(sc.applicationId);
		const rub = sc.rubricId ? rubrics.get(sc.rubricId) : type ? latestRubricOfType(type) : undefined;
		if (sc.rubricId && !rub) {
			err(`scores[${i}].rubricId`, `引用的评分细则 "${sc.rubricId}" 不存在`);
			return;
		}
		if (!rub) {
			if (type) err(`scores[${i}].rubricId`, `没有适用于该申报类型的评分细则，请给出 rubricId`);
			return;
		}
		if (type && rub.type !== type) err(`scores[${i}].rubricId`, `评分细则 "${rub.id}" 的类型（${rub.type}）与申报类型（${type}）不符`);
		// A draft may hold points above a maximum the office lowered after they were given (the
		// rubric editor keeps them for the expert to correct): such a draft exports, so it imports.
		const draft = sc.status !== 'submitted';
		for (const p of pointsProblems(rub, sc.points ?? {}, { complete: !draft, aboveMaxAllowed: draft })) {
			err(`scores[${i}].points${p.criterionId ? '.' + p.criterionId : ''}`, p.message);
		}
	});
	return errors;
}

/** Validates and writes a bundle. Throws BundleImportError (nothing written) on any problem. */
/**
 * Validates and writes a bundle into its own `batch.id` (creating the batch), else into `batchId`
 * (the command line's `--batch`), else into the default batch; other batches are left untouched.
 * Throws BundleImportError (nothing written) on any problem.
 */
export function importBundle(db: Db, input: unknown, actor: Actor, opts: { batchId?: string | null } = {}): ImportCounts {
	const parsed = bundleSchema.safeParse(input);
	if (!parsed.success) throw new BundleImportError(zodErrors(parsed.error));

	return db.transaction((t) => {
		const tx = t as unknown as Db;
		const target = importTarget(tx, parsed.data, opts.batchId);
		if ('path' in target) throw new BundleImportError([target]);
		if (opts.batchId && !parsed.data.batch && !target.existing) {
			throw new BundleImportError([{ path: '--batch', message: `没有批次 "${opts.batchId}"` }]);
		}
		const b = mapIds(tx, parsed.data, target.id);
		const errors = validateReferences(tx, b, target.id, target.existing);
		if (errors.length) throw new BundleImportError(errors);
		const counts = writeBundle(tx, b, target.id);
		audit(tx, actor, 'bundle.import', 'batch', target.id, counts);
		return counts;
	});
}

function writeBundle(tx: Db, b: Bundle, targetId: string): ImportCounts {
	const counts: ImportCounts = {
		batch: 0,
		institutions: 0,
		applications: 0,
		experts: 0,
		rubrics: 0,
		assignments: 0,
		declarations: 0,
		scores: 0,
		decisions: 0
	};

	/* batch: absent keys keep the stored (or default) values */
	let batchRow = batchById(tx, targetId);
	if (b.batch) {
		const batch = resolveBatch(b.batch, batchRow ? batchFromRow(batchRow) : DEFAULT_BATCH);
		const values = {
			name: batch.name,
			deadline: batch.deadline,
			foundedOnOrBefore: batch.foundedOnOrBefore,
			minAnnualScale: batch.minAnnualScale,
			closedEvaluationOccupations: batch.closedEvaluationOccupations,
			quotas: batch.quotas,
			aggregation: batch.aggregation
		};
		tx.insert(s.batches).values({ id: batch.id, ...values }).onConflictDoUpdate({ target: s.batches.id, set: values }).run();
		counts.batch = 1;
	} else if (!batchRow && (b.applications?.length || b.rubrics?.length || b.assignments?.length || b.scores?.length)) {
		ensureBatch(tx, targetId);
	}
	batchRow = batchById(tx, targetId);
	const batchId = batchRow?.id ?? targetId;
	const stamp = new Date().toISOString();

	for (const inst of b.institutions ?? []) {
		writeInstitution(tx, inst, stamp);
		counts.institutions++;
	}

	for (const a of b.applications ?? []) {
		writeApplication(tx, a, batchId, 'submitted', stamp);
		counts.applications++;
	}

	const keys = b.experts?.length ? requireKeys(tx) : null;
	for (const e of b.experts ?? []) {
		const phone = sealPhone(keys!, normalizePhoneText(e.phone));
		const values = {
			name: normalizeName(e.name) ?? e.name,
			workUnit: e.workUnit ?? null,
			title: e.title ?? null,
			occupations: e.occupations ?? [],
			region: e.region ?? null,
			phone: phone.value,
			phoneDigest: phone.digest,
			email: e.email ?? null,
			updatedAt: stamp
		};
		tx.insert(s.experts).values({ id: e.id, ...values }).onConflictDoUpdate({ target: s.experts.id, set: values }).run();
		counts.experts++;
	}

	for (const r of b.rubrics ?? []) {
		const existing = tx.select().from(s.rubrics).where(eq(s.rubrics.id, r.id)).get();
		if (!existing) tx.insert(s.rubrics).values({ id: r.id, batchId, type: r.type }).run();
		else tx.update(s.rubrics).set({ type: r.type }).where(eq(s.rubrics.id, r.id)).run();
		const before = tx.select({ id: s.criteria.id }).from(s.criteria).where(eq(s.criteria.rubricId, r.id)).all().map((c) => c.id);
		tx.delete(s.criteria).where(eq(s.criteria.rubricId, r.id)).run();
		r.criteria.forEach((c, position) =>
			tx.insert(s.criteria)
				.values({ rubricId: r.id, id: c.id, position, name: c.name, maxPoints: c.maxPoints, guidance: c.guidance ?? null, objective: c.objective === true })
				.run()
		);
		// As the rubric editor does: draft points on criteria that were removed are dropped, and
		// those drafts get a new version (a frozen rubric cannot change, so only drafts use it).
		const removed = before.filter((id) => !r.criteria.some((c) => c.id === id));
		if (removed.length) {
			for (const d of tx.select({ id: s.sheets.id, version: s.sheets.version }).from(s.sheets).where(eq(s.sheets.rubricId, r.id)).all()) {
				const dropped = tx.delete(s.sheetPoints).where(and(eq(s.sheetPoints.sheetId, d.id), inArray(s.sheetPoints.criterionId, removed))).run().changes;
				if (dropped > 0) tx.update(s.sheets).set({ version: d.version + 1, updatedAt: stamp }).where(eq(s.sheets.id, d.id)).run();
			}
		}
		counts.rubrics++;
	}

	for (const a of b.assignments ?? []) {
		tx.insert(s.assignments).values({ applicationId: a.applicationId, expertId: a.expertId, source: 'import' }).onConflictDoNothing().run();
		counts.assignments++;
	}

	for (const d of b.declarations ?? []) {
		tx.insert(s.declarations)
			.values({ applicationId: d.applicationId, expertId: d.expertId, reason: d.reason })
			.onConflictDoUpdate({ target: [s.declarations.applicationId, s.declarations.expertId], set: { reason: d.reason } })
			.run();
		counts.declarations++;
	}

	if (b.scores?.length) {
		const rubricIds = tx.select({ id: s.rubrics.id, type: s.rubrics.type }).from(s.rubrics).where(eq(s.rubrics.batchId, batchId)).all();
		const appType = new Map(
			tx.select({ id: s.applications.id, type: s.applications.type }).from(s.applications)
				.where(inArray(s.applications.id, [...new Set(b.scores.map((x) => x.applicationId))]))
				.all()
				.map((r) => [r.id, r.type])
		);
		for (const sc of b.scores) {
			const rubricId = sc.rubricId ?? rubricIds.filter((r) => r.type === appType.get(sc.applicationId)).at(-1)!.id;
			const values = {
				rubricId,
				status: sc.status,
				comment: sc.comment ?? null,
				explanation: sc.explanation ?? null,
				submittedAt: sc.status === 'submitted' ? stamp : null,
				updatedAt: stamp
			};
			const existing = tx.select().from(s.sheets)
				.where(and(eq(s.sheets.applicationId, sc.applicationId), eq(s.sheets.expertId, sc.expertId)))
				.get();
			let sheetId: number;
			if (existing) {
				tx.update(s.sheets).set({ ...values, version: existing.version + 1 }).where(eq(s.sheets.id, existing.id)).run();
				sheetId = existing.id;
				tx.delete(s.sheetPoints).where(eq(s.sheetPoints.sheetId, sheetId)).run();
			} else {
				sheetId = tx.insert(s.sheets).values({ applicationId: sc.applicationId, expertId: sc.expertId, ...values }).returning({ id: s.sheets.id }).get().id;
			}
			Object.entries(sc.points ?? {}).forEach(([criterionId, points], position) =>
				tx.insert(s.sheetPoints).values({ sheetId, criterionId, position, points }).run()
			);
			counts.scores++;
		}
	}

	for (const d of b.decisions ?? []) {
		tx.insert(s.decisions)
			.values({ applicationId: d.applicationId, decision: d.decision, reason: d.reason ?? null })
			.onConflictDoUpdate({ target: s.decisions.applicationId, set: { decision: d.decision, reason: d.reason ?? null, at: stamp } })
			.run();
		counts.decisions++;
	}
	return counts;
}

/** Institution as the bundle gives it (every optional key may be missing) or as the domain resolves it. */
export type InstitutionData = InstitutionInput | Institution;
/** Application as the bundle gives it or as the domain resolves it. */
export type ApplicationData = ApplicationInput | Application;

/**
 * Upserts one institution by id with its tax rows (replaced), exactly as a bundle import stores it.
 * The one row mapping of institutions: the import and the application service both write through here.
 */
export function writeInstitution(tx: Db, inst: InstitutionData, stamp = new Date().toISOString()): void {
	// Stored as normalized (domain/normalize.ts): the same value whichever path it came in by.
	const idNumber = sealIdNumber(requireKeys(tx), normalizeCode(inst.legalRep?.idNumber));
	const values = {
		name: inst.name.trim(),
		uscc: normalizeCode(inst.uscc),
		hasLegalRep: inst.legalRep != null,
		legalRepName: normalizeName(inst.legalRep?.name),
		legalRepIdNumber: idNumber.value,
		legalRepIdDigest: idNumber.digest,
		address: inst.address ?? null,
		unitType: inst.unitType ?? null,
		industry: inst.industry ?? null,
		registeredCapital: inst.registeredCapital ?? null,
		employees: inst.employees ?? null,
		founded: inst.founded ?? null,
		hasBases: inst.bases != null,
		baseNationalCE: inst.bases?.nationalCE ?? null,
		baseIndustryCE: inst.bases?.industryCE ?? null,
		baseProvincialCE: inst.bases?.provincialCE ?? null,
		baseStandardDeveloper: inst.bases?.standardDeveloper ?? null,
		updatedAt: stamp
	};
	tx.insert(s.institutions).values({ id: inst.id, ...values }).onConflictDoUpdate({ target: s.institutions.id, set: values }).run();
	tx.delete(s.institutionTaxes).where(eq(s.institutionTaxes.institutionId, inst.id)).run();
	(inst.taxes ?? []).forEach((t, position) =>
		tx.insert(s.institutionTaxes)
			.values({ institutionId: inst.id, position, year: t.year, amount: t.amount ?? null, dishonest: t.dishonest ?? null })
			.run()
	);
}

/**
 * Upserts one application by id with its child rows (replaced), exactly as a bundle import stores it.
 * `status` is the status of a new row (`submitted` rows get `submittedAt`); an existing row keeps its
 * status, which only the workflow of services/applications.ts changes. Bumps `version` on update.
 */
export function writeApplication(
	tx: Db,
	a: ApplicationData,
	batchId: string,
	status: s.ApplicationStatus,
	stamp = new Date().toISOString()
): void {
	const keys = requireKeys(tx);
	const leadPhone = sealPhone(keys, normalizePhoneText(a.lead?.phone));
	const contactPhone = sealPhone(keys, normalizePhoneText(a.contact?.phone));
	const values = {
		batchId,
		institutionId: a.institutionId,
		type: a.type,
		occupation: a.occupation,
		region: a.region,
		levels: a.levels ?? [],
		hasLead: a.lead != null,
		leadName: normalizeName(a.lead?.name),
		leadTitle: a.lead?.title ?? null,
		leadPhone: leadPhone.value,
		leadPhoneDigest: leadPhone.digest,
		leadEmail: a.lead?.email ?? null,
		hasContact: a.contact != null,
		contactName: normalizeName(a.contact?.name),
		contactTitle: a.contact?.title ?? null,
		contactPhone: contactPhone.value,
		contactPhoneDigest: contactPhone.digest,
		contactEmail: a.contact?.email ?? null,
		overview: a.overview ?? null,
		platform: a.platform ?? null,
		pastWork: a.pastWork ?? null,
		teamMechanism: a.teamMechanism ?? null,
		plan: a.plan ?? null,
		conductsEvaluation: a.conductsEvaluation ?? null,
		issuesCertificates: a.issuesCertificates ?? null,
		certificateCategory: a.certificateCategory ?? null,
		hasTeam: a.team != null,
		teamTotal: a.team?.total ?? null,
		teamFullTime: a.team?.fullTime ?? null,
		teamPartTime: a.team?.partTime ?? null,
		teamAssessors: a.team?.assessors ?? null,
		teamSupervisors: a.team?.supervisors ?? null,
		hasPlanned: a.planned != null,
		plannedJunior: a.planned?.junior ?? null,
		plannedIntermediate: a.planned?.intermediate ?? null,
		plannedSenior: a.planned?.senior ?? null,
		hasFees: a.fees != null,
		feeJunior: a.fees?.junior ?? null,
		feeIntermediate: a.fees?.intermediate ?? null,
		feeSenior: a.fees?.senior ?? null,
		hasAttachments: a.attachments != null,
		attRegistrationCertificate: a.attachments?.registrationCertificate ?? null,
		attCreditReport: a.attachments?.creditReport ?? null,
		attIntegrityCommitment: a.attachments?.integrityCommitment ?? null,
		hasRecommendation: a.recommendation != null,
		recommendationReason: a.recommendation?.reason ?? null,
		recommendationUnit: a.recommendation?.unit ?? null,
		recommendationDate: a.recommendation?.date ?? null,
		updatedAt: stamp
	};
	tx.insert(s.applications)
		.values({ id: a.id, ...values, status, submittedAt: status === 'submitted' ? stamp : null })
		.onConflictDoUpdate({
			target: s.applications.id,
			set: { ...values, version: sqlIncrement() }
		})
		.run();
	for (const t of [s.trainingYears, s.evaluationYears, s.venues, s.people]) {
		tx.delete(t).where(eq(t.applicationId, a.id)).run();
	}
	(a.trainingYears ?? []).forEach((y, position) =>
		tx.insert(s.trainingYears)
			.values({ applicationId: a.id, position, year: y.year, total: y.total ?? null, independent: y.independent ?? null, cooperative: y.cooperative ?? null })
			.run()
	);
	(a.evaluationYears ?? []).forEach((y, position) =>
		tx.insert(s.evaluationYears)
			.values({ applicationId: a.id, position, year: y.year, certificate: y.certificate ?? null, own: y.own ?? null, issued: y.issued ?? null })
			.run()
	);
	(a.venues ?? []).forEach((v, position) =>
		tx.insert(s.venues)
			.values({
				applicationId: a.id,
				position,
				address: v.address ?? null,
				area: v.area ?? null,
				capacity: v.capacity ?? null,
				equipmentSets: v.equipmentSets ?? null,
				equipmentValue: v.equipmentValue ?? null
			})
			.run()
	);
	(a.people ?? []).forEach((p, position) => {
		const phone = sealPhone(keys, normalizePhoneText(p.phone));
		tx.insert(s.people)
			.values({
				applicationId: a.id,
				position,
				role: p.role,
				name: normalizeName(p.name) ?? p.name,
				workUnit: p.workUnit ?? null,
				title: p.title ?? null,
				specialty: p.specialty ?? null,
				fullTime: p.fullTime ?? null,
				phone: phone.value,
				phoneDigest: phone.digest
			})
			.run();
	});
}

/** The batch `id` (by default the default batch), created with the notice defaults when there is none. */
export function ensureBatch(tx: Db, id?: string): s.BatchRow {
	const existing = id ? batchById(tx, id) : defaultBatchRow(tx);
	if (existing) return existing;
	const d = DEFAULT_BATCH;
	const newId = id ?? d.id;
	tx.insert(s.batches)
		.values({
			id: newId,
			name: newId === d.id ? d.name : newId,
			deadline: d.deadline,
			foundedOnOrBefore: d.foundedOnOrBefore,
			minAnnualScale: d.minAnnualScale,
			closedEvaluationOccupations: d.closedEvaluationOccupations,
			quotas: d.quotas,
			aggregation: d.aggregation
		})
		.run();
	return batchById(tx, newId)!;
}

function sqlIncrement() {
	return sql`${s.applications.version} + 1`;
}
