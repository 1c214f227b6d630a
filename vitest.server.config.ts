/**
 * The tests that need the built server (tests/server): run by scripts/test.sh after `vite build`,
 * one file at a time (each starts its own server on a free port with its own database).
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
	test: {
		include: ['tests/server/**/*.spec.ts'],
		globalSetup: ['tests/server/global-setup.ts'],
		environment: 'node',
		pool: 'forks',
		fileParallelism: false,
		testTimeout: 180_000,
		hookTimeout: 180_000
	}
});
