import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { listIntake } from '$lib/server/services/applications';
import { isOccupationKey } from '$lib/domain/occupations';
import { isRegionKey } from '$lib/domain/regions';
import { FINDING_RULES, isFindingCode } from '$lib/domain/formal-check';
import type { PageServerLoad } from './$types';

const STATUSES = ['draft', 'submitted', 'returned', 'accepted'];

export const load = ((event) => {
	requireRole(event, 'office');
	const q = event.url.searchParams;
	const f = {
		region: q.get('region') || '',
		occupation: q.get('occupation') || '',
		type: q.get('type') || '',
		status: q.get('status') || '',
		finding: q.get('finding') || ''
	};
	if (f.region && !isRegionKey(f.region)) error(400, { message: '筛选条件“地区”无效' });
	if (f.occupation && !isOccupationKey(f.occupation)) error(400, { message: '筛选条件“职业”无效' });
	if (f.type && f.type !== 'training' && f.type !== 'evaluation') error(400, { message: '筛选条件“类型”无效' });
	if (f.status && !STATUSES.includes(f.status)) error(400, { message: '筛选条件“状态”无效' });
	if (f.finding && f.finding !== 'blocking' && f.finding !== 'none' && !isFindingCode(f.finding)) error(400, { message: '筛选条件“审查问题”无效' });
	const rows = listIntake(getDb(), f);
	const counts = { total: rows.length, blocking: rows.filter((r) => r.blocking).length, submitted: rows.filter((r) => r.status === 'submitted').length };
	return { rows, filter: f, rules: FINDING_RULES.map((r) => ({ ...r })), counts };
}) satisfies PageServerLoad;
