/** The audit administrator's check of the whole chain on demand; the check is itself an audit entry. */
import type { Db } from '../db';
import { audit, verifyAudit, type Actor } from '../audit';

export type AuditVerification = { ok: boolean; entries: number; problems: { id: number; problem: string }[]; at: string };

export function runAuditVerification(db: Db, actor: Actor, now = new Date()): AuditVerification {
	const res = verifyAudit(db);
	const problems = res.problems.map((p) => ({ id: p.id, problem: p.problem }));
	const result = { ok: problems.length === 0, entries: res.entries, problems, at: now.toISOString() };
	db.transaction((tx) =>
		audit(tx, actor, 'audit.verify', 'audit', null, { ok: result.ok, entries: result.entries, problems: problems.length, first: problems[0]?.id ?? null })
	);
	return result;
}
