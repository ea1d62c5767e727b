import nock from 'nock';

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
import { runNode, TEST_BASE_URL } from '../helpers/n8n';

const lead = (operation: string, parameters: Record<string, unknown> = {}) => ({
	resource: 'leadOpportunity',
	operation,
	apiVersion: 'v1',
	options: {},
	...parameters,
});

describe('lead-opportunity get', () => {
	it.each(['v1', 'v0'])('GETs %s by 3DS id and outputs the record (Simplify off)', async (version) => {
		const record = leadRecord('HCRQ-F1LLDE');
		nock(TEST_BASE_URL)
			.get(`${API}/${version}/leads-opportunities/HCRQ-F1LLDE`)
			.reply(200, getResult(record));
		const output = await runNode({
			parameters: lead('get', {
				apiVersion: version,
				dsLeadOpportunityId: ' HCRQ-F1LLDE ',
				simplify: false,
			}),
		});
		expect(output).toEqual([{ json: record, pairedItem: { item: 0 } }]);
	});

	it('adds the info block and rate-limit headers on request', async () => {
		nock(TEST_BASE_URL)
			.get(`${API}/v1/leads-opportunities/HCRQ-F1LLDE`)
			.reply(200, getResult(leadRecord('HCRQ-F1LLDE')), {
				'X-RateLimit-Limit': '100',
				'X-RateLimit-Remaining': '42',
				'X-RateLimit-Reset': '27',
			});
		const [item] = await runNode({
			parameters: lead('get', {
				dsLeadOpportunityId: 'HCRQ-F1LLDE',
				options: { includeResponseMetadata: true },
			}),
		});
		expect(item.json.info).toEqual({
			success: true,
			statusCode: 200,
			timeStamp: '2025-06-30T12:36:46.556Z',
			traceId: null,
		});
		expect(item.json.rateLimit).toEqual({ limit: 100, remaining: 42, reset: 27 });
	});

	it('says "not found or not in your scope" for 500 ERROR_048', async () => {
		nock(TEST_BASE_URL)
			.get(`${API}/v1/leads-opportunities/NOPE-000000`)
			.reply(500, {
				partnerId: null,
				data: null,
				info: { success: false, statusCode: 500, timeStamp: 'x', traceId: 't' },
				error: { code: 'ERROR_048', message: 'Leverage Id not in scope of requestor' },
			});
		await expect(
			runNode({ parameters: lead('get', { dsLeadOpportunityId: 'NOPE-000000' }) }),
		).rejects.toThrow('Lead-opportunity "NOPE-000000" was not found or is not in your scope');
	});

	it('accepts only v1 or v0 as API version, since it becomes part of the URL', async () => {
		await expect(
			runNode({ parameters: lead('get', { apiVersion: '../../evil', dsLeadOpportunityId: 'A' }) }),
		).rejects.toThrow('API Version in item 0 must be v1 or v0');
	});

	it('URL-encodes the id so it cannot reach another path', async () => {
		nock(TEST_BASE_URL)
			.get(`${API}/v1/leads-opportunities/..%2F..%2Fv0%2Fportfolio-items%2Fsearch%3Ftop%3D1`)
			.reply(200, getResult(leadRecord('x')));
		await runNode({
			parameters: lead('get', { dsLeadOpportunityId: '../../v0/portfolio-items/search?top=1' }),
		});
	});
});

describe('lead-opportunity update', () => {
	it('PATCHes only the fields set, plus the partner ids the API requires', async () => {
		const scope = nock(TEST_BASE_URL)
			.patch(`${API}/v1/leads-opportunities/HCRQ-F1LLDE`, {
				partnerId: '200000000014442',
				leadOpportunity: {
					partnerLeadOpportunityId: 'CRM-LEAD-1234',
					status: 'QUALIFIED',
					// A day: midnight UTC of it (the workflow's zone is UTC here).
					nextMilestoneDate: '2025-06-01T00:00:00.000Z',
				},
			})
			.reply(200, updated('HCRQ-F1LLDE', 'CRM-LEAD-1234'));
		const output = await runNode({
			parameters: lead('update', {
				dsLeadOpportunityId: 'HCRQ-F1LLDE',
				inputMode: 'fields',
				partnerLeadOpportunityId: 'CRM-LEAD-1234',
				updateFields: {
					status: 'QUALIFIED',
					nextMilestoneDate: '2025-06-01T18:46:51.326Z',
					description: '',
				},
				offerLines: {},
				customer: {},
				customerContacts: {},
				partnerContacts: {},
			}),
		});
		expect(output[0].json).toEqual({
			dsLeadOpportunityId: 'HCRQ-F1LLDE',
			partnerLeadOpportunityId: 'CRM-LEAD-1234',
			action: 'update',
		});
		scope.done();
	});

	it('PATCHes v0 from a JSON body', async () => {
		nock(TEST_BASE_URL)
			.patch(`${API}/v0/leads-opportunities/HCRQ-F1LLDE`, {
				leadOpportunity: {
					partnerLeadOpportunityId: 'CRM-LEAD-1234',
					nextMilestone: 'Customer Demo',
				},
				offerLines: [{ offerNameId: 'X', revenueType: 'UPFRONT' }],
				partnerId: '200000000014442',
			})
			.reply(200, updated('HCRQ-F1LLDE', 'CRM-LEAD-1234'));
		await runNode({
			parameters: lead('update', {
				apiVersion: 'v0',
				dsLeadOpportunityId: 'HCRQ-F1LLDE',
				inputMode: 'json',
				jsonBody: {
					leadOpportunity: {
						partnerLeadOpportunityId: 'CRM-LEAD-1234',
						nextMilestone: 'Customer Demo',
					},
					offerLines: [{ offerNameId: 'X', revenueType: 'UPFRONT' }],
				},
			}),
		});
	});

	it('requires the customer name, city and country when the customer is changed', async () => {
		await expect(
			runNode({
				parameters: lead('update', {
					dsLeadOpportunityId: 'HCRQ-F1LLDE',
					inputMode: 'fields',
					partnerLeadOpportunityId: 'X',
					customer: { city: 'Paris' },
				}),
			}),
		).rejects.toThrow('Name (customerLegalEntity.name) is required');
	});

	it('refuses a v0 revenue type on v1', async () => {
		await expect(
			runNode({
				parameters: lead('update', {
					dsLeadOpportunityId: 'A',
					inputMode: 'json',
					jsonBody: {
						leadOpportunity: { partnerLeadOpportunityId: 'X' },
						offerLines: [{ offerNameId: 'X', revenueType: 'UPFRONT' }],
					},
				}),
			}),
		).rejects.toThrow(
			"Revenue Type (offerLines[0].revenueType) must be one of the API's v1 revenue type values: PxC, YxC, QxC",
		);
	});
});

describe('lead-opportunity search', () => {
	const search = (filters: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
		lead('search', { filters, output: 'records', returnAll: true, ...extra });

	it('splits 30 days into 5 windows of at most 7 days, merges the ids, then GETs each in order', async () => {
		const bodies: any[] = [];
		const answers = [['A', 'B'], ['B', 'C'], [], ['D'], ['E', 'A']];
		let call = 0;
		nock(TEST_BASE_URL)
			.post(`${API}/v0/leads-opportunities/search`, (body) => (bodies.push(body), true))
			.times(5)
			.reply(200, () => searchResult(...answers[call++]));
		for (const id of ['A', 'B', 'C', 'D', 'E'])
			nock(TEST_BASE_URL)
				.get(`${API}/v1/leads-opportunities/${id}`)
				.reply(200, getResult(leadRecord(id)));
		const output = await runNode({
			parameters: search({
				modifiedAfter: '2025-01-01T00:00:00Z',
				modifiedBefore: '2025-01-31T00:00:00Z',
			}),
		});
		expect(output.map((item) => item.json.dsLeadOpportunityId)).toEqual(['A', 'B', 'C', 'D', 'E']);
		expect(bodies.map((b) => b.data[0].modifiedDate)).toEqual([
			{ fromDate: '2025-01-01T00:00:00.000Z', toDate: '2025-01-08T00:00:00.000Z' },
			{ fromDate: '2025-01-08T00:00:00.000Z', toDate: '2025-01-15T00:00:00.000Z' },
			{ fromDate: '2025-01-15T00:00:00.000Z', toDate: '2025-01-22T00:00:00.000Z' },
			{ fromDate: '2025-01-22T00:00:00.000Z', toDate: '2025-01-29T00:00:00.000Z' },
			{ fromDate: '2025-01-29T00:00:00.000Z', toDate: '2025-01-31T00:00:00.000Z' },
		]);
	});

	it('keeps the order of the ids however the GETs finish', async () => {
		nock(TEST_BASE_URL)
			.post(`${API}/v0/leads-opportunities/search`)
			.reply(200, searchResult('A', 'B', 'C', 'D'));
		const delays: Record<string, number> = { A: 80, B: 10, C: 40, D: 0 };
		for (const id of Object.keys(delays))
			nock(TEST_BASE_URL)
				.get(`${API}/v1/leads-opportunities/${id}`)
				.delay(delays[id])
				.reply(200, getResult(leadRecord(id)));
		const output = await runNode({
			parameters: search({ partnerLeadOpportunityIds: 'P1, P2' }, { options: { concurrency: 4 } }),
		});
		expect(output.map((item) => item.json.dsLeadOpportunityId)).toEqual(['A', 'B', 'C', 'D']);
	});

	it('finds unassigned marketing leads with partner id "" combined with the date window (AND)', async () => {
		nock(TEST_BASE_URL)
			.post(`${API}/v0/leads-opportunities/search`, {
				data: [
					{
						modifiedDate: {
							fromDate: '2025-01-01T00:00:00.000Z',
							toDate: '2025-01-02T00:00:00.000Z',
						},
					},
					{ partnerLeadOpportunityId: '' },
				],
			})
			.reply(200, searchResult('M1', 'M2'));
		const output = await runNode({
			parameters: search(
				{
					unassignedOnly: true,
					modifiedAfter: '2025-01-01T00:00:00Z',
					modifiedBefore: '2025-01-02T00:00:00Z',
				},
				{ output: 'ids' },
			),
		});
		expect(output).toEqual([
			{ json: { dsLeadOpportunityId: 'M1' }, pairedItem: { item: 0 } },
			{ json: { dsLeadOpportunityId: 'M2' }, pairedItem: { item: 0 } },
		]);
	});

	it('stops at the limit', async () => {
		nock(TEST_BASE_URL)
			.post(`${API}/v0/leads-opportunities/search`, {
				data: [{ partnerLeadOpportunityId: ['P1'] }],
			})
			.reply(200, searchResult('A', 'B', 'C'));
		const output = await runNode({
			parameters: search(
				{ partnerLeadOpportunityIds: ['P1'] },
				{ output: 'ids', returnAll: false, limit: 2 },
			),
		});
		expect(output).toHaveLength(2);
	});

	it.each([
		['no criterion', {}, 'needs at least one criterion'],
		[
			'a reversed range',
			{ modifiedAfter: '2025-02-01T00:00:00Z', modifiedBefore: '2025-01-01T00:00:00Z' },
			'Modified After must be before Modified Before',
		],
		[
			'an end without a start',
			{ modifiedBefore: '2025-01-01T00:00:00Z' },
			'Modified After (modifiedDate.fromDate) is required: a date and time',
		],
		[
			'unassigned with partner ids',
			{ unassignedOnly: true, partnerLeadOpportunityIds: 'P1' },
			'exclude each other',
		],
	])('rejects %s without calling the API', async (_case, filters, message) => {
		await expect(runNode({ parameters: search(filters) })).rejects.toThrow(message);
	});

	it('maps a 400 ERROR_043 from the API', async () => {
		nock(TEST_BASE_URL)
			.post(`${API}/v0/leads-opportunities/search`)
			.reply(
				400,
				errorBody(
					400,
					'ERROR_043',
					'Both startDateTime and endDateTime must be passed as parameters',
				),
			);
		await expect(
			runNode({ parameters: search({ partnerLeadOpportunityIds: 'P1' }) }),
		).rejects.toThrow('needs both bounds');
	});
});

describe('lead-opportunity create or update', () => {
	const upsert = (extra: Record<string, unknown> = {}) =>
		createParameters({ operation: 'upsert', ...extra });
	const byPartnerId = { data: [{ partnerLeadOpportunityId: ['OPPY-1004526'] }] };

	it('updates the lead-opportunity that has the partner id with what differs from its record', async () => {
		nock(TEST_BASE_URL)
			.post(`${API}/v0/leads-opportunities/search`, byPartnerId)
			.reply(200, searchResult('5ZOQ-LF35OK'))
			.get(`${API}/v1/leads-opportunities/5ZOQ-LF35OK`)
			.reply(
				200,
				getResult(
					leadRecord('5ZOQ-LF35OK', {
						name: 'An older name',
						closeDate: expectedCreateBody.leadOpportunity.closeDate,
					}),
				),
			)
			.patch(`${API}/v1/leads-opportunities/5ZOQ-LF35OK`, (body) => {
				// Identification, plus the one field that differs.
				expect(body).toEqual({
					partnerId: expectedCreateBody.partnerId,
					leadOpportunity: {
						partnerLeadOpportunityId: 'OPPY-1004526',
						name: expectedCreateBody.leadOpportunity.name,
					},
				});
				return true;
			})
			.reply(200, updated('5ZOQ-LF35OK'));
		const [item] = await runNode({ parameters: upsert() });
		expect(item.json).toMatchObject({
			dsLeadOpportunityId: '5ZOQ-LF35OK',
			partnerLeadOpportunityId: 'OPPY-1004526',
			action: 'update',
		});
		expect(item.json.changedFields).toEqual(['leadOpportunity.name']);
	});

	it('with Always Write, PATCHes the whole body without reading the record first', async () => {
		nock(TEST_BASE_URL)
			.post(`${API}/v0/leads-opportunities/search`, byPartnerId)
			.reply(200, searchResult('5ZOQ-LF35OK'))
			.patch(`${API}/v1/leads-opportunities/5ZOQ-LF35OK`, expectedCreateBody)
			.reply(200, updated('5ZOQ-LF35OK'));
		const [item] = await runNode({ parameters: upsert({ options: { alwaysWrite: true } }) });
		expect(item.json).toEqual({
			dsLeadOpportunityId: '5ZOQ-LF35OK',
			partnerLeadOpportunityId: 'OPPY-1004526',
			action: 'update',
		});
	});

	it('creates it when no lead-opportunity has the partner id', async () => {
		nock(TEST_BASE_URL)
			.post(`${API}/v0/leads-opportunities/search`, byPartnerId)
			.reply(200, searchResult())
			.post(`${API}/v1/leads-opportunities`, expectedCreateBody)
			.reply(201, created('5ZOQ-LF35OK'));
		const [item] = await runNode({ parameters: upsert() });
		expect(item.json.action).toBe('create');
	});

	it('falls back to update when the create meets a duplicate (ERR801) made meanwhile', async () => {
		nock(TEST_BASE_URL)
			.post(`${API}/v0/leads-opportunities/search`, byPartnerId)
			.reply(200, searchResult())
			.post(`${API}/v1/leads-opportunities`)
			.reply(
				400,
				errorBody(
					400,
					'ERR801',
					'Leverage with this Partner External ID DSLeadOpportunityID already exists.',
				),
			)
			.post(`${API}/v0/leads-opportunities/search`, byPartnerId)
			.reply(200, searchResult('5ZOQ-LF35OK'))
			.patch(`${API}/v1/leads-opportunities/5ZOQ-LF35OK`, expectedCreateBody)
			.reply(200, updated('5ZOQ-LF35OK'));
		const [item] = await runNode({ parameters: upsert({ options: { alwaysWrite: true } }) });
		expect(item.json).toEqual({
			dsLeadOpportunityId: '5ZOQ-LF35OK',
			partnerLeadOpportunityId: 'OPPY-1004526',
			action: 'update',
		});
	});

	it('refuses to guess when several lead-opportunities share the partner id', async () => {
		nock(TEST_BASE_URL)
			.post(`${API}/v0/leads-opportunities/search`)
			.reply(200, searchResult('A', 'B'));
		await expect(runNode({ parameters: upsert() })).rejects.toThrow(
			'Several 3DS lead-opportunities have the partner ID "OPPY-1004526" (A, B)',
		);
	});
});

describe('portfolio items get many', () => {
	const item = (n: number, extra: Record<string, unknown> = {}) => ({
		salesPortfolioId: `ID${n}`,
		salesPortfolioType: 'Brand',
		salesPortfolioInfrastructure: n % 2 ? 'On Cloud' : 'On Premise',
		salesPortfolioisOrderable: n % 3 !== 0,
		salesPortfolioLevel1: n < 1500 ? 'CATIA' : 'SOLIDWORKS',
		salesPortfolioLevel2: 'Design',
		salesPortfolioLevel3: `Role ${n}`,
		...extra,
	});
	const page = (skip: number, top: number, total: number) => ({
		data: Array.from({ length: Math.max(0, Math.min(top, total - skip)) }, (_, i) =>
			item(skip + i),
		),
		info: {
			success: true,
			statusCode: 200,
			timeStamp: '2025-08-14T07:45:59.000Z',
			estimatedSearchCount: total,
		},
	});

	it('pages with skip/top through every item with Return All, then filters', async () => {
		for (const skip of [0, 1000, 2000, 3000])
			nock(TEST_BASE_URL)
				.get(`${API}/v0/portfolio-items/search`)
				.query({ skip, top: 1000 })
				.reply(200, page(skip, 1000, 3049));
		const output = await runNode({
			parameters: {
				resource: 'portfolioItem',
				operation: 'getMany',
				returnAll: true,
				filters: { level1: 'solidworks', orderableOnly: true, infrastructure: 'cloud' },
				simplify: true,
			},
		});
		const expected = Array.from({ length: 3049 }, (_, n) => item(n)).filter(
			(i) =>
				i.salesPortfolioLevel1 === 'SOLIDWORKS' &&
				i.salesPortfolioisOrderable &&
				i.salesPortfolioInfrastructure === 'On Cloud',
		);
		expect(output).toHaveLength(expected.length);
		expect(output[0].json).toEqual({
			offerNameId: expected[0].salesPortfolioId,
			name: `SOLIDWORKS › Design › ${expected[0].salesPortfolioLevel3}`,
			level1: 'SOLIDWORKS',
			level2: 'Design',
			level3: expected[0].salesPortfolioLevel3,
			type: 'Brand',
			infrastructure: 'On Cloud',
			orderable: true,
		});
	});

	it('stops paging once the limit is reached and returns raw items without Simplify', async () => {
		nock(TEST_BASE_URL)
			.get(`${API}/v0/portfolio-items/search`)
			.query({ skip: 0, top: 1000 })
			.reply(200, page(0, 1000, 3049));
		const output = await runNode({
			parameters: {
				resource: 'portfolioItem',
				operation: 'getMany',
				returnAll: false,
				limit: 5,
				filters: {},
				simplify: false,
			},
		});
		expect(output.map((o) => o.json)).toEqual([0, 1, 2, 3, 4].map((n) => item(n)));
	});

	it('maps 400 ERROR_004', async () => {
		nock(TEST_BASE_URL)
			.get(`${API}/v0/portfolio-items/search`)
			.query(true)
			.reply(400, {
				info: {
					success: false,
					statusCode: 400,
					timeStamp: '2025-08-14T07:45:59.000Z',
					estimatedSearchCount: 0,
				},
				error: { code: 'ERROR_004', message: '#top should be a positive, non zero integer' },
			});
		await expect(
			runNode({
				parameters: {
					resource: 'portfolioItem',
					operation: 'getMany',
					returnAll: true,
					filters: {},
					simplify: true,
				},
			}),
		).rejects.toThrow('top must be a positive, non-zero integer');
	});
});
