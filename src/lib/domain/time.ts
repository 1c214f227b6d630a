/**
 * Times as the workbench shows them: Beijing time (Asia/Shanghai, UTC+8, no daylight saving since
 * 1991), whatever the server's or the browser's time zone. Stored times are ISO UTC; every page,
 * export and document formats them through here.
 */
const OFFSET_MS = 8 * 3600 * 1000;

function shifted(value: string | Date): string | null {
	const d = typeof value === 'string' ? new Date(value) : value;
	if (Number.isNaN(d.getTime())) return null;
	return new Date(d.getTime() + OFFSET_MS).toISOString();
}

/** "2023-06-15" in Beijing time; a bare date is returned as it is. */
export function beijingDate(value: string | Date): string {
	if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
	return shifted(value)?.slice(0, 10) ?? (typeof value === 'string' ? value.slice(0, 10) : '');
}

/** "2023-06-15 09:30" (or with seconds) in Beijing time; "" for nothing, the input for nonsense. */
export function beijingDateTime(value: string | Date | null | undefined, opts: { seconds?: boolean } = {}): string {
	if (value == null || value === '') return '';
	const s = shifted(value);
	if (!s) return String(value);
	return s.slice(0, opts.seconds ? 19 : 16).replace('T', ' ');
}

/** "09:30:05" in Beijing time. */
export function beijingTime(value: string | Date = new Date()): string {
	return shifted(value)?.slice(11, 19) ?? '';
}
