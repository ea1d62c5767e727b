// Fixed-window quota per API key, with X-RateLimit-* headers on every response but 401/403.
import { call, type HttpResult, PORTFOLIO, start, useSandbox } from './helpers';

const rate = (res: HttpResult) => ({
	limit: res.headers['x-ratelimit-limit'],
	remaining: res.headers['x-ratelimit-remaining'],
	reset: res.headers['x-ratelimit-reset'],
});

describe('rate limiting', () => {
	const env = useSandbox({
		clock: 1_000_000,
		reset: true,
		quota: 3,
		windowMs: 10_000,
		apiKeys: ['key-a', 'key-b'],
	});
	const get = (key = 'key-a') => call(env.sandbox.url, 'GET', `${PORTFOLIO}?top=1`, { key });

	test('counts down Remaining, and Reset is whole seconds until the window ends, rounded up', async () => {
		expect(rate(await get())).toEqual({ limit: '3', remaining: '2', reset: '10' });
		env.clock += 2_500;
		expect(rate(await get())).toEqual({ limit: '3', remaining: '1', reset: '8' });
		env.clock += 7_499;
		expect(rate(await get())).toEqual({ limit: '3', remaining: '0', reset: '1' });
	});

	test('answers 429 past the quota, with the headers, until the window resets', async () => {
		for (let i = 0; i < 3; i++) expect((await get()).status).toBe(200);
		const limited = await get();
		expect(limited.status).toBe(429);
		expect(limited.body).toEqual({ message: 'Too many requests, please try again later' });
		expect(rate(limited)).toEqual({ limit: '3', remaining: '0', reset: '10' });
		expect(env.sandbox.admin.counters().rateLimited).toBe(1);
		env.clock += 10_000;
		const again = await get();
		expect(again.status).toBe(200);
		expect(rate(again)).toEqual({ limit: '3', remaining: '2', reset: '10' });
	});

	test('counts the 429s of each window that sent any, in the order the windows opened', async () => {
		for (let i = 0; i < 5; i++) await get();
		env.clock += 10_000;
		for (let i = 0; i < 3; i++) await get();
		env.clock += 10_000;
		for (let i = 0; i < 4; i++) await get();
		expect(env.sandbox.admin.counters()).toMatchObject({
			rateLimited: 3,
			rateLimitedPerWindow: [2, 1],
		});
		env.sandbox.admin.reset();
		expect(env.sandbox.admin.counters().rateLimitedPerWindow).toEqual([]);
	});

	test('each key has its own quota', async () => {
		for (let i = 0; i < 3; i++) await get('key-a');
		expect((await get('key-a')).status).toBe(429);
		expect(rate(await get('key-b'))).toEqual({ limit: '3', remaining: '2', reset: '10' });
	});

	test('401 and 403 carry no rate-limit headers and use no quota', async () => {
		for (const key of [null, 'unknown']) {
			const res = await call(env.sandbox.url, 'GET', PORTFOLIO, { key });
			expect(res.headers['x-ratelimit-limit']).toBeUndefined();
			expect(res.headers['x-ratelimit-remaining']).toBeUndefined();
			expect(res.headers['x-ratelimit-reset']).toBeUndefined();
		}
		expect(rate(await get())).toEqual({ limit: '3', remaining: '2', reset: '10' });
	});

	test('errors carry the headers too, and count against the quota', async () => {
		const res = await call(env.sandbox.url, 'GET', `${PORTFOLIO}?top=0`, { key: 'key-a' });
		expect(res.status).toBe(400);
		expect(rate(res)).toEqual({ limit: '3', remaining: '2', reset: '10' });
	});

	test('the quota and window can change at runtime', async () => {
		env.sandbox.admin.configure({ quota: 50, windowMs: 30_000 });
		expect(rate(await get())).toEqual({ limit: '50', remaining: '49', reset: '30' });
	});

	test('works on the real clock with a short window', async () => {
		const real = await start({ quota: 1, windowMs: 600 });
		try {
			const first = await call(real.url, 'GET', `${PORTFOLIO}?top=1`);
			expect(first.status).toBe(200);
			expect(first.headers['x-ratelimit-reset']).toBe('1');
			expect((await call(real.url, 'GET', `${PORTFOLIO}?top=1`)).status).toBe(429);
			await new Promise((resolve) => setTimeout(resolve, 650));
			expect((await call(real.url, 'GET', `${PORTFOLIO}?top=1`)).status).toBe(200);
		} finally {
			await real.stop();
		}
	});
});
