import { and, desc, eq, like, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db';
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
