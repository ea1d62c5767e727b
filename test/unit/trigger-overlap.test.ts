// Polls never overlap into errors (docs/trigger-exactness.md, 4. and 7.): a poll's waits stay
// inside its own period (its Poll Times), and a poll that outlives it anyway, which n8n cuts short
// by releasing its context under it ("No bridge acquired"), ends quietly with nothing lost.
import type {
	IDataObject,
	IHttpRequestOptions,
	INodeExecutionData,
	IPollFunctions,
} from 'n8n-workflow';

import {
	DEFAULT_POLL_BUDGET_MS,
	pollBudgetMs,
	pollPeriodMs,
	pollRetryPolicy,
} from '../../nodes/DassaultSalesTrigger/budget';
import { classifyFault } from '../../nodes/DassaultSalesTrigger/faults';
import type { PollOutcome } from '../../nodes/DassaultSalesTrigger/poll';
import { API } from '../helpers/fixtures';
import { TEST_BASE_URL } from '../helpers/n8n';
import { FakeLeadsApi, N8nStaticData, pollAt, pollFunctions } from '../helpers/poll';

const T0 = Date.parse('2025-06-02T10:00:00.000Z');
const SECOND = 1_000;
jest.setTimeout(60_000);

const NO_BRIDGE = 'No bridge acquired for this context. Call acquire() first.';

const every = (item: IDataObject) => ({ item: [item] });

describe('the poll budget follows Poll Times', () => {
	it('reads the shortest period of the poll times', () => {
		expect(pollPeriodMs(every({ mode: 'everyMinute' }))).toBe(60 * SECOND);
		expect(pollPeriodMs(every({ mode: 'everyX', value: 5, unit: 'minutes' }))).toBe(300 * SECOND);
		expect(pollPeriodMs(every({ mode: 'everyX', value: 2, unit: 'hours' }))).toBe(7_200 * SECOND);
		expect(pollPeriodMs(every({ mode: 'custom', cronExpression: '*/10 * * * * *' }))).toBe(
			10 * SECOND,
		);
		expect(pollPeriodMs(every({ mode: 'custom', cronExpression: '*/5 * * * *' }))).toBe(
			300 * SECOND,
		);
		expect(pollPeriodMs(every({ mode: 'custom', cronExpression: '0,30 * * * * *' }))).toBe(
			30 * SECOND,
		);
		expect(pollPeriodMs({ item: [] })).toBeUndefined();
		expect(pollPeriodMs(undefined)).toBeUndefined();
	});

	it("caps n8n's budget at 40 % of the period, and every wait at a third of that", () => {
		const ctx = (pollTimes: IDataObject, budgetMs: number | null = 45_000) =>
			pollFunctions({
				parameters: { event: 'leadOpportunityUpdated', options: {}, pollTimes },
				budgetMs,
			});
		expect(pollBudgetMs(ctx(every({ mode: 'everyMinute' })))).toBe(24 * SECOND);
		expect(pollBudgetMs(ctx(every({ mode: 'everyX', value: 10, unit: 'minutes' })))).toBe(
			45 * SECOND,
		);
		const tenSeconds = pollBudgetMs(
			ctx(every({ mode: 'custom', cronExpression: '*/10 * * * * *' })),
		);
		expect(tenSeconds).toBe(4 * SECOND);
		expect(pollBudgetMs(ctx(every({ mode: 'everyHour' }), null))).toBe(DEFAULT_POLL_BUDGET_MS);
		const policy = pollRetryPolicy(tenSeconds);
		// One call's worst case: three attempts of a timeout and two backoffs, under the period.
		const worst =
			(1 + policy.networkRetries) * policy.timeoutMs + policy.networkRetries * policy.backoffMaxMs;
		expect(worst).toBeLessThan(10 * SECOND);
		expect(policy.rateLimitWaitBudgetMs).toBeLessThan(10 * SECOND - tenSeconds * 0.9);
	});
});

describe('a poll cut short by n8n ends quietly', () => {
	it('classifies "No bridge acquired" and an aborted request as passing faults', () => {
		const node = pollFunctions().getNode();
		expect(classifyFault(new Error(NO_BRIDGE), node)).toMatchObject({
			cause: 'cut-short',
			passing: true,
		});
		const aborted = Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
		expect(classifyFault(aborted, node)).toMatchObject({ cause: 'cut-short', passing: true });
		expect(classifyFault(new Error('boom'), node)).toBeUndefined();
	});

	it('polls that outlive their 10 s period (a call stalls 12 s): no error execution, every change once', async () => {
		const result = await scenario({ stallEvery: 7, cutAfter: () => Infinity });
		expect(result.failed).toBe(0);
		expect(result.lost).toEqual([]);
		expect(result.duplicated).toEqual([]);
		expect(result.outlived).toBeGreaterThan(5);
	});

	it('polls n8n cuts short mid-way ("No bridge acquired"): no error execution, every change once', async () => {
		// Each poll loses its context after 1 to 12 requests: n8n released it under the poll.
		const result = await scenario({ stallEvery: 0, cutAfter: (round) => 1 + ((round * 5) % 12) });
		expect(result.failed).toBe(0);
		expect(result.lost).toEqual([]);
		expect(result.duplicated).toEqual([]);
		expect(result.cutShort).toBeGreaterThan(10);
	});
});

/**
 * 40 periods of 10 s, twenty changes in each (new leads, so that none coalesces), polled as n8n
 * would: each poll's context is released when the next tick comes, or after `cutAfter(round)`
 * requests; every `stallEvery`-th call takes 12 s.
 */
async function scenario(options: { stallEvery: number; cutAfter: (round: number) => number }) {
	const PERIOD = 10 * SECOND;
	const clock = { now: T0 };
	const data = new N8nStaticData();
	const api = new FakeLeadsApi(TEST_BASE_URL, API);
	let calls = 0;
	api.beforeReply = () => {
		calls++;
		clock.now += options.stallEvery > 0 && calls % options.stallEvery === 0 ? 12 * SECOND : 300;
	};
	const poll = async (tick: number, cutAfter: number) => {
		clock.now = Math.max(clock.now, tick);
		const ctx = pollFunctions({
			parameters: {
				event: 'leadOpportunityUpdated',
				options: {},
				pollTimes: every({ mode: 'custom', cronExpression: '*/10 * * * * *' }),
			},
			staticData: data.live,
			budgetMs: 45_000,
		});
		const send = ctx.helpers.httpRequestWithAuthentication;
		let requests = 0;
		(ctx.helpers as { httpRequestWithAuthentication: unknown }).httpRequestWithAuthentication =
			async function (this: IPollFunctions, type: string, request: IHttpRequestOptions) {
				if (clock.now >= tick + PERIOD || ++requests > cutAfter) throw new Error(NO_BRIDGE);
				return await send.call(this, type, request);
			};
		let outcome: PollOutcome | undefined;
		const output = await pollAt(ctx, { now: () => clock.now, onOutcome: (o) => (outcome = o) });
		data.afterPoll(output);
		return { output, outcome };
	};
	await poll(T0, Infinity);
	const expected: string[] = [];
	const emitted: string[] = [];
	const take = (output: INodeExecutionData[][] | null) => {
		for (const item of output?.[0] ?? [])
			emitted.push(`${item.json.dsLeadOpportunityId}@${item.json.modifiedDate}`);
	};
	const result = { failed: 0, outlived: 0, cutShort: 0 };
	for (let round = 1; round <= 40; round++) {
		const tick = Math.max(clock.now, T0 + round * PERIOD);
		for (let i = 0; i < 20; i++) {
			const at = tick - 2_000 + i;
			api.put(`R${round}-${i}`, at, { status: 'QUALIFIED' });
			expected.push(`R${round}-${i}@${new Date(at).toISOString()}`);
		}
		try {
			const { output, outcome } = await poll(tick, options.cutAfter(round));
			if (clock.now > tick + PERIOD) result.outlived++;
			if (outcome?.fault?.cause === 'cut-short') result.cutShort++;
			take(output);
		} catch {
			result.failed++; // an error execution in n8n
		}
	}
	api.beforeReply = undefined;
	for (let quiet = 1; quiet <= 10; quiet++) take((await poll(clock.now + PERIOD, Infinity)).output);
	const counts = new Map<string, number>();
	for (const key of emitted) counts.set(key, (counts.get(key) ?? 0) + 1);
	return {
		...result,
		lost: expected.filter((key) => !counts.has(key)),
		duplicated: [...counts].filter(([key, n]) => n > 1 || !expected.includes(key)),
	};
}
