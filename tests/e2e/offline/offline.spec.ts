import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { expect, test, type Page } from '@playwright/test';
import ExcelJS from 'exceljs';
import { PASSWORDS, login, open, query } from '../support';

/** A committed expert with at least one assigned application not started yet (lowest ids: the scoring journeys take the highest). */
function expertWithFreshTask(): string {
	const [row] = query<{ expert_id: string }>(
		`SELECT a.expert_id FROM assignments a JOIN commitments c ON c.expert_id = a.expert_id
		 WHERE NOT EXISTS (SELECT 1 FROM score_sheets s WHERE s.application_id = a.application_id AND s.expert_id = a.expert_id)
		 AND NOT EXISTS (SELECT 1 FROM declarations d WHERE d.application_id = a.application_id AND d.expert_id = a.expert_id)
		 ORDER BY a.expert_id, a.application_id LIMIT 1`
	);
	return row.expert_id;
}

function stored(applicationId: string, expertId: string) {
	return query<{ criterion_id: string; points: number; comment: string | null; status: string }>(
		`SELECT p.criterion_id, p.points, p.comment, s.status FROM score_sheets s JOIN sheet_points p ON p.sheet_id = s.id
		 WHERE s.application_id = ? AND s.expert_id = ? ORDER BY p.position`,
		applicationId,
		expertId
	);
}

/** Downloads the offline workbook from the expert home and opens it with exceljs. */
async function downloadWorkbook(page: Page, dir: string) {
	await open(page, '/expert');
	const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '下载离线评分表（Excel）' }).click()]);
	expect(download.suggestedFilename()).toMatch(/^离线评分表-.+\.xlsx$/);
	const file = path.join(dir, 'downloaded.xlsx');
	await download.saveAs(file);
	const wb = new ExcelJS.Workbook();
	await wb.xlsx.readFile(file);
	const fresh = wb.worksheets.find((w) => w.getCell('G1').value === 'dte-offline-sheet/1' && w.getCell('G4').value === 'not-started');
	expect(fresh, 'a worksheet of an application not started yet').toBeTruthy();
	return { wb, ws: fresh!, applicationId: String(fresh!.getCell('G2').value) };
}

test('an expert scores offline in Excel, uploads, checks the preview, applies, and finds the points on the scoring page', async ({ page }) => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'offline-'));
	const expertId = expertWithFreshTask();
	await login(page, expertId, PASSWORDS.expert);
	const { wb, ws, applicationId } = await downloadWorkbook(page, dir);
	expect(ws.getCell('B2').value).toBe(applicationId);
	expect(ws.getCell('A5').value).toBe('qualification');

	// Filled in Excel: seven points (C5…C11), one criterion comment, the overall opinion.
	const points = [8.5, 12, 16.5, 12, 11, 7.5, 12.5]; // 80
	points.forEach((p, i) => (ws.getCell(`C${5 + i}`).value = p));
	ws.getCell('E7').value = '近三年培训规模稳定';
	ws.getCell('C13').value = '离线评审意见：基本符合条件';
	const filled = path.join(dir, 'filled.xlsx');
	await wb.xlsx.writeFile(filled);

	await open(page, '/expert/offline');
	await page.getByLabel('离线评分表（.xlsx）').setInputFiles(filled);
	await page.getByRole('button', { name: '上传并预览' }).click();
	const item = page.getByTestId(`preview-${applicationId}`);
	await expect(item).toBeVisible();
	await expect(item).toContainText('将保存为草稿');
	await expect(item).toContainText('合计 0 → 80');
	await expect(item.locator('td.new').first()).toHaveText('8.5');
	await expect(item).toContainText('近三年培训规模稳定');
	await expect(item).toContainText('离线评审意见：基本符合条件');
	expect(stored(applicationId, expertId)).toHaveLength(0); // the preview writes nothing

	await page.getByRole('button', { name: '确认保存为草稿' }).click();
	await expect(page.getByTestId('offline-applied')).toContainText(applicationId);
	const rows = stored(applicationId, expertId);
	expect(rows.map((r) => r.points)).toEqual(points);
	expect(rows.every((r) => r.status === 'draft')).toBe(true);
	expect(rows.find((r) => r.criterion_id === 'scale')?.comment).toBe('近三年培训规模稳定');

	await page.getByTestId('offline-applied').getByRole('link', { name: applicationId }).click();
	await expect(page).toHaveURL(new RegExp(`/expert/applications/${applicationId}$`));
	await expect(page.locator('body[data-hydrated="1"]')).toBeAttached();
	const inputs = page.locator('input.points');
	await expect(inputs).toHaveCount(7);
	for (let i = 0; i < points.length; i++) await expect(inputs.nth(i)).toHaveValue(String(points[i]));
	await expect(page.getByTestId('sheet-total')).toContainText('80');
	await expect(page.locator('#comment')).toHaveValue('离线评审意见：基本符合条件');
});

test('an upload with a bad value names the cell and saves nothing', async ({ page }) => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'offline-'));
	const expertId = expertWithFreshTask();
	await login(page, expertId, PASSWORDS.expert);
	const { wb, ws, applicationId } = await downloadWorkbook(page, dir);
	ws.getCell('C5').value = 5;
	ws.getCell('C7').value = 25; // the third criterion is out of 20
	const bad = path.join(dir, 'bad.xlsx');
	await wb.xlsx.writeFile(bad);
	await open(page, '/expert/offline');
	await page.getByLabel('离线评分表（.xlsx）').setInputFiles(bad);
	await page.getByRole('button', { name: '上传并预览' }).click();
	await expect(page.getByTestId('offline-problems')).toContainText(`工作表「${ws.name}」 C7：超过满分 20 分`);
	await expect(page.getByRole('button', { name: '确认保存为草稿' })).toHaveCount(0);
	expect(stored(applicationId, expertId)).toHaveLength(0);

	// Not a workbook at all, whatever the name says.
	const fake = path.join(dir, 'fake.xlsx');
	fs.writeFileSync(fake, '得分\n8\n');
	await page.getByLabel('离线评分表（.xlsx）').setInputFiles(fake);
	await page.getByRole('button', { name: '上传并预览' }).click();
	await expect(page.getByTestId('offline-problems')).toContainText('上传的文件不是 Excel 工作簿（.xlsx）');
});

/** A Python 3 with openpyxl (Debian's python3-openpyxl; scripts/test.sh installs it). */
const PYTHON = ['python3', '/usr/bin/python3'].find((py) => {
	try {
		execFileSync(py, ['-c', 'import openpyxl'], { stdio: 'ignore' });
		return true;
	} catch {
		return false;
	}
});

test('an offline form filled and saved by another program (openpyxl) previews; a damaged one gets a Chinese sentence', async ({ page }) => {
	test.skip(!PYTHON, 'openpyxl 不可用（apt-get install -y python3-openpyxl）');
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'offline-'));
	const expertId = expertWithFreshTask();
	await login(page, expertId, PASSWORDS.expert);
	const { ws } = await downloadWorkbook(page, dir);
	const downloaded = path.join(dir, 'downloaded.xlsx');
	const resaved = path.join(dir, '另存.xlsx');
	const fill = [`ws = wb[${JSON.stringify(ws.name)}]`, 'for i, p in enumerate([8.5, 12, 16.5, 12, 11, 7.5, 12.5]):', '    ws.cell(row=5 + i, column=3).value = p'];
	const script = ['import sys, openpyxl', 'wb = openpyxl.load_workbook(sys.argv[1])', ...fill, 'wb.save(sys.argv[2])'].join('\n');
	execFileSync(PYTHON!, ['-c', script, downloaded, resaved]);

	await open(page, '/expert/offline');
	await page.getByLabel('离线评分表（.xlsx）').setInputFiles(resaved);
	await page.getByRole('button', { name: '上传并预览' }).click();
	await expect(page.getByRole('button', { name: '确认保存为草稿' })).toBeVisible();
	await expect(page.getByTestId('offline-problems')).toHaveCount(0);

	// The same file cut in half: one Chinese sentence that names it and says what to do, no JS error text.
	const damaged = path.join(dir, '损坏.xlsx');
	const bytes = fs.readFileSync(resaved);
	fs.writeFileSync(damaged, bytes.subarray(0, Math.floor(bytes.length / 2)));
	await open(page, '/expert/offline');
	await page.getByLabel('离线评分表（.xlsx）').setInputFiles(damaged);
	await page.getByRole('button', { name: '上传并预览' }).click();
	const problems = page.getByTestId('offline-problems');
	await expect(problems).toContainText('无法读取“损坏.xlsx”：文件已损坏或不是 Excel 工作簿（.xlsx）。请用 Excel 或 WPS 重新另存为 .xlsx 后再上传。');
	await expect(problems).not.toContainText(/Error|undefined|Cannot/);
	await page.screenshot({ path: path.join('test-results', 'offline-damaged-workbook.png') });
});
