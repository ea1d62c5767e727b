// Injected faults: 503 ERR899, spurious 429, latency, connection resets before and after the
// write; limited to operations; configured at start or at runtime.
import { FaultInjector } from '../../sandbox/faults';
import { Rng } from '../../sandbox/prng';
import type { Route } from '../../sandbox/routes';
import {
	call,
	callOrReset,
	createBodyV1,
	partnerId,
	PORTFOLIO,
	SEARCH,
	start,
	useSandbox,
	V1,
} from './helpers';

describe('faults', () => {
	const env = useSandbox({ reset: true });
	const createPath = `${V1}/leads-opportunities`;

	const hasPartnerId = (pid: string) =>
		env.sandbox.admin.listLeads().some((l) => l.partnerLeadOpportunityId === pid);

	test('503 ERR899 in the 503 envelope (lower-case timestamp), nothing written', async () => {
		env.sandbox.admin.configure({ faults: { unavailable: { probability: 1 } } });
		const pid = partnerId();
		const res = await call(env.sandbox.url, 'POST', createPath, { body: createBodyV1(pid) });
		expect(res.status).toBe(503);
		expect(res.body).toEqual({
			info: {
				success: false,
				statusCode: 503,
				timestamp: expect.stringMatching(/Z$/),
				traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
			},
			error: { code: 'ERR899', message: 'Service currently unavailable, please try again later.' },
			data: { partnerLeadOpportunityId: null, dsLeadOpportunityId: null, action: null },
		});
		expect(res.headers['x-ratelimit-remaining']).toBe('999');
		expect(hasPartnerId(pid)).toBe(false);
		expect(env.sandbox.admin.counters().faults.unavailable).toBe(1);
	});

	test('503 skips portfolio-items, whose spec declares no 503', async () => {
		env.sandbox.admin.configure({ faults: { unavailable: { probability: 1 } } });
		expect((await call(env.sandbox.url, 'GET', `${PORTFOLIO}?top=1`)).status).toBe(200);
	});

	test('a spurious 429 although the quota is not used up', async () => {
		env.sandbox.admin.configure({ faults: { rateLimited: { probability: 1 } } });
		const res = await call(env.sandbox.url, 'GET', `${PORTFOLIO}?top=1`);
		expect(res.status).toBe(429);
		expect(res.body).toEqual({ message: 'Too many requests, please try again later' });
		expect(Number(res.headers['x-ratelimit-remaining'])).toBeGreaterThan(0);
		const counters = env.sandbox.admin.counters();
		expect(counters.faults.rateLimited).toBe(1);
		expect(counters.rateLimited).toBe(0);
	});

	test('a reset before the write: no response, nothing written', async () => {
		env.sandbox.admin.configure({ faults: { resetBeforeWrite: { probability: 1 } } });
		const pid = partnerId();
		expect(
			await callOrReset(env.sandbox.url, 'POST', createPath, { body: createBodyV1(pid) }),
		).toBe('reset');
		expect(hasPartnerId(pid)).toBe(false);
		expect(env.sandbox.admin.changes()).toEqual([]);
		expect(env.sandbox.admin.counters().faults.resetBeforeWrite).toBe(1);
	});

	test('a reset after the write: no response, but the create happened (a retry meets ERR801)', async () => {
		env.sandbox.admin.configure({
			faults: { resetAfterWrite: { probability: 1, operations: ['create'] } },
		});
		const pid = partnerId();
		expect(
			await callOrReset(env.sandbox.url, 'POST', createPath, { body: createBodyV1(pid) }),
		).toBe('reset');
		expect(hasPartnerId(pid)).toBe(true);
		expect(env.sandbox.admin.changes()).toEqual([expect.objectContaining({ change: 'create' })]);
		env.sandbox.admin.configure({ faults: { resetAfterWrite: null } });
		const retry = await call(env.sandbox.url, 'POST', createPath, { body: createBodyV1(pid) });
		expect(retry.body.error.code).toBe('ERR801');
		// How a client recovers the id: search by its own partner id.
		const found = await call(env.sandbox.url, 'POST', SEARCH, {
			body: { data: [{ partnerLeadOpportunityId: pid }] },
		});
		expect(found.body.data[0].dsLeadOpportunityId).toEqual([env.sandbox.admin.changes()[0].id]);
	});

	test('faults can be limited to some operations (operationIds or kinds)', async () => {
		env.sandbox.admin.configure({
			faults: {
				unavailable: { probability: 1, operations: ['getLeadsOpportunities_v1', 'search'] },
			},
		});
		const id = env.sandbox.admin.listLeads()[0].dsLeadOpportunityId;
		expect((await call(env.sandbox.url, 'GET', `${V1}/leads-opportunities/${id}`)).status).toBe(
			503,
		);
		expect(
			(await call(env.sandbox.url, 'GET', `/sales/api4partners/v0/leads-opportunities/${id}`))
				.status,
		).toBe(200);
		expect(
			(
				await call(env.sandbox.url, 'POST', SEARCH, {
					body: { data: [{ partnerLeadOpportunityId: 'X' }] },
				})
			).status,
		).toBe(503);
		expect(
			(await call(env.sandbox.url, 'POST', createPath, { body: createBodyV1(partnerId()) })).status,
		).toBe(201);
	});

	test('fixed latency delays the answer', async () => {
		env.sandbox.admin.configure({ faults: { latency: { distribution: 'fixed', ms: 120 } } });
		const started = performance.now();
		expect((await call(env.sandbox.url, 'GET', `${PORTFOLIO}?top=1`)).status).toBe(200);
		expect(performance.now() - started).toBeGreaterThanOrEqual(110);
		expect(env.sandbox.admin.counters().faults.latency).toBe(1);
	});

	test('latency with a probability and an operation filter', async () => {
		env.sandbox.admin.configure({
			faults: {
				latency: {
					distribution: 'uniform',
					minMs: 3000,
					maxMs: 4000,
					probability: 1,
					operations: ['create'],
				},
			},
		});
		const started = performance.now();
		await call(env.sandbox.url, 'GET', `${PORTFOLIO}?top=1`);
		expect(performance.now() - started).toBeLessThan(2000);
		env.sandbox.admin.configure({
			faults: { latency: { distribution: 'normal', meanMs: 50, stdDevMs: 0, probability: 0 } },
		});
		await call(env.sandbox.url, 'GET', `${PORTFOLIO}?top=1`);
		expect(env.sandbox.admin.counters().faults.latency).toBe(0);
	});

	test('uniform and normal latencies follow their distributions', () => {
		const route: Route = {
			operationId: 'getLeadsOpportunities_v1',
			kind: 'get',
			version: 'v1',
			method: 'GET',
			pattern: /x/,
		};
		const draw = (latency: object) => {
			const injector = new FaultInjector(
				new Rng(3),
				() => ({ latency: latency as never }),
				() => true,
			);
			return Array.from({ length: 4000 }, () => injector.decide(route).latencyMs);
		};
		const uniform = draw({ distribution: 'uniform', minMs: 20, maxMs: 80 });
		expect(Math.min(...uniform)).toBeGreaterThanOrEqual(20);
		expect(Math.max(...uniform)).toBeLessThanOrEqual(80);
		expect(uniform.reduce((a, b) => a + b) / uniform.length).toBeCloseTo(50, -0.5);
		const normal = draw({ distribution: 'normal', meanMs: 100, stdDevMs: 15 });
		const mean = normal.reduce((a, b) => a + b) / normal.length;
		const sd = Math.sqrt(normal.reduce((a, b) => a + (b - mean) ** 2, 0) / normal.length);
		expect(mean).toBeGreaterThan(98);
		expect(mean).toBeLessThan(102);
		expect(sd).toBeGreaterThan(13.5);
		expect(sd).toBeLessThan(16.5);
		expect(Math.min(...draw({ distribution: 'normal', meanMs: 5, stdDevMs: 50 }))).toBe(0);
	});

	test('a probability between 0 and 1 hits about that share of requests', () => {
		const route: Route = {
			operationId: 'searchLeadsOpportunities',
			kind: 'search',
			version: 'v0',
			method: 'POST',
			pattern: /x/,
		};
		const injector = new FaultInjector(
			new Rng(9),
			() => ({ unavailable: { probability: 0.25 } }),
			() => true,
		);
		const hits = Array.from({ length: 4000 }, () => injector.decide(route).outcome).filter(
			(o) => o === 'unavailable',
		).length;
		expect(hits / 4000).toBeGreaterThan(0.22);
		expect(hits / 4000).toBeLessThan(0.28);
	});

	test('faults given at start apply, and reset restores them after a runtime change', async () => {
		const faulty = await start({
			faults: { unavailable: { probability: 1, operations: ['get'] } },
		});
		try {
			const id = faulty.admin.listLeads()[0].dsLeadOpportunityId;
			expect((await call(faulty.url, 'GET', `${V1}/leads-opportunities/${id}`)).status).toBe(503);
			faulty.admin.configure({ faults: { unavailable: null } });
			expect((await call(faulty.url, 'GET', `${V1}/leads-opportunities/${id}`)).status).toBe(200);
			faulty.admin.reset();
			expect((await call(faulty.url, 'GET', `${V1}/leads-opportunities/${id}`)).status).toBe(503);
		} finally {
			await faulty.stop();
		}
	});

	test('faults can be configured over the admin API, and bad configurations are refused', async () => {
		const configured = await call(env.sandbox.url, 'POST', '/__sandbox/config', {
			key: null,
			body: { faults: { rateLimited: { probability: 1, operations: ['portfolio'] } } },
		});
		expect(configured.status).toBe(200);
		expect(configured.body.faults).toEqual({
			rateLimited: { probability: 1, operations: ['portfolio'] },
		});
		expect((await call(env.sandbox.url, 'GET', `${PORTFOLIO}?top=1`)).status).toBe(429);
		for (const faults of [
			{ rateLimited: { probability: 2 } },
			{ typo: { probability: 1 } },
			{ unavailable: { probability: 1, operations: ['nope'] } },
			{ latency: { distribution: 'fixed' } },
		]) {
			const refused = await call(env.sandbox.url, 'PATCH', '/__sandbox/config', {
				key: null,
				body: { faults },
			});
			expect(refused.status).toBe(400);
			expect(refused.body.error).toEqual(expect.any(String));
		}
		expect(env.sandbox.admin.config().faults).toEqual({
			rateLimited: { probability: 1, operations: ['portfolio'] },
		});
		expect(() => env.sandbox.admin.configure({ quota: 0 })).toThrow(
			'quota must be a positive integer',
		);
	});
});
