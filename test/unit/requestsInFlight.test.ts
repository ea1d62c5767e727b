/**
 * The pure parts the parallel path leans on: the in-flight limit, the request slots, the
 * rate-limit gate's estimate and early opening, the reading of Reset in its forms, the
 * classification of an attempt and the retry budget, and the reading of PATCH's plural `errors`.
 */
import nock from 'nock';

import {
	FIRST_IN_FLIGHT,
	InFlightLimit,
	MAX_IN_FLIGHT,
	RequestSlots,
	UNANNOUNCED_MAX,
	UNANNOUNCED_RATE_CUT,
	UNANNOUNCED_RATE_GROWTH,
	UNANNOUNCED_START,
} from '../../nodes/DassaultSales/transport/requestsInFlight';
import { describeEnvelope } from '../../nodes/DassaultSales/transport/errors';
import {
	earlyStartMs,
	MAX_RESET_SECONDS,
	RateLimitGate,
	readRateLimitHeaders,
} from '../../nodes/DassaultSales/transport/rateLimit';
import {
	classify,
	EXECUTION_RETRY_POLICY,
	RetryBudget,
} from '../../nodes/DassaultSales/transport/retry';
import { API, errorBody } from '../helpers/fixtures';
import { runNode, TEST_BASE_URL } from '../helpers/n8n';

describe('in-flight limit', () => {
	const quota = { limit: 50, remaining: 40, reset: 2 };
	const sized = (durationMs: number, q = quota) => {
		const limit = new InFlightLimit();
		for (let i = 0; i < 20; i++) limit.observe(durationMs, q);
		return limit.target();
	};

	it('sends one request before any answer, and sizes itself from its answer', () => {
		const limit = new InFlightLimit();
		expect(limit.target()).toBe(FIRST_IN_FLIGHT);
		expect(FIRST_IN_FLIGHT).toBe(1);
		limit.observe(1200, quota);
		expect(limit.target()).toBe(50);
	});

	it('keeps the window\'s Limit in flight once an answer told it, whatever the round trip (quota 50 per 2 s)', () => {
		// The gate holds what a window has no room for; fewer in flight would only make a window's
		// last requests later (Little's law gave 8 at 150 ms, where a run's last window then took
		// three round trips to send its 50).
		expect(sized(150)).toBe(50);
		expect(sized(600)).toBe(50);
		expect(sized(1200)).toBe(50);
		expect(sized(10)).toBe(50);
		expect(sized(10, { limit: 1, remaining: 0, reset: 2 })).toBe(2);
	});

	it('is capped at MAX_IN_FLIGHT however large the quota', () => {
		expect(sized(1200, { limit: 100, remaining: 90, reset: 2 })).toBe(MAX_IN_FLIGHT);
		expect(MAX_IN_FLIGHT).toBe(64);
	});

	it('sizes by the Limit whatever the Reset says (a daily quota, an epoch read as seconds)', () => {
		expect(sized(400, { limit: 50, remaining: 40, reset: 3600 * 24 })).toBe(50);
		expect(sized(400, { limit: 50_000, remaining: 40, reset: 1e9 })).toBe(MAX_IN_FLIGHT);
	});

	it('without rate-limit headers, before any 429: one request, then 4, one more per round of admitted answers up to 16', () => {
		const limit = new InFlightLimit();
		expect(limit.target()).toBe(FIRST_IN_FLIGHT);
		limit.observe(400, {}, true, 400);
		expect(limit.target()).toBe(UNANNOUNCED_START);
		for (let i = 1; i < UNANNOUNCED_START; i++) limit.observe(400, {}, true, 400 + i);
		expect(limit.target()).toBe(UNANNOUNCED_START + 1);
		// A 429's answer is no round without one.
		for (let i = 0; i < 20; i++) limit.observe(400, {}, false, 500 + i);
		expect(limit.target()).toBe(UNANNOUNCED_START + 1);
		for (let i = 0; i < 200; i++) limit.observe(400, {}, true, 1000 + i);
		expect(limit.target()).toBe(UNANNOUNCED_MAX);
		expect(limit.spacingMs()).toBe(0);
	});

	// 15 in flight at 400 ms is 37.5 requests per second; the quota admitted 100 in the 4 s since the
	// first request left (25 per second): the rate becomes 0.9 × 25, the lower.
	const pastTheQuota = () => {
		const limit = new InFlightLimit();
		for (let i = 0; i < 100; i++) limit.observe(400, {}, true, 400 + (i * 3600) / 99);
		expect(limit.target()).toBe(15);
		limit.rateLimited(4000);
		return limit;
	};

	it('without rate-limit headers, the first 429 paces the starts at 0.9 × what the quota admitted', () => {
		const limit = pastTheQuota();
		expect(limit.paced).toBe(true);
		expect(1000 / limit.spacingMs()).toBeCloseTo(UNANNOUNCED_RATE_CUT * 25, 5);
		// In flight no longer sets the pace: enough for twice the rate × the request.
		expect(limit.target()).toBe(Math.ceil(22.5 * 0.4 * 2));
	});

	it('without rate-limit headers, cuts once per full window: not for 429s before a later request is admitted', () => {
		const limit = pastTheQuota();
		const rate = () => 1000 / limit.spacingMs();
		// Answers of requests sent before the 429 (admitted or not), and more 429s: the same window.
		limit.observe(400, {}, false, 4010);
		limit.rateLimited(4010);
		limit.observe(400, {}, true, 4300);
		limit.rateLimited(4350);
		expect(rate()).toBeCloseTo(22.5, 5);
		// A request sent after the 429 is admitted: the window reset, and the rate grows again
		// (to 22.5 + 44 × 0.03). 45 admitted in the 2 s from the cut to the next 429 (22.5 per
		// second): the next cut takes 0.9 of the lower, what the quota admitted.
		for (let i = 0; i < 44; i++) limit.observe(400, {}, true, 4500 + i * 30);
		expect(rate()).toBeCloseTo(22.5 + 44 * UNANNOUNCED_RATE_GROWTH, 5);
		limit.rateLimited(6000);
		expect(rate()).toBeCloseTo(0.9 * ((45 * 1000) / 2000), 5);
	});

	it('without rate-limit headers, grows the rate by UNANNOUNCED_RATE_GROWTH per admitted answer, not on 429s', () => {
		const limit = pastTheQuota();
		const rate = () => 1000 / limit.spacingMs();
		limit.observe(400, {}, true, 4500);
		const before = rate();
		for (let i = 0; i < 10; i++) limit.observe(400, {}, true, 4600 + i);
		expect(rate()).toBeCloseTo(before + 10 * UNANNOUNCED_RATE_GROWTH, 5);
		limit.observe(400, {}, false, 4700);
		expect(rate()).toBeCloseTo(before + 10 * UNANNOUNCED_RATE_GROWTH, 5);
	});

	it('without rate-limit headers, a 429 before anything was admitted halves what is in flight and sets no rate', () => {
		const limit = new InFlightLimit();
		limit.observe(400, {}, false, 400);
		limit.rateLimited(400);
		expect(limit.paced).toBe(false);
		expect(limit.target()).toBe(UNANNOUNCED_START / 2);
	});

	it('without rate-limit headers, carries the learned rate to the next run of the node', () => {
		const limit = pastTheQuota();
		const memory = JSON.parse(JSON.stringify(limit.memory()));
		const next = new InFlightLimit(undefined, undefined, memory);
		expect(next.spacingMs()).toBeCloseTo(limit.spacingMs(), 5);
		expect(next.target()).toBe(limit.target());
	});

	it('with rate-limit headers, never paces by a rate (the gate waits for the reset)', () => {
		const limit = new InFlightLimit();
		for (let i = 0; i < 20; i++) limit.observe(400, quota, true, 400 + i);
		limit.rateLimited(1000);
		expect(limit.spacingMs()).toBe(0);
		expect(limit.paced).toBe(false);
	});

	it('uses the Concurrency option as given', () => {
		const limit = new InFlightLimit(3);
		limit.observe(400, quota);
		expect(limit.target()).toBe(3);
		expect(limit.maximum).toBe(3);
	});

	it('carries what it learned to the next run (no probe, the same target, the shortest request)', () => {
		const first = new InFlightLimit();
		for (let i = 0; i < 20; i++) first.observe(1000 + i * 10, quota);
		const memory = JSON.parse(JSON.stringify(first.memory()));
		const next = new InFlightLimit(undefined, undefined, memory);
		expect(next.target()).toBe(first.target());
		expect(next.shortestMs).toBe(1000);
	});

	it('knows the shortest of the latest requests once it has seen ten', () => {
		const limit = new InFlightLimit();
		for (let i = 0; i < 9; i++) limit.observe(900 + i, quota);
		expect(limit.shortestMs).toBeUndefined();
		limit.observe(950, quota);
		expect(limit.shortestMs).toBe(900);
	});

	it('slots admit up to the target and hand a freed slot to the longest waiter', async () => {
		const slots = new RequestSlots(new InFlightLimit(2));
		const order: number[] = [];
		await slots.acquire();
		await slots.acquire();
		const third = slots.acquire().then(() => order.push(3));
		const fourth = slots.acquire().then(() => order.push(4));
		expect(slots.active).toBe(2);
		slots.release();
		await third;
		slots.release();
		await fourth;
		expect(order).toEqual([3, 4]);
	});
});

describe('X-RateLimit-Reset in its forms', () => {
	const now = Date.parse('2026-12-03T08:00:00.000Z');
	const headers = (reset: number) => ({
		'X-RateLimit-Limit': '50',
		'X-RateLimit-Remaining': '7',
		'X-RateLimit-Reset': String(reset),
	});

	it('reads seconds as the spec says', () => {
		expect(readRateLimitHeaders(headers(2), now)).toEqual({ limit: 50, remaining: 7, reset: 2 });
	});

	it('reads an epoch in seconds or milliseconds as the time left until it', () => {
		const seconds = readRateLimitHeaders(headers(now / 1000 + 2), now);
		expect(seconds.reset).toBeCloseTo(2, 6);
		expect(seconds.resetSent).toEqual({ form: 'epoch', value: now / 1000 + 2 });
		expect(readRateLimitHeaders(headers(now + 1500), now).reset).toBeCloseTo(1.5, 6);
		// A time already past: the window has reset.
		expect(readRateLimitHeaders(headers(now / 1000 - 5), now).reset).toBe(0);
	});

	it('caps an absurd Reset at an hour and says so', () => {
		const read = readRateLimitHeaders(headers(86_400 * 30), now);
		expect(read.reset).toBe(MAX_RESET_SECONDS);
		expect(read.resetSent).toEqual({ form: 'capped', value: 86_400 * 30 });
	});

	it('reads no headers as unknown', () => {
		expect(readRateLimitHeaders({}, now)).toEqual({ limit: undefined, remaining: undefined });
	});
});

describe('rate-limit gate', () => {
	let now = 0;
	const waits: number[] = [];
	const gate = (early = 0, memory?: ReturnType<RateLimitGate['memory']>) =>
		new RateLimitGate(
			async (ms) => {
				waits.push(ms);
				now += ms;
			},
			() => now,
			{ earlyMs: () => early },
			memory,
		);
	beforeEach(() => {
		now = 0;
		waits.length = 0;
	});

	it('the lowest Remaining of the window, less every request of it still unanswered', async () => {
		const g = gate();
		const tickets = [];
		for (let i = 0; i < 5; i++) tickets.push(await g.acquire());
		// The 5th arrived last (3 left, counting all five); the 1st, sent first, arrived earlier.
		g.release(tickets[4], { limit: 10, remaining: 3, reset: 2 });
		g.release(tickets[0], { limit: 10, remaining: 7, reset: 2 });
		// 3 left, and requests 2–4 may or may not be among the five counted: 3 − 3 = 0.
		expect(g.pendingWaitMs()).toBeGreaterThan(1900);
		// Once they are answered, none of them can be outside the count: 3 may leave.
		for (const ticket of tickets.slice(1, 4))
			g.release(ticket, { limit: 10, remaining: 4, reset: 2 });
		await g.acquire();
		await g.acquire();
		await g.acquire();
		expect(waits).toEqual([]);
		expect(g.pendingWaitMs()).toBeGreaterThan(1900);
	});

	it('a fresh window lets its Limit leave before any answer of it, not one more', async () => {
		const g = gate();
		const first = await g.acquire();
		g.release(first, { limit: 3, remaining: 0, reset: 1 });
		await g.acquire(); // waits for the reset, opens the window (ticket 2)
		expect(waits).toEqual([1010]);
		const second = await g.acquire();
		await g.acquire();
		let fourth = false;
		const waiting = g.acquire().then(() => (fourth = true));
		await new Promise((resolve) => setTimeout(resolve, 20));
		// No answer yet: nothing tells whether the window has room, so the fourth waits.
		expect(fourth).toBe(false);
		// The window's first answer: 1 left of 3, two requests of it unanswered: wait for its reset.
		g.release(second, { limit: 3, remaining: 1, reset: 2 });
		await waiting;
		expect(waits).toEqual([1010, 2010]);
	});

	it('an answer or a 429 to a request sent before the window opened says nothing of it', async () => {
		const g = gate();
		const first = await g.acquire();
		const late = await g.acquire();
		g.release(first, { limit: 50, remaining: 0, reset: 1 });
		const opening = await g.acquire(); // waits for the reset, opens the window
		g.release(late, { limit: 50, remaining: 0, reset: 1 });
		g.block(now + 5000, late);
		expect(g.pendingWaitMs()).toBe(0);
		g.release(opening, { limit: 50, remaining: 48, reset: 2 });
		expect(g.pendingWaitMs()).toBe(0);
	});

	it('waiters for the same reset open the window once', async () => {
		const g = gate();
		const first = await g.acquire();
		g.release(first, { limit: 2, remaining: 0, reset: 1 });
		const left: number[] = [];
		const waiting = [0, 1, 2].map(() => g.acquire().then((ticket) => left.push(ticket)));
		await new Promise((resolve) => setTimeout(resolve, 20));
		// Two leave (the window's Limit); the third waits for an answer of the new window.
		expect(left.sort()).toEqual([2, 3]);
		g.release(2, { limit: 2, remaining: 1, reset: 2 });
		g.release(3, { limit: 2, remaining: 1, reset: 2 });
		await Promise.all(waiting);
		expect(left).toEqual([2, 3, 4]);
	});

	it('a wait for the reset that an answer moved later looks again instead of opening the window at the old end', async () => {
		let wake = () => {};
		const g = new RateLimitGate(
			(ms) =>
				new Promise<void>((resolve) => {
					waits.push(ms);
					wake = () => {
						now += ms;
						resolve();
					};
				}),
			() => now,
		);
		const first = await g.acquire();
		const second = await g.acquire();
		g.release(first, { limit: 2, remaining: 0, reset: 1 }); // ends by 1010
		let left = false;
		const waiting = g.acquire().then(() => (left = true));
		await new Promise((resolve) => setImmediate(resolve));
		expect(waits).toEqual([1010]);
		// The sleep ends, and before the waiter runs, an answer says the window ends 3 s later.
		wake();
		g.release(second, { limit: 2, remaining: 0, reset: 3 }, false);
		await new Promise((resolve) => setImmediate(resolve));
		expect(left).toBe(false);
		expect(waits).toEqual([1010, 3010]);
		wake();
		await waiting;
		expect(now).toBe(4020);
	});

	it('a 429 holds everyone until the reset, with no early opening', async () => {
		const g = gate(800);
		await g.acquire();
		g.block(5000);
		expect(g.pendingWaitMs()).toBe(5000);
		await g.acquire();
		expect(waits).toEqual([5000]);
	});

	it('opens a spent window early by what the request takes to arrive', async () => {
		const g = gate(800);
		const ticket = await g.acquire();
		g.release(ticket, { remaining: 0, reset: 2 });
		await g.acquire();
		expect(waits).toEqual([2010 - 800]);
	});

	it('opens early by 0.95 of the shortest request, half the average before the shortest is known', () => {
		expect(earlyStartMs(1000, 1400)).toBe(950);
		expect(earlyStartMs(undefined, 1400)).toBe(700);
		expect(earlyStartMs(undefined, undefined)).toBe(0);
	});

	it('carries a spent window to the next run: the next run waits for its reset', async () => {
		const g = gate();
		const ticket = await g.acquire();
		g.release(ticket, { remaining: 0, reset: 2 });
		const memory = JSON.parse(JSON.stringify(g.memory()));
		now += 500;
		const next = gate(0, memory);
		expect(next.pendingWaitMs()).toBe(1510);
		await next.acquire();
		expect(waits).toEqual([1510]);
	});

	it('a 429 in a window whose answers told a tighter end waits for that end, not the 429s', async () => {
		const g = gate();
		const first = await g.acquire();
		g.release(first, { limit: 10, remaining: 9, reset: 2 }); // the window ends by 2010
		const second = await g.acquire();
		now = 500;
		// Reset in whole seconds rounded up: the 429 says 2 s, which would be 2510.
		g.release(second, { limit: 10, remaining: 0, reset: 2 }, false);
		g.block(now + 2010, second);
		expect(g.pendingWaitMs()).toBe(1510);
	});

	it('an epoch Reset: the window ends within its length of its first answer, not at the whole second', async () => {
		const g = gate();
		const epoch = (end: number, remaining: number) => ({
			limit: 10,
			remaining,
			reset: end - now / 1000,
			resetSent: { form: 'epoch' as const, value: end },
		});
		// Two windows' ends, 2 s apart: the window lasts 2 s at most.
		g.release(await g.acquire(), epoch(1002, 9));
		now = 2000;
		g.release(await g.acquire(), epoch(1004, 9));
		// A window whose first request arrived by 4100: it ends by 6100, though its epoch says 7.
		now = 4100;
		g.release(await g.acquire(), epoch(1007, 9));
		expect(g.memory().resetsAt).toBe(4100 + 2000 + 10);
	});

	it('an early request\'s answer from the previous window holds nobody, frees its place, and shortens the early start once a window', async () => {
		const g = gate(300);
		g.release(await g.acquire(), { limit: 10, remaining: 0, reset: 2 }); // ends by 2010
		const early = await g.acquire(); // at 2010 − 300: the window opened early
		expect(waits).toEqual([1710]);
		const tickets = [early];
		for (let i = 0; i < 9; i++) tickets.push(await g.acquire());
		// Two arrived before 2010: 429s announcing the previous window's end, not this one's.
		now = 1900;
		for (const ticket of tickets.slice(0, 2)) {
			g.release(ticket, { limit: 10, remaining: 0, reset: 1 }, false);
			// Each of the two tries again itself as a fresh window's request would: the early
			// start (cut to 0.8 × 300) before the end its 429 announced, not at once.
			expect(g.block(now + 1010, ticket)).toBe(1010 - 240);
		}
		// Not held: the window has room for the two the previous window refused.
		expect(g.memory().blocked).toBe(false);
		await g.acquire();
		await g.acquire();
		expect(waits).toEqual([1710]);
		// Not one more than the window's Limit.
		let more = false;
		void g.acquire().then(() => (more = true));
		await new Promise((resolve) => setTimeout(resolve, 20));
		expect(more).toBe(false);
		expect(g.memory().earlyShare).toBeCloseTo(0.8);
	});

	describe('an epoch Reset: the window\'s length from its first request', () => {
		const epoch = (end: number, remaining: number) => ({
			limit: 2,
			remaining,
			reset: end - now / 1000,
			resetSent: { form: 'epoch' as const, value: end },
		});

		it('one whole second fits: the window ends within it of the first answer', async () => {
			now = 1_000_100;
			const first = await g0().acquire();
			// Sent at 1_000.1 s, answered at 1_000.55 s, the window ends by 1_003 s: 2 s (not 1, not 3).
			now = 1_000_550;
			g.release(first, epoch(1003, 1));
			expect(g.memory().windowMs).toBe(2000);
			expect(g.memory().resetsAt).toBe(1_000_550 + 2000 + 10);
		});

		/** A first window whose answer leaves 2 s and 3 s possible, then spent. */
		const ambiguous = async () => {
			now = 999_900;
			const first = await g0().acquire();
			const second = await g.acquire();
			now = 1_000_500;
			g.release(first, epoch(1003, 1));
			g.release(second, epoch(1003, 0));
			expect(g.memory().windowMs).toBe(3000);
			// Waiting for the 2 s end, one request tries it; the next waits for its answer.
			const tried = await g.acquire();
			expect(now).toBe(1_000_500 + 2000 + 10);
			let next = false;
			const waiting = g.acquire().then(() => (next = true));
			await new Promise((resolve) => setTimeout(resolve, 20));
			expect(next).toBe(false);
			return { tried, waiting };
		};

		it('two whole seconds fit: one request tries the shorter; a new window keeps it', async () => {
			const { tried, waiting } = await ambiguous();
			now += 400;
			g.release(tried, epoch(1005, 1));
			await waiting;
			expect(g.memory().windowMs).toBe(2000);
		});

		it('two whole seconds fit: the try refused by the previous window waits for its announced end, holding nobody longer', async () => {
			const { tried, waiting } = await ambiguous();
			now += 400;
			g.release(tried, epoch(1003, 0), false);
			g.block(1_003_010, tried);
			expect(g.memory().blocked).toBe(false);
			expect(g.pendingWaitMs()).toBe(1_003_010 - now);
			await waiting;
			expect(now).toBe(1_003_010);
			expect(g.memory().windowMs).toBe(3000);
		});

		let g: RateLimitGate;
		const g0 = () => (g = gate());
	});

	describe('another client on the same key', () => {
		/** A window of `limit` in which ours got `admitted` answers and `rateLimited` 429s. */
		const window = async (
			g: RateLimitGate,
			limit: number,
			admitted: number[],
			rateLimited: number,
		) => {
			const tickets: number[] = [];
			for (let i = 0; i < admitted.length + rateLimited; i++) tickets.push(await g.acquire());
			admitted.forEach((remaining, i) => g.release(tickets[i], { limit, remaining, reset: 2 }));
			for (const ticket of tickets.slice(admitted.length)) {
				g.release(ticket, { limit, remaining: 0, reset: 2 }, false);
				g.block(now + 2010, ticket);
			}
		};
		const leaving = async (g: RateLimitGate) => {
			const left: number[] = [];
			for (let i = 0; i < 12; i++) void g.acquire().then((t) => left.push(t));
			await new Promise((resolve) => setTimeout(resolve, 20));
			return left.length;
		};

		it('a window of 429s sizes our share of the next: the window less what the others took', async () => {
			const g = gate();
			const first = await g.acquire();
			g.release(first, { limit: 10, remaining: 9, reset: 2 });
			// Ours: 3 admitted (the others' arrivals between them), then 4 × 429: the window was full.
			await window(g, 10, [6, 3, 1], 4);
			const left = await leaving(g);
			// The others took 10 − 4 of ours = 6: 4 leave at the reset, not 10.
			expect(waits).toEqual([2010]);
			expect(left).toBe(4);
		});

		it('a window that admits enough of ours and counts no one else gives the whole window back', async () => {
			const g = gate();
			const first = await g.acquire();
			g.release(first, { limit: 10, remaining: 9, reset: 2 });
			await window(g, 10, [6, 3, 1], 4);
			now += 2010;
			// Our share (4) alone in the window: Remaining 8, 7, 6, 5 count nobody but us.
			await window(g, 10, [8, 7, 6, 5], 0);
			g.release(await g.acquire(), { limit: 10, remaining: 0, reset: 1 });
			now += 1010;
			expect(await leaving(g)).toBe(10);
		});

		it('a share of one sees the others leave: its one request admitted, the next window is the Limit less what it counted', async () => {
			const g = gate();
			g.release(await g.acquire(), { limit: 10, remaining: 9, reset: 2 });
			// A window the others filled: none of ours got in, 9 × 429.
			await window(g, 10, [], 9);
			now += 2010;
			const ours = await g.acquire();
			expect(g.memory().othersTook).toBe(9);
			// Our one request is admitted with Remaining 6: 3 others came before it.
			g.release(ours, { limit: 10, remaining: 6, reset: 2 });
			now += 2010;
			// 10 − 3 leave, not the 3 a handful's growth would allow.
			expect(await leaving(g)).toBe(7);
		});

		it('a request or two sent into the previous window are no sign of another client', async () => {
			const g = gate();
			const first = await g.acquire();
			g.release(first, { limit: 10, remaining: 9, reset: 2 });
			await window(g, 10, [8, 7, 6, 5, 4, 3, 2, 1], 1);
			expect(await leaving(g)).toBe(10);
		});
	});

	it('forgets a carried window that has ended', () => {
		const g = gate();
		g.block(1000);
		const memory = g.memory();
		now = 2000;
		expect(gate(0, memory).pendingWaitMs()).toBe(0);
	});

	it('without rate-limit headers, starts requests at the learned spacing, and after a 429 at that pace, not at once', async () => {
		let spacing = 0;
		const g = new RateLimitGate(
			async (ms) => {
				waits.push(ms);
				now += ms;
			},
			() => now,
			{ spacingMs: () => spacing },
		);
		// No spacing learned: as the slots allow.
		await g.acquire();
		await g.acquire();
		expect(waits).toEqual([]);
		// 40 ms apart: each start takes the next slot of the pace (the fake clock moves with each
		// sleep: they start at 0, 40 and 80).
		spacing = 40;
		await Promise.all([g.acquire(), g.acquire(), g.acquire()]);
		expect(waits).toEqual([40, 40]);
		// A 429 holds everyone until the reset; then they leave 40 ms apart, not at once (the pace
		// reserved before the reset would let the second go with the first).
		g.block(now + 500);
		waits.length = 0;
		for (let i = 0; i < 3; i++) await g.acquire();
		expect(waits).toEqual([500, 40, 40]);
	});
});

describe('classify and retry budget', () => {
	const answered = (statusCode: number, body: unknown = {}, reset?: number) =>
		({ kind: 'answered', statusCode, body, rateLimit: { reset } }) as const;

	it('names each outcome', () => {
		expect(classify(answered(200, { data: {} }), true).kind).toBe('ok');
		expect(classify(answered(429, {}, 2), true)).toMatchObject({
			kind: 'rate-limited',
			resetSeconds: 2,
		});
		expect(classify(answered(503), false)).toMatchObject({
			kind: 'unavailable',
			mayHaveApplied: false,
		});
		expect(classify(answered(504), false)).toMatchObject({
			kind: 'unavailable',
			mayHaveApplied: true,
		});
		expect(classify(answered(400), true).kind).toBe('failed');
		expect(classify(answered(200, '<html>'), true).kind).toBe('failed');
		expect(classify(answered(200, { info: { success: false } }), true).kind).toBe('failed');
		expect(classify({ kind: 'thrown', error: { code: 'ECONNREFUSED' } }, false)).toMatchObject({
			kind: 'network',
			notSent: true,
		});
		expect(classify({ kind: 'thrown', error: new Error('no credential') }, true).kind).toBe(
			'refused',
		);
	});

	const unavailable = (mayHaveApplied: boolean, safeToRetry: boolean) =>
		({ kind: 'unavailable', statusCode: 503, body: {}, mayHaveApplied, safeToRetry }) as const;
	const rateLimited = (resetSeconds?: number) =>
		({ kind: 'rate-limited', statusCode: 429, body: {}, resetSeconds }) as const;

	it('a write that may have been applied is not retried; one that was not sent is', () => {
		const budget = new RetryBudget(EXECUTION_RETRY_POLICY);
		expect(budget.decide(unavailable(true, false))).toEqual({ retry: false, waitMs: 0 });
		expect(budget.decide(unavailable(false, false))).toEqual({ retry: true, waitMs: 500 });
		expect(
			budget.decide({ kind: 'network', code: 'ECONNRESET', notSent: false, safeToRetry: true }),
		).toEqual({ retry: true, waitMs: 500 });
		expect(budget.uncertain).toBe(true);
	});

	it('waits for announced resets until the budget is spent', () => {
		const budget = new RetryBudget({ ...EXECUTION_RETRY_POLICY, rateLimitWaitBudgetMs: 5000 });
		expect(budget.decide(rateLimited(2))).toEqual({ retry: true, waitMs: 2000 });
		expect(budget.decide(rateLimited(2))).toEqual({ retry: true, waitMs: 2000 });
		expect(budget.decide(rateLimited(2)).retry).toBe(false);
	});

	it('backs off on 429s that announce no reset, a few times', () => {
		const budget = new RetryBudget(EXECUTION_RETRY_POLICY);
		const waits = Array.from({ length: 6 }, () => budget.decide(rateLimited()));
		expect(waits.map((d) => d.waitMs)).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
		expect(waits.map((d) => d.retry)).toEqual([true, true, true, true, true, false]);
	});
});

describe("PATCH's plural errors", () => {
	it('reads the code and message from `errors` as well as `error`', () => {
		expect(
			describeEnvelope({
				data: {},
				info: { success: false, statusCode: 400 },
				errors: { code: 'ERROR_048', message: 'Leverage Id not in scope of requestor' },
			}),
		).toMatchObject({ code: 'ERROR_048', message: 'Leverage Id not in scope of requestor' });
		expect(describeEnvelope(errorBody(400, 'ERR801', 'exists'))).toMatchObject({
			code: 'ERR801',
			message: 'exists',
		});
	});

	it('PATCH of an unknown id says "not found or not in your scope", as GET does', async () => {
		nock(TEST_BASE_URL)
			.patch(`${API}/v1/leads-opportunities/NOPE-1`)
			.reply(400, {
				data: {},
				info: { success: false, statusCode: 400 },
				errors: { code: 'ERROR_048', message: 'Leverage Id not in scope of requestor' },
			});
		const error = await runNode({
			parameters: {
				resource: 'leadOpportunity',
				operation: 'update',
				apiVersion: 'v1',
				dsLeadOpportunityId: 'NOPE-1',
				inputMode: 'json',
				jsonBody: { leadOpportunity: { partnerLeadOpportunityId: 'P-1', status: 'QUALIFIED' } },
				options: {},
			},
		}).catch((e) => e);
		expect(error.message).toBe(
			'Lead-opportunity "NOPE-1" was not found or is not in your scope [item 0]',
		);
		expect(error.description).toMatch(
			/^Check the 3DS ID \(dsLeadOpportunityId, e\.g\. HCRQ-F1LLDE\), not your CRM ID/,
		);
		expect(error.description).toContain('3DS code ERROR_048');
	});
});
