/**
 * Our schemas against the spec fixture: the enums are the spec's, the spec's own request examples
 * pass our zod schemas (but for its PATCH examples, which lack the partnerId the spec requires),
 * and every body our schemas accept for the node's scenarios validates against the spec.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import nock from 'nock';
import { parse } from 'yaml';

import * as enums from '../../nodes/DassaultSales/schemas/enums';
import { createBody, searchBody, updateBody } from '../../nodes/DassaultSales/schemas';
import { assertRequestMatchesSpec, checkedBodies } from '../helpers/contract';
import {
	API,
	created,
	createParameters,
	getResult,
	leadRecord,
	searchResult,
	updated,
} from '../helpers/fixtures';
import { n8nHttpRequest, runNode, TEST_BASE_URL, testCredentials, testNode } from '../helpers/n8n';

const spec = parse(
	readFileSync(resolve(__dirname, '../fixtures/dassault-sales-api4partners-2.0.0.yaml'), 'utf8'),
);
const schemas = spec.components.schemas;
const examples = spec.components.examples;

describe('enums', () => {
	it.each([
		['lead-opportunity-status', enums.LEAD_OPPORTUNITY_STATUS],
		['forecastCategory', enums.FORECAST_CATEGORY],
		['reason_won', enums.REASON_WON],
		['reason_lost', enums.REASON_LOST],
		['revenueType', enums.REVENUE_TYPE_V1],
		['revenueType_deprecated_v0', enums.REVENUE_TYPE_V0],
		['revenueType_get', enums.REVENUE_TYPE_V1_GET],
	])('%s has the values and descriptions of the spec', (name, record) => {
		expect(Object.keys(record)).toEqual(schemas[name].enum);
		const described = Object.fromEntries(
			Object.entries(schemas[name]['x-enumDescriptions'] as Record<string, string>).map(
				([k, v]) => [k, v.trim().replace(/\s+/g, ' ')],
			),
		);
		// LONGSHOT's text is garbled in the spec; we keep its meaning (see enums.ts).
		const ours = { ...record } as Record<string, string>;
		if ('LONGSHOT' in ours) ours.LONGSHOT = described.LONGSHOT;
		expect(ours).toEqual(described);
	});
});

/**
 * An example with its day fields as our schemas send them: the spec's examples give close and
 * milestone dates as instants (`2025-06-01T18:46:51.326Z`), and a day goes as midnight UTC of it.
 */
const asDays = (body: { leadOpportunity: Record<string, unknown> }) => {
	const lead = { ...body.leadOpportunity };
	for (const key of ['closeDate', 'nextMilestoneDate'])
		if (typeof lead[key] === 'string')
			lead[key] = `${(lead[key] as string).slice(0, 10)}T00:00:00.000Z`;
	return { ...body, leadOpportunity: lead };
};

describe("the spec's own examples", () => {
	it.each([
		['post_leads-opportunities_lead', 'v1'],
		['post_leads-opportunities_oppy', 'v1'],
		['post_leads-opportunities_lead_deprecated_v0', 'v0'],
		['post_leads-opportunities_oppy_deprecated_v0', 'v0'],
	] as const)(
		'create example %s passes our %s schema, its days as midnight UTC of their day',
		(name, version) => {
			const value = examples[name].value;
			const parsed = createBody(version).parse(value);
			expect(parsed).toEqual(asDays(value));
			assertRequestMatchesSpec('POST', `${API}/${version}/leads-opportunities`, parsed);
		},
	);

	it.each(['patch_update-lead_status', 'patch_update-lead_nextMilestone'])(
		'PATCH example %s passes once it has the partnerId the spec requires (docs/api-notes.md A.1)',
		(name) => {
			const value = examples[name].value;
			expect(updateBody('v1').safeParse(value).success).toBe(false);
			const parsed = updateBody('v1').parse({ ...value, partnerId: '200000000014442' });
			expect(parsed).toEqual(asDays({ ...value, partnerId: '200000000014442' }));
			assertRequestMatchesSpec('PATCH', `${API}/v1/leads-opportunities/HCRQ-F1LLDE`, parsed);
		},
	);

	it('the combined search example passes', () => {
		const body = {
			data: [
				{ modifiedDate: { fromDate: '2024-08-01T14:30:00Z', toDate: '2024-08-08T08:30:00Z' } },
				{ partnerLeadOpportunityId: '' },
			],
		};
		expect(searchBody.parse(body).data).toHaveLength(2);
		expect(() =>
			assertRequestMatchesSpec(
				'POST',
				`${API}/v0/leads-opportunities/search`,
				searchBody.parse(body),
			),
		).not.toThrow();
	});
});

describe('request bodies the node builds', () => {
	// nock patches the http module the whole jest worker shares: give it back when done.
	beforeAll(() => {
		if (!nock.isActive()) nock.activate();
		nock.disableNetConnect();
	});
	afterEach(() => nock.cleanAll());
	afterAll(() => {
		nock.enableNetConnect();
		nock.restore();
	});

	it('the check is live: a body missing what the spec requires is refused before it is sent', async () => {
		await expect(
			n8nHttpRequest(
				{
					method: 'POST',
					baseURL: TEST_BASE_URL,
					url: `${API}/v1/leads-opportunities`,
					body: { leadOpportunity: {} },
					json: true,
				},
				testCredentials(),
				testNode,
			),
		).rejects.toThrow(
			/Contract violation: the body sent to createLeadsOpportunities_v1 breaks the spec: \/ must have required property/,
		);
	});

	it('every create, update and search body of the scenarios validates against the spec', async () => {
		checkedBodies.length = 0;
		nock(TEST_BASE_URL)
			.persist()
			.post(`${API}/v1/leads-opportunities`)
			.reply(201, created('5ZOQ-LF35OK'))
			.post(`${API}/v0/leads-opportunities`)
			.reply(201, created('5ZOQ-LF35OK'))
			.patch(/leads-opportunities\/.+/)
			.reply(200, updated('5ZOQ-LF35OK'))
			.post(`${API}/v0/leads-opportunities/search`)
			.reply(200, searchResult('5ZOQ-LF35OK'))
			// Create or Update reads what 3DS holds before writing what differs.
			.get(/leads-opportunities\/.+/)
			.reply(200, getResult(leadRecord('5ZOQ-LF35OK', { name: 'Another name' })));
		const full = createParameters({
			additionalFields: {
				dsOwnerEmail: 'a@b.com',
				forecastCategory: 'SAFE',
				reasonWon: ['PRTNR_SKILL_&_EXPRT'],
				reasonLost: ['EMPTY'],
				competitors: 'X',
				nextMilestoneDate: '2025-01-01',
			},
			offerLines: {
				offerLine: [
					{
						offerNameId: 'A',
						amount: 1.5,
						revenueType: 'QxC',
						startDate: '2025-01-01',
						endDate: '2025-03-31',
					},
				],
			},
			customerDetails: { id: '200000000029188', dunsNumber: '266257315' },
			customerContacts: { contact: [{ email: 'a@b.com', firstName: 'A', lastName: 'B' }] },
			partnerContacts: {
				contact: [{ salesRepEmail: 'c@d.com', salesRepFirstName: 'C', salesRepLastName: 'D' }],
			},
		});
		await runNode({ parameters: full });
		await runNode({ parameters: { ...full, operation: 'upsert' } });
		const v0 = createParameters({ apiVersion: 'v0' });
		(v0.offerLines as any).offerLine[0].revenueTypeV0 = 'SERVICES_SIGNING';
		await runNode({ parameters: v0 });
		await runNode({
			parameters: {
				resource: 'leadOpportunity',
				operation: 'update',
				apiVersion: 'v1',
				dsLeadOpportunityId: 'X',
				inputMode: 'fields',
				partnerLeadOpportunityId: 'P',
				updateFields: { status: 'WON' },
				customer: { name: 'N', city: 'C', country: 'FR' },
			},
		});
		await runNode({
			parameters: {
				resource: 'leadOpportunity',
				operation: 'search',
				filters: {
					modifiedAfter: '2025-01-01T00:00:00Z',
					modifiedBefore: '2025-01-20T00:00:00Z',
					partnerLeadOpportunityIds: 'A,B',
				},
				output: 'ids',
				returnAll: true,
			},
		});
		const operations = checkedBodies.map((c) => c.operationId);
		expect(new Set(operations)).toEqual(
			new Set([
				'createLeadsOpportunities_v1',
				'createLeadsOpportunities',
				'updateLeadOpportunitiesDetails_v1',
				'searchLeadsOpportunities',
			]),
		);
		expect(checkedBodies.length).toBeGreaterThanOrEqual(8);
	});

	it('a dry run sends no create or update body, and the bodies it reports are ones the spec takes', async () => {
		checkedBodies.length = 0;
		nock(TEST_BASE_URL)
			.persist()
			.post(`${API}/v0/leads-opportunities/search`)
			.reply(200, (_uri, body) =>
				// The first chunk finds its lead, so the upserts exercise both create and update.
				searchResult(...(JSON.stringify(body).includes('OPPY-1004526') ? ['5ZOQ-LF35OK'] : [])),
			)
			.get(/leads-opportunities\/.+/)
			.reply(200, getResult(leadRecord('5ZOQ-LF35OK', { name: 'Another name' })));
		const dryRun = { options: { dryRun: true } };
		const outputs = [
			...(await runNode({
				parameters: createParameters({ partnerLeadOpportunityId: 'NEW', ...dryRun }),
			})),
			...(await runNode({
				parameters: (i) =>
					createParameters({
						operation: 'upsert',
						partnerLeadOpportunityId: ['OPPY-1004526', 'NEW'][i],
						...dryRun,
					}),
				items: [{ json: {} }, { json: {} }],
			})),
			...(await runNode({
				parameters: {
					resource: 'leadOpportunity',
					operation: 'update',
					apiVersion: 'v1',
					dsLeadOpportunityId: '5ZOQ-LF35OK',
					inputMode: 'fields',
					partnerLeadOpportunityId: 'OPPY-1004526',
					updateFields: { status: 'WON' },
					...dryRun,
				},
			})),
		];
		expect(outputs.map((o) => o.json.action)).toEqual([
			'wouldCreate',
			'wouldUpdate',
			'wouldCreate',
			'wouldUpdate',
		]);
		// The contract layer saw the searches only: no body went to a create or an update (nor
		// could one: no create or update is mocked, and the network is closed).
		expect(new Set(checkedBodies.map((c) => c.operationId))).toEqual(
			new Set(['searchLeadsOpportunities']),
		);
		for (const { json } of outputs) {
			const method = json.action === 'wouldCreate' ? 'POST' : 'PATCH';
			const url = `${API}/v1/leads-opportunities${method === 'PATCH' ? '/5ZOQ-LF35OK' : ''}`;
			expect(assertRequestMatchesSpec(method, url, json.body)).toMatch(/_v1$/);
		}
	});
});
