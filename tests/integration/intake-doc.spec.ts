/**
 * Word 97–2003 (.doc) Annex forms (issue 15, point 13): read into the same draft as the .docx of
 * the same form, with the same unread fields; accepted by the command line and by the office's and
 * the city's Word uploads; a file that only has the name, a damaged OLE file, a looping sector
 * chain and an oversized file are refused in one Chinese sentence, with nothing written.
 *
 * The .doc fixtures are the committed .docx fixtures saved by LibreOffice (how: tests/fixtures/make-annex.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, cli, tempDir } from './helpers';
import { memoryDb, openDatabase, type Db } from '../../src/lib/server/db';
import { SYSTEM_ACTOR, verifyAudit, type Actor } from '../../src/lib/server/audit';
import { exportBundle } from '../../src/lib/server/queries/bundle';
import { BundleImportError } from '../../src/lib/server/services/bundle-import';
import { importAnnexDocx, parseAnnexDocx, parseAnnexWord } from '../../src/lib/server/import/docx';
import { docTextFromBody, wordBody } from '../../src/lib/server/import/doc';
import { MAX_UPLOAD_BYTES } from '../../src/lib/server/files';
import { importAnnexUpload, zipUpload } from '../../src/lib/server/services/intake-files';
import { BROKEN_UNREAD } from '../fixtures/make-annex';
import { requireScope } from '../../src/lib/server/scope';

const annex = (name: string) => fs.readFileSync(path.join(FIXTURES, name));
const CITY_SY: Actor = { userId: 'u-sy', name: 'city-shenyang' };
const OFFICE: Actor = { userId: 'u-office', name: 'office' };

function uploadForm(bytes: Buffer | string, name: string): FormData {
	const form = new FormData();
	form.set('file', new File([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)], name));
	return form;
}
function snapshot(db: Db) {
	return { bundle: JSON.stringify(exportBundle(requireScope(db))), audit: verifyAudit(db).entries };
}

/* ---------------------------------------------------------------- damaged files */

const SECTOR = 512;
/** The FAT of a version-3 OLE file (512-byte sectors, FAT sectors listed in the header's DIFAT). */
function fatOffset(buf: Buffer, index: number): number {
	const fatSectors = buf.readUInt32LE(0x2c);
	const perSector = SECTOR / 4;
	const k = Math.floor(index / perSector);
	if (k >= Math.min(fatSectors, 109)) throw new Error('fixture FAT entry out of reach');
	const sector = buf.readInt32LE(0x4c + 4 * k);
	return SECTOR + sector * SECTOR + (index % perSector) * 4;
}
/** The directory's chain made to loop: its first sector → a second one → back to the first. */
function loopingDirectory(doc: Buffer): Buffer {
	const buf = Buffer.from(doc);
	const dir = buf.readInt32LE(0x30);
	const other = dir === 1 ? 2 : 1;
	buf.writeInt32LE(other, fatOffset(buf, dir));
	buf.writeInt32LE(dir, fatOffset(buf, other));
	return buf;
}
/** The OLE signature and header intact, every byte after them overwritten. */
function garbled(doc: Buffer): Buffer {
	const buf = Buffer.from(doc);
	for (let i = SECTOR; i < buf.length; i++) buf[i] = (i * 131 + 7) & 0xff;
	return buf;
}
/** A header claiming more FAT sectors than the file has. */
function hugeCounts(doc: Buffer): Buffer {
	const buf = Buffer.from(doc);
	buf.writeUInt32LE(0x7fffffff, 0x2c);
	return buf;
}

const ENGLISH = /Error|error|Unable|Invalid|undefined|Cannot|corrupted|magic/;

describe('Word 97–2003 (.doc) Annex forms', () => {
	it('read into exactly what the .docx of the same form gives: Annex 1, Annex 2 and the broken variant', async () => {
		for (const name of ['annex1-filled', 'annex2-filled', 'annex1-broken']) {
			const fromDocx = parseAnnexDocx(annex(`${name}.docx`));
			const fromDoc = await parseAnnexWord(annex(`${name}.doc`));
			expect(fromDoc).toEqual(fromDocx);
		}
		expect((await parseAnnexWord(annex('annex1-filled.doc'))).unread).toEqual([]);
		const broken = await parseAnnexWord(annex('annex1-broken.doc'));
		expect(broken.unread).toEqual(BROKEN_UNREAD);
		expect(broken.problems.map((p) => p.message)).toContain('“壹仟万元”不是数字');
	});

	it('rows and cells from the body text: title paragraphs, empty last cells, lines inside a cell', () => {
		const body = '附件1\n培训机构推荐表\n单位名称（盖章）\t某公司\t\n\t\t\n单位基本情况\t第一段\n第二段\t\n……\t\t\t\n填表说明\n';
		expect(docTextFromBody(body)).toEqual({
			rows: [['单位名称（盖章）', '某公司'], ['', ''], ['单位基本情况', '第一段\n第二段'], ['……', '', '']],
			paragraphs: ['附件1', '培训机构推荐表', '填表说明', '']
		});
	});

	it('the command line: import annex1.doc gives the same draft as import annex1.docx', async () => {
		const dir = tempDir();
		const viaDocx = path.join(dir, 'docx.db');
		const viaDoc = path.join(dir, 'doc.db');
		for (const [db, file] of [
			[viaDocx, 'annex1-filled.docx'],
			[viaDoc, 'annex1-filled.doc'],
			[viaDocx, 'annex2-filled.docx'],
			[viaDoc, 'annex2-filled.doc']
		]) {
			const res = await cli(db, 'import', path.join(FIXTURES, file), '--json');
			expect(res.stderr).toBe('');
			expect(res.code).toBe(0);
			expect(JSON.parse(res.stdout).imported).toMatchObject({ institutions: 1, applications: 1 });
		}
		const a = openDatabase(viaDocx);
		const b = openDatabase(viaDoc);
		const bundleA = exportBundle(requireScope(a));
		expect(bundleA.applications).toHaveLength(2);
		for (const conn of [a, b]) expect(conn.$client.prepare('SELECT status FROM applications').pluck().all()).toEqual(['draft', 'draft']);
		expect(exportBundle(requireScope(b))).toEqual(bundleA);
		a.$client.close();
		b.$client.close();
	});

	it('the command line refuses a renamed file, a damaged one and a looping one in one Chinese line, writing nothing', async () => {
		const dir = tempDir();
		const db = path.join(dir, 'a.db');
		expect((await cli(db, 'import', path.join(FIXTURES, 'annex2-filled.doc'))).code).toBe(0);
		const conn = openDatabase(db);
		const before = snapshot(conn);
		const doc = annex('annex1-filled.doc');
		const cases: [string, Buffer | string, RegExp][] = [
			['renamed.doc', '这是一个改了扩展名的文本文件\n', /renamed\.doc: \(文件\): 不是有效的 Word 文档（\.docx 或 \.doc）/],
			['garbled.doc', garbled(doc), /garbled\.doc: \(文件\): 无法读取这个 Word 97–2003 文档（\.doc）：文件已损坏或不是 Word 文档/],
			['looping.doc', loopingDirectory(doc), /looping\.doc: \(文件\): 无法读取这个 Word 97–2003 文档（\.doc）.*扇区链循环/],
			['counts.doc', hugeCounts(doc), /counts\.doc: \(文件\): 无法读取.*扇区数超出文件长度/],
			['short.doc', doc.subarray(0, 300), /short\.doc: \(文件\): 无法读取.*文件头不完整/]
		];
		for (const [name, bytes, message] of cases) {
			const file = path.join(dir, name);
			fs.writeFileSync(file, bytes);
			const res = await cli(db, 'import', file);
			expect(res.code, name).toBe(1);
			expect(res.stderr.trim().split('\n'), name).toHaveLength(1);
			expect(res.stderr, name).toMatch(message);
			expect(res.stderr.replace(/\S+\.doc/, ''), name).not.toMatch(ENGLISH);
		}
		expect(snapshot(conn)).toEqual(before);
		conn.$client.close();
	});

	it('refuses a .doc over the upload limit before reading it', async () => {
		const big = Buffer.concat([annex('annex1-filled.doc'), Buffer.alloc(MAX_UPLOAD_BYTES)]);
		const err = await wordBody(big).catch((e) => e);
		expect(err).toBeInstanceOf(BundleImportError);
		expect(err.firstLine).toBe('(文件): Word 文档不能超过 10 MB');
	});
});

describe('the Word uploads accept .doc', () => {
	it('an upload is a Word file by its content: .docx or .doc, not one only named so', async () => {
		const ok = await zipUpload(uploadForm(annex('annex1-filled.doc'), '推荐表.doc'), 'Word 文档（.docx 或 .doc）');
		expect(ok).toMatchObject({ name: '推荐表.doc' });
		const renamed = await zipUpload(uploadForm('不是 Word 文档', '推荐表.doc'), 'Word 文档（.docx 或 .doc）');
		expect(renamed).toEqual({ error: '“推荐表.doc”不是Word 文档（.docx 或 .doc）：文件内容既不是 Office Open XML 格式，也不是 Word 97–2003 格式' });
		// An Excel upload stays an Office Open XML zip: an OLE file is refused there.
		const xls = await zipUpload(uploadForm(annex('annex1-filled.doc'), 'old.xlsx'), 'Excel 工作簿（.xlsx）');
		expect(xls).toMatchObject({ error: expect.stringMatching(/旧版 \.xls 请另存为 \.xlsx/) });
	});

	it("the office's import: a .doc becomes a draft with the same unread fields as its .docx", async () => {
		const db = memoryDb();
		const r = await importAnnexUpload(db, annex('annex1-broken.doc'), OFFICE, { fileName: 'annex1-broken.doc' });
		expect(r).toMatchObject({ ok: true, result: { type: 'training', region: 'shenyang', unread: BROKEN_UNREAD } });
		const [app] = exportBundle(requireScope(db)).applications;
		expect(app.planned).toEqual({ junior: 500, intermediate: null, senior: null });
	});

	it("the city's import: a .doc of its own region becomes its draft; damaged ones are refused in Chinese, nothing written", async () => {
		const db = memoryDb();
		const r = await importAnnexUpload(db, annex('annex2-filled.doc'), CITY_SY, { region: 'shenyang', onlyRegion: 'shenyang', fileName: 'a.doc' });
		expect(r).toMatchObject({ ok: true, result: { type: 'evaluation', region: 'shenyang', unread: [] } });
		const before = snapshot(db);
		for (const bytes of [garbled(annex('annex1-filled.doc')), loopingDirectory(annex('annex1-filled.doc'))]) {
			const bad = await importAnnexUpload(db, bytes, CITY_SY, { region: 'shenyang', onlyRegion: 'shenyang', fileName: 'b.doc' });
			expect(bad).toMatchObject({ ok: false, more: 0 });
			if (bad.ok) continue;
			expect(bad.problems).toHaveLength(1);
			expect(bad.problems[0]).toMatch(/^\(文件\)：无法读取这个 Word 97–2003 文档（\.doc）/);
			expect(bad.problems[0]).not.toMatch(ENGLISH);
		}
		expect(snapshot(db)).toEqual(before);
		// And the same .doc imported through importAnnexDocx directly: SYSTEM actor, same draft id as the .docx.
		const fromDocx = await importAnnexDocx(memoryDb(), annex('annex2-filled.docx'), SYSTEM_ACTOR);
		const fromDoc = await importAnnexDocx(memoryDb(), annex('annex2-filled.doc'), SYSTEM_ACTOR);
		expect(fromDoc).toEqual(fromDocx);
	});
});
