/**
 * Pacing for one execution: every request of the execution (however many run at once) goes through
 * the same gate, so when `X-RateLimit-Remaining` says the quota is spent they all wait for
 * `X-RateLimit-Reset` instead of each collecting a 429. Lives on the client, never in a module
 * variable: n8n may run any item of any execution on any worker.
 */
export interface RateLimitHeaders {
	limit?: number;
	remaining?: number;
	/** Seconds until the quota window resets. */
	reset?: number;
}

const headerNumber = (headers: Record<string, unknown>, name: string): number | undefined => {
	const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
	if (key === undefined) return undefined;
	const raw = headers[key];
	const value = Number(Array.isArray(raw) ? raw[0] : raw);
	return Number.isFinite(value) && value >= 0 ? value : undefined;
};

export const readRateLimitHeaders = (headers: Record<string, unknown> = {}): RateLimitHeaders => ({
	limit: headerNumber(headers, 'x-ratelimit-limit'),
	remaining: headerNumber(headers, 'x-ratelimit-remaining'),
	reset: headerNumber(headers, 'x-ratelimit-reset'),
});

/** Small margin past the announced reset: the header is in whole seconds and clocks differ. */
export const RESET_MARGIN_MS = 50;

export class RateLimitGate {
	/** Requests we may still start in the current window, as far as we know (undefined: unknown). */
	private remaining: number | undefined;

	private resetsAt = 0;

	private inFlight = 0;

	constructor(
		private readonly sleep: (ms: number) => Promise<void>,
		private readonly now: () => number,
	) {}

	/** How long a request starting now would wait for the quota (0: it may start at once). */
	pendingWaitMs(): number {
		const now = this.now();
		return this.remaining !== undefined && this.remaining <= 0 && now < this.resetsAt
			? this.resetsAt - now
			: 0;
	}

	/** Waits until a request may start, then counts it as started. */
	async acquire(): Promise<void> {
		const now = this.now();
		if (this.remaining !== undefined && now >= this.resetsAt) this.remaining = undefined;
		if (this.remaining !== undefined && this.remaining <= 0) {
			// After the reset the quota is fresh; the next answer tells us the new remaining.
			await this.sleep(this.resetsAt - now);
			this.remaining = undefined;
		}
		if (this.remaining !== undefined) this.remaining--;
		this.inFlight++;
	}

	/** Records what the server said about the quota once a request is answered. */
	release(headers: RateLimitHeaders): void {
		this.inFlight--;
		if (headers.remaining === undefined || headers.reset === undefined) return;
		const resetsAt = this.now() + headers.reset * 1000 + RESET_MARGIN_MS;
		// Requests still in flight were counted by the server after this answer or will be: reserve them.
		const remaining = Math.max(0, headers.remaining - this.inFlight);
		if (this.remaining === undefined || resetsAt > this.resetsAt + 1000) {
			this.remaining = remaining;
			this.resetsAt = resetsAt;
		} else {
			// Same window. Reset is in whole seconds rounded up, so each answer overstates the end
			// by up to a second: the earliest bound is the tightest (waiting for the latest cost a
			// third of the throughput at a 2 s window).
			this.remaining = Math.min(this.remaining, remaining);
			this.resetsAt = Math.min(this.resetsAt, resetsAt);
		}
	}

	/** A 429 says the quota is spent whatever we believed: hold every request until the reset. */
	block(untilMs: number): void {
		this.remaining = 0;
		this.resetsAt = Math.max(this.resetsAt, untilMs);
	}
}
