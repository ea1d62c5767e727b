// The wire: each request pays its handshakes on a new connection and half a round trip before it
// arrives (only then is the quota counted), every answer another half; the rate-limit header
// forms; the connections counter; configuration and CLI. Real HTTP, real timers, fixed rtt.
import http from 'node:http';
import { parseCliOptions } from '../../sandbox/cli-options';
import { initialConfig } from '../../sandbox/options';
import { call, type HttpResult, KEY, PORTFOLIO, start, useSandbox } from './helpers';

const RTT = 200;
/** Timers never fire early, but the client and server clocks round differently. */
const SLACK = 5;

interface Timed extends HttpResult {
	ms: number;
}

/** One GET through `agent`, timed from sending to the end of the answer. */
async function send(
	baseUrl: string,
	agent: http.Agent,
	path = `${PORTFOLIO}?top=1`,
	key: string | null = KEY,
): Promise<Timed> {
	const started = performance.now();
	const result = await call(baseUrl, 'GET', path, { agent, key });
	return { ...result, ms: performance.now() - started };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
const rateHeaders = (res: HttpResult) =>
	Object.keys(res.headers).filter((name) => name.startsWith('x-ratelimit-'));

describe('wire', () => {
	const env = useSandbox({ reset: true, wire: { minMs: RTT, maxMs: RTT } });
	const agents: http.Agent[] = [];
	/** A new connection per request, as n8n does. */
	const fresh = () => {
		const agent = new http.Agent({ keepAlive: false });
		agents.push(agent);
		return agent;
	};
	/** One connection, reused. */
	const kept = () => {
		const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
		agents.push(agent);
		return agent;
	};
	afterEach(() => agents.splice(0).forEach((agent) => agent.destroy()));

	test('a new connection pays two handshake round trips; a kept-alive one only the round trip', async () => {
		const { url, admin } = env.sandbox;
		const agent = kept();
		const first = await send(url, agent);
		const second = await send(url, agent);
		expect(first.status).toBe(200);
		expect(second.status).toBe(200);
		expect(first.ms).toBeGreaterThanOrEqual(3 * RTT - SLACK);
		expect(second.ms).toBeGreaterThanOrEqual(RTT - SLACK);
		expect(second.ms).toBeLessThan(2.5 * RTT);
		expect(admin.counters().connections).toBe(1);

		const perRequest = fresh();
		const results = [await send(url, perRequest), await send(url, perRequest)];
		for (const res of results) expect(res.ms).toBeGreaterThanOrEqual(3 * RTT - SLACK);
		expect(admin.counters().connections).toBe(3);
		expect(admin.counters().requests).toEqual({ searchPortfolioItems: 4 });
	});

	test('handshakeRoundTrips sets what a new connection pays (0: none)', async () => {
		env.sandbox.admin.configure({ wire: { minMs: RTT, maxMs: RTT, handshakeRoundTrips: 0 } });
		const res = await send(env.sandbox.url, fresh());
		expect(res.ms).toBeGreaterThanOrEqual(RTT - SLACK);
		expect(res.ms).toBeLessThan(2.5 * RTT);
	});

	test('the quota is counted when a request arrives, not when it is sent', async () => {
		// Quota 1 per 1500 ms. A is sent on a warm connection and arrives rtt/2 later: its window
		// runs from tA + 100 to tA + 1600. At tA + 1300, C and B leave together: C on the warm
		// connection arrives at tA + 1400, inside A's window (429); B on a new connection pays the
		// handshakes and arrives at tA + 1800, after it (200, a new window). Counted when sent,
		// both would be refused; the order of arrival alone tells them apart.
		const { url, admin } = env.sandbox;
		admin.configure({ quota: 1, windowMs: 1500, apiKeys: [KEY, 'warm-up'] });
		const warm = kept();
		expect((await send(url, warm, undefined, 'warm-up')).status).toBe(200);
		const tA = performance.now();
		const a = await send(url, warm);
		expect(a.status).toBe(200);
		expect(a.headers['x-ratelimit-remaining']).toBe('0');
		await sleep(tA + 1300 - performance.now());
		const [c, b] = await Promise.all([send(url, warm), send(url, fresh())]);
		expect(c.status).toBe(429);
		expect(b.status).toBe(200);
		expect(b.headers['x-ratelimit-remaining']).toBe('0');
		expect(admin.counters().rateLimited).toBe(1);
	});

	test('a 429 comes back after the round trip, like any answer', async () => {
		const { url, admin } = env.sandbox;
		admin.configure({ quota: 1 });
		const agent = kept();
		expect((await send(url, agent)).status).toBe(200);
		const limited = await send(url, agent);
		expect(limited.status).toBe(429);
		expect(limited.ms).toBeGreaterThanOrEqual(RTT - SLACK);
		const onNewConnection = await send(url, fresh());
		expect(onNewConnection.status).toBe(429);
		expect(onNewConnection.ms).toBeGreaterThanOrEqual(3 * RTT - SLACK);
	});

	test('401 and 404 pay the round trip too; the admin routes do not', async () => {
		const { url } = env.sandbox;
		const agent = kept();
		await send(url, agent); // opens the connection
		const unauthorized = await send(url, agent, PORTFOLIO, null);
		expect(unauthorized.status).toBe(401);
		expect(unauthorized.ms).toBeGreaterThanOrEqual(RTT - SLACK);
		const notFound = await send(url, agent, '/nowhere');
		expect(notFound.status).toBe(404);
		expect(notFound.ms).toBeGreaterThanOrEqual(RTT - SLACK);
		const adminRoute = await send(url, fresh(), '/__sandbox/config', null);
		expect(adminRoute.status).toBe(200);
		expect(adminRoute.body.wire).toEqual({ minMs: RTT, maxMs: RTT });
		expect(adminRoute.ms).toBeLessThan(RTT);
	});

	test("rateLimitHeaders 'epoch': Reset is the window's end in epoch seconds", async () => {
		env.sandbox.admin.configure({ rateLimitHeaders: 'epoch', windowMs: 60_000 });
		const res = await send(env.sandbox.url, kept());
		const expected = Date.now() / 1000 + 60;
		expect(Number(res.headers['x-ratelimit-reset'])).toBeGreaterThan(expected - 3);
		expect(Number(res.headers['x-ratelimit-reset'])).toBeLessThan(expected + 3);
		expect(res.headers['x-ratelimit-remaining']).toBe('999');
	});

	test("rateLimitHeaders 'none': no X-RateLimit-* header, on a 200 or a 429", async () => {
		env.sandbox.admin.configure({ rateLimitHeaders: 'none', quota: 1, wire: null });
		const agent = kept();
		const ok = await send(env.sandbox.url, agent);
		const limited = await send(env.sandbox.url, agent);
		expect([ok.status, limited.status]).toEqual([200, 429]);
		expect(rateHeaders(ok)).toEqual([]);
		expect(rateHeaders(limited)).toEqual([]);
	});

	test("rateLimitHeaders 'seconds' is the default", () => {
		expect(env.sandbox.admin.config().rateLimitHeaders).toBe('seconds');
	});

	test('wire: null switches it off', async () => {
		const config = env.sandbox.admin.configure({ wire: null });
		expect(config.wire).toBeUndefined();
		const res = await send(env.sandbox.url, fresh());
		expect(res.status).toBe(200);
		expect(res.ms).toBeLessThan(RTT);
	});

	test('a bad wire or header form is refused with what is wrong, the configuration untouched', () => {
		const { admin } = env.sandbox;
		const bad: Array<[unknown, RegExp]> = [
			[{ minMs: -1, maxMs: 10 }, /wire\.minMs must be a number >= 0/],
			[{ minMs: 20, maxMs: 10 }, /wire\.maxMs must be >= wire\.minMs/],
			[{ minMs: '100', maxMs: 200 }, /wire\.minMs must be a number/],
			[{ minMs: 100 }, /wire\.maxMs must be a number/],
			[{ minMs: 1, maxMs: 2, handshakeRoundTrips: 1.5 }, /wire\.handshakeRoundTrips/],
			[{ minMs: 1, maxMs: 2, ms: 3 }, /wire: unknown ms/],
			[100, /wire must be an object/],
		];
		for (const [wire, message] of bad)
			expect(() => admin.configure({ wire: wire as never })).toThrow(message);
		expect(() => admin.configure({ rateLimitHeaders: 'iso' as never })).toThrow(
			/rateLimitHeaders must be one of seconds, epoch, none/,
		);
		expect(admin.config().wire).toEqual({ minMs: RTT, maxMs: RTT });
		expect(admin.config().rateLimitHeaders).toBe('seconds');
	});

	test('over the admin HTTP API too', async () => {
		const patch = async (body: unknown) =>
			(await call(env.sandbox.url, 'PATCH', '/__sandbox/config', { body })).status;
		expect(await patch({ wire: { minMs: 5, maxMs: 1 } })).toBe(400);
		expect(await patch({ wire: { minMs: 10, maxMs: 30 }, rateLimitHeaders: 'epoch' })).toBe(200);
		expect(env.sandbox.admin.config()).toMatchObject({
			wire: { minMs: 10, maxMs: 30 },
			rateLimitHeaders: 'epoch',
		});
		expect(await patch({ wire: null })).toBe(200);
		expect(env.sandbox.admin.config().wire).toBeUndefined();
	});

	test('reset clears the connections counter', async () => {
		await send(env.sandbox.url, fresh());
		expect(env.sandbox.admin.counters().connections).toBe(1);
		env.sandbox.admin.reset();
		expect(env.sandbox.admin.counters().connections).toBe(0);
	});
});

describe('wire: start options and CLI', () => {
	test('a uniform wire draws each round trip within its bounds', async () => {
		const sandbox = await start({ wire: { minMs: 60, maxMs: 120, handshakeRoundTrips: 0 } });
		const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
		try {
			for (let i = 0; i < 4; i++) {
				const res = await send(sandbox.url, agent);
				expect(res.ms).toBeGreaterThanOrEqual(60 - SLACK);
			}
		} finally {
			agent.destroy();
			await sandbox.stop();
		}
	});

	test('start options are validated like a patch', () => {
		expect(() => initialConfig({ wire: { minMs: 3, maxMs: 1 } }, [])).toThrow(/wire\.maxMs/);
		expect(initialConfig({ rateLimitHeaders: 'none' }, []).rateLimitHeaders).toBe('none');
		expect(initialConfig({}, []).wire).toBeUndefined();
	});

	test('--wire-ms, --wire-handshakes and --rate-limit-headers', () => {
		expect(parseCliOptions(['--wire-ms', '100-200'], {}).options).toEqual({
			wire: { minMs: 100, maxMs: 200 },
		});
		expect(parseCliOptions(['--wire-ms=400', '--wire-handshakes', '3'], {}).options).toEqual({
			wire: { minMs: 400, maxMs: 400, handshakeRoundTrips: 3 },
		});
		expect(
			parseCliOptions([], { SANDBOX_WIRE_MS: '50', SANDBOX_RATE_LIMIT_HEADERS: 'epoch' }).options,
		).toEqual({ wire: { minMs: 50, maxMs: 50 }, rateLimitHeaders: 'epoch' });
		expect(() => parseCliOptions(['--wire-ms', 'fast'], {})).toThrow(
			/--wire-ms must be MS or MIN-MAX/,
		);
		expect(() => parseCliOptions(['--wire-ms', '200-100'], {})).toThrow(/MAX must be >= MIN/);
		expect(() => parseCliOptions(['--wire-handshakes', '1'], {})).toThrow(/needs --wire-ms/);
	});
});
