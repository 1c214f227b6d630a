/** Requests as a browser (or use:enhance) makes them, and how an answer reads: allowed or which denial. */
import type { Verdict } from './world';

export type Answer = {
	status: number;
	location: string | null;
	headers: Headers;
	/** Page or JSON text; empty for event streams. */
	body: string;
	/** For form actions: SvelteKit's JSON answer. */
	action: { type: string; status?: number; location?: string; data?: string; error?: { message?: string } } | null;
	verdict: Verdict | 'server-error';
};

function verdictOf(status: number, location: string | null): Answer['verdict'] {
	if (status >= 500) return 'server-error';
	if (status === 401 || (status >= 300 && status < 400 && location?.startsWith('/login'))) return 'login';
	if (status === 403) return 'forbidden';
	if (status === 404) return 'not-found';
	return 'allowed';
}

async function read(res: Response): Promise<string> {
	if ((res.headers.get('content-type') ?? '').includes('text/event-stream')) {
		await res.body?.cancel().catch(() => {});
		return '';
	}
	return res.text();
}

export async function request(
	base: string,
	method: string,
	path: string,
	opts: { cookie?: string | null; headers?: Record<string, string>; body?: BodyInit | null; timeoutMs?: number } = {}
): Promise<Answer> {
	const ctl = new AbortController();
	const timer = setTimeout(() => ctl.abort(), opts.timeoutMs ?? 30_000);
	try {
		const res = await fetch(base + path, {
			method,
			redirect: 'manual',
			signal: ctl.signal,
			headers: { ...(opts.cookie ? { cookie: opts.cookie } : {}), ...(method !== 'GET' ? { origin: base } : {}), ...opts.headers },
			body: opts.body ?? undefined
		});
		const body = await read(res);
		const location = res.headers.get('location');
		let action: Answer['action'] = null;
		let verdict = verdictOf(res.status, location);
		if ((res.headers.get('content-type') ?? '').includes('application/json') && opts.headers?.['x-sveltekit-action']) {
			try {
				action = JSON.parse(body);
			} catch {
				action = null;
			}
			if (action?.type === 'redirect') verdict = action.location?.startsWith('/login') ? 'login' : 'allowed';
			else if (action?.type === 'error') verdict = verdictOf(res.status, null);
			else if (action) verdict = 'allowed';
		}
		return { status: res.status, location, headers: res.headers, body, action, verdict };
	} finally {
		clearTimeout(timer);
	}
}

export const get = (base: string, path: string, cookie: string | null) => request(base, 'GET', path, { cookie });

/** A form action posted the way use:enhance posts it (JSON answer). */
export function postAction(base: string, path: string, action: string, cookie: string | null, body: BodyInit = '', contentType: string | null = 'application/x-www-form-urlencoded') {
	const url = action === 'default' ? path : `${path}?/${action}`;
	const headers: Record<string, string> = { accept: 'application/json', 'x-sveltekit-action': 'true' };
	if (contentType) headers['content-type'] = contentType;
	return request(base, 'POST', url, { cookie, headers, body });
}

/** The Chinese text in an action's answer (failure data is devalue-encoded JSON, error has a message). */
export function answerText(a: Answer): string {
	if (!a.action) return a.body;
	if (a.action.type === 'failure') return a.action.data ?? '';
	if (a.action.type === 'error') return a.action.error?.message ?? '';
	return a.body;
}
