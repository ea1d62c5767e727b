/**
 * How many requests one execution keeps in flight: the one owner of that number. Every request
 * takes one of its slots; the router lets `maximum` items be under way, and Search, the list
 * searches and the trigger start their GETs against it. 3DS does not publish its quota and a user
 * does not know the wire, so the limit is learned: with the X-RateLimit-* headers, the window's
 * Limit (the gate holds the requests a window has no room for); without them, the rate learned
 * from the 429s × the measured duration of a whole request. Pure: no timers, no n8n; the client
 * feeds it.
 */

/**
 * Never more in flight, nor more than the window's Limit. The Limit is what 3DS admits in a window
 * whenever in the window the requests arrive, so it may leave at once when the window opens: fewer
 * in flight send no fewer requests to 3DS, they only make the window's last requests (and a run's
 * last answers) later. Sized by Little's law instead (twice the quota's rate × a whole request,
 * 23 at 150 ms over HTTPS), a run's last window took 0.75 s to send its 50 where all of them
 * arrive within 0.25 s. n8n opens a new connection per request, so over HTTPS a request costs
 * three round trips (1.2 s at 400 ms); a quota larger than 3DS's example gets up to 64 at once.
 */
export const MAX_IN_FLIGHT = 64;

/** Before any answer: one request, whose answer sizes the rest, so a run never opens with a burst into a spent window. */
export const FIRST_IN_FLIGHT = 1;

/** With a quota: at least this many, so one slow answer does not stall the rest. */
const MIN_IN_FLIGHT = 2;

/**
 * Without rate-limit headers (a gateway that strips them) the quota is learned from the 429s
 * themselves. Until the first one, the limit starts here and grows by one after as many admitted
 * answers, never above the cap (courtesy to an API whose quota we cannot see).
 */
export const UNANNOUNCED_START = 4;
export const UNANNOUNCED_MAX = 16;

/**
 * Once a 429 has shown where the quota is, requests in flight are too coarse a pace (at 150 ms
 * over HTTPS one more in flight is 9 % more requests, where a window of 50 overflows at 2 %): the
 * first 429 turns the pace into a rate of request starts. Each window of 429s (the first
 * included) sets it to this share of the lower of the rate then and what the quota admitted
 * since the previous one; every admitted answer adds this many requests per second (the rate
 * grows 3 % per second), so a window overflows by a request or two now and then instead of by a
 * dozen in each (bench: no 429 after the first window that sent any, 300 Create at 150 ms).
 */
export const UNANNOUNCED_RATE_CUT = 0.9;
export const UNANNOUNCED_RATE_GROWTH = 0.03;

/** The slowest pace the cuts may reach, in requests per second (one per 100 s). */
const UNANNOUNCED_MIN_RATE = 0.01;

/**
 * Without headers, in flight = the learned rate × duration (Little's law) × this: enough that the
 * rate, not the slots, sets the pace, though durations vary (±25 % at the WAN profile).
 */
const HEADROOM = 2;

/** Weight of a new duration in the moving average: a few answers are enough to settle. */
const DURATION_WEIGHT = 0.2;

/** The shortest duration is taken over the latest answers, once there are enough of them. */
const SHORTEST_OF = 100;
const SHORTEST_FROM = 10;

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
	unannounced: number;
	unannouncedRate?: number;
}

export class InFlightLimit {
	private durationMs: number | undefined;

	/** The latest durations, for the shortest (the wire's floor). */
	private readonly recent: number[] = [];

	/** The shortest carried from an earlier run, until this run has measured its own. */
	private carriedShortestMs: number | undefined;

	private limit: number | undefined;

	/** Without announced quota, before the first 429: the requests in flight. */
	private unannounced = UNANNOUNCED_START;

	private answeredSinceGrowth = 0;

	/** Without announced quota, after the first 429: the requests per second to start. */
	private unannouncedRate: number | undefined;

	/**
	 * When the 429s that cut the rate last began (undefined: none since a request sent after them
	 * was admitted). Until such a request is, the window they met is still full: later 429s are
	 * the same full window, not a sign that the rate is too high.
	 */
	private rateLimitedSince: number | undefined;

	/** Answers other than 429 since `countingSince` (the last cut, or when the first request left). */
	private admittedSinceCut = 0;

	private countingSince: number | undefined;

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
			this.unannounced = memory.unannounced;
			this.unannouncedRate = memory.unannouncedRate;
		}
	}

	/**
	 * Records one answered request: its whole duration, what it said about the quota, whether it
	 * was admitted (not a 429) and when it was answered (the client's clock).
	 */
	observe(
		durationMs: number,
		quota: QuotaObservation = {},
		admitted = true,
		answeredAtMs?: number,
	): void {
		if (admitted) this.admittedSinceCut++;
		if (answeredAtMs !== undefined) {
			const sentAtMs = answeredAtMs - durationMs;
			this.countingSince ??= sentAtMs;
			if (admitted && this.rateLimitedSince !== undefined && sentAtMs > this.rateLimitedSince)
				this.rateLimitedSince = undefined;
		}
		if (Number.isFinite(durationMs) && durationMs >= 0) {
			this.durationMs =
				this.durationMs === undefined
					? durationMs
					: this.durationMs * (1 - DURATION_WEIGHT) + durationMs * DURATION_WEIGHT;
			this.recent.push(durationMs);
			if (this.recent.length > SHORTEST_OF) this.recent.shift();
		}
		if (quota.limit !== undefined && quota.limit > 0 && quota.reset !== undefined) {
			this.limit = quota.limit;
		} else if (admitted) this.growUnannounced();
	}

	/** Without announced quota, an admitted answer grows the pace, unless the window is full. */
	private growUnannounced(): void {
		if (this.limit !== undefined || this.rateLimitedSince !== undefined) return;
		if (this.unannouncedRate !== undefined) this.unannouncedRate += UNANNOUNCED_RATE_GROWTH;
		else if (++this.answeredSinceGrowth >= this.unannounced) {
			this.answeredSinceGrowth = 0;
			this.unannounced = Math.min(UNANNOUNCED_MAX, this.unannounced + 1);
		}
	}

	/**
	 * A 429 at `nowMs`. With announced quota the gate waits for the reset; without, the first one
	 * turns the pace into a rate, and each later window of 429s cuts it once (the 429s that follow
	 * before a request sent after them is admitted met the same full window).
	 */
	rateLimited(nowMs: number): void {
		if (this.limit !== undefined || this.rateLimitedSince !== undefined) return;
		this.rateLimitedSince = nowMs;
		const elapsedMs = nowMs - (this.countingSince ?? nowMs);
		const admitted = this.admittedSinceCut;
		this.countingSince = nowMs;
		this.admittedSinceCut = 0;
		if (this.unannouncedRate === undefined && (admitted === 0 || !this.durationMs)) {
			// Nothing admitted yet to measure the quota by (its window was full when we came).
			this.unannounced = Math.max(1, Math.floor(this.unannounced / 2));
			return;
		}
		const rate = this.unannouncedRate ?? (this.target() * 1000) / (this.durationMs ?? 1);
		// What the quota admitted since the last cut (or the first request) bounds it too: a rate
		// far past the quota is cut to what it admitted, not by a tenth per window of 429s.
		// Between two cuts the window reset at least once, so that is at least a window's worth.
		const admittedRate = elapsedMs > 0 && admitted > 0 ? (admitted * 1000) / elapsedMs : rate;
		this.unannouncedRate = Math.max(
			UNANNOUNCED_MIN_RATE,
			Math.min(rate, admittedRate) * UNANNOUNCED_RATE_CUT,
		);
	}

	/**
	 * The least time between two request starts, in ms: the learned rate's, without announced
	 * quota once a 429 came (0: requests start as the slots allow).
	 */
	spacingMs(): number {
		if (this.limit !== undefined || !this.unannouncedRate) return 0;
		return 1000 / this.unannouncedRate;
	}

	/** True while a learned rate paces the requests: a 429 then waits for its own retry only. */
	get paced(): boolean {
		return this.spacingMs() > 0;
	}

	/** Requests to keep in flight now. */
	target(): number {
		if (this.fixed !== undefined) return this.fixed;
		if (this.durationMs === undefined) return FIRST_IN_FLIGHT;
		if (this.limit !== undefined) return Math.max(MIN_IN_FLIGHT, Math.min(this.cap, this.limit));
		// Without headers, once a 429 came: enough in flight that the learned rate, not the slots,
		// sets the pace.
		if (this.unannouncedRate === undefined) return Math.min(this.cap, this.unannounced);
		const needed = Math.ceil(this.unannouncedRate * (this.durationMs / 1000) * HEADROOM);
		return Math.max(MIN_IN_FLIGHT, Math.min(this.cap, needed));
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
			unannounced: this.unannounced,
			unannouncedRate: this.unannouncedRate,
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
