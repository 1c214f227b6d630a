import { requireRole } from '$lib/server/guard';
import { getDb } from '$lib/server/db';
import { loadExperts } from '$lib/server/queries/bundle';
import { experts, users, assignments } from '$lib/server/db/schema';
import { sql } from 'drizzle-orm';
import type { PageServerLoad } from './$types';

export const load = ((event) => {
	requireRole(event, 'office');
	const db = getDb();
	const active = new Map(db.select({ id: experts.id, active: experts.active }).from(experts).all().map((r) => [r.id, r.active]));
	const accounts = new Map(db.select({ expertId: users.expertId, username: users.username }).from(users).all().map((r) => [r.expertId, r.username]));
	const loads = new Map(
		db.select({ id: assignments.expertId, n: sql<number>`count(*)` }).from(assignments).groupBy(assignments.expertId).all().map((r) => [r.id, r.n])
	);
	return {
		experts: loadExperts(db).map((e) => ({ ...e, active: active.get(e.id) ?? true, account: accounts.get(e.id) ?? null, load: loads.get(e.id) ?? 0 }))
	};
}) satisfies PageServerLoad;
