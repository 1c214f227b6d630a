/**
 * Personal data at rest: the legal representative's and the experts' ID numbers, every phone number and an objector's contact are stored
 * SM4-encrypted, `sm4:` + base64(iv ‖ ciphertext ‖ HMAC-SM3(iv ‖ ciphertext)) (SM4-CBC with a random
 * IV, encrypt-then-MAC: this Node's OpenSSL has no sm4-gcm). Beside each, a keyed digest of the
 * normalized value (HMAC-SM3, hex) serves matching (conflicts) and search without decrypting.
 *
 * Writes go through `sealPhone` / `sealIdNumber` (bundle import, the forms and every import write
 * through writeInstitution / writeApplication / the expert service); reads decrypt in the loaders of
 * queries/bundle.ts and the expert service, so pages, exports and the rules see plaintext.
 */
import { createCipheriv, createDecipheriv, randomBytes, timingSafeEqual } from 'node:crypto';
import type Database from 'better-sqlite3';
import { normalizePhone } from '../domain/conflicts';
import { hmacSm3, KeyError, requireKeys, clientOf, type Keys } from './keys';

export const CIPHER_PREFIX = 'sm4:';

export const isCiphertext = (v: string | null | undefined): v is string => typeof v === 'string' && v.startsWith(CIPHER_PREFIX);

/** Encrypts one value (null and '' stay as they are). */
export function encryptValue(keys: Keys, plain: string | null | undefined): string | null {
	if (plain == null) return null;
	if (plain === '') return '';
	const iv = randomBytes(16);
	const c = createCipheriv('sm4-cbc', keys.sm4, iv);
	const body = Buffer.concat([iv, c.update(plain, 'utf8'), c.final()]);
	return CIPHER_PREFIX + Buffer.concat([body, hmacSm3(keys.mac, body)]).toString('base64');
}

/** Decrypted values by ciphertext (every write has a fresh IV, so a ciphertext names one value). */
const plainCache = new WeakMap<Keys, Map<string, string>>();

/** Decrypts one stored value; plaintext (not yet migrated) passes through. A wrong key is an error. */
export function decryptValue(keys: Keys, stored: string | null | undefined): string | null {
	if (stored == null) return null;
	if (!isCiphertext(stored)) return stored;
	let cache = plainCache.get(keys);
	if (!cache) plainCache.set(keys, (cache = new Map()));
	const hit = cache.get(stored);
	if (hit !== undefined) return hit;
	const raw = Buffer.from(stored.slice(CIPHER_PREFIX.length), 'base64');
	const body = raw.subarray(0, raw.length - 32);
	const tag = raw.subarray(raw.length - 32);
	// The current data key, or one retired by a rotation that has not finished re-encrypting.
	const key = body.length < 32 ? undefined : [keys, ...keys.retired.map((r) => r.data).filter((d) => d !== null)].find((k) => timingSafeEqual(tag, hmacSm3(k.mac, body)));
	if (!key) {
		throw new KeyError('个人信息无法解密：密文校验未通过（密钥文件与数据库不匹配，或数据被改动）');
	}
	const d = createDecipheriv('sm4-cbc', key.sm4, body.subarray(0, 16));
	const plain = Buffer.concat([d.update(body.subarray(16)), d.final()]).toString('utf8');
	if (cache.size > 100_000) cache.clear();
	cache.set(stored, plain);
	return plain;
}

/** Normalized ID number: no spaces, upper-case X. */
export const normalizeIdNumber = (v: string | null | undefined) => (v ?? '').normalize('NFKC').replace(/\s/g, '').toUpperCase();

function digest(keys: Keys, kind: 'phone' | 'id', normalized: string): string | null {
	return normalized === '' ? null : hmacSm3(keys.digest, `${kind}:${normalized}`).toString('hex');
}

/** The keyed digest of a phone number (normalized as the conflict rules do), or null when empty. */
export const phoneDigest = (keys: Keys, phone: string | null | undefined) => digest(keys, 'phone', normalizePhone(phone));
/** The keyed digest of an ID number, or null when empty. */
export const idNumberDigest = (keys: Keys, id: string | null | undefined) => digest(keys, 'id', normalizeIdNumber(id));

export type Sealed = { value: string | null; digest: string | null };

export function sealPhone(keys: Keys, phone: string | null | undefined): Sealed {
	return { value: encryptValue(keys, phone), digest: phoneDigest(keys, phone) };
}

export function sealIdNumber(keys: Keys, id: string | null | undefined): Sealed {
	return { value: encryptValue(keys, id), digest: idNumberDigest(keys, id) };
}

/** The decrypting function of a connection (its keys, created when missing). */
export function opener(handle: object): (stored: string | null | undefined) => string | null {
	const keys = requireKeys(handle);
	return (stored) => decryptValue(keys, stored);
}

/**
 * The matching key of phones for the conflict rules on this connection: the keyed digest of the
 * normalized number ('' for none), as stored in the `*_digest` columns. Memoized per number.
 */
export function phoneMatchKey(handle: object): (phone: string | null | undefined) => string {
	const keys = requireKeys(handle);
	const memo = new Map<string, string>();
	return (phone) => {
		const n = normalizePhone(phone);
		if (n === '') return '';
		let d = memo.get(n);
		if (d === undefined) memo.set(n, (d = digest(keys, 'phone', n)!));
		return d;
	};
}

const COLUMNS = [
	{ table: 'institutions', column: 'legal_rep_id_number', digest: 'legal_rep_id_digest', kind: 'id' },
	{ table: 'applications', column: 'lead_phone', digest: 'lead_phone_digest', kind: 'phone' },
	{ table: 'applications', column: 'contact_phone', digest: 'contact_phone_digest', kind: 'phone' },
	{ table: 'application_people', column: 'phone', digest: 'phone_digest', kind: 'phone' },
	{ table: 'experts', column: 'phone', digest: 'phone_digest', kind: 'phone' },
	{ table: 'experts', column: 'id_number', digest: 'id_number_digest', kind: 'id' },
	// An objector's contact (a phone, an address or an e-mail): encrypted, never matched, so no digest.
	{ table: 'objections', column: 'contact', digest: null, kind: 'text' }
] as const;

type SealColumn = (typeof COLUMNS)[number];

/** The stored value and its digest (null for a column without one) of a plaintext value of column `c`. */
function sealFor(keys: Keys, c: SealColumn, plain: string | null): Sealed {
	return c.kind === 'id' ? sealIdNumber(keys, plain) : c.kind === 'phone' ? sealPhone(keys, plain) : { value: encryptValue(keys, plain), digest: null };
}

function updateOf(client: Database.Database, c: SealColumn) {
	if (c.digest === null) {
		const st = client.prepare(`UPDATE ${c.table} SET ${c.column} = ? WHERE rowid = ?`);
		return (sealed: Sealed, id: number) => st.run(sealed.value, id);
	}
	const st = client.prepare(`UPDATE ${c.table} SET ${c.column} = ?, ${c.digest} = ? WHERE rowid = ?`);
	return (sealed: Sealed, id: number) => st.run(sealed.value, sealed.digest, id);
}

/** The columns of COLUMNS this database has (one not yet migrated may lack the newer ones). */
function presentColumns(client: Database.Database) {
	const has = new Map<string, Set<string>>();
	return COLUMNS.filter((c) => {
		let cols = has.get(c.table);
		if (!cols) has.set(c.table, (cols = new Set((client.prepare(`PRAGMA table_info(${c.table})`).all() as { name: string }[]).map((r) => r.name))));
		return cols.has(c.column) && (c.digest === null || cols.has(c.digest));
	});
}

/**
 * Re-encrypts every stored ID number and phone under the current data key with fresh digests (a key
 * rotation). Call it inside a transaction. Returns the number of values re-encrypted.
 */
export function reencryptAll(handle: object, keys: Keys): number {
	const client: Database.Database = clientOf(handle);
	let n = 0;
	for (const c of presentColumns(client)) {
		const rows = client.prepare(`SELECT rowid AS id, ${c.column} AS v FROM ${c.table} WHERE ${c.column} IS NOT NULL AND ${c.column} <> ''`).all() as { id: number; v: string }[];
		const update = updateOf(client, c);
		for (const r of rows) {
			update(sealFor(keys, c, decryptValue(keys, r.v)), r.id);
			n++;
		}
	}
	return n;
}

/**
 * Encrypts the plaintext ID numbers and phones a database still holds (written before encryption
 * at rest), with their digests. Idempotent: ciphertext (`sm4:…`) is left alone, and a database
 * with nothing to encrypt is not written to. Returns the number of values encrypted.
 */
export function encryptPlaintextAtRest(handle: object): number {
	const client: Database.Database = clientOf(handle);
	const pending = presentColumns(client).map((c) => ({
		...c,
		rows: client
			.prepare(`SELECT rowid AS id, ${c.column} AS v FROM ${c.table} WHERE ${c.column} IS NOT NULL AND ${c.column} <> '' AND ${c.column} NOT LIKE 'sm4:%'`)
			.all() as { id: number; v: string }[]
	})).filter((c) => c.rows.length);
	if (!pending.length) return 0;
	const keys = requireKeys(handle);
	let n = 0;
	client.transaction(() => {
		for (const c of pending) {
			const update = updateOf(client, c);
			for (const r of c.rows) {
				update(sealFor(keys, c, r.v), r.id);
				n++;
			}
		}
	})();
	return n;
}
