/**
 * Every server file under a role group calls requireRole (the layout does not guard actions),
 * and every form action calls it again. A new route without a guard fails here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROUTES = path.resolve(__dirname, '../../src/routes');
const PUBLIC = new Set(['(auth)/login/+page.server.ts', '(auth)/logout/+page.server.ts', 'healthz/+server.ts', '+page.server.ts', '+layout.server.ts']);

function walk(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
		const p = path.join(dir, d.name);
		return d.isDirectory() ? walk(p) : [p];
	});
}

const serverFiles = walk(ROUTES)
	.filter((f) => /\+(page|layout)\.server\.ts$|\+server\.ts$/.test(f))
	.map((f) => path.relative(ROUTES, f).split(path.sep).join('/'));

describe('route guards', () => {
	it('finds the route files', () => {
		expect(serverFiles.length).toBeGreaterThan(10);
	});

	for (const file of serverFiles) {
		if (PUBLIC.has(file)) continue;
		it(`${file} checks the role`, () => {
			const src = fs.readFileSync(path.join(ROUTES, file), 'utf8');
			const group = /^\((office|city|expert|observer)\)\//.exec(file)?.[1];
			if (group) {
				// Layout, load and every handler/action of a role group name that group.
				expect(src, 'requireRole for the group').toMatch(new RegExp(`requireRole\\([^)]*'${group}'`));
			} else {
				expect(src, 'requireUser or requireRole').toMatch(/require(User|Role)\(/);
			}
			// Local helpers that check the role themselves count as a guard when a handler calls them.
			const guards = [...src.matchAll(/function (\w+)\([^)]*\)[^{]*\{([\s\S]*?)\n\}/g)]
				.filter((m) => /require(Role|User)\(/.test(m[2]))
				.map((m) => m[1]);
			const guarded = new RegExp(`(require(Role|User)${guards.map((g) => '|' + g).join('')})\\(`);
			const actions = /export const actions = \{([\s\S]*?)\n\} satisfies Actions/.exec(src)?.[1];
			if (actions) {
				const handlers = actions.split(/\n\t(?=[A-Za-z]+: )/).filter((h) => /^\s*[A-Za-z]+: /.test(h));
				expect(handlers.length).toBeGreaterThan(0);
				for (const h of handlers) expect(h, `action ${h.trim().split(':')[0]}`).toMatch(guarded);
			}
			for (const m of src.matchAll(/export const (GET|POST|PUT|PATCH|DELETE)[^=]*= ([\s\S]*?)\n\};/g)) {
				expect(m[2], `${m[1]} handler`).toMatch(guarded);
			}
		});
	}
});
