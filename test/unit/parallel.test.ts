/**
 * Items in parallel (issue 12): output order and pairedItem as the input's whatever finishes first,
 * items of one lead-opportunity in input order, and the failure semantics with and without
 * Continue On Fail. Every body sent is checked against the spec (test/helpers/contract.ts).
 */
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import {
	API,
	created,
	createParameters,
	errorBody,
	getResult,
	leadRecord,
	searchResult,
	updated,
} from '../helpers/fixtures';
import { runNode, TEST_BASE_URL, type SentRequest } from '../helpers/n8n';

const get = (id: string, options: IDataObject = {}) => ({
	resource: 'leadOpportunity',
	operation: 'get',
	apiVersion: 'v1',
	dsLeadOpportunityId: id,
	options,
});
const items = (n: number) => Array.from({ length: n }, () => ({ json: {} }));
const path = (id: string) => `${API}/v1/leads-opportunities/${id}`;

describe('items in parallel', () => {
	it('keeps the input order and pairedItem when later items answer first', async () => {
		const ids = ['A', 'B', 'C', 'D', 'E', 'F'];
		for (const [i, id] of ids.entries())
			nock(TEST_BASE_URL)
				.get(path(id))
				.delay(60 - i * 10)
				.reply(200, getResult(leadRecord(id)));
		const output = await runNode({
			parameters: (i) => get(ids[i], { concurrency: 6 }),
			items: items(ids.length),
		});
		expect(output.map((o) => o.json.dsLeadOpportunityId)).toEqual(ids);
		expect(output.map((o) => o.pairedItem)).toEqual(ids.map((_, item) => ({ item })));
	});

	it('runs items of the same 3DS id one after the other, in input order', async () => {
		const log: string[] = [];
		const update = (name: string) => ({
			resource: 'leadOpportunity',
			operation: 'update',
			apiVersion: 'v1',
			dsLeadOpportunityId: 'SAME',
			inputMode: 'json',
			jsonBody: { leadOpportunity: { partnerLeadOpportunityId: 'P-1', name } },
			options: { concurrency: 4 },
		});
		const scope = nock(TEST_BASE_URL);
		for (const [i, name] of ['first', 'second', 'third'].entries())
			scope
				.patch(path('SAME'), (body) => body.leadOpportunity.name === name)
				.delay(40 - i * 15)
				.reply(200, () => {
					log.push(name);
					return updated('SAME', 'P-1');
				});
		await runNode({ parameters: (i) => update(['first', 'second', 'third'][i]), items: items(3) });
		// The last item wins although the earlier ones were slower.
		expect(log).toEqual(['first', 'second', 'third']);
	});

	it('two new items with one partner id create it once, then update it', async () => {
		const sent: SentRequest[] = [];
		nock(TEST_BASE_URL)
			.post(`${API}/v0/leads-opportunities/search`, {
				data: [{ partnerLeadOpportunityId: ['OPPY-1004526'] }],
			})
			.reply(200, searchResult())
			.post(`${API}/v1/leads-opportunities`)
			.delay(30)
			.reply(201, created('NEW-1'))
			.get(path('NEW-1'))
			.reply(200, getResult(leadRecord('NEW-1', { name: 'Stored name' })))
			.patch(path('NEW-1'))
			.reply(200, updated('NEW-1'));
		const output = await runNode({
			parameters: (i) =>
				createParameters({ operation: 'upsert', name: ['First name', 'Second name'][i] }),
			items: items(2),
			sent,
		});
		expect(output.map((o) => o.json.action)).toEqual(['create', 'update']);
		expect(sent.map((r) => r.method)).toEqual(['POST', 'POST', 'GET', 'PATCH']);
		expect((sent[3].body as IDataObject).leadOpportunity).toMatchObject({ name: 'Second name' });
	});
});

describe('failure semantics in parallel', () => {
	const notFound = errorBody(500, 'ERROR_048', 'Leverage Id not in scope of requestor');

	it('without Continue On Fail: the first failed item in input order fails the node; later items are not sent', async () => {
		const sent: SentRequest[] = [];
		nock(TEST_BASE_URL)
			.get(path('A'))
			.delay(50)
			.reply(200, getResult(leadRecord('A')))
			// B fails late, C fails at once: B is the first in input order.
			.get(path('B'))
			.delay(50)
			.reply(500, notFound)
			.get(path('C'))
			.reply(500, notFound);
		const error = await runNode({
			parameters: (i) => get(['A', 'B', 'C', 'D', 'E'][i], { concurrency: 3 }),
			items: items(5),
			sent,
		}).catch((e) => e);
		expect(error.message).toContain('Lead-opportunity "B" was not found or is not in your scope');
		expect(error.context.itemIndex).toBe(1);
		// A, B and C were in flight when C failed; D and E had not started: never sent.
		expect(sent.map((r) => r.url.split('/').pop())).toEqual(['A', 'B', 'C']);
	});

	it('without Continue On Fail: items in flight when another fails still finish', async () => {
		let slowFinished = false;
		nock(TEST_BASE_URL)
			.get(path('SLOW'))
			.delay(60)
			.reply(200, () => {
				slowFinished = true;
				return getResult(leadRecord('SLOW'));
			})
			.get(path('BAD'))
			.reply(500, notFound);
		const error = await runNode({
			parameters: (i) => get(['SLOW', 'BAD', 'NEVER'][i], { concurrency: 2 }),
			items: items(3),
		}).catch((e) => e);
		expect(error.context.itemIndex).toBe(1);
		expect(slowFinished).toBe(true);
	});

	it('bad input of an item fails at its turn, after the earlier items were sent', async () => {
		const sent: SentRequest[] = [];
		nock(TEST_BASE_URL)
			.get(path('A'))
			.reply(200, getResult(leadRecord('A')));
		const error = await runNode({
			parameters: (i) => get(['A', '', 'C'][i], { concurrency: 1 }),
			items: items(3),
			sent,
		}).catch((e) => e);
		expect(error.message).toContain('3DS Lead-Opportunity ID');
		expect(error.context.itemIndex).toBe(1);
		expect(sent).toHaveLength(1);
	});

	it('with Continue On Fail: every item runs, failures become error items in place', async () => {
		nock(TEST_BASE_URL)
			.get(path('A'))
			.delay(30)
			.reply(200, getResult(leadRecord('A')))
			.get(path('B'))
			.reply(500, notFound)
			.get(path('C'))
			.reply(200, getResult(leadRecord('C')));
		const output = await runNode({
			parameters: (i) => get(['A', 'B', 'C'][i]),
			items: items(3),
			continueOnFail: true,
		});
		expect(output.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[0].json.dsLeadOpportunityId).toBe('A');
		expect(output[1].json.error).toContain('"B" was not found or is not in your scope');
		expect(output[2].json.dsLeadOpportunityId).toBe('C');
	});
});
