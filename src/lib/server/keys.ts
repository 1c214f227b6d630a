/**
 * The keys kept outside the database (商用密码: SM3 and SM4 through Node's OpenSSL).
 *
 * One key file per database: `WORKBENCH_KEY_FILE` when set, else `<database file>.keys` beside it,
 * created on first use with mode 0600. It holds two independent random keys:
 * - `audit` (32 bytes): HMAC-SM3 of every audit entry and of the sealed head (server/audit.ts);
 * - `data` (32 bytes): the personal-data key; the SM4 key, the MAC key of the ciphertext and the
 *   key of the search digests are derived from it (server/personal-data.ts).
 * An in-memory database (tests) uses one random key set per process, unless `WORKBENCH_KEY_FILE`
 * is set. A database that already holds keyed entries or ciphertext never gets a new key file:
 * a lost key file is an error, not a fresh start.
 */
import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';

export const KEY_FILE_ENV = 'WORKBENCH_KEY_FILE';
const FORMAT = 'workbench-keys';

export type Keys = {
	/** Where they were read from (null: the in-memory key set of this process). */
	file: string | null;
	audit: Buffer;
	/** SM4-CBC key (16 bytes). */
	sm4: Buffer;
	/** HMAC-SM3 key over iv + ciphertext. */
	mac: Buffer;
	/** HMAC-SM3 key of the search digests (normalized ID numbers and phones). */
	digest: Buffer;
	/**
	 * Keys replaced by a rotation (`cli keys rotate`), oldest first: the audit key signed the entries up
	 * to `upTo`; the data key (only until the rotation finished re-encrypting) still decrypts.
	 */
	retired: RetiredKeys[];
};

export type RetiredKeys = { upTo: number; audit: Buffer; data: { sm4: Buffer; mac: Buffer } | null };

/** The key file's text form. */
type KeyDoc = {
	format: string;
	version: number;
	created: string;
	audit: string;
	data: string;
	retired?: { upTo: number; audit: string; data?: string | null; retiredAt: string }[];
};

/** The audit key that signed entry `id` (a retired one for entries before a rotation). */
export function auditKeyFor(keys: Keys, id: number): Buffer {
	for (const r of keys.retired) if (id <= r.upTo) return r.audit;
	return keys.audit;
}

export class KeyError extends Error {}

export const hmacSm3 = (key: Buffer, data: string | Buffer) => createHmac('sm3', key).update(data).digest();

const dataKeys = (data: Buffer) => ({ sm4: hmacSm3(data, 'workbench/sm4-cbc').subarray(0, 16), mac: hmacSm3(data, 'workbench/sm4-mac') });

function derive(audit: Buffer, data: Buffer, file: string | null, retired: RetiredKeys[] = []): Keys {
	return { file, audit, ...dataKeys(data), digest: hmacSm3(data, 'workbench/digest'), retired };
}

/** The key file of a database file (`:memory:` → the configured file or null). */
export function keyFileFor(dbFile: string): string | null {
	const configured = process.env[KEY_FILE_ENV];
	if (configured) return path.resolve(configured);
	if (!dbFile || dbFile === ':memory:') return null;
	return `${path.resolve(dbFile)}.keys`;
}

/** Reads a key file; null when it does not exist. A malformed file is an error. */
export function readKeyFile(file: string): Keys | null {
	let text: string;
	try {
		text = fs.readFileSync(file, 'utf8');
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
		throw new KeyError(`无法读取密钥文件 ${file}：${e instanceof Error ? e.message : String(e)}`);
	}
	let doc: Partial<KeyDoc>;
	try {
		doc = JSON.parse(text);
	} catch {
		throw new KeyError(`密钥文件 ${file} 格式不对`);
	}
	const bad = () => new KeyError(`密钥文件 ${file} 格式不对`);
	const hex = (v: unknown) => (typeof v === 'string' && /^[0-9a-f]{64}$/.test(v) ? Buffer.from(v, 'hex') : null);
	const audit = hex(doc.audit);
	const data = hex(doc.data);
	if (doc.format !== FORMAT || !audit || !data) throw bad();
	const retired = (Array.isArray(doc.retired) ? doc.retired : []).map((r) => {
		const a = hex(r?.audit);
		const d = r?.data == null ? null : hex(r.data);
		if (!a || !Number.isInteger(r.upTo) || (r.data != null && !d)) throw bad();
		return { upTo: r.upTo, audit: a, data: d ? dataKeys(d) : null };
	});
	retired.sort((x, y) => x.upTo - y.upTo);
	return derive(audit, data, file, retired);
}

function readDoc(file: string): KeyDoc {
	return JSON.parse(fs.readFileSync(file, 'utf8')) as KeyDoc;
}

/** Replaces a key file atomically (a temporary file with mode 0600, then renamed over it). */
function writeDoc(file: string, doc: KeyDoc): void {
	const tmp = `${file}.tmp-${process.pid}`;
	fs.writeFileSync(tmp, JSON.stringify(doc, null, 1) + '\n', { mode: 0o600 });
	fs.chmodSync(tmp, 0o600);
	const fd = fs.openSync(tmp, 'r');
	try {
		fs.fsyncSync(fd);
	} finally {
		fs.closeSync(fd);
	}
	fs.renameSync(tmp, file);
}

/**
 * Step 1 of a rotation: new audit and data keys become current; the old ones are kept as retired
 * (the audit key for entries up to `upTo`, the data key until step 2 has re-encrypted everything).
 * Returns the new keys.
 */
export function rotateKeyFile(file: string, upTo: number): Keys {
	const doc = readDoc(file);
	const now = new Date().toISOString();
	const next: KeyDoc = {
		...doc,
		audit: randomBytes(32).toString('hex'),
		data: randomBytes(32).toString('hex'),
		retired: [...(doc.retired ?? []), { upTo, audit: doc.audit, data: doc.data, retiredAt: now }]
	};
	writeDoc(file, next);
	return readKeyFile(file)!;
}

/** Step 3 of a rotation: everything is re-encrypted, so the retired data keys are dropped. */
export function dropRetiredDataKeys(file: string): void {
	const doc = readDoc(file);
	writeDoc(file, { ...doc, retired: (doc.retired ?? []).map((r) => ({ ...r, data: null })) });
}

/** Creates the key file (mode 0600, never over an existing one) and returns its keys. */
export function createKeyFile(file: string): Keys {
	fs.mkdirSync(path.dirname(file), { recursive: true });
	const audit = randomBytes(32);
	const data = randomBytes(32);
	const doc = { format: FORMAT, version: 1, created: new Date().toISOString(), audit: audit.toString('hex'), data: data.toString('hex') };
	try {
		fs.writeFileSync(file, JSON.stringify(doc, null, 1) + '\n', { mode: 0o600, flag: 'wx' });
	} catch (e) {
		// Another process created it first: use theirs.
		if ((e as NodeJS.ErrnoException).code === 'EEXIST') return readKeyFile(file)!;
		throw new KeyError(`无法创建密钥文件 ${file}：${e instanceof Error ? e.message : String(e)}`);
	}
	fs.chmodSync(file, 0o600);
	return derive(audit, data, file);
}

let memoryKeys: Keys | null = null;

/** The random key set of this process for in-memory databases. */
function processKeys(): Keys {
	return (memoryKeys ??= derive(randomBytes(32), randomBytes(32), null));
}

/** A database handle or a transaction on it: both reach the connection through drizzle's session. */
type Handle = object;

export function clientOf(handle: Handle): Database.Database {
	const h = handle as { $client?: Database.Database; session?: { client?: Database.Database } };
	const client = h.$client ?? h.session?.client;
	if (!client) throw new Error('clientOf(): not a drizzle database or transaction handle');
	return client;
}

/** True when the database holds anything written under a key (keyed audit entries, the head, ciphertext). */
export function holdsKeyedData(client: Database.Database): boolean {
	const has = (sql: string) => {
		try {
			return client.prepare(sql).get() !== undefined;
		} catch {
			return false; // an older schema: no such column or table
		}
	};
	return (
		has(`SELECT 1 FROM audit_log WHERE alg <> 'sha256' LIMIT 1`) ||
		has(`SELECT 1 FROM audit_head LIMIT 1`) ||
		has(`SELECT 1 FROM experts WHERE phone LIKE 'sm4:%' LIMIT 1`) ||
		has(`SELECT 1 FROM institutions WHERE legal_rep_id_number LIKE 'sm4:%' LIMIT 1`) ||
		has(`SELECT 1 FROM applications WHERE lead_phone LIKE 'sm4:%' OR contact_phone LIKE 'sm4:%' LIMIT 1`) ||
		has(`SELECT 1 FROM application_people WHERE phone LIKE 'sm4:%' LIMIT 1`)
	);
}

const byClient = new WeakMap<Database.Database, Keys>();
/** Connections whose key file this process created (their legacy audit chain may be sealed once). */
const created = new WeakSet<Database.Database>();

/**
 * The keys of a connection, read once per connection. With `create` (the default) a missing key file
 * is created, unless the database already holds keyed data (then a KeyError names the file). Without
 * `create`, a missing key file gives null (verification only reads).
 */
export function keysOf(handle: Handle, opts: { create?: boolean } = {}): Keys | null {
	const client = clientOf(handle);
	const cached = byClient.get(client);
	if (cached) return cached;
	const file = keyFileFor(client.name);
	let keys = file ? readKeyFile(file) : processKeys();
	if (!keys && file) {
		if (opts.create === false) return null;
		if (holdsKeyedData(client)) {
			throw new KeyError(
				`找不到密钥文件 ${file}：该数据库的审计日志与个人信息（身份证号、电话）由它保护，没有它既不能校验审计日志也不能解密。请从密钥备份恢复该文件（或以 ${KEY_FILE_ENV} 指明其位置）`
			);
		}
		keys = createKeyFile(file);
		created.add(client);
	}
	byClient.set(client, keys!);
	return keys;
}

/** The keys of a connection, created when missing (writes need them). */
export function requireKeys(handle: Handle): Keys {
	return keysOf(handle, { create: true })!;
}

/** Uses these keys for this connection (a backup copy checked with the keys of its source). */
export function useKeys(handle: Handle, keys: Keys): void {
	byClient.set(clientOf(handle), keys);
}

/** True once, for a connection whose key file was created by this process. */
export function takeCreated(handle: Handle): boolean {
	const client = clientOf(handle);
	const was = created.has(client);
	created.delete(client);
	return was;
}
