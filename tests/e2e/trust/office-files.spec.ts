/**
 * The office's file links download (no client-side routing into a 404 page, no console errors),
 * and returning an application with submitted sheets asks for a confirmation naming their number
 * and takes it out of the results (issue 12 point 3; issue 15 item 2).
 * Runs last (folder name): it returns an application of the demo batch.
 */
import { expect, test } from '@playwright/test';
import { PASSWORDS, login, open, query } from '../support';

test('every file link of the office downloads without leaving the page', async ({ page }) => {
	const errors: string[] = [];
	page.on('console', (m) => {
		if (m.type() === 'error') errors.push(m.text());
	});
	page.on('pageerror', (e) => errors.push(e.message));
	await login(page, 'office', PASSWORDS.office);
	const links: [string, string, RegExp][] = [
		['/office/experts', '下载导入模板', /\.xlsx$/],
		['/office/experts', '导出专家名单', /\.xlsx$/],
		['/office/shortlist', '下载评审结果报告（Word）', /\.docx$/],
		['/office/shortlist', '下载评分汇总（Excel）', /\.xlsx$/],
		['/office/results', '下载评分汇总（Excel）', /\.xlsx$/],
		['/office/memo', '下载 Word 文档', /\.docx$/]
	];
	for (const [path, name, file] of links) {
		await open(page, path);
		const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name, exact: true }).first().click()]);
		expect(download.suggestedFilename(), `${path} ${name}`).toMatch(file);
		expect(new URL(page.url()).pathname, `${path} ${name}`).toBe(path);
		await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
	}
	expect(errors).toEqual([]);
});

test('returning an application with submitted sheets asks to confirm their number, then it leaves the results', async ({ page }) => {
	const [row] = query<{ id: string; n: number }>(
		`SELECT a.id, count(*) AS n FROM applications a JOIN score_sheets s ON s.application_id = a.id AND s.status = 'submitted'
		 WHERE a.status IN ('submitted', 'accepted') GROUP BY a.id ORDER BY n DESC, a.id LIMIT 1`
	);
	expect(row, 'the demo has an application with submitted sheets').toBeTruthy();
	await login(page, 'office', PASSWORDS.office);
	await open(page, '/office/results');
	await expect(page.getByText(row.id, { exact: false }).first()).toBeVisible();

	await open(page, `/office/applications/${row.id}`);
	const note = page.getByRole('note').filter({ hasText: '份评分表' });
	await expect(note).toContainText(`专家已提交 ${row.n} 份评分表`);
	await page.getByLabel('退回市局的理由（必填，市局可见）').fill('请补充近三年培训人数的证明材料');
	await page.getByLabel('我已知悉，确认退回').check();
	await page.getByRole('button', { name: '退回市局' }).click();
	await expect(page.getByRole('status')).toHaveText('已退回市局，市局修改后可重新提交');
	const [after] = query<{ status: string }>('SELECT status FROM applications WHERE id = ?', row.id);
	expect(after.status).toBe('returned');

	await open(page, '/office/results');
	await expect(page.getByText(row.id, { exact: false })).toHaveCount(0);
});
