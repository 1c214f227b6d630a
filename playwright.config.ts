import { defineConfig } from '@playwright/test';

const PORT = Number(process.env.E2E_PORT ?? 4173);
const BASE = `http://127.0.0.1:${PORT}`;
/** The database the browser tests run against (tests read it to pick ids); freshly seeded each run. */
export const E2E_DB = process.env.E2E_DB ?? 'data/e2e.db';

export default defineConfig({
	testDir: 'tests/e2e',
	fullyParallel: false,
	workers: 1,
	retries: 0,
	timeout: 60_000,
	reporter: [['list']],
	use: {
		baseURL: BASE,
		viewport: { width: 1366, height: 768 },
		locale: 'zh-CN',
		launchOptions: {
			executablePath: '/usr/bin/chromium',
			args: [
				'--headless',
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync'
			]
		}
	},
	webServer: {
		command: `npx tsx scripts/demo.ts --no-build --fresh`,
		url: `${BASE}/healthz`,
		timeout: 120_000,
		reuseExistingServer: false,
		stdout: 'ignore',
		env: { HOST: '127.0.0.1', PORT: String(PORT), DATABASE_URL: E2E_DB, ORIGIN: BASE, BUILD_DIR: process.env.BUILD_DIR ?? 'build' }
	}
});
