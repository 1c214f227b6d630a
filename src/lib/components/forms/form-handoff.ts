/**
 * Hands the city form over from the page of a new application to the page of the draft its first
 * save created: what was typed (also while that save was under way), what the save sent, and where
 * the cursor was — so moving to the draft's address loses no input and no place. Browser memory
 * only; taken once, by the draft it names.
 */
import type { FormValues } from '$lib/domain/application-form';

export type FocusMark = { id: string; start: number | null; end: number | null; top: number };
export type Handoff = { id: string; values: FormValues; sent: FormValues; focus: FocusMark | null; scrollY: number };

type Leaving = { id: string; sent: FormValues; read: () => Pick<Handoff, 'values' | 'focus' | 'scrollY'> };
let pending: Leaving | null = null;

/**
 * Called as the form starts to move to the draft `id`: `read` gives the form's state whenever the
 * draft's page asks (keystrokes made while its page loads included), whichever of the two pages
 * is set up first.
 */
export function leaveForm(h: Leaving): void {
	pending = h;
}

/** The handoff for the draft `id`, once; null for any other page. */
export function takeForm(id: string | undefined): Handoff | null {
	const h = pending;
	pending = null;
	return h && id && h.id === id ? { id: h.id, sent: h.sent, ...h.read() } : null;
}

/**
 * The typed values on top of the stored draft: the ids the server gave (version, institution) are
 * the server's, and an ID number or phone that went out with the save comes back as the draft's
 * page shows a stored one — an empty box with the masked value as its placeholder — unless it was
 * changed after the save was sent.
 */
export function onStored(typed: FormValues, sent: FormValues, stored: FormValues): FormValues {
	const keep = (now: string, then: string, server: string) => (now === then ? server : now);
	return {
		...typed,
		version: stored.version,
		inst: { ...typed.inst, id: stored.inst.id, legalRepIdNumber: keep(typed.inst.legalRepIdNumber, sent.inst.legalRepIdNumber, stored.inst.legalRepIdNumber) },
		lead: { ...typed.lead, phone: keep(typed.lead.phone, sent.lead.phone, stored.lead.phone) },
		contact: { ...typed.contact, phone: keep(typed.contact.phone, sent.contact.phone, stored.contact.phone) },
		// A row's stored phone only where the stored row is the same person (empty rows are dropped on save).
		people: typed.people.map((p, i) => (stored.people[i]?.name === p.name ? { ...p, phone: keep(p.phone, sent.people[i]?.phone ?? '', stored.people[i].phone) } : p))
	};
}
