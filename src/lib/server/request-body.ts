/**
 * Request bodies: the size limit and what a sender hears when a body is too large or unreadable.
 *
 * adapter-node refuses a body over `BODY_SIZE_LIMIT` (its own default is 512 KB, below the
 * documented 10 MB uploads) while the body is read, with an English SvelteKitError of status 413.
 * The server is started with `BODY_SIZE_LIMIT` set (`scripts/serve.js`, the demo and the test
 * harness use DEFAULT_BODY_SIZE_LIMIT); here a body over it becomes 413 with a Chinese message:
 * JSON for fetch requests, the error page for a form.
 */
import { error, isHttpError, json, type Handle } from '@sveltejs/kit';

/** A 10 MB file and the form's other fields. */
export const DEFAULT_BODY_SIZE_LIMIT = '12M';

/** adapter-node's reading of BODY_SIZE_LIMIT (bytes, or a number with K, M or G). */
export function parseBytes(value: string): number {
	const multiplier = ({ K: 1024, M: 1024 * 1024, G: 1024 * 1024 * 1024 } as Record<string, number>)[value.at(-1)?.toUpperCase() ?? ''] ?? 1;
	return Number(multiplier !== 1 ? value.slice(0, -1) : value) * multiplier;
}

/** The limit in force: BODY_SIZE_LIMIT as adapter-node reads it, its own default when unset. */
export function bodySizeLimit(env: Record<string, string | undefined> = process.env): number {
	return parseBytes(env.BODY_SIZE_LIMIT ?? '512K');
}

export function tooLargeMessage(limit = bodySizeLimit()): string {
	const size = Number.isFinite(limit) ? (limit >= 1024 * 1024 ? `${Math.round((limit / 1024 / 1024) * 10) / 10} MB` : `${Math.round(limit / 1024)} KB`) : '';
	return `提交的内容过大${size ? `（服务器每次最多接收 ${size}）` : ''}：上传的文件不能超过 10 MB，请压缩或拆分后重新上传`;
}

const isTooLarge = (e: unknown) => typeof e === 'object' && e !== null && (e as { status?: unknown }).status === 413;

const isForm = (type: string | null) => !!type && /^(multipart\/form-data|application\/x-www-form-urlencoded)/i.test(type);

/**
 * A body that is too large answers 413 in Chinese; a body that claims to be a form but cannot be
 * read (no or a wrong content type, a broken multipart body) is the sender's fault: 400 with a
 * Chinese message instead of letting the parser's exception become a server error in every action.
 */
export const readableForms: Handle = async ({ event, resolve }) => {
	if (event.request.method === 'GET' || event.request.method === 'HEAD') return resolve(event);
	const request = event.request;
	const declared = Number(request.headers.get('content-length'));
	// A fetch endpoint learns of it before anything runs; a form reaches its action, whose read
	// below throws the 413 onto the error page (`use:enhance` shows it as well).
	if (Number.isFinite(declared) && declared > bodySizeLimit() && !isForm(request.headers.get('content-type'))) {
		const message = tooLargeMessage();
		return json({ error: message, message }, { status: 413 });
	}
	const wrap = <K extends 'formData' | 'json' | 'arrayBuffer' | 'text' | 'blob'>(name: K, otherwise?: () => never) => {
		const read = (request[name] as () => Promise<unknown>).bind(request);
		Object.defineProperty(request, name, {
			configurable: true,
			value: async () => {
				try {
					return await read();
				} catch (e) {
					if (isTooLarge(e)) error(413, tooLargeMessage());
					if (isHttpError(e) || !otherwise) throw e;
					otherwise();
				}
			}
		});
	};
	wrap('formData', () =>
		error(400, '提交的表单数据无法读取：请从页面上的表单提交（内容类型须为 multipart/form-data 或 application/x-www-form-urlencoded）')
	);
	wrap('json');
	wrap('arrayBuffer');
	wrap('text');
	wrap('blob');
	return resolve(event);
};
