import { expect, test, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { PASSWORDS, login, open, query } from '../support';

/**
 * The scoring page by keyboard alone: from the page's load, only Tab, the arrows, typed digits, Enter and Esc — no
 * click and no focus() — score every criterion, write the comments, submit through the dialog.
 */

/** An expert with the commitment signed and an assigned application without a sheet yet. */
function freshTask() {
	const [row] = query<{ expert_id: string; application_id: string }>(
		`SELECT a.expert_id, a.application_id FROM assignments a
		 JOIN commitments c ON c.expert_id = a.expert_id
		 WHERE NOT EXISTS (SELECT 1 FROM score_sheets s WHERE s.application_id = a.application_id AND s.expert_id = a.expert_id)
		 AND NOT EXISTS (SELECT 1 FROM declarations d WHERE d.application_id = a.application_id AND d.expert_id = a.expert_id)
		 ORDER BY a.expert_id, a.application_id LIMIT 1`
	);
	return row;
}

function stored(applicationId: string, expertId: string) {
	return query<{ criterion_id: string; points: number; comment: string | null; status: string; overall: string }>(
		`SELECT p.criterion_id, p.points, p.comment, s.status, s.comment AS overall FROM score_sheets s JOIN sheet_points p ON p.sheet_id = s.id
		 WHERE s.application_id = ? AND s.expert_id = ? ORDER BY p.position`,
		applicationId,
		expertId
	);
}

/** What has the keyboard focus: its accessible name as the test reads it (label, aria-label or text). */
async function focused(page: Page) {
	return page.evaluate(() => {
		const el = document.activeElement as HTMLElement | null;
		if (!el) return '';
		const label = (el as HTMLInputElement).labels?.[0]?.textContent ?? '';
		return (el.getAttribute('aria-label') || label || el.textContent || '').replace(/\s+/g, ' ').trim();
	});
}

test('an expert scores a whole sheet and submits it with the keyboard alone', async ({ page }) => {
	const task = freshTask();
	await login(page, task.expert_id, PASSWORDS.expert);
	await open(page, `/expert/applications/${task.application_id}`);
	const criteria = await page.locator('input.points').evaluateAll((els) =>
		els.map((el) => ({ id: el.id, max: Number((el as HTMLInputElement).max) }))
	);
	expect(criteria.length).toBeGreaterThan(0);

	// The first Tab stop skips the menu; the page's own skip link passes the application's links and attachments.
	await page.keyboard.press('Tab');
	await expect(page.getByRole('link', { name: '跳到主要内容' })).toBeFocused();
	await expect(page.getByRole('link', { name: '跳到主要内容' })).toBeInViewport();
	await page.keyboard.press('Enter');
	await page.keyboard.press('Tab');
	await expect(page.getByRole('link', { name: '跳到评分表' })).toBeFocused();
	await expect(page.getByRole('link', { name: '跳到评分表' })).toBeInViewport();
	await page.keyboard.press('Enter');
	await page.keyboard.press('Tab');
	await expect(page.locator(`#${criteria[0].id}`)).toBeFocused();

	// Every criterion: a typed value on the even ones, the arrows on the odd ones (↑ steps 0.5 up, ↓ down), then Tab to
	// its comment, a comment, Tab to the next criterion. The guidance of the criterion in focus shows by itself.
	const expected: number[] = [];
	for (const [i, c] of criteria.entries()) {
		await expect(page.locator(`#${c.id}`)).toBeFocused();
		await expect(page.locator(`#g-${c.id.replace(/^p-/, '')}`)).toBeVisible();
		const want = Math.floor(c.max * 0.8 * 2) / 2;
		if (i % 2 === 0) {
			await page.keyboard.type(String(want));
		} else {
			// From empty, ↑ gives 0; then up in 0.5 steps past the target, and ↓ back once.
			for (let k = 0; k <= want * 2 + 1; k++) await page.keyboard.press('ArrowUp');
			await page.keyboard.press('ArrowDown');
		}
		expected.push(want);
		await expect(page.locator(`#${c.id}`)).toHaveValue(String(want));
		await page.keyboard.press('Tab');
		await expect(page.locator(`input[name="comments.${c.id.replace(/^p-/, '')}"]`)).toBeFocused();
		expect(await focused(page)).toMatch(/ 评语$/);
		await page.keyboard.type(`第${i + 1}项意见`);
		await page.keyboard.press('Tab');
	}
	expect(await focused(page)).toBe('总体评审意见');
	await page.keyboard.type('材料完整，方案可行。');
	await page.keyboard.press('Tab');
	await expect(page.getByRole('button', { name: '保存草稿' })).toBeFocused();
	await page.keyboard.press('Tab');
	const submit = page.getByRole('button', { name: '提交评分' });
	await expect(submit).toBeFocused();
	await expect(page.getByTestId('sheet-total')).toContainText(`已评 ${criteria.length}/${criteria.length} 项`);

	// Enter opens the dialog with 确认提交 in focus; it passes the same accessibility scan as the pages.
	await page.keyboard.press('Enter');
	const dialog = page.getByRole('dialog', { name: '确认提交评分？' });
	await expect(dialog).toBeVisible();
	await expect(dialog.getByRole('button', { name: '确认提交' })).toBeFocused();
	const scan = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).options({ resultTypes: ['violations'] }).analyze();
	expect(scan.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
	// Tab stays inside the modal dialog.
	await page.keyboard.press('Tab');
	await expect(dialog.getByRole('button', { name: '返回修改' })).toBeFocused();
	// Esc cancels and gives the focus back to 提交评分; nothing is submitted.
	await page.keyboard.press('Escape');
	await expect(dialog).toBeHidden();
	await expect(submit).toBeFocused();
	expect(stored(task.application_id, task.expert_id)[0]?.status ?? 'none').not.toBe('submitted');

	// Enter again, Enter on 确认提交: submitted, read-only.
	await page.keyboard.press('Enter');
	await expect(dialog.getByRole('button', { name: '确认提交' })).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(page.getByTestId('sync-state')).toHaveText('已提交');
	const rows = stored(task.application_id, task.expert_id);
	expect(rows.map((r) => r.status)).toEqual(criteria.map(() => 'submitted'));
	expect(rows.map((r) => r.points)).toEqual(expected);
	expect(rows.map((r) => r.comment)).toEqual(criteria.map((_, i) => `第${i + 1}项意见`));
	expect(rows[0].overall).toBe('材料完整，方案可行。');
});
