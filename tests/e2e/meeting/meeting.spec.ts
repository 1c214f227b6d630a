import { expect, test } from '@playwright/test';
import { PASSWORDS, login, open, query } from '../support';

/** An application with results, an assigned expert, and an expert with a hard conflict on it (the demo's SAME_UNIT case). */
function meetingCase() {
	const [conflicted] = query<{ id: string }>(`SELECT id FROM experts WHERE name = '彭涛'`);
	const [follower] = query<{ expert_id: string }>(`SELECT expert_id FROM assignments WHERE application_id = 'app-15' ORDER BY expert_id LIMIT 1`);
	const [name] = query<{ name: string }>(`SELECT i.name FROM applications a JOIN institutions i ON i.id = a.institution_id WHERE a.id = 'app-15'`);
	// The second item: one on the conflicted expert's own panel (without a declared conflict).
	const [second] = query<{ id: string; name: string }>(
		`SELECT a.application_id AS id, i.name FROM assignments a JOIN applications p ON p.id = a.application_id JOIN institutions i ON i.id = p.institution_id
		 WHERE a.expert_id = ? AND a.application_id <> 'app-15'
		   AND NOT EXISTS (SELECT 1 FROM declarations d WHERE d.application_id = a.application_id AND d.expert_id = a.expert_id)
		 ORDER BY a.application_id LIMIT 1`,
		conflicted.id
	);
	const followerOnSecond = query(`SELECT 1 FROM assignments WHERE application_id = ? AND expert_id = ?`, second.id, follower.expert_id).length > 0;
	return { app: 'app-15', conflicted: conflicted.id, follower: follower.expert_id, name: name.name, second: second.id, secondName: second.name, followerOnSecond };
}

test('the chair moves the meeting; expert screens follow live; a conflicted expert sees 回避; decisions reach the shortlist', async ({ browser }) => {
	const c = meetingCase();
	const chairCtx = await browser.newContext();
	const chair = await chairCtx.newPage();
	await login(chair, 'chair', PASSWORDS.office);

	const expertCtx = await browser.newContext();
	const expert = await expertCtx.newPage();
	await login(expert, c.follower, PASSWORDS.expert);
	await open(expert, '/expert/meeting');
	await expect(expert.getByTestId('meeting-connection')).toContainText('已连接');

	const recusedCtx = await browser.newContext();
	const recused = await recusedCtx.newPage();
	await login(recused, c.conflicted, PASSWORDS.expert);
	await open(recused, '/expert/meeting');
	await expect(recused.getByTestId('meeting-connection')).toContainText('已连接');

	// The chair opens the agenda and moves every screen to app-15.
	await open(chair, `/office/meeting?app=${c.app}`);
	await expect(chair.getByTestId('chair-title')).toHaveText(c.name);
	const moved = Date.now();
	await chair.getByRole('button', { name: '切换各屏幕到此事项' }).click();
	await expect(expert.getByTestId('meeting-title')).toHaveText(c.name, { timeout: 3000 });
	const followedIn = Date.now() - moved;
	expect(followedIn).toBeLessThan(3000);
	await expect(recused.getByTestId('meeting-recused')).toBeVisible({ timeout: 3000 });
	await expect(recused.getByText(c.name)).toHaveCount(0);
	// Comments are anonymised on the expert's screen.
	await expect(expert.getByText('专家A').first()).toBeVisible();

	// The kiosk lists who must leave.
	const kiosk = await chairCtx.newPage();
	await open(kiosk, '/office/meeting/kiosk');
	await expect(kiosk.getByTestId('kiosk-list')).toContainText('彭涛');

	// A decision against the default needs a reason.
	await chair.bringToFront();
	const defaultProposed = (await chair.getByText('默认拟推荐').count()) > 0;
	await chair.getByLabel(defaultProposed ? '不推荐' : '拟推荐', { exact: true }).check();
	await chair.getByRole('button', { name: '记录结论' }).click();
	await expect(chair.getByRole('alert')).toContainText('理由');
	await chair.getByLabel(/^理由/).fill('会议讨论认为材料中培训规模数据需进一步核实');
	await chair.getByRole('button', { name: '记录结论' }).click();
	await expect(chair.getByRole('status')).toContainText('已记录评议结论');

	// The chair moves on to an item of the other expert's panel: that screen shows it; the follower's
	// shows it only when on its panel too, else a neutral state without the item.
	await open(chair, `/office/meeting?app=${c.second}`);
	await chair.getByRole('button', { name: '切换各屏幕到此事项' }).click();
	await expect(recused.getByTestId('meeting-title')).toHaveText(c.secondName, { timeout: 3000 });
	if (c.followerOnSecond) await expect(expert.getByTestId('meeting-title')).toHaveText(c.secondName, { timeout: 3000 });
	else {
		await expect(expert.getByTestId('meeting-elsewhere')).toBeVisible({ timeout: 3000 });
		await expect(expert.getByText(c.secondName)).toHaveCount(0);
	}

	// The shortlist reflects the recorded decision.
	await open(chair, '/office/shortlist');
	const row = chair.locator('tr', { hasText: c.name }).first();
	await expect(row).toContainText(defaultProposed ? '不推荐' : '拟推荐');
	const proposedList = chair.getByTestId('proposed-list');
	if (defaultProposed) await expect(proposedList).not.toContainText(c.name);
	else await expect(proposedList).toContainText(c.name);

	await chairCtx.close();
	await expertCtx.close();
	await recusedCtx.close();
});

test('locking the results freezes them until the office reopens with a reason', async ({ page }) => {
	await login(page, 'office', PASSWORDS.office);
	await open(page, '/office/shortlist');
	// The demo still has drafts and sheets not started: the office confirms them first.
	await expect(page.getByTestId('open-items')).toContainText('未开始评分');
	await page.getByRole('button', { name: '锁定评审结果' }).click();
	await expect(page.getByTestId('lock-hash')).toHaveCount(0); // the browser asks for the confirmation
	await page.getByLabel(/仍要锁定/).check();
	// Not every review report is signed: the missing signatures are listed and locking needs a written reason.
	await expect(page.getByTestId('unsigned-reports')).toContainText('缺少签字');
	await page.getByLabel(/锁定理由/).fill('部分专家的签字页会后补交');
	await page.getByRole('button', { name: '锁定评审结果' }).click();
	await expect(page.getByTestId('lock-hash')).toHaveText(/^[0-9a-f]{64}$/);
	const hash = await page.getByTestId('lock-hash').textContent();
	await open(page, '/office/meeting?app=app-01');
	await expect(page.getByText('评审结果已锁定')).toBeVisible();
	await expect(page.getByRole('button', { name: '记录结论' })).toBeDisabled();
	// A forged request is refused by the server too.
	const forged = await page.request.post('/office/meeting?/decide', {
		form: { applicationId: 'app-01', decision: 'proposed', reason: '伪造的请求' },
		headers: { origin: new URL(page.url()).origin }
	});
	const body = await forged.text();
	expect(body).toContain('"type":"failure"');
	expect(body).toContain('"status":409');
	expect(body).toContain('评审结果已锁定');
	await open(page, '/office/shortlist');
	await page.getByLabel('重新开放理由').fill('补充实地考察结论');
	await page.getByRole('button', { name: '重新开放结果' }).click();
	await expect(page.getByRole('status')).toContainText('重新开放');
	expect(hash).toMatch(/^[0-9a-f]{64}$/);
});
