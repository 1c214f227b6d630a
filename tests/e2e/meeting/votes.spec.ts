import { expect, test } from '@playwright/test';
import { PASSWORDS, login, open, query } from '../support';

/** app-15 of the current batch and a voting member of its panel (committed, no conflict declared, invitation standing). */
function voteCase() {
	const [batch] = query<{ id: string }>(`SELECT batch_id AS id FROM applications WHERE id = 'app-15'`);
	const [voter] = query<{ id: string }>(
		`SELECT a.expert_id AS id FROM assignments a JOIN experts e ON e.id = a.expert_id
		 WHERE a.application_id = 'app-15' AND e.name <> '彭涛'
		   AND EXISTS (SELECT 1 FROM commitments c WHERE c.expert_id = a.expert_id AND c.batch_id = ?)
		   AND NOT EXISTS (SELECT 1 FROM declarations d WHERE d.application_id = a.application_id AND d.expert_id = a.expert_id)
		   AND NOT EXISTS (SELECT 1 FROM invitations i WHERE i.expert_id = a.expert_id AND i.batch_id = ? AND i.status IN ('declined', 'expired'))
		 ORDER BY a.expert_id LIMIT 1`,
		batch.id,
		batch.id
	);
	const [name] = query<{ name: string }>(`SELECT i.name FROM applications a JOIN institutions i ON i.id = a.institution_id WHERE a.id = 'app-15'`);
	return { voter: voter.id, name: name.name };
}

test('the chair opens a vote; the expert votes and changes the vote on the laptop; the chair sees only how many voted; closing shows the tally', async ({ browser }) => {
	const c = voteCase();
	const chairCtx = await browser.newContext();
	const chair = await chairCtx.newPage();
	await login(chair, 'chair', PASSWORDS.office);
	await open(chair, '/office/meeting?app=app-15');
	await chair.getByRole('button', { name: '切换各屏幕到此事项' }).click();
	await expect(chair.getByRole('button', { name: '各屏幕正在显示' })).toBeVisible();

	const expertCtx = await browser.newContext();
	const expert = await expertCtx.newPage();
	await login(expert, c.voter, PASSWORDS.expert);
	await open(expert, '/expert/meeting');
	await expect(expert.getByTestId('meeting-connection')).toContainText('已连接');
	await expect(expert.getByTestId('meeting-title')).toHaveText(c.name);
	await expect(expert.getByTestId('ballot')).toHaveCount(0);

	// The chair opens the vote: the expert's screen shows the buttons at once.
	await chair.getByLabel('表决事项').selectOption('proposed');
	await chair.getByRole('button', { name: '发起表决' }).click();
	await expect(chair.getByRole('status')).toContainText('已发起表决');
	await expect(expert.getByTestId('ballot')).toBeVisible({ timeout: 3000 });
	await expect(expert.getByTestId('ballot-mine')).toHaveText('您尚未投票');
	await expect(chair.getByTestId('vote-turnout')).toHaveText(/^0 \/ \d+$/);

	await expert.getByRole('button', { name: '同意', exact: true }).click();
	await expect(expert.getByTestId('ballot-mine')).toHaveText('您已投：同意');
	await expert.getByRole('button', { name: '不同意', exact: true }).click();
	await expect(expert.getByTestId('ballot-mine')).toHaveText('您已投：不同意');

	// The chair's count moves (one member voted), never how.
	await expect(chair.getByTestId('vote-turnout')).toHaveText(/^1 \/ \d+$/, { timeout: 3000 });
	await expect(chair.getByTestId('vote-board')).not.toContainText('不同意');

	await chair.getByRole('button', { name: '结束表决并计票' }).click();
	await expect(chair.getByRole('status')).toContainText('表决结束');
	await expect(chair.getByTestId('vote-closed')).toContainText('不同意 1');
	await expect(expert.getByTestId('meeting-votes')).toContainText('同意 0 · 不同意 1', { timeout: 3000 });
	await expect(expert.getByTestId('ballot')).toHaveCount(0);

	// The chair drafts the 综合评审意见; the panel sees it.
	await chair.getByLabel(/主持人起草/).fill('该机构培训体系较完整，师资结构合理，会议表决未通过拟推荐。');
	await chair.getByRole('button', { name: '保存综合评审意见' }).click();
	await expect(chair.getByRole('status')).toContainText('已保存综合评审意见');
	await expect(expert.getByTestId('meeting-opinion')).toContainText('会议表决未通过拟推荐', { timeout: 3000 });

	await chairCtx.close();
	await expertCtx.close();
});
