import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ZipError, readZipFile, zipEntries } from './unzip';

/** A hand-built ZIP archive: each entry stored (method 0) or deflated (method 8). */
function makeZip(files: { name: string; data: string; deflate?: boolean }[]): Buffer {
	const locals: Buffer[] = [];
	const centrals: Buffer[] = [];
	let offset = 0;
	for (const f of files) {
		const name = Buffer.from(f.name, 'utf8');
		const raw = Buffer.from(f.data, 'utf8');
		const body = f.deflate ? deflateRawSync(raw) : raw;
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		local.writeUInt16LE(0x800, 6);
		local.writeUInt16LE(f.deflate ? 8 : 0, 8);
		local.writeUInt32LE(body.length, 18);
		local.writeUInt32LE(raw.length, 22);
		local.writeUInt16LE(name.length, 26);
		const central = Buffer.alloc(46);
		central.writeUInt32LE(0x02014b50, 0);
		central.writeUInt16LE(0x800, 8);
		central.writeUInt16LE(f.deflate ? 8 : 0, 10);
		central.writeUInt32LE(body.length, 20);
		central.writeUInt32LE(raw.length, 24);
		central.writeUInt16LE(name.length, 28);
		central.writeUInt32LE(offset, 42);
		locals.push(local, name, body);
		centrals.push(central, name);
		offset += 30 + name.length + body.length;
	}
	const dir = Buffer.concat(centrals);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(files.length, 8);
	end.writeUInt16LE(files.length, 10);
	end.writeUInt32LE(dir.length, 12);
	end.writeUInt32LE(offset, 16);
	return Buffer.concat([...locals, dir, end]);
}

describe('zip reader', () => {
	const zip = makeZip([
		{ name: '[Content_Types].xml', data: '<Types/>' },
		{ name: 'word/document.xml', data: '<w:document>推荐表</w:document>'.repeat(20), deflate: true }
	]);

	it('lists entries and reads stored and deflated ones', () => {
		expect(zipEntries(zip).map((e) => [e.name, e.method])).toEqual([
			['[Content_Types].xml', 0],
			['word/document.xml', 8]
		]);
		expect(readZipFile(zip, '[Content_Types].xml')!.toString()).toBe('<Types/>');
		expect(readZipFile(zip, 'word/document.xml')!.toString()).toBe('<w:document>推荐表</w:document>'.repeat(20));
	});

	it('returns null for a missing entry', () => {
		expect(readZipFile(zip, 'word/styles.xml')).toBeNull();
	});

	it('rejects what is not a zip, a truncated one and a corrupted entry', () => {
		expect(() => zipEntries(Buffer.from('hello'))).toThrow(ZipError);
		expect(() => zipEntries(Buffer.alloc(100))).toThrow('找不到 ZIP 目录，不是 ZIP 格式');
		expect(() => zipEntries(zip.subarray(0, zip.length - 30))).toThrow(ZipError);
		const broken = Buffer.from(zip);
		const at = zip.indexOf(Buffer.from('word/document.xml')) + 'word/document.xml'.length;
		broken.fill(0xff, at, at + 8);
		expect(() => readZipFile(broken, 'word/document.xml')).toThrow(ZipError);
	});
});
