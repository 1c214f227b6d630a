/**
 * Word 97–2003 (.doc) Annex forms. `word-extractor` reads the body text of the OLE compound file;
 * in it a table cell ends with a tab and a table row ends with a tab and a line break, while the
 * paragraphs inside a cell are separated by line breaks. That text is turned into the same rows of
 * cells the .docx reader builds, and read by the same form mapping (docx.ts `readAnnex`).
 *
 * The input is guarded before the library sees it: the OLE signature, the size cap of every
 * upload, and a header whose sector counts fit the file; a sector chain that loops is refused
 * (the library would follow it until memory runs out). Every failure becomes one Chinese sentence.
 */
import { createRequire } from 'node:module';
import { MAX_UPLOAD_BYTES } from '../files';
import { BundleImportError } from '../services/bundle-import';
import type { DocText } from './docx';

/** D0 CF 11 E0 A1 B1 1A E1: the signature of an OLE compound file (.doc, .xls, .msg …). */
export const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
export const isOle = (buf: Buffer) => buf.length >= 8 && buf.subarray(0, 8).equals(OLE_MAGIC);

const fileError = (message: string) => new BundleImportError([{ path: '(文件)', message }]);

const require = createRequire(import.meta.url);
type WordDocument = { getBody(options?: { filterUnicode?: boolean }): string };
type Extractor = { extract(source: Buffer): Promise<WordDocument> };
let extractor: Extractor | null = null;

function wordExtractor(): Extractor {
	if (extractor) return extractor;
	// A chain of sectors that comes back to an earlier one would be followed for ever: a chain can
	// be no longer than the table has entries.
	const AllocationTable = require('word-extractor/lib/ole-allocation-table');
	AllocationTable.prototype.getSecIdChain = function (this: { _table: number[] }, start: number): number[] {
		const ids: number[] = [];
		for (let id = start; id > -1; id = this._table[id]) {
			if (ids.length >= this._table.length || !Number.isInteger(id)) throw new OleError('扇区链循环或越界');
			ids.push(id);
		}
		return ids;
	};
	const WordExtractor = require('word-extractor');
	extractor = new WordExtractor() as Extractor;
	return extractor;
}

class OleError extends Error {}

/** The header's counts must fit the file (the library trusts them to size its tables and loops). */
function checkHeader(buf: Buffer): void {
	if (buf.length < 512) throw new OleError('文件头不完整');
	const shift = buf.readUInt16LE(0x1e);
	if (shift !== 9 && shift !== 12) throw new OleError('扇区大小无效');
	const sectors = Math.ceil((buf.length - 512) / (1 << shift));
	for (const at of [0x2c, 0x40, 0x48]) {
		if (buf.readUInt32LE(at) > sectors) throw new OleError('扇区数超出文件长度');
	}
}

/** The body text of a Word 97–2003 document; BundleImportError (one Chinese sentence) when it cannot be read. */
export async function wordBody(buf: Buffer): Promise<string> {
	if (buf.length > MAX_UPLOAD_BYTES) throw fileError(`Word 文档不能超过 ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`);
	if (!isOle(buf)) throw fileError('不是 Word 97–2003 文档（.doc）：文件内容不是 OLE 复合文档格式');
	try {
		checkHeader(buf);
		const doc = await wordExtractor().extract(buf);
		const body = doc.getBody({ filterUnicode: false });
		if (typeof body !== 'string') throw new OleError('没有正文');
		return body;
	} catch (e) {
		// Whatever the library throws on a damaged file (English messages, RangeErrors) is said in Chinese.
		const why = e instanceof OleError ? `（${e.message}）` : '';
		throw fileError(`无法读取这个 Word 97–2003 文档（.doc）：文件已损坏或不是 Word 文档${why}；请用 Word 或 WPS 打开后另存为 .docx 再导入`);
	}
}

/**
 * Rows of cells and the paragraphs outside tables, from the body text: `cell\tcell\t\n` is a row
 * (the last cell's tab, then the row's end), line breaks inside a cell separate its paragraphs.
 * Lines before the first row's last line belong to the paragraphs above the table (the title).
 */
export function docTextFromBody(body: string): DocText {
	const text = body.replace(/\r\n?/g, '\n');
	const segments = text.split('\t\n');
	const after = segments.pop() ?? '';
	const rows: string[][] = [];
	const paragraphs: string[] = [];
	segments.forEach((segment, k) => {
		const cells = segment.split('\t');
		if (k === 0) {
			const ls = cells[0].split('\n');
			cells[0] = ls.pop() ?? '';
			paragraphs.push(...ls);
		}
		rows.push(cells);
	});
	paragraphs.push(...after.split('\n'));
	return { rows, paragraphs };
}
