/**
 * The expert's standing conflict profile (issue 13, item 6): the units the expert worked in and left
 * (with the day they left), and declared relations (a relative and the relative's unit). Conflict
 * detection reads them (`conflicts.ts`: FORMER_UNIT, and a relative's unit as DECLARED); this module
 * says what a valid entry is, for the office's page and the expert's own page alike.
 */
import { dateString } from './bundle';

export const AFFILIATION_KINDS = [
	{ key: 'former-unit', label: '曾任职单位' },
	{ key: 'relative-unit', label: '亲属所在单位' }
] as const;
export type AffiliationKind = (typeof AFFILIATION_KINDS)[number]['key'];

/** Relations offered on the form (any other short text is accepted too). */
export const RELATIONS = ['配偶', '子女', '父母', '兄弟姐妹', '配偶的父母', '其他近亲属'] as const;

export const AFFILIATION_LIMITS = { unit: 100, relation: 20, note: 200 } as const;

/** What the form posts (strings, blank for nothing). */
export type AffiliationInput = { kind?: unknown; unit?: unknown; relation?: unknown; endedOn?: unknown; note?: unknown };

export type AffiliationValues = {
	kind: AffiliationKind;
	unit: string;
	relation: string | null;
	endedOn: string | null;
	note: string | null;
};

const text = (v: unknown) => (typeof v === 'string' ? v.normalize('NFKC').trim().replace(/\s+/g, ' ') : '');

/**
 * Checks one entry; `today` (YYYY-MM-DD, Beijing) bounds the leaving date. Returns the values to
 * store, or the problems per field (Chinese, naming the field).
 */
export function parseAffiliation(
	input: AffiliationInput,
	today: string
): { ok: true; values: AffiliationValues } | { ok: false; errors: Record<string, string> } {
	const errors: Record<string, string> = {};
	const kind = text(input.kind);
	const unit = text(input.unit);
	const relation = text(input.relation);
	const endedRaw = text(input.endedOn);
	const note = text(input.note);
	if (kind !== 'former-unit' && kind !== 'relative-unit') errors.kind = '类别应为“曾任职单位”或“亲属所在单位”';
	if (unit === '') errors.unit = '请填写单位名称';
	else if ([...unit].length > AFFILIATION_LIMITS.unit) errors.unit = `单位名称不能超过 ${AFFILIATION_LIMITS.unit} 个字`;
	if ([...note].length > AFFILIATION_LIMITS.note) errors.note = `备注不能超过 ${AFFILIATION_LIMITS.note} 个字`;
	let endedOn: string | null = null;
	if (kind === 'former-unit') {
		if (endedRaw === '') errors.endedOn = '请填写离开该单位的日期';
		else {
			const d = dateString.safeParse(endedRaw);
			if (!d.success) errors.endedOn = `离开日期${d.error.issues[0]?.message ?? '有误'}`;
			else if (d.data > today) errors.endedOn = `离开日期 ${d.data} 晚于今天（${today}），不能是将来的日期`;
			else endedOn = d.data;
		}
	}
	if (kind === 'relative-unit') {
		if (relation === '') errors.relation = '请填写亲属关系（如配偶、子女、父母）';
		else if ([...relation].length > AFFILIATION_LIMITS.relation) errors.relation = `亲属关系不能超过 ${AFFILIATION_LIMITS.relation} 个字`;
	}
	if (Object.keys(errors).length) return { ok: false, errors };
	return {
		ok: true,
		values: {
			kind: kind as AffiliationKind,
			unit,
			relation: kind === 'relative-unit' ? relation : null,
			endedOn,
			note: note === '' ? null : note
		}
	};
}

export function affiliationKindLabel(kind: string): string {
	return AFFILIATION_KINDS.find((k) => k.key === kind)?.label ?? kind;
}
