/**
 * Issue 15, item 10: the meeting screen and the 回避 kiosk in projector mode (no menu, no 退出,
 * large type), and a confirmation before an expert is deactivated (publishing and a city's
 * submission ask likewise; their journeys accept the dialog).
 */
import { expect, test } from '@playwright/test';
import { PASSWORDS, login, open, query } from '../support';

test('the meeting screen and the kiosk show no menu and no 退出', async ({ page }) => {
	await login(page, 'office', PASSWORDS.office);
	for (const path of ['/office/meeting/screen', '/office/meeting/kiosk']) {
		await open(page, path);
		await expect(page.getByRole('navigation', { name: '主导航' }), path).toHaveCount(0);
		await expect(page.getByRole('button', { name: '退出' }), path).toHaveCount(0);
		await expect(page.getByRole('link', { name: '返回会议主持页' }), path).toHaveCount(1);
	}
	await open(page, '/office/meeting');
	await expect(page.getByRole('navigation', { name: '主导航' })).toBeVisible();
});

test('deactivating an expert asks first; cancelling changes nothing', async ({ page }) => {
	const [e] = query<{ id: string; name: string }>("SELECT id, name FROM experts WHERE active = 1 ORDER BY id LIMIT 1");
	await login(page, 'office', PASSWORDS.office);
	await open(page, `/office/experts/${e.id}`);
	let message = '';
	page.once('dialog', (d) => {
		message = d.message();
		void d.dismiss();
	});
	await page.getByRole('button', { name: '停用该专家' }).click();
	await expect.poll(() => message).toContain('确认停用');
	expect(message).toContain(e.name);
	await expect(page.getByRole('button', { name: '停用该专家' })).toBeVisible();
	const [after] = query<{ active: number }>('SELECT active FROM experts WHERE id = ?', e.id);
	expect(after.active).toBe(1);
});
