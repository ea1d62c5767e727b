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

/**
 * Margin past the announced reset. The reset is reckoned from when the answer arrived, after the
 * server wrote it, and the header rounds up to whole seconds, so the bound is already late; the
 * margin only absorbs timer jitter. Every millisecond here is lost in each quota window (at 50 per
 * 2 s, 50 ms was 2.5 % of the throughput).
 */
export const RESET_MARGIN_MS = 10;

/**
 * What the gate knows of the current quota window. The server counts a request when it arrives and
 * answers `Remaining` as of then, so an answer accounts for every request sent before it (requests
 * travel the same way, in order) but not necessarily those sent after it: the estimate is the
 * Remaining of the latest-sent request answered, less what was sent since. (Subtracting every
 * request in flight instead counts most of them twice and, at 400 ms with 16 in flight, spends a
 * third of each window waiting.)
 */
export class RateLimitGate {
	/** Remaining of the latest-sent request answered in this window (undefined: unknown). */
	private remainingAtAnswer: number | undefined;

	/** Send number of that request. */
	private answeredTicket = 0;

	/** Requests started so far; each gets the next number as its ticket. */
	private sent = 0;

	private resetsAt = 0;

	/** Wakes the requests waiting for the reset when an answer says there is quota left after all. */
	private answered: { promise: Promise<void>; resolve: () => void } | undefined;

	constructor(
		private readonly sleep: (ms: number) => Promise<void>,
		private readonly now: () => number,
	) {}

	/** Requests we may still start in the current window, as far as we know (undefined: unknown). */
	private get remaining(): number | undefined {
		return this.remainingAtAnswer === undefined
			? undefined
			: this.remainingAtAnswer - (this.sent - this.answeredTicket);
	}

	/** How long a request starting now would wait for the quota (0: it may start at once). */
	pendingWaitMs(): number {
		const now = this.now();
		const remaining = this.remaining;
		return remaining !== undefined && remaining <= 0 && now < this.resetsAt
			? this.resetsAt - now
			: 0;
	}

	/** Waits until a request may start, then counts it as started; returns its ticket for `release`. */
	async acquire(): Promise<number> {
		for (;;) {
			const now = this.now();
			// After the reset the quota is fresh; the next answer tells us the new remaining.
			if (this.remainingAtAnswer !== undefined && now >= this.resetsAt)
				this.remainingAtAnswer = undefined;
			const remaining = this.remaining;
			if (remaining === undefined || remaining > 0) break;
			// The estimate is conservative (an answer counted later requests too): a later answer
			// may free a request before the reset, so wait for whichever comes first.
			if (!this.answered) {
				let resolve!: () => void;
				const promise = new Promise<void>((r) => (resolve = r));
				this.answered = { promise, resolve };
			}
			const reset = this.sleep(this.resetsAt - now).then(() => true);
			if (await Promise.race([reset, this.answered.promise.then(() => false)])) {
				// After the reset the quota is fresh; the next answer tells us the new remaining.
				this.remainingAtAnswer = undefined;
				break;
			}
		}
		return ++this.sent;
	}

	/** Records what the server said about the quota in its answer to the request `ticket`. */
	release(ticket: number, headers: RateLimitHeaders): void {
		if (headers.remaining === undefined || headers.reset === undefined) return;
		const waiting = this.answered;
		this.answered = undefined;
		waiting?.resolve();
		const resetsAt = this.now() + headers.reset * 1000 + RESET_MARGIN_MS;
		const newWindow = this.remainingAtAnswer === undefined || resetsAt > this.resetsAt + 1000;
		if (newWindow) {
			// An answer from a window that ended (sent before the one we know) says nothing now.
			if (this.remainingAtAnswer !== undefined && ticket < this.answeredTicket) return;
			this.remainingAtAnswer = headers.remaining;
			this.answeredTicket = ticket;
			this.resetsAt = resetsAt;
			return;
		}
		// Same window. Reset is in whole seconds rounded up, so each answer overstates the end
		// by up to a second: the earliest bound is the tightest (waiting for the latest cost a
		// third of the throughput at a 2 s window).
		this.resetsAt = Math.min(this.resetsAt, resetsAt);
		if (ticket > this.answeredTicket) {
			this.remainingAtAnswer = headers.remaining;
			this.answeredTicket = ticket;
		}
	}

	/** A 429 says the quota is spent whatever we believed: hold every request until the reset. */
	block(untilMs: number): void {
		this.remainingAtAnswer = 0;
		this.answeredTicket = this.sent;
		this.resetsAt = Math.max(this.resetsAt, untilMs);
	}
}
