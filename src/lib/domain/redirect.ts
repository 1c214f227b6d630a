/**
 * Where the login page may send a browser after sign-in (`/login?redirectTo=…`): only a path of
 * this site, never another host. Pure: the login page's load (already signed in) and its action
 * (just signed in) both ask `safeRedirect`.
 *
 * Browsers are lenient with what they take for a path: `//evil.example`, `/\evil.example`,
 * `/\tevil` (tabs and newlines are dropped inside URLs), `/%2F%2Fevil` once decoded by a proxy or
 * the framework, `javascript:…`. So the target is decoded completely first (and refused when it
 * cannot be), then must be an in-app path: `/` and a lower-case first segment (office, city,
 * expert, observer, account, the admin segments, …), path characters from a small alphabet, no
 * empty, `.` or `..` segment, no backslash, no whitespace or control character, optionally a query
 * without those either. Anything else goes to the role's home.
 */

/** Segments that make no sense to return to (they would loop or sign out). */
const NEVER = new Set(['login', 'logout']);

const MAX_LENGTH = 1000;

/** Fully percent-decoded text, or null when it does not decode (or keeps decoding). */
function decodeCompletely(raw: string): string | null {
	let s = raw;
	for (let i = 0; i < 5; i++) {
		let d: string;
		try {
			d = decodeURIComponent(s);
		} catch {
			return null;
		}
		if (d === s) return s;
		s = d;
	}
	return null;
}

/** Whitespace and control characters of any script (tab, newline, NBSP, U+2028, zero-width…). */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Z}\s]/u;

/** The path: `/segment(/segment)*` with a lower-case first segment; ids may use upper case, `:` and `~`. */
const PATH = /^\/[a-z][a-z0-9_-]*(?:\/[A-Za-z0-9_.:~-]+)*\/?$/;

/** The query: printable text without backslash or `#`; Chinese search terms are allowed. */
const QUERY = /^[^\\#]*$/u;

/** True when `target` is a path of this site that the login page may redirect to. */
export function isSafeRedirect(target: string | null | undefined): target is string {
	if (!target || target.length > MAX_LENGTH) return false;
	// The raw text must already look like a path (the decoded form is checked below as well):
	// printable ASCII only, so it is also a valid Location header.
	if (!/^\/[a-z]/.test(target) || !/^[\x21-\x7e]+$/.test(target) || target.includes('\\')) return false;
	const decoded = decodeCompletely(target);
	if (decoded === null) return false;
	for (const text of [target, decoded]) {
		if (INVISIBLE.test(text) || text.includes('\\') || text.includes('//') || text.includes('#')) return false;
		const q = text.indexOf('?');
		const path = q === -1 ? text : text.slice(0, q);
		const query = q === -1 ? '' : text.slice(q + 1);
		if (!PATH.test(path)) return false;
		if (path.split('/').some((seg) => seg === '.' || seg === '..')) return false;
		if (NEVER.has(path.split('/')[1])) return false;
		if (!QUERY.test(query)) return false;
	}
	return true;
}

/** `target` when it is a safe in-app path (see `isSafeRedirect`), else `fallback` (the role's home). */
export function safeRedirect(target: string | null | undefined, fallback: string): string {
	return isSafeRedirect(target) ? target : fallback;
}
