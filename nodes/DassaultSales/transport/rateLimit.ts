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

/**
 * A Reset above this is a point in time, not a duration (no window lasts 30 years): the window's
 * end in epoch seconds, as many gateways send it where the spec says seconds until the reset.
 * Above the second bound, epoch milliseconds.
 */
const EPOCH_SECONDS_FROM = 1e9;
const EPOCH_MS_FROM = 1e12;

/** An epoch Reset in milliseconds (as sent, in seconds or milliseconds). */
const epochMs = (value: number) => (value >= EPOCH_MS_FROM ? value : value * 1000);

/** The longest Reset believed: a longer one is capped (and said so, once per execution). */
export const MAX_RESET_SECONDS = 3600;

/** How the Reset was read: as the spec says, as an epoch time, or capped as absurd. */
export type ResetForm = 'seconds' | 'epoch' | 'capped';

export interface ReadRateLimit extends RateLimitHeaders {
	/** Set when the Reset was not plain seconds, with the value as sent. */
	resetSent?: { form: Exclude<ResetForm, 'seconds'>; value: number };
}

export function readRateLimitHeaders(
	headers: Record<string, unknown> = {},
	nowMs = Date.now(),
): ReadRateLimit {
	const read: ReadRateLimit = {
		limit: headerNumber(headers, 'x-ratelimit-limit'),
		remaining: headerNumber(headers, 'x-ratelimit-remaining'),
	};
	const sent = headerNumber(headers, 'x-ratelimit-reset');
	if (sent === undefined) return read;
	let reset = sent;
	if (sent >= EPOCH_SECONDS_FROM) reset = Math.max(0, (epochMs(sent) - nowMs) / 1000);
	if (reset !== sent) read.resetSent = { form: 'epoch', value: sent };
	if (reset > MAX_RESET_SECONDS) {
		reset = MAX_RESET_SECONDS;
		read.resetSent = { form: 'capped', value: sent };
	}
	read.reset = reset;
	return read;
}

/**
 * Margin past the announced reset. The reset is reckoned from when the answer arrived, after the
 * server wrote it, and the header rounds up to whole seconds, so the bound is already late; the
 * margin only absorbs timer jitter. Every millisecond here is lost in each quota window (at 50 per
 * 2 s, 50 ms was 2.5 % of the throughput).
 */
export const RESET_MARGIN_MS = 10;

/**
 * Reset is in whole seconds rounded up, so answers of one window announce ends up to a second
 * apart; an end later than the known one by more than this starts a new window.
 */
const SAME_WINDOW_SPREAD_MS = 1000;

/**
 * A fresh window may open this share of the shortest whole request before the reset: the server
 * counts a request when it arrives, and over HTTPS a new connection's handshakes and the request's
 * way there take most of the request, so a request sent at the reset wastes them in every window
 * (a third of each 2 s window at 400 ms). Less than 1: the shortest varies.
 */
const EARLY_START_SHARE = 0.95;

/**
 * A 429 to a request that left early and arrived before the previous window ended says the early
 * start was too early for this wire (the share of a request spent on the way there varies: half
 * over a kept connection, five sixths with a new connection's handshakes): each window with such
 * 429s shortens it by this factor, for the rest of the execution.
 */
const EARLY_START_CUT = 0.8;

/**
 * An answer announcing an end less than this share of the window's length after the previous
 * window's end is the previous window's (a whole-second Reset rounds up to a second late; the
 * current window ends a whole length after the previous one).
 */
const PREVIOUS_WINDOW_SHARE = 0.75;

/** Before the shortest is known: this share of the average request (its way there, at least). */
const EARLY_START_SHARE_OF_AVERAGE = 0.5;

/** How long before the reset a fresh window may open, from what the in-flight limit measured. */
export function earlyStartMs(
	shortestMs: number | undefined,
	averageMs: number | undefined,
): number {
	if (shortestMs !== undefined) return EARLY_START_SHARE * shortestMs;
	if (averageMs !== undefined) return EARLY_START_SHARE_OF_AVERAGE * averageMs;
	return 0;
}

/** When requests may start, from what the in-flight limit measured and learned. */
export interface RequestTiming {
	/** How long before the reset a fresh window may open (`earlyStartMs`). */
	earlyMs(): number;
	/** The least time between two starts (0: none), without announced quota once a 429 came. */
	spacingMs(): number;
}

/** What the gate knows of the window, carried to the next run of the node in the same execution. */
export interface RateLimitMemory {
	remaining?: number;
	resetsAt: number;
	blocked: boolean;
	limit?: number;
	othersTook?: number;
	windowMs?: number;
	earlyShare?: number;
}

/**
 * Another client on the same API key (a second execution, another queue-mode worker) shows as
 * 429s where we counted quota left, and as answers counting more of the window than we sent. A
 * handful (this share of the Limit, at least 2) is a sharer; fewer is noise (a request sent a
 * little early into the previous window, an answer lost to a network error).
 */
const SHARER_SHARE = 0.1;

/**
 * What the gate knows of the current quota window. The server counts a request when it arrives and
 * answers `Remaining` as of then. On the internet a request takes most of its duration to arrive
 * (a new connection's handshakes, then the way there) and round trips vary, so a request sent
 * later may arrive earlier: an answer accounts for the requests that arrived before it, and any
 * request of the window not answered yet may not be among them. The estimate is therefore the
 * Remaining of the latest-sent request answered in the window, less every request of the window
 * still unanswered; before any answer of a fresh window, its Limit less what was sent in it.
 * Requests sent before a window opened belong to the previous one: their answers and their 429s
 * say nothing of the new window. Other clients on the same key take their part of each window
 * unseen until it is full; what a window of 429s says they took, ours leaves them (`othersTook`).
 * Without rate-limit headers there is no window to count: the gate spaces the starts by the rate
 * the in-flight limit learned from the 429s (`RequestTiming.spacingMs`).
 */
export class RateLimitGate {
	/** The lowest Remaining answered in this window (undefined: none yet). */
	private remainingAtAnswer: number | undefined;

	/** Requests started so far; each gets the next number as its ticket. */
	private sent = 0;

	/** The first ticket of the current window. */
	private windowTicket = 1;

	/** Tickets sent and not answered yet, with when each left. */
	private readonly unanswered = new Map<number, number>();

	/** X-RateLimit-Limit, once an answer said it: what a fresh window holds. */
	private limit: number | undefined;

	private resetsAt = 0;

	/** The earliest end the answers of the window announced (resetsAt may be tighter). */
	private announcedAt = 0;

	/** 429s to requests of this window: more than one or two are the sign of another client on the key. */
	private rateLimitedInWindow = 0;

	/** A 429 came in this window: the next one opens at the reset, not before. */
	private blocked = false;

	/**
	 * Changes when a window opens, or an answer or a 429 moves its reset later: a wait begun before
	 * is stale (opening at its end let a whole window's requests into the old window).
	 */
	private generation = 0;

	/** Our requests the current window admitted (answers other than 429), and their lowest Remaining. */
	private admitted = 0;

	private lowestAdmitted: number | undefined;

	/**
	 * How much of the last window others on the same key took: each of two executions that both
	 * opened every window with its Limit collected the other's half as 429s (865 for 1,000 items).
	 * Our share of a window is its Limit less this.
	 */
	private othersTook = 0;

	/**
	 * The window's length, as near as the headers tell (an upper bound): the longest Reset in
	 * seconds (a window's first answer says it), or with an epoch Reset the shortest step between
	 * two windows' ends (they follow each other while requests wait for them).
	 */
	private windowMs: number | undefined;

	/** The latest window end an epoch Reset said. */
	private lastEpochEnd: number | undefined;

	/**
	 * The end the gate knew for the previous window, when the current one opened before it (the
	 * early start): requests sent early may still have arrived in the previous window.
	 */
	private previousEnd: number | undefined;

	/** What is left of the early start after the cuts (EARLY_START_CUT), and the window last cut in. */
	private earlyShare = 1;

	private earlyCutInWindow = 0;

	/** Requests sent in the current window whose answers showed they arrived in the previous one. */
	private strayInWindow = 0;

	/**
	 * With an epoch Reset, a window's first request often leaves two whole seconds possible for
	 * the window's length (it took part of a second to arrive, and the end is rounded up to one):
	 * the shorter, until one request has tried it (`tentative`). Resolved once per execution.
	 */
	private shorterWindowMs: number | undefined;

	private windowLengthResolved = false;

	/** The current window's end was reckoned with `shorterWindowMs`. */
	private endIsTentative = false;

	/** The current window opened at such an end: one request tries it before the rest leave. */
	private tentative = false;

	/** A tried end that proved early: its 429 holds nobody beyond the window's announced end. */
	private failedTry: number | undefined;

	/** Wakes the requests waiting for the reset when an answer says there is quota left after all. */
	private answered: { promise: Promise<void>; resolve: () => void } | undefined;

	/** The next start the learned spacing allows (`RequestTiming.spacingMs`). */
	private nextStartAt = 0;

	private readonly earlyMs: () => number;

	private readonly spacingMs: () => number;

	constructor(
		private readonly sleep: (ms: number) => Promise<void>,
		private readonly now: () => number,
		timing: Partial<RequestTiming> = {},
		memory?: RateLimitMemory,
	) {
		this.earlyMs = timing.earlyMs ?? (() => 0);
		this.spacingMs = timing.spacingMs ?? (() => 0);
		if (!memory) return;
		this.limit = memory.limit;
		this.othersTook = memory.othersTook ?? 0;
		this.windowMs = memory.windowMs;
		this.earlyShare = memory.earlyShare ?? 1;
		if (memory.remaining !== undefined && now() < memory.resetsAt) {
			this.remainingAtAnswer = memory.remaining;
			this.resetsAt = memory.resetsAt;
			this.announcedAt = memory.resetsAt;
			this.blocked = memory.blocked;
		}
	}

	/** When a request may start in a fresh window: the reset, or a little before it. */
	private get opensAt(): number {
		return this.blocked ? this.resetsAt : this.resetsAt - this.earlyShare * this.earlyMs();
	}

	/**
	 * Whether an answer (or 429) to a request of the current window, announcing the end `endMs`,
	 * came from the previous window: the request left early and arrived before that window ended.
	 */
	private ofPreviousWindow(endMs: number): boolean {
		if (this.previousEnd === undefined) return false;
		const length = this.windowMs ?? SAME_WINDOW_SPREAD_MS / PREVIOUS_WINDOW_SHARE;
		return endMs < this.previousEnd + PREVIOUS_WINDOW_SHARE * length;
	}

	private unansweredInWindow(): number {
		let count = 0;
		for (const ticket of this.unanswered.keys()) if (ticket >= this.windowTicket) count++;
		return count;
	}

	/**
	 * Requests we may still start in the current window, as far as we know (undefined: unknown).
	 * With others on the key, never more than our share: their requests are not among ours
	 * unanswered, so the Remaining of our answers overstates what is left for us.
	 */
	private get remaining(): number | undefined {
		const sentInWindow = this.sent - this.windowTicket + 1 - this.strayInWindow;
		const share =
			this.limit === undefined ? undefined : this.limit - this.othersTook - sentInWindow;
		if (this.remainingAtAnswer === undefined)
			return this.tentative ? 1 - sentInWindow : share;
		const left = this.remainingAtAnswer - this.unansweredInWindow();
		return this.othersTook > 0 && share !== undefined ? Math.min(left, share) : left;
	}

	/** How long a request starting now would wait for the quota (0: it may start at once). */
	pendingWaitMs(): number {
		const now = this.now();
		const remaining = this.remaining;
		return remaining !== undefined && remaining <= 0 && now < this.opensAt ? this.opensAt - now : 0;
	}

	/** Waits until a request may start, then counts it as started; returns its ticket for `release`. */
	async acquire(): Promise<number> {
		for (;;) {
			const now = this.now();
			if (this.resetsAt > 0 && now >= this.opensAt) this.openWindow();
			const remaining = this.remaining;
			if (remaining === undefined || remaining > 0) break;
			// A fresh window's Limit is spent and no answer told its end yet: nothing to wait for
			// once every request of it is answered (a gateway that stopped sending the headers).
			if (this.resetsAt === 0 && this.unansweredInWindow() === 0) break;
			// The estimate is conservative: an answer may free a request before the reset, so wait
			// for whichever comes first.
			if (!this.answered) {
				let resolve!: () => void;
				const promise = new Promise<void>((r) => (resolve = r));
				this.answered = { promise, resolve };
			}
			// The first waiter whose wait for the reset ends opens the window, once: the others,
			// and any wait begun before an answer or a 429 moved the reset, look again instead.
			const generation = this.generation;
			const waits = [this.answered.promise.then(() => false)];
			if (this.resetsAt > 0) waits.push(this.sleep(this.opensAt - now).then(() => true));
			if ((await Promise.race(waits)) && generation === this.generation) {
				this.openWindow();
				break;
			}
		}
		const ticket = ++this.sent;
		this.unanswered.set(ticket, this.now());
		// After the quota wait, so that requests held at a reset leave at the pace, not at once;
		// and after counting the request, so that no other passes the quota check meanwhile.
		await this.waitForSpacing();
		return ticket;
	}

	/** Each request takes the next start the spacing allows, and waits for it. */
	private async waitForSpacing(): Promise<void> {
		const spacing = this.spacingMs();
		if (spacing <= 0) return;
		const now = this.now();
		const at = Math.max(now, this.nextStartAt);
		this.nextStartAt = at + spacing;
		if (at > now) await this.sleep(at - now);
	}

	/** After the reset the quota is fresh: its Limit, until an answer of the window says more. */
	private openWindow(): void {
		// Only a window opened early on purpose, or at a tentative end: one opened at a reset a 429
		// announced was not.
		this.tentative = this.endIsTentative;
		this.endIsTentative = false;
		const early = !this.blocked && this.now() < this.resetsAt;
		this.previousEnd = early || this.tentative ? this.resetsAt : undefined;
		this.strayInWindow = 0;
		this.measureOthers();
		this.remainingAtAnswer = undefined;
		this.blocked = false;
		this.resetsAt = 0;
		this.announcedAt = 0;
		this.windowTicket = this.sent + 1;
		this.generation++;
	}

	/**
	 * At the end of a window, what others on the key took of it. A handful of 429s (more than a
	 * request or two sent a little early) says the window was full: all of it but what it
	 * admitted of ours was others'. Without them, enough answers of ours (a handful, or all we
	 * sent) tell what the server counted beyond ours by our lowest Remaining; too few to tell, our
	 * share grows by a handful (if the others are still there, the next window's 429s will say so).
	 */
	private measureOthers(): void {
		const limit = this.limit;
		if (limit === undefined) return this.forgetAdmitted();
		const handful = Math.max(2, Math.ceil(SHARER_SHARE * limit));
		// A small share (one request a window, while another hogged the key) must still see
		// the others leave: every one of ours admitted is as telling as a handful.
		const allAdmitted = this.admitted > 0 && this.rateLimitedInWindow === 0;
		if (this.rateLimitedInWindow >= handful)
			this.othersTook = Math.min(limit - 1, limit - this.admitted);
		else if (this.othersTook > 0 && (this.admitted >= handful || allAdmitted)) {
			const counted = limit - (this.lowestAdmitted ?? limit) - this.admitted;
			this.othersTook = counted >= handful ? counted : 0;
		} else if (this.othersTook > 0) this.othersTook = Math.max(0, this.othersTook - handful);
		this.forgetAdmitted();
	}

	private forgetAdmitted(): void {
		this.admitted = 0;
		this.lowestAdmitted = undefined;
		this.rateLimitedInWindow = 0;
	}

	/**
	 * Records the answer to the request `ticket` (with what the server said about the quota), or
	 * that it got none (empty headers); `admitted`: false for a 429.
	 */
	release(ticket: number, headers: ReadRateLimit, admitted = true): void {
		const sentAt = this.unanswered.get(ticket);
		this.unanswered.delete(ticket);
		const waiting = this.answered;
		this.answered = undefined;
		waiting?.resolve();
		if (headers.remaining === undefined || headers.reset === undefined) return;
		if (headers.limit !== undefined && headers.limit > 0) this.limit = headers.limit;
		// An answer of a window that ended says nothing of the current one.
		if (ticket < this.windowTicket) return;
		const now = this.now();
		const opens = admitted && headers.remaining === (this.limit ?? 0) - 1;
		this.learnWindowLength(headers, opens ? sentAt : undefined);
		const announced = now + headers.reset * 1000 + RESET_MARGIN_MS;
		if (this.tentative && this.triedShorter(ticket, announced)) return;
		if (this.ofPreviousWindow(announced)) {
			// The previous window counted it: this one has room for one more.
			this.strayInWindow++;
			return;
		}
		// The window's first request (Remaining = Limit − 1) arrived when the window began, before
		// its answer: the window ends within its length of now. A Reset in whole seconds may be up
		// to a second later (an epoch one in every answer of the window: half of a 2 s window).
		const opener =
			opens && this.windowMs !== undefined
				? now + this.windowMs + RESET_MARGIN_MS
				: Infinity;
		const shorter =
			opens && this.shorterWindowMs !== undefined
				? now + this.shorterWindowMs + RESET_MARGIN_MS
				: Infinity;
		// Which window an answer is of, its announced end tells (the opener's bound is tighter by
		// up to a second, so comparing it with an announced end would see a window that is not).
		if (
			this.remainingAtAnswer === undefined ||
			announced > this.announcedAt + SAME_WINDOW_SPREAD_MS
		) {
			// A later window than we thought: what was counted so far mixed two windows.
			if (this.remainingAtAnswer !== undefined) this.forgetAdmitted();
			this.remainingAtAnswer = headers.remaining;
			this.announcedAt = announced;
			this.resetsAt = Math.min(announced, opener);
			this.endIsTentative = shorter < this.resetsAt;
			this.resetsAt = Math.min(this.resetsAt, shorter);
			this.generation++;
		} else {
			// Same window. Reset is in whole seconds rounded up, so each answer overstates the end
			// by up to a second: the earliest bound is the tightest (waiting for the latest cost a
			// third of the throughput at a 2 s window).
			this.announcedAt = Math.min(this.announcedAt, announced);
			this.resetsAt = Math.min(this.resetsAt, announced, opener);
			if (shorter < this.resetsAt) {
				this.endIsTentative = true;
				this.resetsAt = shorter;
			}
			this.remainingAtAnswer = Math.min(this.remainingAtAnswer, headers.remaining);
		}
		this.countAdmitted(headers.remaining, admitted);
	}

	/**
	 * The answer to the one request that tried a window's shorter possible length: a new window
	 * (the shorter length is the window's, kept from now on), or the previous window still
	 * running (the longer one is; the previous window is back, until its announced end). True when
	 * the answer was the previous window's, and so says nothing more.
	 */
	private triedShorter(ticket: number, announced: number): boolean {
		this.tentative = false;
		this.windowLengthResolved = true;
		const early = this.ofPreviousWindow(announced);
		if (!early) {
			if (this.shorterWindowMs !== undefined) this.windowMs = this.shorterWindowMs;
		} else {
			this.failedTry = ticket;
			this.remainingAtAnswer = 0;
			this.resetsAt = announced;
			this.announcedAt = announced;
			this.previousEnd = undefined;
			this.generation++;
		}
		this.shorterWindowMs = undefined;
		return early;
	}

	/**
	 * With an epoch Reset, two bounds of the window's length, both assuming whole seconds (as
	 * windows announced in whole seconds are): the shortest step between two windows' ends, and,
	 * from a window's first request (`openerSentAt`: it arrived after it left, and the window ends
	 * by the whole second announced), the announced end less when it left, rounded down. The second
	 * is known from the first window on, where the step needs windows that follow each other.
	 */
	private learnWindowLength(headers: ReadRateLimit, openerSentAt?: number): void {
		if (headers.resetSent?.form === 'capped' || headers.reset === undefined) return;
		if (headers.resetSent?.form !== 'epoch') {
			this.windowMs = Math.max(this.windowMs ?? 0, headers.reset * 1000);
			return;
		}
		const end = epochMs(headers.resetSent.value);
		const bounds = [this.windowMs ?? Infinity];
		if (this.lastEpochEnd !== undefined && end > this.lastEpochEnd)
			bounds.push(end - this.lastEpochEnd);
		if (openerSentAt !== undefined) {
			const whole = (Math.ceil((end - openerSentAt) / 1000) - 1) * 1000;
			if (whole >= 1000) bounds.push(whole);
		}
		const shortest = Math.min(...bounds);
		if (shortest < Infinity) this.windowMs = shortest;
		// The window ended after the whole second before the announced one, and began before its
		// first answer (now): its length is more than their difference.
		if (openerSentAt !== undefined && !this.windowLengthResolved) {
			const least = (Math.floor((end - 1000 - this.now()) / 1000) + 1) * 1000;
			this.shorterWindowMs =
				least >= 1000 && least < (this.windowMs ?? Infinity) ? least : undefined;
		}
		this.lastEpochEnd = Math.max(this.lastEpochEnd ?? end, end);
	}

	private countAdmitted(remaining: number, admitted: boolean): void {
		if (!admitted) return;
		this.admitted++;
		this.lowestAdmitted = Math.min(this.lowestAdmitted ?? remaining, remaining);
	}

	/**
	 * A 429 to the request `ticket` says the window is spent whatever we believed: hold every
	 * request until `untilMs`, or until the tighter end the window's answers gave, with no early
	 * opening. A 429 to a request sent before the current window opened was the previous window's;
	 * so was one announcing the previous window's end to a request sent early into this one, which
	 * shortens the early start instead. Returns how long the caller itself waits before trying
	 * again (0: the gate holds it, or nothing does).
	 */
	block(untilMs: number, ticket = this.sent): number {
		if (ticket < this.windowTicket || ticket === this.failedTry) return 0;
		if (this.ofPreviousWindow(untilMs)) {
			if (this.earlyCutInWindow !== this.windowTicket) this.earlyShare *= EARLY_START_CUT;
			this.earlyCutInWindow = this.windowTicket;
			// The previous window had not ended when it arrived, however sure its end looked: this
			// one request leaves again as a fresh window's would, the early start before that
			// window's announced end (at once, it could meet the same window again, and again).
			return Math.max(0, untilMs - this.earlyShare * this.earlyMs() - this.now());
		}
		this.rateLimitedInWindow++;
		this.remainingAtAnswer = 0;
		if (this.resetsAt === 0 || untilMs > this.announcedAt + SAME_WINDOW_SPREAD_MS) {
			this.resetsAt = untilMs;
			this.announcedAt = untilMs;
		}
		this.blocked = true;
		this.generation++;
		return 0;
	}

	memory(): RateLimitMemory {
		return {
			remaining: this.remaining,
			// A next run does not try the shorter length: it waits for what was announced.
			resetsAt: this.endIsTentative ? this.announcedAt : this.resetsAt,
			blocked: this.blocked,
			limit: this.limit,
			othersTook: this.othersTook,
			windowMs: this.windowMs,
			earlyShare: this.earlyShare,
		};
	}
}
