/**
 * Demo data for the draw's logistics (issue 13, items 7 and 8) in a published batch: a recorded
 * draw of one occupation (its alternates), every drawn expert's invitation (confirmed), one
 * expert who declined and was replaced by the next alternate (the replacement published), and the
 * observer's confirmation of the draw record. Deterministic: the same data gives the same result.
 *
 * Call after the batch's roster is published and the demo accounts exist (the office's `office`
 * and the observer's `observer` account are the actors when present).
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import * as s from '../db/schema';
import type { BatchScope } from '../scope';
import { SYSTEM_ACTOR, type Actor } from '../audit';
import { drawExperts, nextAlternate, publishAssignments } from '../services/assignment-admin';
import { assignmentBoard } from '../queries/assignment-board';
import { answerInvitation, replaceInvitee } from '../services/invitations';
import { confirmDrawRecord } from '../services/draw-record';

export type DrawLogisticsSeed = { drawId: number; declined: string; replacedBy: string[] } | null;

export function seedDrawLogistics(scope: BatchScope, opts: { seed?: string; now?: Date } = {}): DrawLogisticsSeed {
	const { db, batch } = scope;
	if (!batch.assignmentsPublishedAt) return null;
	const account = (username: string) => db.select().from(s.users).where(eq(s.users.username, username)).get();
	const office = account('office');
	const observer = account('observer');
	const officeActor: Actor = office ? { userId: office.id, name: office.username } : SYSTEM_ACTOR;

	// The roster of the batch and the sheets its experts submitted.
	const seats = db
		.select({ expertId: s.assignments.expertId, applicationId: s.assignments.applicationId, occupation: s.applications.occupation })
		.from(s.assignments)
		.innerJoin(s.applications, eq(s.assignments.applicationId, s.applications.id))
		.where(eq(s.applications.batchId, batch.id))
		.all();
	if (!seats.length) return null;
	const submitted = new Map<string, number>();
	for (const r of db
		.select({ e: s.sheets.expertId, n: sql<number>`count(*)` })
		.from(s.sheets)
		.innerJoin(s.applications, eq(s.sheets.applicationId, s.applications.id))
		.where(and(eq(s.applications.batchId, batch.id), eq(s.sheets.status, 'submitted')))
		.groupBy(s.sheets.expertId)
		.all())
		submitted.set(r.e, r.n);
	const experts = [...new Set(seats.map((x) => x.expertId))].sort();

	// The expert who declines: the fewest submitted sheets (the last by id among equals, so the first
	// demo experts keep their tasks), with a seat in an occupation whose applications are all full —
	// its draw adds no one (the demo's undrawn occupations stay for the office) and records every
	// application's ranked alternates — and an alternate for that seat.
	const full = new Set<string>(assignmentBoard(scope, null).occupations.filter((o) => o.drawable > 0 && o.full === o.drawable).map((o) => o.key));
	const candidates = [...experts].sort((a, b) => (submitted.get(a) ?? 0) - (submitted.get(b) ?? 0) || b.localeCompare(a));
	let draw: { drawId: number } | null = null;
	let declined: string | undefined;
	for (const expertId of candidates) {
		const occupation = seats.filter((x) => x.expertId === expertId && full.has(x.occupation)).map((x) => x.occupation).sort()[0];
		if (!occupation) continue;
		draw = drawExperts(scope, { scope: occupation, seed: opts.seed ?? 'demo-2023-draw' }, officeActor);
		full.delete(occupation);
		if (seats.some((x) => x.expertId === expertId && x.occupation === occupation && nextAlternate(scope, x.applicationId) !== null)) {
			declined = expertId;
			break;
		}
	}
	if (!draw || !declined) return null;

	// Everyone drawn has confirmed, except the expert who will decline.
	const at = batch.assignmentsPublishedAt;
	for (const expertId of experts) {
		db.insert(s.invitations)
			.values({ batchId: batch.id, expertId, status: expertId === declined ? 'pending' : 'confirmed', respondedAt: expertId === declined ? null : at })
			.onConflictDoNothing()
			.run();
	}
	const declinedUser = db.select().from(s.users).where(eq(s.users.expertId, declined)).get();
	answerInvitation(
		scope,
		{ role: 'expert', expertId: declined },
		declined,
		{ answer: 'decline', reason: '评审期间已有出国交流安排，无法参加' },
		declinedUser ? { userId: declinedUser.id, name: declinedUser.username } : { userId: null, name: declined },
		opts.now
	);
	const out = replaceInvitee(scope, { expertId: declined }, officeActor, opts.now);
	// The new experts see their applications once the roster is published again; the demo shows them confirmed.
	publishAssignments(scope, officeActor);
	const replacedBy = [...new Set(out.replaced.map((r) => r.to))].sort();
	if (replacedBy.length) {
		db.update(s.invitations)
			.set({ status: 'confirmed', respondedAt: new Date().toISOString() })
			.where(and(eq(s.invitations.batchId, batch.id), inArray(s.invitations.expertId, replacedBy), eq(s.invitations.status, 'pending')))
			.run();
	}
	if (observer) confirmDrawRecord(scope, observer, draw.drawId, { userId: observer.id, name: observer.username }, opts.now);
	return { drawId: draw.drawId, declined, replacedBy };
}
