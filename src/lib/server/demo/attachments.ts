/**
 * Files for the demo's materials, made in code: a one-page PDF per registration certificate and
 * integrity commitment (Chinese text in the standard, not embedded STSong-Light font, which every
 * PDF viewer substitutes), and one PNG scan of a credit report. Stored as uploads are
 * (`files/<sha256>` beside the database) for the applications whose flags say the material is on
 * file, so the scoring page and the office's pages have real files to show.
 */
import { deflateSync } from 'node:zlib';
import type { Db } from '../db';
import * as s from '../db/schema';
import { storeBlob } from '../files';
import { loadApplications, loadInstitutions } from '../queries/bundle';
import type { BatchScope } from '../scope';

/* ------------------------------------------------------------------ PDF */

const utf16hex = (text: string) =>
	[...text]
		.map((ch) => {
			const code = ch.codePointAt(0)!;
			// Outside the BMP: not in this font's encoding; shown as a full-width question mark.
			return (code > 0xffff ? 0xff1f : code).toString(16).padStart(4, '0');
		})
		.join('');

/** A valid one-page A4 PDF with a title, lines of text and a red seal; every text may be Chinese. */
export function demoPdf(title: string, lines: string[], seal: string): Uint8Array {
	const ops: string[] = [];
	ops.push('0.5 w 0.3 0.3 0.3 RG 40 40 515 762 re S');
	ops.push(`BT /F1 22 Tf ${297 - title.length * 11} 760 Td <${utf16hex(title)}> Tj ET`);
	lines.forEach((line, i) => ops.push(`BT /F1 13 Tf 80 ${700 - i * 30} Td <${utf16hex(line)}> Tj ET`));
	// The seal: a red ring (four Bézier arcs) with its text across the middle.
	const [cx, cy, r, k] = [420, 180, 60, 0.5523 * 60];
	ops.push(
		`2 w 0.8 0.1 0.1 RG ${cx + r} ${cy} m ${cx + r} ${cy + k} ${cx + k} ${cy + r} ${cx} ${cy + r} c ${cx - k} ${cy + r} ${cx - r} ${cy + k} ${cx - r} ${cy} c ` +
			`${cx - r} ${cy - k} ${cx - k} ${cy - r} ${cx} ${cy - r} c ${cx + k} ${cy - r} ${cx + r} ${cy - k} ${cx + r} ${cy} c S`
	);
	ops.push(`BT 0.8 0.1 0.1 rg /F1 11 Tf ${cx - seal.length * 5.5} ${cy - 4} Td <${utf16hex(seal)}> Tj ET`);
	const stream = ops.join('\n');
	const objects = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
		'<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [6 0 R] >>',
		`<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`,
		'<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 7 0 R /DW 1000 /W [1 95 500] >>',
		'<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>'
	];
	let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
	const offsets: number[] = [];
	objects.forEach((body, i) => {
		offsets.push(Buffer.byteLength(out, 'latin1'));
		out += `${i + 1} 0 obj\n${body}\nendobj\n`;
	});
	const xref = Buffer.byteLength(out, 'latin1');
	out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
	for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
	out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return new Uint8Array(Buffer.from(out, 'latin1'));
}

/* ------------------------------------------------------------------ PNG */

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});
function crc32(buf: Buffer): number {
	let c = 0xffffffff;
	for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
	const head = Buffer.alloc(8);
	head.writeUInt32BE(data.length, 0);
	head.write(type, 4, 'latin1');
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])));
	return Buffer.concat([head, data, crc]);
}

/**
 * A valid RGB PNG that looks like a scanned one-page report: a grey frame, a dark title bar, a
 * table of grey text lines and a red seal.
 */
export function demoPng(width = 480, height = 640): Uint8Array {
	const row = width * 3 + 1;
	const px = Buffer.alloc(row * height, 0xff);
	for (let y = 0; y < height; y++) px[y * row] = 0; // filter: none
	const set = (x: number, y: number, [r, g, b]: [number, number, number]) => {
		if (x < 0 || y < 0 || x >= width || y >= height) return;
		const i = y * row + 1 + x * 3;
		px[i] = r;
		px[i + 1] = g;
		px[i + 2] = b;
	};
	const rect = (x0: number, y0: number, w: number, h: number, c: [number, number, number]) => {
		for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) set(x, y, c);
	};
	// Paper tone, frame, title bar.
	rect(0, 0, width, height, [250, 249, 244]);
	rect(20, 20, width - 40, 2, [120, 120, 120]);
	rect(20, height - 22, width - 40, 2, [120, 120, 120]);
	rect(20, 20, 2, height - 40, [120, 120, 120]);
	rect(width - 22, 20, 2, height - 40, [120, 120, 120]);
	rect(width / 2 - 110, 48, 220, 22, [40, 60, 110]);
	// A table of "text": rows of grey bars in two columns, ruled.
	for (let i = 0; i < 14; i++) {
		const y = 110 + i * 30;
		rect(40, y + 24, width - 80, 1, [200, 200, 200]);
		rect(48, y + 8, 90, 9, [110, 110, 110]);
		rect(170, y + 8, 120 + ((i * 53) % 140), 9, [150, 150, 150]);
	}
	// The seal: a red ring.
	const [cx, cy] = [width - 120, height - 110];
	for (let y = cy - 62; y <= cy + 62; y++)
		for (let x = cx - 62; x <= cx + 62; x++) {
			const d = Math.hypot(x - cx, y - cy);
			if (d >= 52 && d <= 58) set(x, y, [200, 30, 30]);
			if (d <= 8) set(x, y, [200, 30, 30]);
		}
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr[8] = 8; // bit depth
	ihdr[9] = 2; // RGB
	const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
	return new Uint8Array(Buffer.concat([sig, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(px, { level: 9 })), chunk('IEND', Buffer.alloc(0))]));
}

/* ------------------------------------------------------------------ seeding */

/**
 * Stores the demo files for every application whose flags say a material is on file (the flags
 * stay as they are: they and the files now agree). Returns how many attachment rows were written.
 */
export function seedDemoAttachments(scope: BatchScope, dir: string, uploadedAt = new Date().toISOString()): number {
	const { db } = scope;
	const apps = loadApplications(scope).map((a) => a.app);
	const institutions = new Map(loadInstitutions(db).map((i) => [i.id, i]));
	const png = demoPng();
	const rows: (typeof s.attachments.$inferInsert)[] = [];
	for (const app of apps) {
		const inst = institutions.get(app.institutionId);
		const flags = app.attachments;
		if (!inst || !flags) continue;
		const name = inst.name;
		const add = (kind: s.AttachmentKind, filename: string, bytes: Uint8Array, mime: string) => {
			const { sha256 } = storeBlob(bytes, dir);
			rows.push({ id: `att-demo-${app.id}-${kind}`, applicationId: app.id, kind, filename, mime, size: bytes.length, sha256, uploadedAt });
		};
		if (flags.registrationCertificate) {
			const pdf = demoPdf(
				'法人登记证书（副本）',
				[`名称：${name}`, `统一社会信用代码：${inst.uscc ?? '（未填）'}`, `住所：${inst.address ?? '（未填）'}`, `法定代表人：${inst.legalRep?.name ?? '（未填）'}`, '', '本件为演示数据，由系统生成。'],
				'登记管理机关'
			);
			add('registration-certificate', `${name}-法人登记证书.pdf`, pdf, 'application/pdf');
		}
		if (flags.creditReport) add('credit-report', `${name}-信用报告.png`, png, 'image/png');
		if (flags.integrityCommitment) {
			const pdf = demoPdf(
				'诚信承诺书',
				[`本单位 ${name.length > 20 ? name.slice(0, 20) + '…' : name}`, '郑重承诺：所提交的申报材料真实、准确、完整，', '近三年无严重失信行为，如有不实，愿承担相应责任。', '', '本件为演示数据，由系统生成。'],
				name.slice(0, 6)
			);
			add('integrity-commitment', `${name}-诚信承诺书.pdf`, pdf, 'application/pdf');
		}
	}
	db.transaction((tx) => {
		for (const r of rows) tx.insert(s.attachments).values(r).onConflictDoNothing().run();
	});
	return rows.length;
}
