/**
 * The route tree as the server tests see it: every page, every form action and every endpoint
 * method, read from src/routes so that a route added later is tested without editing the tests.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './harness';

export const ROUTES_DIR = path.join(ROOT, 'src', 'routes');

export type RoleGroup = 'office' | 'city' | 'expert' | 'observer' | 'admin' | 'security' | 'audit';

/** The role whose pages a route group holds (the administrators' groups of 三员分立 included). */
export const GROUP_ROLE: Record<RoleGroup, 'office' | 'city' | 'expert' | 'observer' | 'sysadmin' | 'secadmin' | 'auditadmin'> = {
	office: 'office',
	city: 'city',
	expert: 'expert',
	observer: 'observer',
	admin: 'sysadmin',
	security: 'secadmin',
	audit: 'auditadmin'
};

export type Route = {
	/** Directory under src/routes, e.g. `(office)/office/applications/[id]`. */
	id: string;
	/** The role group, `public` for (auth) and the public files, `signed-in` for the rest. */
	group: RoleGroup | 'public' | 'signed-in';
	/** Path segments; params as `[name]`. */
	segments: string[];
	params: { name: string; after: string | null; rest: boolean; optional: boolean }[];
	/** A page (+page.svelte or +page.server.ts) answers GET. */
	page: boolean;
	/** Named form actions of +page.server.ts (`default` for the default action). */
	actions: string[];
	/** Methods exported by +server.ts. */
	methods: string[];
};

/** Files that are public by design (the same list as tests/integration/route-guards.spec.ts). */
export const PUBLIC_ROUTES = new Set(['(auth)/login', '(auth)/logout', 'healthz', '']);

function walk(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
		const p = path.join(dir, d.name);
		return d.isDirectory() ? [p, ...walk(p)] : [];
	});
}

/** Keys of `export const actions = { … }`: one-tab-indented `name:` or shorthand `name,`. */
export function actionNames(src: string): string[] {
	const m = /export const actions\s*(?::[^=]+)?=\s*\{([\s\S]*?)\n\}/.exec(src);
	if (!m) return [];
	const names = new Set<string>();
	for (const k of m[1].matchAll(/^\t(?:async\s+)?([A-Za-z_$][\w$]*)\s*(?::|\(|,\s*$|$)/gm)) names.add(k[1]);
	return [...names];
}

export function endpointMethods(src: string): string[] {
	const found = new Set<string>();
	for (const m of src.matchAll(/export\s+(?:const|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE|fallback)\b/g)) found.add(m[1]);
	return [...found];
}

export function discoverRoutes(): Route[] {
	const dirs = [ROUTES_DIR, ...walk(ROUTES_DIR)];
	const routes: Route[] = [];
	for (const dir of dirs) {
		const files = new Set(fs.readdirSync(dir));
		const page = files.has('+page.svelte') || files.has('+page.server.ts') || files.has('+page.ts');
		const server = files.has('+server.ts') || files.has('+server.js');
		if (!page && !server) continue;
		const id = path.relative(ROUTES_DIR, dir).split(path.sep).join('/');
		const parts = id ? id.split('/') : [];
		const groupSeg = parts.find((p) => /^\(.+\)$/.test(p))?.slice(1, -1);
		const group: Route['group'] = PUBLIC_ROUTES.has(id) || groupSeg === 'auth'
			? 'public'
			: groupSeg && groupSeg in GROUP_ROLE
				? (groupSeg as RoleGroup)
				: 'signed-in';
		const segments = parts.filter((p) => !/^\(.+\)$/.test(p));
		const params: Route['params'] = [];
		segments.forEach((seg, i) => {
			const m = /^\[(\[)?(\.\.\.)?([A-Za-z_]\w*)(?:=\w+)?\]?\]$/.exec(seg);
			if (m) params.push({ name: m[3], after: i > 0 ? segments[i - 1] : null, rest: !!m[2], optional: !!m[1] });
		});
		const pageSrc = files.has('+page.server.ts') ? fs.readFileSync(path.join(dir, '+page.server.ts'), 'utf8') : '';
		const serverSrc = server ? fs.readFileSync(path.join(dir, files.has('+server.ts') ? '+server.ts' : '+server.js'), 'utf8') : '';
		routes.push({ id, group, segments, params, page, actions: actionNames(pageSrc), methods: endpointMethods(serverSrc) });
	}
	return routes.sort((a, b) => a.id.localeCompare(b.id));
}

/** The URL path of a route with its params filled. */
export function urlOf(route: Route, values: Record<string, string>): string {
	const out: string[] = [];
	for (const seg of route.segments) {
		const m = /^\[(\[)?(\.\.\.)?([A-Za-z_]\w*)(?:=\w+)?\]?\]$/.exec(seg);
		if (!m) out.push(seg);
		else if (values[m[3]] !== undefined && values[m[3]] !== '') out.push(m[2] ? values[m[3]] : encodeURIComponent(values[m[3]]));
		else if (!m[1]) out.push('x');
	}
	return '/' + out.join('/');
}
