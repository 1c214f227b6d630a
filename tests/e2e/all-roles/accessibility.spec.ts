import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import fs from 'node:fs';
import path from 'node:path';
import { PASSWORDS, login, open, query } from '../support';

/**
 * An axe-core scan of every page of every role (WCAG 2.0/2.1 A and AA, as GB/T 37668 asks): no violation of impact
 * serious or critical. Each role signs in once (one browser context per test) and walks its pages; a page with an
 * id takes the first link of its list page, so the ids come from the demo data.
 */

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** A page to scan: its route as in src/routes, and how to reach it (a path, or the list page whose first matching link opens it). */
type Visit = ({ route: string; path: string } | { route: string; from: string; link: string }) & { batch?: string };

/** Chooses the batch the pages show (the header's switcher), as this browser context's cookie. */
async function chooseBatch(page: Page, batch: string): Promise<void> {
	const origin = new URL(page.url()).origin;
	const res = await page.request.post('/batch', { form: { batch, back: '/' }, headers: { origin }, maxRedirects: 0 });
	expect(res.status(), `switch to batch ${batch}`).toBe(303);
}

const ROLES: { who: string; username: string; password: string; visits: Visit[] }[] = [
	{
		who: 'office',
		username: 'office',
		password: PASSWORDS.office,
		visits: [
			{ route: '/office', path: '/office' },
			{ route: '/office/applications', path: '/office/applications' },
			{ route: '/office/directory', path: '/office/directory' },
			{ route: '/office/applications/[id]', from: '/office/applications', link: 'table a[href^="/office/applications/app-"]' },
			{ route: '/office/experts', path: '/office/experts' },
			{ route: '/office/experts/[id]', from: '/office/experts', link: 'a[href^="/office/experts/exp-"]' },
			{ route: '/office/experts/new', path: '/office/experts/new' },
			{ route: '/office/experts/credentials', path: '/office/experts/credentials?ids=exp-01,exp-08' },
			{ route: '/office/conflicts', path: '/office/conflicts' },
			{ route: '/office/assignments', path: '/office/assignments' },
			{ route: '/office/rubrics', path: '/office/rubrics' },
			{ route: '/office/dashboard', path: '/office/dashboard' },
			{ route: '/office/sheets', path: '/office/sheets' },
			{ route: '/office/sheets/reminders', path: '/office/sheets/reminders' },
			{ route: '/office/sheets/print', path: '/office/sheets/print?expert=exp-01' },
			{ route: '/office/results', path: '/office/results' },
			{ route: '/office/recheck', path: '/office/recheck' },
			{ route: '/office/meeting', path: '/office/meeting' },
			// An item with a closed vote and a 综合评审意见 in the demo: the vote board and the opinion editor.
			{ route: '/office/meeting', path: '/office/meeting?app=app-02' },
			{ route: '/office/meeting/screen', path: '/office/meeting/screen' },
			{ route: '/office/meeting/kiosk', path: '/office/meeting/kiosk' },
			{ route: '/office/meeting/attendance', path: '/office/meeting/attendance' },
			{ route: '/office/fees', path: '/office/fees' },
			{ route: '/office/fees/print', path: '/office/fees/print' },
			{ route: '/office/shortlist', path: '/office/shortlist' },
			{ route: '/office/memo', path: '/office/memo' },
			{ route: '/office/reports', path: '/office/reports' },
			{ route: '/office/reports/[occupation]/[type]', from: '/office/reports', link: 'a[href^="/office/reports/"]:not([href$="/docx"])' },
			{ route: '/office/national', path: '/office/national' },
			{ route: '/office/print/publicity', path: '/office/print/publicity' },
			{ route: '/office/publicity', path: '/office/publicity' },
			{ route: '/office/calendar', path: '/office/calendar?year=2023' },
			{ route: '/office/objections', path: '/office/objections' },
			{ route: '/office/objections/new', path: '/office/objections/new' },
			// The demo's objections are in the archived 第一批 (a closed publicity).
			{ route: '/office/objections/[id]', batch: 'ln-2022-b1', from: '/office/objections', link: 'table a[href^="/office/objections/"]' },
			{ route: '/office/print/summary', path: '/office/print/summary' },
			{ route: '/office/batches', path: '/office/batches' },
			{ route: '/office/ratings', path: '/office/ratings' },
			{ route: '/office/ratings/[id]', from: '/office/ratings', link: 'a[href^="/office/ratings/"]' },
			{ route: '/office/assignments/draws/[drawId]/print', from: '/office/assignments', link: 'a[href^="/office/assignments/draws/"]' },
			{ route: '/office/users', path: '/office/users' },
			{ route: '/office/audit', path: '/office/audit' },
			{ route: '/account/password', path: '/account/password' }
		]
	},
	{
		who: 'city',
		username: 'city-anshan',
		password: PASSWORDS.city,
		visits: [
			{ route: '/city', path: '/city' },
			{ route: '/city/applications/new', path: '/city/applications/new?type=training' },
			{ route: '/city/applications/new', path: '/city/applications/new?type=evaluation' },
			{ route: '/city/applications/[id]', from: '/city', link: 'table a[href^="/city/applications/app-"]' },
			{ route: '/account/password', path: '/account/password' }
		]
	},
	{
		// Before the commitment: the form of the 评审承诺书 (exp-08 has not signed it in the demo).
		who: 'expert (unsigned)',
		username: 'exp-08',
		password: PASSWORDS.expert,
		visits: [{ route: '/expert/commitment', path: '/expert/commitment' }]
	},
	{
		who: 'expert',
		username: 'exp-01',
		password: PASSWORDS.expert,
		visits: [
			{ route: '/expert', path: '/expert' },
			{ route: '/expert/applications/[id]', from: '/expert', link: 'a[href^="/expert/applications/"]' },
			{ route: '/expert/commitment', path: '/expert/commitment' },
			{ route: '/expert/offline', path: '/expert/offline' },
			{ route: '/expert/print', path: '/expert/print' },
			{ route: '/expert/meeting', path: '/expert/meeting' },
			{ route: '/expert/profile', path: '/expert/profile' },
			{ route: '/expert/record', path: '/expert/record' },
			{ route: '/expert/reports', path: '/expert/reports' },
			{ route: '/account/password', path: '/account/password' }
		]
	},
	{
		who: 'observer',
		username: 'observer',
		password: PASSWORDS.observer,
		visits: [
			{ route: '/observer', path: '/observer' },
			{ route: '/observer/results', path: '/observer/results' },
			{ route: '/observer/meeting', path: '/observer/meeting' },
			{ route: '/observer/fees', path: '/observer/fees' },
			{ route: '/observer/draws', path: '/observer/draws' },
			{ route: '/observer/draws/[drawId]', from: '/observer/draws', link: 'a[href^="/observer/draws/"]' },
			{ route: '/observer/audit', path: '/observer/audit' }
		]
	},
	{
		who: 'sysadmin',
		username: 'sysadmin',
		password: PASSWORDS.sysadmin,
		visits: [
			{ route: '/admin/users', path: '/admin/users' },
			{ route: '/admin/backups', path: '/admin/backups' }
		]
	},
	{ who: 'secadmin', username: 'secadmin', password: PASSWORDS.secadmin, visits: [{ route: '/security', path: '/security' }] },
	{ who: 'auditadmin', username: 'auditadmin', password: PASSWORDS.auditadmin, visits: [{ route: '/audit', path: '/audit' }] }
];

/** Pages open to anyone: the sign-in page, also with its error message. */
const ANONYMOUS: Visit[] = [{ route: '/login', path: '/login' }];

type Finding = { page: string; rule: string; impact: string; help: string; targets: string[] };

/** Runs axe on the page as it stands; returns the serious and critical violations. */
async function scan(page: Page, label: string): Promise<Finding[]> {
	// Only the violations are wanted: axe then keeps one node of each passed rule instead of all (much faster on long tables).
	const result = await new AxeBuilder({ page }).withTags(TAGS).options({ resultTypes: ['violations'] }).analyze();
	return result.violations
		.filter((v) => v.impact === 'serious' || v.impact === 'critical')
		.map((v) => ({ page: label, rule: v.id, impact: v.impact!, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
}

/**
 * Every form control (hidden ones too, e.g. in a closed <details>) has a Chinese name of its own: a <label>, aria-label or
 * aria-labelledby — not only a placeholder or title, which axe accepts; every button a Chinese text or aria-label.
 */
async function unlabelled(page: Page, label: string): Promise<Finding[]> {
	const bad = await page.evaluate(() => {
		const text = (el: Element | null) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
		const out: string[] = [];
		for (const el of document.querySelectorAll<HTMLElement>('input:not([type="hidden"]), select, textarea, button')) {
			const parts = [el.getAttribute('aria-label') ?? ''];
			for (const id of (el.getAttribute('aria-labelledby') ?? '').split(/\s+/).filter(Boolean)) parts.push(text(document.getElementById(id)));
			const labels = (el as HTMLInputElement).labels;
			if (labels) for (const l of labels) parts.push(text(l));
			const type = el.getAttribute('type') ?? '';
			if (el.tagName === 'BUTTON') parts.push(text(el));
			else if (['submit', 'button', 'reset'].includes(type)) parts.push((el as HTMLInputElement).value);
			if (!/[\u3400-\u9fff]/.test(parts.join(' '))) {
				const attrs = ['id', 'name', 'type', 'placeholder', 'title'].map((a) => (el.getAttribute(a) ? `${a}="${el.getAttribute(a)}"` : '')).filter(Boolean);
				out.push(`<${el.tagName.toLowerCase()} ${attrs.join(' ')}>${el.tagName === 'BUTTON' ? text(el) : ''}`);
			}
		}
		return out;
	});
	return bad.length ? [{ page: label, rule: 'chinese-label', impact: 'critical', help: '表单控件或按钮没有中文名称（label、aria-label 或按钮文字）', targets: bad }] : [];
}

async function check(page: Page, label: string): Promise<Finding[]> {
	return [...(await scan(page, label)), ...(await unlabelled(page, label))];
}

async function visit(page: Page, v: Visit): Promise<string> {
	if (v.batch) await chooseBatch(page, v.batch);
	if ('path' in v) {
		const res = await open(page, v.path);
		expect(res?.status(), v.path).toBe(200);
		return v.path;
	}
	await open(page, v.from);
	const href = await page.locator(v.link).first().getAttribute('href');
	expect(href, `${v.from}: no link ${v.link}`).toBeTruthy();
	const res = await open(page, href!);
	expect(res?.status(), href!).toBe(200);
	return href!;
}

function report(findings: Finding[]): string {
	return findings
		.map((f) => `${f.page}  [${f.impact}] ${f.rule}: ${f.help}\n${f.targets.slice(0, 8).map((t) => `    ${t}`).join('\n')}${f.targets.length > 8 ? `\n    … ${f.targets.length - 8} more` : ''}`)
		.join('\n');
}

test('the sign-in page has no serious or critical accessibility violation', async ({ page }) => {
	const findings: Finding[] = [];
	for (const v of ANONYMOUS) findings.push(...(await check(page, await visit(page, v))));
	// With the error message shown.
	await page.getByLabel('用户名').fill('nobody-here');
	await page.getByLabel('密码').fill('not-the-password1');
	await page.getByRole('button', { name: '登录' }).click();
	await expect(page.getByRole('alert')).toBeVisible();
	findings.push(...(await check(page, '/login (wrong password)')));
	expect(findings, report(findings)).toEqual([]);
});

// One browser context per role, signed in once; a test per page, so each page reports its own violations.
for (const role of ROLES) {
	test.describe(`as ${role.who}`, () => {
		let context: BrowserContext;
		let page: Page;
		test.beforeAll(async ({ browser }, info) => {
			const use = info.project.use;
			context = await browser.newContext({ baseURL: use.baseURL, viewport: use.viewport, locale: use.locale });
			page = await context.newPage();
			await login(page, role.username, role.password);
		});
		test.afterAll(async () => {
			await context?.close();
		});
		for (const v of role.visits) {
			test(`${'path' in v ? v.path : v.route} has no serious or critical accessibility violation`, async () => {
				// Long tables (评分表, 汇总表) take axe a while on a busy machine.
				test.setTimeout(120_000);
				const at = await visit(page, v);
				const findings = await check(page, at);
				if (v.batch) await chooseBatch(page, query<{ id: string }>(`SELECT id FROM batches WHERE archived_at IS NULL ORDER BY created_at DESC, rowid DESC LIMIT 1`)[0].id);
				expect(findings, report(findings)).toEqual([]);
			});
		}
	});
}

test('the dashboard charts are pictures with their figures beside them as named tables', async ({ page }) => {
	await login(page, 'office', PASSWORDS.office);
	await open(page, '/office/dashboard');
	// The canvas is hidden from assistive technology (not a role="img" canvas with a name only).
	await expect(page.locator('canvas:not([aria-hidden="true"])')).toHaveCount(0);
	await expect(page.locator('canvas')).toHaveCount(5);
	const [expert] = query<{ name: string }>(`SELECT e.name FROM experts e WHERE e.id IN (SELECT expert_id FROM assignments) ORDER BY e.id LIMIT 1`);
	const byExpert = page.getByRole('table', { name: '按专家的评分进度（图表数据）' });
	await expect(byExpert.getByRole('columnheader')).toHaveText(['', '已提交', '草稿', '未开始']);
	await expect(byExpert.getByRole('rowheader', { name: expert.name, exact: true })).toHaveCount(1);
	const spread = page.getByRole('table', { name: '各组得分分布（图表数据）' });
	await expect(spread.getByRole('columnheader').first()).toHaveText('组别');
	expect(await spread.getByRole('row').count()).toBeGreaterThan(1);
});

test('the scan covers every page in src/routes', () => {
	const pages: string[] = [];
	const walk = (dir: string) => {
		for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
			const p = path.join(dir, e.name);
			if (e.isDirectory()) walk(p);
			else if (e.name === '+page.svelte') pages.push(p);
		}
	};
	walk('src/routes');
	const routes = pages.map((p) =>
		('/' + path.relative('src/routes', path.dirname(p)).split(path.sep).filter((s) => !/^\(.*\)$/.test(s)).join('/')).replace(/\[(\w+)=\w+\]/g, '[$1]')
	);
	const scanned = new Set([...ANONYMOUS, ...ROLES.flatMap((r) => r.visits)].map((v) => v.route));
	expect(routes.filter((r) => !scanned.has(r)).sort(), 'pages without an accessibility scan').toEqual([]);
});
