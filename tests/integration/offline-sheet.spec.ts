/**
 * The offline score form: the workbook written for an expert, filled with exceljs the way an
 * expert would, read back into a preview, and applied as drafts; bad cells named; nothing
 * written on any error; conflicts and submitted sheets never overwritten silently.
 */
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { sql } from 'drizzle-orm';
import * as s from '../../src/lib/server/db/schema';
import type { Db } from '../../src/lib/server/db';
import { buildOfflineWorkbook, worksheetName, OFFLINE_MARKER } from '../../src/lib/server/export/offline-sheet';
import {
	OfflineImportError,
	applyOfflinePlan,
	previewOfflineWorkbook,
	readPointsCell,
	xlsxContentProblem
} from '../../src/lib/server/import/offline-sheet';
import { getSheet, saveSheet } from '../../src/lib/server/services/scoring';
import { actorFor, auditActions, scoringDb } from './scoring-fixture';
import { requireScope } from '../../src/lib/server/scope';

const EXP = 'exp-1';
const NOW = new Date('2023-07-01T02:00:00.000Z');

async function download(db: Db, expertId = EXP) {
	const out = await buildOfflineWorkbook(requireScope(db), expertId, { now: NOW });
	const wb = new ExcelJS.Workbook();
	await wb.xlsx.load(out.buffer as unknown as ArrayBuffer);
	return { ...out, wb };
}

async function bytes(wb: ExcelJS.Workbook): Promise<Buffer> {
	return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Fills the points column (C5…) of one worksheet, in criterion order; undefined leaves a cell as is. */
function fill(wb: ExcelJS.Workbook, sheet: string, points: (number | string | null | undefined)[], comments: Record<number, string> = {}, overall?: string) {
	const ws = wb.getWorksheet(sheet)!;
	points.forEach((p, i) => {
		if (p !== undefined) ws.getCell(`C${5 + i}`).value = p;
	});
	for (const [i, c] of Object.entries(comments)) ws.getCell(`E${5 + Number(i)}`).value = c;
	if (overall !== undefined) ws.getCell('C13').value = overall;
}

function sheetCount(db: Db) {
	return db.select({ n: sql<number>`count(*)` }).from(s.sheets).get()!.n;
}

describe('the offline workbook', () => {
	it('has a guide, one protected sheet per published, non-recused task, validation, hidden ids and one formula', async () => {
		const db = scoringDb();
		saveSheet(db, 'app-2', EXP, { version: 0, points: { scale: 15.5 }, comments: { scale: '规模较大' }, comment: '总体良好' }, actorFor(EXP));
		const { wb, filename, sheets } = await download(db);
		expect(filename).toBe('离线评分表-exp-1-20230701.xlsx');
		expect(sheets).toBe(3);
		// app-4 is not assigned to exp-1; app-5 is recused (declared conflict).
		expect(wb.worksheets.map((w) => [w.name, w.state])).toEqual([
			['填写说明', 'visible'],
			['app-2', 'visible'], // in the order of the expert's home: occupation, then institution name
			['app-1', 'visible'],
			['app-3', 'visible'],
			['_meta', 'veryHidden']
		]);
		const ws = wb.getWorksheet('app-2')!;
		expect(ws.getCell('B2').value).toBe('app-2');
		expect(ws.getCell('D2').value).toBe('大连丙丁数据服务有限公司');
		expect(ws.getCell('B3').value).toBe('人工智能工程技术人员 · 培训机构');
		expect(['A4', 'B4', 'C4', 'D4', 'E4', 'F4'].map((r) => ws.getCell(r).value)).toEqual(['编号', '评分项', '得分', '满分', '本项评语（可选）', '评分要点']);
		expect(ws.getCell('A7').value).toBe('scale');
		expect(ws.getCell('B7').value).toBe('培训规模与经验');
		expect(ws.getCell('C7').value).toBe(15.5);
		expect(ws.getCell('D7').value).toBe(20);
		expect(ws.getCell('E7').value).toBe('规模较大');
		expect(String(ws.getCell('F7').value)).toContain('近5年培训规模');
		expect(ws.getCell('C13').value).toBe('总体良好');
		// Validation: a decimal between 0 and the maximum, with the 0.5 step in the prompt.
		expect(ws.getCell('C7').dataValidation).toMatchObject({ type: 'decimal', operator: 'between', formulae: [0, 20], allowBlank: true });
		expect(ws.getCell('C7').dataValidation.prompt).toContain('0.5 分一档');
		// Hidden machine-readable ids.
		expect(ws.getColumn('G').hidden).toBe(true);
		expect(['G1', 'G2', 'G3', 'G4', 'G5'].map((r) => ws.getCell(r).value)).toEqual([OFFLINE_MARKER, 'app-2', 1, 'draft', 'rub-training']);
		expect(wb.getWorksheet('app-1')!.getCell('G3').value).toBe(0);
		expect(wb.getWorksheet('app-1')!.getCell('G4').value).toBe('not-started');
		expect(wb.getWorksheet('_meta')!.getCell('A2').value).toBe(EXP);
		// Only the points, comment and opinion cells are unlocked.
		expect(ws.getCell('C7').protection?.locked).toBe(false);
		expect(ws.getCell('E7').protection?.locked).toBe(false);
		expect(ws.getCell('C13').protection?.locked).toBe(false);
		expect(ws.getCell('B7').protection?.locked).not.toBe(false);
		// The total is the only formula of the workbook.
		const formulas: string[] = [];
		for (const w of wb.worksheets) w.eachRow((row) => row.eachCell((c) => void (c.formula ? formulas.push(`${w.name}!${c.address}=${c.formula}`) : null)));
		expect(formulas).toEqual(['app-2!C12=SUM(C5:C11)', 'app-1!C12=SUM(C5:C11)', 'app-3!C12=SUM(C5:C11)']);
		// Sheet protection is on (no password: it guards against slips, not people).
		const zip = await JSZip.loadAsync(await bytes(wb));
		const xml = await zip.file('xl/worksheets/sheet3.xml')!.async('string');
		expect(xml).toMatch(/<sheetProtection [^>]*sheet="1"/);
		expect(xml).not.toMatch(/hashValue/);
	});

	it('keeps a hostile institution name as text', async () => {
		const db = scoringDb();
		const { wb } = await download(db, 'exp-2');
		const ws = wb.getWorksheet('app-4')!;
		expect(ws.getCell('D2').value).toBe(`'=HYPERLINK("http://x","y")`);
		expect(ws.getCell('D2').formula).toBeUndefined();
	});

	it('names worksheets Excel accepts', () => {
		const taken = new Set<string>();
		expect(worksheetName('app-1', taken)).toBe('app-1');
		expect(worksheetName('APP-1', taken)).toBe('APP-1~2');
		expect(worksheetName('a:b/c', taken)).toBe('a_b_c');
		expect(worksheetName('x'.repeat(40), taken)).toHaveLength(31);
	});
});

describe('upload: round trip', () => {
	it('previews exactly what changes and saves drafts through the version check', async () => {
		const db = scoringDb();
		saveSheet(db, 'app-2', EXP, { version: 0, points: { scale: 15.5 }, comments: { scale: '规模较大' }, comment: '' }, actorFor(EXP));
		const { wb } = await download(db);
		fill(wb, 'app-1', [8, 12.5, '16', 12, 11, 7.5, 13], { 1: '国家级继续教育基地' }, '材料完整，建议推荐');
		fill(wb, 'app-2', [undefined, undefined, 17]); // scale 15.5 → 17, the comment stays
		const preview = await previewOfflineWorkbook(requireScope(db), EXP, await bytes(wb));
		expect(preview.problems).toEqual([]);
		expect(preview.items.map((i) => [i.applicationId, i.kind])).toEqual([
			['app-2', 'change'],
			['app-1', 'change'],
			['app-3', 'unchanged']
		]);
		const one = preview.items[1];
		expect(one.changes).toHaveLength(7);
		expect(one.changes[1]).toEqual({
			criterionId: 'standing',
			name: '行业地位与继续教育基地',
			maxPoints: 15,
			oldPoints: null,
			newPoints: 12.5,
			oldComment: '',
			newComment: '国家级继续教育基地'
		});
		expect(one.comment).toEqual({ old: '', new: '材料完整，建议推荐' });
		expect(one.oldTotal).toBe(0);
		expect(one.newTotal).toBe(80);
		const two = preview.items[0];
		expect(two.changes.map((c) => [c.criterionId, c.oldPoints, c.newPoints])).toEqual([['scale', 15.5, 17]]);
		expect(two.comment).toBeNull();
		expect(sheetCount(db)).toBe(1); // nothing written by the preview

		const res = applyOfflinePlan(requireScope(db), EXP, JSON.parse(JSON.stringify(preview.plan)), [], actorFor(EXP));
		expect(res.applied).toEqual(['app-2', 'app-1']);
		const a1 = getSheet(db, 'app-1', EXP);
		expect(a1.status).toBe('draft');
		expect(a1.points).toEqual({ qualification: 8, standing: 12.5, scale: 16, faculty: 12, facilities: 11, management: 7.5, plan: 13 });
		expect(a1.comments).toEqual({ standing: '国家级继续教育基地' });
		expect(a1.comment).toBe('材料完整，建议推荐');
		const a2 = getSheet(db, 'app-2', EXP);
		expect(a2.points).toEqual({ scale: 17 });
		expect(a2.comments).toEqual({ scale: '规模较大' });
		expect(a2.version).toBe(2);
		expect(auditActions(db)).toContain('sheet.offline-import');

		// The same file again: app-1 and app-2 changed on the server since the download (versions moved on), but
		// the content is what is stored, so nothing is left to change.
		const again = await previewOfflineWorkbook(requireScope(db), EXP, await bytes(wb));
		expect(again.items.map((i) => i.kind)).toEqual(['unchanged', 'unchanged', 'unchanged']);
		expect(again.plan).toEqual([]);
	});

	it('clears a points cell the expert emptied, and ignores the total cell', async () => {
		const db = scoringDb();
		saveSheet(db, 'app-1', EXP, { version: 0, points: { qualification: 8, scale: 10 }, comments: {}, comment: '' }, actorFor(EXP));
		const { wb } = await download(db);
		const ws = wb.getWorksheet('app-1')!;
		ws.getCell('C5').value = null;
		ws.getCell('C12').value = 99; // the total: not read
		const preview = await previewOfflineWorkbook(requireScope(db), EXP, await bytes(wb));
		expect(preview.items.find((i) => i.applicationId === 'app-1')!.changes.map((c) => [c.criterionId, c.oldPoints, c.newPoints])).toEqual([
			['qualification', 8, null]
		]);
		applyOfflinePlan(requireScope(db), EXP, preview.plan, [], actorFor(EXP));
		expect(getSheet(db, 'app-1', EXP).points).toEqual({ scale: 10 });
	});

	it('warns that a comment without points is not kept', async () => {
		const db = scoringDb();
		const { wb } = await download(db);
		fill(wb, 'app-1', [8], { 2: '只写了评语' });
		const preview = await previewOfflineWorkbook(requireScope(db), EXP, await bytes(wb));
		const item = preview.items.find((i) => i.applicationId === 'app-1')!;
		expect(item.warnings).toEqual(['“培训规模与经验”未填得分，其评语不会保存（E7）']);
		expect(item.plan!.comments).toEqual({});
	});
});

describe('upload: bad values are named by cell and nothing is written', () => {
	it('names out-of-bound, negative, non-0.5-step, text and formula points by worksheet and cell', async () => {
		const db = scoringDb();
		const { wb } = await download(db);
		fill(wb, 'app-1', [8, 12, 21, 7.3, -1, '十分']);
		wb.getWorksheet('app-1')!.getCell('C11').value = { formula: '5+5', result: 10 } as ExcelJS.CellFormulaValue;
		fill(wb, 'app-3', [10, 15, 20.5]);
		const before = sheetCount(db);
		const preview = await previewOfflineWorkbook(requireScope(db), EXP, await bytes(wb));
		expect(preview.problems).toEqual([
			'工作表「app-1」 C7：超过满分 20 分',
			'工作表「app-1」 C8：得分须为 0.5 的整数倍（如 12 或 12.5）',
			'工作表「app-1」 C9：得分不能为负数',
			'工作表「app-1」 C10：应填写数字（如 12 或 12.5），而不是“十分”',
			'工作表「app-1」 C11：请直接填写分数，不要使用公式',
			'工作表「app-3」 C7：超过满分 20 分'
		]);
		expect(preview.items).toEqual([]);
		expect(preview.plan).toEqual([]);
		expect(sheetCount(db)).toBe(before);
	});

	it('uses the worksheet name the expert sees, even when renamed', async () => {
		const db = scoringDb();
		const { wb } = await download(db);
		wb.getWorksheet('app-1')!.name = '甲公司';
		fill(wb, '甲公司', [11]);
		const preview = await previewOfflineWorkbook(requireScope(db), EXP, await bytes(wb));
		expect(preview.problems).toEqual(['工作表「甲公司」 C5：超过满分 10 分']);
	});

	it('refuses applications not assigned to the expert, recused ones, duplicates, and another expert’s file', async () => {
		const db = scoringDb();
		const { wb } = await download(db);
		wb.getWorksheet('app-2')!.getCell('G2').value = 'app-4'; // assigned to exp-2 only
		wb.getWorksheet('app-3')!.getCell('G2').value = 'app-5'; // recused
		const copy = wb.addWorksheet('copy');
		copy.getCell('G1').value = OFFLINE_MARKER;
		copy.getCell('G2').value = 'app-1';
		copy.getCell('G3').value = 0;
		const preview = await previewOfflineWorkbook(requireScope(db), EXP, await bytes(wb));
		expect(preview.problems).toEqual([
			'工作表「app-2」 B2：申报 app-4 不是分配给您的评审任务（或已回避、尚未发布），不能上传',
			'工作表「app-3」 B2：申报 app-5 不是分配给您的评审任务（或已回避、尚未发布），不能上传',
			'工作表「copy」：申报 app-1 与工作表「app-1」重复'
		]);

		const other = await download(db, 'exp-2');
		const p2 = await previewOfflineWorkbook(requireScope(db), EXP, await bytes(other.wb));
		expect(p2.problems).toEqual(['这份离线评分表是为另一位评审专家生成的，不能由您的账号上传；请下载您自己的离线评分表']);
		expect(sheetCount(db)).toBe(0);
	});

	it('rejects what is not an .xlsx by its content, whatever its name', async () => {
		const db = scoringDb();
		const text = Buffer.from('编号,得分\nqualification,8\n', 'utf8');
		expect((await previewOfflineWorkbook(requireScope(db), EXP, text)).problems).toEqual(['上传的文件不是 Excel 工作簿（.xlsx）']);
		const xls = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);
		expect((await previewOfflineWorkbook(requireScope(db), EXP, xls)).problems[0]).toContain('旧版 Excel（.xls）');
		const zip = new JSZip();
		zip.file('word/document.xml', '<w:document/>');
		zip.file('[Content_Types].xml', '<Types/>');
		const docx = await zip.generateAsync({ type: 'nodebuffer' });
		expect(xlsxContentProblem(docx)).toBe('上传的文件不是 Excel 工作簿（.xlsx）（压缩包里没有工作簿）');
		expect((await previewOfflineWorkbook(requireScope(db), EXP, Buffer.alloc(0))).problems).toEqual(['上传的文件是空的']);
		// A genuine workbook that is not the offline form.
		const plain = new ExcelJS.Workbook();
		plain.addWorksheet('Sheet1').getCell('A1').value = '得分';
		expect((await previewOfflineWorkbook(requireScope(db), EXP, await bytes(plain))).problems).toEqual([
			'文件中没有离线评分表的工作表：请上传从“下载离线评分表”得到的 .xlsx 文件'
		]);
	});

	it('asks for a fresh download when the rubric changed after the download', async () => {
		const db = scoringDb();
		const { wb } = await download(db);
		wb.getWorksheet('app-1')!.getCell('G5').value = 'rub-training-old';
		wb.getWorksheet('app-3')!.getCell('A6').value = 'other';
		const preview = await previewOfflineWorkbook(requireScope(db), EXP, await bytes(wb));
		expect(preview.problems).toEqual([
			'工作表「app-1」：评分细则已更新（rub-training-old → rub-training），请重新下载离线评分表后再填写',
			'工作表「app-3」 A6：此处应为评分项“行业地位与继续教育基地”（standing）：评分细则已调整或表格结构被改动，请重新下载离线评分表'
		]);
	});
});

describe('upload: conflicts and submitted sheets', () => {
	it('shows a sheet changed on the server since the download as a conflict and overwrites it only when chosen', async () => {
		const db = scoringDb();
		const { wb } = await download(db);
		fill(wb, 'app-1', [9, 14]);
		fill(wb, 'app-2', [5]);
		// Meanwhile, on the scoring page:
		saveSheet(db, 'app-1', EXP, { version: 0, points: { qualification: 6 }, comments: {}, comment: '网页上' }, actorFor(EXP));
		const preview = await previewOfflineWorkbook(requireScope(db), EXP, await bytes(wb));
		const conflict = preview.items.find((i) => i.applicationId === 'app-1')!;
		expect(conflict.kind).toBe('conflict');
		expect([conflict.fileVersion, conflict.serverVersion]).toEqual([0, 1]);
		expect(conflict.changes.map((c) => [c.criterionId, c.oldPoints, c.newPoints])).toEqual([
			['qualification', 6, 9],
			['standing', null, 14]
		]);
		expect(conflict.comment).toEqual({ old: '网页上', new: '' });

		// Not chosen: only app-2 is saved; app-1 keeps what was typed on the page.
		const res = applyOfflinePlan(requireScope(db), EXP, preview.plan, [], actorFor(EXP));
		expect(res).toEqual({ applied: ['app-2'], skipped: ['app-1'] });
		expect(getSheet(db, 'app-1', EXP).points).toEqual({ qualification: 6 });
		expect(getSheet(db, 'app-2', EXP).points).toEqual({ qualification: 5 });

		// Chosen explicitly: overwritten.
		const res2 = applyOfflinePlan(requireScope(db), EXP, preview.plan.filter((p) => p.applicationId === 'app-1'), ['app-1'], actorFor(EXP));
		expect(res2.applied).toEqual(['app-1']);
		expect(getSheet(db, 'app-1', EXP).points).toEqual({ qualification: 9, standing: 14 });
		expect(getSheet(db, 'app-1', EXP).comment).toBe('');
	});

	it('never changes a submitted sheet', async () => {
		const db = scoringDb();
		const full = { qualification: 8, standing: 12, scale: 16, faculty: 12, facilities: 12, management: 8, plan: 12 };
		saveSheet(db, 'app-1', EXP, { version: 0, points: full, comments: {}, comment: '' }, actorFor(EXP), { submit: true });
		const { wb } = await download(db);
		expect(wb.getWorksheet('app-1')!.getCell('C5').protection?.locked).not.toBe(false);
		fill(wb, 'app-1', [1, 1, 1]);
		const preview = await previewOfflineWorkbook(requireScope(db), EXP, await bytes(wb));
		const item = preview.items.find((i) => i.applicationId === 'app-1')!;
		expect(item.kind).toBe('submitted');
		expect(item.plan).toBeNull();
		expect(item.warnings).toEqual(['该评分表已提交，上传的内容不会生效；如需修改请联系省厅退回']);
		expect(preview.plan).toEqual([]);
		// A forged plan for it is refused as well.
		const forged = [{ applicationId: 'app-1', baseVersion: 1, conflict: false, points: { qualification: 1 }, comments: {}, comment: '' }];
		expect(() => applyOfflinePlan(requireScope(db), EXP, forged, [], actorFor(EXP))).toThrow(OfflineImportError);
		expect(getSheet(db, 'app-1', EXP).points).toEqual(full);
	});

	it('writes nothing when one sheet moved on between preview and apply', async () => {
		const db = scoringDb();
		const { wb } = await download(db);
		fill(wb, 'app-1', [9]);
		fill(wb, 'app-2', [7]);
		const preview = await previewOfflineWorkbook(requireScope(db), EXP, await bytes(wb));
		expect(preview.plan).toHaveLength(2);
		saveSheet(db, 'app-2', EXP, { version: 0, points: { qualification: 3 }, comments: {}, comment: '' }, actorFor(EXP));
		let err: OfflineImportError | null = null;
		try {
			applyOfflinePlan(requireScope(db), EXP, preview.plan, [], actorFor(EXP));
		} catch (e) {
			err = e as OfflineImportError;
		}
		expect(err).toBeInstanceOf(OfflineImportError);
		expect(err!.problems).toEqual(['申报 app-2 的评分表在预览之后又有修改，为避免覆盖，本次没有保存任何内容；请重新上传预览']);
		expect(getSheet(db, 'app-1', EXP).id).toBeNull();
		expect(getSheet(db, 'app-2', EXP).points).toEqual({ qualification: 3 });
		expect(auditActions(db)).not.toContain('sheet.offline-import');
	});

	it('refuses a plan for an application of another expert or out of bounds, and a damaged plan', () => {
		const db = scoringDb();
		const forged = (applicationId: string, points: Record<string, number>) => [{ applicationId, baseVersion: 0, conflict: false, points, comments: {}, comment: '' }];
		expect(() => applyOfflinePlan(requireScope(db), EXP, forged('app-4', { scale: 1 }), [], actorFor(EXP))).toThrow('不是分配给您的评审任务');
		expect(() => applyOfflinePlan(requireScope(db), EXP, forged('app-1', { scale: 25 }), [], actorFor(EXP))).toThrow('不能超过满分20分');
		expect(() => applyOfflinePlan(requireScope(db), EXP, [{ applicationId: 'app-1' }], [], actorFor(EXP))).toThrow('预览数据已损坏');
		expect(sheetCount(db)).toBe(0);
	});
});

describe('points cells', () => {
	it('reads numbers, numeric text (comma, full width, 分) and blanks', () => {
		expect(readPointsCell(12.5)).toEqual({ value: 12.5 });
		expect(readPointsCell(' 12,5 ')).toEqual({ value: 12.5 });
		expect(readPointsCell('１２．５')).toEqual({ value: 12.5 });
		expect(readPointsCell('12分')).toEqual({ value: 12 });
		expect(readPointsCell('')).toEqual({ value: null });
		expect(readPointsCell(null)).toEqual({ value: null });
		expect(readPointsCell('12.5.1')).toHaveProperty('error');
		expect(readPointsCell({ richText: [{ text: '1' }, { text: '0' }] })).toEqual({ value: 10 });
	});
});
