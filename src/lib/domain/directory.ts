/**
 * The directory (目录) of institutions the coordinating group has chosen (issue 13, item 4): an
 * entry says an institution holds an occupation and type for some levels from `validFrom` to
 * `validTo` (none: no end), with the 文号 of the decision. This module says what a valid entry is
 * (the office's form), how an entry stands on a day, and filters the list. The formal check's
 * ALREADY_IN_DIRECTORY lives in `formal-check.ts` (`checkDirectory`).
 */
import { dateString } from './bundle';
import { isOccupationKey } from './occupations';
import { LEVEL_KEYS, LEVELS, type LevelKey } from './vocabulary';
import { directoryValidOn } from './formal-check';

export const DIRECTORY_LIMITS = { documentNo: 100, note: 200 } as const;

export type DirectoryInput = {
	institutionId?: unknown;
	occupation?: unknown;
	type?: unknown;
	levels?: unknown;
	validFrom?: unknown;
	validTo?: unknown;
	documentNo?: unknown;
	note?: unknown;
};

export type DirectoryValues = {
	institutionId: string;
	occupation: string;
	type: 'training' | 'evaluation';
	levels: LevelKey[];
	validFrom: string;
	validTo: string | null;
	documentNo: string | null;
	note: string | null;
};

const text = (v: unknown) => (typeof v === 'string' ? v.normalize('NFKC').trim().replace(/\s+/g, ' ') : '');

function date(raw: string, label: string, errors: Record<string, string>, field: string): string | null {
	const d = dateString.safeParse(raw);
	if (d.success) return d.data;
	errors[field] = `${label}${d.error.issues[0]?.message ?? '有误'}`;
	return null;
}

/** Checks an entry as the office's form posts it; whether the institution exists is the service's business. */
export function parseDirectoryEntry(input: DirectoryInput): { ok: true; values: DirectoryValues } | { ok: false; errors: Record<string, string> } {
	const errors: Record<string, string> = {};
	const institutionId = text(input.institutionId);
	const occupation = text(input.occupation);
	const type = text(input.type);
	const rawLevels = Array.isArray(input.levels) ? input.levels.map(text) : text(input.levels) ? [text(input.levels)] : [];
	const validFromRaw = text(input.validFrom);
	const validToRaw = text(input.validTo);
	const documentNo = text(input.documentNo);
	const note = text(input.note);

	if (institutionId === '') errors.institutionId = '请选择机构';
	if (!isOccupationKey(occupation)) errors.occupation = '请选择职业';
	if (type !== 'training' && type !== 'evaluation') errors.type = '类型应为培训机构或评价机构';
	const unknown = rawLevels.filter((l) => !(LEVEL_KEYS as readonly string[]).includes(l));
	if (unknown.length) errors.levels = `等级只能是${LEVELS.map((l) => l.label).join('、')}`;
	else if (rawLevels.length === 0) errors.levels = '请至少选择一个等级';
	const validFrom = validFromRaw === '' ? ((errors.validFrom = '请填写有效期起始日期'), null) : date(validFromRaw, '有效期起始日期', errors, 'validFrom');
	const validTo = validToRaw === '' ? null : date(validToRaw, '有效期截止日期', errors, 'validTo');
	if (validFrom && validTo && validTo < validFrom) errors.validTo = `有效期截止日期 ${validTo} 早于起始日期 ${validFrom}`;
	if ([...documentNo].length > DIRECTORY_LIMITS.documentNo) errors.documentNo = `文号不能超过 ${DIRECTORY_LIMITS.documentNo} 个字`;
	if ([...note].length > DIRECTORY_LIMITS.note) errors.note = `备注不能超过 ${DIRECTORY_LIMITS.note} 个字`;
	if (Object.keys(errors).length) return { ok: false, errors };
	return {
		ok: true,
		values: {
			institutionId,
			occupation,
			type: type as DirectoryValues['type'],
			levels: LEVEL_KEYS.filter((l) => rawLevels.includes(l)),
			validFrom: validFrom!,
			validTo,
			documentNo: documentNo === '' ? null : documentNo,
			note: note === '' ? null : note
		}
	};
}

export type Validity = 'valid' | 'expired' | 'future';

export const VALIDITY_LABELS: Record<Validity, string> = { valid: '有效', expired: '已过期', future: '尚未生效' };

/** How an entry stands on `day`. */
export function validityOn(entry: { validFrom: string; validTo: string | null }, day: string): Validity {
	if (directoryValidOn(entry, day)) return 'valid';
	return entry.validFrom > day ? 'future' : 'expired';
}

export type DirectoryFilter = { occupation?: string | null; type?: string | null; validity?: Validity | null };

/** The entries that pass the filter on `day` (an empty filter keeps everything). */
export function filterDirectory<E extends { occupation: string; type: string; validFrom: string; validTo: string | null }>(
	entries: readonly E[],
	filter: DirectoryFilter,
	day: string
): E[] {
	return entries.filter(
		(e) =>
			(!filter.occupation || e.occupation === filter.occupation) &&
			(!filter.type || e.type === filter.type) &&
			(!filter.validity || validityOn(e, day) === filter.validity)
	);
}

export function isValidity(v: string | null | undefined): v is Validity {
	return v === 'valid' || v === 'expired' || v === 'future';
}

/** The list's filter from a query string; unknown values are ignored. */
export function directoryFilterFrom(params: URLSearchParams): DirectoryFilter {
	const occupation = params.get('occupation');
	const type = params.get('type');
	const validity = params.get('validity');
	return {
		occupation: occupation && isOccupationKey(occupation) ? occupation : null,
		type: type === 'training' || type === 'evaluation' ? type : null,
		validity: isValidity(validity) ? validity : null
	};
}
