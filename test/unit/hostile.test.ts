/**
 * Hostile responses: what a proxy, a truncated answer or a changed API can send back. The node
 * answers with a clear error or reads what it can; it never crashes and never drops an item.
 */
import nock from 'nock';
import { NodeApiError } from 'n8n-workflow';

import { API, getResult, leadRecord, searchResult } from '../helpers/fixtures';
import { runNode, TEST_BASE_URL } from '../helpers/n8n';

const get = {
	resource: 'leadOpportunity',
	operation: 'get',
	apiVersion: 'v1',
	dsLeadOpportunityId: 'A',
	// Whole records: these tests check what passes through untouched.
	simplify: false,
	options: {},
};
const GET_A = `${API}/v1/leads-opportunities/A`;

describe('hostile responses', () => {
	it.each([
		[
			'truncated JSON',
			200,
			'{"data": {"leadOpportunity": {"name": "x"',
			{ 'Content-Type': 'application/json' },
			'not a JSON object',
		],
		[
			'an HTML page with status 200',
			200,
			'<!doctype html><title>Login</title>',
			{ 'Content-Type': 'text/html' },
			'not a JSON object',
		],
		['an empty 200', 200, '', {}, 'unexpected shape'],
		['a JSON array', 200, '[1,2,3]', { 'Content-Type': 'application/json' }, 'not a JSON object'],
		[
			'an error envelope without its parts',
			400,
			'{}',
			{ 'Content-Type': 'application/json' },
			'could not get lead-opportunity "A" (HTTP 400)',
		],
		[
			'a gateway 401 in plain text',
			401,
			'Unauthorized',
			{ 'Content-Type': 'text/plain' },
			'the API key is missing',
		],
		[
			'an unknown status',
			418,
			'{"message":"teapot"}',
			{ 'Content-Type': 'application/json' },
			'(HTTP 418): teapot',
		],
	])('%s is a clear NodeApiError', async (_case, status, body, headers, message) => {
		nock(TEST_BASE_URL).get(GET_A).reply(status, body, headers);
		const error = await runNode({ parameters: get }).catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toContain(message);
		expect(error.context.itemIndex).toBe(0);
	});

	it('a huge response is read, and a huge error body is cut in the message', async () => {
		const big = leadRecord('A', {
			description: 'x'.repeat(2_000_000),
			competitors: Array.from({ length: 10_000 }, (_, i) => `C${i}`),
		});
		nock(TEST_BASE_URL).get(GET_A).reply(200, getResult(big));
		const [item] = await runNode({ parameters: get });
		expect((item.json.description as string).length).toBe(2_000_000);
		nock(TEST_BASE_URL)
			.get(GET_A)
			.reply(400, { error: { code: 'X', message: 'y'.repeat(100_000) } });
		const error = await runNode({ parameters: get }).catch((e) => e);
		expect(error.message.length).toBeLessThan(1000);
		expect(error.description).toContain('(100000 characters)');
	});

	it('search groups with a null id list are read as empty, not a crash', async () => {
		nock(TEST_BASE_URL)
			.post(`${API}/v0/leads-opportunities/search`)
			.reply(200, {
				data: [{ dsLeadOpportunityId: null }, { dsLeadOpportunityId: ['B'] }],
				info: { success: true },
			});
		const output = await runNode({
			parameters: {
				resource: 'leadOpportunity',
				operation: 'search',
				filters: { partnerLeadOpportunityIds: 'P' },
				output: 'ids',
				returnAll: true,
				options: {},
			},
		});
		expect(output.map((o) => o.json.dsLeadOpportunityId)).toEqual(['B']);
	});

	it('a search answer with ids of the wrong type is an error, not silently fewer items', async () => {
		nock(TEST_BASE_URL)
			.post(`${API}/v0/leads-opportunities/search`)
			.reply(200, { data: [{ dsLeadOpportunityId: [1, 2] }], info: {} });
		await expect(
			runNode({
				parameters: {
					resource: 'leadOpportunity',
					operation: 'search',
					filters: { partnerLeadOpportunityIds: 'P' },
					output: 'ids',
					returnAll: true,
					options: {},
				},
			}),
		).rejects.toThrow('unexpected shape');
	});

	it('a record with extra fields and unknown enum values passes through whole', async () => {
		const record = leadRecord('A', {
			status: 'PARKED',
			forecastCategory: 'MAYBE',
			newField2027: { nested: true },
		});
		nock(TEST_BASE_URL)
			.get(GET_A)
			.reply(200, { ...getResult(record), extraEnvelope: 1 });
		const [item] = await runNode({ parameters: get });
		expect(item.json).toEqual(record);
	});

	it('with continueOnFail a hostile answer becomes an error item in place', async () => {
		// One operation per node run (resource and operation take no expression): two searches,
		// the first answered by a hostile proxy page.
		nock(TEST_BASE_URL)
			.post(
				`${API}/v0/leads-opportunities/search`,
				(body) => body.data[0].partnerLeadOpportunityId[0] === 'P0',
			)
			.reply(200, '<html>', { 'Content-Type': 'text/html' })
			.post(
				`${API}/v0/leads-opportunities/search`,
				(body) => body.data[0].partnerLeadOpportunityId[0] === 'P1',
			)
			.reply(200, searchResult('Z'));
		const output = await runNode({
			parameters: (i) => ({
				resource: 'leadOpportunity',
				operation: 'search',
				filters: { partnerLeadOpportunityIds: `P${i}` },
				output: 'ids',
				returnAll: true,
				options: {},
			}),
			items: [{ json: {} }, { json: {} }],
			continueOnFail: true,
		});
		expect(output.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(output[0].json.error).toContain('not a JSON object');
		expect(output[1].json).toEqual({ dsLeadOpportunityId: 'Z' });
	});
});
