/** Times as the interface shows them: Beijing time (UTC+8), `YYYY-MM-DD HH:mm[:ss]`. */
export function beijingTime(at: string | number | Date | null | undefined, opts: { seconds?: boolean } = {}): string {
	if (at == null || at === '') return '';
	const d = at instanceof Date ? at : new Date(at);
	if (Number.isNaN(d.getTime())) return '';
	const b = new Date(d.getTime() + 8 * 3600_000).toISOString();
	return b.slice(0, 10) + ' ' + b.slice(11, opts.seconds ? 19 : 16);
}
