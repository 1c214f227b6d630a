/**
 * Keeps a score sheet safe on poor meeting-room Wi-Fi: every change goes to local storage at
 * once and to the server a few seconds later; when the network is down the sheet waits in the
 * browser and is sent when it comes back. States: 已保存 / 保存中 / 未同步 / 离线 / 冲突 / 登录已结束.
 *
 * When the session has ended (idle timeout, cap, signed out elsewhere) the server answers a save
 * with a redirect to the login page (or 401): the sheet stays in the browser, nothing is taken for
 * saved, and it is sent again on the next try — after signing in again the page sends it on load.
 *
 * A conflict is a difference of content, not of version numbers: a browser copy (or a refused
 * save) holding what the server already holds is taken for saved. Once the office has locked the
 * results, the sheet is 已锁定: nothing is sent, and a 409 "locked" answer switches to that state.
 */
import { beijingTime } from '../../domain/time';

export type SheetDraft = {
	points: Record<string, number | null>;
	comments: Record<string, string>;
	comment: string;
	explanation?: string;
	version: number;
};

export type SyncState = 'saved' | 'saving' | 'dirty' | 'offline' | 'conflict' | 'error' | 'signedOut' | 'locked';

export const SYNC_LABELS: Record<SyncState, string> = {
	saved: '已保存',
	saving: '保存中…',
	dirty: '未同步',
	offline: '离线（已暂存在本机）',
	conflict: '冲突',
	error: '保存失败',
	signedOut: '登录已结束（已暂存在本机）',
	locked: '已锁定'
};

export const LOCKED_MESSAGE = '评审结果已锁定，评分不能再修改';

type Content = Pick<SheetDraft, 'points' | 'comments' | 'comment' | 'explanation'>;

/** The points that are set (an empty box is the same as a missing one). */
function setPoints(p: Record<string, number | null | undefined>): Record<string, number> {
	return Object.fromEntries(Object.entries(p ?? {}).filter(([, v]) => v !== null && v !== undefined)) as Record<string, number>;
}
/** The comments as the server stores them: trimmed, empty ones and those of unscored criteria dropped. */
function setComments(c: Record<string, string | null | undefined>, points: Record<string, number>): Record<string, string> {
	return Object.fromEntries(
		Object.entries(c ?? {})
			.map(([k, v]) => [k, (v ?? '').trim()] as const)
			.filter(([k, v]) => v !== '' && Object.hasOwn(points, k))
	);
}
function sameRecord<T>(a: Record<string, T>, b: Record<string, T>): boolean {
	const ka = Object.keys(a);
	return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}

/**
 * Whether a browser copy and the server's sheet say the same (points, comments, comment and —
 * when the copy carries one — explanation), compared as the server stores them (trimmed, empty
 * points and comments dropped). Version numbers do not enter: two copies that say the same are
 * no conflict, whatever their versions.
 */
export function sameContent(mine: Content, server: Content): boolean {
	const [pm, ps] = [setPoints(mine.points), setPoints(server.points)];
	if (!sameRecord(pm, ps)) return false;
	if (!sameRecord(setComments(mine.comments, pm), setComments(server.comments, ps))) return false;
	if ((mine.comment ?? '').trim() !== (server.comment ?? '').trim()) return false;
	if (mine.explanation !== undefined && mine.explanation.trim() !== (server.explanation ?? '').trim()) return false;
	return true;
}

/**
 * What to do on load with a copy this browser kept: 'same' (the server holds it already: drop it,
 * adopt the server's version), 'send' (made on the current version: send it), or 'conflict'
 * (the server's sheet moved on with other content: the expert chooses).
 */
export function reconcile(pending: SheetDraft, server: Content & { version: number }): 'same' | 'send' | 'conflict' {
	if (sameContent(pending, server)) return 'same';
	return pending.version === server.version ? 'send' : 'conflict';
}

/** What the page learns from the saves: a request went out (use of the session), the session has ended. */
export type SyncEvents = { request?: (at: number) => void; signedOut?: () => void };

export type ServerSheet = SheetDraft & { status: string; updatedAt: string | null; total: number };

export class SheetSync {
	state = $state<SyncState>('saved');
	message = $state<string | null>(null);
	savedAt = $state<string | null>(null);
	/** The server's sheet when a save was refused because another tab or device changed it. */
	conflict = $state<ServerSheet | null>(null);
	#timer: ReturnType<typeof setTimeout> | null = null;
	#inflight = false;
	#again = false;
	/** Counts local changes, so a save only clears the local copy if nothing changed meanwhile. */
	#edits = 0;

	constructor(
		private url: string,
		private storageKey: string,
		private read: () => SheetDraft,
		private onSaved: (s: ServerSheet) => void,
		private delay = 2500,
		private events: SyncEvents = {},
		locked = false
	) {
		if (locked) this.lock();
	}

	/** The results are locked: read-only from now on, nothing is sent (the browser copy is kept). */
	lock() {
		if (this.#timer) {
			clearTimeout(this.#timer);
			this.#timer = null;
		}
		this.conflict = null;
		this.state = 'locked';
		this.message = null;
	}

	/** A draft left in this browser by an earlier visit that never reached the server. */
	pending(): SheetDraft | null {
		try {
			const raw = localStorage.getItem(this.storageKey);
			return raw ? (JSON.parse(raw) as SheetDraft) : null;
		} catch {
			return null;
		}
	}

	clearPending() {
		localStorage.removeItem(this.storageKey);
	}

	/** Call on every change. */
	changed() {
		this.#edits++;
		try {
			localStorage.setItem(this.storageKey, JSON.stringify(this.read()));
		} catch {
			/* storage full or disabled: the server save still runs */
		}
		// Conflict: the expert chooses first. Signed out: kept here until a save gets through again
		// (the next blur, focus or network change tries; signing in again sends it on load).
		if (this.state === 'conflict' || this.state === 'signedOut' || this.state === 'locked') return;
		this.state = navigator.onLine ? 'dirty' : 'offline';
		if (this.#timer) clearTimeout(this.#timer);
		this.#timer = setTimeout(() => this.flush(), this.delay);
	}

	/** Sends the local sheet now (network back, leaving the page, or the timer). */
	async flush(opts: { keepalive?: boolean } = {}): Promise<boolean> {
		if (this.#timer) {
			clearTimeout(this.#timer);
			this.#timer = null;
		}
		if (!this.pending() || this.state === 'conflict' || this.state === 'locked') return this.state === 'saved';
		if (!navigator.onLine) {
			this.state = 'offline';
			return false;
		}
		if (this.#inflight) {
			this.#again = true;
			return false;
		}
		this.#inflight = true;
		const wasSignedOut = this.state === 'signedOut';
		this.state = 'saving';
		const body = this.read();
		const edits = this.#edits;
		try {
			const sent = Date.now();
			const res = await fetch(this.url, {
				method: 'POST',
				headers: { 'content-type': 'application/json', accept: 'application/json' },
				body: JSON.stringify(body),
				keepalive: opts.keepalive,
				// A redirect here is the way to the login page: never follow it (it would answer 200 with the login page).
				redirect: 'manual'
			});
			if (res.type === 'opaqueredirect' || res.status === 0 || res.status === 401 || (res.status >= 300 && res.status < 400)) {
				this.signedOut();
				return false;
			}
			this.events.request?.(sent);
			const data = await res.json().catch(() => ({}));
			// Refused, but the server holds what we send (an earlier try got through, its answer was lost): saved.
			const same = res.status === 409 && data.current && !data.locked && sameContent(body, data.current);
			if (res.ok || same) {
				this.onSaved((same ? data.current : data) as ServerSheet);
				this.savedAt = beijingTime();
				this.message = null;
				if (edits === this.#edits) {
					this.clearPending();
					this.state = 'saved';
				} else {
					// Edited while the request was out: store again on top of the new version and send later.
					this.changed();
				}
				return true;
			}
			if (res.status === 409 && data.locked) {
				this.lock();
				return false;
			}
			if (res.status === 409 && data.current) {
				this.conflict = data.current;
				this.state = 'conflict';
				this.message = data.error;
				return false;
			}
			this.state = 'error';
			this.message = data.error ?? data.message ?? `保存失败（${res.status}）`;
			return false;
		} catch {
			if (wasSignedOut) {
				this.state = 'signedOut';
				return false;
			}
			this.state = navigator.onLine ? 'error' : 'offline';
			this.message = navigator.onLine ? '无法连接服务器，已暂存在本机，稍后自动重试' : null;
			if (navigator.onLine) this.#timer = setTimeout(() => this.flush(), this.delay * 2);
			return false;
		} finally {
			this.#inflight = false;
			if (this.#again) {
				this.#again = false;
				void this.flush();
			}
		}
	}

	/** The session has ended: keep the sheet in this browser (it is already there) and say so. */
	signedOut() {
		if (this.#timer) {
			clearTimeout(this.#timer);
			this.#timer = null;
		}
		try {
			localStorage.setItem(this.storageKey, JSON.stringify(this.read()));
		} catch {
			/* storage full or disabled */
		}
		this.state = 'signedOut';
		this.message = '登录已结束（长时间未操作或已退出），本表的评分已暂存在本机，不会丢失。请重新登录，回到本页后会自动提交。';
		this.events.signedOut?.();
	}

	/** After a conflict: take the server's sheet (drops the local edits). */
	takeServer() {
		this.clearPending();
		this.conflict = null;
		this.state = 'saved';
		this.message = null;
	}

	/** After a conflict: keep the local edits on top of the server's version. */
	keepMine(serverVersion: number) {
		this.conflict = null;
		this.state = 'dirty';
		this.message = null;
		return serverVersion;
	}
}
