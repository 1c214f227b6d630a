import { expect, test } from '@playwright/test';
import { PASSWORDS, login, open, query } from '../support';

test('the office corrects a declared total on the re-check page: a reason is required, the correction is listed and the finding is gone', async ({ page }) => {
	// 第二批's demo: one offline workbook's typed total does not match its points.
	const [sheet] = query<{ id: number; declared: number }>(
		`SELECT s.id, s.declared_total declared FROM score_sheets s JOIN applications a ON a.id = s.application_id
		 WHERE a.batch_id = 'ln-2023-b2' AND s.declared_total IS NOT NULL ORDER BY s.id LIMIT 1`
	);
	const sum = query<{ t: number }>(`SELECT sum(points) t FROM sheet_points WHERE sheet_id = ?`, sheet.id)[0].t;
	expect(sheet.declared).not.toBe(sum);
	await login(page, 'office', PASSWORDS.office);
	await open(page, '/office/recheck');
	const row = page.getByTestId(`finding-TOTAL_MISMATCH|${sheet.id}|`);
	await expect(row).toContainText('合计与各项得分之和不符');
	await expect(row).toContainText('待处理');
	await row.getByText('更正或核实').click();
	const form = row.locator('form').filter({ hasText: '更正填写的合计' });
	await form.getByLabel(/新值/).fill(String(sum));
	await form.getByRole('button', { name: '更正' }).click();
	await expect(form.getByText('请填写不少于4个字的理由')).toBeVisible();
	expect(query(`SELECT 1 FROM score_corrections WHERE sheet_id = ?`, sheet.id)).toHaveLength(0);

	await form.getByLabel('更正理由').fill('离线评分表合计单元格被改写，按各项得分更正');
	await form.getByRole('button', { name: '更正' }).click();
	await expect(page.getByRole('status')).toContainText(`已更正：${sheet.declared} → ${sum}`);
	await expect(page.getByTestId(`finding-TOTAL_MISMATCH|${sheet.id}|`)).toHaveCount(0);
	await expect(page.getByTestId('corrections')).toContainText('离线评分表合计单元格被改写');
	const rows = query<{ old_value: number; new_value: number; rule: string }>(`SELECT old_value, new_value, rule FROM score_corrections WHERE sheet_id = ?`, sheet.id);
	expect(rows).toEqual([{ old_value: sheet.declared, new_value: sum, rule: 'TOTAL_MISMATCH' }]);
});
