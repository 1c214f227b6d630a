/**
 * Conflicts of interest (回避) of domain.md: one check per rule of the conflicts table, between one
 * expert and one application. Every finding names its rule and the text that matched, so the
 * office can see why. Names, units and phones are compared after normalization (see
 * `normalizeText`, `unitsMatch`, `normalizePhone`); empty values never match anything.
 */
import type { Application, Declaration, Expert, Institution } from './bundle';
import { maskPhone } from './identifiers';
import { PERSON_ROLES, labelOf } from './vocabulary';

export type ConflictCode =
	| 'SAME_UNIT'
	| 'LISTED_IN_APPLICATION'
	| 'APPLICATION_CONTACT'
	| 'DECLARED'
	| 'FORMER_UNIT'
	| 'SHARED_UNIT_WITH_STAFF';

/**
 * The rules in the table order of domain.md (FORMER_UNIT, added later, after the other hard rules),
 * with a short Chinese label for the interface.
 */
export const CONFLICT_RULES: readonly { code: ConflictCode; hard: boolean; label: string }[] = [
	{ code: 'SAME_UNIT', hard: true, label: '与申报单位为同一单位' },
	{ code: 'LISTED_IN_APPLICATION', hard: true, label: '列入申报材料的师资或命题专家名单' },
	{ code: 'APPLICATION_CONTACT', hard: true, label: '为申报单位法定代表人、申报负责人或联系人' },
	{ code: 'DECLARED', hard: true, label: '专家本人声明回避' },
	{ code: 'FORMER_UNIT', hard: true, label: '近三年曾在申报单位工作' },
	{ code: 'SHARED_UNIT_WITH_STAFF', hard: false, label: '与申报材料所列人员同一单位（由主持人决定）' }
];

export const CONFLICT_CODES: readonly ConflictCode[] = CONFLICT_RULES.map((r) => r.code);

const ruleIndex = new Map<string, number>(CONFLICT_RULES.map((r, i) => [r.code, i]));

export function isConflictCode(code: string): code is ConflictCode {
	return ruleIndex.has(code);
}

export function conflictLabel(code: ConflictCode): string {
	return CONFLICT_RULES[ruleIndex.get(code)!].label;
}

export function isHardConflict(code: ConflictCode): boolean {
	return CONFLICT_RULES[ruleIndex.get(code)!].hard;
}

export type Conflict = {
	expertId: string;
	applicationId: string;
	code: ConflictCode;
	hard: boolean;
	/** Chinese explanation naming the matched text. */
	matched: string;
};

/** The key of an (application, expert) pair, as used in blocked sets. */
export const pairKey = (applicationId: string, expertId: string) => `${applicationId}|${expertId}`;

/** Minimum length (characters) of the shorter side for a containment match of two units. */
export const MIN_CONTAINMENT_CHARS = 4;

/* ---------- Normalization ---------- */

const STRIP = /[\p{P}\p{S}\p{Z}\s\p{Cc}\p{Cf}]/gu;

/**
 * Unicode NFKC (full-width to half-width), （） and () unified, whitespace, punctuation and symbols
 * dropped, Latin letters lower-cased. "ＡＢＣ科技（辽宁）有限公司 " → "abc科技辽宁有限公司".
 */
export function normalizeText(s: string | null | undefined): string {
	if (!s) return '';
	return s
		.normalize('NFKC')
		.replace(/[（]/g, '(')
		.replace(/[）]/g, ')')
		.replace(STRIP, '')
		.toLowerCase();
}

/** Digits only; a leading 86 country code is dropped from a 13-digit number. */
export function normalizePhone(p: string | null | undefined): string {
	if (!p) return '';
	const digits = p.normalize('NFKC').replace(/\D/g, '');
	return digits.length === 13 && digits.startsWith('86') ? digits.slice(2) : digits;
}

/** Length in characters (code points), not UTF-16 units. */
function charLength(s: string): number {
	let n = 0;
	for (const _ of s) n++;
	return n;
}

const hasSurrogates = (s: string) => /[\uD800-\uDFFF]/.test(s);

/** Two already normalized units match: equal, or one contains the other and the shorter has ≥ 4 characters. */
export function normalizedUnitsMatch(a: string, b: string): boolean {
	if (!a || !b) return false;
	if (a === b) return true;
	const short = a.length <= b.length ? a : b;
	const long = short === a ? b : a;
	// A character takes one or two UTF-16 units: check the cheap bounds before counting.
	if (short.length < MIN_CONTAINMENT_CHARS || !long.includes(short)) return false;
	return short.length >= 2 * MIN_CONTAINMENT_CHARS || charLength(short) >= MIN_CONTAINMENT_CHARS;
}

/**
 * Two work units (or a unit and an institution name) are the same unit: their normalized forms are
 * equal and non-empty, or one contains the other with at least 4 characters on the shorter side
 * ("东北大学计算机学院" is in "东北大学"; "沈阳市" is too short to count).
 */
export function unitsMatch(a: string | null | undefined, b: string | null | undefined): boolean {
	return normalizedUnitsMatch(normalizeText(a), normalizeText(b));
}

/** Every substring of `s` of length (in characters) between `min` and `max`, each once. */
function substrings(s: string, min: number, max: number): Set<string> {
	const out = new Set<string>();
	if (!hasSurrogates(s)) {
		const n = s.length;
		for (let len = min; len <= Math.min(max, n); len++) {
			for (let i = 0; i + len <= n; i++) out.add(s.slice(i, i + len));
		}
		return out;
	}
	const cps = Array.from(s);
	const n = cps.length;
	for (let len = min; len <= Math.min(max, n); len++) {
		for (let i = 0; i + len <= n; i++) out.add(cps.slice(i, i + len).join(''));
	}
	return out;
}

/**
 * An index over a set of normalized units that answers "which of them match this text" without
 * comparing against every unit: every substring of ≥ 4 characters is looked up both ways.
 */
export class UnitMatcher {
	readonly units: string[];
	private readonly exact = new Map<string, number>();
	private readonly containing = new Map<string, number[]>();
	private readonly maxLen: number;
	private readonly cache = new Map<string, number[]>();

	/** `units` are normalized already (see normalizeText); empty ones are ignored. */
	constructor(units: Iterable<string>) {
		this.units = [];
		let maxLen = 0;
		for (const u of units) {
			if (!u || this.exact.has(u)) continue;
			const index = this.units.length;
			this.units.push(u);
			this.exact.set(u, index);
			const len = charLength(u);
			if (len > maxLen) maxLen = len;
			for (const sub of substrings(u, MIN_CONTAINMENT_CHARS, len)) {
				const list = this.containing.get(sub);
				if (list) list.push(index);
				else this.containing.set(sub, [index]);
			}
		}
		this.maxLen = maxLen;
	}

	/** Index of a normalized unit in `units`, or -1. */
	indexOf(unit: string): number {
		return this.exact.get(unit) ?? -1;
	}

	/** Indices (ascending) of the units that match the normalized text `norm`. */
	matching(norm: string): number[] {
		if (!norm) return [];
		const cached = this.cache.get(norm);
		if (cached) return cached;
		const found = new Set<number>();
		const same = this.exact.get(norm);
		if (same !== undefined) found.add(same);
		const len = charLength(norm);
		if (len >= MIN_CONTAINMENT_CHARS) {
			// Units contained in the text.
			for (const sub of substrings(norm, MIN_CONTAINMENT_CHARS, Math.min(len, this.maxLen))) {
				const i = this.exact.get(sub);
				if (i !== undefined) found.add(i);
			}
			// Units containing the text.
			for (const i of this.containing.get(norm) ?? []) found.add(i);
		}
		const result = [...found].sort((a, b) => a - b);
		this.cache.set(norm, result);
		return result;
	}
}

/**
 * Groups units that are the same unit, transitively (A matches B and B matches C: one group).
 * Returns a group number per input, numbered from 0 in order of first appearance; an empty unit
 * is a group of its own.
 */
export function groupUnits(units: readonly (string | null | undefined)[]): number[] {
	const norms = units.map((u) => normalizeText(u));
	const matcher = new UnitMatcher(norms);
	const parent = matcher.units.map((_, i) => i);
	const find = (x: number): number => {
		while (parent[x] !== x) {
			parent[x] = parent[parent[x]];
			x = parent[x];
		}
		return x;
	};
	for (let i = 0; i < matcher.units.length; i++) {
		for (const j of matcher.matching(matcher.units[i])) {
			const a = find(i);
			const b = find(j);
			if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
		}
	}
	const numberOf = new Map<number, number>();
	let next = 0;
	return norms.map((n) => {
		if (!n) return next++;
		const root = find(matcher.indexOf(n));
		let g = numberOf.get(root);
		if (g === undefined) {
			g = next++;
			numberOf.set(root, g);
		}
		return g;
	});
}

/* ---------- Pair detection ---------- */

/**
 * How phones are compared: the key of a phone number, '' for none. By default the normalized
 * number; the server passes the keyed digest of the normalized number (HMAC-SM3, the value of the
 * `*_digest` columns), so the rules compare digests, never the numbers themselves.
 */
export type PhoneKey = (phone: string | null | undefined) => string;

/* ---------- The standing profile (issue 13, item 6) ---------- */

/**
 * One entry of an expert's standing conflict profile (table `expert_affiliations`): a unit the
 * expert worked in (`former-unit`, with the day they left) or a relative's unit (`relative-unit`,
 * with the relation: 配偶, 子女, 父母 …).
 */
export type Affiliation = {
	expertId: string;
	kind: 'former-unit' | 'relative-unit';
	unit: string;
	relation?: string | null;
	/** For a former unit: the day the expert left it (YYYY-MM-DD). */
	endedOn?: string | null;
};

/** What the standing profile adds to detection: the profiles and the batch's deadline (the window counts from it). */
export type Standing = { affiliations: readonly Affiliation[]; deadline: string | null };

/** How long a former unit counts after the expert left it (domain.md: "the last 3 years"). */
export const FORMER_UNIT_YEARS = 3;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The first day a former unit counts from: the batch's deadline minus 3 years, same month and day
 * (29 February falls back to 28 February). Null when the deadline is not a YYYY-MM-DD date.
 */
export function formerUnitCutoff(deadline: string): string | null {
	const m = ISO_DATE.exec(deadline);
	if (!m) return null;
	const year = String(Number(m[1]) - FORMER_UNIT_YEARS).padStart(4, '0');
	const day = m[2] === '02' && m[3] === '29' ? '28' : m[3];
	return `${year}-${m[2]}-${day}`;
}

/**
 * Whether a former unit the expert left on `endedOn` still counts for a batch whose deadline is
 * `deadline`: left on or after the deadline minus 3 years (the boundary day counts: a conflict of
 * interest is rather reported than missed), or later — also after the deadline. Without a batch
 * deadline, or without a leaving date, the unit counts (nothing to measure the window with).
 */
export function formerUnitInWindow(endedOn: string | null | undefined, deadline: string | null | undefined): boolean {
	if (!endedOn || !deadline) return true;
	const cutoff = formerUnitCutoff(deadline);
	return cutoff === null || endedOn >= cutoff;
}

type PreparedAffiliation = { affiliation: Affiliation; unit: string };

/**
 * The entries of the standing profiles that can raise a conflict, per expert id, normalized:
 * relatives' units, and former units inside the window of `deadline`.
 */
function prepareStanding(standing: Standing | undefined): Map<string, PreparedAffiliation[]> {
	const out = new Map<string, PreparedAffiliation[]>();
	for (const a of standing?.affiliations ?? []) {
		const unit = normalizeText(a.unit);
		if (!unit) continue;
		if (a.kind === 'former-unit' && !formerUnitInWindow(a.endedOn, standing?.deadline)) continue;
		if (a.kind !== 'former-unit' && a.kind !== 'relative-unit') continue;
		const list = out.get(a.expertId);
		if (list) list.push({ affiliation: a, unit });
		else out.set(a.expertId, [{ affiliation: a, unit }]);
	}
	return out;
}

type PreparedExpert = { expert: Expert; name: string; unit: string; phone: string };
type PreparedPerson = { row: Application['people'][number]; name: string; unit: string; phone: string };
type PreparedApplication = {
	application: Application;
	institution: Institution | undefined;
	institutionName: string;
	people: PreparedPerson[];
	lead: { name: string; phone: string };
	contact: { name: string; phone: string };
	legalRepName: string;
};

function prepareExpert(expert: Expert, phoneKey: PhoneKey): PreparedExpert {
	return {
		expert,
		name: normalizeText(expert.name),
		unit: normalizeText(expert.workUnit),
		phone: phoneKey(expert.phone)
	};
}

function prepareApplication(application: Application, institution: Institution | undefined, phoneKey: PhoneKey): PreparedApplication {
	return {
		application,
		institution,
		institutionName: normalizeText(institution?.name),
		people: (application.people ?? []).map((row) => ({
			row,
			name: normalizeText(row.name),
			unit: normalizeText(row.workUnit),
			phone: phoneKey(row.phone)
		})),
		lead: { name: normalizeText(application.lead?.name), phone: phoneKey(application.lead?.phone) },
		contact: { name: normalizeText(application.contact?.name), phone: phoneKey(application.contact?.phone) },
		legalRepName: normalizeText(institution?.legalRep?.name)
	};
}

const quote = (s: string | null | undefined) => `“${(s ?? '').trim()}”`;
const roleLabel = (role: string) => labelOf(PERSON_ROLES, role);
const unique = (list: string[]) => [...new Set(list)];

function conflict(pe: PreparedExpert, pa: PreparedApplication, code: ConflictCode, matched: string): Conflict {
	return {
		expertId: pe.expert.id,
		applicationId: pa.application.id,
		code,
		hard: isHardConflict(code),
		matched
	};
}

/** How the two normalized units relate, in words (they are known to match); `who` names the first one. */
function sameUnitText(expertUnit: string | null, institutionName: string, ne: string, ni: string, who = '专家单位'): string {
	if (ne === ni) return `${who}${quote(expertUnit)}与申报单位${quote(institutionName)}相同`;
	if (ne.includes(ni)) return `${who}${quote(expertUnit)}包含于申报单位${quote(institutionName)}`;
	return `申报单位${quote(institutionName)}包含于${who}${quote(expertUnit)}`;
}

/**
 * Every rule for one prepared pair, in rule order. `unitRows` are the indices (ascending) of the
 * listed people whose unit matches the expert's.
 */
function evaluatePair(
	pe: PreparedExpert,
	pa: PreparedApplication,
	declared: readonly string[],
	unitRows: readonly number[],
	profile: readonly PreparedAffiliation[] = []
): Conflict[] {
	const out: Conflict[] = [];
	const expert = pe.expert;

	// SAME_UNIT
	if (pa.institution && normalizedUnitsMatch(pe.unit, pa.institutionName)) {
		out.push(conflict(pe, pa, 'SAME_UNIT', sameUnitText(expert.workUnit, pa.institution.name, pe.unit, pa.institutionName)));
	}

	// LISTED_IN_APPLICATION: same name, plus the same unit or the same phone.
	const self = new Set<number>();
	const listed: string[] = [];
	if (pe.name) {
		pa.people.forEach((p, i) => {
			if (p.name !== pe.name) return;
			const unit = unitRows.includes(i);
			const phone = pe.phone !== '' && pe.phone === p.phone;
			if (!unit && !phone) return;
			self.add(i);
			const why: string[] = [];
			if (unit) why.push(`单位${quote(p.row.workUnit)}与专家单位${quote(expert.workUnit)}一致`);
			if (phone) why.push(`电话 ${maskPhone(normalizePhone(p.row.phone))} 与专家电话相同`);
			listed.push(`${roleLabel(p.row.role)}${quote(p.row.name)}：${why.join('，')}`);
		});
	}
	if (listed.length) out.push(conflict(pe, pa, 'LISTED_IN_APPLICATION', unique(listed).join('；')));

	// APPLICATION_CONTACT: lead or contact by name and phone; the legal representative by name alone
	// (the bundle holds no phone for the legal representative).
	const contacts: string[] = [];
	if (pe.name) {
		if (pa.legalRepName === pe.name) {
			contacts.push(`法定代表人${quote(pa.institution?.legalRep?.name)}（姓名相同；申报材料无法定代表人电话，仅按姓名匹配）`);
		}
		const roles = [
			['申报负责人', pa.lead, pa.application.lead],
			['申报联系人', pa.contact, pa.application.contact]
		] as const;
		for (const [label, who, person] of roles) {
			if (who.name === pe.name && pe.phone !== '' && who.phone === pe.phone) {
				contacts.push(`${label}${quote(person?.name)}（姓名相同，电话 ${maskPhone(normalizePhone(person?.phone))} 相同）`);
			}
		}
	}
	if (contacts.length) out.push(conflict(pe, pa, 'APPLICATION_CONTACT', `专家为本申报的${contacts.join('、')}`));

	// The standing profile: its entries whose unit matches the institution as SAME_UNIT does.
	const standing = pa.institution ? profile.filter((p) => normalizedUnitsMatch(p.unit, pa.institutionName)) : [];

	// DECLARED: declarations for this application, and relatives' units on the standing profile
	// (a standing declaration: a relative works in the institution).
	const reasons = unique(declared.map((r) => r.trim()).filter((r) => r !== ''));
	const relatives = unique(
		standing
			.filter((p) => p.affiliation.kind === 'relative-unit')
			.map((p) => {
				const who = `专家申报的亲属（${(p.affiliation.relation ?? '').trim() || '亲属'}）所在单位`;
				return sameUnitText(p.affiliation.unit, pa.institution!.name, p.unit, pa.institutionName, who);
			})
	);
	if (declared.length || relatives.length) {
		const said = declared.length ? (reasons.length ? reasons : ['专家声明回避']) : [];
		out.push(conflict(pe, pa, 'DECLARED', [...said, ...relatives].join('；')));
	}

	// FORMER_UNIT: a former unit inside the window (already filtered by prepareStanding).
	const former = unique(
		standing
			.filter((p) => p.affiliation.kind === 'former-unit')
			.map((p) => {
				const left = p.affiliation.endedOn ? `${p.affiliation.endedOn} 离开` : '离开日期未填写';
				return sameUnitText(p.affiliation.unit, pa.institution!.name, p.unit, pa.institutionName, `专家原单位（${left}）`);
			})
	);
	if (former.length) out.push(conflict(pe, pa, 'FORMER_UNIT', former.join('；')));

	// SHARED_UNIT_WITH_STAFF: a listed person other than the expert works in the expert's unit. The
	// table says "equals": the normalized units are the same, not one inside the other (containment
	// is for SAME_UNIT and for recognising the expert in the list).
	const shared: string[] = [];
	for (const i of unitRows) {
		if (self.has(i)) continue;
		const p = pa.people[i];
		if (p.unit !== pe.unit) continue;
		shared.push(`${roleLabel(p.row.role)}${quote(p.row.name)}（${(p.row.workUnit ?? '').trim()}）`);
	}
	const staff = unique(shared);
	if (staff.length) {
		const shown = staff.slice(0, 3).join('、');
		const more = staff.length > 3 ? `等 ${staff.length} 人` : '';
		out.push(conflict(pe, pa, 'SHARED_UNIT_WITH_STAFF', `专家单位${quote(expert.workUnit)}与${shown}${more}的单位一致`));
	}
	return out;
}

/**
 * All conflicts between one expert and one application, in rule order: at most one per rule.
 * `institution` is the application's institution (SAME_UNIT and the legal representative need it);
 * `declarations` may hold any declarations, only this pair's are used; `standing` the standing
 * profiles (any experts', only this expert's are used) and the batch's deadline.
 */
export function detectPair(
	expert: Expert,
	application: Application,
	institution: Institution | undefined,
	declarations: Declaration[] = [],
	phoneKey: PhoneKey = normalizePhone,
	standing?: Standing
): Conflict[] {
	const reasons = declarations
		.filter((d) => d.expertId === expert.id && d.applicationId === application.id)
		.map((d) => d.reason);
	const pe = prepareExpert(expert, phoneKey);
	const pa = prepareApplication(application, institution, phoneKey);
	const unitRows: number[] = [];
	pa.people.forEach((p, i) => {
		if (normalizedUnitsMatch(pe.unit, p.unit)) unitRows.push(i);
	});
	return evaluatePair(pe, pa, reasons, unitRows, prepareStanding(standing).get(expert.id));
}

const compareIds = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Sorts by applicationId, then expertId, then rule order. */
export function sortConflicts(conflicts: Conflict[]): Conflict[] {
	return [...conflicts].sort(
		(a, b) =>
			compareIds(a.applicationId, b.applicationId) ||
			compareIds(a.expertId, b.expertId) ||
			ruleIndex.get(a.code)! - ruleIndex.get(b.code)!
	);
}

/**
 * Every conflict between the experts and the applications (detected and declared), sorted by
 * applicationId, expertId and rule order. The same result as `detectPair` over every pair, but
 * only pairs that share a name, a unit (the expert's own or one on the standing profile) or a
 * declaration are looked at, so a whole country
 * (3,000 experts × 12,000 applications) stays fast. `pairFilter` limits the pairs reported.
 */
export function detectConflicts(input: {
	experts: Expert[];
	applications: Application[];
	institutions: Institution[];
	declarations: Declaration[];
	pairFilter?: (e: Expert, a: Application) => boolean;
	/** How phones are compared (default: normalized numbers; the server: keyed digests). */
	phoneKey?: PhoneKey;
	/** The experts' standing profiles (FORMER_UNIT, relatives' units as DECLARED). */
	affiliations?: readonly Affiliation[];
	/** The batch's deadline: the 3-year window of a former unit counts back from it. */
	deadline?: string | null;
}): Conflict[] {
	const phoneKey = input.phoneKey ?? normalizePhone;
	const experts = input.experts.map((e) => prepareExpert(e, phoneKey));
	const profiles = prepareStanding({ affiliations: input.affiliations ?? [], deadline: input.deadline ?? null });
	const institutions = new Map(input.institutions.map((i) => [i.id, i]));
	const expertIndex = new Map(experts.map((e, i) => [e.expert.id, i]));

	// Experts by normalized name, and by normalized unit through a unit index.
	const byName = new Map<string, number[]>();
	experts.forEach((e, i) => {
		if (!e.name) return;
		const list = byName.get(e.name);
		if (list) list.push(i);
		else byName.set(e.name, [i]);
	});
	const matcher = new UnitMatcher(experts.map((e) => e.unit));
	const expertUnit = experts.map((e) => (e.unit ? matcher.indexOf(e.unit) : -1));
	const byUnit: number[][] = matcher.units.map(() => []);
	expertUnit.forEach((u, i) => {
		if (u >= 0) byUnit[u].push(i);
	});
	// Experts by the units of their standing profiles.
	const profileOf = experts.map((e) => profiles.get(e.expert.id) ?? []);
	const profileMatcher = new UnitMatcher(profileOf.flatMap((list) => list.map((p) => p.unit)));
	const byProfileUnit: number[][] = profileMatcher.units.map(() => []);
	profileOf.forEach((list, i) => {
		for (const p of list) byProfileUnit[profileMatcher.indexOf(p.unit)].push(i);
	});

	// Declarations per pair, and the declaring experts per application.
	const declaredByPair = new Map<string, string[]>();
	const declaredExperts = new Map<string, number[]>();
	for (const d of input.declarations) {
		const key = pairKey(d.applicationId, d.expertId);
		const list = declaredByPair.get(key);
		if (list) list.push(d.reason);
		else declaredByPair.set(key, [d.reason]);
		const e = expertIndex.get(d.expertId);
		if (e === undefined) continue;
		const declaring = declaredExperts.get(d.applicationId);
		if (declaring) declaring.push(e);
		else declaredExperts.set(d.applicationId, [e]);
	}

	const out: Conflict[] = [];
	const candidates = new Set<number>();
	const addAll = (list: readonly number[] | undefined) => {
		if (list) for (const e of list) candidates.add(e);
	};
	for (const application of input.applications) {
		const pa = prepareApplication(application, institutions.get(application.institutionId), phoneKey);
		// Candidate experts: anyone sharing a name or a unit with the application, or declaring.
		candidates.clear();
		if (pa.institution) {
			for (const u of matcher.matching(pa.institutionName)) addAll(byUnit[u]);
			for (const u of profileMatcher.matching(pa.institutionName)) addAll(byProfileUnit[u]);
		}
		// Rows of the people list per matching expert unit (rows ascending).
		const rowsByUnit = new Map<number, number[]>();
		pa.people.forEach((p, i) => {
			if (p.name) addAll(byName.get(p.name));
			for (const u of matcher.matching(p.unit)) {
				addAll(byUnit[u]);
				const rows = rowsByUnit.get(u);
				if (rows) rows.push(i);
				else rowsByUnit.set(u, [i]);
			}
		});
		for (const n of [pa.lead.name, pa.contact.name, pa.legalRepName]) if (n) addAll(byName.get(n));
		addAll(declaredExperts.get(application.id));

		for (const e of candidates) {
			const pe = experts[e];
			if (input.pairFilter && !input.pairFilter(pe.expert, application)) continue;
			const declared = declaredByPair.get(pairKey(application.id, pe.expert.id)) ?? [];
			const unitRows = expertUnit[e] >= 0 ? (rowsByUnit.get(expertUnit[e]) ?? []) : [];
			for (const c of evaluatePair(pe, pa, declared, unitRows, profileOf[e])) out.push(c);
		}
	}
	return sortConflicts(out);
}

/**
 * The pairs (`pairKey(applicationId, expertId)`) an expert must never be assigned to: every hard
 * conflict, plus soft conflicts the chair confirmed (`confirmedSoft`, pair keys). A pair in
 * `dismissedSoft` stays assignable even when it is also listed as confirmed (dismissal is final).
 */
export function hardConflictKeys(
	conflicts: Conflict[],
	opts: { confirmedSoft?: Set<string>; dismissedSoft?: Set<string> } = {}
): Set<string> {
	const keys = new Set<string>();
	for (const c of conflicts) {
		const key = pairKey(c.applicationId, c.expertId);
		if (c.hard) keys.add(key);
		else if (opts.confirmedSoft?.has(key) && !opts.dismissedSoft?.has(key)) keys.add(key);
	}
	return keys;
}
