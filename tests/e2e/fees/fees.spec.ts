import { expect, test } from '@playwright/test';
import { PASSWORDS, login, open, query } from '../support';

/**
 * The office records a meeting day and who attended, sets the fee standard and an expert's ID
 * number, and prints the 劳务费签领表 (full ID number); the observer's sheet shows it masked.
 */
test('attendance → fee standard → printable 劳务费签领表; the observer sees masked ID numbers', async ({ browser }) => {
	// The roster: experts assigned in the batch, in pool order.
	const roster = query<{ id: string; name: string; title: string | null }>(
		`SELECT DISTINCT e.id, e.name, e.title, e.rowid AS r FROM experts e JOIN assignments a ON a.expert_id = e.id ORDER BY e.rowid`
	);
	expect(roster.length).toBeGreaterThan(3);
	const early = roster[1];
	const first = roster[0];
	const ID = '110105197003150042';

	const ctx = await browser.newContext();
	const page = await ctx.newPage();
	await login(page, 'office', PASSWORDS.office);

	// The expert's ID number on the office's form: a wrong check character is refused, naming the field.
	await open(page, `/office/experts/${first.id}`);
	await page.getByLabel('身份证号').fill('110105197003150041');
	await page.getByRole('button', { name: '保存修改' }).click();
	await expect(page.getByText('身份证号校验码不正确')).toBeVisible();
	await page.getByLabel('身份证号').fill(ID);
	await page.getByRole('button', { name: '保存修改' }).click();
	await expect(page.getByText(/已保存/)).toBeVisible();

	// A meeting day, everyone present but one who left early.
	await open(page, '/office/meeting/attendance');
	// (A date of its own: the demo may already hold meeting days.)
	await page.getByLabel('会议日期').fill('2023-07-20');
	await page.getByRole('button', { name: '登记会议日' }).click();
	await expect(page.getByText('已登记会议日 2023-07-20')).toBeVisible();
	await page.getByRole('columnheader', { name: /7月20日/ }).getByRole('button', { name: '其余设为出席' }).click();
	await page.getByLabel(`${early.name} 2023-07-20`).selectOption('left-early');
	await page.getByRole('button', { name: '保存出席记录' }).click();
	await expect(page.getByText(/已保存出席记录（修改 \d+ 项）/)).toBeVisible();

	// The standard: out of range refused with the field's name, then set.
	await open(page, '/office/fees');
	await page.getByLabel('高级职称人员标准（元/人天）').fill('2500');
	await page.getByRole('button', { name: '保存标准' }).click();
	await expect(page.getByText('高级职称人员标准（元/人天）应在 1500–2400 元之间（财科教〔2017〕128号）').first()).toBeVisible();
	await page.getByLabel('高级职称人员标准（元/人天）').fill('1800');
	await page.getByLabel('其他专业人员标准（元/人天）').fill('1000');
	await page.getByRole('button', { name: '保存标准' }).click();
	await expect(page.getByText(/已设定劳务费标准/)).toBeVisible();

	// The printable sheet: the early leaver unpaid, the total as the rates say, the full ID number.
	await open(page, '/office/fees/print');
	await expect(page.getByRole('heading', { name: /评审会专家劳务费签领表$/ })).toBeVisible();
	const day = page.locator('table', { has: page.locator('caption', { hasText: '2023年7月20日（全天）' }) });
	await expect(day.getByRole('columnheader', { name: '签领人签字' })).toBeVisible();
	await expect(day.getByText(`${early.name}（早退，不发放）`)).toBeVisible();
	await expect(day.getByText(ID)).toBeVisible();
	const senior = /教授|研究员|高级|正高|副高/;
	const paid = roster.filter((e) => e.id !== early.id);
	const expected = paid.reduce((sum, e) => sum + (e.title && senior.test(e.title) ? 1800 : 1000), 0);
	const total = expected.toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
	await expect(day.locator('.sum')).toContainText(total);
	await page.screenshot({ path: 'test-results/fees-print-1366.png' });

	// The Excel export is served to the office.
	const res = await page.request.get('/office/fees/export');
	expect(res.status()).toBe(200);
	expect(res.headers()['content-type']).toContain('spreadsheetml');

	// The observer: the same sheet, the ID number masked.
	const obsCtx = await browser.newContext();
	const obs = await obsCtx.newPage();
	await login(obs, 'observer', PASSWORDS.observer);
	await open(obs, '/observer/fees');
	await expect(obs.getByText('110105********0042').first()).toBeVisible();
	expect(await obs.content()).not.toContain(ID);
	expect((await obs.request.get('/office/fees/export')).status()).toBe(403);
	await ctx.close();
	await obsCtx.close();
});
