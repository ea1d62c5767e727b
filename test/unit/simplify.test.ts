// Simplify: the 10 flat fields of a lead-opportunity that Get, Search and the trigger give by
// default, and the AI tool's Output (Simplified / Raw / Selected Fields).
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import * as shared from '../../nodes/DassaultSales/shared';
import {
	SIMPLIFIED_FIELDS,
	selectLeadOpportunityFields,
	simplifyLeadOpportunity,
	totalAmount,
} from '../../nodes/DassaultSales/utils/simplify';
import { API, getResult, leadRecord, searchResult } from '../helpers/fixtures';
import { runNode, TEST_BASE_URL } from '../helpers/n8n';

const full = leadRecord('HCRQ-F1LLDE', {
	dsOwnerEmail: 'psm@3ds.com',
	offerLines: [
		{ offerNameId: 'A', amount: 0.1, revenueType: 'PxC' },
		{ offerNameId: 'B', amount: 0.2, revenueType: 'YxC' },
	],
	customerContact: [{ email: 'a@b.c' }],
	approvalStatus: 'PRE_APPROVED',
});

const SIMPLE = {
	dsLeadOpportunityId: 'HCRQ-F1LLDE',
	partnerLeadOpportunityId: 'OPPY-1004526',
	name: 'Transformation Project at NewCustomer',
	status: 'OPPY_OPEN',
	amount: 0.3,
	currency: 'EUR',
	closeDate: '2025-06-01T00:00:00.000Z',
	customerName: 'NEW CUSTOMER CORPORATION',
	dsOwnerEmail: 'psm@3ds.com',
	modifiedDate: '2025-06-02T10:00:00.000Z',
};

describe('simplifyLeadOpportunity', () => {
	it('gives 10 flat fields in the order of SIMPLIFIED_FIELDS, the offer lines summed', () => {
		const simple = simplifyLeadOpportunity(full);
		expect(simple).toEqual(SIMPLE);
		expect(Object.keys(simple)).toEqual([...SIMPLIFIED_FIELDS]);
		expect(Object.keys(simple).length).toBeLessThanOrEqual(10);
		for (const value of Object.values(simple))
			expect(typeof value === 'object' && value !== null).toBe(false);
	});

	it('gives null for what the record lacks, never undefined', () => {
		expect(simplifyLeadOpportunity({ dsLeadOpportunityId: 'X' })).toEqual(
			Object.fromEntries(
				SIMPLIFIED_FIELDS.map((f) => [f, f === 'dsLeadOpportunityId' ? 'X' : null]),
			),
		);
	});

	it('sums amounts in cents and ignores what is not a number', () => {
		expect(totalAmount([{ amount: 5490.1 }, { amount: 0.2 }, { amount: '7' }, null])).toBe(5490.3);
		expect(totalAmount([])).toBeNull();
		expect(totalAmount(undefined)).toBeNull();
	});

	it('is the one function the trigger reaches through shared.ts', () => {
		expect(shared.simplifyLeadOpportunity).toBe(simplifyLeadOpportunity);
	});

	it('Selected Fields keeps the 3DS id first and only fields the record has', () => {
		expect(
			selectLeadOpportunityFields(full, ['status', 'offerLines', 'nope', '__proto__']),
		).toEqual({
			dsLeadOpportunityId: 'HCRQ-F1LLDE',
			status: 'OPPY_OPEN',
			offerLines: full.offerLines,
		});
		expect(selectLeadOpportunityFields(full, [])).toEqual({ dsLeadOpportunityId: 'HCRQ-F1LLDE' });
	});
});

describe('Simplify and Output in Get and Search', () => {
	const GET = `${API}/v1/leads-opportunities/HCRQ-F1LLDE`;
	const get = (extra: IDataObject = {}) => ({
		resource: 'leadOpportunity',
		operation: 'get',
		apiVersion: 'v1',
		dsLeadOpportunityId: { __rl: true, mode: 'id', value: 'HCRQ-F1LLDE' },
		options: {},
		...extra,
	});

	it.each([
		['Simplify unset (on by default)', {}, SIMPLE],
		['Simplify on', { simplify: true }, SIMPLE],
		['Simplify off', { simplify: false }, full],
		['tool Output Simplified', { toolOutput: 'simplified' }, SIMPLE],
		['tool Output Raw', { toolOutput: 'raw' }, full],
		[
			'tool Output Selected Fields',
			{ toolOutput: 'selected', toolFields: ['forecastCategory', 'approvalStatus'] },
			{
				dsLeadOpportunityId: 'HCRQ-F1LLDE',
				forecastCategory: 'UPSIDE',
				approvalStatus: 'PRE_APPROVED',
			},
		],
	])('Get with %s', async (_, extra, expected) => {
		nock(TEST_BASE_URL).get(GET).reply(200, getResult(full));
		const [item] = await runNode({ parameters: get(extra) });
		expect(item.json).toEqual(expected);
	});

	it('Include Response Metadata still adds info and rateLimit to a simplified item', async () => {
		nock(TEST_BASE_URL).get(GET).reply(200, getResult(full));
		const [item] = await runNode({
			parameters: get({ options: { includeResponseMetadata: true } }),
		});
		expect(Object.keys(item.json)).toEqual([...SIMPLIFIED_FIELDS, 'info', 'rateLimit']);
	});

	it('Search gives simplified records by default, whole ones with Simplify off, ids with IDs Only', async () => {
		const search = (extra: IDataObject) => ({
			resource: 'leadOpportunity',
			operation: 'search',
			filters: { partnerLeadOpportunityIds: 'OPPY-1004526' },
			output: 'records',
			returnAll: true,
			options: {},
			...extra,
		});
		const reply = () =>
			nock(TEST_BASE_URL)
				.post(`${API}/v0/leads-opportunities/search`)
				.reply(200, searchResult('HCRQ-F1LLDE'))
				.get(GET)
				.reply(200, getResult(full));
		reply();
		expect((await runNode({ parameters: search({}) }))[0].json).toEqual(SIMPLE);
		reply();
		expect((await runNode({ parameters: search({ simplify: false }) }))[0].json).toEqual(full);
		nock(TEST_BASE_URL)
			.post(`${API}/v0/leads-opportunities/search`)
			.reply(200, searchResult('HCRQ-F1LLDE'));
		expect(
			(await runNode({ parameters: search({ output: 'ids', simplify: true }) }))[0].json,
		).toEqual({
			dsLeadOpportunityId: 'HCRQ-F1LLDE',
		});
	});
});
