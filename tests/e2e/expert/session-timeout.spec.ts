import { expect, test } from '@playwright/test';
import Database from 'better-sqlite3';
import { E2E_DB, PASSWORDS, login, open, query, ready } from '../support';

/** An expert with the commitment signed and an assigned application without a sheet yet (not the one scoring.spec takes). */
function freshTask(skip: number) {
	const [row] = query<{ expert_id: string; application_id: string }>(
		`SELECT a.expert_id, a.application_id FROM assignments a
		 JOIN commitments c ON c.expert_id = a.expert_id
		 WHERE NOT EXISTS (SELECT 1 FROM score_sheets s WHERE s.application_id = a.application_id AND s.expert_id = a.expert_id)
		 AND NOT EXISTS (SELECT 1 FROM declarations d WHERE d.application_id = a.application_id AND d.expert_id = a.expert_id)
		 GROUP BY a.expert_id ORDER BY a.expert_id ASC LIMIT 1 OFFSET ?`,
		skip
	);
	return row;
}

function stored(applicationId: string, expertId: string): number[] {
	return query<{ points: number }>(
		`SELECT p.points FROM score_sheets s JOIN sheet_points p ON p.sheet_id = s.id
		 WHERE s.application_id = ? AND s.expert_id = ? ORDER BY p.position`,
		applicationId,
		expertId
	).map((r) => r.points);
}

/** As if the expert had left the browser alone for 31 minutes: the server's record of the last use moves back. */
function idleOnServer(username: string, ms: number) {
	const db = new Database(E2E_DB);
	try {
		db.prepare('UPDATE sessions SET last_seen_at = last_seen_at - ? WHERE user_id = (SELECT id FROM users WHERE username = ?)').run(ms, username);
	} finally {
		db.close();
	}
}

test('the session ends while scoring: the points stay in the browser and are sent after signing in again', async ({ page }) => {
	const task = freshTask(0);
	await login(page, task.expert_id, PASSWORDS.expert);
	await open(page, `/expert/applications/${task.application_id}`);
	const inputs = page.locator('input.points');
	await inputs.nth(0).fill('8');
	await expect(page.getByTestId('sync-state')).toHaveText(/已保存/, { timeout: 10_000 });
	expect(stored(task.application_id, task.expert_id)).toEqual([8]);

	idleOnServer(task.expert_id, 31 * 60_000);
	await inputs.nth(1).fill('11.5');
	await inputs.nth(2).fill('16');
	await expect(page.getByTestId('sync-state')).toHaveText(/登录已结束/, { timeout: 10_000 });
	await expect(page.getByTestId('session-ended')).toContainText('评分已暂存在本机');
	expect(stored(task.application_id, task.expert_id)).toEqual([8]);
	// Nothing took the expert away from the sheet.
	expect(new URL(page.url()).pathname).toBe(`/expert/applications/${task.application_id}`);

	await page.getByRole('link', { name: '重新登录' }).click();
	await ready(page);
	await page.getByLabel('用户名').fill(task.expert_id);
	await page.getByLabel('密码').fill(PASSWORDS.expert);
	await page.getByRole('button', { name: '登录' }).click();
	await page.waitForURL(`**/expert/applications/${task.application_id}`);
	await ready(page);
	await expect(inputs.nth(2)).toHaveValue('16');
	await expect(page.getByTestId('sync-state')).toHaveText(/已保存/, { timeout: 10_000 });
	expect(stored(task.application_id, task.expert_id)).toEqual([8, 11.5, 16]);
});

test('a minute before the idle end the sheet warns; 继续 keeps the session', async ({ page }) => {
	const task = freshTask(1);
	await page.clock.install();
	await login(page, task.expert_id, PASSWORDS.expert);
	await open(page, `/expert/applications/${task.application_id}`);
	await expect(page.getByTestId('session-warning')).toHaveCount(0);
	// 30 minutes idle (default), the server writes the last use every 30 s: the warning is due 28.5 minutes after the last request.
	await page.clock.fastForward('28:40');
	const warning = page.getByTestId('session-warning');
	await expect(warning).toBeVisible();
	await expect(warning).toContainText('秒后结束');
	await warning.getByRole('button', { name: '继续' }).click();
	await expect(warning).toHaveCount(0);
	// Still signed in: a point saves.
	await page.locator('input.points').nth(0).fill('9');
	await page.clock.fastForward('00:03');
	await expect(page.getByTestId('sync-state')).toHaveText(/已保存/, { timeout: 10_000 });
	expect(stored(task.application_id, task.expert_id)).toEqual([9]);
});
