/** Reads of applications for the list and detail pages. */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db';
import * as s from '../db/schema';
import { loadApplicationById, loadInstitutions } from './bundle';
import type { Application, Institution } from '../../domain/bundle';
import type { BatchScope } from '../scope';

export type ApplicationListRow = {
	id: string;
	institutionId: string;
	institutionName: string;
	type: 'training' | 'evaluation';
	occupation: string;
	region: string;
	levels: string[];
	status: s.ApplicationStatus;
	recommendationDate: string | null;
	updatedAt: string;
};

export function listApplications({ db, batch }: BatchScope, filter: { region?: string | null } = {}): ApplicationListRow[] {
	const where = and(eq(s.applications.batchId, batch.id), filter.region ? eq(s.applications.region, filter.region) : undefined);
	return db
		.select({
			id: s.applications.id,
			institutionId: s.applications.institutionId,
			institutionName: s.institutions.name,
			type: s.applications.type,
			occupation: s.applications.occupation,
			region: s.applications.region,
			levels: s.applications.levels,
			status: s.applications.status,
			recommendationDate: s.applications.recommendationDate,
			updatedAt: s.applications.updatedAt
		})
		.from(s.applications)
		.innerJoin(s.institutions, eq(s.applications.institutionId, s.institutions.id))
		.where(where)
		.orderBy(asc(s.applications.region), asc(s.applications.occupation), asc(s.applications.type), asc(s.institutions.name))
		.all();
}

export type ApplicationDetail = {
	row: s.ApplicationRow;
	app: Application;
	institution: Institution;
};

export function getApplication(db: Db, id: string): ApplicationDetail | null {
	const found = loadApplicationById(db, id);
	if (!found) return null;
	const institution = loadInstitutions(db, new Set([found.app.institutionId]))[0];
	return { ...found, institution };
}

export function countByStatus({ db, batch }: BatchScope, region?: string | null): Record<string, number> {
	const rows = db
		.select({ status: s.applications.status, n: sql<number>`count(*)` })
		.from(s.applications)
		.where(and(eq(s.applications.batchId, batch.id), region ? eq(s.applications.region, region) : undefined))
		.groupBy(s.applications.status)
		.all();
	return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

export type ExpertRelationRow = { assigned: boolean; declared: boolean };

export function expertAssignment(db: Db, expertId: string, applicationId: string) {
	return db
		.select()
		.from(s.assignments)
		.where(and(eq(s.assignments.expertId, expertId), eq(s.assignments.applicationId, applicationId)))
		.get();
}
