/**
 * Opens a user's .xlsx for the three importers (intake list, expert list, offline score form),
 * whichever program saved it last. exceljs reads only the package layout it writes itself: comment
 * parts as `xl/commentsN.xml`, VML notes as `xl/drawings/vmlDrawingN.vml`, worksheets as
 * `xl/worksheets/sheetN.xml`, relationship targets relative to their part. openpyxl (and other
 * writers) put notes in `xl/comments/comment1.xml` with absolute targets (`/xl/comments/…`), and
 * exceljs then fails with `Cannot read properties of undefined (reading 'comments')` (exceljs
 * issue #2797, open); a docProps/app.xml it cannot parse fails on `company` (#2348).
 *
 * So the archive is first checked (archiveProblem: entry count, declared and real sizes), then
 * rewritten in memory to exceljs's layout when it differs (parts renamed, targets made relative,
 * [Content_Types].xml kept in step), inflating each entry with the bounded readZipEntry. Whatever
 * still goes wrong becomes one Chinese sentence naming the file and what to do — never a JS error.
 */
import ExcelJS from 'exceljs';
import { crc32 } from 'node:zlib';
import { archiveProblem, readZipEntry, writeZip, zipEntries } from './unzip';

/** The sentence for a workbook that cannot be read at all. */
export function unreadableWorkbook(fileName: string): string {
	return `无法读取“${fileName}”：文件已损坏或不是 Excel 工作簿（.xlsx）。请用 Excel 或 WPS 重新另存为 .xlsx 后再上传。`;
}

/** What a file is, by its first bytes, when it is not an .xlsx; null when it looks like one (a ZIP). */
export function notXlsxProblem(buf: Buffer, fileName: string): string | null {
	if (buf.length === 0) return `“${fileName}”是空文件。请选择填写好的 .xlsx 工作簿后再上传。`;
	if (buf.length >= 8 && buf.readUInt32BE(0) === 0xd0cf11e0) {
		return `无法读取“${fileName}”：这是旧版 Excel（.xls）文件。请用 Excel 或 WPS 打开后另存为 .xlsx 再上传。`;
	}
	if (buf.length < 4 || buf.readUInt32LE(0) !== 0x04034b50) return unreadableWorkbook(fileName);
	return null;
}

export type OpenedWorkbook = { wb: ExcelJS.Workbook } | { problem: string };

/**
 * Checks, repairs when needed, and opens an .xlsx. `problem` is one Chinese sentence (a bomb, not an
 * .xlsx, damaged); exceljs never sees an archive archiveProblem has not passed.
 */
export async function openUserWorkbook(buf: Buffer, fileName: string): Promise<OpenedWorkbook> {
	const notXlsx = notXlsxProblem(buf, fileName);
	if (notXlsx) return { problem: notXlsx };
	const bomb = await archiveProblem(buf, fileName);
	if (bomb) {
		// A damaged archive (not a bomb) also says what to do.
		const damaged = bomb.startsWith(`“${fileName}”不是有效的 Office 文件`);
		return { problem: damaged ? `${bomb}。请用 Excel 或 WPS 重新另存为 .xlsx 后再上传。` : bomb };
	}
	let repaired: Buffer | null;
	try {
		repaired = toExcelJsLayout(buf, false);
	} catch {
		return { problem: unreadableWorkbook(fileName) };
	}
	const first = await tryLoad(repaired ?? buf);
	if (first) return { wb: first };
	// exceljs still failed: once more without the parts it is known to trip over and never needed here.
	let stripped: Buffer | null;
	try {
		stripped = toExcelJsLayout(buf, true);
	} catch {
		stripped = null;
	}
	const second = stripped ? await tryLoad(stripped) : null;
	return second ? { wb: second } : { problem: unreadableWorkbook(fileName) };
}

async function tryLoad(buf: Buffer): Promise<ExcelJS.Workbook | null> {
	const wb = new ExcelJS.Workbook();
	try {
		await wb.xlsx.load(buf as unknown as ArrayBuffer);
		return wb;
	} catch {
		return null;
	}
}

/* ------------------------------------------------------------------ package layout */

const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/';

/** Where exceljs looks for each kind of part, and the name to give one that is elsewhere. */
const CANONICAL: Record<string, { pattern: RegExp; name: (n: number) => string }> = {
	worksheet: { pattern: /^xl\/worksheets\/sheet\d+\.xml$/, name: (n) => `xl/worksheets/sheet${n}.xml` },
	comments: { pattern: /^xl\/comments\d+\.xml$/, name: (n) => `xl/comments${n}.xml` },
	vmlDrawing: { pattern: /^xl\/drawings\/vmlDrawing\d+\.vml$/, name: (n) => `xl/drawings/vmlDrawing${n}.vml` },
	drawing: { pattern: /^xl\/drawings\/[a-zA-Z0-9]+\.xml$/, name: (n) => `xl/drawings/drawing${n}.xml` },
	table: { pattern: /^xl\/tables\/table\d+\.xml$/, name: (n) => `xl/tables/table${n}.xml` },
	sharedStrings: { pattern: /^xl\/sharedStrings\.xml$/, name: () => 'xl/sharedStrings.xml' },
	styles: { pattern: /^xl\/styles\.xml$/, name: () => 'xl/styles.xml' }
};

type Rel = { raw: string; id: string; type: string; target: string; external: boolean };

function attr(tag: string, name: string): string | null {
	const m = new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)')`).exec(tag);
	return m ? (m[2] ?? m[3]) : null;
}

const decodeXml = (s: string) =>
	s.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]!);
const encodeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function parseRels(xml: string): Rel[] {
	return [...xml.matchAll(/<(?:\w+:)?Relationship\b[^>]*>/g)].map((m) => {
		const raw = m[0];
		return {
			raw,
			id: attr(raw, 'Id') ?? '',
			type: attr(raw, 'Type') ?? '',
			target: decodeXml(attr(raw, 'Target') ?? ''),
			external: (attr(raw, 'TargetMode') ?? '').toLowerCase() === 'external'
		};
	});
}

const kindOf = (type: string) => (type.startsWith(REL) ? type.slice(REL.length) : type.replace(/^.*\//, ''));
const dirOf = (part: string) => (part.includes('/') ? part.slice(0, part.lastIndexOf('/')) : '');

/** The part a target names, from the part that holds the relationship ('' for the package). */
function resolvePart(source: string, target: string): string {
	const t = target.split('#')[0];
	const segs = t.startsWith('/') ? [] : dirOf(source).split('/').filter(Boolean);
	for (const s of t.split('/')) {
		if (s === '' || s === '.') continue;
		if (s === '..') segs.pop();
		else segs.push(s);
	}
	return segs.join('/');
}

/** `xl/comments1.xml` from `xl/worksheets/sheet1.xml` → `../comments1.xml`. */
function relativeTarget(source: string, part: string): string {
	const from = dirOf(source).split('/').filter(Boolean);
	const to = part.split('/');
	let i = 0;
	while (i < from.length && i < to.length - 1 && from[i] === to[i]) i++;
	return [...from.slice(i).map(() => '..'), ...to.slice(i)].join('/');
}

/** `xl/worksheets/_rels/sheet1.xml.rels` ↔ `xl/worksheets/sheet1.xml`; `_rels/.rels` ↔ '' (the package). */
const relsPathOf = (part: string) => (part === '' ? '_rels/.rels' : `${dirOf(part) ? dirOf(part) + '/' : ''}_rels/${part.slice(part.lastIndexOf('/') + 1)}.rels`);
function sourceOfRels(relsPath: string): string | null {
	const m = /^(?:(.*)\/)?_rels\/([^/]*)\.rels$/.exec(relsPath);
	if (!m) return null;
	return (m[1] ? m[1] + '/' : '') + m[2];
}

/**
 * The archive rewritten so that exceljs finds every part, or null when it already does (and
 * `strip` is false). `strip` also drops the document properties (docProps/*), which exceljs reads
 * but the importers never use. Throws (ZipError or otherwise) on an archive it cannot take apart.
 */
export function toExcelJsLayout(buf: Buffer, strip: boolean): Buffer | null {
	// Inflated on demand (bounded by readZipEntry): a workbook already in exceljs's layout costs only its .rels parts.
	const entries = new Map(zipEntries(buf).filter((e) => !e.name.endsWith('/')).map((e) => [e.name, e]));
	const cache = new Map<string, Buffer>();
	const read = (name: string): Buffer | null => {
		const e = entries.get(name);
		if (!e) return null;
		let data = cache.get(name);
		if (!data) cache.set(name, (data = readZipEntry(buf, e)));
		return data;
	};
	const text = (name: string) => read(name)?.toString('utf8') ?? null;

	const rename = new Map<string, string>();
	const used = new Set(entries.keys());
	const counters: Record<string, number> = {};
	const place = (kind: string, part: string) => {
		const c = CANONICAL[kind];
		if (!c || c.pattern.test(part) || rename.has(part) || !entries.has(part)) return;
		let name: string;
		do name = c.name((counters[kind] = (counters[kind] ?? 0) + 1));
		while (used.has(name) && kind !== 'sharedStrings' && kind !== 'styles');
		if (used.has(name)) return; // a canonical shared strings / styles part already exists: leave both alone
		used.add(name);
		rename.set(part, name);
		// A part moved keeps its relationships beside it.
		const rels = relsPathOf(part);
		if (entries.has(rels)) rename.set(rels, relsPathOf(name));
	};

	const book = 'xl/workbook.xml';
	const bookRels = text(relsPathOf(book));
	if (!entries.has(book) || bookRels === null) return null; // not a workbook exceljs could read anyway
	const sheets: string[] = [];
	for (const r of parseRels(bookRels)) {
		if (r.external) continue;
		const part = resolvePart(book, r.target);
		const kind = kindOf(r.type);
		place(kind, part);
		if (kind === 'worksheet') sheets.push(part);
	}
	for (const sheet of sheets) {
		const xml = text(relsPathOf(sheet));
		if (xml === null) continue;
		for (const r of parseRels(xml)) if (!r.external) place(kindOf(r.type), resolvePart(sheet, r.target));
	}

	// Every relationships part with its internal targets relative to where its source now lives.
	const rels = new Map<string, Buffer>();
	let changed = rename.size > 0 || strip;
	for (const name of entries.keys()) {
		const source = sourceOfRels(name);
		if (source === null) continue;
		const newSource = rename.get(source) ?? source;
		const xml = text(name)!;
		const rewritten = xml.replace(/<(?:\w+:)?Relationship\b[^>]*>/g, (tag) => {
			const [r] = parseRels(tag);
			if (r.external || !r.target) return tag;
			const part = resolvePart(source, r.target);
			const target = relativeTarget(newSource, rename.get(part) ?? part);
			if (target === r.target) return tag;
			return tag.replace(/(\sTarget\s*=\s*)("[^"]*"|'[^']*')/, `$1"${encodeXml(target)}"`);
		});
		if (rewritten !== xml) changed = true;
		rels.set(name, Buffer.from(rewritten, 'utf8'));
	}
	if (!changed) return null;
	const out = new Map<string, Buffer>();
	for (const name of entries.keys()) {
		if (strip && name.startsWith('docProps/')) continue;
		out.set(rename.get(name) ?? name, rels.get(name) ?? read(name)!);
	}
	const types = out.get('[Content_Types].xml');
	if (types && rename.size) {
		let xml = types.toString('utf8');
		for (const [from, to] of rename) xml = xml.split(`PartName="/${from}"`).join(`PartName="/${to}"`);
		out.set('[Content_Types].xml', Buffer.from(xml, 'utf8'));
	}
	return storedZip(out);
}

/** A ZIP of stored (uncompressed) entries, UTF-8 names: the in-memory copy exceljs reads. */
function storedZip(files: Map<string, Buffer>): Buffer {
	return writeZip(
		[...files].map(([name, data]) => ({ name: Buffer.from(name, 'utf8'), method: 0, crc: crc32(data), compressed: data, size: data.length, flags: 0x800 }))
	);
}
