import { describe, expect, it } from 'vitest';
import { isSafeRedirect, safeRedirect } from './redirect';

const HOME = '/expert';

/** What a browser would make of the Location header: the origin it lands on. */
function landsOn(target: string): string {
	return new URL(target, 'https://pingshen.example/login').origin;
}

describe('safeRedirect', () => {
	it('follows in-app paths, with ids and queries', () => {
		for (const ok of [
			'/office',
			'/office/applications',
			'/office/applications/APP-2023:001',
			'/city/applications/new?type=training',
			'/expert/applications/a1?/save',
			'/account/password?first=1',
			'/office/applications?region=anshan&status=recommended',
			'/observer/audit?q=%E6%B2%88%E9%98%B3',
			'/sysadmin/accounts',
			'/office/'
		]) {
			expect(safeRedirect(ok, HOME), ok).toBe(ok);
			expect(landsOn(ok)).toBe('https://pingshen.example');
		}
	});

	it('never leaves the site: hostile targets go to the role’s home', () => {
		const hostile = [
			null,
			undefined,
			'',
			'//evil.example',
			'///evil.example',
			'/\\evil.example',
			'\\\\evil.example',
			'/\\/evil.example',
			'/\t/evil.example',
			'/%09/evil.example',
			'/%2509/evil.example',
			'/\n/evil.example',
			'/%0a/evil.example',
			'/%0d%0a/evil.example',
			'/office%0d%0aSet-Cookie:%20x=1',
			'/%2F%2Fevil.example',
			'/%2f/evil.example',
			'/%252F%252Fevil.example',
			'/%5Cevil.example',
			'/%5c%5cevil.example',
			'https://evil.example',
			'http:/evil.example',
			'evil.example',
			'javascript:alert(1)',
			'/javascript:alert(1)',
			'JaVaScRiPt:alert(1)',
			'data:text/html,<script>alert(1)</script>',
			' /office',
			'/office ',
			'/office\u00a0',
			'/office\u2028',
			'/\u200b/evil.example',
			'/office/../..//evil.example',
			'/office/../login',
			'/office/./x',
			'/Office',
			'/1office',
			'/_app/immutable/x.js',
			'/office#//evil.example',
			'/office?next=//evil.example',
			'/office?x=\\evil',
			'/login',
			'/login?redirectTo=//evil.example',
			'/logout',
			'/%',
			'/office%E0%A4%A',
			'/城市',
			'/office/' + 'a'.repeat(2000)
		];
		for (const bad of hostile) {
			expect(isSafeRedirect(bad), String(bad)).toBe(false);
			expect(safeRedirect(bad, HOME), String(bad)).toBe(HOME);
		}
	});

	it('what it lets through is a same-origin path, also as the browser resolves it', () => {
		// Every allowed target resolves on this origin whatever the browser strips or decodes.
		const samples = ['/office', '/expert/applications/x?/save', '/city/applications/new?type=evaluation'];
		for (const s of samples) {
			expect(isSafeRedirect(s)).toBe(true);
			expect(landsOn(s.replace(/[\t\n\r]/g, ''))).toBe('https://pingshen.example');
			expect(landsOn(decodeURIComponent(s))).toBe('https://pingshen.example');
		}
	});
});
