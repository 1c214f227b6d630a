/**
 * 催办 (issue 15, item 9): the active experts whose published assignments on recommended
 * applications, without a hard conflict, still lack a submitted sheet — with their phone (the office
 * sees it) and what is open, so the office can remind them.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import * as s from '../db/schema';
import { loadExperts } from './bundle';
import type { BatchScope } from '../scope';
import { isPublished } from './reviews';
import { computeConflicts, computeFindings, recommendedApplications } from '../services/batch-state';
import { pairKey } from '../../domain/conflicts';

export type ReminderItem = { applicationId: string; institutionName: string; state: 'not-started' | 'draft' | 'returned' };

export type ReminderRow = {
	expertId: string;
	name: string;
	workUnit: string | null;
	phone: string | null;
	email: string | null;
	notStarted: number;
	drafts: number;
	items: ReminderItem[];
};

export function reminders(scope: BatchScope): { rows: ReminderRow[]; deadline: string | null; batchName: string; published: boolean } {
	const { db, batch } = scope;
	const published = batch.assignmentsPublishedAt ?? null;
	if (!published) return { rows: [], deadline: batch.scoringDeadline ?? null, batchName: batch.name, published: false };
	const findings = computeFindings(scope);
	const conflicts = computeConflicts(scope, findings);
	const apps = new Map(recommendedApplications(findings).map((a) => [a.app.id, a.app]));
	const names = new Map(findings.institutions.map((i) => [i.id, i.name]));
	const active = new Set(db.select({ id: s.experts.id }).from(s.experts).where(eq(s.experts.active, true)).all().map((r) => r.id));
	const sheets = new Map(
		db
			.select({ a: s.sheets.applicationId, e: s.sheets.expertId, status: s.sheets.status, returned: s.sheets.returnedReason })
			.from(s.sheets)
			.all()
			.map((r) => [pairKey(r.a, r.e), r])
	);
	const open = new Map<string, ReminderItem[]>();
	for (const a of db.select().from(s.assignments).all()) {
		const app = apps.get(a.applicationId);
		const key = pairKey(a.applicationId, a.expertId);
		if (!app || !active.has(a.expertId) || !isPublished(a.createdAt, published) || conflicts.hard.has(key)) continue;
		const sheet = sheets.get(key);
		if (sheet?.status === 'submitted') continue;
		const state: ReminderItem['state'] = !sheet ? 'not-started' : sheet.returned ? 'returned' : 'draft';
		const list = open.get(a.expertId) ?? [];
		list.push({ applicationId: a.applicationId, institutionName: names.get(app.institutionId) ?? app.institutionId, state });
		open.set(a.expertId, list);
	}
	const rows = loadExperts(db)
		.filter((e) => open.has(e.id))
		.map((e) => {
			const items = open.get(e.id)!.sort((x, y) => x.applicationId.localeCompare(y.applicationId));
			const notStarted = items.filter((i) => i.state === 'not-started').length;
			return { expertId: e.id, name: e.name, workUnit: e.workUnit, phone: e.phone, email: e.email, notStarted, drafts: items.length - notStarted, items };
		})
		.sort((a, b) => b.items.length - a.items.length || a.expertId.localeCompare(b.expertId));
	return { rows, deadline: batch.scoringDeadline, batchName: batch.name, published: true };
}
