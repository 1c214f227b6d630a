import { expect, test, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { E2E_DB, PASSWORDS, login, open, query } from '../support';

/** An expert with the commitment signed and an assigned application without a sheet yet. */
function freshTask(skip = 0) {
	const [row] = query<{ expert_id: string; application_id: string }>(
		`SELECT a.expert_id, a.application_id FROM assignments a
		 JOIN commitments c ON c.expert_id = a.expert_id
		 WHERE NOT EXISTS (SELECT 1 FROM score_sheets s WHERE s.application_id = a.application_id AND s.expert_id = a.expert_id)
		 AND NOT EXISTS (SELECT 1 FROM declarations d WHERE d.application_id = a.application_id AND d.expert_id = a.expert_id)
		 GROUP BY a.expert_id ORDER BY a.expert_id DESC LIMIT 1 OFFSET ?`,
		skip
	);
	return row;
}

function stored(applicationId: string, expertId: string) {
	return query<{ status: string; version: number }>(`SELECT status, version FROM score_sheets WHERE application_id = ? AND expert_id = ?`, applicationId, expertId)[0];
}

/** The office's lock, as the shortlist page sets it (here straight in the database). */
function setLocked(at: string | null) {
	const db = new Database(E2E_DB);
	try {
		db.prepare('UPDATE batches SET results_locked_at = ? WHERE archived_at IS NULL').run(at);
	} finally {
		db.close();
	}
}

async function fillAll(page: Page, value = '5') {
	const inputs = page.locator('input.points');
	const n = await inputs.count();
	for (let i = 0; i < n; i++) await inputs.nth(i).fill(value);
	return n;
}

test('提交评分 opens a confirmation in view: total shown, focus on 确认提交, Esc cancels; a kept copy equal to the server is no conflict', async ({ page }) => {
	const task = freshTask();
	await login(page, task.expert_id, PASSWORDS.expert);
	await open(page, `/expert/applications/${task.application_id}`);
	const n = await fillAll(page);
	await expect(page.getByTestId('sync-state')).toHaveText(/已保存/, { timeout: 10_000 });

	// A network drop ate the answer to the last save: the browser still keeps its copy, made on an older version.
	const saved = stored(task.application_id, task.expert_id);
	const points = await page.evaluate(() => {
		const p: Record<string, number> = {};
		document.querySelectorAll<HTMLInputElement>('input.points').forEach((el) => (p[el.name.slice(7)] = Number(el.value)));
		return p;
	});
	expect(Object.keys(points)).toHaveLength(n);
	await open(page, '/expert');
	await page.evaluate(([key, copy]) => localStorage.setItem(key, copy), [
		`sheet:${task.application_id}`,
		JSON.stringify({ points, comments: {}, comment: '', version: saved.version - 1 })
	] as const);
	await open(page, `/expert/applications/${task.application_id}`);
	await expect(page.getByTestId('sync-state')).toHaveText(/已保存/);
	await expect(page.getByRole('button', { name: '载入服务器上的版本' })).toHaveCount(0);
	expect(await page.evaluate((k) => localStorage.getItem(k), `sheet:${task.application_id}`)).toBeNull();
	expect(stored(task.application_id, task.expert_id).version).toBe(saved.version);

	const submit = page.getByRole('button', { name: '提交评分' });
	await submit.click();
	const dialog = page.getByRole('dialog', { name: '确认提交评分？' });
	await expect(dialog).toBeVisible();
	const box = (await dialog.boundingBox())!;
	expect(box.x).toBeGreaterThanOrEqual(0);
	expect(box.y).toBeGreaterThanOrEqual(0);
	expect(box.x + box.width).toBeLessThanOrEqual(1366);
	expect(box.y + box.height).toBeLessThanOrEqual(768);
	await expect(dialog.getByTestId('confirm-total')).toHaveText(String(5 * n));
	await expect(dialog).toContainText('不能再修改');
	await expect(dialog.getByRole('button', { name: '确认提交' })).toBeFocused();
	await page.screenshot({ path: 'test-results/submit-dialog-1366x768.png' });

	// Esc cancels: nothing submitted, focus back on 提交评分.
	await page.keyboard.press('Escape');
	await expect(dialog).toBeHidden();
	await expect(submit).toBeFocused();
	expect(stored(task.application_id, task.expert_id).status).toBe('draft');

	// Again, and confirm with the keyboard (Enter on the focused 确认提交).
	await submit.click();
	await expect(dialog.getByRole('button', { name: '确认提交' })).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(page.getByTestId('sync-state')).toHaveText('已提交');
	expect(stored(task.application_id, task.expert_id).status).toBe('submitted');
});

test('without JavaScript 提交评分 posts the form; an incomplete sheet is refused in Chinese', async ({ browser }) => {
	const task = freshTask();
	const ctx = await browser.newContext({ javaScriptEnabled: false });
	const page = await ctx.newPage();
	await page.goto('/login');
	await page.getByLabel('用户名').fill(task.expert_id);
	await page.getByLabel('密码').fill(PASSWORDS.expert);
	await page.getByRole('button', { name: '登录' }).click();
	await page.waitForURL((url) => !url.pathname.startsWith('/login'));
	await page.goto(`/expert/applications/${task.application_id}`);
	await page.locator('input.points').first().fill('5');
	await page.getByRole('button', { name: '提交评分' }).click();
	await expect(page.getByRole('alert').first()).toContainText('尚未打分');
	expect(stored(task.application_id, task.expert_id)?.status ?? 'none').not.toBe('submitted');
	await ctx.close();
});

test('after the office locks the results the sheet shows 已锁定, read-only, and a refused save is no conflict', async ({ page }) => {
	const task = freshTask();
	await login(page, task.expert_id, PASSWORDS.expert);
	await open(page, `/expert/applications/${task.application_id}`);
	const inputs = page.locator('input.points');
	await inputs.first().fill('6');
	await expect(page.getByTestId('sync-state')).toHaveText(/已保存/, { timeout: 10_000 });
	const before = stored(task.application_id, task.expert_id).version;
	const [{ locked: was }] = query<{ locked: string | null }>('SELECT results_locked_at AS locked FROM batches WHERE archived_at IS NULL LIMIT 1');
	setLocked(new Date().toISOString());
	try {
		// The page was open when the office locked: the next save's 409 "locked" turns it into 已锁定.
		await inputs.nth(1).fill('7');
		await expect(page.getByTestId('sync-state')).toHaveText('已锁定', { timeout: 10_000 });
		await expect(page.getByTestId('sheet-locked')).toContainText('评审结果已锁定，评分不能再修改');
		await expect(page.getByRole('button', { name: '载入服务器上的版本' })).toHaveCount(0);
		await expect(inputs.first()).toHaveAttribute('readonly', '');

		// Opened anew: locked from the start, read-only, nothing to submit, no save attempted.
		const saves: string[] = [];
		page.on('request', (r) => {
			if (r.method() === 'POST') saves.push(r.url());
		});
		await page.reload();
		await expect(page.locator('body[data-hydrated="1"]')).toBeAttached();
		await expect(page.getByTestId('sync-state')).toHaveText('已锁定');
		await expect(page.getByTestId('sheet-locked')).toContainText('已锁定');
		for (let i = 0; i < (await inputs.count()); i++) await expect(inputs.nth(i)).toHaveAttribute('readonly', '');
		await expect(page.locator('textarea#comment')).toHaveAttribute('readonly', '');
		await expect(page.getByRole('button', { name: '提交评分' })).toHaveCount(0);
		await expect(page.getByRole('button', { name: '保存草稿' })).toHaveCount(0);
		await expect(inputs.first()).toHaveValue('6');
		await inputs.first().press('ArrowUp');
		await expect(inputs.first()).toHaveValue('6');
		await inputs.first().blur();
		await page.waitForTimeout(500);
		expect(saves).toEqual([]);
		expect(stored(task.application_id, task.expert_id).version).toBe(before);
		await page.screenshot({ path: 'test-results/sheet-locked-1366x768.png' });
	} finally {
		setLocked(was);
	}
});
