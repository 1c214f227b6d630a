/**
 * Intake by file as the pages use it (services/intake-files.ts): the list filter, the export of
 * the office's list as the intake workbook (re-imports to the same applications; audited without
 * personal data), uploads judged by content, located errors (first 50, and how many more), and a
 * city's Word import that refuses another region's application or institution and writes nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { FIXTURES, fullBundle } from './helpers';
import { memoryDb, type Db } from '../../src/lib/server/db';
import * as s from '../../src/lib/server/db/schema';
import { SYSTEM_ACTOR, verifyAudit, type Actor } from '../../src/lib/server/audit';
import { exportBundle } from '../../src/lib/server/queries/bundle';
import { BundleImportError, importBundle } from '../../src/lib/server/services/bundle-import';
import { generateDemoBundle } from '../../src/lib/server/demo/generate';
import { renderIntakeTemplate } from '../../src/lib/server/export/intake-template';
import { OTHER_REGION_REFUSAL, importAnnexDocx } from '../../src/lib/server/import/docx';
import { MAX_UPLOAD_BYTES } from '../../src/lib/server/files';
import {
	errorLines,
	exportListWorkbook,
	importAnnexUpload,
	importWorkbookUpload,
	listedApplications,
	parseListFilter,
	readablePath,
	zipUpload
} from '../../src/lib/server/services/intake-files';
import { ANNEX1 } from '../fixtures/make-annex';
import { requireScope } from '../../src/lib/server/scope';

const OFFICE: Actor = { userId: 'u-office', name: 'office' };
const CITY_SY: Actor = { userId: 'u-sy', name: 'city-shenyang' };
const CITY_AS: Actor = { userId: 'u-as', name: 'city-anshan' };
const annex = (name: string) => fs.readFileSync(path.join(FIXTURES, name));
const USCC1 = ANNEX1.institution.uscc!;
const APP1 = `app-${USCC1}-training-ai`;

function snapshot(db: Db) {
	return { bundle: JSON.stringify(exportBundle(requireScope(db))), audit: verifyAudit(db).entries };
}
function uploadForm(bytes: Buffer | string, name: string): FormData {
	const form = new FormData();
	form.set('file', new File([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)], name));
	return form;
}

/* ---------------------------------------------------------------- the list filter */

describe('the list filter (query parameters, zod)', () => {
	it('accepts empty and valid values, refuses the rest in Chinese', () => {
		expect(parseListFilter(new URLSearchParams(''))).toEqual({ filter: { region: '', occupation: '', type: '', status: '', finding: '', person: '' } });
		expect(parseListFilter(new URLSearchParams('region=shenyang&occupation=ai&type=training&status=draft&finding=blocking'))).toEqual({
			filter: { region: 'shenyang', occupation: 'ai', type: 'training', status: 'draft', finding: 'blocking', person: '' }
		});
		expect(parseListFilter(new URLSearchParams('person=138-0000-0001'))).toMatchObject({ filter: { person: '138-0000-0001' } });
		expect(parseListFilter(new URLSearchParams('person=张三'))).toEqual({ error: '筛选条件“身份证号或电话”无效：请输入完整的 18 位身份证号或电话号码' });
		expect(parseListFilter(new URLSearchParams('region=beijing'))).toEqual({ error: '筛选条件“地区”无效' });
		expect(parseListFilter(new URLSearchParams('occupation=programmer'))).toEqual({ error: '筛选条件“职业”无效' });
		expect(parseListFilter(new URLSearchParams('type=school'))).toEqual({ error: '筛选条件“类型”无效' });
		expect(parseListFilter(new URLSearchParams('status=deleted'))).toEqual({ error: '筛选条件“状态”无效' });
		expect(parseListFilter(new URLSearchParams('finding=NOPE'))).toEqual({ error: '筛选条件“审查问题”无效' });
	});
});

/* ---------------------------------------------------------------- export of the list */

describe('export of the application list as the intake workbook', () => {
	it('re-imports into an empty database to the same applications (whole list and a filtered one)', async () => {
		const a = memoryDb();
		importBundle(a, generateDemoBundle(), SYSTEM_ACTOR);
		// Two drafts: not in the list unless asked for, like the page.
		const [d1, d2] = exportBundle(requireScope(a)).applications.slice(0, 2).map((x) => x.id);
		a.update(s.applications).set({ status: 'draft' }).where(eq(s.applications.id, d1)).run();
		a.update(s.applications).set({ status: 'draft' }).where(eq(s.applications.id, d2)).run();
		const all = exportBundle(requireScope(a));

		for (const q of ['', 'region=shenyang', 'type=evaluation&occupation=ai', 'status=draft']) {
			const parsed = parseListFilter(new URLSearchParams(q));
			if (!('filter' in parsed)) throw new Error(parsed.error);
			const file = await exportListWorkbook(requireScope(a), parsed.filter, OFFICE, new Date('2023-06-20T02:00:00Z'));
			expect(file.filename).toBe('申报列表-2023-06-20.xlsx');
			expect(file.ascii).toBe('applications-2023-06-20.xlsx');

			const listed = new Set(listedApplications(requireScope(a), parsed.filter).map((x) => x.app.id));
			const expected = all.applications.filter((x) => listed.has(x.id));
			expect(expected.length).toBeGreaterThan(0);
			expect(file.count).toBe(expected.length);
			if (q === '') expect(listed.has(d1) || listed.has(d2)).toBe(false);
			if (q === 'status=draft') expect([...listed].sort()).toEqual([d1, d2].sort());
			if (q === 'region=shenyang') expect(expected.every((x) => x.region === 'shenyang')).toBe(true);

			const b = memoryDb();
			const r = await importWorkbookUpload(b, file.body, OFFICE);
			expect(r).toMatchObject({ ok: true, counts: { applications: expected.length } });
			const eb = exportBundle(requireScope(b));
			const used = new Set(expected.map((x) => x.institutionId));
			expect(eb.applications).toEqual(expected);
			expect(eb.institutions).toEqual(all.institutions.filter((i) => used.has(i.id)));
		}
	});

	it('is recorded in the audit log with the filter keys and the count, nothing personal', async () => {
		const db = memoryDb();
		importBundle(db, fullBundle(), SYSTEM_ACTOR);
		const parsed = parseListFilter(new URLSearchParams('type=training'));
		if (!('filter' in parsed)) throw new Error(parsed.error);
		const file = await exportListWorkbook(requireScope(db), parsed.filter, OFFICE);
		const row = db.select().from(s.auditLog).where(eq(s.auditLog.action, 'application.export-xlsx')).get()!;
		expect(row).toMatchObject({ actor: 'office', userId: 'u-office', entity: 'application', entityId: null });
		expect(JSON.parse(row.detail!)).toEqual({ filter: { type: 'training' }, applications: file.count });
		// No name, USCC or ID number of what was exported is in the log.
		const text = JSON.stringify(db.select().from(s.auditLog).all());
		for (const inst of exportBundle(requireScope(db)).institutions) {
			expect(text).not.toContain(inst.name);
			if (inst.uscc) expect(text).not.toContain(inst.uscc);
			if (inst.legalRep?.idNumber) expect(text).not.toContain(inst.legalRep.idNumber);
		}
		expect(verifyAudit(db).problems).toEqual([]);
	});
});

/* ---------------------------------------------------------------- uploads and errors */

describe('uploads and located errors', () => {
	it('an upload must be present, within the limit, and a zip by its content (whatever its name)', async () => {
		expect(await zipUpload(new FormData(), 'Excel 工作簿（.xlsx）')).toEqual({ error: '请选择要上传的文件' });
		const notZip = await zipUpload(uploadForm('name,phone\n', 'list.xlsx'), 'Excel 工作簿（.xlsx）');
		expect(notZip).toEqual({ error: '“list.xlsx”不是Excel 工作簿（.xlsx）：文件内容不是 Office Open XML 格式（旧版 .xls 请另存为 .xlsx）' });
		// Half an OLE signature is not a Word 97–2003 file (whole .doc files: intake-doc.spec.ts).
		const doc = await zipUpload(uploadForm(Buffer.from('\xd0\xcf\x11\xe0', 'latin1'), 'old.doc'), 'Word 文档（.docx 或 .doc）');
		expect(doc).toMatchObject({ error: expect.stringMatching(/既不是 Office Open XML 格式，也不是 Word 97–2003 格式/) });
		const big = Buffer.alloc(MAX_UPLOAD_BYTES + 1);
		big.writeUInt32LE(0x04034b50, 0);
		expect(await zipUpload(uploadForm(big, 'big.xlsx'), 'Excel 工作簿（.xlsx）')).toMatchObject({ error: expect.stringMatching(/^文件不能超过 10 MB/) });
		const ok = await zipUpload(uploadForm(await renderIntakeTemplate(), 'whatever.bin'), 'Excel 工作簿（.xlsx）');
		expect(ok).toMatchObject({ name: 'whatever.bin' });
	});

	it('paths read as sheet, row and column', () => {
		expect(readablePath('申报信息!R5C「职业」')).toBe('申报信息 第 5 行「职业」');
		expect(readablePath('纳税情况!R3C「税额（万元）」')).toBe('纳税情况 第 3 行「税额（万元）」');
		expect(readablePath('申报信息!「职业」')).toBe('申报信息「职业」');
		expect(readablePath('申报信息!R7')).toBe('申报信息 第 7 行');
		expect(readablePath('(文件)')).toBe('(文件)');
		expect(readablePath('附件1「单位名称」')).toBe('附件1「单位名称」');
		const many = new BundleImportError(Array.from({ length: 57 }, (_, i) => ({ path: `申报信息!R${i + 2}C「职业」`, message: '不是可选值' })));
		const lines = errorLines(many);
		expect(lines.problems).toHaveLength(50);
		expect(lines.more).toBe(7);
		expect(lines.problems[0]).toBe('申报信息 第 2 行「职业」：不是可选值');
	});

	it('a bad workbook: every error names row and column, at most 50 shown, nothing written', async () => {
		const db = memoryDb();
		importBundle(db, fullBundle(), SYSTEM_ACTOR);
		const before = snapshot(db);
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load((await renderIntakeTemplate()) as unknown as ExcelJS.Buffer);
		const ws = wb.getWorksheet('申报信息')!;
		const cols = new Map<string, number>();
		ws.getRow(1).eachCell((c, n) => cols.set(String(c.value), n));
		for (let r = 2; r <= 61; r++) {
			ws.getRow(r).getCell(cols.get('申报编号')!).value = `bad-${r}`;
			ws.getRow(r).getCell(cols.get('职业')!).value = '程序员';
		}
		const res = await importWorkbookUpload(db, Buffer.from(await wb.xlsx.writeBuffer()), OFFICE);
		if (res.ok) throw new Error('imported a bad workbook');
		expect(res.problems).toHaveLength(50);
		expect(res.more).toBeGreaterThan(0);
		for (const p of res.problems) expect(p).toMatch(/^申报信息 第 \d+ 行「[^」]+」：/);
		expect(res.problems.some((p) => /^申报信息 第 2 行「职业」："程序员" 不是可选值/.test(p))).toBe(true);
		expect(snapshot(db)).toEqual(before);
	});
});

/* ---------------------------------------------------------------- a city's Word import */

describe("a city's Word import (onlyRegion)", () => {
	it('imports into its own region as a draft, and updates that draft again', async () => {
		const db = memoryDb();
		const r = await importAnnexUpload(db, annex('annex1-filled.docx'), CITY_AS, { region: 'anshan', onlyRegion: 'anshan' });
		expect(r).toEqual({ ok: true, result: { applicationId: APP1, type: 'training', region: 'anshan', unread: [], problems: [] } });
		const again = await importAnnexDocx(db, annex('annex1-filled.docx'), CITY_AS, { region: 'anshan', onlyRegion: 'anshan' });
		expect(again.applicationId).toBe(APP1);
		const row = db.select({ status: s.applications.status, region: s.applications.region }).from(s.applications).get();
		expect(row).toEqual({ status: 'draft', region: 'anshan' });
	});

	it('refuses the same form when another region imported it first; nothing written', async () => {
		const db = memoryDb();
		// 沈阳 imported the same form first (a draft of 沈阳).
		await importAnnexDocx(db, annex('annex1-filled.docx'), CITY_SY, { region: 'shenyang', onlyRegion: 'shenyang' });
		const before = snapshot(db);
		const r = await importAnnexUpload(db, annex('annex1-filled.docx'), CITY_AS, { region: 'anshan', onlyRegion: 'anshan' });
		expect(r).toEqual({ ok: false, problems: [`附件1：${OTHER_REGION_REFUSAL}`], more: 0 });
		expect(snapshot(db)).toEqual(before);
		// Without onlyRegion (the office) the same import still goes through, as before.
		await importAnnexDocx(db, annex('annex1-filled.docx'), OFFICE, { region: 'anshan' });
		expect(db.select({ region: s.applications.region }).from(s.applications).all()).toEqual([{ region: 'anshan' }]);
	});

	it('refuses when the institution with that USCC (under another id) has an application in another region; nothing written', async () => {
		const db = memoryDb();
		importBundle(
			db,
			{
				institutions: [{ id: 'inst-7', name: '旧名称', uscc: USCC1 }],
				applications: [{ id: 'dl-iot-1', institutionId: 'inst-7', type: 'evaluation', occupation: 'iot', region: 'dalian' }]
			},
			SYSTEM_ACTOR
		);
		const before = snapshot(db);
		await expect(importAnnexDocx(db, annex('annex1-filled.docx'), CITY_SY, { region: 'shenyang', onlyRegion: 'shenyang' })).rejects.toMatchObject({
			errors: [{ path: '附件1', message: OTHER_REGION_REFUSAL }]
		});
		expect(snapshot(db)).toEqual(before);
	});

	it('answers the same whether the application or the institution (by USCC) is another region’s, naming neither', async () => {
		// The application the form would overwrite is 大连's (another institution).
		const byApplication = memoryDb();
		importBundle(
			byApplication,
			{ institutions: [{ id: 'inst-other', name: '另一家单位' }], applications: [{ id: APP1, institutionId: 'inst-other', type: 'training', occupation: 'ai', region: 'dalian' }] },
			SYSTEM_ACTOR
		);
		// The form's USCC belongs to an institution with an application in 大连 (another occupation).
		const byUscc = memoryDb();
		importBundle(
			byUscc,
			{ institutions: [{ id: 'inst-7', name: '旧名称', uscc: USCC1 }], applications: [{ id: 'dl-iot-1', institutionId: 'inst-7', type: 'evaluation', occupation: 'iot', region: 'dalian' }] },
			SYSTEM_ACTOR
		);
		const answers = [];
		for (const db of [byApplication, byUscc]) {
			const before = snapshot(db);
			answers.push(await importAnnexUpload(db, annex('annex1-filled.docx'), CITY_SY, { region: 'shenyang', onlyRegion: 'shenyang' }));
			expect(snapshot(db)).toEqual(before);
		}
		expect(answers[0]).toEqual(answers[1]);
		expect(answers[0]).toEqual({ ok: false, problems: [`附件1：${OTHER_REGION_REFUSAL}`], more: 0 });
		expect(JSON.stringify(answers[0])).not.toMatch(new RegExp(`${USCC1}|其他地区|dalian|大连|inst-|dl-iot|app-|submitted|已经提交`));
	});

	it('refuses to overwrite an application of another region, without telling its status; nothing written', async () => {
		const db = memoryDb();
		// Another institution's application under the id the form would get, in 大连, already submitted.
		importBundle(
			db,
			{
				institutions: [{ id: 'inst-other', name: '另一家单位' }],
				applications: [{ id: APP1, institutionId: 'inst-other', type: 'training', occupation: 'ai', region: 'dalian' }]
			},
			SYSTEM_ACTOR
		);
		const before = snapshot(db);
		const err = await importAnnexDocx(db, annex('annex1-filled.docx'), CITY_SY, { region: 'shenyang', onlyRegion: 'shenyang' }).catch((e) => e);
		expect(err).toBeInstanceOf(BundleImportError);
		expect(err.errors).toEqual([{ path: '附件1', message: OTHER_REGION_REFUSAL }]);
		expect(err.message).not.toMatch(/已经提交|submitted|dalian|大连|inst-other|app-/);
		expect(snapshot(db)).toEqual(before);
	});

	it('the check runs inside the transaction: a conflicting row written after the reading is still refused', async () => {
		const db = memoryDb();
		// Simulate a concurrent write between the reads and the transaction: the first read of the
		// applications table (outside) sees nothing, the transaction sees the other region's row.
		const realTransaction = db.transaction.bind(db);
		let injected = false;
		(db as { transaction: typeof db.transaction }).transaction = ((fn: Parameters<typeof db.transaction>[0]) => {
			if (!injected) {
				injected = true;
				importBundle(
					db,
					{
						institutions: [{ id: `inst-${USCC1}`, name: '辽宁智数信息技术有限公司', uscc: USCC1 }],
						applications: [{ id: 'dl-iot-9', institutionId: `inst-${USCC1}`, type: 'evaluation', occupation: 'iot', region: 'dalian' }]
					},
					SYSTEM_ACTOR
				);
			}
			return realTransaction(fn);
		}) as typeof db.transaction;
		await expect(importAnnexDocx(db, annex('annex1-filled.docx'), CITY_SY, { region: 'shenyang', onlyRegion: 'shenyang' })).rejects.toMatchObject({
			errors: [{ path: '附件1', message: OTHER_REGION_REFUSAL }]
		});
		(db as { transaction: typeof db.transaction }).transaction = realTransaction;
		expect(exportBundle(requireScope(db)).applications.map((a) => a.id)).toEqual(['dl-iot-9']);
	});
});
