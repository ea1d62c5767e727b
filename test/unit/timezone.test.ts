/**
 * The workflow's time zone through the nodes: what 3DS receives for each date field when the
 * workflow runs in Asia/Tokyo or America/Los_Angeles (the three rows of issue 20, and the rest),
 * in fields and JSON mode, and that a date no zone can read is an error before anything is sent.
 */
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { API, createParameters, created, searchResult } from '../helpers/fixtures';
import { runNode, TEST_BASE_URL } from '../helpers/n8n';
import { FakeLeadsApi, pollAt, pollFunctions } from '../helpers/poll';

/** Runs Create with `overrides` in `timezone` and returns the body 3DS received. */
async function createdBody(timezone: string, overrides: Record<string, unknown>) {
	let body: any;
	const scope = nock(TEST_BASE_URL)
		.post(`${API}/v1/leads-opportunities`, (b) => ((body = b), true))
		.reply(201, created('5ZOQ-LF35OK'));
	await runNode({ parameters: createParameters(overrides), timezone });
	scope.done();
	return body;
}

const datedLine = (startDate: unknown, endDate: unknown) => ({
	offerLines: {
		offerLine: [{ offerNameId: 'A', amount: 1, revenueType: 'YxC', startDate, endDate }],
	},
});

describe('Search: Modified After/Before are read in the workflow time zone', () => {
	it('a picked 2026-11-20 09:00 in Tokyo searches from 2026-11-20T00:00:00.000Z', async () => {
		const bodies: any[] = [];
		nock(TEST_BASE_URL)
			.post(`${API}/v0/leads-opportunities/search`, (b) => (bodies.push(b), true))
			.reply(200, searchResult());
		await runNode({
			timezone: 'Asia/Tokyo',
			parameters: {
				resource: 'leadOpportunity',
				operation: 'search',
				output: 'ids',
				returnAll: true,
				options: {},
				filters: { modifiedAfter: '2026-11-20T09:00:00', modifiedBefore: '2026-11-21T09:00:00' },
			},
		});
		expect(bodies.map((b) => b.data[0].modifiedDate)).toEqual([
			{ fromDate: '2026-11-20T00:00:00.000Z', toDate: '2026-11-21T00:00:00.000Z' },
		]);
	});

	it('a bound with an offset keeps its instant, whatever the zone', async () => {
		const bodies: any[] = [];
		nock(TEST_BASE_URL)
			.post(`${API}/v0/leads-opportunities/search`, (b) => (bodies.push(b), true))
			.reply(200, searchResult());
		await runNode({
			timezone: 'America/Los_Angeles',
			parameters: {
				resource: 'leadOpportunity',
				operation: 'search',
				output: 'ids',
				returnAll: true,
				options: {},
				filters: {
					modifiedAfter: '2026-11-20T09:00:00+09:00',
					modifiedBefore: Date.parse('2026-11-21T00:00:00Z'),
				},
			},
		});
		expect(bodies[0].data[0].modifiedDate).toEqual({
			fromDate: '2026-11-20T00:00:00.000Z',
			toDate: '2026-11-21T00:00:00.000Z',
		});
	});
});

describe('Create: days are sent as the calendar day in the workflow time zone', () => {
	it('a CRM instant 2026-12-30T15:00:00.000Z (31 Dec 00:00 in Tokyo) is the day 2026-12-31', async () => {
		const body = await createdBody('Asia/Tokyo', {
			closeDate: '2026-12-30T15:00:00.000Z',
			additionalFields: { nextMilestoneDate: '2026-12-30T15:00:00.000Z' },
		});
		expect(body.leadOpportunity.closeDate).toBe('2026-12-31T00:00:00.000Z');
		expect(body.leadOpportunity.nextMilestoneDate).toBe('2026-12-31T00:00:00.000Z');
	});

	it.each([
		['the date picker (date only)', '2026-12-31', '2026-12-31'],
		['a zoneless date-time late in the day', '2026-12-31T23:30:00', '2026-12-31'],
		['an evening instant in Los Angeles', '2027-01-01T03:00:00.000Z', '2026-12-31'],
		[
			"3DS's own midnight UTC (a Get → Update round trip)",
			'2026-12-31T00:00:00.000Z',
			'2026-12-31',
		],
		['epoch ms (number)', Date.parse('2026-12-31T08:00:00Z'), '2026-12-31'],
		['epoch ms (numeric string)', String(Date.parse('2026-12-31T00:00:00Z')), '2026-12-31'],
		['a Date', new Date('2027-01-01T03:00:00.000Z'), '2026-12-31'],
	])('in Los Angeles, %s (%p) is the day %s', async (_, value, day) => {
		const body = await createdBody('America/Los_Angeles', { closeDate: value });
		expect(body.leadOpportunity.closeDate).toBe(`${day}T00:00:00.000Z`);
	});

	it('offer line start and end dates are sent as YYYY-MM-DD days of the workflow zone', async () => {
		const body = await createdBody(
			'Asia/Tokyo',
			datedLine('2026-12-31T15:00:00Z', '2027-12-31T23:00:00'),
		);
		expect(body.offerLines).toEqual([
			{
				offerNameId: 'A',
				amount: 1,
				revenueType: 'YxC',
				startDate: '2027-01-01',
				endDate: '2027-12-31',
			},
		]);
	});

	it('a JSON body is read the same way, and the object given is left as it was', async () => {
		const jsonBody: IDataObject = {
			leadOpportunity: {
				partnerLeadOpportunityId: 'OPPY-1',
				name: 'JSON',
				status: 'LEAD_OPEN',
				closeDate: '2026-12-30T15:00:00.000Z',
				currency: 'EUR',
			},
			offerLines: [{ offerNameId: 'A', revenueType: 'QxC', startDate: '2026-12-30T15:00:00.000Z' }],
			customerLegalEntity: { name: 'ACME', city: 'Lyon', country: 'France' },
		};
		const given = structuredClone(jsonBody);
		const body = await createdBody('Asia/Tokyo', { inputMode: 'json', jsonBody });
		expect(body.leadOpportunity.closeDate).toBe('2026-12-31T00:00:00.000Z');
		expect(body.offerLines[0].startDate).toBe('2026-12-31');
		expect(jsonBody).toEqual(given);
	});
});

describe('a date no zone can read is an error naming the field, the item and the forms', () => {
	it.each([
		['Close Date (leadOpportunity.closeDate)', { closeDate: '31/12/2026' }],
		['Close Date (leadOpportunity.closeDate)', { closeDate: 'March 7' }],
		['Close Date (leadOpportunity.closeDate)', { closeDate: '1' }],
		[
			'Next Milestone Date (leadOpportunity.nextMilestoneDate)',
			{ additionalFields: { nextMilestoneDate: '2026' } },
		],
		['Start Date (offerLines[0].startDate)', datedLine('next monday', '2027-01-01')],
	])('%s: %j', async (label, overrides) => {
		// Both items hold the bad date; under Continue On Fail each becomes an error item naming it.
		const output = await runNode({
			timezone: 'Asia/Tokyo',
			items: [{ json: {} }, { json: {} }],
			continueOnFail: true,
			parameters: createParameters(overrides),
		});
		expect(output).toHaveLength(2);
		for (const [itemIndex, item] of output.entries()) {
			const message = String(item.json.error);
			expect(message).toContain(`Invalid lead-opportunity in item ${itemIndex}`);
			expect(message).toContain(`${label} must be a day:`);
			expect(message).toContain("2026-11-20T09:00, read in the workflow's time zone");
			expect(message).toContain('milliseconds since the epoch');
			expect(String(item.json.description)).toContain('Nothing was sent to 3DS');
		}
		// No request was made (nock refuses any unmocked one, which would be a network error item).
		expect(nock.pendingMocks()).toEqual([]);
	});
});

describe('Trigger: Start From a date and time', () => {
	const T0 = Date.parse('2026-11-21T00:00:00.000Z');

	it('reads a picked local time in the workflow time zone, and starts there', async () => {
		const staticData: IDataObject = {};
		const ctx = pollFunctions({
			timezone: 'Asia/Tokyo',
			staticData,
			parameters: {
				event: 'leadOpportunityUpdated',
				options: { startFrom: 'dateTime', startFromDateTime: '2026-11-20T09:00:00' },
			},
		});
		const api = new FakeLeadsApi(TEST_BASE_URL, API);
		// 08:59 and 09:01 Tokyo time.
		api.put('BEFORE', '2026-11-19T23:59:00.000Z');
		api.put('AFTER', '2026-11-20T00:01:00.000Z');
		const output = await pollAt(ctx, { now: () => T0 });
		expect((output?.[0] ?? []).map((item) => item.json.dsLeadOpportunityId)).toEqual(['AFTER']);
		expect(api.searches()[0].detail).toBe('2026-11-20T00:00:00.000Z..2026-11-21T00:00:00.000Z');
		expect(staticData.cursor).toBe('2026-11-21T00:00:00.000Z');
	});

	it('refuses a start that is not a date and time, naming the option', async () => {
		const ctx = pollFunctions({
			timezone: 'Asia/Tokyo',
			parameters: {
				event: 'leadOpportunityUpdated',
				options: { startFrom: 'dateTime', startFromDateTime: 'yesterday' },
			},
		});
		await expect(pollAt(ctx, { now: () => T0 })).rejects.toThrow(
			'Start From Date and Time must be a date and time',
		);
	});
});
