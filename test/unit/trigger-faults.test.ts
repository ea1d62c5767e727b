// Quiet under passing faults, loud under lasting ones (nodes/DassaultSalesTrigger/streak.ts).
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { classifyFault } from '../../nodes/DassaultSalesTrigger/faults';
import {
	nextStreak,
	STREAK_MIN_MS,
	STREAK_MIN_POLLS,
	takeReport,
} from '../../nodes/DassaultSalesTrigger/streak';
import { readState } from '../../nodes/DassaultSalesTrigger/state';
import { API } from '../helpers/fixtures';
import { TEST_BASE_URL } from '../helpers/n8n';
import { FakeLeadsApi, N8nStaticData, pollAt, pollFunctions } from '../helpers/poll';

const T0 = Date.parse('2025-06-02T10:00:00.000Z');
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const keys = (output: INodeExecutionData[][] | null) =>
	(output?.[0] ?? []).map((item) => `${item.json.dsLeadOpportunityId}@${item.json.modifiedDate}`);
const LONG_RESET = {
	'X-RateLimit-Limit': '100',
	'X-RateLimit-Remaining': '0',
	'X-RateLimit-Reset': '60',
};

/** A trigger polling the fake API on a simulated clock; static data kept as n8n keeps it. */
function trigger(parameters: IDataObject = {}) {
	const data = new N8nStaticData();
	const clock = { now: T0 };
	const ctx = pollFunctions({
		parameters: { event: 'leadOpportunityUpdated', options: {}, ...parameters },
		staticData: data.live,
	});
	const api = new FakeLeadsApi(TEST_BASE_URL, API);
	const result = { emitted: [] as string[], errors: [] as NodeApiError[] };
	/** One poll at `at`: its items are collected, its error too (as n8n records an error execution). */
	const poll = async (at: number) => {
		clock.now = at;
		let output: INodeExecutionData[][] | null = null;
		let threw = false;
		try {
			output = await pollAt(ctx, { now: () => clock.now });
		} catch (error) {
			if (!(error instanceof NodeApiError)) throw error;
			result.errors.push(error);
			threw = true;
		}
		data.afterPoll(output, threw);
		result.emitted.push(...keys(output));
		return output;
	};
	return { data, clock, api, poll, result, state: () => data.live };
}

describe('trigger faults: classification', () => {
	it('waits out rate limits, outages and timeouts; a refused key needs someone; others are thrown as they are', () => {
		const node = pollFunctions().getNode();
		const api = (httpCode: string, failure?: object) =>
			new NodeApiError(node, { httpCode }, {
				message: 'x',
				httpCode,
				...(failure ? { failure } : {}),
			} as never);
		expect(
			classifyFault(api('429', { cause: 'rate-limited', retryAfterMs: 60_000 })),
		).toMatchObject({
			cause: 'rate-limited',
			passing: true,
		});
		expect(classifyFault(api('503', { cause: 'temporarily-unavailable' }))).toMatchObject({
			cause: 'temporarily-unavailable',
			passing: true,
		});
		expect(classifyFault(api('403', { cause: 'credential-invalid' }))).toMatchObject({
			cause: 'credential-invalid',
			passing: false,
		});
		expect(classifyFault(api('401'))).toMatchObject({
			cause: 'credential-invalid',
			passing: false,
		});
		expect(classifyFault(api('500'))).toBeUndefined();
		expect(classifyFault(new Error('boom'))).toBeUndefined();
	});

	it('reports a passing cause after 3 polls AND 15 minutes, once; a refused key at once, once', () => {
		expect([STREAK_MIN_POLLS, STREAK_MIN_MS]).toEqual([3, 15 * MIN]);
		const fault = classifyFault(
			new NodeApiError(
				pollFunctions().getNode(),
				{},
				{
					message: 'down',
					failure: { cause: 'temporarily-unavailable' },
				},
			),
		);
		let streak = nextStreak(undefined, T0, fault, false);
		const reports: number[] = [];
		// Polls every 10 minutes: the third poll is at 20 minutes.
		for (let i = 1; i <= 6; i++) {
			if (takeReport(streak!, T0 + (i - 1) * 10 * MIN)) reports.push(i);
			streak = nextStreak(streak, T0 + i * 10 * MIN, fault, false);
		}
		expect(reports).toEqual([3]);
		// Polls every minute: 3 polls come early, the 15 minutes decide (poll 16, at 15 min).
		streak = nextStreak(undefined, T0, fault, false);
		reports.length = 0;
		for (let i = 1; i <= 30; i++) {
			if (takeReport(streak!, T0 + (i - 1) * MIN)) reports.push(i);
			streak = nextStreak(streak, T0 + i * MIN, fault, false);
		}
		expect(reports).toEqual([16]);
		// Progress, or a poll without a fault, ends the streak.
		expect(nextStreak(streak, T0, fault, true)).toBeUndefined();
		expect(nextStreak(streak, T0, undefined, false)).toBeUndefined();
		// A refused key is reported at once, even inside a streak already reported, and at every poll.
		const refused = classifyFault(
			new NodeApiError(pollFunctions().getNode(), {}, { message: 'no', httpCode: '403' }),
		);
		const after = nextStreak(streak, T0 + 31 * MIN, refused, false)!;
		expect(after.since).toBe(iso(T0));
		expect(takeReport(after, T0 + 31 * MIN)).toBe(true);
		expect(takeReport(nextStreak(after, T0 + 32 * MIN, refused, false)!, T0 + 32 * MIN)).toBe(true);
	});
});

describe('trigger faults: a passing fault ends the poll quietly', () => {
	it('a 429 with a 60 s reset: no error, no wait, the cursor stays, the next poll emits it', async () => {
		const t = trigger();
		await t.poll(T0);
		t.api.put('A', T0 + 10_000);
		t.api.failNext('search', 429, 1, LONG_RESET);
		expect(await t.poll(T0 + MIN)).toBeNull();
		expect(t.result.errors).toEqual([]);
		expect(t.state()).toMatchObject({
			cursor: iso(T0),
			streak: { since: iso(T0 + MIN), polls: 1, cause: 'rate-limited', reported: [] },
		});
		expect(t.api.calls).toHaveLength(1);
		expect(await t.poll(T0 + 2 * MIN)).not.toBeNull();
		expect(t.result.emitted).toEqual([`A@${iso(T0 + 10_000)}`]);
		expect(t.state().streak).toBeUndefined();
		expect(t.state().cursor).toBe(iso(T0 + 2 * MIN));
	});

	it('a 503 streak past the retries on a GET: the window is redone next poll, nothing repeated', async () => {
		const t = trigger();
		await t.poll(T0);
		t.api.put('A', T0 + 10_000);
		t.api.put('B', T0 + 20_000);
		t.api.failNext('get', 503, 6); // both GETs, through their two retries
		expect(await t.poll(T0 + MIN)).toBeNull();
		expect(t.result.errors).toEqual([]);
		expect(t.state().cursor).toBe(iso(T0));
		await t.poll(T0 + 2 * MIN);
		expect(t.result.emitted).toEqual([`A@${iso(T0 + 10_000)}`, `B@${iso(T0 + 20_000)}`]);
	});

	it('a fault half-way through a window keeps the GETs that succeeded: emitted now, not fetched again', async () => {
		const t = trigger();
		await t.poll(T0);
		t.api.put('A', T0 + 10_000);
		t.api.put('B', T0 + 20_000);
		t.api.put('C', T0 + 30_000);
		t.api.beforeReply = (call) => {
			if (call.kind === 'get' && call.detail === 'B') t.api.failNext('get', 429, 1, LONG_RESET);
		};
		expect(keys(await t.poll(T0 + MIN))).toEqual([
			`A@${iso(T0 + 10_000)}`,
			`C@${iso(T0 + 30_000)}`,
		]);
		t.api.beforeReply = undefined;
		// The window is not committed, but the versions fetched are remembered: progress, no streak.
		expect(t.state()).toMatchObject({
			cursor: iso(T0),
			seen: { A: iso(T0 + 10_000), C: iso(T0 + 30_000) },
		});
		expect(t.state().streak).toBeUndefined();
		t.api.reset();
		expect(keys(await t.poll(T0 + 2 * MIN))).toEqual([`B@${iso(T0 + 20_000)}`]);
		expect(t.api.gets().map((g) => g.detail)).toEqual(['B']);
		expect(t.result.errors).toEqual([]);
	});

	it('a poll that completes a window before the fault made progress: no streak', async () => {
		const DAY = 24 * 60 * MIN;
		const t = trigger();
		await t.poll(T0);
		t.api.put('A', T0 + DAY);
		t.api.put('B', T0 + 9 * DAY);
		// Back after 10 days: two 7-day windows; the second one's search meets a long reset.
		t.api.beforeReply = (call) => {
			if (call.kind === 'search' && t.api.searches().length === 2)
				t.api.failNext('search', 429, 1, LONG_RESET);
		};
		expect(keys(await t.poll(T0 + 10 * DAY))).toEqual([`A@${iso(T0 + DAY)}`]);
		t.api.beforeReply = undefined;
		const firstWindowEnd = t.api.searches()[0].detail.split('..')[1];
		expect(Date.parse(firstWindowEnd)).toBeGreaterThan(T0 + DAY);
		expect(t.state().cursor).toBe(firstWindowEnd);
		expect(t.state().streak).toBeUndefined();
		await t.poll(T0 + 10 * DAY + MIN);
		expect(t.result.emitted).toEqual([`A@${iso(T0 + DAY)}`, `B@${iso(T0 + 9 * DAY)}`]);
		expect(t.result.errors).toEqual([]);
	});

	it('windows of the overlap alone are no progress: a fault after them starts a streak', async () => {
		const t = trigger();
		await t.poll(T0);
		t.api.put('A', T0 + 10_000); // A's date cuts the next poll's window in two
		await t.poll(T0 + 40_000);
		t.api.reset();
		t.api.beforeReply = (call) => {
			if (call.kind === 'search' && t.api.searches().length === 2)
				t.api.failNext('search', 429, 1, LONG_RESET);
		};
		await t.poll(T0 + MIN);
		t.api.beforeReply = undefined;
		// The part before A's date ends before the cursor: it covered no new ground.
		expect(t.api.searches().map((c) => c.detail.split('..')[1])).toEqual([
			iso(T0 + 10_000),
			iso(T0 + MIN),
		]);
		expect(t.state()).toMatchObject({ cursor: iso(T0 + 40_000), streak: { polls: 1 } });
	});
});

describe('trigger faults: a lasting fault is loud, once per streak', () => {
	/** Polls every minute from `from` to `to` (inclusive), returning the error count. */
	const pollEveryMinute = async (t: ReturnType<typeof trigger>, from: number, to: number) => {
		for (let at = from; at <= to; at += MIN) await t.poll(at);
	};

	it('the API down for 40 minutes: one error 15 minutes in, then quiet; recovery loses nothing', async () => {
		const t = trigger();
		await t.poll(T0);
		t.api.put('BEFORE', T0 + 30_000);
		t.api.down = 503;
		// Changes keep happening in 3DS during the outage.
		t.api.beforeReply = () => undefined;
		for (let m = 1; m <= 40; m++) {
			if (m % 5 === 0) t.api.put(`DURING-${m}`, T0 + m * MIN - 1_000);
			await t.poll(T0 + m * MIN);
		}
		expect(t.result.errors).toHaveLength(1);
		const [error] = t.result.errors;
		expect(error.message).toBe(
			`No lead-opportunity changes could be read since ${iso(T0 + MIN)} (16 polls, 15 min): the 3DS API stays unavailable (503, gateway error or timeout)`,
		);
		expect(error.failure).toEqual({ cause: 'temporarily-unavailable' });
		expect(error.description).toContain(`Every change up to ${iso(T0)} has been emitted`);
		expect(error.description).toContain('Last error: The 3DS sales API is temporarily unavailable');
		expect(t.state()).toMatchObject({
			cursor: iso(T0),
			streak: { since: iso(T0 + MIN), polls: 40, reported: ['passing'] },
		});
		expect(t.result.emitted).toEqual([]);

		t.api.down = undefined;
		await t.poll(T0 + 41 * MIN);
		expect(t.state().streak).toBeUndefined();
		expect(t.result.emitted).toEqual([
			`BEFORE@${iso(T0 + 30_000)}`,
			...[5, 10, 15, 20, 25, 30, 35, 40].map((m) => `DURING-${m}@${iso(T0 + m * MIN - 1_000)}`),
		]);

		// A second outage is a second streak: one more error.
		t.api.down = 503;
		await pollEveryMinute(t, T0 + 42 * MIN, T0 + 70 * MIN);
		expect(t.result.errors).toHaveLength(2);
		expect(t.result.errors[1].message).toContain(`since ${iso(T0 + 42 * MIN)} (16 polls`);
	});

	it('a streak shorter than 15 minutes stays quiet', async () => {
		const t = trigger();
		await t.poll(T0);
		t.api.down = 503;
		await pollEveryMinute(t, T0 + MIN, T0 + 15 * MIN);
		t.api.down = undefined;
		await t.poll(T0 + 16 * MIN);
		expect(t.result.errors).toEqual([]);
		expect(t.state().streak).toBeUndefined();
	});

	it('hourly polls: the third poll without progress is loud, not the second', async () => {
		const t = trigger();
		await t.poll(T0);
		t.api.down = 429;
		await t.poll(T0 + 60 * MIN);
		await t.poll(T0 + 120 * MIN);
		expect(t.result.errors).toEqual([]);
		await t.poll(T0 + 180 * MIN);
		expect(t.result.errors).toHaveLength(1);
		expect(t.result.errors[0].failure).toEqual({ cause: 'rate-limited' });
		expect(t.result.errors[0].message).toContain('the 3DS API rate limit stays reached');
	});

	it('a refused key is loud at once and at every poll until fixed; fixing it catches up', async () => {
		const t = trigger();
		await t.poll(T0);
		t.api.put('A', T0 + 10_000);
		t.api.down = 403;
		await t.poll(T0 + MIN);
		expect(t.result.errors).toHaveLength(1);
		expect(t.result.errors[0].failure).toEqual({ cause: 'credential-invalid' });
		expect(t.result.errors[0].httpCode).toBe('403');
		expect(t.result.errors[0].description).toContain('Fix the API key');
		expect(t.result.errors[0].description).toContain('The API key was refused by the');
		await pollEveryMinute(t, T0 + 2 * MIN, T0 + 30 * MIN);
		expect(t.result.errors).toHaveLength(30);
		expect(t.result.errors[29].message).toBe(
			`No lead-opportunity changes could be read since ${iso(T0 + MIN)} (30 polls, 29 min): the 3DS API refuses the API key`,
		);
		expect(t.state()).toMatchObject({
			cursor: iso(T0),
			streak: { polls: 30, cause: 'credential-invalid' },
		});
		t.api.down = undefined;
		await t.poll(T0 + 31 * MIN);
		expect(t.result.emitted).toEqual([`A@${iso(T0 + 10_000)}`]);
		t.api.down = 401;
		await t.poll(T0 + 32 * MIN);
		expect(t.result.errors).toHaveLength(31);
		expect(t.result.errors[30].message).toContain(`since ${iso(T0 + 32 * MIN)} (1 poll, 0 min)`);
	});

	it("a refused key at activation stays loud through n8n's activation retries (same static data)", async () => {
		// n8n retries a throwing activation poll 1, 2, 4, 8 s later, keeping the static data it
		// changed: were the key reported once, the retry would activate the workflow silently.
		const t = trigger();
		await t.poll(T0);
		t.api.down = 403;
		for (const delay of [0, 1_000, 3_000, 7_000, 15_000]) await t.poll(T0 + MIN + delay);
		expect(t.result.errors).toHaveLength(5);
	});

	it('an outage already reported, then a refused key: the key is reported (its fix differs), the outage not again', async () => {
		const t = trigger();
		await t.poll(T0);
		t.api.down = 503;
		await pollEveryMinute(t, T0 + MIN, T0 + 20 * MIN);
		t.api.down = 403;
		await pollEveryMinute(t, T0 + 21 * MIN, T0 + 25 * MIN);
		t.api.down = 503;
		await pollEveryMinute(t, T0 + 26 * MIN, T0 + 30 * MIN);
		expect(t.result.errors.map((e) => e.failure?.cause)).toEqual([
			'temporarily-unavailable',
			...Array(5).fill('credential-invalid'),
		]);
	});

	it('the streak lives in memory: n8n saves static data only with items (or at activation), so a restart starts it afresh', async () => {
		// Documented choice: a poll without progress returns no items, so n8n writes the streak to
		// its database only after an activation's poll. An outage spanning a restart is reported
		// again 15 minutes after it.
		const t = trigger();
		await t.poll(T0);
		t.api.put('A', T0 + 10_000);
		await t.poll(T0 + MIN);
		expect(t.data.saved).toMatchObject({ cursor: iso(T0 + MIN) });
		t.api.down = 503;
		await pollEveryMinute(t, T0 + 2 * MIN, T0 + 20 * MIN);
		expect(t.result.errors).toHaveLength(1);
		expect(t.data.saved.streak).toBeUndefined();
		t.data.restart();
		expect(readState(t.state(), 'leadOpportunityUpdated')).toMatchObject({ cursor: iso(T0 + MIN) });
		await pollEveryMinute(t, T0 + 21 * MIN, T0 + 35 * MIN);
		expect(t.result.errors).toHaveLength(1);
		// The activation's poll after the restart was saved, streak and all.
		expect(t.data.saved.streak).toMatchObject({ since: iso(T0 + 21 * MIN), polls: 1 });
		await t.poll(T0 + 36 * MIN);
		expect(t.result.errors).toHaveLength(2);
		expect(t.result.errors[1].message).toContain(`since ${iso(T0 + 21 * MIN)}`);
		t.api.down = undefined;
		t.api.put('B', T0 + 30 * MIN);
		await t.poll(T0 + 37 * MIN);
		expect(t.result.emitted).toEqual([`A@${iso(T0 + 10_000)}`, `B@${iso(T0 + 30 * MIN)}`]);
	});
});
