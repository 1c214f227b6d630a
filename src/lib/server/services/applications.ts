/**
 * The write side of intake (issue 3): a city creates and saves drafts of Annex 1 / Annex 2 forms,
 * attaches the materials and submits its recommendations (completeness, closed occupations and the
 * quota of the cell checked at submission); the office returns, accepts, and overrides blocking
 * findings with a written reason. Every change is one transaction with its audit entry; a failed
 * request writes nothing. Institutions and applications are stored exactly as a bundle import
 * stores them (writeInstitution / writeApplication of bundle-import.ts).
 */
import { Refusal } from '../refusal';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Db } from '../db';
import * as s from '../db/schema';
import type { SessionUser } from '../auth';
import { audit, type Actor } from '../audit';
import { noteDenial } from '../denials';
import { NOT_FOUND_APPLICATION, NOT_FOUND_ATTACHMENT } from '../not-found';
import { batchFromRow, loadApplicationById, loadInstitutions } from '../queries/bundle';
import { batchById, requirePhase, type BatchScope } from '../scope';
import { canChangeScores, canWrite } from '../../domain/phases';
import { listApplications, type ApplicationListRow } from '../queries/applications';
import { writeApplication, writeInstitution } from './bundle-import';
import { RECOMMENDED_STATUSES, blockingApplications, computeFindings } from './batch-state';
import { MAX_UPLOAD_BYTES, blobPath, filesDir, safeFilename, sniffMime, storeBlob } from '../files';
import {
	ATTACHMENT_LABELS,
	draftApplication,
	draftInstitution,
	draftWarnings,
	formLabels,
	formValuesFrom,
	keepStoredPhones,
	keptIdNumber,
	maskedFields,
	withoutMasked,
	parseDraft,
	submissionProblems,
	type Draft,
	type FieldErrors,
	type MaterialsOnFile,
	type Problem
} from '../../domain/application-form';
import { DEFAULT_BATCH, quotaFor, type Application, type Batch, type Institution } from '../../domain/bundle';
import { checkApplication, findingSeverity, isFindingCode, type Finding, type FindingCode } from '../../domain/formal-check';
import { ID_PROBLEM_TEXT, USCC_PROBLEM_TEXT, idNumberProblem, isValidUscc, maskIdNumber, maskPhone, usccProblem } from '../../domain/identifiers';
import { occupationLabel } from '../../domain/occupations';
import { canEditApplication, canViewApplication, type Principal } from '../../domain/permissions';
import { regionLabel, regionUnit } from '../../domain/regions';
import { APPLICATION_TYPES, labelOf, type ApplicationType } from '../../domain/vocabulary';
import { applicationsByPerson } from '../queries/personal-search';
import { beijingDate } from '../../domain/time';

type User = Pick<SessionUser, 'id' | 'username' | 'role' | 'region' | 'expertId'>;

/** A refused request: `message` for the page, `errors` keyed by form field. Nothing was written. */
export class ApplicationError extends Refusal {
	constructor(message: string, errors: FieldErrors = {}, status: 400 | 403 | 404 | 409 | 413 = 400) {
		super(message, status, errors);
	}
}

const NOT_FOUND = NOT_FOUND_APPLICATION;

const actorOf = (u: User): Actor => ({ userId: u.id, name: u.username });
const principalOf = (u: User): Principal => ({ id: u.id, role: u.role, region: u.region, expertId: u.expertId });

/** Today in China (the recommendation date of the form). */
export function chinaToday(now = new Date()): string {
	return beijingDate(now);
}

const newId = (prefix: string) => `${prefix}-${randomBytes(6).toString('hex')}`;

/** The batch an application belongs to, as its row and as the domain's settings. */
function batchOf(tx: Db, batchId: string): { row: s.BatchRow; batch: Batch } {
	const row = batchById(tx, batchId);
	if (!row) throw new ApplicationError(`没有批次 ${batchId}`, {}, 404);
	return { row, batch: batchFromRow(row) };
}

/** Refuses any write to an application of an archived batch. */
function requireWritable(tx: Db, batchId: string): void {
	requirePhase(tx, { batch: batchOf(tx, batchId).row }, canWrite, '');
}

/** The year of the batch (the year of its deadline), for the form's tax years and five years of figures. */
export function batchYear(batch: Pick<Batch, 'deadline'>): number {
	return batch.deadline ? Number(batch.deadline.slice(0, 4)) : new Date().getFullYear();
}

const typeLabel = (type: ApplicationType) => labelOf(APPLICATION_TYPES, type);

/** “鞍山 · 人工智能工程技术人员 · 培训机构” */
export function cellLabel(region: string, occupation: string, type: ApplicationType): string {
	return `${regionLabel(region)} · ${occupationLabel(occupation)} · ${typeLabel(type)}`;
}

/* ---------- reading ---------- */

type Loaded = { row: s.ApplicationRow; app: Application; institution: Institution };

function load(tx: Db, id: string): Loaded | null {
	const found = loadApplicationById(tx, id);
	if (!found) return null;
	const institution = loadInstitutions(tx, new Set([found.app.institutionId]))[0];
	return { ...found, institution };
}

/** Loads an application the user may see; 404 (as an ApplicationError) otherwise, so ids cannot be probed. */
function loadVisible(tx: Db, user: User, id: string): Loaded {
	const found = typeof id === 'string' && /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,120}$/.test(id) ? load(tx, id) : null;
	if (!found) throw new ApplicationError(NOT_FOUND, {}, 404);
	const ref = { id, region: found.row.region, status: found.row.status };
	if (user.role === 'expert' || !canViewApplication(principalOf(user), ref)) {
		noteDenial({ status: 404, entity: 'application', entityId: id, reason: 'not-visible' });
		throw new ApplicationError(NOT_FOUND, {}, 404);
	}
	return found;
}

function loadEditable(tx: Db, user: User, id: string): Loaded {
	const found = loadVisible(tx, user, id);
	requireWritable(tx, found.row.batchId);
	if (!canEditApplication(principalOf(user), { id, region: found.row.region, status: found.row.status })) {
		throw new ApplicationError(
			found.row.status === 'accepted'
				? '该申报已由省厅受理，不能修改'
				: '该申报已提交推荐，不能修改；如需修改，请联系省厅人才开发处退回',
			{},
			409
		);
	}
	return found;
}

function requireCity(user: User): string {
	if (user.role !== 'city' || !user.region) throw new ApplicationError('只有市局（推荐单位）账号可以填写和提交申报', {}, 403);
	return user.region;
}

function requireOffice(user: User): void {
	if (user.role !== 'office') throw new ApplicationError('只有省厅人才开发处可以进行此操作', {}, 403);
}

/** Recommended applications in one quota cell (region × occupation × type), leaving out `except`. */
export function recommendedInCell(
	tx: Pick<Db, 'select'>,
	cell: { batchId: string; region: string; occupation: string; type: ApplicationType },
	except?: string
): number {
	const where = [
		eq(s.applications.batchId, cell.batchId),
		eq(s.applications.region, cell.region),
		eq(s.applications.occupation, cell.occupation),
		eq(s.applications.type, cell.type),
		inArray(s.applications.status, [...RECOMMENDED_STATUSES])
	];
	if (except) where.push(ne(s.applications.id, except));
	return tx.select({ n: sql<number>`count(*)` }).from(s.applications).where(and(...where)).get()?.n ?? 0;
}

/** Institutions the city may pick: those with an application in its region. */
export function regionInstitutions(db: Pick<Db, 'select'>, region: string): { id: string; name: string; uscc: string | null }[] {
	const ids = new Set(
		db.select({ id: s.applications.institutionId }).from(s.applications).where(eq(s.applications.region, region)).all().map((r) => r.id)
	);
	if (ids.size === 0) return [];
	return db
		.select({ id: s.institutions.id, name: s.institutions.name, uscc: s.institutions.uscc })
		.from(s.institutions)
		.where(inArray(s.institutions.id, [...ids]))
		.orderBy(asc(s.institutions.name))
		.all();
}

/** An institution of the city's region, for pre-filling a new form (ID number masked). */
export function regionInstitution(db: Db, region: string, pick: { id?: string | null; uscc?: string | null }): Institution | null {
	const list = regionInstitutions(db, region);
	const uscc = pick.uscc?.replace(/\s/g, '').toUpperCase();
	const hit = list.find((i) => (pick.id && i.id === pick.id) || (uscc && i.uscc === uscc));
	if (!hit) return null;
	const inst = loadInstitutions(db, new Set([hit.id]))[0];
	return { ...inst, legalRep: inst.legalRep ? { ...inst.legalRep, idNumber: maskIdNumber(inst.legalRep.idNumber) } : null };
}

/* ---------- drafts ---------- */

function sameInstitution(a: Institution, b: Institution): boolean {
	return JSON.stringify({ ...a, id: '' }) === JSON.stringify({ ...b, id: '' });
}

/**
 * The institution row a draft writes to. A picked or current institution is reused, unless another
 * application the city may not change (submitted, accepted, or of another region) shares it and the
 * draft changes its data: then the draft gets its own copy, so a submitted form never changes under
 * the office's eyes.
 */
function resolveInstitution(
	tx: Db,
	region: string,
	draft: Draft,
	current: { applicationId: string; institutionId: string } | null
): { id: string; stored: Institution | null } {
	const wanted = draft.inst.id ?? current?.institutionId ?? null;
	if (wanted && wanted !== current?.institutionId && !regionInstitutions(tx, region).some((i) => i.id === wanted)) {
		throw new ApplicationError('所选单位不属于本地区', { 'inst.id': '所选单位不属于本地区的申报单位，请重新选择或填写新单位' });
	}
	const stored = wanted ? (loadInstitutions(tx, new Set([wanted]))[0] ?? null) : null;
	if (stored) {
		const others = tx
			.select({ id: s.applications.id, region: s.applications.region, status: s.applications.status })
			.from(s.applications)
			.where(eq(s.applications.institutionId, stored.id))
			.all()
			.filter((r) => r.id !== current?.applicationId);
		const locked = others.some((r) => r.region !== region || (r.status !== 'draft' && r.status !== 'returned'));
		const next = draftInstitution(draft, stored.id, keptIdNumber(draft, stored));
		if (!locked || sameInstitution(next, stored)) return { id: stored.id, stored };
		return { id: freshInstitutionId(tx, draft.inst.uscc), stored };
	}
	return { id: freshInstitutionId(tx, draft.inst.uscc), stored: null };
}

function freshInstitutionId(tx: Db, uscc: string | null): string {
	if (uscc && isValidUscc(uscc)) {
		const id = `inst-${uscc}`;
		if (!tx.select({ id: s.institutions.id }).from(s.institutions).where(eq(s.institutions.id, id)).get()) return id;
	}
	return newId('inst');
}

/** The common checks of creating and saving a draft; returns the parsed draft or throws. */
function parseForSave(type: ApplicationType, values: unknown, batch: Batch, occupationFallback: string | null): { draft: Draft; occupation: string } {
	const parsed = parseDraft(type, values);
	if (!parsed.ok) throw new ApplicationError('有内容格式不正确，未保存；请按提示修改', parsed.errors);
	const L = formLabels(type);
	const draft = parsed.draft;
	const errors: FieldErrors = {};
	const occupation = draft.occupation ?? occupationFallback;
	if (!occupation) errors.occupation = `请选择「${L.occupation}」`;
	else if (type === 'evaluation' && batch.closedEvaluationOccupations.includes(occupation)) {
		errors.occupation = `本批次不受理「${occupationLabel(occupation)}」的评价机构申报（第一批已遴选），请选择其他职业`;
	}
	if (!draft.inst.name) errors['inst.name'] = `请填写「${L.name}」（保存草稿至少需要职业和单位名称）`;
	if (Object.keys(errors).length) throw new ApplicationError('请先填写职业和单位名称，再保存草稿', errors);
	return { draft, occupation: occupation! };
}

export type SaveResult = { id: string; version: number; warnings: FieldErrors };

/** Creates a draft of the given type in the city's region. Needs at least the occupation and the institution name. */
export function createDraft(scope: BatchScope, user: User, type: ApplicationType, values: unknown): SaveResult {
	const region = requireCity(user);
	if (type !== 'training' && type !== 'evaluation') throw new ApplicationError('申报类型无效');
	return scope.db.transaction((t) => {
		const tx = t as unknown as Db;
		requirePhase(tx, scope, canWrite, '');
		const { row: batchRow, batch } = batchOf(tx, scope.batch.id);
		const { draft, occupation } = parseForSave(type, values, batch, null);
		const inst = resolveInstitution(tx, region, draft, null);
		const id = newId('app');
		const institution = draftInstitution(draft, inst.id, keptIdNumber(draft, inst.stored));
		writeInstitution(tx, institution);
		writeApplication(tx, draftApplication(draft, type, { id, institutionId: inst.id, region, occupation }), batchRow.id, 'draft');
		audit(tx, actorOf(user), 'application.create', 'application', id, { type, occupation, region, institutionId: inst.id });
		return { id, version: 1, warnings: draftWarnings(draft) };
	});
}

function saveInTx(tx: Db, user: User, id: string, values: unknown): SaveResult & { found: Loaded } {
	const found = loadEditable(tx, user, id);
	const { row: batchRow, batch } = batchOf(tx, found.row.batchId);
	const parsed = parseForSave(found.row.type, values, batch, found.row.occupation);
	const draft = keepStoredPhones(parsed.draft, found.app);
	const occupation = parsed.occupation;
	if (draft.version !== null && draft.version !== found.row.version) {
		throw new ApplicationError(
			`该申报在您打开之后已被修改（第 ${draft.version} 版 → 第 ${found.row.version} 版），未保存；请刷新页面后再修改`,
			{},
			409
		);
	}
	const region = found.row.region;
	const inst = resolveInstitution(tx, region, draft, { applicationId: id, institutionId: found.row.institutionId });
	writeInstitution(tx, draftInstitution(draft, inst.id, keptIdNumber(draft, inst.stored)));
	writeApplication(tx, draftApplication(draft, found.row.type, { id, institutionId: inst.id, region, occupation }, found.app), batchRow.id, found.row.status);
	const version = tx.select({ v: s.applications.version }).from(s.applications).where(eq(s.applications.id, id)).get()!.v;
	return { id, version, warnings: draftWarnings(draft), found };
}

/** Saves a draft (or a returned application): anything may be missing, what is there must be well-formed. */
export function saveDraft(db: Db, user: User, id: string, values: unknown): SaveResult {
	return db.transaction((t) => {
		const tx = t as unknown as Db;
		const { found, ...result } = saveInTx(tx, user, id, values);
		audit(tx, actorOf(user), 'application.save', 'application', id, { version: result.version, institutionId: found.row.institutionId });
		return result;
	});
}

/* ---------- submission ---------- */

/** The materials on file: uploaded, or (for an imported application) stated in its flags. */
export function materialsOnFile(tx: Pick<Db, 'select'>, app: Application): MaterialsOnFile {
	const kinds = new Set(
		tx.select({ kind: s.attachments.kind }).from(s.attachments).where(eq(s.attachments.applicationId, app.id)).all().map((r) => r.kind)
	);
	const flags = app.attachments;
	return {
		registrationCertificate: kinds.has('registration-certificate') || flags?.registrationCertificate === true,
		creditOrIntegrity:
			kinds.has('credit-report') || kinds.has('integrity-commitment') || flags?.creditReport === true || flags?.integrityCommitment === true,
		recommendationLetter: kinds.has('recommendation-letter')
	};
}

export type QuotaState = { cell: string; used: number; quota: number | null; full: boolean };

/** The quota of an application's cell, as the city sees it before submitting. */
export function quotaState(tx: Pick<Db, 'select'>, batch: Batch, row: Pick<s.ApplicationRow, 'id' | 'batchId' | 'region' | 'occupation' | 'type'>): QuotaState {
	const used = recommendedInCell(tx, row, row.id);
	const quota = quotaFor(batch, row.type, row.region);
	return { cell: cellLabel(row.region, row.occupation, row.type), used, quota, full: quota !== null && used + 1 > quota };
}

/** The message of a full cell: “鞍山 · 人工智能工程技术人员 · 培训机构 已推荐 2 家，名额 2 家，不能再推荐”. */
export function quotaMessage(q: QuotaState): string {
	return `${q.cell} 已推荐 ${q.used} 家，名额 ${q.quota} 家，不能再推荐`;
}

const problemsToErrors = (problems: Problem[]): FieldErrors => {
	const out: FieldErrors = {};
	for (const p of problems) out[p.key] ??= p.message;
	return out;
};

/**
 * Submits (recommends) a city's application, saving `values` first when given — both or nothing.
 * Refused when the occupation is closed for evaluation, when the cell's quota (recommended
 * applications: submitted or accepted) is used up, or when the form is incomplete.
 */
export function submitApplication(db: Db, user: User, id: string, values?: unknown, opts: { today?: string } = {}): { version: number } {
	requireCity(user);
	return db.transaction((t) => {
		const tx = t as unknown as Db;
		if (values !== undefined) saveInTx(tx, user, id, values);
		const found = loadEditable(tx, user, id);
		const { batch } = batchOf(tx, found.row.batchId);
		const { row, app, institution } = found;
		const errors: FieldErrors = {};
		let message: string | null = null;
		if (row.type === 'evaluation' && batch.closedEvaluationOccupations.includes(row.occupation)) {
			message = `本批次不受理「${occupationLabel(row.occupation)}」的评价机构申报，不能推荐；请改选其他职业`;
			errors.occupation = message;
		}
		const quota = quotaState(tx, batch, row);
		if (!message && quota.full) {
			message = quotaMessage(quota);
			errors.occupation = message;
		}
		const problems = submissionProblems(app, institution, materialsOnFile(tx, app));
		Object.assign(errors, { ...problemsToErrors(problems), ...errors });
		if (!message && problems.length) message = `还有 ${problems.length} 项未填写完整，不能提交推荐`;
		if (message) throw new ApplicationError(message, errors, quota.full ? 409 : 400);

		const stamp = new Date().toISOString();
		tx.update(s.applications)
			.set({
				status: 'submitted',
				statusReason: null,
				submittedAt: stamp,
				hasRecommendation: true,
				recommendationUnit: regionUnit(row.region),
				recommendationDate: opts.today ?? chinaToday(),
				version: sql`${s.applications.version} + 1`,
				updatedAt: stamp
			})
			.where(eq(s.applications.id, id))
			.run();
		audit(tx, actorOf(user), 'application.submit', 'application', id, {
			region: row.region,
			occupation: row.occupation,
			type: row.type,
			cell: `${quota.used + 1}/${quota.quota ?? '∞'}`
		});
		return { version: row.version + 1 };
	});
}

/* ---------- the office ---------- */

const reasonText = (reason: unknown, field: string, what: string): string => {
	const text = typeof reason === 'string' ? reason.trim() : '';
	if (text === '') throw new ApplicationError(`请填写${what}`, { [field]: `请填写${what}` });
	if ([...text].length > 1000) throw new ApplicationError(`${what}不能超过 1000 字`, { [field]: `${what}不能超过 1000 字` });
	return text;
};

/** Submitted score sheets of an application (a return takes them out of the results). */
export function submittedSheetCount(tx: Pick<Db, 'select'>, applicationId: string): number {
	return tx
		.select({ n: sql<number>`count(*)` })
		.from(s.sheets)
		.where(and(eq(s.sheets.applicationId, applicationId), eq(s.sheets.status, 'submitted')))
		.get()!.n;
}

/** The confirmation a return of an application with submitted sheets needs: the number of sheets the office saw. */
function confirmedCount(raw: unknown): number | null {
	if (typeof raw !== 'string' || !/^\d{1,6}$/.test(raw.trim())) return null;
	return Number(raw.trim());
}

/**
 * Returns a recommended (or accepted) application to its city with a reason; the city can edit it
 * again. While returned it is not recommended, so it leaves the results, the meeting and the
 * shortlist (its sheets are kept). When experts have submitted sheets for it, the office must
 * confirm with the number of sheets it was shown (`confirmSheets`); a different number (a sheet
 * was submitted meanwhile) asks again. Refused while the results are locked.
 */
export function returnApplication(db: Db, user: User, id: string, reason: unknown, confirmSheets?: unknown): void {
	requireOffice(user);
	const text = reasonText(reason, 'reason', '退回理由');
	db.transaction((t) => {
		const tx = t as unknown as Db;
		const { row } = loadVisible(tx, user, id);
		requireWritable(tx, row.batchId);
		if (row.status !== 'submitted' && row.status !== 'accepted') {
			throw new ApplicationError(`只能退回已推荐或已受理的申报（当前状态：${STATUS_LABELS[row.status]}）`, {}, 409);
		}
		const sheets = submittedSheetCount(tx, id);
		if (sheets > 0) {
			requirePhase(tx, { batch: batchOf(tx, row.batchId).row }, canChangeScores, '评审结果已锁定，不能退回已有评分的申报；如需退回，请先在拟推荐名单页重新开放结果');
			if (confirmedCount(confirmSheets) !== sheets) {
				const message = `该申报已有 ${sheets} 份已提交的评分表。退回后它将退出评审结果、评审会议和拟推荐名单（评分表保留），直到市局重新推荐。请勾选确认后再退回。`;
				throw new ApplicationError(message, { confirmSheets: message }, 409);
			}
		}
		tx.update(s.applications)
			.set({ status: 'returned', statusReason: text, version: sql`${s.applications.version} + 1`, updatedAt: new Date().toISOString() })
			.where(eq(s.applications.id, id))
			.run();
		audit(tx, actorOf(user), 'application.return', 'application', id, { from: row.status, reason: text, submittedSheets: sheets });
	});
}

export const STATUS_LABELS: Record<s.ApplicationStatus, string> = { draft: '草稿', submitted: '已推荐', returned: '已退回', accepted: '已受理' };

/** Accepts a recommended application for review; refused while a blocking finding is neither resolved nor overridden. */
export function acceptApplication(db: Db, user: User, id: string): void {
	requireOffice(user);
	db.transaction((t) => {
		const tx = t as unknown as Db;
		const { row } = loadVisible(tx, user, id);
		requireWritable(tx, row.batchId);
		if (row.status !== 'submitted') throw new ApplicationError(`只能受理已推荐的申报（当前状态：${STATUS_LABELS[row.status]}）`, {}, 409);
		const state = computeFindings({ db: tx, batch: batchOf(tx, row.batchId).row });
		if (blockingApplications(state).has(id)) {
			const overridden = state.overrides.get(id);
			const open = (state.findings.get(id) ?? []).filter((f) => f.severity === 'blocking' && !overridden?.has(f.code)).map((f) => f.code);
			throw new ApplicationError(
				`尚有未处理的阻断性问题（${[...new Set(open)].join('、')}），不能受理；请写明理由放行，或退回市局`,
				{},
				409
			);
		}
		tx.update(s.applications)
			.set({ status: 'accepted', statusReason: null, version: sql`${s.applications.version} + 1`, updatedAt: new Date().toISOString() })
			.where(eq(s.applications.id, id))
			.run();
		audit(tx, actorOf(user), 'application.accept', 'application', id, null);
	});
}

/** Overrides (放行) a blocking finding the application has now, with a written reason (table finding_overrides, audited). */
export function overrideFinding(db: Db, user: User, id: string, code: unknown, reason: unknown): void {
	requireOffice(user);
	if (typeof code !== 'string' || !isFindingCode(code)) throw new ApplicationError('未知的问题代码', { code: '未知的问题代码' });
	if (findingSeverity(code) !== 'blocking') throw new ApplicationError('只有阻断性问题需要放行；提示性问题不影响受理', { code: '只有阻断性问题需要放行' });
	const text = reasonText(reason, 'reason', '放行理由');
	db.transaction((t) => {
		const tx = t as unknown as Db;
		const { row } = loadVisible(tx, user, id);
		requireWritable(tx, row.batchId);
		const current = computeFindings({ db: tx, batch: batchOf(tx, row.batchId).row }).findings.get(id) ?? [];
		if (!current.some((f) => f.code === code)) {
			throw new ApplicationError(`该申报当前没有“${code}”问题，无需放行`, { code: '该申报当前没有这一问题' }, 409);
		}
		const at = new Date().toISOString();
		tx.insert(s.findingOverrides)
			.values({ applicationId: id, code, reason: text, userId: user.id, at })
			.onConflictDoUpdate({ target: [s.findingOverrides.applicationId, s.findingOverrides.code], set: { reason: text, userId: user.id, at } })
			.run();
		audit(tx, actorOf(user), 'finding.override', 'application', id, { code, reason: text });
	});
}

/** Withdraws an override: the finding blocks again. */
export function revokeOverride(db: Db, user: User, id: string, code: unknown): void {
	requireOffice(user);
	if (typeof code !== 'string' || !isFindingCode(code)) throw new ApplicationError('未知的问题代码', { code: '未知的问题代码' });
	db.transaction((t) => {
		const tx = t as unknown as Db;
		requireWritable(tx, loadVisible(tx, user, id).row.batchId);
		const gone = tx
			.delete(s.findingOverrides)
			.where(and(eq(s.findingOverrides.applicationId, id), eq(s.findingOverrides.code, code)))
			.returning({ code: s.findingOverrides.code })
			.all();
		if (gone.length === 0) throw new ApplicationError('这一问题没有放行记录', {}, 409);
		audit(tx, actorOf(user), 'finding.revoke', 'application', id, { code });
	});
}

/* ---------- attachments ---------- */

export type AttachmentRow = typeof s.attachments.$inferSelect;
const KIND_ORDER = s.ATTACHMENT_KINDS as readonly string[];

export function listAttachments(db: Pick<Db, 'select'>, applicationId: string): AttachmentRow[] {
	return db
		.select()
		.from(s.attachments)
		.where(eq(s.attachments.applicationId, applicationId))
		.all()
		.sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.uploadedAt.localeCompare(b.uploadedAt) || a.id.localeCompare(b.id));
}

const FLAG_OF: Partial<Record<s.AttachmentKind, 'attRegistrationCertificate' | 'attCreditReport' | 'attIntegrityCommitment'>> = {
	'registration-certificate': 'attRegistrationCertificate',
	'credit-report': 'attCreditReport',
	'integrity-commitment': 'attIntegrityCommitment'
};

/** Keeps the material flags the formal check reads in step with the files. */
function syncFlag(tx: Db, applicationId: string, kind: s.AttachmentKind): void {
	const flag = FLAG_OF[kind];
	if (!flag) return;
	const present = !!tx
		.select({ id: s.attachments.id })
		.from(s.attachments)
		.where(and(eq(s.attachments.applicationId, applicationId), eq(s.attachments.kind, kind)))
		.get();
	tx.update(s.applications)
		.set({ hasAttachments: true, [flag]: present, updatedAt: new Date().toISOString() })
		.where(eq(s.applications.id, applicationId))
		.run();
}

/** An uploaded file; `size` is the size the browser declared when the bytes were not read (too large). */
export type Upload = { name: string; bytes: Uint8Array; size?: number };

/**
 * Stores a PDF, JPEG or PNG file (judged by its content, not its name; at most 10 MB) for an
 * application the user may edit.
 */
export function uploadAttachment(db: Db, user: User, id: string, kind: unknown, file: Upload | null, opts: { dir?: string } = {}): AttachmentRow {
	// Permission first: a refused user learns nothing about the file or the form.
	db.transaction((t) => void loadEditable(t as unknown as Db, user, id));
	if (typeof kind !== 'string' || !(s.ATTACHMENT_KINDS as readonly string[]).includes(kind)) {
		throw new ApplicationError('请选择材料类别', { kind: '请选择材料类别' });
	}
	const k = kind as s.AttachmentKind;
	const field = `attachments.${k}`;
	const size = file ? Math.max(file.size ?? 0, file.bytes.length) : 0;
	if (!file || size === 0) throw new ApplicationError('请选择要上传的文件（文件不能为空）', { [field]: '请选择要上传的文件' });
	if (size > MAX_UPLOAD_BYTES) {
		const mb = (size / 1024 / 1024).toFixed(1);
		throw new ApplicationError(`文件 ${mb} MB，超过 10 MB 的上限`, { [field]: `文件 ${mb} MB，超过 10 MB 的上限` }, 413);
	}
	const mime = sniffMime(file.bytes);
	if (!mime) {
		const msg = `「${file.name}」不是 PDF、JPEG 或 PNG 文件（按文件内容判断，与扩展名无关）`;
		throw new ApplicationError(msg, { [field]: msg });
	}
	const stored = storeBlob(file.bytes, opts.dir ?? filesDir());
	return db.transaction((t) => {
		const tx = t as unknown as Db;
		loadEditable(tx, user, id);
		const row = {
			id: newId('att'),
			applicationId: id,
			kind: k,
			filename: safeFilename(file.name, mime),
			mime,
			size: file.bytes.length,
			sha256: stored.sha256,
			uploadedBy: user.id,
			uploadedAt: new Date().toISOString()
		};
		tx.insert(s.attachments).values(row).run();
		syncFlag(tx, id, k);
		audit(tx, actorOf(user), 'attachment.upload', 'application', id, { attachmentId: row.id, kind: k, mime, size: row.size, sha256: row.sha256 });
		return row;
	});
}

/** Removes an attachment of an application the user may edit (the stored bytes stay: other rows may share them). */
export function deleteAttachment(db: Db, user: User, attachmentId: unknown): void {
	db.transaction((t) => {
		const tx = t as unknown as Db;
		const att = typeof attachmentId === 'string' ? tx.select().from(s.attachments).where(eq(s.attachments.id, attachmentId)).get() : undefined;
		if (!att) throw new ApplicationError(NOT_FOUND_ATTACHMENT, {}, 404);
		// Another region's attachment answers as one that does not exist.
		try {
			loadVisible(tx, user, att.applicationId);
		} catch (e) {
			if (e instanceof ApplicationError && e.status === 404) throw new ApplicationError(NOT_FOUND_ATTACHMENT, {}, 404);
			throw e;
		}
		loadEditable(tx, user, att.applicationId);
		tx.delete(s.attachments).where(eq(s.attachments.id, att.id)).run();
		syncFlag(tx, att.applicationId, att.kind);
		audit(tx, actorOf(user), 'attachment.delete', 'application', att.applicationId, { attachmentId: att.id, kind: att.kind });
	});
}

/** An attachment row and where its bytes are; the caller checks that the user may see its application. */
export function attachmentFile(db: Pick<Db, 'select'>, attachmentId: string, dir = filesDir()): { row: AttachmentRow; path: string } | null {
	if (!/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,120}$/.test(attachmentId)) return null;
	const row = db.select().from(s.attachments).where(eq(s.attachments.id, attachmentId)).get();
	if (!row) return null;
	const path = blobPath(row.sha256, dir);
	return fs.existsSync(path) ? { row, path } : null;
}

export const attachmentLabel = (kind: string) => ATTACHMENT_LABELS[kind as keyof typeof ATTACHMENT_LABELS] ?? kind;

/* ---------- pages ---------- */

/**
 * What the city's page of one application shows: the application (ID number masked), its
 * materials, what submission still lacks, the quota of its cell, and a preview of the formal check.
 */
export function cityApplication(db: Db, user: User, id: string, opts: { today?: string } = {}) {
	const found = loadVisible(db, user, id);
	const { row, app, institution } = found;
	const batch = batchOf(db, row.batchId).batch;
	const editable = canEditApplication(principalOf(user), { id, region: row.region, status: row.status });
	const materials = materialsOnFile(db, app);
	const quota = quotaState(db, batch, row);
	const today = opts.today ?? chinaToday();
	// The formal check as the office will run it once this application is recommended today.
	const preview = editable
		? checkApplication(
				{ ...app, recommendation: { reason: app.recommendation?.reason ?? null, unit: regionUnit(row.region), date: today } },
				institution,
				batch,
				{ cellCount: quota.used + 1, today }
			).filter((f) => !['MISSING_ATTACHMENT', 'MISSING_RECOMMENDATION', 'NO_LEVEL', 'USCC_INVALID'].includes(f.code))
		: [];
	const storedId = institution.legalRep?.idNumber ?? null;
	const maskedPerson = <T extends { phone: string | null } | null>(p: T): T => (p && p.phone ? { ...p, phone: maskPhone(p.phone) } : p);
	return {
		row,
		// Personal data leaves the server masked only (the city is not the office).
		app: { ...app, lead: maskedPerson(app.lead), contact: maskedPerson(app.contact), people: app.people.map(maskedPerson) },
		institution: { ...institution, legalRep: institution.legalRep ? { ...institution.legalRep, idNumber: maskIdNumber(storedId) } : null },
		idNumber: maskIdNumber(storedId),
		/** The form (masked fields empty) and what each masked field holds, shown as its placeholder. */
		values: withoutMasked(formValuesFrom(app, institution, row.version, batchYear(batch))),
		masked: maskedFields(app, institution, { id: maskIdNumber, phone: maskPhone }),
		warnings: storedWarnings(institution, today),
		editable,
		batch,
		materials,
		attachments: listAttachments(db, id),
		problems: editable ? submissionProblems(app, institution, materials) : [],
		quota,
		preview
	};
}

/** Check-character problems of the stored codes (a draft may be saved with them). */
function storedWarnings(inst: Institution, today: string): FieldErrors {
	const out: FieldErrors = {};
	const u = inst.uscc ? usccProblem(inst.uscc) : null;
	if (u) out['inst.uscc'] = `「统一社会信用代码」${USCC_PROBLEM_TEXT[u]}`;
	const i = inst.legalRep?.idNumber ? idNumberProblem(inst.legalRep.idNumber, today) : null;
	if (i) out['inst.legalRepIdNumber'] = `已填写的「法定代表人身份证号」${ID_PROBLEM_TEXT[i]}，请重新输入`;
	return out;
}

export type IntakeFinding = Finding & { overridden: { reason: string; at: string } | null };
export type IntakeRow = ApplicationListRow & { findings: IntakeFinding[]; blocking: boolean; statusReason: string | null };
/** `person`: a complete ID number or phone, matched by keyed digest (queries/personal-search.ts). */
export type IntakeFilter = { region?: string; occupation?: string; type?: string; status?: string; finding?: string; person?: string };

/**
 * The office's intake table: every application but the cities' drafts (unless asked for), each
 * with its formal-check findings. `finding` filters by a code, `blocking` (an unresolved blocking
 * finding) or `none` (no finding at all).
 */
export function listIntake(scope: BatchScope, filter: IntakeFilter = {}): IntakeRow[] {
	const { db } = scope;
	const state = computeFindings(scope);
	const blocking = blockingApplications(state);
	const reasons = new Map(
		db.select({ id: s.applications.id, r: s.applications.statusReason }).from(s.applications).where(eq(s.applications.batchId, scope.batch.id)).all().map((x) => [x.id, x.r])
	);
	const person = filter.person ? applicationsByPerson(db, filter.person) : null;
	return listApplications(scope, { region: filter.region || null })
		.filter((r) => !person || person.has(r.id))
		.filter((r) => (filter.status ? r.status === filter.status : r.status !== 'draft'))
		.filter((r) => (!filter.occupation || r.occupation === filter.occupation) && (!filter.type || r.type === filter.type))
		.map((r) => {
			const overrides = state.overrides.get(r.id);
			const findings = (state.findings.get(r.id) ?? []).map((f) => ({ ...f, overridden: overrides?.get(f.code) ?? null }));
			return { ...r, findings, blocking: blocking.has(r.id), statusReason: reasons.get(r.id) ?? null };
		})
		.filter((r) => {
			if (!filter.finding) return true;
			if (filter.finding === 'blocking') return r.blocking;
			if (filter.finding === 'none') return r.findings.length === 0;
			return r.findings.some((f) => f.code === filter.finding);
		});
}

/** The office's page of one application: its findings with overrides, and who overrode them. */
export function officeApplication(db: Db, user: User, id: string) {
	requireOffice(user);
	const found = loadVisible(db, user, id);
	const scope = { db, batch: batchOf(db, found.row.batchId).row };
	const state = computeFindings(scope);
	const overrides = db
		.select({ code: s.findingOverrides.code, reason: s.findingOverrides.reason, at: s.findingOverrides.at, by: s.users.displayName })
		.from(s.findingOverrides)
		.leftJoin(s.users, eq(s.users.id, s.findingOverrides.userId))
		.where(eq(s.findingOverrides.applicationId, id))
		.all();
	const findings = (state.findings.get(id) ?? []).map((f) => ({ ...f, overridden: overrides.find((o) => o.code === f.code) ?? null }));
	const codes = new Set(findings.map((f) => f.code));
	return {
		...found,
		findings,
		// Overrides whose finding has since gone (e.g. the quota was freed) stay visible.
		staleOverrides: overrides.filter((o) => !codes.has(o.code as FindingCode)),
		blocking: blockingApplications(state).has(id),
		attachments: listAttachments(db, id),
		quota: quotaState(db, state.batch, found.row)
	};
}
