import { describe, expect, it } from 'vitest';
import { PAGE_SIZE, pageLinks, pageSlice, parsePage } from './paging';

describe('paging', () => {
	it('reads ?page=, absent as 1, refuses what is not a positive integer', () => {
		expect(parsePage(new URLSearchParams(''))).toBe(1);
		expect(parsePage(new URLSearchParams('page=3'))).toBe(3);
		for (const bad of ['0', '-1', '1.5', 'x', '1e3', '9999999']) expect(parsePage(new URLSearchParams(`page=${bad}`))).toBeNull();
	});

	it('cuts the list into pages of PAGE_SIZE and clamps past the end', () => {
		const rows = Array.from({ length: 250 }, (_, i) => i);
		expect(PAGE_SIZE).toBe(100);
		const first = pageSlice(rows, 1);
		expect(first.rows).toHaveLength(100);
		expect(first.paging).toEqual({ page: 1, pages: 3, total: 250, from: 1, to: 100 });
		const last = pageSlice(rows, 3);
		expect(last.rows).toEqual(rows.slice(200));
		expect(last.paging).toEqual({ page: 3, pages: 3, total: 250, from: 201, to: 250 });
		expect(pageSlice(rows, 9).paging.page).toBe(3);
		expect(pageSlice([], 1).paging).toEqual({ page: 1, pages: 1, total: 0, from: 0, to: 0 });
	});

	it('links the first, the last and the neighbours, with gaps', () => {
		expect(pageLinks(1, 3)).toEqual([1, 2, 3]);
		expect(pageLinks(6, 12)).toEqual([1, 0, 4, 5, 6, 7, 8, 0, 12]);
	});
});
