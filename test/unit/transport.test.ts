import nock from 'nock';
import { NodeApiError, type IHttpRequestOptions } from 'n8n-workflow';

import { DassaultSalesApi } from '../../credentials/DassaultSalesApi.credentials';
import { API, errorBody, getResult, leadRecord } from '../helpers/fixtures';
import {
	n8nHttpRequest,
	runNode,
	TEST_API_KEY,
	TEST_BASE_URL,
	testCredentials,
	testNode,
} from '../helpers/n8n';
import { sleeps } from '../helpers/sleep';

const get = (id = 'HCRQ-F1LLDE') => ({
	resource: 'leadOpportunity',
	operation: 'get',
	apiVersion: 'v1',
	dsLeadOpportunityId: id,
	options: {},
});
const GET_PATH = `${API}/v1/leads-opportunities/HCRQ-F1LLDE`;
const unavailable = {
	info: { success: false, statusCode: 503, timestamp: '2025-06-30T12:36:46.556Z', traceId: 't' },
	error: { code: 'ERR899', message: 'Service currently unavailable, please try again later.' },
	data: { partnerLeadOpportunityId: null, dsLeadOpportunityId: null, action: null },
};
const tooMany = { message: 'Too many requests, please try again later' };
const quota = (remaining: number, reset: number) => ({
	'X-RateLimit-Limit': '100',
	'X-RateLimit-Remaining': String(remaining),
	'X-RateLimit-Reset': String(reset),
});

/** The error as n8n would store it, to check nothing secret is in it. */
const serialized = (error: any) =>
	JSON.stringify({
		message: error.message,
		description: error.description,
		context: error.context,
		cause: error.cause,
		failure: error.failure,
		messages: error.messages,
	});

describe('rate limits', () => {
	it('waits for X-RateLimit-Reset after a 429, then succeeds', async () => {
		nock(TEST_BASE_URL)
			.get(GET_PATH)
			.reply(429, tooMany, quota(0, 3))
			.get(GET_PATH)
			.reply(200, getResult(leadRecord('HCRQ-F1LLDE')), quota(99, 60));
		const [item] = await runNode({ parameters: get() });
		expect(item.json.dsLeadOpportunityId).toBe('HCRQ-F1LLDE');
		expect(sleeps()).toHaveLength(1);
		expect(sleeps()[0]).toBeGreaterThanOrEqual(3000);
		expect(sleeps()[0]).toBeLessThan(3500);
	});

	it('gives up with a rate-limited NodeApiError once the waits for resets pass 5 minutes', async () => {
		nock(TEST_BASE_URL).get(GET_PATH).times(6).reply(429, tooMany, quota(0, 60));
		const error = await runNode({ parameters: get() }).catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toContain('rate limit is still reached');
		expect(error.failure).toMatchObject({ cause: 'rate-limited', retryAfterMs: 60_000 });
		expect(error.description).toContain('Gave up after 6 attempts');
		expect(sleeps().reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(300_000);
		expect(sleeps().reduce((a, b) => a + b, 0)).toBeLessThan(301_000);
	});

	it('keeps waiting through many lost windows when other executions share the quota', async () => {
		// Queue mode: two workers' executions race for each fresh window; one may lose many in a row.
		nock(TEST_BASE_URL)
			.get(GET_PATH)
			.times(40)
			.reply(429, tooMany, quota(0, 2))
			.get(GET_PATH)
			.reply(200, getResult(leadRecord('HCRQ-F1LLDE')), quota(49, 2));
		const [item] = await runNode({ parameters: get() });
		expect(item.json.dsLeadOpportunityId).toBe('HCRQ-F1LLDE');
		expect(sleeps()).toHaveLength(40);
	});

	it('a 429 that does not say when the quota resets is retried 5 times with backoff', async () => {
		nock(TEST_BASE_URL).get(GET_PATH).times(6).reply(429, tooMany);
		const error = await runNode({ parameters: get() }).catch((e) => e);
		expect(error.failure).toMatchObject({ cause: 'rate-limited' });
		expect(error.description).toContain('Gave up after 6 attempts');
		expect(sleeps()).toHaveLength(5);
	});

	it('gives up at once when the reset is longer than it may wait', async () => {
		nock(TEST_BASE_URL).get(GET_PATH).reply(429, tooMany, quota(0, 3600));
		const error = await runNode({ parameters: get() }).catch((e) => e);
		expect(error.failure).toMatchObject({ cause: 'rate-limited', retryAfterMs: 3_600_000 });
		expect(sleeps()).toEqual([]);
	});

	it('does not wait for a quota reset longer than it may: it fails rate-limited at once', async () => {
		nock(TEST_BASE_URL)
			.get(`${API}/v1/leads-opportunities/A`)
			.reply(200, getResult(leadRecord('A')), quota(0, 3600));
		const error = await runNode({
			// One request at a time: B is sent once A's answer has told the gate about the quota.
			parameters: (i) => ({ ...get(['A', 'B'][i]), options: { concurrency: 1 } }),
			items: [{ json: {} }, { json: {} }],
		}).catch((e) => e);
		expect(error.failure).toMatchObject({ cause: 'rate-limited' });
		expect(error.failure.retryAfterMs).toBeGreaterThan(3_500_000);
		expect(error.context.itemIndex).toBe(1);
		expect(sleeps()).toEqual([]);
	});

	it('paces: when Remaining reaches 0 the next request waits for the reset instead of collecting a 429', async () => {
		nock(TEST_BASE_URL)
			.get(`${API}/v1/leads-opportunities/A`)
			.reply(200, getResult(leadRecord('A')), quota(0, 5))
			.get(`${API}/v1/leads-opportunities/B`)
			.reply(200, getResult(leadRecord('B')), quota(99, 60));
		const output = await runNode({
			// One request at a time: B is sent once A's answer has told the gate about the quota.
			parameters: (i) => ({ ...get(['A', 'B'][i]), options: { concurrency: 1 } }),
			items: [{ json: {} }, { json: {} }],
		});
		expect(output.map((o) => o.json.dsLeadOpportunityId)).toEqual(['A', 'B']);
		expect(sleeps()).toHaveLength(1);
		expect(sleeps()[0]).toBeGreaterThanOrEqual(4900);
	});
});

describe('temporary unavailability', () => {
	it('backs off exponentially after 503 ERR899, then succeeds', async () => {
		nock(TEST_BASE_URL)
			.get(GET_PATH)
			.times(2)
			.reply(503, unavailable)
			.get(GET_PATH)
			.reply(200, getResult(leadRecord('HCRQ-F1LLDE')));
		await runNode({ parameters: get() });
		expect(sleeps()).toEqual([500, 1000]);
	});

	it('gives up after the bounded retries with a temporarily-unavailable NodeApiError', async () => {
		nock(TEST_BASE_URL).get(GET_PATH).times(5).reply(503, unavailable);
		const error = await runNode({ parameters: get() }).catch((e) => e);
		expect(error.message).toContain('temporarily unavailable');
		expect(error.failure).toEqual({ cause: 'temporarily-unavailable' });
		expect(error.description).toContain('3DS code ERR899');
		expect(sleeps()).toEqual([500, 1000, 2000, 4000]);
	});

	it('retries a read after a connection reset', async () => {
		nock(TEST_BASE_URL)
			.get(GET_PATH)
			.replyWithError({ code: 'ECONNRESET', message: 'socket hang up' })
			.get(GET_PATH)
			.reply(200, getResult(leadRecord('HCRQ-F1LLDE')));
		await runNode({ parameters: get() });
	});

	it('names the network failure when it persists', async () => {
		nock(TEST_BASE_URL)
			.get(GET_PATH)
			.times(4)
			.replyWithError({ code: 'ETIMEDOUT', message: 'timeout' });
		const error = await runNode({ parameters: get() }).catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toContain('Could not reach the 3DS API');
		expect(error.description).toContain('ETIMEDOUT');
	});
});

describe('credential errors', () => {
	it('401: says the key is missing', async () => {
		nock(TEST_BASE_URL).get(GET_PATH).reply(401, { message: 'Missing API key in request' });
		const error = await runNode({ parameters: get() }).catch((e) => e);
		expect(error.message).toContain('the API key is missing');
		expect(error.failure).toEqual({ cause: 'credential-invalid' });
	});

	it('403: names the environment that refused the key', async () => {
		nock('https://apigw-ppt.3ds.com')
			.get(GET_PATH)
			.reply(403, { message: 'API Consumer Not allowed' });
		const error = await runNode({
			parameters: get(),
			credentials: testCredentials({ environment: 'partnerDevelopment' }),
		}).catch((e) => e);
		expect(error.message).toBe(
			'The API key was refused by the Partner Development environment (https://apigw-ppt.3ds.com) [item 0]',
		);
		expect(error.description).toMatch(
			/^Check that the key belongs to this environment and has the sales scope/,
		);
		expect(error.failure).toEqual({ cause: 'credential-invalid' });
	});

	it('refuses a custom base URL that is not http(s)', async () => {
		await expect(
			runNode({
				parameters: get(),
				credentials: testCredentials({ baseUrl: 'file:///etc/passwd' }),
			}),
		).rejects.toThrow('is not an http(s) URL');
	});
});

describe('hostile responses', () => {
	it('a proxy HTML page is an error naming the body, not a crash', async () => {
		nock(TEST_BASE_URL)
			.get(GET_PATH)
			.reply(502, '<html><body>Bad gateway</body></html>', { 'Content-Type': 'text/html' })
			.persist();
		const error = await runNode({ parameters: get() }).catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.description).toContain('Bad gateway');
		nock.cleanAll();
	});

	it('a 200 without the expected envelope is an error', async () => {
		nock(TEST_BASE_URL).get(GET_PATH).reply(200, { something: 'else' });
		await expect(runNode({ parameters: get() })).rejects.toThrow('unexpected shape');
	});

	it('a 200 with success false is an error', async () => {
		nock(TEST_BASE_URL)
			.get(GET_PATH)
			.reply(200, {
				data: null,
				info: { success: false, statusCode: 200 },
				error: { code: 'X1', message: 'nope' },
			});
		await expect(runNode({ parameters: get() })).rejects.toThrow(
			'The 3DS API answered that it could not get lead-opportunity "HCRQ-F1LLDE": nope [item 0]',
		);
	});

	it('unknown enum values in a record pass through', async () => {
		nock(TEST_BASE_URL)
			.get(GET_PATH)
			.reply(
				200,
				getResult(
					leadRecord('HCRQ-F1LLDE', {
						status: 'NEW_STATUS_2027',
						offerLines: [{ offerNameId: 'X', revenueType: 'ZxC' }],
					}),
				),
			);
		const [item] = await runNode({ parameters: get() });
		expect(item.json.status).toBe('NEW_STATUS_2027');
	});
});

describe('items', () => {
	it('continueOnFail turns a failed item into an error item with its pairedItem; the others go on', async () => {
		nock(TEST_BASE_URL)
			.get(`${API}/v1/leads-opportunities/A`)
			.reply(200, getResult(leadRecord('A')))
			.get(`${API}/v1/leads-opportunities/B`)
			.reply(500, errorBody(500, 'ERROR_048', 'Leverage Id not in scope of requestor'))
			.get(`${API}/v1/leads-opportunities/C`)
			.reply(200, getResult(leadRecord('C')));
		const output = await runNode({
			parameters: (i) => get(['A', 'B', 'C'][i]),
			items: [{ json: {} }, { json: {} }, { json: {} }],
			continueOnFail: true,
		});
		expect(output.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[1].json.error).toContain('"B" was not found or is not in your scope');
		expect(output[1].json.httpCode).toBe('500');
		expect(output[2].json.dsLeadOpportunityId).toBe('C');
	});

	it('without continueOnFail the first failure stops the node with its item index', async () => {
		const error = await runNode({
			parameters: (i) => get(['A', ''][i]),
			items: [{ json: {} }, { json: {} }],
		}).catch((e) => e);
		// item 0 has no interceptor: nock refuses it as a network error before item 1 is reached
		expect(error.context.itemIndex).toBe(0);
	});
});

describe('secrets', () => {
	it('the API key appears in no error or output', async () => {
		nock(TEST_BASE_URL)
			.get(GET_PATH)
			.reply(403, { message: 'API Consumer Not allowed' })
			.get(GET_PATH)
			.times(4)
			.replyWithError({ code: 'ECONNRESET', message: 'socket hang up' })
			.get(GET_PATH)
			.times(6)
			.reply(429, tooMany, quota(0, 60));
		for (let run = 0; run < 3; run++) {
			const error = await runNode({ parameters: get() }).catch((e) => e);
			expect(error).toBeInstanceOf(NodeApiError);
			expect(serialized(error)).not.toContain(TEST_API_KEY);
		}
		const output = await runNode({ parameters: get(), continueOnFail: true }).catch((e) => e);
		expect(JSON.stringify(output)).not.toContain(TEST_API_KEY);
	});
});

describe('credential', () => {
	const credential = new DassaultSalesApi();
	/** Evaluates the credential's test request the way n8n resolves its expressions. */
	const testRequestFor = (credentials: Record<string, string>) => {
		const expression = String(credential.test.request.baseURL)
			.replace(/^=\{\{/, '')
			.replace(/\}\}$/, '');
		const baseURL = new Function('$credentials', `return ${expression};`)(credentials) as string;
		return { ...credential.test.request, baseURL };
	};

	it.each([
		['production', 'https://apigw-prd.3ds.com'],
		['partnerDevelopment', 'https://apigw-ppt.3ds.com'],
		['qualityAssurance', 'https://apigw-qal.3ds.com'],
		['preProduction', 'https://apigw-ptd.3ds.com'],
		['postProduction', 'https://apigw-ppd.3ds.com'],
		['custom', 'http://127.0.0.1:4010'],
	])(
		'tests %s with GET portfolio-items/search?top=1 and the X-API-Key header',
		async (environment, url) => {
			const credentials = {
				apiKey: TEST_API_KEY,
				environment,
				baseUrl: 'http://127.0.0.1:4010/',
				partnerId: '',
			};
			const request = testRequestFor(credentials);
			expect(request.baseURL).toBe(url);
			nock(url, { reqheaders: { 'x-api-key': TEST_API_KEY } })
				.get(`${API}/v0/portfolio-items/search`)
				.query({ top: 1 })
				.reply(200, { data: [], info: {} });
			await n8nHttpRequest(
				{ ...request, method: 'GET', json: true } as IHttpRequestOptions,
				credentials,
				testNode,
			);
			expect(credential.authenticate.properties.headers).toEqual({
				'X-API-Key': '={{$credentials.apiKey}}',
			});
		},
	);
});

describe('dates', () => {
	it.each([
		['2025-06-01T18:46:51.326Z', '2025-06-01T18:46:51.326Z'],
		['2025-02-29T00:00:00.000Z', undefined],
		['2024-02-29T23:59:59.999Z', '2024-02-29T23:59:59.999Z'],
		['2025-06-01T24:00:00.000Z', undefined],
		['2025-06-01T20:46:51+02:00', '2025-06-01T18:46:51.000Z'],
		['2025-06-01', '2025-06-01T00:00:00.000Z'],
		['2025-06-01 18:46', '2025-06-01T18:46:00.000Z'],
		['01/06/2025', undefined],
		['1', undefined],
	])('reads %s as %s', async (input, expected) => {
		const { toUtcDateTime } = await import('../../nodes/DassaultSales/schemas/dates');
		expect(toUtcDateTime(input, 'UTC')).toBe(expected);
	});
});
