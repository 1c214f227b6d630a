/**
 * Zip bombs on every `.xlsx` path (issue 12, point 12): the intake workbook (web and command line),
 * the expert pool import and the expert's offline workbook, and the Word Annex too, are checked
 * before anything unpacks them — entry count, declared sizes and ratio, and the bytes each entry
 * really inflates to, streamed against a running budget so that memory stays bounded however the
 * archive lies.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, cli, tempDir } from './helpers';
import { memoryDb } from '../../src/lib/server/db';
import { SYSTEM_ACTOR, verifyAudit } from '../../src/lib/server/audit';
import { renderIntakeTemplate } from '../../src/lib/server/export/intake-template';
import { parseIntakeWorkbook } from '../../src/lib/server/import/xlsx';
import { renderExpertWorkbook } from '../../src/lib/server/import/experts-xlsx';
import { previewOfflineWorkbook } from '../../src/lib/server/import/offline-sheet';
import { buildOfflineWorkbook } from '../../src/lib/server/export/offline-sheet';
import { ARCHIVE_LIMITS, archiveProblem } from '../../src/lib/server/import/unzip';
import { ExpertImportError, importExpertsFromWorkbook } from '../../src/lib/server/services/experts';
import { importAnnexUpload, importWorkbookUpload } from '../../src/lib/server/services/intake-files';
import { manyEntries, repack, zipBomb } from '../fixtures/zip-bomb';
import { scoringDb } from './scoring-fixture';
import { requireScope } from '../../src/lib/server/scope';

/** Runs `fn` and returns its result with how far the process's resident memory rose above where it started. */
async function withPeak<T>(fn: () => Promise<T>): Promise<{ value: T; grewMb: number }> {
	global.gc?.();
	const before = process.memoryUsage().rss;
	let peak = before;
	const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
	try {
		const value = await fn();
		peak = Math.max(peak, process.memoryUsage().rss);
		return { value, grewMb: (peak - before) / 1024 / 1024 };
	} finally {
		clearInterval(timer);
	}
}

const BOUND_MB = 120;

describe('the archive guard', () => {
	it('passes the workbooks the workbench writes, re-packed by an independent writer', async () => {
		const db = scoringDb();
		for (const buf of [await renderIntakeTemplate(), await renderExpertWorkbook(), (await buildOfflineWorkbook(requireScope(db), 'exp-1')).buffer]) {
			expect(await archiveProblem(buf, 'a.xlsx')).toBeNull();
			expect(await archiveProblem(repack(buf), 'a.xlsx')).toBeNull();
		}
	});

	it('refuses by entry count, declared size, declared total, ratio and actual bytes, each with the file named', async () => {
		const base = await renderExpertWorkbook();
		const small = { maxEntries: 1000, maxEntryBytes: 4 * 1024 * 1024, maxTotalBytes: 6 * 1024 * 1024, maxRatio: 200 };
		expect(await archiveProblem(manyEntries(base, 1000), '专家.xlsx')).toMatch(/^“专家\.xlsx”被拒绝：压缩包里有 \d+ 个条目，超过 1000 个的上限/);
		// Declared larger than one entry may be.
		expect(await archiveProblem(zipBomb(base, { megabytes: 5 }), '专家.xlsx', small)).toMatch(/^“专家\.xlsx”被拒绝：条目 xl\/worksheets\/sheet1\.xml 声明解压后 5 MB，超过单个条目 4 MB 的上限/);
		// Honest sizes, compressible beyond any real workbook.
		expect(await archiveProblem(zipBomb(base, { megabytes: 3 }), '专家.xlsx')).toMatch(/被拒绝：条目 xl\/worksheets\/sheet1\.xml 的压缩比超过 200 倍/);
		// Declared small (ratio looks harmless), inflates to 3 MB: caught at the first byte past the declared size.
		expect(await archiveProblem(zipBomb(base, { megabytes: 3, declare: 4000 }), '专家.xlsx')).toMatch(/被拒绝：条目 xl\/worksheets\/sheet1\.xml 实际解压后超过其声明的 0 MB（声明的大小不实）/);
		// The total: two 3 MB entries, honest, under a lenient ratio, over a 5 MB total.
		const two = zipBomb(zipBomb(base, { megabytes: 3 }), { megabytes: 3, entry: 'xl/styles.xml' });
		expect(await archiveProblem(two, 'x.xlsx', { ...small, maxRatio: 10_000, maxTotalBytes: 5 * 1024 * 1024 })).toMatch(/被拒绝：解压后共 6 MB 以上，超过 5 MB 的上限/);
		expect(await archiveProblem(Buffer.from('PK\u0003\u0004 not really'), 'x.xlsx')).toMatch(/^“x\.xlsx”不是有效的 Office 文件/);
	});
});

describe('hundreds of MB of sheet XML are refused on every .xlsx path, in bounded memory', () => {
	const MEGABYTES = 400;

	it('the intake workbook (office page and command line)', async () => {
		const honest = zipBomb(await renderIntakeTemplate(), { megabytes: MEGABYTES });
		const lying = zipBomb(await renderIntakeTemplate(), { megabytes: MEGABYTES, declare: 20_000 });
		expect(honest.length).toBeLessThan(2 * 1024 * 1024);
		for (const bomb of [honest, lying]) {
			const { value, grewMb } = await withPeak(() => parseIntakeWorkbook(bomb, '申报信息采集表.xlsx'));
			expect(value.errors).toHaveLength(1);
			expect(value.errors[0].message).toMatch(/^“申报信息采集表\.xlsx”被拒绝：.*可能是压缩炸弹/);
			expect(grewMb).toBeLessThan(BOUND_MB);
		}
		const db = memoryDb();
		const before = verifyAudit(db).entries;
		const web = await importWorkbookUpload(db, lying, SYSTEM_ACTOR, '炸弹.xlsx');
		expect(web).toMatchObject({ ok: false });
		expect(!web.ok && web.problems[0]).toContain('“炸弹.xlsx”被拒绝');
		expect(verifyAudit(db).entries).toBe(before);

		const dir = tempDir();
		const file = path.join(dir, 'bomb.xlsx');
		fs.writeFileSync(file, honest);
		const r = await cli(path.join(dir, 'w.db'), 'import', file);
		expect(r.code).toBe(1);
		expect(r.stderr).toContain(`“${file}”被拒绝`);
	}, 60_000);

	it('the expert pool import', async () => {
		for (const declare of [undefined, 20_000]) {
			const bomb = zipBomb(await renderExpertWorkbook(), { megabytes: MEGABYTES, declare });
			const db = memoryDb();
			const { value, grewMb } = await withPeak(() => importExpertsFromWorkbook(db, bomb, SYSTEM_ACTOR, '专家库.xlsx').catch((e) => e));
			expect(value).toBeInstanceOf(ExpertImportError);
			expect((value as ExpertImportError).problems).toEqual([expect.stringMatching(/^文件：“专家库\.xlsx”被拒绝：.*可能是压缩炸弹/)]);
			expect(grewMb).toBeLessThan(BOUND_MB);
		}
	}, 60_000);

	it("the expert's offline workbook", async () => {
		const db = scoringDb();
		const base = (await buildOfflineWorkbook(requireScope(db), 'exp-1')).buffer;
		for (const declare of [undefined, 20_000]) {
			const bomb = zipBomb(base, { megabytes: MEGABYTES, declare });
			const { value, grewMb } = await withPeak(() => previewOfflineWorkbook(requireScope(db), 'exp-1', bomb, '离线评分表.xlsx'));
			expect(value.items).toEqual([]);
			expect(value.problems).toEqual([expect.stringMatching(/^“离线评分表\.xlsx”被拒绝：.*可能是压缩炸弹/)]);
			expect(grewMb).toBeLessThan(BOUND_MB);
		}
	}, 60_000);

	it('a Word Annex (.docx), the same guard before the document is read', async () => {
		const annex = fs.readFileSync(path.join(FIXTURES, 'annex1-filled.docx'));
		for (const declare of [undefined, 20_000]) {
			const bomb = zipBomb(annex, { megabytes: MEGABYTES, entry: 'word/document.xml', declare });
			const db = memoryDb();
			const { value, grewMb } = await withPeak(() => importAnnexUpload(db, bomb, SYSTEM_ACTOR, { fileName: '推荐表.docx' }));
			expect(value).toEqual({ ok: false, problems: [expect.stringMatching(/^\(文件\)：“推荐表\.docx”被拒绝：.*可能是压缩炸弹/)], more: 0 });
			expect(grewMb).toBeLessThan(BOUND_MB);
		}
	}, 60_000);

	it('keeps its limits where a real workbook fits', () => {
		expect(ARCHIVE_LIMITS.maxTotalBytes).toBeGreaterThanOrEqual(64 * 1024 * 1024);
	});
});
