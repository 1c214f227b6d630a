/**
 * Every server file under a role group calls requireRole (the layout does not guard actions),
 * and every form action calls it again; the administrators' groups (三员分立) call
 * requirePermission / requireAnyPermission with permissions of their own administrator only.
 * A new route without a guard fails here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROLE_PERMISSIONS, type Permission, type Role } from '../../src/lib/domain/permissions';

const ROUTES = path.resolve(__dirname, '../../src/routes');
const PUBLIC = new Set(['(auth)/login/+page.server.ts', '(auth)/logout/+page.server.ts', 'healthz/+server.ts', '+page.server.ts', '+layout.server.ts']);

/** The administrators' route groups and whose they are. */
const ADMIN_GROUPS: Record<string, Role> = { admin: 'sysadmin', security: 'secadmin', audit: 'auditadmin' };
const GUARD = 'require(?:Role|User|Permission|AnyPermission)';

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

	it('the administrators\' groups exist', () => {
		for (const g of Object.keys(ADMIN_GROUPS)) expect(serverFiles.some((f) => f.startsWith(`(${g})/`)), g).toBe(true);
	});

	for (const file of serverFiles) {
		if (PUBLIC.has(file)) continue;
		it(`${file} checks the role`, () => {
			const src = fs.readFileSync(path.join(ROUTES, file), 'utf8');
			const group = /^\((office|city|expert|observer)\)\//.exec(file)?.[1];
			const adminGroup = /^\(([a-z]+)\)\//.exec(file)?.[1];
			if (group) {
				// Layout, load and every handler/action of a role group name that group.
				expect(src, 'requireRole for the group').toMatch(new RegExp(`requireRole\\([^)]*'${group}'`));
			} else if (adminGroup && ADMIN_GROUPS[adminGroup]) {
				const named = [...src.matchAll(/require(?:Any)?Permission\(event,\s*([^)]*)\)/g)].flatMap((m) => [...m[1].matchAll(/'([\w.]+)'/g)].map((x) => x[1]));
				expect(named.length, 'requirePermission').toBeGreaterThan(0);
				const own = ROLE_PERMISSIONS[ADMIN_GROUPS[adminGroup]];
				for (const p of named) expect(own, `${p} 不属于 ${ADMIN_GROUPS[adminGroup]}`).toContain(p as Permission);
				expect(src, 'no role check by name in an administrators\' group').not.toMatch(/requireRole\(/);
			} else {
				expect(src, 'requireUser, requireRole or requirePermission').toMatch(new RegExp(`${GUARD}\\(`));
			}
			// Local helpers that check the role themselves count as a guard when a handler calls them.
			const guards = [...src.matchAll(/function (\w+)\([^)]*\)[^{]*\{([\s\S]*?)\n\}/g)]
				.filter((m) => new RegExp(`${GUARD}\\(`).test(m[2]))
				.map((m) => m[1]);
			const guarded = new RegExp(`(${GUARD}${guards.map((g) => '|' + g).join('')})\\(`);
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
