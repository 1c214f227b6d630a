/**
 * The expert pool: add, edit, activate or deactivate an expert, import experts (Excel template or
 * the experts section of a review bundle), and open sign-in accounts with initial passwords that
 * are shown once, on the printed credential sheet. Every change is audited (ids only).
 */
import { Refusal } from '../refusal';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db';
import * as s from '../db/schema';
import { audit, type Actor } from '../audit';
import type { BatchScope } from '../scope';
import { isPublished } from '../queries/reviews';
import { BundleImportError, importBundle, parseBundleText, type ImportCounts } from './bundle-import';
import { UserError, createUser, resetPassword, usernameSchema } from './users';
import { expertFormErrors, expertFormSchema, expertUsername, nextExpertId, type ExpertFormInput, type ExpertFormValues } from '../../domain/experts';
import { parseExpertWorkbook, type ExpertRowError } from '../import/experts-xlsx';
import { normalizeName, normalizePhoneText } from '../../domain/normalize';
import { requireKeys, type Keys } from '../keys';
import { opener, sealPhone } from '../personal-data';

/** A form that did not validate: field → Chinese message. */
export class ExpertFormError extends Refusal {
	constructor(errors: Record<string, string>) {
		super(Object.values(errors)[0] ?? '输入有误', 400, errors);
	}
}

/** An import that did not validate: every problem, each naming its row and column (nothing written). */
export class ExpertImportError extends Refusal {
	constructor(public problems: string[]) {
		super(problems[0] ?? '导入失败', 400);
	}
}

function parseForm(input: ExpertFormInput): ExpertFormValues {
	const r = expertFormSchema.safeParse(input);
	if (!r.success) throw new ExpertFormError(expertFormErrors(r.error));
	return r.data;
}

const FIELDS = ['name', 'workUnit', 'title', 'occupations', 'region', 'phone', 'email'] as const;

/** The stored row of an expert: the phone SM4-encrypted with its keyed digest (personal-data.ts). */
function rowValues(keys: Keys, v: ExpertFormValues, stamp: string) {
	const phone = sealPhone(keys, normalizePhoneText(v.phone));
	return {
		name: normalizeName(v.name) ?? v.name,
		workUnit: v.workUnit,
		title: v.title,
		occupations: v.occupations,
		region: v.region,
		phone: phone.value,
		phoneDigest: phone.digest,
		email: v.email,
		updatedAt: stamp
	};
}

/** Adds an expert; an empty id takes the next free exp-NN. Returns the id. */
export function createExpert(db: Db, input: ExpertFormInput, actor: Actor): string {
	const v = parseForm(input);
	const ids = db.select({ id: s.experts.id }).from(s.experts).all().map((r) => r.id);
	const id = v.id ?? nextExpertId(ids);
	if (ids.includes(id)) throw new ExpertFormError({ id: `编号 ${id} 已被使用` });
	db.transaction((tx) => {
		tx.insert(s.experts).values({ id, ...rowValues(requireKeys(tx), v, new Date().toISOString()) }).run();
		audit(tx, actor, 'expert.create', 'expert', id, { occupations: v.occupations, region: v.region });
	});
	return id;
}

/** Edits an expert (the id stays). The audit names the fields that changed, not their values. */
export function updateExpert(db: Db, id: string, input: ExpertFormInput, actor: Actor): string[] {
	const row = db.select().from(s.experts).where(eq(s.experts.id, id)).get();
	if (!row) throw new ExpertFormError({ id: `专家 ${id} 不存在` });
	const old = { ...row, phone: opener(db)(row.phone) };
	const v = parseForm({ ...input, id });
	const changed = FIELDS.filter((f) => JSON.stringify(old[f] ?? null) !== JSON.stringify(v[f] ?? null));
	if (!changed.length) return [];
	db.transaction((tx) => {
		tx.update(s.experts).set(rowValues(requireKeys(tx), v, new Date().toISOString())).where(eq(s.experts.id, id)).run();
		audit(tx, actor, 'expert.update', 'expert', id, { changed });
	});
	return changed;
}

/**
 * A deactivated expert is no longer drawn nor assignable by hand, and loses access at once: the
 * sign-in accounts linked to the expert are deactivated and their sessions end, in the same
 * transaction. Existing assignments stay; those without a submitted sheet are listed on the draw
 * page for replacement (`openAssignmentsOfInactiveExperts`). Reactivating the expert reactivates
 * the linked accounts. Returns the number of the expert's assignments.
 */
export function setExpertActive(db: Db, id: string, active: boolean, actor: Actor): number {
	const old = db.select().from(s.experts).where(eq(s.experts.id, id)).get();
	if (!old) throw new ExpertFormError({ id: `专家 ${id} 不存在` });
	const assigned = db.select({ n: sql<number>`count(*)` }).from(s.assignments).where(eq(s.assignments.expertId, id)).get()?.n ?? 0;
	const accounts = db.select({ id: s.users.id, active: s.users.active }).from(s.users).where(eq(s.users.expertId, id)).all();
	if (old.active === active && accounts.every((a) => a.active === active)) return assigned;
	db.transaction((tx) => {
		tx.update(s.experts).set({ active, updatedAt: new Date().toISOString() }).where(eq(s.experts.id, id)).run();
		for (const a of accounts) {
			if (a.active !== active) tx.update(s.users).set({ active }).where(eq(s.users.id, a.id)).run();
			if (!active) tx.delete(s.sessions).where(eq(s.sessions.userId, a.id)).run();
		}
		audit(tx, actor, active ? 'expert.activate' : 'expert.deactivate', 'expert', id, {
			assignments: assigned,
			accounts: accounts.map((a) => a.id)
		});
	});
	return assigned;
}

/* ---------- the pool as the office sees it ---------- */

export type ExpertListing = ExpertFormValues & {
	id: string;
	active: boolean;
	account: { username: string; active: boolean; lastLoginAt: string | null } | null;
	load: number;
	committed: boolean;
};

/** The pool (shared by every batch) with each expert's account, and their load and commitment in `scope`'s batch. */
export function listExpertPool(scope: BatchScope): ExpertListing[] {
	const { db, batch } = scope;
	const open = opener(db);
	const accounts = new Map(
		db
			.select({ expertId: s.users.expertId, username: s.users.username, active: s.users.active, lastLoginAt: s.users.lastLoginAt })
			.from(s.users)
			.all()
			.filter((u) => u.expertId)
			.map((u) => [u.expertId!, { username: u.username, active: u.active, lastLoginAt: u.lastLoginAt }])
	);
	const loads = new Map(
		db
			.select({ id: s.assignments.expertId, n: sql<number>`count(*)` })
			.from(s.assignments)
			.where(sql`${s.assignments.applicationId} IN (SELECT id FROM applications WHERE batch_id = ${batch.id})`)
			.groupBy(s.assignments.expertId)
			.all()
			.map((r) => [r.id, r.n])
	);
	const committed = new Set(
		db.select({ id: s.commitments.expertId }).from(s.commitments).where(eq(s.commitments.batchId, batch.id)).all().map((r) => r.id)
	);
	return db
		.select()
		.from(s.experts)
		.orderBy(asc(sql`rowid`))
		.all()
		.map((e) => ({
			id: e.id,
			name: e.name,
			workUnit: e.workUnit ?? '',
			title: e.title,
			occupations: e.occupations as ExpertFormValues['occupations'],
			region: e.region as ExpertFormValues['region'],
			phone: open(e.phone),
			email: e.email,
			active: e.active,
			account: accounts.get(e.id) ?? null,
			load: loads.get(e.id) ?? 0,
			committed: committed.has(e.id)
		}));
}

/* ---------- accounts ---------- */

export type CredentialRequest = { expertId: string; username?: string | null };
export type Credential = {
	expertId: string;
	name: string;
	workUnit: string | null;
	title: string | null;
	username: string;
	/** Shown once; null for an account that already existed and was not reset. */
	password: string | null;
	action: 'created' | 'reset' | 'existing';
};

/**
 * Opens an expert account for each requested expert without one (username: the one chosen, else
 * the expert id lower-cased, with -2, -3 … when taken) and returns the initial passwords, which are
 * generated here and never stored in clear. With `reset`, experts who already have an account get
 * a new password. Every request is checked before the first account is written.
 */
export async function provisionAccounts(db: Db, requests: CredentialRequest[], opts: { reset?: boolean }, actor: Actor): Promise<Credential[]> {
	if (!requests.length) throw new ExpertFormError({ ids: '请至少选择一位专家' });
	if (requests.length > 200) throw new ExpertFormError({ ids: '一次最多为200位专家开通账号' });
	const taken = new Set(db.select({ u: s.users.username }).from(s.users).all().map((r) => r.u));
	const accountOf = new Map(
		db.select({ expertId: s.users.expertId, username: s.users.username }).from(s.users).all().filter((u) => u.expertId).map((u) => [u.expertId!, u.username])
	);
	const plan: (Credential & { create: boolean })[] = [];
	const errors: Record<string, string> = {};
	const seen = new Set<string>();
	for (const req of requests) {
		const e = db.select().from(s.experts).where(eq(s.experts.id, req.expertId)).get();
		if (!e) {
			errors[`username:${req.expertId}`] = `专家 ${req.expertId} 不存在`;
			continue;
		}
		if (seen.has(e.id)) continue;
		seen.add(e.id);
		const base = { expertId: e.id, name: e.name, workUnit: e.workUnit, title: e.title };
		const existing = accountOf.get(e.id);
		if (existing) {
			plan.push({ ...base, username: existing, password: null, action: opts.reset ? 'reset' : 'existing', create: false });
			continue;
		}
		let username: string;
		const chosen = req.username?.trim();
		if (chosen) {
			const parsed = usernameSchema.safeParse(chosen);
			if (!parsed.success) {
				errors[`username:${e.id}`] = `${e.name}：${parsed.error.issues[0].message}`;
				continue;
			}
			username = parsed.data;
			if (taken.has(username)) {
				errors[`username:${e.id}`] = `${e.name}：用户名 "${username}" 已被使用`;
				continue;
			}
		} else {
			const stem = expertUsername(e.id);
			username = stem;
			for (let k = 2; taken.has(username); k++) username = `${stem}-${k}`;
		}
		taken.add(username);
		plan.push({ ...base, username, password: null, action: 'created', create: true });
	}
	if (Object.keys(errors).length) throw new ExpertFormError(errors);

	const out: Credential[] = [];
	for (const p of plan) {
		const { create, ...cred } = p;
		try {
			if (create) {
				const made = await createUser(db, { username: p.username, displayName: p.name, role: 'expert', region: null, expertId: p.expertId, password: null }, actor);
				cred.password = made.password;
			} else if (p.action === 'reset') {
				cred.password = await resetPassword(db, p.username, null, actor);
			}
		} catch (e) {
			if (e instanceof UserError) throw new ExpertFormError({ [`username:${p.expertId}`]: `${p.name}：${e.message}` });
			throw e;
		}
		out.push(cred);
	}
	return out;
}

/* ---------- imports ---------- */

/**
 * Imports the `experts` section of a review bundle (upsert by id, via importBundle); other sections
 * in the file are left alone and named in the answer.
 */
export function importExpertsFromBundle(db: Db, text: string, actor: Actor): { counts: ImportCounts; ignored: string[] } {
	const parsed = parseBundleText(text);
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
		throw new BundleImportError([{ path: '(根)', message: '数据包应为 JSON 对象' }]);
	}
	const doc = parsed as Record<string, unknown>;
	if (!('experts' in doc)) throw new BundleImportError([{ path: 'experts', message: '数据包中没有 experts（专家）部分' }]);
	const ignored = Object.keys(doc).filter((k) => k !== 'experts' && k !== 'format' && k !== 'version');
	const counts = importBundle(db, { format: doc.format, version: doc.version, experts: doc.experts }, actor);
	return { counts, ignored };
}

export type WorkbookImport = { created: string[]; updated: string[] };

/**
 * Imports the Excel expert list (see import/experts-xlsx.ts for the columns): upsert by 编号, an
 * empty 编号 takes the next free exp-NN. Any problem in any row: nothing is written, and every
 * problem is reported with its row and column.
 */
export async function importExpertsFromWorkbook(db: Db, buf: Buffer, actor: Actor, fileName?: string): Promise<WorkbookImport> {
	const parsed = await parseExpertWorkbook(buf, fileName);
	if (parsed.errors.length) throw new ExpertImportError(parsed.errors.map(formatRowError));
	if (!parsed.rows.length) throw new ExpertImportError(['工作表中没有专家数据（从第 2 行起填写）']);
	const existing = new Set(db.select({ id: s.experts.id }).from(s.experts).all().map((r) => r.id));
	const used = new Set([...existing, ...parsed.rows.map((r) => r.values.id).filter((x): x is string => !!x)]);
	const stamp = new Date().toISOString();
	const result: WorkbookImport = { created: [], updated: [] };
	db.transaction((tx) => {
		for (const row of parsed.rows) {
			const id = row.values.id ?? nextExpertId(used);
			used.add(id);
			const values = rowValues(requireKeys(tx), row.values, stamp);
			if (existing.has(id)) {
				tx.update(s.experts).set(values).where(eq(s.experts.id, id)).run();
				result.updated.push(id);
			} else {
				tx.insert(s.experts).values({ id, ...values }).run();
				result.created.push(id);
			}
		}
		audit(tx, actor, 'expert.import', 'expert', null, { source: 'xlsx', created: result.created, updated: result.updated });
	});
	return result;
}

export function formatRowError(e: ExpertRowError): string {
	return `${e.row ? `第 ${e.row} 行` : '文件'}${e.column ? `「${e.column}」` : ''}：${e.message}`;
}

/** Reads the office's expert form (FormData) into the input of the expert rules; nothing is checked here. */
export function readExpertForm(form: FormData): ExpertFormInput {
	const str = (k: string) => {
		const v = form.get(k);
		return typeof v === 'string' ? v : '';
	};
	return {
		id: str('id'),
		name: str('name'),
		workUnit: str('workUnit'),
		title: str('title'),
		occupations: form.getAll('occupations').filter((v): v is string => typeof v === 'string'),
		region: str('region'),
		phone: str('phone'),
		email: str('email')
	};
}

/** One expert for the office's edit page: the record, the account, the assignments and conflicts. */
export function expertDetail(scope: BatchScope, id: string) {
	const { db } = scope;
	const e = db.select().from(s.experts).where(eq(s.experts.id, id)).get();
	if (!e) return null;
	const listing = listExpertPool(scope).find((x) => x.id === id)!;
	const published = scope.batch.assignmentsPublishedAt ?? null;
	const sheets = new Map(db.select({ a: s.sheets.applicationId, status: s.sheets.status }).from(s.sheets).where(eq(s.sheets.expertId, id)).all().map((r) => [r.a, r.status]));
	const assignments = db
		.select({ applicationId: s.assignments.applicationId, source: s.assignments.source, createdAt: s.assignments.createdAt, occupation: s.applications.occupation, type: s.applications.type, institutionName: s.institutions.name })
		.from(s.assignments)
		.innerJoin(s.applications, eq(s.assignments.applicationId, s.applications.id))
		.innerJoin(s.institutions, eq(s.applications.institutionId, s.institutions.id))
		.where(and(eq(s.assignments.expertId, id), eq(s.applications.batchId, scope.batch.id)))
		.all()
		.map((a) => ({ ...a, published: isPublished(a.createdAt, published), sheet: sheets.get(a.applicationId) ?? null }))
		.sort((a, b) => a.occupation.localeCompare(b.occupation) || a.applicationId.localeCompare(b.applicationId));
	const declarations = db.select({ applicationId: s.declarations.applicationId }).from(s.declarations).where(eq(s.declarations.expertId, id)).all().length;
	return { expert: listing, assignments, declarations };
}
