import { execFileSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { E2E_DB, PASSWORDS, login, open, query } from '../support';

/**
 * Issue 13, items 7 and 8, as the people meet them: after publication a drawn expert declines the
 * invitation (a reason is required); the office sees it on the draw page with the next alternate
 * and replaces the expert in one action; the replacement is recorded and shown; the observer
 * confirms the draw record, which then shows the confirmation.
 */

test.beforeEach(({ page }) => {
	page.on('dialog', (d) => void d.accept());
});

test('an expert declines; the office replaces them by the next alternate; the observer confirms the draw record', async ({ page, browser }) => {
	// Draw what the demo left undrawn and publish (as roles.spec does; on a database where it ran, nothing new is drawn).
	execFileSync('npx', ['tsx', 'src/cli/index.ts', '--db', E2E_DB, 'assign', '--seed', 'e2e-invite', '--publish', '--json'], { encoding: 'utf8' });
	const [target] = query<{ id: string; name: string }>(
		`SELECT e.id, e.name FROM invitations i JOIN experts e ON e.id = i.expert_id
		 WHERE i.status = 'pending'
		   -- a demo account (an expert another journey added has a printed initial password, not the demo one)
		   AND e.id IN (SELECT expert_id FROM users WHERE must_change_password = 0)
		   AND EXISTS (
		   SELECT 1 FROM assignments s JOIN alternates al ON al.application_id = s.application_id
		   WHERE s.expert_id = i.expert_id AND al.expert_id NOT IN (SELECT expert_id FROM assignments WHERE application_id = s.application_id))
		 ORDER BY e.id DESC LIMIT 1`
	);
	expect(target, 'a pending invitation with an alternate').toBeDefined();
	const seats = query<{ application_id: string }>('SELECT application_id FROM assignments WHERE expert_id = ? ORDER BY application_id', target.id);

	// The expert: the task list shows the applications, nothing opens before answering.
	const expertContext = await browser.newContext();
	const expert = await expertContext.newPage();
	expert.on('dialog', (d) => void d.accept());
	await login(expert, target.id, PASSWORDS.expert);
	if (expert.url().includes('/expert/commitment')) {
		await expert.getByLabel('本人已阅读并承诺遵守上述要求').check();
		await expert.getByRole('button', { name: '签署承诺并进入评审' }).click();
	}
	await expect(expert).toHaveURL(/\/expert$/);
	const invitation = expert.getByTestId('invitation');
	await expect(invitation).toHaveAttribute('data-status', 'pending');
	await expect(expert.locator('a[href^="/expert/applications/"]')).toHaveCount(0);
	expect((await expert.goto(`/expert/applications/${seats[0].application_id}`))?.status()).toBe(404);
	await open(expert, '/expert');
	// Declining needs a reason.
	await expert.getByTestId('decline-open').click();
	await expert.getByTestId('decline-invitation').click();
	await expect(expert.getByRole('alert')).toContainText('请填写不能参加的原因');
	await expect(invitation).toHaveAttribute('data-status', 'pending');
	await expert.getByLabel('不能参加的原因（必填）').fill('评审期间在外地出差，无法参加');
	await expert.getByTestId('decline-invitation').click();
	await expect(invitation).toHaveAttribute('data-status', 'declined');
	await expect(invitation).toContainText('评审期间在外地出差，无法参加');
	await expertContext.close();

	// The office: the decline with the next alternate per application, replaced in one action.
	await login(page, 'office', PASSWORDS.office);
	await open(page, '/office/assignments');
	const row = page.getByTestId(`invitee-${target.id}`);
	await expect(row).toContainText('不能参加');
	await expect(row).toContainText('评审期间在外地出差，无法参加');
	await expect(row).toContainText('→');
	await page.getByTestId(`replace-invitee-${target.id}`).click();
	await expect(page.getByTestId('invitee-replaced')).toContainText(`已以候补专家替换 ${target.name}`);
	const recorded = query<{ application_id: string; to_expert_id: string; cause: string; reason: string }>(
		'SELECT application_id, to_expert_id, cause, reason FROM replacements WHERE from_expert_id = ? ORDER BY application_id',
		target.id
	);
	expect(recorded.length).toBeGreaterThan(0);
	for (const r of recorded) expect(r).toMatchObject({ cause: 'declined', reason: '评审期间在外地出差，无法参加' });
	expect(query('SELECT 1 FROM assignments WHERE expert_id = ? AND application_id = ?', target.id, recorded[0].application_id)).toHaveLength(0);
	// The new expert is invited, unless they already work on the roster published before invitations (the demo's imported roster).
	const invited = query<{ status: string }>('SELECT status FROM invitations WHERE expert_id = ?', recorded[0].to_expert_id);
	const working = query(
		'SELECT 1 FROM assignments s, batches b WHERE s.expert_id = ? AND s.application_id <> ? AND s.created_at <= b.assignments_published_at',
		recorded[0].to_expert_id,
		recorded[0].application_id
	);
	if (invited.length) expect(['pending', 'confirmed']).toContain(invited[0].status);
	else expect(working.length).toBeGreaterThan(0);
	const [toName] = query<{ name: string }>('SELECT name FROM experts WHERE id = ?', recorded[0].to_expert_id);
	await expect(page.getByTestId('replacements')).toContainText(target.name);
	await expect(page.getByTestId('replacements')).toContainText(toName.name);
	// The roster of the application says who replaced whom.
	await open(page, `/office/assignments?app=${recorded[0].application_id}&occupation=${query<{ occupation: string }>('SELECT occupation FROM applications WHERE id = ?', recorded[0].application_id)[0].occupation}`);
	await expect(page.getByTestId('roster-replacements')).toContainText(`${target.name} → ${toName.name}`);

	// The observer confirms the record of the draw whose alternate took the seat; the printed record shows it.
	const [{ draw_id: drawId }] = query<{ draw_id: number }>('SELECT draw_id FROM replacements WHERE from_expert_id = ? ORDER BY id LIMIT 1', target.id);
	const observerContext = await browser.newContext();
	const observer = await observerContext.newPage();
	observer.on('dialog', (d) => void d.accept());
	await login(observer, 'observer', PASSWORDS.observer);
	await open(observer, '/observer/draws');
	await observer.getByTestId(`confirm-draw-${drawId}`).click();
	await expect(observer.getByTestId('draw-confirmed')).toContainText(`第 ${drawId} 次`);
	await expect(observer.getByTestId(`confirm-draw-${drawId}`)).toHaveCount(0);
	await open(observer, `/observer/draws/${drawId}`);
	await expect(observer.getByTestId('record-confirmed')).toBeVisible();
	await expect(observer.getByTestId('record-replacements')).toContainText(target.name);
	await observerContext.close();

	await open(page, `/office/assignments/draws/${drawId}/print`);
	await expect(page.getByTestId('draw-record')).toContainText('评审专家抽取记录');
	await expect(page.getByTestId('record-confirmed')).toContainText('厅机关纪委 监督员');
	await expect(page.getByTestId('draw-record')).toContainText('抽取人（签字）');
	await expect(page.getByTestId('draw-record')).toContainText('监督人（签字）');
});
