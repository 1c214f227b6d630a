/**
 * The score sheet's sync when the session has ended (idle timeout): the server answers the
 * autosave with 303 to the login page. A browser's fetch follows that redirect by default and gets
 * the login page (200, HTML) — which must not be taken for a save. The sheet stays in the
 * browser's storage and is sent once a save gets through again. Also the idle warning's clock.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SheetSync, reconcile, sameContent, type SheetDraft } from './sheet-sync.svelte';
import { SessionWatch } from './session-watch.svelte';

const store = new Map<string, string>();
let server: 'signed-out' | 'ok' | '401' = 'signed-out';
let calls: RequestInit[] = [];

/** fetch as a browser runs it against the server. */
async function browserFetch(_url: string, init: RequestInit = {}) {
	calls.push(init);
	if (server === '401') return { type: 'basic', status: 401, ok: false, json: async () => ({ error: '请先登录' }) };
	if (server === 'signed-out') {
		// 303 to /login: opaque with redirect: 'manual'; followed otherwise, ending on the login page.
		if (init.redirect === 'manual') return { type: 'opaqueredirect', status: 0, ok: false, json: async () => Promise.reject(new SyntaxError('opaque')) };
		return { type: 'basic', status: 200, ok: true, redirected: true, json: async () => Promise.reject(new SyntaxError('<!doctype html>')) };
	}
	const body = init.body ? JSON.parse(String(init.body)) : {};
	return { type: 'basic', status: 200, ok: true, json: async () => ({ ...body, version: (body.version ?? 0) + 1, status: 'draft', updatedAt: 'now', total: 0, now: Date.now(), capEndsAt: Date.now() + 3_600_000 }) };
}

beforeEach(() => {
	store.clear();
	calls = [];
	server = 'signed-out';
	vi.stubGlobal('localStorage', {
		getItem: (k: string) => store.get(k) ?? null,
		setItem: (k: string, v: string) => void store.set(k, v),
		removeItem: (k: string) => void store.delete(k)
	});
	vi.stubGlobal('navigator', { onLine: true });
	vi.stubGlobal('fetch', vi.fn(browserFetch));
});
afterEach(() => {
	vi.unstubAllGlobals();
	vi.useRealTimers();
});

function sheet() {
	const draft: SheetDraft = { points: { c1: 8.5 }, comments: {}, comment: '', version: 2 };
	const saved: unknown[] = [];
	const events = { signedOut: vi.fn(), request: vi.fn() };
	const sync = new SheetSync('/expert/applications/a1/sheet', 'sheet:a1', () => draft, (s) => saved.push(s), 60_000, events);
	return { draft, saved, events, sync };
}

describe('SheetSync when the session has ended', () => {
	it('keeps the points in the browser instead of taking the login page for a save', async () => {
		const { draft, saved, events, sync } = sheet();
		sync.changed();
		expect(await sync.flush()).toBe(false);
		expect(calls[0].redirect).toBe('manual');
		expect(sync.state).toBe('signedOut');
		expect(saved).toHaveLength(0);
		expect(events.signedOut).toHaveBeenCalledOnce();
		expect(JSON.parse(store.get('sheet:a1')!)).toEqual(draft);
		expect(sync.message).toMatch(/暂存在本机/);

		// Further edits stay in the browser too, and the state says so.
		draft.points.c2 = 4;
		sync.changed();
		expect(sync.state).toBe('signedOut');
		expect(JSON.parse(store.get('sheet:a1')!).points).toEqual({ c1: 8.5, c2: 4 });

		// Signed in again (this page after the login, or another tab): the next try sends it.
		server = 'ok';
		expect(await sync.flush()).toBe(true);
		expect(sync.state).toBe('saved');
		expect(saved).toHaveLength(1);
		expect(store.has('sheet:a1')).toBe(false);
		expect(events.request).toHaveBeenCalledOnce();
	});

	it('a 401 answer is an ended session as well', async () => {
		server = '401';
		const { sync } = sheet();
		sync.changed();
		await sync.flush();
		expect(sync.state).toBe('signedOut');
		expect(store.has('sheet:a1')).toBe(true);
	});

	it('a page loaded after signing in again finds the waiting sheet', async () => {
		const first = sheet();
		first.sync.changed();
		await first.sync.flush();
		server = 'ok';
		const again = sheet();
		expect(again.sync.pending()).toEqual(first.draft);
	});
});

describe('SessionWatch', () => {
	it('warns a minute before the idle end (less the server’s write interval); 继续 counts as use', async () => {
		vi.useFakeTimers({ now: Date.parse('2026-03-02T08:00:00Z') });
		server = 'ok';
		const w = new SessionWatch({ idleMs: 30 * 60_000, touchMs: 30_000, capLeftMs: 12 * 3_600_000 });
		const stop = w.start();
		expect(w.warnIdle).toBe(false);
		vi.advanceTimersByTime(28 * 60_000 + 29_000);
		expect(w.warnIdle).toBe(false);
		vi.advanceTimersByTime(2000);
		expect(w.warnIdle).toBe(true);
		expect(Math.ceil(w.idleLeft / 1000)).toBe(59);
		expect(await w.keepAlive()).toBe(true);
		expect(calls.at(-1)?.redirect).toBe('manual');
		expect(w.warnIdle).toBe(false);
		// An autosave counts as use just the same.
		vi.advanceTimersByTime(28 * 60_000 + 31_000);
		expect(w.warnIdle).toBe(true);
		w.used();
		expect(w.warnIdle).toBe(false);
		stop();
	});

	it('the keep-alive finds an ended session; the cap is announced five minutes ahead', async () => {
		vi.useFakeTimers({ now: Date.parse('2026-03-02T08:00:00Z') });
		const w = new SessionWatch({ idleMs: 30 * 60_000, touchMs: 30_000, capLeftMs: 10 * 60_000 });
		const stop = w.start();
		expect(w.warnCap).toBe(false);
		vi.advanceTimersByTime(5 * 60_000 + 1000);
		expect(w.warnCap).toBe(true);
		expect(await w.keepAlive()).toBe(false);
		expect(w.ended).toBe(true);
		stop();
	});
});

describe('SheetSync compares content, not only versions', () => {
	const server = { points: { c1: 8.5, c2: 4 }, comments: { c1: '资质齐全' }, comment: '总体良好', explanation: '', version: 5 };

	it('a kept copy that says what the server holds is no conflict, whatever its version', () => {
		// Saved, but the answer was lost (network drop): the copy still carries the old version.
		const kept: SheetDraft = { points: { c1: 8.5, c2: 4, c3: null }, comments: { c1: ' 资质齐全 ', c2: '' }, comment: '总体良好 ', version: 4 };
		expect(sameContent(kept, server)).toBe(true);
		expect(reconcile(kept, server)).toBe('same');
		// A comment on an unscored criterion is not stored by the server either.
		expect(sameContent({ ...kept, comments: { c1: '资质齐全', c3: '待补' } }, server)).toBe(true);
	});

	it('a different point, comment, overall comment or explanation is a difference', () => {
		const base: SheetDraft = { points: { c1: 8.5, c2: 4 }, comments: { c1: '资质齐全' }, comment: '总体良好', version: 4 };
		expect(reconcile({ ...base, points: { c1: 8.5, c2: 4.5 } }, server)).toBe('conflict');
		expect(reconcile({ ...base, points: { c1: 8.5 } }, server)).toBe('conflict');
		expect(reconcile({ ...base, comments: { c1: '资质不全' } }, server)).toBe('conflict');
		expect(reconcile({ ...base, comment: '一般' }, server)).toBe('conflict');
		expect(reconcile({ ...base, explanation: '理由' }, server)).toBe('conflict');
		// Made on the server's current version: send it.
		expect(reconcile({ ...base, comment: '一般', version: 5 }, server)).toBe('send');
	});

	it('a 409 whose stored sheet equals what was sent counts as saved', async () => {
		const draft: SheetDraft = { points: { c1: 8.5 }, comments: {}, comment: '', version: 2 };
		const current = { points: { c1: 8.5 }, comments: {}, comment: '', explanation: '', version: 3, status: 'draft', updatedAt: 'now', total: 8.5 };
		vi.stubGlobal(
			'fetch',
			vi.fn(async () => ({ type: 'basic', status: 409, ok: false, json: async () => ({ error: '此评分表已在其他窗口或设备上修改过。', current }) }))
		);
		const saved: { version: number }[] = [];
		const sync = new SheetSync('/expert/applications/a1/sheet', 'sheet:a1', () => draft, (s) => saved.push(s), 60_000);
		sync.changed();
		expect(await sync.flush()).toBe(true);
		expect(sync.state).toBe('saved');
		expect(sync.conflict).toBeNull();
		expect(saved.map((s) => s.version)).toEqual([3]);
		expect(store.has('sheet:a1')).toBe(false);

		// Other content on the server: that is a real conflict.
		draft.points.c1 = 9;
		sync.changed();
		expect(await sync.flush()).toBe(false);
		expect(sync.state).toBe('conflict');
	});
});

describe('SheetSync when the results are locked', () => {
	it('a 409 "locked" answer switches to 已锁定, not to conflict, and nothing more is sent', async () => {
		const current = { points: { c1: 7 }, comments: {}, comment: '', explanation: '', version: 3, status: 'draft', updatedAt: 'now', total: 7, locked: true };
		const f = vi.fn(async () => ({ type: 'basic', status: 409, ok: false, json: async () => ({ error: '评审结果已锁定，不能再修改评分', current, locked: true }) }));
		vi.stubGlobal('fetch', f);
		const { draft, sync } = sheet();
		sync.changed();
		expect(await sync.flush()).toBe(false);
		expect(sync.state).toBe('locked');
		expect(sync.conflict).toBeNull();
		draft.points.c1 = 9;
		sync.changed();
		expect(sync.state).toBe('locked');
		await sync.flush();
		expect(f).toHaveBeenCalledOnce();
	});

	it('a sheet loaded locked never sends', async () => {
		const f = vi.fn(browserFetch);
		vi.stubGlobal('fetch', f);
		const draft: SheetDraft = { points: { c1: 8.5 }, comments: {}, comment: '', version: 2 };
		const sync = new SheetSync('/expert/applications/a1/sheet', 'sheet:a1', () => draft, () => {}, 60_000, {}, true);
		expect(sync.state).toBe('locked');
		sync.changed();
		expect(await sync.flush()).toBe(false);
		expect(f).not.toHaveBeenCalled();
		expect(sync.state).toBe('locked');
	});
});
