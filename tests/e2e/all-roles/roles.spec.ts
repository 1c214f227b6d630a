import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { E2E_DB, PASSWORDS, login, logout, open, query, reveal } from '../support';

test('anonymous visitors are sent to the login page', async ({ page }) => {
	for (const path of ['/office', '/city', '/expert', '/observer', '/office/users']) {
		await page.goto(path);
		await expect(page).toHaveURL(/\/login\?redirectTo=/);
	}
	await expect(page.getByRole('heading', { name: '评审工作台' })).toBeVisible();
});

test('a wrong password is refused with a Chinese message', async ({ page }) => {
	await page.goto('/login');
	await page.getByLabel('用户名').fill('office');
	await page.getByLabel('密码').fill('not-the-password1');
	await page.getByRole('button', { name: '登录' }).click();
	// One message whether the account exists, the password is wrong, the pair is locked or the account is deactivated.
	await expect(page.getByRole('alert')).toHaveText('用户名或密码错误，或尝试次数过多已被暂时锁定');
});

test('office lands on its overview and can open every office page', async ({ page }) => {
	await login(page, 'office', PASSWORDS.office);
	await expect(page).toHaveURL(/\/office$/);
	await expect(page.getByRole('heading', { name: '工作概览' })).toBeVisible();
	await expect(page.getByTestId('stat-applications')).not.toHaveText('0');
	for (const [path, heading] of [
		['/office/applications', '申报受理'],
		['/office/experts', '专家库'],
		['/office/users', '专家账号'],
		['/office/audit', '审计日志']
	]) {
		await page.goto(path);
		await expect(page.getByRole('heading', { name: heading, exact: true })).toBeVisible();
	}
	// The office sees the full ID number of a legal representative.
	const [app] = query<{ id: string; idn: string }>(
		`SELECT a.id, i.legal_rep_id_number AS idn FROM applications a JOIN institutions i ON i.id = a.institution_id WHERE i.legal_rep_id_number IS NOT NULL LIMIT 1`
	);
	// Stored SM4-encrypted; shown in full to the office.
	expect(app.idn).toMatch(/^sm4:/);
	await page.goto(`/office/applications/${app.id}`);
	await expect(page.getByText(reveal(app.idn)!, { exact: true })).toBeVisible();
	await logout(page);
});

test('the system administrator creates a city account, which can sign in to its own region only; the office opens expert accounts only', async ({ page }) => {
	await login(page, 'office', PASSWORDS.office);
	await open(page, '/office/users');
	await expect(page.getByLabel('角色').locator('option')).toHaveText(['评审专家']);
	await logout(page);

	await login(page, 'sysadmin', PASSWORDS.sysadmin);
	await expect(page).toHaveURL(/\/admin\/users$/);
	await open(page, '/admin/users');
	await page.getByLabel('角色', { exact: true }).selectOption('city');
	await page.getByLabel('用户名').fill('city-anshan-2');
	await page.getByLabel('姓名 / 单位名称').fill('鞍山市人社局 专技科');
	await page.getByLabel('所属地区').selectOption('anshan');
	await page.getByLabel('初始密码（可留空自动生成）').fill('Anshan2023pass');
	await page.getByRole('button', { name: '创建账号' }).click();
	await expect(page.getByRole('status')).toContainText('已创建账号 city-anshan-2');
	await logout(page);
	await login(page, 'city-anshan-2', 'Anshan2023pass');
	// An initial password: nothing else opens before the account holder sets their own.
	await expect(page).toHaveURL(/\/account\/password\?first=1$/);
	await expect(page.getByRole('alert')).toContainText('请先设置自己的密码');
	await page.goto('/city');
	await expect(page).toHaveURL(/\/account\/password$/);
	await page.getByLabel('当前密码').fill('Anshan2023pass');
	await page.getByLabel('新密码', { exact: true }).fill('Anshan-ZhuanJi-7');
	await page.getByLabel('再次输入新密码').fill('Anshan-ZhuanJi-7');
	await page.getByRole('button', { name: '保存新密码' }).click();
	await expect(page).toHaveURL(/\/city$/);
	await expect(page.getByRole('heading', { name: /鞍山 · 本地区申报/ })).toBeVisible();
});

test('三员分立: each administrator reaches only its own pages', async ({ page }) => {
	const [app] = query<{ id: string }>(`SELECT id FROM applications LIMIT 1`);
	const homes = { sysadmin: ['/admin/users', '账号管理'], secadmin: ['/security', '安全策略'], auditadmin: ['/audit', '审计日志'] } as const;
	for (const [who, [home, heading]] of Object.entries(homes) as [keyof typeof homes, (typeof homes)[keyof typeof homes]][]) {
		await login(page, who, PASSWORDS[who]);
		await expect(page).toHaveURL(new RegExp(`${home}$`));
		await expect(page.getByRole('heading', { name: heading, exact: true })).toBeVisible();
		for (const path of ['/office', `/office/applications/${app.id}`, '/office/users', '/city', '/expert', '/observer/audit', ...Object.values(homes).map((h) => h[0]).filter((h) => h !== home)]) {
			const r = await page.goto(path);
			expect(r?.status(), `${who} ${path}`).toBe(403);
		}
		await page.goto(home);
		await logout(page);
	}
	// The audit administrator sees the other administrators' refused requests and verifies the chain.
	await login(page, 'auditadmin', PASSWORDS.auditadmin);
	await page.goto('/audit?action=access.denied');
	await expect(page.locator('table.data').getByText('信息中心 安全管理员').first()).toBeVisible();
	await expect(page.getByTestId('audit-sentence').first()).toContainText('请求被拒绝');
	await expect(page.locator('table.data').getByText('access.denied', { exact: true }).first()).toBeHidden();
	await page.getByRole('button', { name: '校验哈希链' }).click();
	await expect(page.getByTestId('verification')).toContainText('校验通过');
});

test('a city sees only its own region and is refused elsewhere', async ({ page }) => {
	await login(page, 'city-anshan', PASSWORDS.city);
	await expect(page).toHaveURL(/\/city$/);
	await expect(page.getByRole('heading', { name: /鞍山/ })).toBeVisible();
	const [other] = query<{ id: string }>(`SELECT id FROM applications WHERE region <> 'anshan' LIMIT 1`);
	const res = await page.goto(`/city/applications/${other.id}`);
	expect(res?.status()).toBe(404);
	const [row] = query<{ id: string; idn: string }>(
		`SELECT a.id, i.legal_rep_id_number AS idn FROM applications a JOIN institutions i ON i.id = a.institution_id WHERE a.region = 'anshan' AND i.legal_rep_id_number IS NOT NULL LIMIT 1`
	);
	const own = { id: row.id, idn: reveal(row.idn)! };
	await page.goto(`/city/applications/${own.id}`);
	await expect(page.getByText('二、申报单位基本情况')).toBeVisible();
	// Masked for the city.
	await expect(page.getByText(own.idn, { exact: true })).toHaveCount(0);
	await expect(page.getByText(own.idn.slice(0, 6) + '********' + own.idn.slice(-4))).toBeVisible();
	for (const path of ['/office', '/office/users', '/expert', '/observer']) {
		const r = await page.goto(path);
		expect(r?.status(), path).toBe(403);
		await expect(page.getByTestId('error-title')).toContainText('无权访问');
	}
});

test('an expert signs the commitment, sees only own assignments, and cannot open other pages or data', async ({ page }) => {
	// The office draws experts for the applications left undrawn in the demo (虚拟现实, 集成电路, …);
	// the 集成电路 experts had no work before and have not signed the commitment yet.
	const drawn = JSON.parse(
		execFileSync('npx', ['tsx', 'src/cli/index.ts', '--db', E2E_DB, 'assign', '--seed', 'e2e', '--publish', '--json'], { encoding: 'utf8' })
	);
	expect(drawn.assignments.length).toBeGreaterThan(0);
	const [fresh] = query<{ id: string }>(
		`SELECT e.id FROM experts e WHERE e.id NOT IN (SELECT expert_id FROM commitments) AND e.id IN (SELECT expert_id FROM assignments) ORDER BY e.id LIMIT 1`
	);
	await login(page, fresh.id, PASSWORDS.expert);
	await expect(page).toHaveURL(/\/expert\/commitment/);
	await page.getByRole('button', { name: '签署承诺并进入评审' }).click();
	await expect(page.getByRole('alert')).toContainText('请勾选');
	await page.getByLabel('本人已阅读并承诺遵守上述要求').check();
	await page.getByRole('button', { name: '签署承诺并进入评审' }).click();
	await expect(page).toHaveURL(/\/expert$/);
	await expect(page.getByRole('heading', { name: '我的评审任务' })).toBeVisible();
	// Newly drawn and published: invited; the applications open after confirming (参加).
	await expect(page.getByTestId('invitation')).toHaveAttribute('data-status', 'pending');
	await expect(page.locator('a[href^="/expert/applications/"]')).toHaveCount(0);
	await page.getByTestId('confirm-invitation').click();
	await expect(page.getByTestId('invitation')).toHaveAttribute('data-status', 'confirmed');

	const mine = query<{ application_id: string }>(`SELECT application_id FROM assignments WHERE expert_id = ?`, fresh.id);
	const links = page.locator('a[href^="/expert/applications/"]');
	expect(await links.count()).toBeGreaterThan(0);
	for (const href of await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
		expect(mine.map((m) => `/expert/applications/${m.application_id}`)).toContain(href);
	}
	const [notMine] = query<{ id: string }>(
		`SELECT id FROM applications WHERE id NOT IN (SELECT application_id FROM assignments WHERE expert_id = ?) LIMIT 1`,
		fresh.id
	);
	expect((await page.goto(`/expert/applications/${notMine.id}`))?.status()).toBe(404);
	await page.goto(`/expert/applications/${mine[0].application_id}`);
	await expect(page.getByText('二、申报单位基本情况')).toBeVisible();
	for (const path of ['/office', '/office/applications', `/office/applications/${mine[0].application_id}`, '/city', '/observer', '/observer/audit']) {
		const r = await page.goto(path);
		expect(r?.status(), path).toBe(403);
	}
});

test('observer sees progress and the audit log, not personal ID numbers or office pages', async ({ page }) => {
	await login(page, 'observer', PASSWORDS.observer);
	await expect(page).toHaveURL(/\/observer$/);
	await expect(page.getByRole('heading', { name: '评审进度' })).toBeVisible();
	await page.goto('/observer/audit');
	await expect(page.getByText('哈希链校验通过')).toBeVisible();
	expect((await page.goto('/office/users'))?.status()).toBe(403);
	expect((await page.goto('/city'))?.status()).toBe(403);
});

test('health check answers with the schema version', async ({ request }) => {
	const res = await request.get('/healthz');
	expect(res.status()).toBe(200);
	const body = await res.json();
	expect(body.ok).toBe(true);
	expect(body.schemaVersion).toBeGreaterThanOrEqual(1);
});
