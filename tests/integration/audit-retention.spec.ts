/**
 * Security events are kept at least 6 months (GB/T 22239 8.1.4.3): nothing in the workbench deletes
 * or rewrites audit entries. This scan fails when a code path starts to.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

function sources(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
		const p = path.join(dir, e.name);
		if (e.isDirectory()) return sources(p);
		return /\.(ts|svelte)$/.test(e.name) && !e.name.endsWith('.spec.ts') ? [p] : [];
	});
}

describe('audit retention', () => {
	it('no source file deletes or updates audit entries', () => {
		const root = path.resolve(__dirname, '../../src');
		const offenders: string[] = [];
		for (const file of sources(root)) {
			const text = fs.readFileSync(file, 'utf8');
			if (/\.(delete|update)\(\s*(s\.|schema\.)?auditLog\b/.test(text) || /(DELETE\s+FROM|UPDATE)\s+[`"]?audit_log\b/i.test(text)) {
				offenders.push(path.relative(root, file));
			}
		}
		expect(offenders).toEqual([]);
	});
});
