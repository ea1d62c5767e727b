/**
 * How many requests one execution keeps in flight. 3DS does not publish its quota and a user does
 * not know the round trip, so a fixed number is wrong somewhere: 25 requests per second need about
 * 4 in flight at 150 ms but 10 at 400 ms. The controller learns both from the answers (the
 * X-RateLimit-* headers and the measured round trips) and keeps enough requests in flight to spend
 * the quota, within a cap. Pure: no timers, no n8n; the client feeds it.
 */

/** Above this the node would only queue at the rate-limit gate (and hammer an API with no quota headers). */
export const MAX_AUTO_CONCURRENCY = 16;

/** Before any answer: enough to fill a first quota window quickly, few enough to be gentle. */
export const INITIAL_AUTO_CONCURRENCY = 4;

/**
 * In flight = rate × round trip (Little's law) × this. Round trips vary (±25 % at the WAN profile)
 * and a quota window must be spent before it ends, not just on average: twice the mean keeps the
 * window's 50 requests within its first 2/3 at 400 ms while a spent quota still holds everyone at
 * the gate.
 */
const HEADROOM = 2;

/** Weight of a new round trip in the moving average: a few answers are enough to settle. */
const RTT_WEIGHT = 0.2;

export interface QuotaObservation {
	limit?: number;
	remaining?: number;
	/** Seconds until the window resets. */
	reset?: number;
}

export class ConcurrencyController {
	private rttMs: number | undefined;

	/** Requests per second the quota allows, once the headers told us (undefined: no quota seen). */
	private ratePerSecond: number | undefined;

	/** The longest reset seen: the window's length, as near as whole seconds allow. */
	private windowSeconds = 0;

	private limit: number | undefined;

	/**
	 * `fixed`: the user's Concurrency option, used as is. Otherwise automatic, up to `cap`.
	 */
	constructor(
		private readonly fixed?: number,
		private readonly cap = MAX_AUTO_CONCURRENCY,
	) {}

	/** Records one answered request: its round trip and what it said about the quota. */
	observe(roundTripMs: number, quota: QuotaObservation = {}): void {
		if (Number.isFinite(roundTripMs) && roundTripMs >= 0)
			this.rttMs =
				this.rttMs === undefined
					? roundTripMs
					: this.rttMs * (1 - RTT_WEIGHT) + roundTripMs * RTT_WEIGHT;
		if (quota.limit !== undefined && quota.limit > 0 && quota.reset !== undefined) {
			if (this.limit !== quota.limit) this.windowSeconds = 0;
			this.limit = quota.limit;
			this.windowSeconds = Math.max(this.windowSeconds, quota.reset, 1);
			this.ratePerSecond = quota.limit / this.windowSeconds;
		}
	}

	/** Requests to keep in flight now. */
	target(): number {
		if (this.fixed !== undefined) return this.fixed;
		if (this.rttMs === undefined) return Math.min(INITIAL_AUTO_CONCURRENCY, this.cap);
		// No quota announced: only the cap bounds us.
		if (this.ratePerSecond === undefined) return this.cap;
		const needed = Math.ceil(this.ratePerSecond * (this.rttMs / 1000) * HEADROOM);
		return Math.max(2, Math.min(this.cap, needed));
	}

	/** The most the controller may ever ask for: how many items the router may have under way. */
	get maximum(): number {
		return this.fixed ?? this.cap;
	}
}

/**
 * A counting semaphore whose size follows the controller: `acquire` waits for a free slot,
 * `release` hands it to the longest waiter. Waiters are served in arrival order.
 */
export class RequestSlots {
	private inFlight = 0;

	private readonly waiting: Array<() => void> = [];

	constructor(private readonly controller: ConcurrencyController) {}

	async acquire(): Promise<void> {
		if (this.inFlight < this.controller.target() && this.waiting.length === 0) {
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
		while (this.waiting.length > 0 && this.inFlight < this.controller.target()) {
			this.inFlight++;
			this.waiting.shift()!();
		}
	}

	get active(): number {
		return this.inFlight;
	}
}
