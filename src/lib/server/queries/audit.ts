import { and, desc, eq, inArray, like, sql, type SQL } from 'drizzle-orm';
import type { AuditNames } from '../../domain/audit-text';
import type { Db } from '../db';
import * as s from '../db/schema';
import { auditLog } from '../db/schema';

export const AUDIT_PAGE_SIZE = 50;

export type AuditFilter = { action?: string | null; actor?: string | null; page: number };

export function listAudit(db: Db, f: AuditFilter) {
	const where: SQL[] = [];
	if (f.action) where.push(like(auditLog.action, `${f.action.replace(/[%_]/g, '')}%`));
	if (f.actor) where.push(eq(auditLog.actor, f.actor));
	const cond = where.length ? and(...where) : undefined;
	const total = db.select({ n: sql<number>`count(*)` }).from(auditLog).where(cond).get()?.n ?? 0;
	const rows = db
		.select()
		.from(auditLog)
		.where(cond)
		.orderBy(desc(auditLog.id))
		.limit(AUDIT_PAGE_SIZE)
		.offset((f.page - 1) * AUDIT_PAGE_SIZE)
		.all();
	const actions = db.selectDistinct({ action: auditLog.action }).from(auditLog).orderBy(auditLog.action).all().map((r) => r.action);
	const actors = db.selectDistinct({ actor: auditLog.actor }).from(auditLog).orderBy(auditLog.actor).all().map((r) => r.actor);
	return { rows, total, pages: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)), actions, actors };
}

/** The names an audit page shows for the ids its entries mention: display names, expert names, institution names. No personal data. */
export function auditNames(db: Db, refs: { users: string[]; experts: string[]; applications: string[] }): AuditNames {
	const users = refs.users.length
		? db.select({ id: s.users.id, name: s.users.displayName }).from(s.users).where(inArray(s.users.id, refs.users)).all()
		: [];
	const experts = refs.experts.length
		? db.select({ id: s.experts.id, name: s.experts.name }).from(s.experts).where(inArray(s.experts.id, refs.experts)).all()
		: [];
	const applications = refs.applications.length
		? db
				.select({ id: s.applications.id, name: s.institutions.name })
				.from(s.applications)
				.innerJoin(s.institutions, eq(s.institutions.id, s.applications.institutionId))
				.where(inArray(s.applications.id, refs.applications))
				.all()
		: [];
	const byId = (rows: { id: string; name: string }[]) => Object.fromEntries(rows.map((r) => [r.id, r.name]));
	return { users: byId(users), experts: byId(experts), applications: byId(applications) };
}
