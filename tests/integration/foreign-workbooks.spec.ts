/**
 * Workbooks saved by other programs (issue 15, item 14): the intake list, the expert list and the
 * offline score form, exported by the workbench, opened and saved by openpyxl (Debian's
 * python3-openpyxl; scripts/test.sh installs it) — and, without Python, the same foreign package
 * layout made here with JSZip. All three import paths read them; a broken workbook gives one
 * Chinese sentence naming the file and what to do, never a JS error text.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { cli, fullBundle, tempDir } from './helpers';
import { memoryDb, type Db } from '../../src/lib/server/db';
import { SYSTEM_ACTOR } from '../../src/lib/server/audit';
import { exportBundle, loadApplications, loadExperts, loadInstitutions } from '../../src/lib/server/queries/bundle';
import { importBundle } from '../../src/lib/server/services/bundle-import';
import { renderIntakeTemplate } from '../../src/lib/server/export/intake-template';
import { importIntakeWorkbook, parseIntakeWorkbook } from '../../src/lib/server/import/xlsx';
import { parseExpertWorkbook, renderExpertWorkbook } from '../../src/lib/server/import/experts-xlsx';
import { ExpertImportError, importExpertsFromWorkbook } from '../../src/lib/server/services/experts';
import { importWorkbookUpload } from '../../src/lib/server/services/intake-files';
import { buildOfflineWorkbook } from '../../src/lib/server/export/offline-sheet';
import { previewOfflineWorkbook } from '../../src/lib/server/import/offline-sheet';
import { openUserWorkbook, toExcelJsLayout } from '../../src/lib/server/import/workbook';
import { scoringDb } from './scoring-fixture';
import { OFFICE, world } from './draw-world';
import { requireScope } from '../../src/lib/server/scope';

/* ---------------------------------------------------------------- openpyxl */

/** A Python 3 that has openpyxl (pyenv's python3 may not; Debian's /usr/bin/python3 with python3-openpyxl does). */
const PYTHON = ['python3', '/usr/bin/python3'].find((py) => {
	try {
		execFileSync(py, ['-c', 'import openpyxl'], { stdio: 'ignore' });
		return true;
	} catch {
		return false;
	}
});
if (!PYTHON) console.warn('foreign-workbooks.spec: openpyxl 不可用，跳过 openpyxl 另存的用例（apt-get install -y python3-openpyxl）');

/** Opens `buf` with openpyxl, runs `edit` (Python, `wb` in scope) and saves: what another program hands back. */
function openpyxlResave(buf: Buffer, edit = ''): Buffer {
	const dir = tempDir();
	const a = path.join(dir, 'a.xlsx');
	const b = path.join(dir, 'b.xlsx');
	fs.writeFileSync(a, buf);
	const script = ['import sys, openpyxl', 'wb = openpyxl.load_workbook(sys.argv[1])', edit, 'wb.save(sys.argv[2])'].join('\n');
	execFileSync(PYTHON!, ['-c', script, a, b], { stdio: ['ignore', 'ignore', 'pipe'] });
	return fs.readFileSync(b);
}

/** The intake list of a database, as the list export gives it. */
function listOf(db: Db) {
	const insts = new Map(loadInstitutions(db).map((i) => [i.id, i]));
	return loadApplications(requireScope(db)).map(({ app }) => ({ app, institution: insts.get(app.institutionId)! }));
}

/** English words of a JS error (TypeError, "Cannot read properties", "undefined", a SAX message …). */
const JS_ERROR = /[A-Za-z]{3,}[^\u4e00-\u9fff]*\b(Error|error|undefined|Cannot|Unclosed|Invalid|Unexpected|properties|reading)\b|\b(Error|undefined|Cannot)\b/;

/* ---------------------------------------------------------------- files saved by openpyxl */

describe.skipIf(!PYTHON)('workbooks saved by openpyxl import as the workbench’s own', () => {
	it('an exported intake list re-saved by openpyxl imports to the same applications (web and command line)', async () => {
		const a = memoryDb();
		importBundle(a, fullBundle(), SYSTEM_ACTOR);
		const ours = await renderIntakeTemplate({ applications: listOf(a) });
		const theirs = openpyxlResave(ours);
		// The re-save really moved the notes where exceljs does not look (else this test proves nothing).
		const names = Object.keys((await JSZip.loadAsync(theirs)).files);
		expect(names).toEqual(expect.arrayContaining(['xl/comments/comment1.xml']));

		const direct = await parseIntakeWorkbook(ours, 'ours.xlsx');
		const foreign = await parseIntakeWorkbook(theirs, 'theirs.xlsx');
		expect(foreign.errors).toEqual([]);
		expect(foreign.bundle).toEqual(direct.bundle);

		const b = memoryDb();
		const web = await importWorkbookUpload(b, theirs, SYSTEM_ACTOR, '申报信息采集表.xlsx');
		expect(web).toMatchObject({ ok: true, counts: { institutions: 2, applications: 2 } });
		expect(exportBundle(requireScope(b)).applications).toEqual(exportBundle(requireScope(a)).applications);

		const dir = tempDir();
		const file = path.join(dir, '另存.xlsx');
		fs.writeFileSync(file, theirs);
		const res = await cli(path.join(dir, 'c.db'), 'import', file, '--json');
		expect(res.stderr).toBe('');
		expect(res.code).toBe(0);
		expect(JSON.parse(res.stdout).imported).toMatchObject({ institutions: 2, applications: 2 });
	});

	it('the expert list re-saved by openpyxl, with a row added there, imports', async () => {
		const db = world();
		const experts = loadExperts(db);
		const theirs = openpyxlResave(
			await renderExpertWorkbook(experts),
			`ws = wb['专家名单']\nws.append(['', '新专家', '沈阳航空航天大学', '教授', '人工智能、大数据', '沈阳', '13900001111', 'new@example.cn'])`
		);
		const parsed = await parseExpertWorkbook(theirs, '专家名单.xlsx');
		expect(parsed.errors).toEqual([]);
		expect(parsed.rows.map((r) => r.values.name)).toEqual([...experts.map((e) => e.name), '新专家']);
		const r = await importExpertsFromWorkbook(db, theirs, OFFICE, '专家名单.xlsx');
		expect(r.created).toHaveLength(1);
		expect(r.updated).toEqual(experts.map((e) => e.id));
		expect(loadExperts(db).find((e) => e.id === r.created[0])).toMatchObject({ name: '新专家', phone: '13900001111', occupations: ['ai', 'bigdata'] });
	});

	it('an offline score form filled and saved with openpyxl previews the points typed there', async () => {
		const db = scoringDb();
		const { buffer } = await buildOfflineWorkbook(requireScope(db), 'exp-1', { now: new Date('2023-07-01T02:00:00.000Z') });
		const theirs = openpyxlResave(buffer, `ws = wb['app-1']\nfor i, p in enumerate([8, 12.5, 16, 12, 11, 7.5, 13]):\n    ws.cell(row=5 + i, column=3).value = p\nws['E6'] = '国家级继续教育基地'`);
		const preview = await previewOfflineWorkbook(requireScope(db), 'exp-1', theirs, '离线评分表.xlsx');
		expect(preview.problems).toEqual([]);
		const one = preview.items.find((i) => i.applicationId === 'app-1')!;
		expect(one.kind).toBe('change');
		expect(one.changes.map((c) => c.newPoints)).toEqual([8, 12.5, 16, 12, 11, 7.5, 13]);
		expect(one.changes[1].newComment).toBe('国家级继续教育基地');
		expect(one.newTotal).toBe(80);
	});
});

/* ---------------------------------------------------------------- the same layout without Python */

/** Moves the notes of a workbook where openpyxl puts them: xl/comments/commentN.xml, absolute targets. */
async function foreignLayout(buf: Buffer): Promise<Buffer> {
	const zip = await JSZip.loadAsync(buf);
	const types = await zip.file('[Content_Types].xml')!.async('string');
	let newTypes = types;
	for (const name of Object.keys(zip.files)) {
		const m = /^xl\/worksheets\/_rels\/sheet(\d+)\.xml\.rels$/.exec(name);
		if (!m) continue;
		let rels = await zip.file(name)!.async('string');
		for (const t of rels.matchAll(/Target="\.\.\/(comments\d+\.xml|drawings\/vmlDrawing\d+\.vml)"/g)) {
			const old = `xl/${t[1]}`;
			const moved = old.startsWith('xl/comments') ? `xl/comments/comment${m[1]}.xml` : `xl/drawings/commentsDrawing${m[1]}.vml`;
			zip.file(moved, await zip.file(old)!.async('nodebuffer'));
			zip.remove(old);
			rels = rels.split(`Target="../${t[1]}"`).join(`Target="/${moved}"`);
			newTypes = newTypes.split(`PartName="/${old}"`).join(`PartName="/${moved}"`);
		}
		zip.file(name, rels);
	}
	zip.file('[Content_Types].xml', newTypes);
	return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

describe('the foreign package layout, made without Python', () => {
	it('notes moved to xl/comments/ with absolute targets: all three importers read the file', async () => {
		const a = memoryDb();
		importBundle(a, fullBundle(), SYSTEM_ACTOR);
		const ours = await renderIntakeTemplate({ applications: listOf(a) });
		const theirs = await foreignLayout(ours);
		// The workbench's own file is left as it is; the moved one is rewritten.
		expect(toExcelJsLayout(ours, false)).toBeNull();
		expect(toExcelJsLayout(theirs, false)).toBeInstanceOf(Buffer);
		const foreign = await parseIntakeWorkbook(theirs, 'x.xlsx');
		expect(foreign.errors).toEqual([]);
		expect(foreign.bundle).toEqual((await parseIntakeWorkbook(ours)).bundle);

		const db = world();
		const experts = loadExperts(db);
		const list = await parseExpertWorkbook(await foreignLayout(await renderExpertWorkbook(experts)));
		expect(list.errors).toEqual([]);
		expect(list.rows).toHaveLength(experts.length);

		const sdb = scoringDb();
		const { buffer } = await buildOfflineWorkbook(requireScope(sdb), 'exp-1');
		const preview = await previewOfflineWorkbook(requireScope(sdb), 'exp-1', await foreignLayout(buffer));
		expect(preview.problems).toEqual([]);
		expect(preview.items.map((i) => i.kind)).toEqual(['unchanged', 'unchanged', 'unchanged']);
	});
});

/* ---------------------------------------------------------------- broken workbooks */

async function brokenWorkbooks(): Promise<[string, Buffer][]> {
	const good = await renderExpertWorkbook([]);
	const malformed = await JSZip.loadAsync(good);
	malformed.file('xl/workbook.xml', '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="x"');
	const badSheet = await JSZip.loadAsync(good);
	badSheet.file('xl/worksheets/sheet1.xml', '<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>99</v></c></row>');
	return [
		['malformed workbook.xml', await malformed.generateAsync({ type: 'nodebuffer' })],
		['malformed worksheet', await badSheet.generateAsync({ type: 'nodebuffer' })],
		['truncated', good.subarray(0, Math.floor(good.length / 2))]
	];
}

describe('a broken workbook: one Chinese sentence, never a JS error', () => {
	it('opening it names the file and says what to do', async () => {
		for (const [what, buf] of await brokenWorkbooks()) {
			const r = await openUserWorkbook(buf, '坏.xlsx');
			expect('problem' in r, what).toBe(true);
			const problem = 'problem' in r ? r.problem : '';
			expect(problem, what).toMatch(/^(无法读取)?“坏\.xlsx”/);
			expect(problem, what).toContain('请用 Excel 或 WPS 重新另存为 .xlsx 后再上传');
			expect(problem, what).not.toMatch(JS_ERROR);
		}
	});

	it('on the intake upload, the expert list, the offline form and the command line', async () => {
		for (const [what, buf] of await brokenWorkbooks()) {
			const web = await importWorkbookUpload(memoryDb(), buf, SYSTEM_ACTOR, '申报信息采集表.xlsx');
			expect(web.ok, what).toBe(false);
			const webText = !web.ok ? web.problems.join('\n') : '';
			expect(webText, what).toContain('请用 Excel 或 WPS 重新另存为 .xlsx 后再上传');
			expect(webText, what).not.toMatch(JS_ERROR);

			const experts = await importExpertsFromWorkbook(world(), buf, OFFICE, '专家名单.xlsx').catch((e) => e);
			expect(experts, what).toBeInstanceOf(ExpertImportError);
			expect((experts as ExpertImportError).problems, what).toEqual([expect.stringContaining('“专家名单.xlsx”')]);
			expect((experts as ExpertImportError).problems[0], what).not.toMatch(JS_ERROR);

			const offline = await previewOfflineWorkbook(requireScope(scoringDb()), 'exp-1', buf, '离线评分表.xlsx');
			expect(offline.problems, what).toHaveLength(1);
			expect(offline.problems[0], what).toContain('“离线评分表.xlsx”');
			expect(offline.problems[0], what).not.toMatch(JS_ERROR);

			const dir = tempDir();
			const file = path.join(dir, 'bad.xlsx');
			fs.writeFileSync(file, buf);
			const res = await cli(path.join(dir, 'a.db'), 'import', file);
			expect(res.code, what).toBe(1);
			expect(res.stderr, what).toContain('请用 Excel 或 WPS 重新另存为 .xlsx 后再上传');
			expect(res.stderr.replace(file, ''), what).not.toMatch(JS_ERROR);
		}
	});
});
