/** Figures for the office and observer home pages. */
import { eq, sql, type AnyColumn } from 'drizzle-orm';
import type { Db } from '../db';
import * as s from '../db/schema';

export type Overview = {
	applications: number;
	byStatus: Record<string, number>;
	byCell: { occupation: string; type: string; n: number }[];
	byRegion: { region: string; n: number }[];
	experts: number;
	activeExperts: number;
	assignments: number;
	sheets: { draft: number; submitted: number };
	decisions: number;
};

/** The figures of one batch (the expert pool is shared); a database without a batch has none. */
export function overview(db: Db, batchId: string | null): Overview {
	const count = (q: { n: number } | undefined) => q?.n ?? 0;
	const n = sql<number>`count(*)`;
	const b = batchId ?? '';
	const apps = eq(s.applications.batchId, b);
	const ofBatch = (col: AnyColumn) => sql`${col} IN (SELECT id FROM applications WHERE batch_id = ${b})`;
	const byStatus = Object.fromEntries(
		db.select({ k: s.applications.status, n }).from(s.applications).where(apps).groupBy(s.applications.status).all().map((r) => [r.k, r.n])
	);
	const sheets = Object.fromEntries(
		db.select({ k: s.sheets.status, n }).from(s.sheets).where(ofBatch(s.sheets.applicationId)).groupBy(s.sheets.status).all().map((r) => [r.k, r.n])
	);
	return {
		applications: count(db.select({ n }).from(s.applications).where(apps).get()),
		byStatus,
		byCell: db
			.select({ occupation: s.applications.occupation, type: s.applications.type, n })
			.from(s.applications)
			.where(apps)
			.groupBy(s.applications.occupation, s.applications.type)
			.all(),
		byRegion: db.select({ region: s.applications.region, n }).from(s.applications).where(apps).groupBy(s.applications.region).all(),
		experts: count(db.select({ n }).from(s.experts).get()),
		activeExperts: count(db.select({ n }).from(s.experts).where(eq(s.experts.active, true)).get()),
		assignments: count(db.select({ n }).from(s.assignments).where(ofBatch(s.assignments.applicationId)).get()),
		sheets: { draft: sheets.draft ?? 0, submitted: sheets.submitted ?? 0 },
		decisions: count(db.select({ n }).from(s.decisions).where(ofBatch(s.decisions.applicationId)).get())
	};
}
