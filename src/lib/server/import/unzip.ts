/**
 * A minimal, synchronous ZIP reader (stored and deflated entries, no ZIP64, no encryption): enough
 * to read `word/document.xml` out of a .docx without another dependency. Reads the central
 * directory, so entries written with data descriptors are handled.
 */
import { createInflateRaw, inflateRawSync } from 'node:zlib';

export class ZipError extends Error {}

export type ZipEntry = { name: string; method: number; compressedSize: number; size: number; offset: number };

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** Lists the entries of a ZIP archive; throws ZipError when the buffer is not one. */
export function zipEntries(buf: Buffer): ZipEntry[] {
	if (buf.length < 22) throw new ZipError('文件太短，不是 ZIP 格式');
	// The end-of-central-directory record sits in the last 22 + up to 65535 (comment) bytes.
	let eocd = -1;
	for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
		if (buf.readUInt32LE(i) === EOCD) {
			eocd = i;
			break;
		}
	}
	if (eocd < 0) throw new ZipError('找不到 ZIP 目录，不是 ZIP 格式');
	const count = buf.readUInt16LE(eocd + 10);
	const dirSize = buf.readUInt32LE(eocd + 12);
	const dirOffset = buf.readUInt32LE(eocd + 16);
	if (dirOffset === 0xffffffff || count === 0xffff) throw new ZipError('不支持 ZIP64 格式');
	if (dirOffset + dirSize > buf.length) throw new ZipError('ZIP 目录超出文件范围，文件已损坏');
	const entries: ZipEntry[] = [];
	let p = dirOffset;
	for (let k = 0; k < count; k++) {
		if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL) throw new ZipError('ZIP 目录已损坏');
		const flags = buf.readUInt16LE(p + 8);
		const method = buf.readUInt16LE(p + 10);
		const compressedSize = buf.readUInt32LE(p + 20);
		const size = buf.readUInt32LE(p + 24);
		const nameLen = buf.readUInt16LE(p + 28);
		const extraLen = buf.readUInt16LE(p + 30);
		const commentLen = buf.readUInt16LE(p + 32);
		const offset = buf.readUInt32LE(p + 42);
		const nameBytes = buf.subarray(p + 46, p + 46 + nameLen);
		const name = flags & 0x800 ? nameBytes.toString('utf8') : nameBytes.toString('latin1');
		if (flags & 0x1) throw new ZipError(`ZIP 条目 ${name} 已加密`);
		entries.push({ name, method, compressedSize, size, offset });
		p += 46 + nameLen + extraLen + commentLen;
	}
	return entries;
}

/** No entry the workbench reads is larger than this uncompressed (a zip bomb is refused, not inflated). */
export const MAX_ENTRY_BYTES = 64 * 1024 * 1024;

/** The uncompressed bytes of one entry. */
export function readZipEntry(buf: Buffer, entry: ZipEntry): Buffer {
	if (entry.size > MAX_ENTRY_BYTES) throw new ZipError(`ZIP 条目 ${entry.name} 解压后超过 ${MAX_ENTRY_BYTES / 1024 / 1024} MB，文件过大`);
	const p = entry.offset;
	if (p + 30 > buf.length || buf.readUInt32LE(p) !== LOCAL) throw new ZipError(`ZIP 条目 ${entry.name} 已损坏`);
	const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
	const data = buf.subarray(start, start + entry.compressedSize);
	if (data.length !== entry.compressedSize) throw new ZipError(`ZIP 条目 ${entry.name} 不完整`);
	let out: Buffer;
	if (entry.method === 0) out = Buffer.from(data);
	else if (entry.method === 8) {
		try {
			// Never inflate past the declared size: a lying header cannot blow up memory.
			out = inflateRawSync(data, { maxOutputLength: Math.max(1, entry.size) });
		} catch {
			throw new ZipError(`ZIP 条目 ${entry.name} 无法解压`);
		}
	} else throw new ZipError(`ZIP 条目 ${entry.name} 使用了不支持的压缩方式 ${entry.method}`);
	if (out.length !== entry.size) throw new ZipError(`ZIP 条目 ${entry.name} 长度不符，文件已损坏`);
	return out;
}

/** The bytes of the entry called `name`, or null when the archive has no such entry. */
export function readZipFile(buf: Buffer, name: string): Buffer | null {
	const entry = zipEntries(buf).find((e) => e.name === name);
	return entry ? readZipEntry(buf, entry) : null;
}

/* ------------------------------------------------------------------ archive guard (zip bombs) */

/** What an Office file of the workbench may hold once unpacked (every `.xlsx` and `.docx` path). */
export const ARCHIVE_LIMITS = {
	/** Entries in the central directory (a workbook of the workbench has a few dozen). */
	maxEntries: 1000,
	/** Uncompressed bytes of one entry, declared and actual. */
	maxEntryBytes: MAX_ENTRY_BYTES,
	/** Uncompressed bytes of all entries together, declared and actual. */
	maxTotalBytes: 96 * 1024 * 1024,
	/** Uncompressed / compressed of one entry above 1 MB (deflate's best is about 1030; real workbooks stay far below 100). */
	maxRatio: 200
};

export type ArchiveLimits = typeof ARCHIVE_LIMITS;

const MB = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;

/**
 * Inflates one deflated entry in slices, counting the bytes that come out and keeping none of them:
 * stops (and throws) as soon as `budget` is exceeded, so a lying or huge entry costs a few slices of
 * memory, never its inflated size.
 */
function inflatedLength(data: Buffer, budget: number): Promise<number> {
	return new Promise((resolve, reject) => {
		const inflate = createInflateRaw({ chunkSize: 64 * 1024 });
		let total = 0;
		let done = false;
		const finish = (err: Error | null, n = 0) => {
			if (done) return;
			done = true;
			if (err) reject(err);
			else resolve(n);
		};
		inflate.on('data', (chunk: Buffer) => {
			total += chunk.length;
			if (total > budget) {
				inflate.destroy();
				finish(new BudgetExceeded());
			}
		});
		inflate.on('error', (e) => finish(e));
		inflate.on('end', () => finish(null, total));
		// Feed in slices so that a destroyed stream stops reading the input too.
		const SLICE = 256 * 1024;
		let at = 0;
		const feed = () => {
			while (!done && at < data.length) {
				const part = data.subarray(at, at + SLICE);
				at += SLICE;
				if (!inflate.write(part)) return void inflate.once('drain', feed);
			}
			if (!done) inflate.end();
		};
		feed();
	});
}

class BudgetExceeded extends Error {}

/**
 * Checks an Office Open XML archive before any parser (exceljs, the .docx reader) unpacks it: the
 * number of entries, every entry's declared size and ratio, and the bytes each entry really
 * inflates to (streamed with a running budget, so memory stays bounded however the archive lies).
 * Returns null when the archive is safe to open, else one Chinese sentence naming the file.
 */
export async function archiveProblem(buf: Buffer, fileName: string, limits: ArchiveLimits = ARCHIVE_LIMITS): Promise<string | null> {
	const refuse = (why: string) => `“${fileName}”被拒绝：${why}（可能是压缩炸弹；请上传由 Excel、WPS 或 Word 正常保存的文件）`;
	let entries: ZipEntry[];
	try {
		entries = zipEntries(buf);
	} catch (e) {
		return `“${fileName}”不是有效的 Office 文件：${e instanceof ZipError ? e.message : '无法读取 ZIP 目录'}`;
	}
	if (entries.length > limits.maxEntries) return refuse(`压缩包里有 ${entries.length} 个条目，超过 ${limits.maxEntries} 个的上限`);
	let declared = 0;
	for (const e of entries) {
		if (e.size > limits.maxEntryBytes) return refuse(`条目 ${e.name} 声明解压后 ${MB(e.size)}，超过单个条目 ${MB(limits.maxEntryBytes)} 的上限`);
		declared += e.size;
		if (declared > limits.maxTotalBytes) return refuse(`解压后共 ${MB(declared)} 以上，超过 ${MB(limits.maxTotalBytes)} 的上限`);
		if (e.size > 1024 * 1024 && e.size > limits.maxRatio * Math.max(1, e.compressedSize)) {
			return refuse(`条目 ${e.name} 的压缩比超过 ${limits.maxRatio} 倍`);
		}
	}
	let actual = 0;
	for (const e of entries) {
		const p = e.offset;
		if (p + 30 > buf.length || buf.readUInt32LE(p) !== LOCAL) return `“${fileName}”不是有效的 Office 文件：ZIP 条目 ${e.name} 已损坏`;
		const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
		const data = buf.subarray(start, start + e.compressedSize);
		if (data.length !== e.compressedSize) return `“${fileName}”不是有效的 Office 文件：ZIP 条目 ${e.name} 不完整`;
		let n: number;
		if (e.method === 0) n = data.length;
		else if (e.method === 8) {
			// Never more than declared (a lying header is caught at the first byte past it), nor past the total.
			const budget = Math.min(e.size, limits.maxTotalBytes - actual);
			try {
				n = await inflatedLength(data, budget);
			} catch (err) {
				if (err instanceof BudgetExceeded) {
					return refuse(
						e.size < limits.maxTotalBytes - actual
							? `条目 ${e.name} 实际解压后超过其声明的 ${MB(e.size)}（声明的大小不实）`
							: `解压后超过 ${MB(limits.maxTotalBytes)} 的上限`
					);
				}
				return `“${fileName}”不是有效的 Office 文件：ZIP 条目 ${e.name} 无法解压`;
			}
		} else return `“${fileName}”不是有效的 Office 文件：ZIP 条目 ${e.name} 使用了不支持的压缩方式 ${e.method}`;
		if (n !== e.size) return `“${fileName}”不是有效的 Office 文件：ZIP 条目 ${e.name} 长度不符，文件已损坏`;
		actual += n;
	}
	return null;
}

/** One entry as written: its bytes as stored (`method` 0) or deflated (8), with the CRC and size they declare. */
export type ZipPiece = { name: Buffer; method: number; crc: number; compressed: Buffer; size: number; flags: number };

/**
 * A ZIP archive of the given entries, written as they are declared (the size and CRC are not
 * checked, so tests can also build archives that lie). Flags 0x800: UTF-8 names.
 */
export function writeZip(pieces: ZipPiece[]): Buffer {
	const locals: Buffer[] = [];
	const centrals: Buffer[] = [];
	let offset = 0;
	for (const f of pieces) {
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		local.writeUInt16LE(20, 4);
		local.writeUInt16LE(f.flags, 6);
		local.writeUInt16LE(f.method, 8);
		local.writeUInt32LE(f.crc >>> 0, 14);
		local.writeUInt32LE(f.compressed.length, 18);
		local.writeUInt32LE(f.size, 22);
		local.writeUInt16LE(f.name.length, 26);
		const central = Buffer.alloc(46);
		central.writeUInt32LE(0x02014b50, 0);
		central.writeUInt16LE(20, 4);
		central.writeUInt16LE(20, 6);
		central.writeUInt16LE(f.flags, 8);
		central.writeUInt16LE(f.method, 10);
		central.writeUInt32LE(f.crc >>> 0, 16);
		central.writeUInt32LE(f.compressed.length, 20);
		central.writeUInt32LE(f.size, 24);
		central.writeUInt16LE(f.name.length, 28);
		central.writeUInt32LE(offset, 42);
		locals.push(local, f.name, f.compressed);
		centrals.push(central, f.name);
		offset += 30 + f.name.length + f.compressed.length;
	}
	const dir = Buffer.concat(centrals);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(pieces.length, 8);
	end.writeUInt16LE(pieces.length, 10);
	end.writeUInt32LE(dir.length, 12);
	end.writeUInt32LE(offset, 16);
	return Buffer.concat([...locals, dir, end]);
}
