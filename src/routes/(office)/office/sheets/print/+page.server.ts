import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { expertPrint } from '$lib/server/queries/sheets';
import type { PageServerLoad } from './$types';
import { beijingDate } from '$lib/domain/time';
import { requestScope } from '$lib/server/batch-request';

/** The printable score sheet of one expert (?expert=ID), for the office to print and have signed. */
export const load = ((event) => {
	requireRole(event, 'office');
	const id = event.url.searchParams.get('expert') ?? '';
	if (!/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,120}$/.test(id)) error(400, { message: '请指定评审专家（?expert=专家编号）' });
	const print = expertPrint(requestScope(event), id);
	if (!print) error(404, { message: `没有找到专家 ${id}` });
	return { print, printedOn: beijingDate(new Date()) };
}) satisfies PageServerLoad;
