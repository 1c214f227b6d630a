/**
 * The formal check (形式审查) of domain.md, "Findings of the formal check": one pure function per
 * finding code, each returning the findings it raises (an empty list when the rule is met).
 */
import { quotaFor, type Application, type Batch, type Institution } from './bundle';
import {
	ID_PROBLEM_TEXT,
	USCC_PROBLEM_TEXT,
	countChars,
	idNumberProblem,
	maskIdNumber,
	usccProblem
} from './identifiers';
import { occupationLabel } from './occupations';
import { regionLabel } from './regions';
import { APPLICATION_TYPES, NARRATIVES, labelOf, narrativeLabel } from './vocabulary';

export type Severity = 'blocking' | 'warning';
export type FindingCode =
	| 'USCC_INVALID'
	| 'LEGAL_REP_ID_INVALID'
	| 'EVAL_OCCUPATION_CLOSED'
	| 'QUOTA_EXCEEDED'
	| 'DISHONEST_RECORD'
	| 'FOUNDED_AFTER_CUTOFF'
	| 'SCALE_BELOW_MIN'
	| 'MISSING_ATTACHMENT'
	| 'MISSING_RECOMMENDATION'
	| 'NO_LEVEL'
	| 'TEXT_TOO_LONG'
	| 'TOTALS_MISMATCH'
	| 'LATE_SUBMISSION'
	| 'ALREADY_IN_DIRECTORY';
export type Finding = { code: FindingCode; severity: Severity; detail: string };

/** The rules in the table order of domain.md, with a short Chinese label for the interface. */
export const FINDING_RULES: readonly { code: FindingCode; severity: Severity; label: string }[] = [
	{ code: 'USCC_INVALID', severity: 'blocking', label: '统一社会信用代码无效' },
	{ code: 'LEGAL_REP_ID_INVALID', severity: 'warning', label: '法定代表人身份证号码有误' },
	{ code: 'EVAL_OCCUPATION_CLOSED', severity: 'blocking', label: '该职业本批次不受理评价机构' },
	{ code: 'QUOTA_EXCEEDED', severity: 'blocking', label: '超出推荐名额' },
	{ code: 'DISHONEST_RECORD', severity: 'blocking', label: '有失信记录' },
	{ code: 'FOUNDED_AFTER_CUTOFF', severity: 'warning', label: '成立时间晚于要求' },
	{ code: 'SCALE_BELOW_MIN', severity: 'blocking', label: '年规模不足' },
	{ code: 'MISSING_ATTACHMENT', severity: 'blocking', label: '缺少附件材料' },
	{ code: 'MISSING_RECOMMENDATION', severity: 'blocking', label: '缺少推荐意见' },
	{ code: 'NO_LEVEL', severity: 'blocking', label: '未选择申报等级' },
	{ code: 'TEXT_TOO_LONG', severity: 'warning', label: '文字超出字数限制' },
	{ code: 'TOTALS_MISMATCH', severity: 'warning', label: '合计数不一致' },
	{ code: 'LATE_SUBMISSION', severity: 'warning', label: '逾期推荐' },
	{ code: 'ALREADY_IN_DIRECTORY', severity: 'warning', label: '已在目录中' }
];

export const FINDING_CODES: readonly FindingCode[] = FINDING_RULES.map((r) => r.code);

const ruleIndex = new Map<string, number>(FINDING_RULES.map((r, i) => [r.code, i]));

export function isFindingCode(code: string): code is FindingCode {
	return ruleIndex.has(code);
}

export function findingSeverity(code: FindingCode): Severity {
	return FINDING_RULES[ruleIndex.get(code)!].severity;
}

export function findingLabel(code: FindingCode): string {
	return FINDING_RULES[ruleIndex.get(code)!].label;
}

function finding(code: FindingCode, detail: string): Finding {
	return { code, severity: findingSeverity(code), detail };
}

/** Stable sort into FINDING_RULES order (findings of one code keep their relative order). */
export function sortFindings(findings: Finding[]): Finding[] {
	return [...findings].sort((a, b) => ruleIndex.get(a.code)! - ruleIndex.get(b.code)!);
}

function isBlank(s: string | null | undefined): boolean {
	return s == null || s.trim() === '';
}

function typeLabel(type: Application['type']): string {
	return labelOf(APPLICATION_TYPES, type);
}

/* ---------- One function per rule ---------- */

/** USCC_INVALID: no institution, no code, or the code fails GB 32100-2015. */
export function checkUscc(inst: Institution | undefined): Finding[] {
	if (!inst) return [finding('USCC_INVALID', '未找到申报单位信息，无法核验统一社会信用代码')];
	const code = inst.uscc;
	if (code == null || isBlank(code)) return [finding('USCC_INVALID', '未填写统一社会信用代码')];
	const problem = usccProblem(code);
	if (problem === null) return [];
	const length = problem === 'length' ? `（现为 ${[...code].length} 位）` : '';
	return [finding('USCC_INVALID', `统一社会信用代码 ${code} ${USCC_PROBLEM_TEXT[problem]}${length}`)];
}

/**
 * LEGAL_REP_ID_INVALID: the legal representative's ID number is missing or fails GB 11643-1999.
 * The detail shows the number masked (personal data). A missing institution is USCC_INVALID's
 * business, so nothing is raised here for it.
 */
export function checkLegalRepId(inst: Institution | undefined, today?: string): Finding[] {
	if (!inst) return [];
	const id = inst.legalRep?.idNumber;
	if (id == null || isBlank(id)) return [finding('LEGAL_REP_ID_INVALID', '未填写法定代表人身份证号码')];
	const problem = idNumberProblem(id, today);
	if (problem === null) return [];
	return [finding('LEGAL_REP_ID_INVALID', `法定代表人身份证号码 ${maskIdNumber(id)} ${ID_PROBLEM_TEXT[problem]}`)];
}

/** EVAL_OCCUPATION_CLOSED: an evaluation application for an occupation closed in this batch. */
export function checkEvalOccupationClosed(app: Application, batch: Batch): Finding[] {
	if (app.type !== 'evaluation' || !batch.closedEvaluationOccupations.includes(app.occupation)) return [];
	return [finding('EVAL_OCCUPATION_CLOSED', `本批次不受理${occupationLabel(app.occupation)}的评价机构申报`)];
}

/**
 * QUOTA_EXCEEDED: `cellCount` recommended applications in the application's (region, occupation,
 * type) cell exceed the quota. A null quota means no limit.
 */
export function checkQuota(app: Application, cellCount: number, batch: Batch): Finding[] {
	const quota = quotaFor(batch, app.type, app.region);
	if (quota === null || cellCount <= quota) return [];
	const cell = `${regionLabel(app.region)} · ${occupationLabel(app.occupation)} · ${typeLabel(app.type)}`;
	return [finding('QUOTA_EXCEEDED', `${cell}：推荐 ${cellCount} 家，名额 ${quota} 家`)];
}

/** DISHONEST_RECORD: any tax year marks a dishonesty record. */
export function checkDishonest(inst: Institution | undefined): Finding[] {
	if (!inst) return [];
	const years = [...new Set(inst.taxes.filter((t) => t.dishonest === true).map((t) => t.year))].sort((a, b) => a - b);
	if (years.length === 0) return [];
	return [finding('DISHONEST_RECORD', `纳税情况中 ${years.join('、')} 年度有失信行为记录`)];
}

/** FOUNDED_AFTER_CUTOFF: founded after the batch cutoff (the cutoff day itself is fine). */
export function checkFounded(inst: Institution | undefined, batch: Batch): Finding[] {
	const founded = inst?.founded;
	const cutoff = batch.foundedOnOrBefore;
	if (!founded || !cutoff || founded <= cutoff) return [];
	return [finding('FOUNDED_AFTER_CUTOFF', `成立日期 ${founded} 晚于 ${cutoff}（原则上应在此日期及以前成立）`)];
}

/**
 * The largest annual figure of an application with its year (null when no row gives a number):
 * training, the largest yearly total trained; evaluation, the largest yearly sum of certificates
 * issued over the certificate rows of that year. Null figures are ignored.
 */
export function largestAnnualScale(app: Application): { value: number; year: number | null } {
	const perYear = new Map<number, number>();
	if (app.type === 'training') {
		for (const row of app.trainingYears) {
			if (row.total == null) continue;
			perYear.set(row.year, Math.max(perYear.get(row.year) ?? 0, row.total));
		}
	} else {
		for (const row of app.evaluationYears) {
			if (row.issued == null) continue;
			perYear.set(row.year, (perYear.get(row.year) ?? 0) + row.issued);
		}
	}
	let best: { value: number; year: number | null } = { value: 0, year: null };
	for (const [year, value] of perYear) {
		if (best.year === null || value > best.value || (value === best.value && year > best.year)) best = { value, year };
	}
	return best;
}

/** SCALE_BELOW_MIN: the largest annual figure is below the batch minimum (none when no minimum). */
export function checkScale(app: Application, batch: Batch): Finding[] {
	const min = batch.minAnnualScale;
	if (min == null) return [];
	const { value, year } = largestAnnualScale(app);
	if (value >= min) return [];
	const what = app.type === 'training' ? '年培训人数' : '年颁证数量';
	const figure = year === null ? `未填写，按 0 人次计` : `最高为 ${value} 人次（${year} 年）`;
	return [finding('SCALE_BELOW_MIN', `${what}${figure}，低于最低要求 ${min} 人次`)];
}

/** MISSING_ATTACHMENT: no registration certificate, or neither credit report nor integrity commitment. */
export function checkAttachments(app: Application): Finding[] {
	const a = app.attachments;
	const missing: string[] = [];
	if (!a?.registrationCertificate) missing.push('法人登记证书复印件');
	if (!a?.creditReport && !a?.integrityCommitment) missing.push('信用报告或诚信承诺书');
	if (missing.length === 0) return [];
	return [finding('MISSING_ATTACHMENT', `缺少${missing.join('；')}`)];
}

/** MISSING_RECOMMENDATION: no city recommendation, or its reason is blank. */
export function checkRecommendation(app: Application): Finding[] {
	if (!app.recommendation) return [finding('MISSING_RECOMMENDATION', '缺少推荐单位的推荐意见')];
	if (isBlank(app.recommendation.reason)) return [finding('MISSING_RECOMMENDATION', '未填写推荐单位的推荐理由')];
	return [];
}

/** NO_LEVEL: no level ticked. */
export function checkLevels(app: Application): Finding[] {
	if (app.levels.length > 0) return [];
	return [finding('NO_LEVEL', '未勾选申报等级（初级、中级、高级）')];
}

/** TEXT_TOO_LONG: one finding per narrative over its limit (whitespace not counted). */
export function checkTextLength(app: Application): Finding[] {
	const out: Finding[] = [];
	for (const n of NARRATIVES) {
		const chars = countChars(app[n.key]);
		if (chars > n.limit) {
			out.push(finding('TEXT_TOO_LONG', `${n.key}（${narrativeLabel(n.key, app.type)}）：${chars} 字，超过 ${n.limit} 字`));
		}
	}
	return out;
}

/**
 * TOTALS_MISMATCH: one finding per stated total that disagrees with its parts. Training: each
 * yearly row (independent + cooperative = total) and the teacher team (full-time + part-time =
 * total); evaluation: the assessment team (assessors + supervisors = total). A check with any
 * number missing is skipped.
 */
export function checkTotals(app: Application): Finding[] {
	const out: Finding[] = [];
	const mismatch = (what: string, aLabel: string, a: number, bLabel: string, b: number, totalLabel: string, total: number) =>
		finding('TOTALS_MISMATCH', `${what}：${aLabel} ${a} + ${bLabel} ${b} = ${a + b}，与${totalLabel} ${total} 不一致`);
	const team = app.team;
	if (app.type === 'training') {
		for (const row of app.trainingYears) {
			const { total, independent, cooperative } = row;
			if (total == null || independent == null || cooperative == null) continue;
			if (independent + cooperative !== total) {
				out.push(mismatch(`${row.year} 年培训规模`, '独立培训人数', independent, '合作培训人数', cooperative, '培训人数', total));
			}
		}
		if (team && team.total != null && team.fullTime != null && team.partTime != null && team.fullTime + team.partTime !== team.total) {
			out.push(mismatch('师资团队', '专职师资', team.fullTime, '兼职师资', team.partTime, '师资团队总人数', team.total));
		}
	} else if (
		team &&
		team.total != null &&
		team.assessors != null &&
		team.supervisors != null &&
		team.assessors + team.supervisors !== team.total
	) {
		out.push(mismatch('考评团队', '考评员', team.assessors, '督导员', team.supervisors, '考评团队总人数', team.total));
	}
	return out;
}

/** LATE_SUBMISSION: recommended after the batch deadline (the deadline day itself is in time). */
export function checkLate(app: Application, batch: Batch): Finding[] {
	const date = app.recommendation?.date;
	const deadline = batch.deadline;
	if (!date || !deadline || date <= deadline) return [];
	return [finding('LATE_SUBMISSION', `推荐日期 ${date} 晚于截止日期 ${deadline}`)];
}

/**
 * An entry of the directory (目录) the coordinating group's decisions produce: the institution holds
 * the occupation and type for the levels, from `validFrom` to `validTo` (null: no end). `batchId`
 * and `applicationId` name where it came from (null when entered by hand).
 */
export type DirectoryEntry = {
	institutionId: string;
	occupation: string;
	type: Application['type'];
	levels: string[];
	validFrom: string;
	validTo: string | null;
	documentNo?: string | null;
	batchId?: string | null;
	applicationId?: string | null;
};

/** Whether a directory entry is valid on `day` (YYYY-MM-DD): started on or before it, and no end or ending on or after it. */
export function directoryValidOn(entry: Pick<DirectoryEntry, 'validFrom' | 'validTo'>, day: string): boolean {
	return entry.validFrom <= day && (entry.validTo === null || entry.validTo >= day);
}

/** An entry's validity in words: "2022-09-01 至 2025-08-31" or "2022-09-01 起长期有效". */
export function directoryValidity(entry: Pick<DirectoryEntry, 'validFrom' | 'validTo'>): string {
	return entry.validTo ? `${entry.validFrom} 至 ${entry.validTo}` : `${entry.validFrom} 起长期有效`;
}

/**
 * ALREADY_IN_DIRECTORY: the institution already holds a directory entry for the application's
 * occupation and type that is valid on the batch's deadline (an entry with no end always counts;
 * without a deadline, `today` is the day). Entries produced by this application or this batch do
 * not count. One finding per entry, naming its validity (and 文号).
 */
export function checkDirectory(app: Application, batch: Pick<Batch, 'id' | 'deadline'>, entries: readonly DirectoryEntry[], today?: string): Finding[] {
	const day = batch.deadline ?? today ?? null;
	const out: Finding[] = [];
	for (const e of entries) {
		if (e.institutionId !== app.institutionId || e.occupation !== app.occupation || e.type !== app.type) continue;
		if (e.applicationId === app.id || (e.batchId != null && e.batchId === batch.id)) continue;
		if (e.validTo !== null && (day === null || !directoryValidOn(e, day))) continue;
		const doc = e.documentNo?.trim() ? `，文号 ${e.documentNo.trim()}` : '';
		out.push(
			finding(
				'ALREADY_IN_DIRECTORY',
				`该机构已列入${occupationLabel(app.occupation)}${typeLabel(app.type)}目录（有效期 ${directoryValidity(e)}${doc}）`
			)
		);
	}
	return out;
}

/* ---------- The whole check ---------- */

/**
 * All findings of one application, in FINDING_RULES order. `cellCount` is the number of
 * recommended applications in its quota cell; `today` bounds birth dates in ID numbers.
 */
export function checkApplication(
	app: Application,
	institution: Institution | undefined,
	batch: Batch,
	ctx: { cellCount: number; today?: string; directory?: readonly DirectoryEntry[] }
): Finding[] {
	return sortFindings([
		...checkUscc(institution),
		...checkLegalRepId(institution, ctx.today),
		...checkEvalOccupationClosed(app, batch),
		...checkQuota(app, ctx.cellCount, batch),
		...checkDishonest(institution),
		...checkFounded(institution, batch),
		...checkScale(app, batch),
		...checkAttachments(app),
		...checkRecommendation(app),
		...checkLevels(app),
		...checkTextLength(app),
		...checkTotals(app),
		...checkLate(app, batch),
		...checkDirectory(app, batch, ctx.directory ?? [], ctx.today)
	]);
}

/** The quota cell of an application: `region|occupation|type`. */
export function cellKey(app: Pick<Application, 'region' | 'occupation' | 'type'>): string {
	return `${app.region}|${app.occupation}|${app.type}`;
}

/** Number of applications per quota cell. */
export function quotaCells(applications: Application[]): Map<string, number> {
	const cells = new Map<string, number>();
	for (const app of applications) {
		const key = cellKey(app);
		cells.set(key, (cells.get(key) ?? 0) + 1);
	}
	return cells;
}

/**
 * Checks every application of a batch: application id → findings (empty when clean), in the
 * order of `applications`. `counted` picks the applications that count as recommended toward the
 * quota (default: all); only those can get QUOTA_EXCEEDED.
 */
export function checkAll(
	batch: Batch,
	institutions: Institution[],
	applications: Application[],
	opts: { today?: string; counted?: (app: Application) => boolean; directory?: readonly DirectoryEntry[] } = {}
): Map<string, Finding[]> {
	const counted = opts.counted ?? (() => true);
	const byId = new Map(institutions.map((i) => [i.id, i]));
	const isCounted = new Map(applications.map((a) => [a, counted(a)]));
	const cells = quotaCells(applications.filter((a) => isCounted.get(a)));
	const directoryOf = new Map<string, DirectoryEntry[]>();
	for (const e of opts.directory ?? []) {
		const list = directoryOf.get(e.institutionId);
		if (list) list.push(e);
		else directoryOf.set(e.institutionId, [e]);
	}
	const out = new Map<string, Finding[]>();
	for (const app of applications) {
		const cellCount = isCounted.get(app) ? (cells.get(cellKey(app)) ?? 0) : 0;
		out.set(app.id, checkApplication(app, byId.get(app.institutionId), batch, { cellCount, today: opts.today, directory: directoryOf.get(app.institutionId) }));
	}
	return out;
}

/** True when a blocking finding remains that the office has not overridden. */
export function hasUnresolvedBlocking(findings: Finding[], overridden: Set<FindingCode> | FindingCode[]): boolean {
	const done = overridden instanceof Set ? overridden : new Set(overridden);
	return findings.some((f) => f.severity === 'blocking' && !done.has(f.code));
}
