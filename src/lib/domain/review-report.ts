/**
 * The review report (评审报告) of one group (occupation × type): what the panel did and decided,
 * which every member signs — in the app or on the printed signature page — or signs with a dissent
 * and its reasons (政府采购法实施条例 §41: a member who disagrees states the reasons in writing).
 *
 * Content, in the order the report prints it: the members drawn, the replacements and the recusals
 * with their reasons; the method (aggregation settings); the ranked results with the meeting's
 * decisions; the re-check corrections; the closed votes' tallies; each application's 综合评审意见;
 * and, once the results were locked with signatures missing, the lock note.
 *
 * The digest is the SHA-256 of the content's substance by id (`reportSubstance`): names and labels
 * are looked up for display only, so correcting an expert's or institution's name does not ask
 * everyone to sign again, while any change of who sat, who was recused, a score, a rank, a
 * decision, a correction, a vote or an opinion does. The lock note is not in the digest: it is
 * written at locking, after which nobody signs (signing needs unlocked results), and is cleared
 * when the results are reopened.
 *
 * Who signs: the group's panel — experts assigned to at least one of its applications who are not
 * recused from every one of them and whose invitation was not declined or left to expire (those are
 * replaced; a replaced expert is no longer assigned). A signature whose digest is not the current
 * one is stale and counts as missing.
 */
import { aliasLetters, canonicalJson } from './anonymous';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import type { AggregationSettings } from './bundle';

export type GroupType = 'training' | 'evaluation';
export type InvitationState = 'pending' | 'confirmed' | 'declined' | 'expired';

export type ReportMember = {
	expertId: string;
	name: string;
	workUnit: string | null;
	title: string | null;
	/** The group's applications the expert is assigned to. */
	applications: number;
	/** Of those, the ones the expert is recused from (a hard or confirmed conflict). */
	recused: number;
	invitation: InvitationState | null;
	/** A member of the panel who must sign the report. */
	mustSign: boolean;
};

export type ReportReplacement = {
	applicationId: string;
	institutionName: string;
	fromExpertId: string;
	fromName: string;
	toExpertId: string | null;
	toName: string | null;
	cause: 'declined' | 'no-answer' | 'deactivated' | 'conflict' | 'manual';
	reason: string | null;
	at: string;
};

export type ReportRecusal = {
	applicationId: string;
	institutionName: string;
	expertId: string;
	name: string;
	/** The conflict code (DECLARED for the expert's own declaration). */
	code: string;
	/** The declaration's reason, the office's confirmation reason, or the matched text. */
	reason: string;
};

export type ReportResult = {
	applicationId: string;
	institutionName: string;
	region: string;
	rank: number | null;
	/** Unrounded; null when unranked. */
	score: number | null;
	n: number;
	flags: string[];
	proposed: boolean;
	defaultProposed: boolean;
	decision: 'proposed' | 'not-proposed' | 'site-visit' | 'pending' | null;
	decisionReason: string | null;
};

export type ReportCorrection = {
	applicationId: string;
	institutionName: string;
	expertId: string;
	expertName: string;
	criterionId: string | null;
	criterionName: string | null;
	rule: string;
	oldValue: number | null;
	newValue: number | null;
	reason: string;
	byName: string | null;
	at: string;
};

export type ReportVote = {
	applicationId: string;
	institutionName: string;
	motion: 'proposed' | 'not-proposed' | 'site-visit' | 'pending';
	tally: { agree: number; disagree: number; abstain: number; eligible: number };
	closedAt: string;
};

export type ReportOpinion = { applicationId: string; institutionName: string; text: string };

export type ReportLockNote = { reason: string; missingExpertIds: string[]; lockedAt: string | null };

export type ReportContent = {
	batchId: string;
	occupation: string;
	type: GroupType;
	members: ReportMember[];
	replacements: ReportReplacement[];
	recusals: ReportRecusal[];
	method: AggregationSettings;
	results: ReportResult[];
	corrections: ReportCorrection[];
	votes: ReportVote[];
	opinions: ReportOpinion[];
	/** Set when the results were locked with this group's report not fully signed. */
	lockNote: ReportLockNote | null;
};

/* ---------- The panel ---------- */

/**
 * The panel of a group from its assignments: per expert, how many of the group's applications they
 * are assigned to and recused from, and whether they must sign. Members are ordered by expert id.
 */
export function panelOf(
	assignments: readonly { applicationId: string; expertId: string }[],
	recused: ReadonlySet<string>,
	invitations: ReadonlyMap<string, InvitationState>
): { expertId: string; applications: number; recused: number; invitation: InvitationState | null; mustSign: boolean }[] {
	const by = new Map<string, { applications: number; recused: number }>();
	for (const a of assignments) {
		const m = by.get(a.expertId) ?? { applications: 0, recused: 0 };
		m.applications++;
		if (recused.has(`${a.applicationId}|${a.expertId}`)) m.recused++;
		by.set(a.expertId, m);
	}
	return [...by]
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
		.map(([expertId, m]) => {
			const invitation = invitations.get(expertId) ?? null;
			const takesPart = invitation !== 'declined' && invitation !== 'expired';
			return { expertId, ...m, invitation, mustSign: takesPart && m.applications > m.recused };
		});
}

export function requiredSigners(content: Pick<ReportContent, 'members'>): string[] {
	return content.members.filter((m) => m.mustSign).map((m) => m.expertId);
}

/* ---------- The digest ---------- */

/** Scores to 1e-6: the same computation on another machine gives the same text. */
const fixed = (x: number | null) => (x == null ? null : Math.round(x * 1e6) / 1e6);
const byKey = <T>(key: (t: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

/** What the digest covers: the content by id, without names, labels, times of editing or the lock note. */
export function reportSubstance(c: ReportContent) {
	return {
		batchId: c.batchId,
		occupation: c.occupation,
		type: c.type,
		members: c.members.map((m) => ({ expertId: m.expertId, applications: m.applications, recused: m.recused, mustSign: m.mustSign })).sort(byKey((m) => m.expertId)),
		replacements: c.replacements
			.map((r) => ({ applicationId: r.applicationId, from: r.fromExpertId, to: r.toExpertId, cause: r.cause, reason: r.reason ?? null, at: r.at }))
			.sort(byKey((r) => `${r.at}|${r.applicationId}|${r.from}`)),
		recusals: c.recusals.map((r) => ({ applicationId: r.applicationId, expertId: r.expertId, code: r.code, reason: r.reason })).sort(byKey((r) => `${r.applicationId}|${r.expertId}`)),
		method: c.method,
		results: c.results.map((r) => ({
			applicationId: r.applicationId,
			rank: r.rank,
			score: fixed(r.score),
			n: r.n,
			flags: [...r.flags].sort(),
			proposed: r.proposed,
			decision: r.decision,
			decisionReason: r.decisionReason ?? null
		})),
		corrections: c.corrections
			.map((x) => ({
				applicationId: x.applicationId,
				expertId: x.expertId,
				criterionId: x.criterionId,
				rule: x.rule,
				oldValue: fixed(x.oldValue),
				newValue: fixed(x.newValue),
				reason: x.reason,
				at: x.at
			}))
			.sort(byKey((x) => `${x.at}|${x.applicationId}|${x.expertId}|${x.criterionId ?? ''}`)),
		votes: c.votes.map((v) => ({ applicationId: v.applicationId, motion: v.motion, tally: v.tally, closedAt: v.closedAt })).sort(byKey((v) => `${v.closedAt}|${v.applicationId}`)),
		opinions: c.opinions.map((o) => ({ applicationId: o.applicationId, text: o.text.trim() })).sort(byKey((o) => o.applicationId))
	};
}

/** SHA-256 (hex) of the canonical JSON of `reportSubstance`. */
export function reportDigest(c: ReportContent): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(canonicalJson(reportSubstance(c)))));
}

/* ---------- Signatures ---------- */

export type Signature = {
	expertId: string;
	kind: 'agree' | 'dissent';
	dissent: string | null;
	method: 'app' | 'paper';
	digest: string;
	signedAt: string;
};

export type MemberSignature = {
	expertId: string;
	/** signed: on the current content; stale: signed an earlier content (counts as missing); missing: not signed. */
	state: 'signed' | 'stale' | 'missing';
	signature: Signature | null;
};

export type SignatureStatus = {
	digest: string;
	members: MemberSignature[];
	/** Required signers without a current signature (missing or stale), by expert id. */
	missing: string[];
	stale: string[];
	/** Current dissents. */
	dissents: Signature[];
	/** Every required signer signed the current content (also true when nobody has to sign). */
	complete: boolean;
};

export function signatureStatus(content: ReportContent, signatures: readonly Signature[], digest = reportDigest(content)): SignatureStatus {
	const by = new Map(signatures.map((s) => [s.expertId, s]));
	const members: MemberSignature[] = requiredSigners(content).map((expertId) => {
		const sig = by.get(expertId) ?? null;
		return { expertId, signature: sig, state: !sig ? 'missing' : sig.digest === digest ? 'signed' : 'stale' };
	});
	const missing = members.filter((m) => m.state !== 'signed').map((m) => m.expertId);
	return {
		digest,
		members,
		missing,
		stale: members.filter((m) => m.state === 'stale').map((m) => m.expertId),
		dissents: members.filter((m) => m.state === 'signed' && m.signature!.kind === 'dissent').map((m) => m.signature!),
		complete: missing.length === 0
	};
}

/** The lock note's `missing`: per group not fully signed, the experts without a current signature. */
export function missingSignatures(
	groups: readonly { occupation: string; type: GroupType; status: Pick<SignatureStatus, 'missing'> }[]
): { occupation: string; type: GroupType; expertIds: string[] }[] {
	return groups.filter((g) => g.status.missing.length > 0).map((g) => ({ occupation: g.occupation, type: g.type, expertIds: [...g.status.missing] }));
}

/* ---------- Input ---------- */

export const DISSENT_MIN = 10;
export const DISSENT_MAX = 2000;
export const LOCK_REASON_MIN = 4;
export const LOCK_REASON_MAX = 1000;

export const SIGNATURE_KIND_LABELS = { agree: '同意', dissent: '有不同意见' } as const;
export const SIGNATURE_METHOD_LABELS = { app: '系统内签字', paper: '纸质签字页' } as const;
export const SIGNATURE_STATE_LABELS = { signed: '已签字', stale: '报告已变更，须重新签字', missing: '未签字' } as const;

/** The dissent's reasons: required for a dissent (at least DISSENT_MIN characters), none for 同意. Returns the error or null. */
export function dissentProblem(kind: 'agree' | 'dissent', text: string | null | undefined): string | null {
	const t = (text ?? '').trim();
	if (kind === 'agree') return null;
	if ([...t].length < DISSENT_MIN) return `请写明不同意见的理由（不少于${DISSENT_MIN}个字）`;
	if ([...t].length > DISSENT_MAX) return `不同意见的理由不能超过${DISSENT_MAX}字`;
	return null;
}

/** The reason for locking with the reports not fully signed. Returns the error or null. */
export function lockReasonProblem(text: string | null | undefined): string | null {
	const t = (text ?? '').trim();
	if ([...t].length < LOCK_REASON_MIN) return `请填写不少于${LOCK_REASON_MIN}个字的锁定理由`;
	if ([...t].length > LOCK_REASON_MAX) return `锁定理由不能超过${LOCK_REASON_MAX}字`;
	return null;
}

/** "人工智能工程技术人员·培训机构：缺 张三、李四（王五签字后报告已变更）" — one line per group. */
export function missingText(
	missing: readonly { occupation: string; type: GroupType; expertIds: string[] }[],
	names: { occupation: (key: string) => string; expert: (id: string) => string; stale?: (g: { occupation: string; type: GroupType }, id: string) => boolean }
): string {
	return missing
		.map((g) => {
			const who = g.expertIds.map((id) => `${names.expert(id)}${names.stale?.(g, id) ? '（报告已变更）' : ''}`).join('、');
			return `${names.occupation(g.occupation)}·${g.type === 'training' ? '培训机构' : '评价机构'}：${who}`;
		})
		.join('；');
}

/* ---------- Labels ---------- */

export const REPLACEMENT_CAUSE_LABELS: Record<ReportReplacement['cause'], string> = {
	declined: '专家不能参加',
	'no-answer': '逾期未答复',
	deactivated: '专家已停用',
	conflict: '回避',
	manual: '省厅更换'
};

/** The re-check (复核) rules a correction names. */
export const CORRECTION_RULE_LABELS: Record<string, string> = {
	TOTAL_MISMATCH: '合计与分项不符',
	OUT_OF_RANGE: '分值超出范围',
	OBJECTIVE_DIFFERS: '客观评分项评分不一致',
	ABNORMAL_SCORE: '异常评分',
	OTHER: '其他'
};

export const correctionRuleLabel = (rule: string) => CORRECTION_RULE_LABELS[rule] ?? rule;

export const TYPE_LABELS: Record<GroupType, string> = { training: '培训机构', evaluation: '评价机构' };

/* ---------- What a panel member sees ---------- */


/**
 * The report as a panel member reads it before signing. Experts never see other experts' names,
 * units or scores (as in meeting mode): the other members appear as 专家A, 专家B… (letters by
 * expert id, the members first, then experts replaced), without the reasons of their recusals and
 * replacements (a declaration may be personal) and without the values of corrections on their
 * sheets. The member's own rows stay as they are. The digest is that of the full content.
 */
export function contentForMember(c: ReportContent, expertId: string): ReportContent {
	const ids = [
		...c.members.map((m) => m.expertId),
		...[...new Set([...c.replacements.flatMap((r) => [r.fromExpertId, r.toExpertId ?? '']), ...c.recusals.map((r) => r.expertId), ...c.corrections.map((x) => x.expertId)])]
			.filter((id) => id && !c.members.some((m) => m.expertId === id))
			.sort()
	].filter((id) => id !== expertId);
	const alias = new Map(ids.map((id, i) => [id, aliasLetters(i)]));
	const key = (id: string) => (id === expertId ? id : `专家${alias.get(id) ?? '?'}`);
	const mine = (id: string | null) => id === expertId;
	return {
		...c,
		members: c.members.map((m) => (mine(m.expertId) ? m : { ...m, expertId: key(m.expertId), name: key(m.expertId), workUnit: null, title: null })),
		replacements: c.replacements.map((r) => ({
			...r,
			fromExpertId: key(r.fromExpertId),
			fromName: mine(r.fromExpertId) ? r.fromName : key(r.fromExpertId),
			toExpertId: r.toExpertId == null ? null : key(r.toExpertId),
			toName: r.toExpertId == null ? null : mine(r.toExpertId) ? r.toName : key(r.toExpertId),
			reason: mine(r.fromExpertId) ? r.reason : null
		})),
		recusals: c.recusals.map((r) => (mine(r.expertId) ? r : { ...r, expertId: key(r.expertId), name: key(r.expertId), reason: '' })),
		corrections: c.corrections.map((x) => (mine(x.expertId) ? x : { ...x, expertId: key(x.expertId), expertName: key(x.expertId), oldValue: null, newValue: null })),
		lockNote: c.lockNote ? { ...c.lockNote, missingExpertIds: c.lockNote.missingExpertIds.map(key) } : null
	};
}
