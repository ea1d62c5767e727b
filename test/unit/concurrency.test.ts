/**
 * The pure parts the parallel path leans on: the concurrency controller, the request slots, the
 * rate-limit gate's estimate, the classification of an attempt and the retry budget, and the
 * reading of PATCH's plural `errors`.
 */
import nock from 'nock';

import {
	ConcurrencyController,
	INITIAL_AUTO_CONCURRENCY,
	MAX_AUTO_CONCURRENCY,
	RequestSlots,
} from '../../nodes/DassaultSales/transport/concurrency';
import { describeEnvelope } from '../../nodes/DassaultSales/transport/errors';
import { RateLimitGate } from '../../nodes/DassaultSales/transport/rateLimit';
import { classify, RetryBudget } from '../../nodes/DassaultSales/transport/retry';
import { EXECUTION_RETRY_POLICY } from '../../nodes/DassaultSales/transport/client';
import { API, errorBody } from '../helpers/fixtures';
import { runNode, TEST_BASE_URL } from '../helpers/n8n';

describe('concurrency controller', () => {
	const quota = { limit: 50, remaining: 40, reset: 2 };

	it('starts small before any answer', () => {
		expect(new ConcurrencyController().target()).toBe(INITIAL_AUTO_CONCURRENCY);
	});

	it('keeps twice rate × round trip in flight: 8 at 150 ms, the cap at 400 ms (quota 50 per 2 s)', () => {
		const at = (rtt: number) => {
			const controller = new ConcurrencyController();
			for (let i = 0; i < 20; i++) controller.observe(rtt, quota);
			return controller.target();
		};
		expect(at(150)).toBe(8);
		expect(at(400)).toBe(MAX_AUTO_CONCURRENCY);
		expect(at(10)).toBe(2);
	});

	it('goes to the cap when the API announces no quota', () => {
		const controller = new ConcurrencyController();
		controller.observe(400);
		expect(controller.target()).toBe(MAX_AUTO_CONCURRENCY);
	});

	it('uses the Concurrency option as given', () => {
		const controller = new ConcurrencyController(3);
		controller.observe(400, quota);
		expect(controller.target()).toBe(3);
		expect(controller.maximum).toBe(3);
	});

	it('slots admit up to the target and hand a freed slot to the longest waiter', async () => {
		const slots = new RequestSlots(new ConcurrencyController(2));
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

describe('rate-limit gate', () => {
	let now = 0;
	const waits: number[] = [];
	const gate = () =>
		new RateLimitGate(
			async (ms) => {
				waits.push(ms);
				now += ms;
			},
			() => now,
		);
	beforeEach(() => {
		now = 0;
		waits.length = 0;
	});

	it('counts what was sent after the latest answer, not the requests the answer already counted', async () => {
		const g = gate();
		const tickets = [];
		for (let i = 0; i < 5; i++) tickets.push(await g.acquire());
		// The 5th request's answer: 3 left, counting all five.
		g.release(tickets[4], { remaining: 3, reset: 2 });
		// An older answer (an earlier Remaining) changes nothing.
		g.release(tickets[0], { remaining: 7, reset: 2 });
		await g.acquire();
		await g.acquire();
		await g.acquire();
		expect(waits).toEqual([]);
		expect(g.pendingWaitMs()).toBeGreaterThan(1900);
		await g.acquire();
		expect(waits).toHaveLength(1);
	});

	it('a 429 holds everyone until the reset', async () => {
		const g = gate();
		await g.acquire();
		g.block(5000);
		expect(g.pendingWaitMs()).toBe(5000);
		await g.acquire();
		expect(waits).toEqual([5000]);
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

	it('a write that may have been applied is not retried; one that was not sent is', () => {
		const budget = new RetryBudget(EXECUTION_RETRY_POLICY);
		expect(budget.unavailable({ mayHaveApplied: true, safeToRetry: false })).toBeUndefined();
		expect(budget.unavailable({ mayHaveApplied: false, safeToRetry: false })).toBe(500);
		expect(budget.network({ notSent: false, safeToRetry: true })).toBe(500);
		expect(budget.uncertain).toBe(true);
	});

	it('waits for announced resets until the budget is spent', () => {
		const budget = new RetryBudget({ ...EXECUTION_RETRY_POLICY, rateLimitWaitBudgetMs: 5000 });
		expect(budget.rateLimited(2)).toEqual({ give: false, ms: 2000 });
		expect(budget.rateLimited(2)).toEqual({ give: false, ms: 2000 });
		expect(budget.rateLimited(2).give).toBe(true);
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
		expect(error.description).toMatch(/^Check the 3DS ID \(dsLeadOpportunityId, e\.g\. HCRQ-F1LLDE\), not your CRM ID/);
		expect(error.description).toContain('3DS code ERROR_048');
	});
});
