import { expect, test } from '@playwright/test';
import { PASSWORDS, login, logout, open, query } from '../support';

test('the office versions a frozen rubric, edits the new version with a live sum, and saves it', async ({ page }) => {
	await login(page, 'office', PASSWORDS.office);
	await open(page, '/office/rubrics');
	// The demo has submitted sheets on the evaluation rubric: it is frozen.
	await expect(page.getByTestId('frozen-evaluation')).toBeVisible();
	const panel = page.locator('section', { has: page.getByRole('heading', { name: /评价机构评分细则/ }) });
	await panel.getByRole('button', { name: /新建版本/ }).click();
	await expect(page.getByRole('status')).toContainText('已新建版本 rub-evaluation-v2');

	await panel.getByLabel('第1项满分').fill('12');
	await expect(panel.getByTestId('rubric-sum')).toContainText('102');
	await expect(panel.getByTestId('rubric-sum')).toContainText('多出 2 分');
	await panel.getByRole('button', { name: '保存评分细则' }).click();
	await expect(panel.getByRole('alert').first()).toContainText('各评分项满分之和应为100分，当前为102分');
	expect(query<{ m: number }>(`SELECT max_points m FROM rubric_criteria WHERE rubric_id = 'rub-evaluation-v2' AND id = 'qualification'`)[0].m).toBe(10);

	// Move 2 points away from the last criterion, move it up, save.
	await panel.getByLabel('第7项满分').fill('13');
	await panel.getByRole('button', { name: '上移第7项' }).click();
	await expect(panel.getByTestId('rubric-sum')).toContainText('100');
	await panel.getByRole('button', { name: '保存评分细则' }).click();
	await expect(panel.getByRole('status')).toContainText('评分细则已保存');
	const rows = query<{ id: string; m: number }>(`SELECT id, max_points m FROM rubric_criteria WHERE rubric_id = 'rub-evaluation-v2' ORDER BY position`);
	expect(rows.map((r) => `${r.id}:${r.m}`)).toEqual(['qualification:12', 'standing:15', 'scale:20', 'assessors:15', 'facilities:15', 'plan:13', 'security:10']);
	expect(query(`SELECT 1 FROM audit_log WHERE action = 'rubric.update' AND entity_id = 'rub-evaluation-v2'`)).toHaveLength(1);
	// The frozen first version is untouched.
	expect(query<{ m: number }>(`SELECT max_points m FROM rubric_criteria WHERE rubric_id = 'rub-evaluation' AND id = 'qualification'`)[0].m).toBe(10);
});

test('the office returns a submitted sheet with a reason; the expert sees it returned and editable', async ({ page }) => {
	const [sheet] = query<{ application_id: string; expert_id: string }>(
		`SELECT s.application_id, s.expert_id FROM score_sheets s JOIN commitments c ON c.expert_id = s.expert_id
		 WHERE s.status = 'submitted' ORDER BY s.expert_id, s.application_id LIMIT 1`
	);
	await login(page, 'office', PASSWORDS.office);
	await open(page, `/office/sheets?expert=${sheet.expert_id}&state=submitted`);
	const row = page.getByTestId(`sheet-${sheet.application_id}-${sheet.expert_id}`);
	await row.getByText('退回', { exact: true }).click();
	await row.getByRole('button', { name: '确认退回' }).click(); // empty reason: the browser asks for it
	expect(query(`SELECT 1 FROM sheet_history`)).toHaveLength(0);
	await row.getByLabel('退回理由（专家可见）').fill('请复核第三项的评分依据');
	await row.getByRole('button', { name: '确认退回' }).click();
	await expect(page.getByRole('status')).toContainText(`已退回 ${sheet.expert_id} 对 ${sheet.application_id} 的评分表`);
	expect(query<{ status: string; returned_reason: string }>(`SELECT status, returned_reason FROM score_sheets WHERE application_id = ? AND expert_id = ?`, sheet.application_id, sheet.expert_id)[0]).toEqual({
		status: 'draft',
		returned_reason: '请复核第三项的评分依据'
	});
	await logout(page);

	await login(page, sheet.expert_id, PASSWORDS.expert);
	await open(page, '/expert');
	const link = page.getByRole('link', { name: /.+/ }).and(page.locator(`a[href="/expert/applications/${sheet.application_id}"]`));
	await expect(link.locator('xpath=ancestor::tr')).toContainText('已退回');
	await link.click();
	await expect(page.getByText('省厅已退回本评分表，请重新评分：请复核第三项的评分依据')).toBeVisible();
	await expect(page.locator('input.points').first()).not.toHaveAttribute('readonly', '');
});
