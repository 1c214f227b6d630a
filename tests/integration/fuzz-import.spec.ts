/**
 * Hostile input for the importers: the JSON bundle, the Excel intake workbook and the Word annexes
 * get malformed, oversized and hostile content (scripts, formulas, path tricks, huge files, zip
 * bombs, wrong types). Each attempt either imports valid (if odd) text or fails with a clear
 * Chinese error naming where — and then the database is exactly as before.
 */
import { deflateRawSync, crc32 } from 'node:zlib';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, cli, fullBundle, tempDir } from './helpers';
import { memoryDb, type Db } from '../../src/lib/server/db';
import { SYSTEM_ACTOR } from '../../src/lib/server/audit';
import { BundleImportError, importBundle, parseBundleText } from '../../src/lib/server/services/bundle-import';
import { renderIntakeTemplate } from '../../src/lib/server/export/intake-template';
import { importIntakeWorkbook } from '../../src/lib/server/import/xlsx';
import { importAnnexDocx } from '../../src/lib/server/import/docx';
import { readZipFile, zipEntries } from '../../src/lib/server/import/unzip';
import { ANNEX1, buildAnnexDocx } from '../fixtures/make-annex';
import { HOSTILE_STRINGS, OVERSIZED, SCRIPT, fingerprint, pick, rng } from '../support/hostile';

const CJK = /[\u4e00-\u9fff]/;

/** A database holding the full fixture bundle (so that a bad import would have something to spoil). */
function seeded(): Db {
	const db = memoryDb();
	importBundle(db, fullBundle(), SYSTEM_ACTOR);
	return db;
}

type Outcome = 'imported' | 'refused';

/** Runs one import; a refusal must be a BundleImportError with located Chinese messages and no write. */
async function attempt(db: Db, label: string, run: () => unknown): Promise<Outcome> {
	const before = fingerprint(db.$client);
	try {
		await run();
		return 'imported';
	} catch (e) {
		if (!(e instanceof BundleImportError)) throw new Error(`${label}: 不是明确的导入错误：${e instanceof Error ? e.stack : String(e)}`);
		expect(e.errors.length, label).toBeGreaterThan(0);
		for (const err of e.errors) {
			expect(err.path, label).toBeTruthy();
			expect(err.message, label).toMatch(CJK);
		}
		expect(fingerprint(db.$client), `${label}: 失败的导入写入了数据`).toBe(before);
		return 'refused';
	}
}

/* ------------------------------------------------------------ a tiny ZIP writer (for bombs and tricks) */

function zip(entries: { name: string; data: Buffer; declaredSize?: number }[]): Buffer {
	const locals: Buffer[] = [];
	const centrals: Buffer[] = [];
	let offset = 0;
	for (const e of entries) {
		const name = Buffer.from(e.name, 'utf8');
		const packed = deflateRawSync(e.data, { level: 9 });
		const crc = crc32(e.data);
		const size = e.declaredSize ?? e.data.length;
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		local.writeUInt16LE(20, 4);
		local.writeUInt16LE(0x800, 6);
		local.writeUInt16LE(8, 8);
		local.writeUInt32LE(crc, 14);
		local.writeUInt32LE(packed.length, 18);
		local.writeUInt32LE(size, 22);
		local.writeUInt16LE(name.length, 26);
		const central = Buffer.alloc(46);
		central.writeUInt32LE(0x02014b50, 0);
		central.writeUInt16LE(20, 4);
		central.writeUInt16LE(20, 6);
		central.writeUInt16LE(0x800, 8);
		central.writeUInt16LE(8, 10);
		central.writeUInt32LE(crc, 16);
		central.writeUInt32LE(packed.length, 20);
		central.writeUInt32LE(size, 24);
		central.writeUInt16LE(name.length, 28);
		central.writeUInt32LE(offset, 42);
		locals.push(local, name, packed);
		centrals.push(central, name);
		offset += 30 + name.length + packed.length;
	}
	const dir = Buffer.concat(centrals);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(entries.length, 8);
	end.writeUInt16LE(entries.length, 10);
	end.writeUInt32LE(dir.length, 12);
	end.writeUInt32LE(offset, 16);
	return Buffer.concat([...locals, dir, end]);
}

/** Every entry of a ZIP (to rebuild a document with one entry swapped). */
function unzipAll(buf: Buffer): { name: string; data: Buffer }[] {
	return zipEntries(buf).map((e) => ({ name: e.name, data: readZipFile(buf, e.name)! }));
}

/* ------------------------------------------------------------ bundle */

/** Every path in a JSON value. */
function paths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
	const out: (string | number)[][] = [at];
	if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...at, i])));
	else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...at, k]));
	return out;
}

function setAt(root: any, p: (string | number)[], fn: (parent: any, key: string | number) => void) {
	let node = root;
	for (const k of p.slice(0, -1)) node = node[k];
	fn(node, p[p.length - 1]);
}

const WRONG_VALUES: unknown[] = [null, 0, -1, 1.5, 1e300, true, 'x', '', [], {}, [1, 2], { a: 1 }, OVERSIZED(20_001)];

describe('bundle import: hostile and malformed bundles', () => {
	it('400 seeded mutations of a valid bundle: clear errors, nothing written on refusal', async () => {
		const r = rng(20260801);
		const base = fullBundle();
		const all = paths(base).filter((p) => p.length > 0);
		let refused = 0;
		let db = seeded();
		for (let i = 0; i < 400; i++) {
			const b = fullBundle();
			const p = pick(r, all);
			const kind = Math.floor(r() * 6);
			setAt(b, p, (parent, key) => {
				if (kind === 0) parent[key] = pick(r, WRONG_VALUES);
				else if (kind === 1) parent[key] = pick(r, HOSTILE_STRINGS);
				else if (kind === 2 && Array.isArray(parent)) parent.splice(Number(key), 1);
				else if (kind === 2) delete parent[key];
				else if (kind === 3 && parent && typeof parent === 'object' && !Array.isArray(parent)) parent[`unknown_${i}`] = 1;
				else if (kind === 4) parent[key] = typeof parent[key] === 'string' ? OVERSIZED(25_000) : pick(r, WRONG_VALUES);
				else if (Array.isArray(parent)) parent.push(structuredClone(parent[key as number]));
				else parent[key] = pick(r, HOSTILE_STRINGS);
			});
			const outcome = await attempt(db, `mutation ${i} at ${p.join('.')}`, () => importBundle(db, b, SYSTEM_ACTOR));
			if (outcome === 'refused') refused++;
			else db = seeded();
		}
		expect(refused).toBeGreaterThan(150);
	});

	it('named cases: oversized text, path tricks in ids, unknown and __proto__ keys, wrong types, script text', async () => {
		const db = seeded();
		const cases: [string, (b: any) => void, RegExp][] = [
			['oversized narrative', (b) => (b.applications[0].overview = OVERSIZED(20_001)), /applications\[0\]\.overview/],
			['oversized name', (b) => (b.institutions[0].name = OVERSIZED(201)), /institutions\[0\]\.name/],
			['path trick in an id', (b) => (b.applications[0].id = '../../etc/passwd'), /applications\[0\]\.id/],
			['NUL in an id', (b) => (b.experts[0].id = 'exp\u0000x'), /experts\[0\]\.id/],
			['unknown key', (b) => (b.applications[0].isAdmin = true), /applications\[0\]/],
			['points as text', (b) => (b.scores[0].points = { [Object.keys(b.scores[0].points)[0]]: '=1+1' }), /scores\[0\]\.points/],
			['negative count', (b) => (b.institutions[0].employees = -5), /institutions\[0\]\.employees/],
			['fractional count', (b) => (b.institutions[0].employees = 2.5), /institutions\[0\]\.employees/],
			['bad date', (b) => (b.institutions[0].founded = '2023-02-30'), /institutions\[0\]\.founded/],
			['unknown occupation', (b) => (b.applications[0].occupation = '<script>'), /applications\[0\]\.occupation/],
			['dangling reference', (b) => (b.assignments[0].expertId = 'exp-nobody'), /assignments\[0\]/],
			['points out of bounds', (b) => (b.scores[0].points[Object.keys(b.scores[0].points)[0]] = 1e9), /scores\[0\]/],
			['array instead of object', (b) => (b.batch = []), /batch/],
			['huge array of bad rows', (b) => (b.assignments = Array.from({ length: 50_000 }, (_, i) => ({ applicationId: `nope-${i}`, expertId: 'x' }))), /assignments\[\d+\]/]
		];
		for (const [label, mutate, where] of cases) {
			const b = fullBundle();
			mutate(b);
			const before = fingerprint(db.$client);
			expect(await attempt(db, label, () => importBundle(db, b, SYSTEM_ACTOR)), label).toBe('refused');
			try {
				importBundle(db, b, SYSTEM_ACTOR);
			} catch (e) {
				expect((e as BundleImportError).message, label).toMatch(where);
			}
			expect(fingerprint(db.$client)).toBe(before);
		}
		// Script and formula text within the limits is just text: stored as written, never run.
		const b = fullBundle();
		b.institutions[0].name = SCRIPT;
		b.applications[0].overview = '=cmd|\' /C calc\'!A0';
		expect(await attempt(db, 'script text', () => importBundle(db, b, SYSTEM_ACTOR))).toBe('imported');
		const row = db.$client.prepare('SELECT name FROM institutions WHERE id = ?').get(b.institutions[0].id) as { name: string };
		expect(row.name).toBe(SCRIPT);
	});

	it('hostile JSON text: syntax errors, BOM, 1e309, __proto__, deep nesting', async () => {
		const db = seeded();
		const valid = JSON.stringify(fullBundle());
		const texts: [string, string][] = [
			['empty', ''],
			['truncated', valid.slice(0, valid.length / 2)],
			['trailing garbage', valid + 'x'],
			['not an object', '[1,2,3]'],
			['a string', '"bundle"'],
			['infinity', valid.replace(/"employees":\s*\d+/, '"employees": 1e309')],
			['__proto__ key', valid.replace('"applications":', '"__proto__": {"isAdmin": true}, "applications":')],
			['__proto__ in an application', valid.replace(/"applications":\s*\[\s*\{/, '"applications": [{"__proto__": {"status": "accepted"}, ')],
			['constructor key', valid.replace('"experts":', '"constructor": {"prototype": {"x": 1}}, "experts":')],
			['deep nesting', `{"applications": ${'['.repeat(5000)}${']'.repeat(5000)}}`],
			['binary', '\u0000\u0001\u0002PK'],
			['wrong format tag', valid.replace('"dte-review-bundle"', '"evil-bundle"')]
		];
		for (const [label, text] of texts) {
			expect(await attempt(db, label, () => importBundle(db, parseBundleText(text), SYSTEM_ACTOR)), label).toBe('refused');
		}
		expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
		// With a BOM the same bundle is fine.
		expect(await attempt(db, 'bom', () => importBundle(db, parseBundleText('\uFEFF' + valid), SYSTEM_ACTOR))).toBe('imported');
	});

	it('the command line refuses a hostile file with one line and exit 1, changing nothing', async () => {
		const dir = tempDir();
		const dbFile = path.join(dir, 'w.db');
		expect((await cli(dbFile, 'import', path.join(FIXTURES, 'full-bundle.json'))).code).toBe(0);
		const { openDatabase } = await import('../../src/lib/server/db');
		const look = () => {
			const d = openDatabase(dbFile);
			try {
				return fingerprint(d.$client);
			} finally {
				d.$client.close();
			}
		};
		const before = look();
		const bad = fullBundle();
		bad.applications[1].levels = ['junior', '<script>'];
		const files: [string, string | Buffer][] = [
			['bad.json', JSON.stringify(bad)],
			['garbage.json', Buffer.from([0xff, 0xfe, 0x00, 0x81, 0x22])],
			['fake.xlsx', 'PK\u0003\u0004 not really'],
			['fake.docx', Buffer.alloc(4096, 0x41)],
			['../../escape.json', '{"batch": 5}']
		];
		for (const [name, content] of files) {
			const file = path.join(dir, path.basename(name));
			fs.writeFileSync(file, content);
			const r = await cli(dbFile, 'import', file);
			expect(r.code, name).toBe(1);
			expect(r.stderr.trim().split('\n'), name).toHaveLength(1);
			expect(r.stderr, name).toMatch(CJK);
		}
		expect((await cli(dbFile, 'import', path.join(dir, 'does-not-exist.json'))).code).toBe(1);
		expect(look()).toBe(before);
	});
});

/* ------------------------------------------------------------ Excel */

describe('Excel intake import: hostile workbooks', () => {
	let template: Buffer;
	beforeAll(async () => {
		template = await renderIntakeTemplate();
	});

	/** The template with one application per row (申报信息). */
	async function filledRows(rows: Record<string, ExcelJS.CellValue>[]): Promise<Buffer> {
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load(template as unknown as ArrayBuffer);
		const ws = wb.getWorksheet('申报信息')!;
		const cols = new Map<string, number>();
		ws.getRow(1).eachCell((c, n) => cols.set(String(c.value), n));
		rows.forEach((values, r) => {
			for (const [header, value] of Object.entries(values)) {
				const n = cols.get(header);
				if (!n) throw new Error(`no column ${header}`);
				ws.getRow(2 + r).getCell(n).value = value;
			}
		});
		return Buffer.from(await wb.xlsx.writeBuffer());
	}
	const filled = (values: Record<string, ExcelJS.CellValue>, rows = 1) =>
		filledRows(Array.from({ length: rows }, (_, r) => ({ ...values, 申报编号: `${values.申报编号}-${r}` })));

	const GOOD = {
		申报编号: 'fz-ai-01',
		申报类型: '培训机构',
		职业: '人工智能工程技术人员',
		初级: '是',
		地区: '沈阳',
		单位名称: '辽宁模糊测试科技有限公司',
		统一社会信用代码: '91210100MA0Q8K3L7X'
	};

	it('non-workbooks, truncated and corrupted workbooks', async () => {
		const db = seeded();
		const r = rng(7);
		const good = await filled(GOOD);
		const docx = fs.readFileSync(path.join(FIXTURES, 'annex1-filled.docx'));
		const inputs: [string, Buffer][] = [
			['empty', Buffer.alloc(0)],
			['text', Buffer.from('申报编号,单位名称\n1,=cmd\n')],
			['xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...Array(504).fill(0)])],
			['zip header only', Buffer.from('PK\u0003\u0004garbage garbage')],
			['a docx', docx],
			['zip without a workbook', zip([{ name: 'hello.txt', data: Buffer.from('hi') }])],
			['path tricks in entry names', zip([{ name: '../../../tmp/evil.sh', data: Buffer.from('rm -rf /') }, { name: '/etc/passwd', data: Buffer.from('x') }])]
		];
		for (let i = 0; i < 8; i++) inputs.push([`random ${i}`, Buffer.from(Array.from({ length: 64 + Math.floor(r() * 4000) }, () => Math.floor(r() * 256)))]);
		for (let i = 0; i < 8; i++) inputs.push([`truncated ${i}`, good.subarray(0, Math.floor(r() * good.length))]);
		for (let i = 0; i < 8; i++) {
			const b = Buffer.from(good);
			for (let k = 0; k < 20; k++) b[Math.floor(r() * b.length)] ^= 0xff;
			inputs.push([`bit flips ${i}`, b]);
		}
		for (const [label, buf] of inputs) {
			const outcome = await attempt(db, label, () => importIntakeWorkbook(db, buf, SYSTEM_ACTOR));
			if (!label.startsWith('bit flips')) expect(outcome, label).toBe('refused');
		}
	});

	it('hostile and wrong-typed cells in every column', async () => {
		const db = seeded();
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load(template as unknown as ArrayBuffer);
		const headers: string[] = [];
		wb.getWorksheet('申报信息')!.getRow(1).eachCell((c) => headers.push(String(c.value)));
		const r = rng(11);
		const odd: ExcelJS.CellValue[] = [
			{ formula: 'HYPERLINK("http://evil.example","x")', result: 'x' } as ExcelJS.CellFormulaValue,
			{ formula: '1/0', result: { error: '#DIV/0!' } } as ExcelJS.CellFormulaValue,
			{ error: '#N/A' } as ExcelJS.CellErrorValue,
			{ richText: [{ text: SCRIPT }] },
			new Date('1900-01-01'),
			true,
			-1e15,
			OVERSIZED(32_000),
			...HOSTILE_STRINGS.filter((h) => h.trim())
		];
		// Three rounds; each row is a good application with one odd cell (the 申报编号 column too).
		for (let round = 0; round < 3; round++) {
			const rows = headers.map((header, i) => ({ ...GOOD, 申报编号: `fz-${round}-${i}`, [header]: pick(r, odd) }));
			const buf = await filledRows(rows);
			expect(await attempt(db, `round ${round}`, () => importIntakeWorkbook(db, buf, SYSTEM_ACTOR))).toBe('refused');
			try {
				await importIntakeWorkbook(db, buf, SYSTEM_ACTOR);
			} catch (e) {
				for (const err of (e as BundleImportError).errors) expect(err.path).toMatch(/^(申报信息|纳税情况|培训规模|考核评价规模|场地设施|人员)!|^\(文件\)$/);
			}
		}
		// Script and formula text in free-text columns is imported as text, exactly as written.
		const text = await filledRows([{ ...GOOD, 单位名称: SCRIPT, 单位基本情况: '=cmd|\' /C calc\'!A0', 单位地址: '../../../../etc/passwd' }]);
		expect(await attempt(db, 'script text', () => importIntakeWorkbook(db, text, SYSTEM_ACTOR))).toBe('imported');
		const row = db.$client.prepare('SELECT i.name, a.overview FROM applications a JOIN institutions i ON i.id = a.institution_id WHERE a.id = ?').get('fz-ai-01') as {
			name: string;
			overview: string;
		};
		expect(row).toEqual({ name: SCRIPT, overview: '=cmd|\' /C calc\'!A0' });
	}, 120_000);

	it('thousands of garbage rows: refused with a bounded list of located errors', async () => {
		const db = seeded();
		const buf = await filled({ ...GOOD, 职业: '不存在的职业', 统一社会信用代码: '=1+1' }, 3000);
		const t0 = Date.now();
		expect(await attempt(db, 'garbage rows', () => importIntakeWorkbook(db, buf, SYSTEM_ACTOR))).toBe('refused');
		expect(Date.now() - t0).toBeLessThan(20_000);
		try {
			await importIntakeWorkbook(db, buf, SYSTEM_ACTOR);
		} catch (e) {
			const errors = (e as BundleImportError).errors;
			expect(errors.length).toBeLessThanOrEqual(201);
			expect(errors[0].path).toMatch(/^申报信息!R2/);
		}
	});

	it('a zip bomb (a worksheet that inflates to hundreds of MB) is refused without exhausting memory', async () => {
		const db = seeded();
		const entries = unzipAll(await filled(GOOD));
		const bomb = zip(entries.map((e) => (e.name === 'xl/worksheets/sheet1.xml' ? { name: e.name, data: Buffer.alloc(300 * 1024 * 1024, 0x20) } : e)));
		expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
		const t0 = Date.now();
		expect(await attempt(db, 'xlsx bomb', () => importIntakeWorkbook(db, bomb, SYSTEM_ACTOR))).toBe('refused');
		expect(Date.now() - t0).toBeLessThan(20_000);
	});
});

/* ------------------------------------------------------------ Word */

describe('Word annex import: hostile documents', () => {
	let good: Buffer;
	beforeAll(async () => {
		good = await buildAnnexDocx(ANNEX1);
	});

	it('non-documents, truncated, corrupted and trick archives', async () => {
		const db = seeded();
		const r = rng(13);
		const inputs: [string, Buffer][] = [
			['empty', Buffer.alloc(0)],
			['text', Buffer.from('附件1 数字技术工程师培育项目培训机构推荐表')],
			['doc (OLE)', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...Array(1000).fill(0)])],
			['xlsx', Buffer.from(await renderIntakeTemplate())],
			['no document.xml', zip([{ name: 'word/other.xml', data: Buffer.from('<x/>') }])],
			['path tricks', zip([{ name: '../../word/document.xml', data: Buffer.from('<w:document/>') }, { name: 'word\\..\\..\\evil', data: Buffer.from('x') }])],
			['not XML', zip([{ name: 'word/document.xml', data: Buffer.from('\u0000\u0001 binary <<<>>> &&&') }])],
			['unclosed tags', zip([{ name: 'word/document.xml', data: Buffer.from('<w:document><w:body><w:tbl><w:tr><w:tc><w:p><w:r><w:t>单位名称') }])],
			['entity expansion', zip([{ name: 'word/document.xml', data: Buffer.from(`<?xml version="1.0"?><!DOCTYPE a [<!ENTITY a "${'x'.repeat(1000)}"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><w:document><w:t>&b;&b;&b;</w:t></w:document>`) }])],
			['deep nesting', zip([{ name: 'word/document.xml', data: Buffer.from('<w:p>'.repeat(200_000)) }])],
			['size lies', zip([{ name: 'word/document.xml', data: Buffer.from('<w:document/>'), declaredSize: 5 }])]
		];
		for (let i = 0; i < 6; i++) inputs.push([`random ${i}`, Buffer.from(Array.from({ length: 100 + Math.floor(r() * 3000) }, () => Math.floor(r() * 256)))]);
		for (let i = 0; i < 8; i++) inputs.push([`truncated ${i}`, good.subarray(0, Math.floor(r() * good.length))]);
		for (let i = 0; i < 8; i++) {
			const b = Buffer.from(good);
			for (let k = 0; k < 10; k++) b[Math.floor(r() * b.length)] ^= 0x5a;
			inputs.push([`bit flips ${i}`, b]);
		}
		for (const [label, buf] of inputs) {
			const outcome = await attempt(db, label, () => importAnnexDocx(db, buf, SYSTEM_ACTOR));
			if (!label.startsWith('bit flips')) expect(outcome, label).toBe('refused');
		}
	});

	it('hostile values in the form fields: script and formula text stays text; oversized text is refused', async () => {
		const db = memoryDb();
		const hostile = structuredClone(ANNEX1);
		hostile.institution.name = `${SCRIPT}有限公司`;
		hostile.app.overview = '=cmd|\' /C calc\'!A0';
		hostile.institution.address = '../../../../etc/passwd';
		const hostileDoc = await buildAnnexDocx(hostile);
		expect(await attempt(db, 'script text', () => importAnnexDocx(db, hostileDoc, SYSTEM_ACTOR))).toBe('imported');
		const stored = db.$client.prepare('SELECT name FROM institutions WHERE name LIKE ?').get('%xss-h10-marker%') as { name: string };
		expect(stored.name).toBe(`${SCRIPT}有限公司`);
		const big = structuredClone(ANNEX1);
		big.app.overview = OVERSIZED(25_000);
		const bigDoc = await buildAnnexDocx(big);
		expect(await attempt(db, 'oversized overview', () => importAnnexDocx(db, bigDoc, SYSTEM_ACTOR))).toBe('refused');
	});

	it('a zip bomb document is refused without exhausting memory', async () => {
		const db = seeded();
		const bomb = zip(unzipAll(good).map((e) => (e.name === 'word/document.xml' ? { name: e.name, data: Buffer.alloc(400 * 1024 * 1024, 0x20) } : e)));
		expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
		const t0 = Date.now();
		expect(await attempt(db, 'docx bomb', () => importAnnexDocx(db, bomb, SYSTEM_ACTOR))).toBe('refused');
		expect(Date.now() - t0).toBeLessThan(20_000);
	});
});
