/**
 * Intake as a new city user would do it: fill a complete Annex 1 form in the browser, attach the
 * materials, submit; hit the quota on the third training application of one 鞍山 occupation and on
 * the sixth of one 沈阳 occupation; the office then sees the application with its findings.
 */
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { PASSWORDS, login, logout, open, query } from '../support';
import { usccCheckChar } from '../../../src/lib/domain/identifiers';

const FILES = path.resolve('tests/fixtures/files');
const OCCUPATION_LABELS: Record<string, string> = {
	ai: '人工智能工程技术人员',
	iot: '物联网工程技术人员',
	bigdata: '大数据工程技术人员',
	cloud: '云计算工程技术人员',
	'smart-manufacturing': '智能制造工程技术人员',
	'industrial-internet': '工业互联网工程技术人员',
	vr: '虚拟现实工程技术人员',
	blockchain: '区块链工程技术人员',
	ic: '集成电路工程技术人员',
	'digital-management': '数字化管理师'
};

/** A valid unified social credit code of a 民办非企业单位 (52…) in the given division. */
function uscc(division: string, n: number): string {
	const first17 = `52${division}MJ${String(n).padStart(7, '0')}`;
	return first17 + usccCheckChar(first17);
}

/** The training occupation of a region whose cell has the most recommended applications below the quota. */
function fullestCell(region: string, quota: number): { occupation: string; used: number } {
	const rows = query<{ occupation: string; n: number }>(
		`SELECT occupation, count(*) AS n FROM applications WHERE region = ? AND type = 'training' AND status IN ('submitted', 'accepted')
		   AND batch_id = (SELECT id FROM batches WHERE archived_at IS NULL ORDER BY created_at DESC LIMIT 1)
		 GROUP BY occupation HAVING n < ? ORDER BY n DESC, occupation LIMIT 1`,
		region,
		quota
	);
	return rows[0] ? { occupation: rows[0].occupation, used: rows[0].n } : { occupation: 'vr', used: 0 };
}

/** Fills every field of Annex 1 through the labels a user reads. */
async function fillTraining(page: Page, o: { occupation: string; name: string; uscc: string; division: string; address: string }) {
	await page.getByLabel('拟申报开展培训的职业（仅填一项）').selectOption(o.occupation);
	await page.getByRole('checkbox', { name: '初级' }).check();
	await page.getByRole('checkbox', { name: '中级' }).check();

	await page.getByLabel('单位名称（盖章）').fill(o.name);
	await page.getByLabel('统一社会信用代码', { exact: true }).fill(o.uscc);
	await page.getByLabel('法定代表人 姓名').fill('王立军');
	await page.getByLabel('法定代表人 身份证号').fill('210302198001011233');
	await page.getByLabel('单位地址').fill(o.address);
	await page.getByLabel('单位类型').selectOption({ label: '民办非企业单位' });
	await page.getByLabel('行业门类').selectOption('P');
	await page.getByLabel('行业大类（可选）').selectOption('83');
	await page.getByLabel('注册资金（万元）').fill('300');
	await page.getByLabel('正式员工数').fill('46');
	await page.getByLabel('单位成立时间').fill('2011-09-01');

	const taxes = page.getByRole('table', { name: '近三年纳税情况' }).locator('tbody tr');
	for (let i = 0; i < 3; i++) {
		await taxes.nth(i).getByLabel('税额（万元）').fill(String(10 + i * 2.5));
		await taxes.nth(i).getByLabel('是否有失信行为').selectOption({ label: '否' });
	}
	for (const base of ['国家级专业技术人员继续教育基地', '行业专业技术人员继续教育基地', '省级专业技术人员继续教育基地', '申报职业的国家职业标准开发单位']) {
		await page.getByRole('radiogroup', { name: base }).getByLabel('否').check();
	}
	const lead = page.getByRole('group', { name: '申报负责人' });
	await lead.getByLabel('姓名').fill('刘晓东');
	await lead.getByLabel('电话').fill('13904120001');
	await lead.getByLabel('职务').fill('校长');
	await lead.getByLabel('邮箱').fill('liuxd@example.com');
	const contact = page.getByRole('group', { name: '申报联系人' });
	await contact.getByLabel('姓名').fill('陈静');
	await contact.getByLabel('电话').fill('0412-5678901');
	await contact.getByLabel('职务').fill('培训部主任');
	await contact.getByLabel('邮箱').fill('chenjing@example.com');
	await page.getByLabel('单位基本情况', { exact: true }).fill('本校成立于2011年，是经人社部门批准的民办职业培训学校，\n开设人工智能、工业互联网等数字技术培训课程。');

	const years = page.getByRole('table', { name: '近5年培训规模（人次）' }).locator('tbody tr');
	for (let i = 0; i < 5; i++) {
		await years.nth(i).getByLabel('培训人数', { exact: true }).fill(String(2100 + i * 100));
		await years.nth(i).getByLabel('独立培训人数').fill(String(1600 + i * 100));
		await years.nth(i).getByLabel('合作培训人数').fill('500');
	}
	const venue = page.getByRole('table', { name: '自有场地及设施设备情况' }).locator('tbody tr').first();
	await venue.getByLabel('场地地址').fill(o.address);
	await venue.getByLabel('场地面积').fill('1500');
	await venue.getByLabel('容纳人数').fill('320');
	await venue.getByLabel('设施设备台套').fill('180');
	await venue.getByLabel('设施设备总值').fill('460');
	await page.getByLabel('信息化平台建设情况').fill('自建线上学习平台，支持直播、录播与在线考试。');
	await page.getByLabel('师资团队总人数').fill('28');
	await page.getByLabel('专职师资队伍人数').fill('18');
	await page.getByLabel('兼职师资队伍人数').fill('10');
	const teacher = page.getByRole('table', { name: '培训教师' }).locator('tbody tr').first();
	await teacher.getByLabel('培训教师姓名').fill('孙志刚');
	await teacher.getByLabel('工作单位').fill('辽宁科技大学计算机与软件工程学院');
	await teacher.getByLabel('专业技术职务/职称').fill('副教授');
	await teacher.getByLabel('专业', { exact: true }).fill('计算机科学与技术');
	await teacher.getByLabel('人员性质').selectOption({ label: '兼职师资' });
	await teacher.getByLabel('联系电话').fill('13704120002');
	// The second printed row stays empty: empty rows are dropped.
	await page.getByLabel('已有培训情况简述').fill('近五年累计培训一万余人次，课程覆盖初中级。');
	await page.getByLabel('师资团队建设机制简述').fill('专兼结合，定期开展师资培训与考核。');
	await page.getByLabel('年度计划培训人数（人次） 初级').fill('800');
	await page.getByLabel('年度计划培训人数（人次） 中级').fill('500');
	await page.getByLabel('培训费用（元/学时） 初级').fill('30');
	await page.getByLabel('培训费用（元/学时） 中级').fill('40');
	await page.getByLabel('下步培训工作规划').fill('扩大中级培训规模，建设实训基地。');
	await page.getByLabel(/^推荐理由/).fill('该校办学规范，培训规模和师资满足要求，经审核同意推荐。');
}

/** Uploads the three required materials on the page of a saved draft. */
async function attachMaterials(page: Page) {
	for (const [kind, file] of [
		['法人登记证书复印件', 'tiny.pdf'],
		['信用报告', 'tiny.png'],
		['推荐函', 'tiny.pdf']
	]) {
		const row = page.locator('#sec-attachments tbody tr').filter({ has: page.getByLabel(`选择${kind}文件`) });
		await row.getByLabel(`选择${kind}文件`).setInputFiles(path.join(FILES, file));
		await row.getByRole('button', { name: '上传' }).click();
		await expect(row.getByRole('link', { name: file })).toBeVisible();
	}
}

/** New training application, filled, saved, materials attached: returns its id. */
async function draftWithMaterials(page: Page, o: Parameters<typeof fillTraining>[1]): Promise<string> {
	await open(page, '/city/applications/new?type=training');
	await fillTraining(page, o);
	await page.getByRole('button', { name: '保存草稿' }).click();
	await page.waitForURL(/\/city\/applications\/app-[0-9a-f]+\?created=1/, { timeout: 15_000 });
	await page.locator('body[data-hydrated="1"]').waitFor({ state: 'attached' });
	await expect(page.getByRole('status')).toContainText('已保存为草稿');
	await attachMaterials(page);
	return new URL(page.url()).pathname.split('/').pop()!;
}

async function submit(page: Page) {
	await page.getByRole('region', { name: '保存与提交' }).getByRole('button', { name: '保存并提交推荐' }).click();
}

test.describe.configure({ timeout: 240_000 });
// Submitting a recommendation asks for a confirmation (issue 15, item 10): these journeys confirm.
test.beforeEach(({ page }) => {
	page.on('dialog', (d) => void d.accept());
});

test('鞍山: a complete Annex 1 with materials is recommended; the third in one occupation hits the quota; the office sees it with its findings', async ({ page }) => {
	const cell = fullestCell('anshan', 2);
	const occupation = OCCUPATION_LABELS[cell.occupation];
	await login(page, 'city-anshan', PASSWORDS.city);

	// A new user starts on the region's page and opens a new training form.
	await page.getByRole('link', { name: '新建培训机构申报' }).click();
	await page.locator('body[data-hydrated="1"]').waitFor({ state: 'attached' });
	await expect(page.getByRole('heading', { name: /附件1 数字技术工程师培育项目培训机构推荐表/ })).toBeVisible();

	// Checks as one types: the credit code, the ID number, the counters, the computed totals.
	const code = page.getByLabel('统一社会信用代码', { exact: true });
	await code.fill(uscc('210300', 1).slice(0, 17) + 'I');
	await expect(page.getByText('「统一社会信用代码」含有不允许的字符')).toBeVisible();
	await code.fill(uscc('210300', 1));
	await expect(page.getByText('✓ 校验通过（GB 32100—2015）')).toBeVisible();
	await page.getByLabel('法定代表人 身份证号').fill('210302198001011234');
	await expect(page.getByText('「法定代表人身份证号」校验码不正确')).toBeVisible();
	await page.getByLabel('信息化平台建设情况').fill('平 台'.repeat(101));
	await expect(page.getByTestId('count-platform')).toHaveText('202 / 300 字');
	await page.getByLabel('信息化平台建设情况').fill('台'.repeat(301));
	await expect(page.getByTestId('count-platform')).toHaveText('301 / 300 字');
	await expect(page.getByText('超出 1 字（不计空格和换行），提交前请删减')).toBeVisible();

	// A draft needs only the occupation and the name; a malformed number is refused with the field named.
	await fillTraining(page, { occupation: cell.occupation, name: '鞍山市数智未来职业培训学校', uscc: uscc('210300', 1), division: '210300', address: '鞍山市铁东区二一九路 18 号' });
	await expect(page.getByTestId('training-total')).toHaveText('11,500');
	await expect(page.getByTestId('independent-total')).toHaveText('9,000');
	await expect(page.getByTestId('training-check-0')).toHaveText('2,100 ✓');
	await expect(page.getByTestId('team-sum')).toContainText('✓ 与总人数一致');
	await page.getByLabel('正式员工数').fill('四十六');
	await expect(page.getByText('「正式员工数」应为不小于 0 的整数')).toBeVisible();
	await page.getByLabel('正式员工数').fill('46');
	// Saved as a draft with two things still wrong: a wrong check digit and a text over its limit.
	await page.getByLabel('法定代表人 身份证号').fill('210302198001011234');
	await page.getByLabel('信息化平台建设情况').fill('台'.repeat(301));
	await page.getByRole('button', { name: '保存草稿' }).click();
	await page.waitForURL(/\?created=1/);
	await page.locator('body[data-hydrated="1"]').waitFor({ state: 'attached' });
	const id = new URL(page.url()).pathname.split('/').pop()!;
	expect(query<{ status: string; region: string }>('SELECT status, region FROM applications WHERE id = ?', id)[0]).toEqual({ status: 'draft', region: 'anshan' });

	// The ID number comes back masked only.
	await expect(page.getByLabel('法定代表人 身份证号')).toHaveValue('');
	await expect(page.getByLabel('法定代表人 身份证号')).toHaveAttribute('placeholder', /210302\*{8}1234/);

	// Submitting now is refused: the platform text is too long and the materials are missing.
	await submit(page);
	await expect(page.getByTestId('form-message')).toHaveText(/还有 \d+ 项未填写完整，不能提交推荐/);
	await expect(page.locator('#f-platform-err')).toHaveText('「信息化平台建设情况」301 字，超过 300 字的限制');
	await page.getByLabel('信息化平台建设情况').fill('自建线上学习平台，支持直播、录播与在线考试。');
	await page.getByLabel('法定代表人 身份证号').fill('210302198001011233');
	await page.getByRole('button', { name: '保存草稿' }).click();
	await expect(page.getByRole('status').filter({ hasText: '已保存草稿（第 2 版）' })).toBeVisible();

	// Materials: a text file renamed .pdf is refused by its content; real PDF and PNG files are kept.
	const cert = page.locator('#sec-attachments tbody tr').filter({ has: page.getByLabel('选择法人登记证书复印件文件') });
	await cert.getByLabel('选择法人登记证书复印件文件').setInputFiles(path.join(FILES, 'fake.pdf'));
	await cert.getByRole('button', { name: '上传' }).click();
	await expect(cert.getByText('「fake.pdf」不是 PDF、JPEG 或 PNG 文件（按文件内容判断，与扩展名无关）')).toBeVisible();
	await attachMaterials(page);
	const [att] = query<{ id: string; sha256: string; mime: string }>(`SELECT id, sha256, mime FROM attachments WHERE application_id = ? AND kind = 'registration-certificate'`, id);
	expect(att.mime).toBe('application/pdf');
	// Previewed in the browser: inline, with a safe type.
	const res = await page.request.get(`/attachments/${att.id}`);
	expect(res.status()).toBe(200);
	expect(res.headers()['content-type']).toBe('application/pdf');
	expect(res.headers()['content-disposition']).toMatch(/^inline; filename=/);
	expect(res.headers()['x-content-type-options']).toBe('nosniff');
	await cert.getByRole('button', { name: '预览' }).click();
	await expect(cert.locator('iframe')).toHaveAttribute('src', `/attachments/${att.id}`);

	// Complete now: recommended, and read-only to the city.
	await expect(page.getByText('✓ 已填写完整，附件材料齐全。')).toBeVisible();
	await submit(page);
	await page.waitForURL(/\?submitted=1/);
	await expect(page.getByText('已提交推荐，省厅人才开发处将进行形式审查。')).toBeVisible();
	await expect(page.getByRole('button', { name: '保存草稿' })).toHaveCount(0);
	expect(query<{ status: string; recommendation_unit: string }>('SELECT status, recommendation_unit FROM applications WHERE id = ?', id)[0]).toEqual({
		status: 'submitted',
		recommendation_unit: '鞍山市人力资源和社会保障局'
	});

	// Fill the cell up to its quota of 2, then the next one is refused with the cell and its limit.
	for (let k = 1; k < 2 - cell.used; k++) {
		await draftWithMaterials(page, { occupation: cell.occupation, name: `鞍山市补位培训中心${k}`, uscc: uscc('210300', 10 + k), division: '210300', address: '鞍山市立山区' });
		await submit(page);
		await page.waitForURL(/\?submitted=1/);
	}
	const third = await draftWithMaterials(page, { occupation: cell.occupation, name: '鞍山市第三家培训学校', uscc: uscc('210300', 30), division: '210300', address: '鞍山市铁西区' });
	await submit(page);
	const message = `鞍山 · ${occupation} · 培训机构 已推荐 2 家，名额 2 家，不能再推荐`;
	await expect(page.getByTestId('form-message')).toHaveText(message);
	await expect(page.locator('#f-occupation-err')).toHaveText(message);
	expect(query<{ status: string }>('SELECT status FROM applications WHERE id = ?', third)[0].status).toBe('draft');
	// A closed evaluation occupation cannot even be chosen.
	await open(page, '/city/applications/new?type=evaluation');
	await expect(page.getByRole('option', { name: /区块链工程技术人员（本批次不受理评价机构）/ })).toBeDisabled();
	await logout(page);

	// The office sees the application in its intake table with its findings, and opens it.
	await login(page, 'office', PASSWORDS.office);
	await open(page, `/office/applications?region=anshan&occupation=${cell.occupation}&type=training`);
	const row = page.getByRole('row').filter({ hasText: '鞍山市数智未来职业培训学校' });
	await expect(row).toBeVisible();
	await expect(row.getByText('逾期推荐').first()).toBeVisible();
	await row.getByRole('link', { name: '鞍山市数智未来职业培训学校' }).click();
	await expect(page.getByRole('heading', { name: '形式审查' })).toBeVisible();
	// Findings read in Chinese; the code stays in a tooltip.
	await expect(page.getByTestId('findings')).toContainText('逾期推荐');
	await expect(page.getByTestId('findings')).not.toContainText('LATE_SUBMISSION');
	await expect(page.getByTestId('findings').locator('[title="LATE_SUBMISSION"]').first()).toBeVisible();
	await expect(page.getByRole('link', { name: 'tiny.png' })).toBeVisible();
	// The office sees the full ID number.
	await expect(page.getByText('210302198001011233', { exact: true })).toBeVisible();
	// Filtering by a finding code.
	await open(page, '/office/applications?finding=QUOTA_EXCEEDED');
	await expect(page.getByRole('row').filter({ hasText: '鞍山市数智未来职业培训学校' })).toHaveCount(0);
	await expect(page.locator('tbody tr').first().getByText('超出推荐名额').first()).toBeVisible();

	// Returned with a reason, the city can edit it again and sees why.
	await open(page, `/office/applications/${id}`);
	await page.getByRole('button', { name: '退回市局' }).click();
	await expect(page.getByRole('alert')).toHaveText('请填写退回理由');
	await page.getByLabel('退回市局的理由（必填，市局可见）').fill('请补充培训教师的职称证明');
	await page.getByRole('button', { name: '退回市局' }).click();
	await expect(page.getByRole('status')).toHaveText('已退回市局，市局修改后可重新提交');
	await logout(page);
	await login(page, 'city-anshan', PASSWORDS.city);
	await open(page, `/city/applications/${id}`);
	await expect(page.getByText('省厅已退回：请补充培训教师的职称证明')).toBeVisible();
	await expect(page.getByRole('button', { name: '保存草稿' })).toBeVisible();
});

test('沈阳: the sixth training application of one occupation is refused (quota 5)', async ({ page }) => {
	const cell = fullestCell('shenyang', 5);
	await login(page, 'city-shenyang', PASSWORDS.city);
	for (let k = cell.used; k < 5; k++) {
		await draftWithMaterials(page, { occupation: cell.occupation, name: `沈阳市数字技能培训学校${k}`, uscc: uscc('210100', 100 + k), division: '210100', address: '沈阳市和平区' });
		await submit(page);
		await page.waitForURL(/\?submitted=1/);
	}
	await draftWithMaterials(page, { occupation: cell.occupation, name: '沈阳市第六家培训学校', uscc: uscc('210100', 200), division: '210100', address: '沈阳市皇姑区' });
	await submit(page);
	await expect(page.getByTestId('form-message')).toHaveText(`沈阳 · ${OCCUPATION_LABELS[cell.occupation]} · 培训机构 已推荐 5 家，名额 5 家，不能再推荐`);
	// Another region's city cannot open it, nor its files.
	const id = new URL(page.url()).pathname.split('/').pop()!;
	const [att] = query<{ id: string }>('SELECT id FROM attachments WHERE application_id = ? LIMIT 1', id);
	await logout(page);
	await login(page, 'city-anshan', PASSWORDS.city);
	expect((await page.goto(`/city/applications/${id}`))?.status()).toBe(404);
	expect((await page.request.get(`/attachments/${att.id}`)).status()).toBe(404);
});
