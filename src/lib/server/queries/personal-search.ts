/**
 * The office's search by ID number or phone: the value is reduced to its keyed digest (HMAC-SM3 of
 * the normalized value, personal-data.ts) and looked up in the `*_digest` columns, so nothing is
 * decrypted and the number itself is never compared nor stored.
 */
import type { Db } from '../db';
import { requireKeys } from '../keys';
import { idNumberDigest, normalizeIdNumber, phoneDigest } from '../personal-data';
import { normalizePhone } from '../../domain/conflicts';

/** A complete ID number (18 characters) or phone (7 to 13 digits) to search for; else null. */
export function personQuery(raw: string): { kind: 'id' | 'phone'; value: string } | null {
	const id = normalizeIdNumber(raw);
	if (/^\d{17}[\dX]$/.test(id)) return { kind: 'id', value: id };
	if (!/^[\d\s()（）+\-－—]+$/.test(raw.normalize('NFKC'))) return null;
	const phone = normalizePhone(raw);
	return phone.length >= 7 && phone.length <= 13 ? { kind: 'phone', value: phone } : null;
}

/** The ids of the applications where the person appears (legal representative by ID number; lead, contact or listed person by phone). */
export function applicationsByPerson(db: Db, raw: string): Set<string> {
	const q = personQuery(raw);
	if (!q) return new Set();
	const keys = requireKeys(db);
	const client = db.$client;
	const ids =
		q.kind === 'id'
			? client
					.prepare('SELECT a.id FROM applications a JOIN institutions i ON i.id = a.institution_id WHERE i.legal_rep_id_digest = ?')
					.pluck()
					.all(idNumberDigest(keys, q.value))
			: (() => {
					const d = phoneDigest(keys, q.value);
					return client
						.prepare(
							'SELECT id FROM applications WHERE lead_phone_digest = @d OR contact_phone_digest = @d UNION SELECT application_id FROM application_people WHERE phone_digest = @d'
						)
						.pluck()
						.all({ d });
				})();
	return new Set(ids as string[]);
}

/** The ids of the experts with this phone. */
export function expertsByPhone(db: Db, raw: string): string[] {
	const q = personQuery(raw);
	if (!q || q.kind !== 'phone') return [];
	return db.$client.prepare('SELECT id FROM experts WHERE phone_digest = ? ORDER BY rowid').pluck().all(phoneDigest(requireKeys(db), q.value)) as string[];
}
