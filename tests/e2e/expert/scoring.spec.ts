import { expect, test } from '@playwright/test';
import { PASSWORDS, login, open, query } from '../support';

/** An expert with the commitment signed and an assigned application without a sheet yet. */
function freshTask() {
	const [row] = query<{ expert_id: string; application_id: string }>(
		`SELECT a.expert_id, a.application_id FROM assignments a
		 JOIN commitments c ON c.expert_id = a.expert_id
		 WHERE NOT EXISTS (SELECT 1 FROM score_sheets s WHERE s.application_id = a.application_id AND s.expert_id = a.expert_id)
		 AND NOT EXISTS (SELECT 1 FROM declarations d WHERE d.application_id = a.application_id AND d.expert_id = a.expert_id)
		 ORDER BY a.expert_id DESC, a.application_id LIMIT 1`
	);
	return row;
}

function stored(applicationId: string, expertId: string) {
	return query<{ criterion_id: string; points: number; status: string; version: number }>(
		`SELECT p.criterion_id, p.points, s.status, s.version FROM score_sheets s JOIN sheet_points p ON p.sheet_id = s.id
		 WHERE s.application_id = ? AND s.expert_id = ? ORDER BY p.position`,
		applicationId,
		expertId
	);
}

test('an expert scores with the keyboard, keeps scoring offline, reloads, and nothing is lost', async ({ page, context }) => {
	const task = freshTask();
	await login(page, task.expert_id, PASSWORDS.expert);
	await open(page, `/expert/applications/${task.application_id}`);
	await expect(page.getByRole('heading', { name: '评分表' })).toBeVisible();
	const inputs = page.locator('input.points');
	const n = await inputs.count();
	expect(n).toBe(7);

	// Keyboard only: focus the first points box, type, Tab to the comment, Tab to the next box, arrows step by 0.5.
	await inputs.first().focus();
	await page.keyboard.type('8');
	await page.keyboard.press('ArrowUp'); // 8.5
	await page.keyboard.press('Tab'); // comment
	await page.keyboard.type('资质齐全');
	await page.keyboard.press('Tab'); // next points box
	await page.keyboard.type('12');
	await page.keyboard.press('ArrowDown'); // 11.5
	await expect(inputs.nth(0)).toHaveValue('8.5');
	await expect(inputs.nth(1)).toHaveValue('11.5');
	await expect(page.getByTestId('sync-state')).toHaveText(/已保存/, { timeout: 10_000 });
	expect(stored(task.application_id, task.expert_id).map((r) => r.points)).toEqual([8.5, 11.5]);

	// The network goes away; scoring goes on and is kept in the browser.
	await context.setOffline(true);
	await inputs.nth(2).fill('16');
	await inputs.nth(3).fill('12.5');
	await expect(page.getByTestId('sync-state')).toHaveText(/离线/, { timeout: 10_000 });
	await inputs.nth(4).fill('13');
	await page.waitForTimeout(3500);
	expect(stored(task.application_id, task.expert_id)).toHaveLength(2);

	// Reload while still offline would fail to load; come back online and reload: the local copy is restored and sent.
	await context.setOffline(false);
	await page.reload();
	await expect(page.locator('body[data-hydrated="1"]')).toBeAttached();
	await expect(inputs.nth(4)).toHaveValue('13');
	await expect(inputs.nth(2)).toHaveValue('16');
	await expect(page.getByTestId('sync-state')).toHaveText(/已保存/, { timeout: 10_000 });
	expect(stored(task.application_id, task.expert_id).map((r) => r.points)).toEqual([8.5, 11.5, 16, 12.5, 13]);

	// Finish and submit: the confirmation shows the total; the sheet becomes read-only.
	await inputs.nth(5).fill('8');
	await inputs.nth(6).fill('12');
	await expect(page.getByTestId('sheet-total')).toContainText('81.5');
	await page.getByRole('button', { name: '提交评分' }).click();
	await expect(page.getByTestId('confirm-total')).toHaveText('81.5');
	await page.getByRole('button', { name: '确认提交' }).click();
	await expect(page.getByTestId('sync-state')).toHaveText('已提交');
	await expect(inputs.first()).toHaveAttribute('readonly', '');
	await expect(page.getByRole('button', { name: '提交评分' })).toHaveCount(0);
	const rows = stored(task.application_id, task.expert_id);
	expect(rows.every((r) => r.status === 'submitted')).toBe(true);
	expect(rows.reduce((a, r) => a + r.points, 0)).toBe(81.5);
});

test('two tabs on one sheet do not overwrite each other silently', async ({ browser }) => {
	const task = freshTask();
	const ctx = await browser.newContext();
	const a = await ctx.newPage();
	await login(a, task.expert_id, PASSWORDS.expert);
	await open(a, `/expert/applications/${task.application_id}`);
	const b = await ctx.newPage();
	await open(b, `/expert/applications/${task.application_id}`);
	await a.bringToFront();
	await a.locator('input.points').first().fill('7');
	await expect(a.getByTestId('sync-state')).toHaveText(/已保存/, { timeout: 10_000 });
	await b.bringToFront();
	await b.locator('input.points').first().fill('9');
	await expect(b.getByTestId('sync-state')).toHaveText('冲突', { timeout: 10_000 });
	await expect(b.getByRole('alert').first()).toContainText('其他窗口');
	expect(stored(task.application_id, task.expert_id).map((r) => r.points)).toEqual([7]);
	await b.getByRole('button', { name: '载入服务器上的版本' }).click();
	await expect(b.locator('input.points').first()).toHaveValue('7');
	await ctx.close();
});

test('a forged save for an application not assigned to the expert is refused', async ({ page }) => {
	const task = freshTask();
	await login(page, task.expert_id, PASSWORDS.expert);
	const [other] = query<{ id: string }>(
		`SELECT id FROM applications WHERE id NOT IN (SELECT application_id FROM assignments WHERE expert_id = ?) LIMIT 1`,
		task.expert_id
	);
	const res = await page.request.post(`/expert/applications/${other.id}/sheet`, {
		data: { version: 0, points: {}, comments: {}, comment: '' },
		headers: { origin: new URL(page.url()).origin }
	});
	expect(res.status()).toBe(404);
	expect(query(`SELECT 1 FROM score_sheets WHERE application_id = ? AND expert_id = ?`, other.id, task.expert_id)).toHaveLength(0);
});
