/**
 * Watches the sign-in session on the scoring page (GB/T 22239 idle timeout): a minute before the
 * session would end for lack of use it asks the expert whether to go on (继续 sends one cheap
 * request, which counts as use); at the absolute cap it says when sign-in will be needed again.
 * Only the browser's own requests are counted, so the estimate is conservative: the server writes
 * the last use at most every `touchMs`, so the session may end up to `touchMs` before
 * `lastUse + idleMs` — the warning comes that much earlier.
 */
export type SessionInfo = {
	/** The idle timeout in ms. */
	idleMs: number;
	/** How stale the server's record of the last use may be. */
	touchMs: number;
	/** How long until the session ends whatever happens, as the server saw it when the page loaded. */
	capLeftMs: number;
};

export const WARN_BEFORE_IDLE_MS = 60_000;
export const WARN_BEFORE_CAP_MS = 5 * 60_000;

export class SessionWatch {
	#lastUse = $state(Date.now());
	#now = $state(Date.now());
	#ended = $state(false);
	#busy = $state(false);
	#timer: ReturnType<typeof setInterval> | null = null;
	/** In this browser's clock (the server's clock may differ). */
	#capEndsAt: number;

	constructor(
		private info: SessionInfo,
		private pingUrl = '/account/session'
	) {
		this.#capEndsAt = Date.now() + info.capLeftMs;
	}

	/** Milliseconds until the session ends for lack of use (conservative; may be negative). */
	get idleLeft(): number {
		return this.#lastUse + this.info.idleMs - this.info.touchMs - this.#now;
	}
	get capLeft(): number {
		return this.#capEndsAt - this.#now;
	}
	/** The idle warning is due. */
	get warnIdle(): boolean {
		return !this.#ended && this.idleLeft <= WARN_BEFORE_IDLE_MS;
	}
	/** The cap is near (it cannot be extended: the expert signs in again). */
	get warnCap(): boolean {
		return !this.#ended && this.capLeft <= WARN_BEFORE_CAP_MS;
	}
	/** A request found the session ended. */
	get ended(): boolean {
		return this.#ended;
	}
	get busy(): boolean {
		return this.#busy;
	}
	get capEndsAt(): number {
		return this.#capEndsAt;
	}

	start(): () => void {
		this.#timer = setInterval(() => (this.#now = Date.now()), 1000);
		return () => {
			if (this.#timer) clearInterval(this.#timer);
		};
	}

	/** A request to the server was sent (an autosave, a form, the keep-alive): it counts as use. */
	used(at = Date.now()) {
		this.#lastUse = at;
		this.#now = Date.now();
		this.#ended = false;
	}

	/** A request found the session ended (sent to the login page, or 401). */
	signedOut() {
		this.#ended = true;
	}

	/** 继续: one cheap request that counts as use. */
	async keepAlive(): Promise<boolean> {
		const sent = Date.now();
		this.#busy = true;
		try {
			const res = await fetch(this.pingUrl, { headers: { accept: 'application/json' }, redirect: 'manual', cache: 'no-store' });
			if (res.ok) {
				const body = (await res.json().catch(() => ({}))) as { now?: number; capEndsAt?: number };
				if (typeof body.now === 'number' && typeof body.capEndsAt === 'number') this.#capEndsAt = Date.now() + body.capEndsAt - body.now;
				this.used(sent);
				return true;
			}
			if (res.type === 'opaqueredirect' || res.status === 401 || res.status === 0) this.signedOut();
			return false;
		} catch {
			return false;
		} finally {
			this.#busy = false;
		}
	}
}
