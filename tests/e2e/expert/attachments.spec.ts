import { expect, test } from '@playwright/test';
import { PASSWORDS, login, open, query } from '../support';

/** Issue 15, point 3: the materials beside the sheet, previewed inline, read-only, at 1366×768. */
test('the expert previews the registration certificate and the credit report beside the sheet', async ({ page }) => {
	// An expert who signed the commitment, on an application with a PDF and a PNG on file.
	const rows = query<{ expert_id: string; application_id: string }>(
		`SELECT a.expert_id, a.application_id FROM assignments a
		 JOIN commitments c ON c.expert_id = a.expert_id
		 WHERE EXISTS (SELECT 1 FROM attachments t WHERE t.application_id = a.application_id AND t.mime = 'application/pdf')
		 AND EXISTS (SELECT 1 FROM attachments t WHERE t.application_id = a.application_id AND t.mime = 'image/png')
		 AND NOT EXISTS (SELECT 1 FROM declarations d WHERE d.application_id = a.application_id AND d.expert_id = a.expert_id)
		 ORDER BY a.expert_id, a.application_id LIMIT 20`
	);
	let task: { expert_id: string; application_id: string } | undefined;
	for (const r of rows) {
		if (task?.expert_id !== r.expert_id) await login(page, r.expert_id, PASSWORDS.expert);
		task = r;
		// A rule-detected conflict hides an application too: take the first one that opens.
		if ((await open(page, `/expert/applications/${r.application_id}`))?.status() === 200) break;
		task = undefined;
	}
	expect(task, '演示数据中没有带 PDF 和 PNG 附件的评审任务').toBeTruthy();
	const files = query<{ id: string; kind: string; mime: string; filename: string }>('SELECT id, kind, mime, filename FROM attachments WHERE application_id = ? ORDER BY id', task!.application_id);

	await page.getByRole('link', { name: `附件材料（${files.length}）` }).click();
	const section = page.locator('#sec-attachments');
	await expect(section.getByRole('heading', { name: '六、附件材料' })).toBeInViewport();
	const items = section.getByTestId('attachment');
	await expect(items).toHaveCount(files.length);
	await expect(items.filter({ hasText: '法人登记证书复印件' })).toHaveCount(1);
	await expect(items.filter({ hasText: '信用报告' })).toHaveCount(1);

	// The PDF in a frame, the image as a picture (loaded: it has a size), each with a link to open it alone.
	const pdf = files.find((f) => f.kind === 'registration-certificate')!;
	expect(pdf.mime).toBe('application/pdf');
	const png = files.find((f) => f.mime === 'image/png')!;
	await expect(section.locator(`iframe[src^="/attachments/${pdf.id}#"]`)).toBeAttached();
	const img = section.locator(`img[src="/attachments/${png.id}"]`);
	await img.scrollIntoViewIfNeeded();
	await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBeGreaterThan(100);
	await expect(section.getByRole('link', { name: `在新窗口打开 ${pdf.filename}` })).toHaveAttribute('href', `/attachments/${pdf.id}`);
	const res = await page.request.get(`/attachments/${pdf.id}`);
	expect(res.status()).toBe(200);
	expect(res.headers()['content-type']).toBe('application/pdf');

	// Nothing to change on the materials: no upload, no delete.
	await expect(section.locator('input[type=file], form')).toHaveCount(0);

	// The sheet keeps its column beside the previews: no horizontal scroll, its heading and the submit button in view.
	await section.locator(`iframe[src^="/attachments/${pdf.id}#"]`).scrollIntoViewIfNeeded();
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1366);
	await expect(page.getByRole('heading', { name: '评分表' })).toBeInViewport();
	const right = await page.locator('section.right').boundingBox();
	expect(right!.x + right!.width).toBeLessThanOrEqual(1366);
	expect(right!.width).toBeGreaterThan(400);
	await page.waitForTimeout(1500); // the PDF viewer draws the page
	await page.screenshot({ path: 'test-results/expert-attachments-1366.png' });

	// Folding a preview takes its frame away; unfolding brings it back.
	const pdfItem = items.filter({ hasText: pdf.filename });
	// Chromium's PDF viewer may keep the focus it took while drawing, and then swallows a click on the
	// page (in a real browser the reader clicks again): click until the frame goes, each click once
	// the button is still there to be clicked.
	const fold = pdfItem.getByRole('button', { name: '收起预览' });
	const frame = section.locator(`iframe[src^="/attachments/${pdf.id}#"]`);
	await expect(async () => {
		if (await fold.count()) {
			await fold.focus();
			await fold.click();
		}
		await expect(frame).toHaveCount(0, { timeout: 1500 });
	}).toPass({ timeout: 15_000 });
	await pdfItem.getByRole('button', { name: '预览', exact: true }).click();
	await expect(section.locator(`iframe[src^="/attachments/${pdf.id}#"]`)).toHaveCount(1);
});
