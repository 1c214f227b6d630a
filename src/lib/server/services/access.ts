/** Loads one application for a signed-in user, after checking the user may see it; masks personal data. */
import { error } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { NOT_FOUND_APPLICATION } from '../not-found';
import type { Db } from '../db';
import { applications } from '../db/schema';
import type { SessionUser } from '../auth';
import { getApplication, type ApplicationDetail } from '../queries/applications';
import { expertRelation } from '../queries/reviews';
import { canViewApplication, seesPersonalData } from '../../domain/permissions';
import { maskIdNumber, maskPhone } from '../../domain/identifiers';
import { noteDenial } from '../denials';

export type VisibleApplication = ApplicationDetail & { idNumber: string };

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,120}$/;

/**
 * 404 for ids that do not exist *or* that the user may not see, so ids cannot be probed; the second
 * is noted as a refused request (`object` names what was asked for, e.g. an attachment of it).
 */
export function visibleApplication(db: Db, user: SessionUser, id: string, object?: { entity: string; id: string }): VisibleApplication {
	if (!ID_PATTERN.test(id)) error(404, { message: NOT_FOUND_APPLICATION });
	const detail = getApplication(db, id);
	if (!detail) error(404, { message: NOT_FOUND_APPLICATION });
	const rel = user.role === 'expert' && user.expertId ? expertRelation(db, user.expertId, id) : undefined;
	const principal = { id: user.id, role: user.role, region: user.region, expertId: user.expertId };
	if (!canViewApplication(principal, { id, region: detail.app.region, status: detail.row.status }, rel)) {
		noteDenial({ status: 404, entity: object?.entity ?? 'application', entityId: object?.id ?? id, reason: 'not-visible' });
		error(404, { message: NOT_FOUND_APPLICATION });
	}
	const raw = detail.institution.legalRep?.idNumber ?? '';
	const idNumber = seesPersonalData(principal) ? raw : maskIdNumber(raw);
	// Never send the unmasked number to the page of a role that may not see it.
	const institution = seesPersonalData(principal)
		? detail.institution
		: { ...detail.institution, legalRep: detail.institution.legalRep ? { ...detail.institution.legalRep, idNumber: maskIdNumber(raw) } : null };
	// Phones of the lead, the contact and the people listed: full for the office only.
	if (seesPersonalData(principal)) return { ...detail, idNumber };
	const row = { ...detail.row, leadPhone: maskPhone(detail.row.leadPhone) || null, contactPhone: maskPhone(detail.row.contactPhone) || null };
	return { ...detail, row, app: maskApplicationPhones(detail.app), institution, idNumber };
}

/** The application exists (whoever may see it): a refusal of an existing one is a security event. */
export function applicationExists(db: Db, id: string): boolean {
	return ID_PATTERN.test(id) && !!db.select({ id: applications.id }).from(applications).where(eq(applications.id, id)).get();
}

type Phoned = { phone?: string | null } | null | undefined;
const maskPerson = <T extends Phoned>(p: T): T => (p && p.phone ? { ...p, phone: maskPhone(p.phone) } : p);

/** The application with every phone number masked (maskPhone). */
export function maskApplicationPhones<T extends { lead?: Phoned; contact?: Phoned; people?: Phoned[] | null }>(app: T): T {
	return {
		...app,
		lead: maskPerson(app.lead),
		contact: maskPerson(app.contact),
		people: app.people?.map((p) => maskPerson(p)) ?? app.people
	};
}
