/**
 * Reads of the publicity and the objection register: the proposed list as published (the results'
 * `proposed` applications, per occupation and type), the objections of a batch with filters, one
 * objection with its files and its audit history. The objector's contact is stored SM4-encrypted
 * (personal-data.ts) and read back here.
 */
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import * as s from '../db/schema';
import type { BatchScope } from '../scope';
import { computeResults } from '../services/batch-state';
import { OCCUPATIONS, occupationLabel } from '../../domain/occupations';
import { regionLabel } from '../../domain/regions';
import { APPLICATION_TYPES, LEVELS, labelOf } from '../../domain/vocabulary';
import { OBJECTION_STATUSES, type ObjectionStatus } from '../../domain/objections';
import { groupKey } from './held-groups';
import { opener } from '../personal-data';

export type PublicityItem = { id: string; institutionName: string; levels: string[]; levelLabels: string[]; region: string; regionLabel: string };
export type PublicityGroup = { key: string; occupation: string; occupationLabel: string; type: 'training' | 'evaluation'; typeLabel: string; items: PublicityItem[] };

/** The proposed list (拟推荐名单) per group: training first, occupations in the notice's order, each group in rank order. */
export function publicityList(scope: BatchScope): PublicityGroup[] {
	const { results, findings } = computeResults(scope);
	const names = new Map(findings.institutions.map((i) => [i.id, i.name]));
	const apps = new Map(findings.applications.map((a) => [a.app.id, a.app]));
	const order = new Map(OCCUPATIONS.map((o, i) => [o.key as string, i]));
	const groups: PublicityGroup[] = [];
	for (const g of results.groups) {
		const items = g.applications
			.filter((a) => a.proposed)
			.map((a) => {
				const app = apps.get(a.id)!;
				const levels = LEVELS.filter((l) => (app.levels as string[]).includes(l.key)).map((l) => l.key as string);
				return {
					id: a.id,
					institutionName: names.get(app.institutionId) ?? app.institutionId,
					levels,
					levelLabels: levels.map((l) => labelOf(LEVELS, l)),
					region: app.region,
					regionLabel: regionLabel(app.region)
				};
			});
		if (!items.length) continue;
		groups.push({ key: groupKey(g.occupation, g.type), occupation: g.occupation, occupationLabel: occupationLabel(g.occupation), type: g.type, typeLabel: labelOf(APPLICATION_TYPES, g.type), items });
	}
	return groups.sort((a, b) => (a.type === b.type ? (order.get(a.occupation) ?? 99) - (order.get(b.occupation) ?? 99) : a.type === 'training' ? -1 : 1));
}

export type ObjectionFilter = { status?: ObjectionStatus; applicationId?: string; group?: string };

export function parseObjectionFilter(q: URLSearchParams): ObjectionFilter {
	const status = q.get('status');
	const applicationId = q.get('application');
	const group = q.get('group');
	return {
		...(status && (OBJECTION_STATUSES as readonly string[]).includes(status) ? { status: status as ObjectionStatus } : {}),
		...(applicationId && /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,119}$/.test(applicationId) ? { applicationId } : {}),
		...(group && /^[a-z0-9-]{1,40}\|(training|evaluation)$/.test(group) ? { group } : {})
	};
}


/** The batch's objections (newest received first), with the institution objected to. */
export function objectionList(scope: BatchScope, filter: ObjectionFilter = {}) {
	const { db, batch } = scope;
	const conds = [eq(s.objections.batchId, batch.id)];
	if (filter.status) conds.push(eq(s.objections.status, filter.status));
	if (filter.applicationId) conds.push(eq(s.objections.applicationId, filter.applicationId));
	const rows = db
		.select({ o: s.objections, institutionName: s.institutions.name, occupation: s.applications.occupation, type: s.applications.type })
		.from(s.objections)
		.innerJoin(s.applications, eq(s.applications.id, s.objections.applicationId))
		.innerJoin(s.institutions, eq(s.institutions.id, s.applications.institutionId))
		.where(and(...conds))
		.orderBy(desc(s.objections.receivedDate), desc(s.objections.id))
		.all()
		.filter((r) => !filter.group || groupKey(r.occupation, r.type) === filter.group);
	const ids = rows.map((r) => r.o.id);
	const files = new Map<number, number>();
	if (ids.length) {
		for (const f of db.select({ id: s.objectionFiles.objectionId }).from(s.objectionFiles).where(inArray(s.objectionFiles.objectionId, ids)).all()) {
			files.set(f.id, (files.get(f.id) ?? 0) + 1);
		}
	}
	const open = opener(db);
	return rows.map((r) => ({ ...r.o, contact: open(r.o.contact) ?? '', institutionName: r.institutionName, occupation: r.occupation, type: r.type, files: files.get(r.o.id) ?? 0 }));
}

/** One objection of the batch with its files and its audit entries; undefined when it is not this batch's. */
export function objectionDetail(scope: BatchScope, id: number) {
	const { db, batch } = scope;
	const row = db
		.select({ o: s.objections, institutionName: s.institutions.name, occupation: s.applications.occupation, type: s.applications.type, region: s.applications.region })
		.from(s.objections)
		.innerJoin(s.applications, eq(s.applications.id, s.objections.applicationId))
		.innerJoin(s.institutions, eq(s.institutions.id, s.applications.institutionId))
		.where(and(eq(s.objections.id, id), eq(s.objections.batchId, batch.id)))
		.get();
	if (!row) return undefined;
	const files = db.select().from(s.objectionFiles).where(eq(s.objectionFiles.objectionId, id)).orderBy(asc(s.objectionFiles.uploadedAt)).all();
	const history = db
		.select({ id: s.auditLog.id, at: s.auditLog.at, actor: s.auditLog.actor, userId: s.auditLog.userId, action: s.auditLog.action, entity: s.auditLog.entity, entityId: s.auditLog.entityId, detail: s.auditLog.detail })
		.from(s.auditLog)
		.where(and(eq(s.auditLog.entity, 'objection'), eq(s.auditLog.entityId, String(id))))
		.orderBy(asc(s.auditLog.id))
		.all();
	return { ...row.o, contact: opener(db)(row.o.contact) ?? '', institutionName: row.institutionName, occupation: row.occupation, type: row.type, region: row.region, files, history };
}

/** Count per status (the list's filter tabs). */
export function objectionCounts(scope: BatchScope): Record<ObjectionStatus, number> {
	const out = Object.fromEntries(OBJECTION_STATUSES.map((k) => [k, 0])) as Record<ObjectionStatus, number>;
	for (const r of scope.db.select({ status: s.objections.status }).from(s.objections).where(eq(s.objections.batchId, scope.batch.id)).all()) out[r.status]++;
	return out;
}
