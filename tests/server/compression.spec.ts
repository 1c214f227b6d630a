/**
 * Issue 15, item 18: pages and data go out compressed to a browser that accepts it (brotli, else
 * gzip); event streams, downloads and tiny bodies do not. Raw HTTP, so nothing decompresses for us.
 */
import http from 'node:http';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { serveFile, sessionCookie } from './harness';
import { chooseEncoding } from '../../src/lib/server/compress';

let office: string;
const served = serveFile('compression', (db) => {
	office = sessionCookie(db, 'office');
});

function raw(path: string, headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
	const url = new URL(path, served.server.base);
	return new Promise((resolve, reject) => {
		const req = http.get(url, { headers: { cookie: office, ...headers } }, (res) => {
			if ((res.headers['content-type'] ?? '').includes('text/event-stream')) {
				resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.alloc(0) });
				req.destroy();
				return;
			}
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
		});
		req.on('error', reject);
	});
}

describe('compressed responses', () => {
	it('chooses brotli, then gzip, honouring q=0', () => {
		expect(chooseEncoding('gzip, deflate, br')).toBe('br');
		expect(chooseEncoding('gzip, deflate')).toBe('gzip');
		expect(chooseEncoding('br;q=0, gzip')).toBe('gzip');
		expect(chooseEncoding('identity')).toBeNull();
		expect(chooseEncoding(null)).toBeNull();
	});

	it('a page goes out as brotli or gzip, and decodes to the same kind of page as the plain one', async () => {
		const plain = await raw('/office/applications', {});
		expect(plain.status).toBe(200);
		expect(plain.headers['content-encoding']).toBeUndefined();
		const br = await raw('/office/applications', { 'accept-encoding': 'gzip, deflate, br' });
		expect(br.headers['content-encoding']).toBe('br');
		expect(br.headers['vary']).toMatch(/Accept-Encoding/i);
		const html = zlib.brotliDecompressSync(br.body).toString('utf8');
		expect(html).toContain('申报受理');
		expect(br.body.length).toBeLessThan(plain.body.length / 3);
		const gz = await raw('/office/applications/__data.json', { 'accept-encoding': 'gzip' });
		expect(gz.headers['content-encoding']).toBe('gzip');
		expect(JSON.parse(zlib.gunzipSync(gz.body).toString('utf8')).type).toBe('data');
	});

	it('leaves event streams, downloads and tiny bodies alone', async () => {
		const sse = await raw('/office/meeting/events', { 'accept-encoding': 'br', accept: 'text/event-stream' });
		expect(sse.headers['content-type']).toContain('text/event-stream');
		expect(sse.headers['content-encoding']).toBeUndefined();
		const xlsx = await raw('/office/experts/template', { 'accept-encoding': 'br' });
		expect(xlsx.status).toBe(200);
		expect(xlsx.headers['content-encoding']).toBeUndefined();
		expect(xlsx.body.subarray(0, 2).toString('latin1')).toBe('PK');
		const health = await raw('/healthz', { 'accept-encoding': 'br' });
		expect(health.headers['content-encoding']).toBeUndefined();
		expect(JSON.parse(health.body.toString('utf8')).ok).toBe(true);
	});
});
