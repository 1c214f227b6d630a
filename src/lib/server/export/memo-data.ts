/**
 * Everything the results memo (报告) and the results workbook report, computed from the database
 * through `computeResults` (docs/domain.md, "The results memo"). The renderers in docx.ts and
 * xlsx.ts only lay this out; every number and every sentence of the default narrative comes from
 * here. `hash` is the SHA-256 over the canonical JSON of the reported results (`resultsDigest`).
 */
import { canonicalJson, expertAlias } from '../../domain/anonymous';
import { createHash } from 'node:crypto';
import { and, asc, desc, eq } from 'drizzle-orm';
import type { Db } from '../db';
import * as s from '../db/schema';
import { beijingDate } from '../../domain/time';
import { computeResults, blockingApplications, recommendedApplications } from '../services/batch-state';
import { loadExperts, loadRubrics, loadScores } from '../queries/bundle';
import { batchById, type BatchScope } from '../scope';
import { forBatch } from '../../domain/batch-name';
import type { AggregationSettings } from '../../domain/bundle';
import {
	FLAG_LABELS,
	excludedLabel,
	pairKey,
	round2,
	type Flag,
	type Results
} from '../../domain/aggregation';
import { findingLabel, isFindingCode, sortFindings } from '../../domain/formal-check';
import { OCCUPATIONS, occupationLabel } from '../../domain/occupations';
import { REGIONS, regionLabel } from '../../domain/regions';
import { AGGREGATION_METHODS, APPLICATION_TYPES, DECISIONS, LEVELS, labelOf } from '../../domain/vocabulary';
import { memoSettingsOf, type MemoSettings } from '../../domain/memo-settings';
import { groupKey, heldGroups } from '../queries/held-groups';

/* ---------- Types ---------- */

export const MEMO_PARAGRAPH_KEYS = ['intro', 'organisation', 'method', 'conflicts', 'review', 'results', 'publicity', 'closing'] as const;
export type MemoParagraphKey = (typeof MEMO_PARAGRAPH_KEYS)[number];

export const MEMO_TITLE = '关于国家数字技术工程师培育项目第二批培训机构和评价机构评审结果的报告';
export const MEMO_ADDRESSEE = '国家工程指导协调小组';
export const MEMO_ISSUER = '辽宁省人力资源和社会保障厅';
export const NOTICE_TITLE = '关于组织开展国家数字技术工程师培育项目第二批培训机构和评价机构申报工作的通知';

type AppType = 'training' | 'evaluation';
const TYPES: readonly AppType[] = ['training', 'evaluation'];

export type MemoSheet = {
	expertId: string;
	/** 专家A, 专家B, … — the same expert keeps one letter within a group (experts ordered by id). */
	alias: string;
	rubricId: string | null;
	status: 'draft' | 'submitted';
	/** Points per criterion id, as given. */
	points: Record<string, number>;
	total: number;
	valid: boolean;
	excludedWhy: string | null;
	excludedLabel: string | null;
	abnormal: boolean;
	deviation: number | null;
	submittedAt: string | null;
};

export type MemoApplication = {
	id: string;
	institutionId: string;
	institutionName: string;
	occupation: string;
	occupationLabel: string;
	type: AppType;
	typeLabel: string;
	region: string;
	regionLabel: string;
	levels: string[];
	levelLabels: string[];
	status: s.ApplicationStatus;
	/** Unrounded; null when unranked. */
	score: number | null;
	/** round2(score): what display and export show. */
	scoreRounded: number | null;
	/** Two decimals, or "—". */
	scoreText: string;
	rank: number | null;
	n: number;
	flags: Flag[];
	flagLabels: string[];
	proposed: boolean;
	defaultProposed: boolean;
	/** An unresolved (not overridden) blocking finding remains. */
	blocked: boolean;
	decision: 'proposed' | 'not-proposed' | 'site-visit' | 'pending' | null;
	decisionLabel: string;
	decisionReason: string | null;
	mean: number | null;
	criterionMeans: Record<string, number>;
	sheets: MemoSheet[];
};

export type MemoGroup = {
	occupation: string;
	occupationLabel: string;
	type: AppType;
	typeLabel: string;
	/** In result order: by rank, unranked last by id. */
	applications: MemoApplication[];
	proposed: MemoApplication[];
	/** The experts with a sheet in the group and their letters. */
	experts: { expertId: string; alias: string }[];
	/** Ids of the open objections that hold the group's final list (empty: the list is not held). */
	heldBy: number[];
};

export type MemoObjection = {
	id: number;
	applicationId: string;
	institutionName: string;
	occupationLabel: string;
	typeLabel: string;
	/** 单位 or 个人: the memo never names the objector (the 公示 promises them confidentiality). */
	objectorLabel: string;
	receivedDate: string;
	status: s.ObjectionStatus;
	statusLabel: string;
	outcome: 'upheld' | 'partly' | 'dismissed' | null;
	outcomeLabel: string | null;
	/** The outcome's notes, or the reason it was not admitted. */
	notes: string | null;
	/** YYYY-MM-DD (Beijing) of the written reply, or null. */
	repliedDate: string | null;
	open: boolean;
};

export type MemoPublicity = {
	start: string;
	end: string;
	days: number | null;
	/** YYYY-MM-DD (Beijing) when the office closed the period, or null while it is open. */
	closedDate: string | null;
	objections: MemoObjection[];
};

export type MemoReview = {
	/** Corrections made at the re-check (复核) and the sheets they touched. */
	corrections: number;
	correctedSheets: number;
	/** Closed vote rounds, the applications they were on, and rounds still open. */
	voteRounds: number;
	votedApplications: number;
	openVoteRounds: number;
};

export type MemoLockNote = { reason: string; missing: { occupationLabel: string; typeLabel: string; count: number }[] };

export type CountRow = { key: string; label: string; training: number; evaluation: number; total: number };

export type MemoRubric = {
	id: string;
	type: AppType;
	typeLabel: string;
	criteria: { id: string; name: string; maxPoints: number }[];
	total: number;
};

export type WorkloadRow = {
	expertId: string;
	name: string;
	workUnit: string | null;
	assigned: number;
	submitted: number;
	/** Assigned applications with a hard conflict (回避). */
	recused: number;
	declared: number;
	/** Submitted sheets excluded from aggregation. */
	excluded: number;
};

export type MemoData = {
	batch: { id: string; name: string; deadline: string | null; closedEvaluationOccupations: string[]; aggregation: AggregationSettings };
	title: string;
	addressee: string;
	issuer: string;
	generatedAt: string;
	received: {
		total: number;
		training: number;
		evaluation: number;
		institutions: number;
		/** Returned to the city and not recommended again (not counted above). */
		returned: number;
		byOccupation: CountRow[];
		byRegion: CountRow[];
	};
	formalCheck: {
		checked: number;
		clean: number;
		blocked: {
			applicationId: string;
			institutionName: string;
			occupationLabel: string;
			typeLabel: string;
			regionLabel: string;
			findings: { code: string; label: string; detail: string }[];
		}[];
		warnings: { applicationId: string; institutionName: string; code: string; label: string; detail: string }[];
		warningApplications: number;
		overrides: {
			applicationId: string;
			institutionName: string;
			occupationLabel: string;
			typeLabel: string;
			regionLabel: string;
			code: string;
			label: string;
			reason: string;
			at: string;
		}[];
	};
	experts: {
		involved: number;
		/** Involved experts who signed the integrity and confidentiality commitment of this batch. */
		committed: number;
		assignments: number;
		submittedSheets: number;
		/** Assignments with a hard (or confirmed soft) conflict. */
		recusals: number;
		declared: number;
		/** Submitted sheets left out of aggregation (conflict or not assigned). */
		excludedSheets: number;
		/** Every (expert, application) pair with a hard or confirmed conflict, assigned or not. */
		hardConflictPairs: number;
		workload: WorkloadRow[];
	};
	rubrics: MemoRubric[];
	aggregation: { method: string; methodLabel: string; settings: AggregationSettings };
	/** Training groups first, then evaluation; within a type the occupations in the notice's order. */
	groups: MemoGroup[];
	proposedCount: number;
	siteVisits: {
		applicationId: string;
		institutionName: string;
		occupationLabel: string;
		typeLabel: string;
		date: string;
		members: string;
		findings: string;
	}[];
	dates: {
		deadline: string | null;
		/** YYYY-MM-DD (Beijing time) of the latest submitted sheet. */
		latestSubmission: string | null;
		lockedAt: string | null;
		/** The memo's date: the lock date, or today when unlocked (YYYY-MM-DD, Beijing time). */
		memoDate: string;
	};
	lock: {
		locked: boolean;
		lockedAt: string | null;
		storedHash: string | null;
		/** Locked with review reports not fully signed: the written reason and the missing signatures per group. */
		note: MemoLockNote | null;
		/**
		 * The audit chain's head at locking: the `results.lock` entry of the current lock (its id and
		 * keyed hash), which was the head when the lock was written.
		 */
		auditEntry: { id: number; hash: string } | null;
	};
	hash: string;
	/** The 公示 period and its objections; null before the office opens one. */
	publicity: MemoPublicity | null;
	/** The re-check corrections and the votes of the meeting. */
	review: MemoReview;
	/** 版头 and 版记 settings, defaults filled in. */
	settings: MemoSettings;
	/**
	 * The sealed head of the audit log when the memo was made (last entry id and hash), printed on
	 * the memo: a later database that no longer holds this entry with this hash was rolled back.
	 */
	auditHead: { lastId: number; lastHash: string } | null;
	paragraphs: Record<MemoParagraphKey, string>;
	/** Paragraph keys whose text comes from batches.memo. */
	customParagraphs: MemoParagraphKey[];
};

/** One entry of the audit log, as the workbook lists it. */
export type AuditRow = typeof s.auditLog.$inferSelect;

/** The audit log in order, for the workbook's 审计日志 sheet. */
export function loadAuditRows(db: Db): AuditRow[] {
	return db.select().from(s.auditLog).orderBy(asc(s.auditLog.id)).all();
}

/** The audit log's head (last id and hash): the sealed head, or the last entry of an older unsealed log. */
export function loadAuditHead(db: Db): { lastId: number; lastHash: string } | null {
	const head = db.select({ lastId: s.auditHead.lastId, lastHash: s.auditHead.lastHash }).from(s.auditHead).where(eq(s.auditHead.id, 1)).get();
	if (head) return head;
	const last = db.select({ lastId: s.auditLog.id, lastHash: s.auditLog.hash }).from(s.auditLog).orderBy(desc(s.auditLog.id)).limit(1).get();
	return last ?? null;
}

/** The memo data plus the audit log: what `renderResultsWorkbook` lays out. */
export function buildWorkbookData(scope: BatchScope, opts: BuildMemoOptions = {}): MemoData & { audit: AuditRow[] } {
	return { ...buildMemoData(scope, opts), audit: loadAuditRows(scope.db) };
}

/* ---------- Small helpers (exported for the renderers and tests) ---------- */

export { canonicalJson, expertAlias };

/** Two decimals for display, "—" for null. */
export function scoreText(x: number | null): string {
	return x == null ? '—' : round2(x).toFixed(2);
}

/** The part of the results that the memo reports and the hash covers. */
export function hashedResults(results: Results) {
	return {
		method: results.method,
		settings: results.settings,
		groups: results.groups.map((g) => ({
			occupation: g.occupation,
			type: g.type,
			applications: g.applications.map((a) => ({
				id: a.id,
				score: a.score,
				n: a.n,
				rank: a.rank,
				proposed: a.proposed,
				flags: [...a.flags],
				decision: a.decision
			}))
		}))
	};
}

/** SHA-256 (hex) over the canonical JSON of `hashedResults`. */
export function resultsDigest(results: Results): string {
	return createHash('sha256').update(canonicalJson(hashedResults(results)), 'utf8').digest('hex');
}

/** YYYY-MM-DD in Beijing time of an ISO timestamp (a bare date is returned as is). */
export { beijingDate };

/** "2026年11月25日" — Arabic numerals, no leading zeros (GB/T 9704-2012, 7.3.5.1). */
export function chineseDate(date: string | null): string {
	if (!date) return '';
	const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
	if (!m) return date;
	return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
}

const CN_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (1–99). */
export function chineseNumber(n: number): string {
	if (n < 10) return CN_DIGITS[n];
	const tens = Math.floor(n / 10);
	const ones = n % 10;
	return `${tens === 1 ? '' : CN_DIGITS[tens]}十${ones ? CN_DIGITS[ones] : ''}`;
}

const typeLabel = (t: string) => labelOf(APPLICATION_TYPES, t);
const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const excludedOrNull = (why: string | null): string | null => (why == null ? null : excludedLabel(why));

/* ---------- Building the data ---------- */

type ObjectionRow = typeof s.objections.$inferSelect;

/** What the section builders need to know about the batch's applications. */
type Counted = {
	isCounted: (applicationId: string) => boolean;
	describe: (applicationId: string) => { institutionName: string; occupation: string; occupationLabel: string; type: string; typeLabel: string };
};

export const OBJECTOR_LABELS: Record<ObjectionRow['objectorKind'], string> = { unit: '单位', person: '个人' };
export const OBJECTION_STATUS_LABELS: Record<s.ObjectionStatus, string> = { received: '待受理', accepted: '已受理', rejected: '不予受理', closed: '已办结' };
export const OBJECTION_OUTCOME_LABELS: Record<NonNullable<ObjectionRow['outcome']>, string> = { upheld: '异议成立', partly: '异议部分成立', dismissed: '异议不成立' };

/** The 公示 period and every objection of the batch with its outcome; null before publicity opens. */
export function publicitySection(scope: BatchScope, batchRow: s.BatchRow | undefined, c: Counted): MemoPublicity | null {
	if (!batchRow?.publicityStart || !batchRow.publicityEnd) return null;
	const objections = scope.db
		.select()
		.from(s.objections)
		.where(eq(s.objections.batchId, scope.batch.id))
		.orderBy(asc(s.objections.receivedDate), asc(s.objections.id))
		.all()
		.map((o): MemoObjection => {
			const a = c.describe(o.applicationId);
			return {
				id: o.id,
				applicationId: o.applicationId,
				institutionName: a.institutionName,
				occupationLabel: a.occupationLabel,
				typeLabel: a.typeLabel,
				objectorLabel: OBJECTOR_LABELS[o.objectorKind] ?? '—',
				receivedDate: o.receivedDate,
				status: o.status,
				statusLabel: OBJECTION_STATUS_LABELS[o.status],
				outcome: o.outcome,
				outcomeLabel: o.outcome ? OBJECTION_OUTCOME_LABELS[o.outcome] : null,
				notes: (o.status === 'rejected' ? o.admissionReason : o.outcomeNotes)?.trim() || null,
				repliedDate: o.repliedAt ? beijingDate(o.repliedAt) : null,
				open: o.status === 'received' || o.status === 'accepted'
			};
		});
	return {
		start: batchRow.publicityStart,
		end: batchRow.publicityEnd,
		days: batchRow.publicityDays,
		closedDate: batchRow.publicityClosedAt ? beijingDate(batchRow.publicityClosedAt) : null,
		objections
	};
}

/** The re-check corrections (复核) and the meeting's votes on the reported applications. */
export function reviewSection(scope: BatchScope, c: Counted): MemoReview {
	const corrections = scope.db
		.select({ sheetId: s.scoreCorrections.sheetId, applicationId: s.sheets.applicationId })
		.from(s.scoreCorrections)
		.innerJoin(s.sheets, eq(s.sheets.id, s.scoreCorrections.sheetId))
		.innerJoin(s.applications, eq(s.applications.id, s.sheets.applicationId))
		.where(eq(s.applications.batchId, scope.batch.id))
		.all()
		.filter((r) => c.isCounted(r.applicationId));
	const rounds = scope.db
		.select({ applicationId: s.voteRounds.applicationId, closedAt: s.voteRounds.closedAt })
		.from(s.voteRounds)
		.innerJoin(s.applications, eq(s.applications.id, s.voteRounds.applicationId))
		.where(eq(s.applications.batchId, scope.batch.id))
		.all()
		.filter((r) => c.isCounted(r.applicationId));
	const closed = rounds.filter((r) => r.closedAt != null);
	return {
		corrections: corrections.length,
		correctedSheets: new Set(corrections.map((r) => r.sheetId)).size,
		voteRounds: closed.length,
		votedApplications: new Set(closed.map((r) => r.applicationId)).size,
		openVoteRounds: rounds.length - closed.length
	};
}

/** The lock note (locked with unsigned review reports): the reason and how many signatures each group lacked. */
export function lockNoteSection(batchRow: s.BatchRow | undefined): MemoLockNote | null {
	const note = batchRow?.resultsLockedAt ? batchRow.lockNote : null;
	if (!note || typeof note.reason !== 'string') return null;
	const missing = (Array.isArray(note.missing) ? note.missing : [])
		.filter((m) => Array.isArray(m.expertIds) && m.expertIds.length > 0)
		.map((m) => ({ occupationLabel: occupationLabel(m.occupation), typeLabel: typeLabel(m.type), count: m.expertIds.length }));
	return { reason: note.reason.trim(), missing };
}

/** The `results.lock` audit entry of the current lock: the head of the audit chain when it was written. */
export function lockAuditEntry(scope: BatchScope, batchRow: s.BatchRow | undefined): { id: number; hash: string } | null {
	if (!batchRow?.resultsLockedAt) return null;
	const row = scope.db
		.select({ id: s.auditLog.id, hash: s.auditLog.hash })
		.from(s.auditLog)
		.where(and(eq(s.auditLog.action, 'results.lock'), eq(s.auditLog.entity, 'batch'), eq(s.auditLog.entityId, scope.batch.id)))
		.orderBy(desc(s.auditLog.id))
		.limit(1)
		.get();
	return row ?? null;
}

export type BuildMemoOptions = { now?: Date };

export function buildMemoData(scope: BatchScope, opts: BuildMemoOptions = {}): MemoData {
	const { db } = scope;
	const now = opts.now ?? new Date();
	// Only recommended applications are reported (received, checked, reviewed, overridden, visited):
	// a draft or a returned application appears nowhere in the memo but in the count of returned ones.
	const { results, findings, conflicts, counted } = computeResults(scope);
	const isCounted = (applicationId: string) => counted.has(applicationId);
	const batchRow = batchById(db, scope.batch.id);
	const batch = findings.batch;

	const institutionName = new Map(findings.institutions.map((i) => [i.id, i.name]));
	const apps = new Map(findings.applications.map((a) => [a.app.id, a]));
	const nameOf = (applicationId: string) => {
		const a = apps.get(applicationId);
		return a ? (institutionName.get(a.app.institutionId) ?? a.app.institutionId) : applicationId;
	};

	/* received */
	const received = recommendedApplications(findings);
	const countRows = (
		keys: { key: string; label: string }[],
		keyOf: (a: (typeof received)[number]) => string,
		labelFor: (k: string) => string
	): CountRow[] => {
		const rows = new Map<string, CountRow>(keys.map((k) => [k.key, { key: k.key, label: k.label, training: 0, evaluation: 0, total: 0 }]));
		for (const a of received) {
			const k = keyOf(a);
			let row = rows.get(k);
			if (!row) rows.set(k, (row = { key: k, label: labelFor(k), training: 0, evaluation: 0, total: 0 }));
			row[a.app.type]++;
			row.total++;
		}
		return [...rows.values()];
	};
	const byOccupation = countRows(
		OCCUPATIONS.map((o) => ({ key: o.key, label: o.label })),
		(a) => a.app.occupation,
		occupationLabel
	);
	const byRegion = countRows(
		REGIONS.map((r) => ({ key: r.key, label: r.label })),
		(a) => a.app.region,
		regionLabel
	);

	/* formal check (over the received applications) */
	const blockedIds = blockingApplications(findings);
	const blocked: MemoData['formalCheck']['blocked'] = [];
	const warnings: MemoData['formalCheck']['warnings'] = [];
	const warningApps = new Set<string>();
	let clean = 0;
	for (const a of received) {
		const list = sortFindings(findings.findings.get(a.app.id) ?? []);
		if (list.length === 0) clean++;
		const overridden = findings.overrides.get(a.app.id);
		if (blockedIds.has(a.app.id)) {
			blocked.push({
				applicationId: a.app.id,
				institutionName: nameOf(a.app.id),
				occupationLabel: occupationLabel(a.app.occupation),
				typeLabel: typeLabel(a.app.type),
				regionLabel: regionLabel(a.app.region),
				findings: list
					.filter((f) => f.severity === 'blocking' && !overridden?.has(f.code))
					.map((f) => ({ code: f.code, label: findingLabel(f.code), detail: f.detail }))
			});
		}
		for (const f of list) {
			if (f.severity !== 'warning') continue;
			warningApps.add(a.app.id);
			warnings.push({ applicationId: a.app.id, institutionName: nameOf(a.app.id), code: f.code, label: findingLabel(f.code), detail: f.detail });
		}
	}
	const overrides = db
		.select()
		.from(s.findingOverrides)
		.orderBy(asc(s.findingOverrides.at), asc(s.findingOverrides.applicationId), asc(s.findingOverrides.code))
		.all()
		.filter((o) => isCounted(o.applicationId))
		.map((o) => {
			const a = apps.get(o.applicationId)?.app;
			return {
				applicationId: o.applicationId,
				institutionName: nameOf(o.applicationId),
				occupationLabel: a ? occupationLabel(a.occupation) : '',
				typeLabel: a ? typeLabel(a.type) : '',
				regionLabel: a ? regionLabel(a.region) : '',
				code: o.code,
				label: isFindingCode(o.code) ? findingLabel(o.code) : o.code,
				reason: o.reason,
				at: o.at
			};
		});

	/* experts, assignments, conflicts */
	const assignments = db
		.select({ a: s.assignments.applicationId, e: s.assignments.expertId })
		.from(s.assignments)
		.all()
		.filter((r) => isCounted(r.a));
	const declarations = db
		.select({ a: s.declarations.applicationId, e: s.declarations.expertId })
		.from(s.declarations)
		.all()
		.filter((r) => isCounted(r.a));
	const scores = loadScores(scope).filter((sc) => isCounted(sc.applicationId));
	const sheetRows = db
		.select({ a: s.sheets.applicationId, e: s.sheets.expertId, rubricId: s.sheets.rubricId, submittedAt: s.sheets.submittedAt, status: s.sheets.status })
		.from(s.sheets)
		.all()
		.filter((r) => isCounted(r.a));
	const sheetMeta = new Map(sheetRows.map((r) => [pairKey(r.a, r.e), r]));
	const pointsOf = new Map(scores.map((sc) => [pairKey(sc.applicationId, sc.expertId), sc.points]));
	const expertList = loadExperts(db);
	const expertIndex = new Map(expertList.map((e, i) => [e.id, i]));
	const work = new Map<string, WorkloadRow>();
	const workRow = (expertId: string) => {
		let w = work.get(expertId);
		if (!w) {
			const e = expertList[expertIndex.get(expertId) ?? -1];
			work.set(expertId, (w = { expertId, name: e?.name ?? expertId, workUnit: e?.workUnit ?? null, assigned: 0, submitted: 0, recused: 0, declared: 0, excluded: 0 }));
		}
		return w;
	};
	let recusals = 0;
	for (const a of assignments) {
		const w = workRow(a.e);
		w.assigned++;
		if (conflicts.hard.has(pairKey(a.a, a.e))) {
			w.recused++;
			recusals++;
		}
	}
	for (const d of declarations) workRow(d.e).declared++;
	let submittedSheets = 0;
	for (const sc of scores) {
		const w = workRow(sc.expertId);
		if (sc.status === 'submitted') {
			w.submitted++;
			submittedSheets++;
		}
	}
	let excludedSheets = 0;
	for (const g of results.groups)
		for (const a of g.applications)
			for (const e of a.excluded) {
				workRow(e.expertId).excluded++;
				excludedSheets++;
			}
	const workload = [...work.values()].sort(
		(a, b) => (expertIndex.get(a.expertId) ?? Infinity) - (expertIndex.get(b.expertId) ?? Infinity) || byString(a.expertId, b.expertId)
	);
	const involvedIds = new Set(workload.filter((w) => w.assigned > 0 || w.submitted > 0).map((w) => w.expertId));
	const committed = db
		.select({ e: s.commitments.expertId })
		.from(s.commitments)
		.where(eq(s.commitments.batchId, batch.id))
		.all()
		.filter((c) => involvedIds.has(c.e)).length;

	/* rubrics: those the sheets use, else the latest of each type */
	const allRubrics = loadRubrics(scope);
	const usedRubrics = new Set(sheetRows.map((r) => r.rubricId));
	const rubrics: MemoRubric[] = [];
	for (const t of TYPES) {
		const ofType = allRubrics.filter((r) => r.type === t);
		const used = ofType.filter((r) => usedRubrics.has(r.id));
		for (const r of used.length ? used : ofType.slice(-1)) {
			rubrics.push({
				id: r.id,
				type: t,
				typeLabel: typeLabel(t),
				criteria: r.criteria.map((c) => ({ id: c.id, name: c.name, maxPoints: c.maxPoints })),
				total: r.criteria.reduce((sum, c) => sum + c.maxPoints, 0)
			});
		}
	}

	/* results per group */
	const decisionRows = new Map(
		db.select({ a: s.decisions.applicationId, reason: s.decisions.reason }).from(s.decisions).all().map((d) => [d.a, d.reason])
	);
	const held = heldGroups(scope);
	const groups: MemoGroup[] = results.groups.map((g) => {
		const expertIds = [...new Set(g.applications.flatMap((a) => a.sheets.map((sh) => sh.expertId)))].sort(byString);
		const alias = new Map(expertIds.map((id, i) => [id, expertAlias(i)]));
		const applications: MemoApplication[] = g.applications.map((r) => {
			const a = apps.get(r.id);
			const app = a?.app;
			return {
				id: r.id,
				institutionId: app?.institutionId ?? '',
				institutionName: nameOf(r.id),
				occupation: g.occupation,
				occupationLabel: occupationLabel(g.occupation),
				type: g.type,
				typeLabel: typeLabel(g.type),
				region: app?.region ?? '',
				regionLabel: app ? regionLabel(app.region) : '',
				levels: app?.levels ?? [],
				levelLabels: (app?.levels ?? []).map((l) => labelOf(LEVELS, l)),
				status: a?.row.status ?? 'submitted',
				score: r.score,
				scoreRounded: r.score == null ? null : round2(r.score),
				scoreText: scoreText(r.score),
				rank: r.rank,
				n: r.n,
				flags: [...r.flags],
				flagLabels: r.flags.map((f) => FLAG_LABELS[f]),
				proposed: r.proposed,
				defaultProposed: r.defaultProposed,
				blocked: blockedIds.has(r.id),
				decision: r.decision,
				decisionLabel: r.decision ? labelOf(DECISIONS, r.decision) : '',
				decisionReason: decisionRows.get(r.id) ?? null,
				mean: r.mean,
				criterionMeans: { ...r.criterionMeans },
				sheets: r.sheets.map((sh) => {
					const key = pairKey(r.id, sh.expertId);
					const meta = sheetMeta.get(key);
					return {
						expertId: sh.expertId,
						alias: alias.get(sh.expertId)!,
						rubricId: meta?.rubricId ?? null,
						status: sh.status,
						points: { ...(pointsOf.get(key) ?? {}) },
						total: sh.total,
						valid: sh.valid,
						excludedWhy: sh.excludedWhy,
						excludedLabel: excludedOrNull(sh.excludedWhy),
						abnormal: sh.abnormal,
						deviation: sh.deviation,
						submittedAt: meta?.submittedAt ?? null
					};
				})
			};
		});
		return {
			occupation: g.occupation,
			occupationLabel: occupationLabel(g.occupation),
			type: g.type,
			typeLabel: typeLabel(g.type),
			applications,
			proposed: applications.filter((a) => a.proposed),
			experts: expertIds.map((expertId) => ({ expertId, alias: alias.get(expertId)! })),
			heldBy: held.get(groupKey(g.occupation, g.type)) ?? []
		};
	});
	// Display order: training before evaluation, occupations in the order of the notice.
	const occupationOrder = new Map<string, number>(OCCUPATIONS.map((o, i) => [o.key, i]));
	const pos = (k: string) => occupationOrder.get(k) ?? OCCUPATIONS.length;
	groups.sort((a, b) => TYPES.indexOf(a.type) - TYPES.indexOf(b.type) || pos(a.occupation) - pos(b.occupation) || byString(a.occupation, b.occupation));
	const proposedCount = groups.reduce((n, g) => n + g.proposed.length, 0);

	/* site visits */
	const siteVisits = db
		.select()
		.from(s.siteVisits)
		.orderBy(asc(s.siteVisits.date), asc(s.siteVisits.id))
		.all()
		.filter((v) => isCounted(v.applicationId))
		.map((v) => {
			const a = apps.get(v.applicationId)?.app;
			return {
				applicationId: v.applicationId,
				institutionName: nameOf(v.applicationId),
				occupationLabel: a ? occupationLabel(a.occupation) : '',
				typeLabel: a ? typeLabel(a.type) : '',
				date: v.date,
				members: v.members,
				findings: v.findings
			};
		});

	const reported: Counted = {
		isCounted,
		describe: (applicationId) => {
			const a = apps.get(applicationId)?.app;
			return {
				institutionName: nameOf(applicationId),
				occupation: a?.occupation ?? '',
				occupationLabel: a ? occupationLabel(a.occupation) : '',
				type: a?.type ?? '',
				typeLabel: a ? typeLabel(a.type) : ''
			};
		}
	};

	/* dates and lock */
	const submittedTimes = sheetRows.filter((r) => r.status === 'submitted' && r.submittedAt).map((r) => r.submittedAt!);
	const latest = submittedTimes.length ? submittedTimes.reduce((m, t) => (t > m ? t : m)) : null;
	const lockedAt = batchRow?.resultsLockedAt ?? null;
	const dates = {
		deadline: batch.deadline,
		latestSubmission: latest ? beijingDate(latest) : null,
		lockedAt,
		memoDate: lockedAt ? beijingDate(lockedAt) : beijingDate(now)
	};

	const settings = results.settings;
	const method = results.method;
	const methodLabel = labelOf(AGGREGATION_METHODS, method);

	const data: Omit<MemoData, 'paragraphs' | 'customParagraphs'> = {
		batch: {
			id: batch.id,
			name: batch.name,
			deadline: batch.deadline,
			closedEvaluationOccupations: [...batch.closedEvaluationOccupations],
			aggregation: { ...batch.aggregation }
		},
		title: forBatch(MEMO_TITLE, batch.name),
		addressee: MEMO_ADDRESSEE,
		issuer: MEMO_ISSUER,
		generatedAt: now.toISOString(),
		received: {
			total: received.length,
			training: received.filter((a) => a.app.type === 'training').length,
			evaluation: received.filter((a) => a.app.type === 'evaluation').length,
			institutions: new Set(received.map((a) => a.app.institutionId)).size,
			returned: findings.applications.filter((a) => a.row.status === 'returned').length,
			byOccupation,
			byRegion
		},
		formalCheck: {
			checked: received.length,
			clean,
			blocked,
			warnings,
			warningApplications: warningApps.size,
			overrides
		},
		experts: {
			involved: involvedIds.size,
			committed,
			assignments: assignments.length,
			submittedSheets,
			recusals,
			declared: declarations.length,
			excludedSheets,
			hardConflictPairs: [...conflicts.hard.keys()].filter((k) => isCounted(k.split('|')[0])).length,
			workload
		},
		rubrics,
		aggregation: { method, methodLabel, settings },
		groups,
		proposedCount,
		siteVisits,
		dates,
		lock: {
			locked: lockedAt != null,
			lockedAt,
			storedHash: batchRow?.resultsHash ?? null,
			note: lockNoteSection(batchRow),
			auditEntry: lockAuditEntry(scope, batchRow)
		},
		hash: resultsDigest(results),
		publicity: publicitySection(scope, batchRow, reported),
		review: reviewSection(scope, reported),
		settings: memoSettingsOf(batchRow?.memo, { issuer: MEMO_ISSUER, memoDate: dates.memoDate }),
		auditHead: loadAuditHead(db)
	};

	const defaults = defaultParagraphs(data);
	const stored = batchRow?.memo ?? {};
	const paragraphs = { ...defaults };
	const customParagraphs: MemoParagraphKey[] = [];
	for (const k of MEMO_PARAGRAPH_KEYS) {
		const text = stored[k];
		if (typeof text === 'string' && text.trim() !== '') {
			paragraphs[k] = text.trim();
			customParagraphs.push(k);
		}
	}
	return { ...data, paragraphs, customParagraphs };
}

/* ---------- The default narrative ---------- */

function points(x: number): string {
	return String(round2(x));
}

/** The generated text of each narrative paragraph; a line break starts a new paragraph. */
export function defaultParagraphs(d: Omit<MemoData, 'paragraphs' | 'customParagraphs'>): Record<MemoParagraphKey, string> {
	const r = d.received;
	const fc = d.formalCheck;
	const ex = d.experts;
	const st = d.aggregation.settings;

	const intro =
		forBatch(`按照人力资源社会保障部统一部署和《${NOTICE_TITLE}》要求，我厅组织开展了第二批培训机构和评价机构的申报受理、形式审查和专家评审工作。`, d.batch.name) +
		'现将评审结果报告如下：';

	const occupationsWith = r.byOccupation.filter((o) => o.total > 0).length;
	const regionsWith = r.byRegion.filter((o) => o.total > 0).length;
	const deadline = d.dates.deadline ? `申报截止日期为${chineseDate(d.dates.deadline)}。` : '';
	const organisation = [
		`${deadline}各市人力资源社会保障局和沈抚示范区党建工作部共推荐申报${r.total}项（一家机构申报一个职业、一个类别为一项），涉及机构${r.institutions}家，其中培训机构${r.training}项、评价机构${r.evaluation}项，覆盖${occupationsWith}个职业、${regionsWith}个地区，分布情况见表1、表2。` +
			(r.returned ? `另有${r.returned}项已退回推荐单位补正，未纳入统计。` : ''),
		`我厅对申报材料逐项进行了形式审查，核验统一社会信用代码、法定代表人身份证号码、成立时间、年培训（考核）规模、纳税和信用记录、推荐名额、附件材料和推荐意见等。` +
			`${fc.checked}项申报中，` +
			[
				`${fc.clean}项未发现问题`,
				fc.warningApplications ? `${fc.warningApplications}项存在提示性问题（共${fc.warnings.length}条），不影响参评` : '',
				fc.overrides.length ? `${fc.overrides.length}条否决性问题经核实后予以书面豁免（理由见附件2）` : '',
				fc.blocked.length ? `${fc.blocked.length}项存在未解决的否决性问题，不列入拟推荐范围` : '无未解决的否决性问题'
			]
				.filter((x) => x !== '')
				.join('；') +
			'。'
	].join('\n');

	const conflicts =
		`我厅从省级专家库中按职业领域抽取评审专家，共${ex.involved}名专家参与评审，分配评审任务${ex.assignments}人次，提交评分表${ex.submittedSheets}份。` +
		(ex.involved > 0 && ex.committed === ex.involved
			? '评审前，全体评审专家签署了诚信和保密承诺。'
			: ex.committed > 0
				? `评审前，${ex.committed}名评审专家签署了诚信和保密承诺。`
				: '') +
		'系统对专家与申报单位的工作单位、申报材料所列师资（命题专家）、法定代表人和联系人逐一比对，专家本人亦申报回避事项。' +
		(ex.hardConflictPairs === 0
			? '未发现需回避的情形'
			: `共识别需回避情形${ex.hardConflictPairs}对（其中专家主动申报${ex.declared}项），` +
				(ex.recusals === 0 ? '相关专家均未分配对应申报的评审任务' : `已分配的评审任务中专家回避${ex.recusals}人次`)) +
		(ex.excludedSheets ? `；因回避等原因不计入汇总的评分表${ex.excludedSheets}份。` : '。');

	const byType = TYPES.map((t) => d.rubrics.filter((rb) => rb.type === t).at(-1)).filter((rb) => rb !== undefined);
	const totals = [...new Set(byType.map((rb) => points(rb.total)))];
	const rubricText = byType.length
		? `评分标准按申报类别分别制定，${byType.map((rb) => `${rb.typeLabel}设${rb.criteria.length}个评分项`).join('、')}，满分${totals.length === 1 ? `均为${totals[0]}` : totals.join('、')}分，各项分值见表3。`
		: '';
	const methodText =
		st.method === 'trimmed'
			? '有效评分表达到5份的，去掉一个最高分和一个最低分后取算术平均值，不足5份的取算术平均值'
			: st.method === 'mean'
				? '取有效评分表总分的算术平均值'
				: st.method === 'median'
					? '取有效评分表总分的中位数'
					: '将每位专家在同一组内的评分换算为标准分（Z分数）后取平均，再按该组全部有效评分的平均值和标准差还原为百分制分数';
	const method = [
		`${rubricText}专家按评分标准逐项独立打分（以0.5分为最小单位），评分表总分为各项得分之和。`,
		`每项申报的得分按以下方法汇总：${methodText}。有效评分表不足${st.minReviews}份的不予排名。` +
			'同一职业、同一类别的申报按未经四舍五入的得分由高到低排名，得分相同的并列，得分保留两位小数。' +
			`得分不低于${points(st.passScore)}分且无未解决否决性问题的，列为拟推荐` +
			(st.maxPerGroup != null ? `，每个职业每个类别拟推荐不超过${st.maxPerGroup}家` : '') +
			'；评审会议可结合实地考察等情况调整，并说明理由。',
		`专家评分极差超过${points(st.dispersionThreshold)}分的，标记为“评分分歧大”；单份评分偏离该项申报平均分${points(st.deviationPct)}%以上的，标记为“异常评分”，由相关专家书面说明理由。`
	].join('\n');

	const all = d.groups.flatMap((g) => g.applications);
	const ranked = all.filter((a) => a.rank != null).length;
	const proposedOf = (t: AppType) => d.groups.filter((g) => g.type === t).reduce((n, g) => n + g.proposed.length, 0);
	const adjusted = all.filter((a) => a.decision != null && a.proposed !== a.defaultProposed);
	const siteVisitApps = new Set(d.siteVisits.map((v) => v.applicationId)).size;
	const results =
		`经专家评审和评审会议审议，${ranked}项申报完成评分排名` +
		(all.length > ranked ? `（另有${all.length - ranked}项有效评分表不足${st.minReviews}份，不予排名）` : '') +
		`，拟推荐机构${d.proposedCount}家次，其中培训机构${proposedOf('training')}家次、评价机构${proposedOf('evaluation')}家次。` +
		(adjusted.length ? `评审会议对${adjusted.length}项申报调整了按默认规则得出的推荐结果，理由见附件1。` : '') +
		(siteVisitApps ? `评审期间对${siteVisitApps}家机构进行了实地考察，考察情况见附件3。` : '') +
		'分类别、分职业拟推荐名单如下，全部申报的得分情况见附件1。';

	const closing = '以上评审结果意见，请予审核确定。';

	return { intro, organisation, method, conflicts, review: reviewParagraph(d.review), results, publicity: publicityParagraph(d), closing };
}

/** 评分复核和会议表决情况: the corrections of the re-check and the votes held. */
export function reviewParagraph(r: MemoReview): string {
	const recheck =
		'评审结果锁定前，我厅对评分表进行了复核，核对总分与各项得分是否一致、分值是否超出范围、客观评分项的评分是否一致以及异常评分，' +
		(r.corrections
			? `更正评分${r.corrections}处，涉及评分表${r.correctedSheets}份，更正前后的分值、理由和经办人均记入评审报告。`
			: '未更正评分。');
	const votes = r.voteRounds
		? `评审会议对${r.votedApplications}项申报的推荐意见进行了表决（共${r.voteRounds}轮），表决结果记入评审报告。`
		: '评审会议未进行表决，推荐意见按默认规则确定或由会议记录理由。';
	return [recheck, votes + (r.openVoteRounds ? `另有${r.openVoteRounds}轮表决尚未结束。` : '')].join('\n');
}

/** 公示和异议处理情况: the period, the objections and their outcomes, the groups still held. */
export function publicityParagraph(d: Pick<MemoData, 'publicity' | 'lock' | 'groups'>): string {
	const p = d.publicity;
	if (!p) return d.lock.locked ? '评审结果尚未公示，公示情况和异议处理结果将另行报告。' : '';
	const days = p.days ? `（${p.days}个工作日）` : '';
	const period = `评审结果于${chineseDate(p.start)}至${chineseDate(p.end)}进行了公示${days}${p.closedDate ? '，公示期已结束' : '，目前公示期尚未结束'}。`;
	const list = p.objections;
	if (list.length === 0) return period + (p.closedDate ? '公示期间未收到异议。' : '截至目前未收到异议。');
	const count = (pred: (o: MemoObjection) => boolean) => list.filter(pred).length;
	const parts = [
		count((o) => o.status === 'rejected') ? `不予受理${count((o) => o.status === 'rejected')}件` : '',
		count((o) => o.outcome === 'upheld' && o.status === 'closed') ? `经调查核实异议成立${count((o) => o.outcome === 'upheld' && o.status === 'closed')}件` : '',
		count((o) => o.outcome === 'partly' && o.status === 'closed') ? `部分成立${count((o) => o.outcome === 'partly' && o.status === 'closed')}件` : '',
		count((o) => o.outcome === 'dismissed' && o.status === 'closed') ? `不成立${count((o) => o.outcome === 'dismissed' && o.status === 'closed')}件` : '',
		count((o) => o.status === 'closed' && o.outcome == null) ? `已办结${count((o) => o.status === 'closed' && o.outcome == null)}件` : '',
		count((o) => o.open) ? `尚在处理中${count((o) => o.open)}件` : ''
	].filter((x) => x !== '');
	const held = d.groups.filter((g) => g.heldBy.length > 0);
	return (
		period +
		`公示期间共收到实名异议${list.length}件，其中${parts.join('，')}，处理情况见下表。` +
		(held.length ? `因异议尚在处理，${held.map((g) => `${g.occupationLabel}（${g.typeLabel}）`).join('、')}的拟推荐名单暂不确定，已在名单中标注。` : '')
	);
}
