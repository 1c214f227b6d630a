/**
 * A minimal, synchronous ZIP reader (stored and deflated entries, no ZIP64, no encryption): enough
 * to read `word/document.xml` out of a .docx without another dependency. Reads the central
 * directory, so entries written with data descriptors are handled.
 */
import { inflateRawSync } from 'node:zlib';

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
