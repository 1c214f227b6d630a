/**
 * Long tables in pages of PAGE_SIZE rows, chosen by `?page=N` (from 1): the filters stay in the
 * query string, the counts of a page stay those of the whole list. A page past the end shows the
 * last one.
 */
export const PAGE_SIZE = 100;

/** `?page=` as a page number; absent is 1; null when it is not a positive integer. */
export function parsePage(q: URLSearchParams): number | null {
	const text = q.get('page');
	if (text === null || text === '') return 1;
	return /^\d{1,6}$/.test(text) && Number(text) >= 1 ? Number(text) : null;
}

export const PAGE_PROBLEM = '参数 page 应为正整数';

export type Paging = { page: number; pages: number; total: number; from: number; to: number };

/** The rows of page `page` (clamped to the last page) and where they are in the list. */
export function pageSlice<T>(rows: T[], page: number, size = PAGE_SIZE): { rows: T[]; paging: Paging } {
	const total = rows.length;
	const pages = Math.max(1, Math.ceil(total / size));
	const p = Math.min(Math.max(1, Math.floor(page)), pages);
	const start = (p - 1) * size;
	return { rows: rows.slice(start, start + size), paging: { page: p, pages, total, from: total ? start + 1 : 0, to: Math.min(start + size, total) } };
}

/** The page numbers to link: the first, the last, and two either side of the current one; 0 marks a gap. */
export function pageLinks(page: number, pages: number): number[] {
	const out: number[] = [];
	for (let p = 1; p <= pages; p++) {
		if (p === 1 || p === pages || Math.abs(p - page) <= 2) out.push(p);
		else if (out[out.length - 1] !== 0) out.push(0);
	}
	return out;
}
