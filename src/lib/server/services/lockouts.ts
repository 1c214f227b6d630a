/**
 * Who is locked out now (the `login_failures` pairs of account and client address whose lock has
 * not ended), for the security administrator, and lifting one lock early (audited).
 */
import { and, asc, eq, gt } from 'drizzle-orm';
import type { Db } from '../db';
import * as s from '../db/schema';
import { audit, type Actor } from '../audit';

export type Lockout = { username: string; address: string; failures: number; lastAt: string; lockedUntil: string };

export function currentLockouts(db: Pick<Db, 'select'>, now = new Date()): Lockout[] {
	return db
		.select()
		.from(s.loginFailures)
		.where(gt(s.loginFailures.lockedUntil, now))
		.orderBy(asc(s.loginFailures.lockedUntil))
		.all()
		.map((r) => ({ username: r.username, address: r.address, failures: r.failures, lastAt: r.lastAt.toISOString(), lockedUntil: r.lockedUntil!.toISOString() }));
}

/** Ends one lock (and its failure count); false when there was none. */
export function liftLockout(db: Db, actor: Actor, username: string, address: string): boolean {
	return db.transaction((tx) => {
		const where = and(eq(s.loginFailures.username, username), eq(s.loginFailures.address, address));
		const row = tx.select().from(s.loginFailures).where(where).get();
		if (!row) return false;
		tx.delete(s.loginFailures).where(where).run();
		audit(tx, actor, 'security.unlock', 'login', username, { address, failures: row.failures });
		return true;
	});
}
