/**
 * How many requests one execution keeps in flight: the one owner of that number. Every request
 * takes one of its slots; the router lets `maximum` items be under way, and Search, the list
 * searches and the trigger start their GETs against it. 3DS does not publish its quota and a user
 * does not know the wire, so the limit is learned: the quota rate from the X-RateLimit-* headers ×
 * the measured duration of a whole request. n8n opens a new connection for every request, so over
 * HTTPS a request costs its TCP and TLS handshakes too: about three round trips, 1.2 s at 400 ms,
 * where 25 requests per second then need 30 in flight. Pure: no timers, no n8n; the client feeds it.
 */

/**
 * Never more in flight, nor more than the window's Limit: 3DS's example quota (50 per window) may
 * leave at once when a window opens (more could only collect 429s), and at 400 ms over HTTPS the
 * quota needs about 30 in flight with the headroom below (60); a larger quota gets up to 64.
 */
export const MAX_IN_FLIGHT = 64;

/** Before any answer: one request, whose answer sizes the rest, so a run never opens with a burst into a spent window. */
export const FIRST_IN_FLIGHT = 1;

/** With a quota: at least this many, so one slow answer does not stall the rest. */
const MIN_IN_FLIGHT = 2;

/**
 * Without rate-limit headers (a gateway that strips them) the limit is learned from the 429s
 * themselves: it starts here, halves on each 429 and grows by one after as many answers in a row
 * without one, never above the cap (courtesy to an API whose quota we cannot see).
 */
export const UNANNOUNCED_START = 4;
export const UNANNOUNCED_MAX = 16;

/**
 * In flight = rate × duration (Little's law) × this. Durations vary (±25 % at the WAN profile)
 * and a window's quota must be spent before the window ends, not just on average.
 */
const HEADROOM = 2;

/** Weight of a new duration in the moving average: a few answers are enough to settle. */
const DURATION_WEIGHT = 0.2;

/** The shortest duration is taken over the latest answers, once there are enough of them. */
const SHORTEST_OF = 100;
const SHORTEST_FROM = 10;

/**
 * A Reset longer than this is not a window's length (an epoch read as seconds, a daily quota):
 * it must not make the rate look like zero.
 */
export const MAX_WINDOW_SECONDS = 3600;

export interface QuotaObservation {
	limit?: number;
	remaining?: number;
	/** Seconds until the window resets. */
	reset?: number;
}

/** What the limit learned, carried to the next run of the node in the same execution. */
export interface InFlightMemory {
	durationMs?: number;
	shortestMs?: number;
	limit?: number;
	windowSeconds: number;
	unannounced: number;
}

export class InFlightLimit {
	private durationMs: number | undefined;

	/** The latest durations, for the shortest (the wire's floor). */
	private readonly recent: number[] = [];

	/** The shortest carried from an earlier run, until this run has measured its own. */
	private carriedShortestMs: number | undefined;

	/** The longest reset seen: the window's length, as near as whole seconds allow. */
	private windowSeconds = 0;

	private limit: number | undefined;

	/** The limit learned from 429s when the API announces no quota. */
	private unannounced = UNANNOUNCED_START;

	private answeredSince429 = 0;

	/**
	 * `fixed`: the user's Concurrency option, used as is. Otherwise learned, up to `cap`.
	 */
	constructor(
		private readonly fixed?: number,
		private readonly cap = MAX_IN_FLIGHT,
		memory?: InFlightMemory,
	) {
		if (memory) {
			this.durationMs = memory.durationMs;
			this.carriedShortestMs = memory.shortestMs;
			this.limit = memory.limit;
			this.windowSeconds = memory.windowSeconds;
			this.unannounced = memory.unannounced;
		}
	}

	/** Records one answered request: its whole duration and what it said about the quota. */
	observe(durationMs: number, quota: QuotaObservation = {}): void {
		if (Number.isFinite(durationMs) && durationMs >= 0) {
			this.durationMs =
				this.durationMs === undefined
					? durationMs
					: this.durationMs * (1 - DURATION_WEIGHT) + durationMs * DURATION_WEIGHT;
			this.recent.push(durationMs);
			if (this.recent.length > SHORTEST_OF) this.recent.shift();
		}
		if (quota.limit !== undefined && quota.limit > 0 && quota.reset !== undefined) {
			if (this.limit !== quota.limit) this.windowSeconds = 0;
			this.limit = quota.limit;
			this.windowSeconds = Math.min(
				MAX_WINDOW_SECONDS,
				Math.max(this.windowSeconds, quota.reset, 1),
			);
		} else if (this.limit === undefined && ++this.answeredSince429 >= this.unannounced) {
			this.answeredSince429 = 0;
			this.unannounced = Math.min(UNANNOUNCED_MAX, this.unannounced + 1);
		}
	}

	/** A 429: without announced quota, the limit halves (with one, the gate already waits). */
	rateLimited(): void {
		this.answeredSince429 = 0;
		if (this.limit === undefined) this.unannounced = Math.max(1, Math.floor(this.unannounced / 2));
	}

	/** Requests to keep in flight now. */
	target(): number {
		if (this.fixed !== undefined) return this.fixed;
		if (this.durationMs === undefined) return FIRST_IN_FLIGHT;
		if (this.limit === undefined) return Math.min(this.cap, this.unannounced);
		const ratePerSecond = this.limit / this.windowSeconds;
		const needed = Math.ceil(ratePerSecond * (this.durationMs / 1000) * HEADROOM);
		return Math.max(MIN_IN_FLIGHT, Math.min(this.cap, this.limit, needed));
	}

	/** The most the limit may ever be: how many items (or GETs) may be under way. */
	get maximum(): number {
		return this.fixed ?? this.cap;
	}

	/**
	 * The shortest whole request lately (undefined until enough were measured): how long before a
	 * quota reset a request may leave and still arrive after it.
	 */
	get shortestMs(): number | undefined {
		if (this.recent.length < SHORTEST_FROM) return this.carriedShortestMs;
		return Math.min(...this.recent);
	}

	get averageMs(): number | undefined {
		return this.durationMs;
	}

	memory(): InFlightMemory {
		return {
			durationMs: this.durationMs,
			shortestMs: this.shortestMs,
			limit: this.limit,
			windowSeconds: this.windowSeconds,
			unannounced: this.unannounced,
		};
	}
}

/**
 * A counting semaphore whose size follows the limit: `acquire` waits for a free slot, `release`
 * hands it to the longest waiter. Waiters are served in arrival order.
 */
export class RequestSlots {
	private inFlight = 0;

	private readonly waiting: Array<() => void> = [];

	constructor(private readonly limit: InFlightLimit) {}

	async acquire(): Promise<void> {
		if (this.inFlight < this.limit.target() && this.waiting.length === 0) {
			this.inFlight++;
			return;
		}
		await new Promise<void>((resolve) => this.waiting.push(resolve));
	}

	release(): void {
		this.inFlight--;
		this.wake();
	}

	/** Lets waiters in while the target (which may have grown) allows. */
	wake(): void {
		while (this.waiting.length > 0 && this.inFlight < this.limit.target()) {
			this.inFlight++;
			this.waiting.shift()!();
		}
	}

	get active(): number {
		return this.inFlight;
	}
}
