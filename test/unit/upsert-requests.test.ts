/**
 * Create or Update with the fewest requests (issue 12): one search per chunk of partner ids, the
 * matches read once (mapping and comparison), POST for the new, PATCH only what differs, nothing
 * for the identical; Always Write; the chunk halving on 400/413/414; the ERR801 fallback. Every body
 * sent (the search with an array of ids, the PATCHes) is checked against the spec.
 */
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { UpsertLookup } from '../../nodes/DassaultSales/actions/leadOpportunity/upsertLookup';
import { DassaultSalesClient } from '../../nodes/DassaultSales/transport';
import {
	API,
	created,
	createParameters,
	errorBody,
	expectedCreateBody,
	getResult,
	leadRecord,
	searchResult,
	updated,
} from '../helpers/fixtures';
import { executeFunctions, runNode, TEST_BASE_URL, type SentRequest } from '../helpers/n8n';

const SEARCH = `${API}/v0/leads-opportunities/search`;
const path = (id: string) => `${API}/v1/leads-opportunities/${id}`;
const items = (n: number) => Array.from({ length: n }, () => ({ json: {} }));
const upsert = (partnerLeadOpportunityId: string, extra: Record<string, unknown> = {}) =>
	createParameters({ operation: 'upsert', partnerLeadOpportunityId, ...extra });

/** What 3DS stores for expectedCreateBody, in the forms its GET answers. */
const storedAsSent = (dsLeadOpportunityId: string, partnerLeadOpportunityId: string) => ({
	...leadRecord(dsLeadOpportunityId),
	partnerLeadOpportunityId,
	closeDate: expectedCreateBody.leadOpportunity.closeDate,
});

describe('Create or Update request counts', () => {
	it('new 1, changed 2, identical 1, plus one search for the chunk', async () => {
		const sent: SentRequest[] = [];
		nock(TEST_BASE_URL)
			.post(SEARCH, { data: [{ partnerLeadOpportunityId: ['P-NEW', 'P-CHANGED', 'P-SAME'] }] })
			.reply(200, searchResult('D-CHANGED', 'D-SAME'))
			.get(path('D-CHANGED'))
			.reply(200, getResult({ ...storedAsSent('D-CHANGED', 'P-CHANGED'), name: 'Old name' }))
			.get(path('D-SAME'))
			.reply(200, getResult(storedAsSent('D-SAME', 'P-SAME')))
			.post(path('').slice(0, -1))
			.reply(201, created('D-NEW', 'P-NEW'))
			.patch(path('D-CHANGED'))
			.reply(200, updated('D-CHANGED', 'P-CHANGED'));
		const output = await runNode({
			parameters: (i) => upsert(['P-NEW', 'P-CHANGED', 'P-SAME'][i]),
			items: items(3),
			sent,
		});
		expect(output.map((o) => o.json.action)).toEqual(['create', 'update', 'unchanged']);
		expect(output[1].json.changedFields).toEqual(['leadOpportunity.name']);
		expect(output[2].json).toEqual({
			dsLeadOpportunityId: 'D-SAME',
			partnerLeadOpportunityId: 'P-SAME',
			action: 'unchanged',
		});
		expect(sent).toHaveLength(5);
	});

	it('a chunk with one partner id needs no mapping: search, GET to compare, PATCH', async () => {
		const sent: SentRequest[] = [];
		nock(TEST_BASE_URL)
			.post(SEARCH, { data: [{ partnerLeadOpportunityId: ['OPPY-1004526'] }] })
			.reply(200, searchResult('D-1'))
			.get(path('D-1'))
			.reply(200, getResult(leadRecord('D-1', { name: 'Old name' })))
			.patch(path('D-1'), (body) => body.partnerId === expectedCreateBody.partnerId)
			.reply(200, updated('D-1'));
		const [item] = await runNode({ parameters: upsert('OPPY-1004526'), sent });
		expect(item.json.action).toBe('update');
		expect(sent.map((r) => r.method)).toEqual(['POST', 'GET', 'PATCH']);
	});

	it('Always Write: the matches found by a chunk are written whole, whatever they hold', async () => {
		nock(TEST_BASE_URL)
			.post(SEARCH, { data: [{ partnerLeadOpportunityId: ['OPPY-1004526', 'P-2'] }] })
			.reply(200, searchResult('D-1'))
			.get(path('D-1'))
			.reply(200, getResult(storedAsSent('D-1', 'OPPY-1004526')))
			.patch(path('D-1'), expectedCreateBody)
			.reply(200, updated('D-1'))
			.post(path('').slice(0, -1))
			.reply(201, created('D-2', 'P-2'));
		const output = await runNode({
			parameters: (i) => upsert(['OPPY-1004526', 'P-2'][i], { options: { alwaysWrite: true } }),
			items: items(2),
		});
		expect(output.map((o) => o.json.action)).toEqual(['update', 'create']);
	});

	it('searches 50 partner ids at a time, in input order', async () => {
		const ids = Array.from({ length: 120 }, (_, i) => `P-${i}`);
		const bodies: string[][] = [];
		nock(TEST_BASE_URL)
			.post(SEARCH, (body) => {
				bodies.push(body.data[0].partnerLeadOpportunityId);
				return true;
			})
			.times(3)
			.reply(200, searchResult())
			.post(path('').slice(0, -1))
			.times(120)
			.reply(201, (_uri, body) =>
				created(
					'D',
					(body as IDataObject & { leadOpportunity: IDataObject }).leadOpportunity
						.partnerLeadOpportunityId as string,
				),
			);
		const output = await runNode({ parameters: (i) => upsert(ids[i]), items: items(120) });
		expect(output.map((o) => o.json.partnerLeadOpportunityId)).toEqual(ids);
		expect(bodies.map((b) => b.length)).toEqual([50, 50, 20]);
		expect(bodies.flat()).toEqual(ids);
	});

	it('a lead created meanwhile (ERR801: the search did not see it yet) is updated, never created twice', async () => {
		nock(TEST_BASE_URL)
			.post(SEARCH)
			.reply(200, searchResult())
			.post(path('').slice(0, -1))
			.reply(
				400,
				errorBody(400, 'ERR801', 'Leverage with this Partner External ID already exists.'),
			)
			.post(SEARCH)
			.reply(200, searchResult('D-1'))
			.get(path('D-1'))
			.reply(200, getResult(leadRecord('D-1', { name: 'Other' })))
			.patch(path('D-1'))
			.reply(200, updated('D-1'));
		const [item] = await runNode({ parameters: upsert('OPPY-1004526') });
		expect(item.json).toMatchObject({ dsLeadOpportunityId: 'D-1', action: 'update' });
	});
});

describe('partner-id lookup chunks', () => {
	const lookupWith = (chunkSize: number) =>
		new UpsertLookup(
			new DassaultSalesClient(executeFunctions({ parameters: {} })),
			'v1',
			chunkSize,
		);

	it.each([400, 413, 414])(
		'halves a chunk the gateway answers %i, and keeps the smaller size for the execution',
		async (status) => {
			const lookup = lookupWith(4);
			const ids = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'];
			ids.forEach((id, i) => lookup.register(id, i));
			const searched: string[][] = [];
			nock(TEST_BASE_URL)
				.post(SEARCH, (body) => body.data[0].partnerLeadOpportunityId.length > 2)
				.reply(status, status === 400 ? errorBody(400, 'X', 'too many') : 'Too large')
				.post(SEARCH, (body) => {
					searched.push(body.data[0].partnerLeadOpportunityId);
					return true;
				})
				.times(4)
				.reply(200, searchResult());
			expect(await lookup.find('A')).toEqual([]);
			expect(lookup.chunkSize).toBe(2);
			expect(await lookup.find('E')).toEqual([]);
			expect(await lookup.find('G')).toEqual([]);
			expect(searched).toEqual([
				['A', 'B'],
				['C', 'D'],
				['E', 'F'],
				['G', 'H'],
			]);
		},
	);

	it('maps the matches of a chunk to their partner ids by reading them', async () => {
		const lookup = lookupWith(50);
		['A', 'B', 'C'].forEach((id, i) => lookup.register(id, i));
		lookup.allRegistered();
		nock(TEST_BASE_URL)
			.post(SEARCH)
			.reply(200, searchResult('D-C', 'D-A'))
			.get(path('D-A'))
			.reply(200, getResult(leadRecord('D-A', { partnerLeadOpportunityId: 'A' })))
			.get(path('D-C'))
			.reply(200, getResult(leadRecord('D-C', { partnerLeadOpportunityId: 'C' })));
		expect(await lookup.find('A')).toEqual(['D-A']);
		expect(await lookup.find('B')).toEqual([]);
		expect(await lookup.find('C')).toEqual(['D-C']);
		// The record is kept once, for the comparison, then read again (a write made it stale).
		expect(lookup.takeRecord('D-A')?.record.partnerLeadOpportunityId).toBe('A');
		expect(lookup.takeRecord('D-A')).toBeUndefined();
	});

	it('a single id that the gateway refuses fails its items with the error', async () => {
		const lookup = lookupWith(1);
		lookup.register('A', 0);
		nock(TEST_BASE_URL)
			.post(SEARCH)
			.reply(400, errorBody(400, 'X', 'refused'));
		await expect(lookup.find('A')).rejects.toThrow('refused');
	});
});
