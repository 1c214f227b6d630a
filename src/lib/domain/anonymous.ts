/**
 * Small pure helpers several documents share: the code names of anonymised experts (专家A, 专家B…,
 * the meeting screen, the feedback letter, the review report as an expert reads it) and the
 * canonical JSON the results hash and the review report's digest are taken over.
 */

/** 0 → A, 25 → Z, 26 → AA. */
export function aliasLetters(i: number): string {
	let n = i;
	let out = '';
	do {
		out = String.fromCharCode(65 + (n % 26)) + out;
		n = Math.floor(n / 26) - 1;
	} while (n >= 0);
	return out;
}

/** 0 → 专家A, 25 → 专家Z, 26 → 专家AA. */
export function expertAlias(i: number): string {
	return `专家${aliasLetters(i)}`;
}

/** JSON with object keys sorted at every level and no whitespace: the same value, the same text. */
export function canonicalJson(value: unknown): string {
	if (value === null || typeof value !== 'object') {
		if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
		return JSON.stringify(value ?? null);
	}
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	const obj = value as Record<string, unknown>;
	const keys = Object.keys(obj)
		.filter((k) => obj[k] !== undefined)
		.sort();
	return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}
