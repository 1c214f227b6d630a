/** Figures for the office and observer home pages. */
import { eq, sql } from 'drizzle-orm';
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

export function overview(db: Db): Overview {
	const count = (q: { n: number } | undefined) => q?.n ?? 0;
	const n = sql<number>`count(*)`;
	const byStatus = Object.fromEntries(
		db.select({ k: s.applications.status, n }).from(s.applications).groupBy(s.applications.status).all().map((r) => [r.k, r.n])
	);
	const sheets = Object.fromEntries(
		db.select({ k: s.sheets.status, n }).from(s.sheets).groupBy(s.sheets.status).all().map((r) => [r.k, r.n])
	);
	return {
		applications: count(db.select({ n }).from(s.applications).get()),
		byStatus,
		byCell: db
			.select({ occupation: s.applications.occupation, type: s.applications.type, n })
			.from(s.applications)
			.groupBy(s.applications.occupation, s.applications.type)
			.all(),
		byRegion: db.select({ region: s.applications.region, n }).from(s.applications).groupBy(s.applications.region).all(),
		experts: count(db.select({ n }).from(s.experts).get()),
		activeExperts: count(db.select({ n }).from(s.experts).where(eq(s.experts.active, true)).get()),
		assignments: count(db.select({ n }).from(s.assignments).get()),
		sheets: { draft: sheets.draft ?? 0, submitted: sheets.submitted ?? 0 },
		decisions: count(db.select({ n }).from(s.decisions).get())
	};
}
