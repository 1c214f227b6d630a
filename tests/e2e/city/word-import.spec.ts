/**
 * Intake by file in the browser. The office downloads the blank intake template and the list
 * export (with the page's filter), imports a bad Excel workbook and reads the error by row and
 * column (nothing written), and imports a Word 97–2003 Annex 2 (.doc). A city user imports a filled
 * Annex 1 (.docx, then the same form as .doc) with unreadable fields, sees them listed and opens
 * the draft; the same form is refused for another city.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { expect, test } from '@playwright/test';
import { PASSWORDS, login, logout, open, query } from '../support';

const FIXTURES = path.resolve('tests/fixtures');
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
/** Fields tests/fixtures/annex1-broken.docx leaves unreadable (tests/fixtures/make-annex.ts BROKEN_UNREAD). */
const BROKEN_UNREAD = ['单位类型', '所属行业', '注册资金（万元）', '单位成立时间', '近三年纳税情况', '年度计划培训人数（人次）'];

const count = (table: string) => query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)[0].n;

async function workbook(buf: Buffer): Promise<ExcelJS.Workbook> {
	const wb = new ExcelJS.Workbook();
	await wb.xlsx.load(buf as unknown as ArrayBuffer);
	return wb;
}

test('office: template, filtered list export, a bad Excel refused by row and column', async ({ page }) => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'word-import-'));
	await login(page, 'office', PASSWORDS.office);
	await open(page, '/office/applications?region=anshan');
	const panel = page.getByRole('region', { name: 'Excel 与 Word' });
	await expect(panel).toBeVisible();

	// The blank template: the sheets of the repeatable sections, a dropdown on 职业, no data.
	const [tpl] = await Promise.all([page.waitForEvent('download'), panel.getByRole('link', { name: '下载空白申报信息采集表' }).click()]);
	expect(tpl.suggestedFilename()).toBe('申报信息采集表（模板）.xlsx');
	const tplFile = path.join(dir, 'template.xlsx');
	await tpl.saveAs(tplFile);
	const blank = await workbook(fs.readFileSync(tplFile));
	expect(blank.worksheets.map((w) => w.name)).toEqual(expect.arrayContaining(['申报信息', '纳税情况', '场地设施', '人员']));
	expect(blank.getWorksheet('申报信息')!.actualRowCount).toBe(1);

	// The export of the list as shown (鞍山 only), named with the date, one row per listed application.
	const shown = Number(/共 (\d+) 项/.exec(await page.getByTestId('intake-counts').innerText())![1]);
	expect(shown).toBeGreaterThan(0);
	const [exp] = await Promise.all([page.waitForEvent('download'), panel.getByTestId('export-list').click()]);
	expect(exp.suggestedFilename()).toMatch(/^申报列表-\d{4}-\d{2}-\d{2}\.xlsx$/);
	const expFile = path.join(dir, 'list.xlsx');
	await exp.saveAs(expFile);
	const list = await workbook(fs.readFileSync(expFile));
	const main = list.getWorksheet('申报信息')!;
	const header = (main.getRow(1).values as ExcelJS.CellValue[]).map(String);
	const regionCol = header.indexOf('地区');
	const regions = new Set<string>();
	main.eachRow((row, n) => {
		if (n > 1) regions.add(String(row.getCell(regionCol).value));
	});
	expect(main.actualRowCount - 1).toBe(shown);
	expect([...regions]).toEqual(['鞍山']);
	expect(query<{ n: number }>("SELECT count(*) AS n FROM audit_log WHERE action = 'application.export-xlsx'")[0].n).toBeGreaterThan(0);
	// A bad filter is a Chinese 400, no file.
	const bad400 = await page.request.get('/office/applications/export?region=beijing');
	expect(bad400.status()).toBe(400);
	expect(await bad400.text()).toContain('筛选条件“地区”无效');

	// A workbook with an unknown occupation on row 2: refused with sheet, row and column; nothing written.
	const ws = blank.getWorksheet('申报信息')!;
	const col = (name: string) => header.indexOf(name);
	ws.getRow(2).getCell(col('申报编号')).value = 'as-bad-1';
	ws.getRow(2).getCell(col('职业')).value = '程序员';
	const bad = Buffer.from(await blank.xlsx.writeBuffer());
	const before = count('applications');
	await panel.getByText('导入 Excel 申报信息采集表或 Word 推荐表').click();
	await panel.getByLabel('申报信息采集表（.xlsx）').setInputFiles({ name: '采集表.xlsx', mimeType: XLSX, buffer: bad });
	await panel.getByRole('button', { name: '导入 Excel' }).click();
	const errors = page.getByTestId('import-errors');
	await expect(errors).toContainText('采集表.xlsx 未导入，没有写入任何数据');
	await expect(errors).toContainText('申报信息 第 2 行「职业」："程序员" 不是可选值');
	expect(count('applications')).toBe(before);

	// The exported list imports back as it is: the same applications, counted.
	await panel.getByLabel('申报信息采集表（.xlsx）').setInputFiles(expFile);
	await panel.getByRole('button', { name: '导入 Excel' }).click();
	await expect(page.getByTestId('excel-result')).toContainText(`申报 ${shown} 项`);
	expect(count('applications')).toBe(before);

	// The office imports a Word Annex 2, saved by Word 97–2003 (.doc), with the region read from the form.
	await panel.getByText('导入 Excel 申报信息采集表或 Word 推荐表').click();
	await panel.getByLabel('推荐表（.docx 或 .doc）').setInputFiles(path.join(FIXTURES, 'annex2-filled.doc'));
	await panel.getByRole('button', { name: '导入 Word' }).click();
	const word = page.getByTestId('word-result');
	await expect(word).toContainText('导入为大连的申报草稿');
	await expect(word).toContainText('所有栏目均已读取');
	await word.getByTestId('draft-link').click();
	await expect(page).toHaveURL(/\/office\/applications\/app-.+-evaluation-iot$/);
	await logout(page);
});

test('city: a Word Annex 1 becomes a draft of its region, unreadable fields listed; another city is refused', async ({ page }) => {
	await login(page, 'city-shenyang', PASSWORDS.city);
	await open(page, '/city');
	const panel = page.getByRole('region', { name: 'Excel 与 Word' });

	const tpl = await page.request.get('/city/template');
	expect(tpl.status()).toBe(200);
	expect(tpl.headers()['content-type']).toContain('spreadsheetml');
	await expect(panel.getByRole('link', { name: /下载 Excel 申报信息采集表/ })).toHaveAttribute('href', '/city/template');

	// Not a Word file: refused by content, whatever the name says.
	await panel.getByLabel(/导入填好的推荐表/).setInputFiles({ name: '推荐表.docx', mimeType: DOCX, buffer: Buffer.from('这不是 Word 文档') });
	await panel.getByRole('button', { name: '导入为本地区草稿' }).click();
	await expect(page.getByTestId('import-errors')).toContainText('不是Word 文档（.docx 或 .doc）');

	const before = count('applications');
	await panel.getByLabel(/导入填好的推荐表/).setInputFiles(path.join(FIXTURES, 'annex1-broken.docx'));
	await panel.getByRole('button', { name: '导入为本地区草稿' }).click();
	const result = page.getByTestId('word-result');
	await expect(result).toContainText('annex1-broken.docx');
	await expect(result).toContainText('导入为沈阳的申报草稿');
	await expect(result).toContainText(`以下 ${BROKEN_UNREAD.length} 项未能读取`);
	const unread = result.getByTestId('unread-fields').locator('li > b');
	await expect(unread).toHaveText(BROKEN_UNREAD);
	await expect(result).toContainText('“壹仟万元”不是数字');
	expect(count('applications')).toBe(before + 1);

	// The same form as Word 97–2003 (.doc): the same draft again, the same fields listed.
	await panel.getByLabel(/导入填好的推荐表/).setInputFiles(path.join(FIXTURES, 'annex1-broken.doc'));
	await panel.getByRole('button', { name: '导入为本地区草稿' }).click();
	await expect(result).not.toContainText('annex1-broken.docx');
	await expect(result).toContainText('annex1-broken.doc');
	await expect(result).toContainText('导入为沈阳的申报草稿');
	await expect(result.getByTestId('unread-fields').locator('li > b')).toHaveText(BROKEN_UNREAD);
	expect(count('applications')).toBe(before + 1);

	await result.getByTestId('draft-link').click();
	await expect(page).toHaveURL(/\/city\/applications\/app-.+-training-ai$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('辽宁智数信息技术有限公司');
	await expect(page.getByText('草稿', { exact: true }).first()).toBeVisible();
	const id = page.url().split('/').pop()!;
	expect(query<{ region: string; status: string }>('SELECT region, status FROM applications WHERE id = ?', id)).toEqual([{ region: 'shenyang', status: 'draft' }]);
	await logout(page);

	// 鞍山 tries the same form: refused, nothing written, nothing about the other region's application disclosed.
	await login(page, 'city-anshan', PASSWORDS.city);
	await open(page, '/city');
	const p2 = page.getByRole('region', { name: 'Excel 与 Word' });
	await p2.getByLabel(/导入填好的推荐表/).setInputFiles(path.join(FIXTURES, 'annex1-broken.docx'));
	await p2.getByRole('button', { name: '导入为本地区草稿' }).click();
	await expect(page.getByTestId('import-errors')).toContainText('不能作为本地区的申报草稿导入');
	await expect(page.getByTestId('import-errors')).not.toContainText('其他地区');
	await expect(page.getByTestId('import-errors')).not.toContainText(id);
	await expect(page.getByTestId('import-errors')).not.toContainText('沈阳');
	expect(count('applications')).toBe(before + 1);
	expect(query<{ region: string }>('SELECT region FROM applications WHERE id = ?', id)).toEqual([{ region: 'shenyang' }]);
});
