/**
 * Issue 15, point 11: the long city form saves its draft by itself a few seconds after a change,
 * shows 已保存 / 保存中 / 未保存, never takes back what is being typed, and still warns before
 * leaving with unsaved changes. A new form's first autosave creates the draft and moves to its page
 * with the input, the focus and the cursor kept.
 */
import { expect, test } from '@playwright/test';
import { PASSWORDS, login, open, query } from '../support';

test.describe.configure({ timeout: 120_000 });

test('a new form autosaves into a draft, keeps what is typed during the saves, and the reload shows it all', async ({ page }) => {
	await login(page, 'city-tieling', PASSWORDS.city);
	await open(page, '/city/applications/new?type=training');
	const state = page.getByTestId('save-state');
	await expect(state).toHaveText('尚未保存');

	// Nothing is saved before the server would accept it (occupation and name).
	await page.getByLabel('拟申报开展培训的职业（仅填一项）').selectOption('bigdata');
	await expect(state).toContainText('未保存');
	await expect(state).toContainText('填写单位名称后自动保存');

	// The first autosave creates the draft; it is held up on the network while the typing goes on.
	await page.route(
		(url) => url.pathname === '/city/applications/new' && url.search.includes('/save'),
		async (route) => {
			await new Promise((r) => setTimeout(r, 1500));
			await route.continue();
		}
	);
	const name = page.getByLabel('单位名称（盖章）');
	await name.click();
	await name.pressSequentially('铁岭市数字工匠职业培训学校', { delay: 60 });
	await expect(state).toHaveText('保存中……', { timeout: 10_000 });
	await page.keyboard.type('（铁岭校区）', { delay: 300 });
	await page.waitForURL(/\/city\/applications\/app-[0-9a-f]+\?created=1/, { timeout: 15_000 });
	const id = new URL(page.url()).pathname.split('/').pop()!;
	// On the draft's page, in the same box: nothing lost, the focus and the cursor where they were.
	await expect(page.getByRole('status').filter({ hasText: '已保存为草稿' })).toBeVisible();
	await expect(name).toBeFocused();
	await page.keyboard.type('！', { delay: 50 });
	await page.keyboard.press('Backspace');
	await expect(name).toHaveValue('铁岭市数字工匠职业培训学校（铁岭校区）');
	await expect(state).toHaveText(/^已保存/, { timeout: 15_000 });
	expect(query<{ name: string }>('SELECT i.name FROM applications a JOIN institutions i ON i.id = a.institution_id WHERE a.id = ?', id)[0].name).toBe(
		'铁岭市数字工匠职业培训学校（铁岭校区）'
	);
	expect(query<{ status: string; region: string; occupation: string }>('SELECT status, region, occupation FROM applications WHERE id = ?', id)[0]).toEqual({
		status: 'draft',
		region: 'tieling',
		occupation: 'bigdata'
	});

	// A save held up on the network: typing goes on during it, is kept, and is saved next.
	let hold = true;
	let saves = 0;
	await page.route(
		(url) => url.pathname === `/city/applications/${id}` && url.search.includes('/save'),
		async (route) => {
			saves++;
			if (hold) await new Promise((r) => setTimeout(r, 2500));
			await route.continue();
		}
	);
	const overview = page.getByLabel('单位基本情况', { exact: true });
	await overview.fill('本校成立于2015年。');
	await expect(state).toHaveText('保存中……', { timeout: 10_000 });
	await overview.press('End');
	await overview.pressSequentially('开设大数据分析课程。', { delay: 60 });
	hold = false;
	// The first answer came back meanwhile: the text is not reset, the newer part is still unsaved…
	await expect(overview).toHaveValue('本校成立于2015年。开设大数据分析课程。');
	await expect(overview).toBeFocused();
	// …and the next autosave takes it.
	await expect(state).toHaveText(/^已保存/, { timeout: 15_000 });
	expect(saves).toBeGreaterThanOrEqual(2);
	await page.unroute(() => true);

	await page.reload();
	await page.locator('body[data-hydrated="1"]').waitFor({ state: 'attached' });
	await expect(page.getByLabel('单位名称（盖章）')).toHaveValue('铁岭市数字工匠职业培训学校（铁岭校区）');
	await expect(page.getByLabel('单位基本情况', { exact: true })).toHaveValue('本校成立于2015年。开设大数据分析课程。');
	await expect(page.getByLabel('拟申报开展培训的职业（仅填一项）')).toHaveValue('bigdata');
	await expect(state).toHaveText(/^已保存/);

	// Leaving with an unsaved change still asks first.
	await page.getByLabel('单位地址').fill('铁岭市银州区');
	let asked = '';
	page.once('dialog', (d) => {
		asked = d.message();
		void d.dismiss();
	});
	await page.getByRole('link', { name: '本地区申报' }).first().click();
	await expect.poll(() => asked).toContain('有未保存的修改');
	await expect(page).toHaveURL(new RegExp(`/city/applications/${id}`));
	await expect(page.getByLabel('单位地址')).toHaveValue('铁岭市银州区');
	await expect(state).toHaveText(/^已保存/, { timeout: 15_000 });
	await page.screenshot({ path: 'test-results/city-autosave-1366.png' });
});

test('a malformed value is not autosaved, and the bar says why', async ({ page }) => {
	const [row] = query<{ id: string }>(`SELECT id FROM applications WHERE region = 'tieling' AND status = 'draft' ORDER BY id LIMIT 1`);
	test.skip(!row, '需要铁岭的草稿（上一测试创建）');
	await login(page, 'city-tieling', PASSWORDS.city);
	await open(page, `/city/applications/${row.id}`);
	const version = query<{ version: number }>('SELECT version FROM applications WHERE id = ?', row.id)[0].version;
	await page.getByLabel('正式员工数').fill('四十六');
	const state = page.getByTestId('save-state');
	await expect(state).toContainText('有格式不正确的内容，改正后自动保存');
	await page.waitForTimeout(4500);
	expect(query<{ version: number }>('SELECT version FROM applications WHERE id = ?', row.id)[0].version).toBe(version);
	await page.getByLabel('正式员工数').fill('46');
	await expect(state).toHaveText(/^已保存/, { timeout: 15_000 });
	expect(query<{ version: number }>('SELECT version FROM applications WHERE id = ?', row.id)[0].version).toBe(version + 1);
});
