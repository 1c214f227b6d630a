/**
 * Uploaded files: the type is read from the content (magic bytes), never from the name; the bytes
 * are stored once under the data directory as `files/<sha256>` (content-addressed, written
 * atomically), next to the database.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { databasePath } from './db';

/** The upload limit: 10 MB. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

export const ALLOWED_TYPES = {
	pdf: { mime: 'application/pdf', label: 'PDF' },
	png: { mime: 'image/png', label: 'PNG' },
	jpeg: { mime: 'image/jpeg', label: 'JPEG' }
} as const;
export type AllowedMime = (typeof ALLOWED_TYPES)[keyof typeof ALLOWED_TYPES]['mime'];

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const JPEG = [0xff, 0xd8, 0xff];

const startsWith = (bytes: Uint8Array, magic: number[]) => bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);

/** The MIME type of a PDF, PNG or JPEG file judged by its first bytes; null for anything else. */
export function sniffMime(bytes: Uint8Array): AllowedMime | null {
	if (startsWith(bytes, PDF)) return ALLOWED_TYPES.pdf.mime;
	if (startsWith(bytes, PNG)) return ALLOWED_TYPES.png.mime;
	if (startsWith(bytes, JPEG)) return ALLOWED_TYPES.jpeg.mime;
	return null;
}

export function isAllowedMime(mime: string): mime is AllowedMime {
	return Object.values(ALLOWED_TYPES).some((t) => t.mime === mime);
}

/** `FILES_DIR`, else `files/` beside the database file (data/files for data/workbench.db). */
export function filesDir(): string {
	return filesDirFor(databasePath());
}

/** The files directory of the database file `db` (`FILES_DIR` when set). */
export function filesDirFor(db: string): string {
	if (process.env.FILES_DIR) return path.resolve(process.env.FILES_DIR);
	const base = db === ':memory:' || db === '' ? 'data' : path.dirname(path.resolve(db));
	return path.join(path.resolve(base), 'files');
}

export function sha256Hex(bytes: Uint8Array): string {
	return createHash('sha256').update(bytes).digest('hex');
}

export function blobPath(sha256: string, dir = filesDir()): string {
	if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('无效的文件摘要');
	return path.join(dir, sha256);
}

/** Writes the bytes once under their SHA-256 (a second upload of the same content reuses the file). */
export function storeBlob(bytes: Uint8Array, dir = filesDir()): { sha256: string; path: string } {
	const sha256 = sha256Hex(bytes);
	const target = blobPath(sha256, dir);
	if (!fs.existsSync(target)) {
		fs.mkdirSync(dir, { recursive: true });
		const tmp = path.join(dir, `.${sha256}.${randomBytes(4).toString('hex')}.tmp`);
		fs.writeFileSync(tmp, bytes, { mode: 0o640 });
		fs.renameSync(tmp, target);
	}
	return { sha256, path: target };
}

/** A file name safe to store and to show: no path, no control characters, at most 120 characters. */
export function safeFilename(name: string, mime: AllowedMime): string {
	const base = name.split(/[\\/]/).pop() ?? '';
	// eslint-disable-next-line no-control-regex
	let clean = base.replace(/[\u0000-\u001f\u007f"<>|*?:]/g, '').trim();
	if (clean === '' || clean === '.' || clean === '..') clean = '附件';
	const chars = [...clean];
	if (chars.length > 120) clean = chars.slice(0, 120).join('');
	const [ext, pattern] = mime === 'application/pdf' ? ['.pdf', /\.pdf$/i] : mime === 'image/png' ? ['.png', /\.png$/i] : ['.jpg', /\.jpe?g$/i];
	// The shown name ends with what the content is, whatever the uploaded name said.
	if (!pattern.test(clean)) clean += ext;
	return clean;
}

/** `Content-Disposition` with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987). */
export function contentDisposition(kind: 'inline' | 'attachment', filename: string, asciiName?: string): string {
	const ascii = (asciiName ?? filename).replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
	return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

export const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** A generated Word document as a download (every .docx the workbench writes: memo, report, notice, letters). */
export function docxResponse(body: Uint8Array, filename: string, asciiName?: string): Response {
	return new Response(new Uint8Array(body), {
		headers: {
			'Content-Type': DOCX_MIME,
			'Content-Disposition': contentDisposition('attachment', filename, asciiName),
			'X-Content-Type-Options': 'nosniff',
			'Cache-Control': 'private, no-store'
		}
	});
}

/**
 * A stored upload (application attachment, objection file) as the answer: inline with its sniffed,
 * safe Content-Type so PDFs and images preview in the browser, as an attachment when asked
 * (`download`) or when the type is not one we serve inline.
 */
export function storedFileResponse(found: { path: string; row: { mime: string; filename: string; sha256: string } }, download: boolean): Response {
	const mime = isAllowedMime(found.row.mime) ? found.row.mime : 'application/octet-stream';
	const body = fs.readFileSync(found.path);
	return new Response(body, {
		headers: {
			'Content-Type': mime,
			'Content-Length': String(body.length),
			'Content-Disposition': contentDisposition(download || mime === 'application/octet-stream' ? 'attachment' : 'inline', found.row.filename),
			'X-Content-Type-Options': 'nosniff',
			'Cache-Control': 'private, no-store',
			ETag: `"${found.row.sha256}"`
		}
	});
}
