import { expect, test, type Page } from '@playwright/test';
import { PASSWORDS, login, open, query, reveal } from '../support';

/**
 * Issue 4, "done when", tried as a new user would: the office draws experts (人工智能 has nothing
 * to fill in the demo; 集成电路 and 虚拟现实 are undrawn), replaces one, publishes; an 集成电路 expert
 * without a commitment signs it, sees only their assignments, declares a conflict, and the
 * application leaves their list; the office sees the declaration on the conflicts page.
 */

const literal = (s: string) => new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

function assignmentsOf(occupation: string) {
	return query<{ application_id: string; expert_id: string; source: string; reason: string | null }>(
		`SELECT s.application_id, s.expert_id, s.source, s.reason FROM assignments s JOIN applications a ON a.id = s.application_id
		 WHERE a.occupation = ? AND a.batch_id = (SELECT id FROM batches WHERE archived_at IS NULL ORDER BY created_at DESC LIMIT 1) ORDER BY s.application_id, s.expert_id`,
		occupation
	);
}

/** Seats still missing in an occupation (5 per recommended application). */
function missingSeats(occupation: string): number {
	return query<{ n: number }>(
		`SELECT coalesce(sum(max(0, 5 - (SELECT count(*) FROM assignments s WHERE s.application_id = a.id))), 0) AS n
		 FROM applications a WHERE a.occupation = ? AND a.status IN ('submitted', 'accepted') AND a.batch_id = (SELECT id FROM batches WHERE archived_at IS NULL ORDER BY created_at DESC LIMIT 1)`,
		occupation
	)[0].n;
}

/** Assignments of an expert the experts can see: made before the last publication. */
function publishedOf(expertId: string) {
	return query<{ application_id: string }>(
		`SELECT s.application_id FROM assignments s JOIN applications a ON a.id = s.application_id JOIN batches b ON b.id = a.batch_id
		 WHERE s.expert_id = ? AND b.id = (SELECT id FROM batches WHERE archived_at IS NULL ORDER BY created_at DESC LIMIT 1) AND b.assignments_published_at IS NOT NULL
		 AND s.created_at <= b.assignments_published_at ORDER BY s.application_id`,
		expertId
	);
}

async function draw(page: Page, scope: string, seed: string) {
	await page.getByLabel('抽取范围').selectOption(scope);
	await page.getByLabel('随机种子（可选）').fill(seed);
	await page.getByRole('button', { name: '抽取专家' }).click();
	await page.waitForURL(/draw=\d+/);
	await expect(page.getByTestId('draw-seed')).toHaveText(seed);
}

// Publishing and deactivating ask for a confirmation (issue 15, item 10): these journeys confirm.
test.beforeEach(({ page }) => {
	page.on('dialog', (d) => void d.accept());
});

test('the office draws, replaces and publishes; an expert signs, sees only their own list and declares a conflict', async ({ page, browser }) => {
	// Other journeys may have run before on the same database: start from what is there.
	const firstAudit = query<{ id: number }>('SELECT coalesce(max(id), 0) AS id FROM audit_log')[0].id;
	const firstDraw = query<{ id: number }>('SELECT coalesce(max(id), 0) AS id FROM draws')[0].id;
	const aiBefore = assignmentsOf('ai');
	// The city journey may have recommended new 人工智能 applications on this database meanwhile.
	const aiMissing = missingSeats('ai');
	const icMissing = missingSeats('ic');

	await login(page, 'office', PASSWORDS.office);
	await open(page, '/office/assignments');
	await expect(page.getByRole('heading', { name: '专家抽取与分配' })).toBeVisible();

	// 人工智能 is fully staffed in the demo: the draw says so, with its seed, and keeps every existing
	// assignment; only applications recommended since get their 5 experts.
	await draw(page, 'ai', 'e2e-ai');
	await expect(page.getByTestId('draw-result')).toContainText(aiMissing ? `新增分配 ${aiMissing} 人次` : '无需补充');
	expect(missingSeats('ai')).toBe(0);
	const aiAfter = assignmentsOf('ai');
	for (const a of aiBefore) expect(aiAfter).toContainEqual(a);
	expect(aiAfter).toHaveLength(aiBefore.length + aiMissing);

	// 集成电路 (undrawn in the demo): every application ends with 5 experts, the seed is recorded.
	await draw(page, 'ic', 'e2e-ic');
	const ic = assignmentsOf('ic');
	const icApps = [...new Set(ic.map((a) => a.application_id))];
	await expect(page.getByTestId('draw-result')).toContainText(icMissing ? `新增分配 ${icMissing} 人次` : '无需补充');
	expect(icApps).toHaveLength(4);
	for (const id of icApps) expect(ic.filter((a) => a.application_id === id)).toHaveLength(5);
	await draw(page, 'vr', 'e2e-vr');
	expect(missingSeats('vr')).toBe(0);
	const history = page.getByTestId('draw-history');
	for (const seed of ['e2e-ai', 'e2e-ic', 'e2e-vr']) await expect(history).toContainText(seed);
	expect(query<{ seed: string }>('SELECT seed FROM draws WHERE id > ? ORDER BY id', firstDraw).map((d) => d.seed)).toEqual(['e2e-ai', 'e2e-ic', 'e2e-vr']);

	// An 集成电路 expert without a commitment (exp-08, exp-22 or exp-28 in the demo) signs it meanwhile:
	// the new assignments are not published yet, so they are not in the list.
	const [{ id: EXPERT, name: expertName }] = query<{ id: string; name: string }>(
		`SELECT e.id, e.name FROM experts e WHERE e.id IN (SELECT s.expert_id FROM assignments s JOIN applications a ON a.id = s.application_id WHERE a.occupation = 'ic')
		 AND e.id NOT IN (SELECT expert_id FROM commitments WHERE batch_id = (SELECT id FROM batches WHERE archived_at IS NULL ORDER BY created_at DESC LIMIT 1)) ORDER BY e.id LIMIT 1`
	);
	const expertContext = await browser.newContext();
	const expert = await expertContext.newPage();
	await login(expert, EXPERT, PASSWORDS.expert);
	await expect(expert).toHaveURL(/\/expert\/commitment/);
	await expert.getByLabel('本人已阅读并承诺遵守上述要求').check();
	await expert.getByRole('button', { name: '签署承诺并进入评审' }).click();
	await expect(expert).toHaveURL(/\/expert$/);
	const links = expert.locator('a[href^="/expert/applications/"]');
	const visibleBefore = publishedOf(EXPERT);
	// An earlier journey may have published a roster that invited this expert: they confirm first (参加).
	const invitation = expert.getByTestId('invitation');
	if ((await invitation.count()) > 0 && (await invitation.getAttribute('data-status')) === 'pending') {
		await expert.getByTestId('confirm-invitation').click();
		await expect(expert.getByTestId('invitation')).toHaveAttribute('data-status', 'confirmed');
	}
	await expect(links).toHaveCount(visibleBefore.length);
	const newForExpert = ic.filter((a) => a.expert_id === EXPERT && !visibleBefore.some((v) => v.application_id === a.application_id));
	for (const a of newForExpert) await expect(expert.locator(`a[href="/expert/applications/${a.application_id}"]`)).toHaveCount(0);

	// Replace one expert (not this one) on an application of this expert with the next alternate.
	const mine = ic.filter((a) => a.expert_id === EXPERT).map((a) => a.application_id);
	const target = mine[0];
	const out = ic.find((a) => a.application_id === target && a.expert_id !== EXPERT)!.expert_id;
	const outName = query<{ name: string }>('SELECT name FROM experts WHERE id = ?', out)[0].name;
	await open(page, `/office/assignments?occupation=ic&app=${target}`);
	const roster = page.getByTestId('roster');
	const row = roster.getByRole('row', { name: literal(outName) });
	await row.getByRole('textbox').fill('出差无法参加评审');
	await row.getByRole('button', { name: '替换为下一候补' }).click();
	await expect(roster.getByRole('status')).toContainText(`已将 ${outName} 更换为候补专家`);
	const replaced = assignmentsOf('ic').filter((a) => a.application_id === target);
	expect(replaced.map((a) => a.expert_id)).not.toContain(out);
	expect(replaced.find((a) => a.source === 'replacement')?.reason).toBe('出差无法参加评审');

	// Publish.
	await page.getByRole('button', { name: '发布分配结果' }).click();
	await expect(page.getByRole('status').filter({ hasText: '已发布' })).toBeVisible();
	await expect(page.getByTestId('publication')).not.toContainText('未发布');

	// The expert now sees exactly their assignments, and no other expert's name.
	const own = query<{ application_id: string; name: string }>(
		`SELECT s.application_id, i.name FROM assignments s JOIN applications a ON a.id = s.application_id JOIN institutions i ON i.id = a.institution_id
		 WHERE s.expert_id = ? ORDER BY s.application_id`,
		EXPERT
	);
	await open(expert, '/expert');
	// Newly on the published roster: the expert is invited and opens the applications after confirming (参加).
	if (!visibleBefore.length) {
		await expect(expert.getByTestId('invitation')).toHaveAttribute('data-status', 'pending');
		await expect(links).toHaveCount(0);
		await expert.getByTestId('confirm-invitation').click();
		await expect(expert.getByTestId('invitation')).toHaveAttribute('data-status', 'confirmed');
	}
	await expect(links).toHaveCount(own.length);
	expect((await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')!.split('/').pop()!))).sort()).toEqual(own.map((o) => o.application_id));
	const others = query<{ name: string }>(
		`SELECT DISTINCT e.name FROM assignments s JOIN experts e ON e.id = s.expert_id WHERE s.application_id IN (SELECT application_id FROM assignments WHERE expert_id = ?) AND s.expert_id <> ?`,
		EXPERT,
		EXPERT
	);
	expect(others.length).toBeGreaterThan(0);
	const listText = await expert.locator('main').innerText();
	for (const o of others) expect(listText).not.toContain(o.name);
	await open(expert, `/expert/applications/${own[0].application_id}`);
	const appText = await expert.locator('main').innerText();
	for (const o of others) expect(appText).not.toContain(o.name);

	// Declare a conflict on one application: it leaves the list and the expert sees a confirmation.
	await open(expert, '/expert');
	const declared = own[own.length - 1];
	const taskRow = expert.getByRole('row', { name: literal(declared.name) });
	await taskRow.getByText('申请回避', { exact: true }).click();
	await taskRow.getByLabel('回避情形').selectOption('cooperation');
	await taskRow.getByLabel('具体说明').fill('近三年与该单位有横向合作项目');
	await taskRow.getByRole('button', { name: '提交回避申请' }).click();
	await expect(expert.getByTestId('declared')).toContainText(declared.name);
	await expect(links).toHaveCount(own.length - 1);
	await expect(expert.locator(`a[href="/expert/applications/${declared.application_id}"]`)).toHaveCount(0);
	expect((await expert.goto(`/expert/applications/${declared.application_id}`))?.status()).toBe(404);
	expect(query<{ ground: string; reason: string }>('SELECT ground, reason FROM declarations WHERE expert_id = ?', EXPERT)).toEqual([
		{ ground: 'cooperation', reason: '近三年与该单位有横向合作项目' }
	]);
	await expertContext.close();

	// The office sees the declaration, why, and that the expert must be replaced.
	await open(page, '/office/conflicts?code=DECLARED');
	const conflictRow = page.getByTestId('conflicts').getByRole('row', { name: literal(expertName) });
	await expect(conflictRow).toContainText('近三年内与该单位有合作项目或业务往来');
	await expect(conflictRow).toContainText('近三年与该单位有横向合作项目');
	await expect(conflictRow).toContainText('已分配，须更换');
	expect(
		query<{ action: string }>(`SELECT action FROM audit_log WHERE id > ? AND (action LIKE 'assignment.%' OR action = 'conflict.declare') ORDER BY id`, firstAudit).map(
			(r) => r.action
		)
	).toEqual([
		'assignment.draw',
		'assignment.draw',
		'assignment.draw',
		'assignment.replace',
		'assignment.publish',
		'conflict.declare'
	]);
});

test('the office adds an expert, opens the account with a printed sheet, and imports experts from Excel', async ({ page, browser }) => {
	await login(page, 'office', PASSWORDS.office);
	await open(page, '/office/experts/new');
	await page.getByLabel('姓名 *').fill('孙立平');
	await page.getByLabel('工作单位 *').fill('沈阳理工大学信息科学与工程学院');
	await page.getByLabel('职称').fill('教授');
	await page.getByLabel('集成电路').check();
	await page.getByLabel('地区').selectOption('shenyang');
	await page.getByLabel('电话').fill('2345678');
	await page.getByRole('button', { name: '保存专家' }).click();
	await expect(page.getByText('固定电话应含区号，如 024-23456789')).toBeVisible();
	expect(query('SELECT id FROM experts WHERE name = ?', '孙立平')).toHaveLength(0);
	await page.getByLabel('电话').fill('139 4000 1234');
	await page.getByRole('button', { name: '保存专家' }).click();
	await page.waitForURL(/created=1/);
	const [created] = query<{ id: string; phone: string; occupations: string }>('SELECT id, phone, occupations FROM experts WHERE name = ?', '孙立平');
	expect(created).toMatchObject({ occupations: '["ic"]' });
	// Stored SM4-encrypted, the cleaned number inside.
	expect(created.phone).toMatch(/^sm4:/);
	expect(reveal(created.phone)).toBe('13940001234');

	// Open the account: the sheet shows the username and the initial password once.
	await page.getByRole('link', { name: '为其开通账号并打印账号通知' }).click();
	await page.getByRole('button', { name: '开通账号并打印' }).click();
	const sheet = page.getByTestId('credential-sheet');
	await expect(sheet).toHaveCount(1);
	const username = (await sheet.getByTestId('sheet-username').innerText()).trim();
	const password = (await sheet.getByTestId('sheet-password').innerText()).trim();
	expect(username).toBe(created.id);
	const expertPage = await (await browser.newContext()).newPage();
	await login(expertPage, username, password);
	await expect(expertPage).toHaveURL(/\/account\/password\?first=1/);
	await expertPage.context().close();
	await open(page, `/office/experts/credentials?ids=${created.id}`);
	await expect(page.getByText(`已有账号 ${username}`)).toBeVisible();

	// The Excel template downloads; a file with a bad row is refused with row and column, nothing written.
	const template = await page.request.get('/office/experts/template');
	expect(template.headers()['content-type']).toContain('spreadsheetml');
	const ExcelJS = (await import('exceljs')).default;
	const wb = new ExcelJS.Workbook();
	await wb.xlsx.load((await template.body()) as unknown as ArrayBuffer);
	const ws = wb.getWorksheet('专家名单')!;
	ws.addRow(['', '钱多多', '大连理工大学微电子学院', '教授', '集成电路、人工智能', '大连', '13800001111', 'qdd@dlut.edu.cn']);
	ws.addRow(['', '赵少少', '辽宁大学', '', '化学', '大连', '', '']);
	const bad = Buffer.from(await wb.xlsx.writeBuffer());
	const count = () => query<{ n: number }>('SELECT count(*) AS n FROM experts')[0].n;
	const before = count();
	await open(page, '/office/experts');
	await page.getByText('批量导入专家（Excel 或数据包）').click();
	await page.getByLabel('Excel 文件（.xlsx）').setInputFiles({ name: 'experts.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: bad });
	await page.getByRole('button', { name: '导入 Excel' }).click();
	await expect(page.getByTestId('import-errors')).toContainText('第 3 行「可评审职业」：不认识的职业“化学”');
	expect(count()).toBe(before);
	ws.spliceRows(3, 1);
	const good = Buffer.from(await wb.xlsx.writeBuffer());
	await page.getByLabel('Excel 文件（.xlsx）').setInputFiles({ name: 'experts.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: good });
	await page.getByRole('button', { name: '导入 Excel' }).click();
	await expect(page.getByTestId('import-result')).toContainText('新增 1 人');
	expect(count()).toBe(before + 1);
	expect(query<{ region: string; occupations: string }>('SELECT region, occupations FROM experts WHERE name = ?', '钱多多')).toEqual([{ region: 'dalian', occupations: '["ai","ic"]' }]);
});
