/**
 * Compressed pages and data (issue 15, item 18: an expert on a hotel network). SvelteKit's own
 * responses (HTML of a page, its __data.json, JSON of an endpoint or a form action) are sent with
 * brotli or gzip when the browser accepts it; static files are precompressed by adapter-node.
 * Event streams, downloads (already zipped Office files, PDFs, images) and bodies under 1 KB are
 * left as they are. Compression runs in libuv's thread pool, not on the server's one thread.
 */
import type { Handle } from '@sveltejs/kit';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

const COMPRESSIBLE = /^(text\/html|application\/json|text\/plain|text\/css|text\/csv|text\/javascript|application\/javascript|image\/svg\+xml)\b/;
const MIN_BYTES = 1024;

/** The encoding to use for an Accept-Encoding header: brotli first, then gzip; null for neither. */
export function chooseEncoding(accept: string | null): 'br' | 'gzip' | null {
	const offered = new Map<string, number>();
	for (const part of (accept ?? '').toLowerCase().split(',')) {
		const [name, ...params] = part.trim().split(';');
		const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
		offered.set(name.trim(), q ? Number(q.slice(2)) : 1);
	}
	const ok = (name: string) => (offered.get(name) ?? offered.get('*') ?? 0) > 0;
	return ok('br') ? 'br' : ok('gzip') ? 'gzip' : null;
}

export const compressResponses: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const type = response.headers.get('content-type') ?? '';
	if (
		!response.body ||
		event.request.method === 'HEAD' ||
		response.headers.has('content-encoding') ||
		response.headers.has('content-disposition') ||
		!COMPRESSIBLE.test(type)
	) {
		return response;
	}
	const encoding = chooseEncoding(event.request.headers.get('accept-encoding'));
	const headers = new Headers(response.headers);
	headers.append('vary', 'Accept-Encoding');
	const raw = Buffer.from(await response.arrayBuffer());
	let body: Buffer = raw;
	if (encoding && raw.length >= MIN_BYTES) {
		body =
			encoding === 'br'
				? await brotli(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length } })
				: await gzip(raw, { level: 6 });
		headers.set('content-encoding', encoding);
		headers.delete('content-length');
	}
	return new Response(new Uint8Array(body), { status: response.status, statusText: response.statusText, headers });
};
