/**
 * Pacing across the node's runs (issue 23): a run with no knowledge sends one request and sizes
 * itself from its answer; a later run of the node in the same execution (Loop Over Items) starts
 * with what the previous one learned, through n8n's `getContext('node')`; a Reset the node had to
 * reinterpret is said once, as an execution hint.
 */
import nock from 'nock';
import type { IDataObject, NodeExecutionHint } from 'n8n-workflow';

import { API, created, createParameters } from '../helpers/fixtures';
import { runNode, TEST_BASE_URL } from '../helpers/n8n';

const CREATE = `${API}/v1/leads-opportunities`;
const items = (n: number) => Array.from({ length: n }, () => ({ json: {} }));
const create = (i: number) => createParameters({ partnerLeadOpportunityId: `P-${i}` });
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A create endpoint that records how many requests were under way when each one arrived. */
function createEndpoint(count: number, headers: (n: number) => Record<string, string>) {
	const arrivals: Array<{ inFlight: number; answeredBefore: number }> = [];
	let inFlight = 0;
	let answered = 0;
	nock(TEST_BASE_URL)
		.post(CREATE)
		.times(count)
		.reply(async (_uri, body) => {
			inFlight++;
			arrivals.push({ inFlight, answeredBefore: answered });
			await wait(20);
			inFlight--;
			answered++;
			const id = ((body as IDataObject).leadOpportunity as IDataObject)
				.partnerLeadOpportunityId as string;
			return [201, created('D', id), headers(answered)];
		});
	return arrivals;
}

const quota = (n: number) => ({
	'X-RateLimit-Limit': '50',
	'X-RateLimit-Remaining': String(Math.max(0, 50 - n)),
	'X-RateLimit-Reset': '2',
});

describe('pacing across runs of the node', () => {
	it('a run with no knowledge sends one request first, then as many as its answer allows', async () => {
		const arrivals = createEndpoint(12, quota);
		const output = await runNode({ parameters: create, items: items(12) });
		expect(output).toHaveLength(12);
		// Nothing else left before the first answer came back.
		expect(arrivals.filter((a) => a.answeredBefore === 0)).toHaveLength(1);
		expect(Math.max(...arrivals.map((a) => a.inFlight))).toBeGreaterThan(1);
	});

	it('the next run in the same execution (Loop Over Items) starts with what the last one learned', async () => {
		const nodeContext: IDataObject = {};
		createEndpoint(12, quota);
		await runNode({ parameters: create, items: items(12), nodeContext });
		expect(nodeContext.pacing).toMatchObject({
			inFlight: { limit: 50 },
			rateLimit: { limit: 50, windowMs: 2000 },
		});
		const second = createEndpoint(12, quota);
		await runNode({ parameters: create, items: items(12), nodeContext });
		// No probe: several requests left before any answer.
		expect(second.filter((a) => a.answeredBefore === 0).length).toBeGreaterThan(1);
	});

	it('the next run waits for a window the last one spent, instead of collecting 429s', async () => {
		const nodeContext: IDataObject = {};
		const spent = () => ({
			'X-RateLimit-Limit': '50',
			'X-RateLimit-Remaining': '0',
			'X-RateLimit-Reset': '2',
		});
		createEndpoint(1, spent);
		await runNode({ parameters: create, items: items(1), nodeContext });
		expect(nodeContext.pacing).toMatchObject({ rateLimit: { remaining: 0 } });
		const { sleep } = jest.requireMock('n8n-workflow') as { sleep: jest.Mock };
		sleep.mockClear();
		createEndpoint(1, quota);
		await runNode({ parameters: create, items: items(1), nodeContext });
		// The gate's wait for the reset (2 s and its margin, less what passed), before the request.
		expect(sleep.mock.calls[0][0]).toBeGreaterThan(1500);
	});

	it('an epoch-seconds Reset is read as a time and said once, as an execution hint', async () => {
		const epoch = (n: number) => ({
			...quota(n),
			'X-RateLimit-Reset': String(Math.ceil(Date.now() / 1000) + 2),
		});
		const hints: NodeExecutionHint[] = [];
		const nodeContext: IDataObject = {};
		createEndpoint(5, epoch);
		await runNode({ parameters: create, items: items(5), hints, nodeContext });
		expect(hints).toHaveLength(1);
		expect(hints[0].message).toMatch(/^The 3DS gateway sent X-RateLimit-Reset as a point in time/);
		// The window read as 2–3 s, not 56 years.
		const { windowMs } = (nodeContext.pacing as { rateLimit: { windowMs: number } }).rateLimit;
		expect(windowMs).toBeGreaterThanOrEqual(1000);
		expect(windowMs).toBeLessThanOrEqual(3000);
	});
});
