/**
 * Shared by the fuzz tests: hostile values (scripts, formulas, path tricks, control characters,
 * oversized text, wrong types), a seeded PRNG, and a fingerprint of a whole database to prove that
 * a refused request or import wrote nothing.
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';

/** Text a page must never render as markup (checked unescaped in every page body). */
export const XSS_MARKER = 'xss-h10-marker';
export const SCRIPT = `<script>window.${XSS_MARKER.replace(/-/g, '_')}=1</script><img src=x onerror="${XSS_MARKER}">`;

export const HOSTILE_STRINGS: string[] = [
	'',
	' ',
	SCRIPT,
	'"><svg/onload=alert(1)>',
	'=cmd|\' /C calc\'!A0',
	'=HYPERLINK("http://evil.example","点我")',
	'+1+1',
	'@SUM(1,1)',
	'../../../../etc/passwd',
	'..\\..\\windows\\system32\\config\\sam',
	'/etc/passwd\u0000.png',
	"'; DROP TABLE applications; --",
	'" OR 1=1 --',
	'%00%2e%2e%2f',
	'\u202Egnp.exe',
	'\uD800',
	'𠮷野家🙂',
	'\r\n\t',
	'-1',
	'1e309',
	'NaN',
	'true',
	'null',
	'[]',
	'{}',
	'__proto__',
	'constructor'
];

export const OVERSIZED = (n = 100_001) => '长'.repeat(n);

/** mulberry32: the same seed, the same sequence. */
export function rng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) | 0;
		let t = Math.imul(a ^ (a >>> 15), a | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)];

/**
 * SHA-256 over every row of every table (sessions excepted: validating a session may extend it).
 * Equal fingerprints: nothing was written — except the record of a refusal itself: `access.denied`
 * entries of the audit log (issue 12, point 9) and the sealed head of the log they move.
 */
export function fingerprint(client: Database.Database, skip: string[] = ['sessions', 'audit_head']): string {
	const h = createHash('sha256');
	const tables = client
		.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
		.all() as { name: string }[];
	for (const { name } of tables) {
		if (skip.includes(name)) continue;
		h.update(`\u0001${name}\u0001`);
		const rows = name === 'audit_log' ? `SELECT * FROM audit_log WHERE action <> 'access.denied' ORDER BY rowid` : `SELECT * FROM "${name}" ORDER BY rowid`;
		for (const row of client.prepare(rows).raw().iterate()) h.update(JSON.stringify(row));
	}
	return h.digest('hex');
}
