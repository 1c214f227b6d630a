import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { listApplications } from '$lib/server/queries/applications';
import { isOccupationKey } from '$lib/domain/occupations';
import { isRegionKey } from '$lib/domain/regions';
import type { PageServerLoad } from './$types';

const STATUSES = ['draft', 'submitted', 'returned', 'accepted'];

export const load = ((event) => {
	requireRole(event, 'office');
	const q = event.url.searchParams;
	const f = { region: q.get('region') || '', occupation: q.get('occupation') || '', type: q.get('type') || '', status: q.get('status') || '' };
	if (f.region && !isRegionKey(f.region)) error(400, { message: '筛选条件“地区”无效' });
	if (f.occupation && !isOccupationKey(f.occupation)) error(400, { message: '筛选条件“职业”无效' });
	if (f.type && f.type !== 'training' && f.type !== 'evaluation') error(400, { message: '筛选条件“类型”无效' });
	if (f.status && !STATUSES.includes(f.status)) error(400, { message: '筛选条件“状态”无效' });
	const rows = listApplications(getDb(), { region: f.region || null }).filter(
		(r) => (!f.occupation || r.occupation === f.occupation) && (!f.type || r.type === f.type) && (!f.status || r.status === f.status)
	);
	return { rows, filter: f };
}) satisfies PageServerLoad;
