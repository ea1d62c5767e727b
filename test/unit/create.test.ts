import nock from 'nock';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import {
	API,
	created,
	createParameters,
	errorBody,
	expectedCreateBody,
	RATE_HEADERS,
	searchResult,
} from '../helpers/fixtures';
import { runNode, TEST_API_KEY, TEST_BASE_URL } from '../helpers/n8n';

describe('lead-opportunity create', () => {
	it('POSTs v1 with the fields as the API names them, and answers with the ids', async () => {
		const scope = nock(TEST_BASE_URL, { reqheaders: { 'x-api-key': TEST_API_KEY } })
			.post(`${API}/v1/leads-opportunities`, expectedCreateBody)
			.reply(201, created('5ZOQ-LF35OK'), RATE_HEADERS);
		const output = await runNode({ parameters: createParameters() });
		expect(output).toEqual([
			{
				json: {
					dsLeadOpportunityId: '5ZOQ-LF35OK',
					partnerLeadOpportunityId: 'OPPY-1004526',
					action: 'create',
				},
				pairedItem: { item: 0 },
			},
		]);
		scope.done();
	});

	it('sends every optional field, contact and customer detail set in the UI', async () => {
		let body: Record<string, any> = {};
		nock(TEST_BASE_URL)
			.post(`${API}/v1/leads-opportunities`, (b) => ((body = b), true))
			.reply(201, created('5ZOQ-LF35OK'));
		await runNode({
			parameters: createParameters({
				currency: 'usd',
				closeDate: '2025-06-01T20:46:51+02:00',
				additionalFields: {
					dsOwnerEmail: 'john.doe@3ds.com',
					forecastCategory: 'COMMIT',
					cometCampaignCode: 'OC2DE17TAQ1C13018',
					reasonWon: ['STRNG_VAL_PROP'],
					reasonLost: ['NO_PROJECT', 'DUP_LEAD'],
					competitors: 'Siemens, PTC',
					reasonWonLostComment: 'n/a',
					gtmTacticId: 'GTM-1',
					description: 'Pilot',
					nextMilestone: 'Demo',
					nextMilestoneDate: '2025-05-01',
					partnerId: '200000000099999',
				},
				offerLines: {
					offerLine: [
						{
							offerNameId: { __rl: true, mode: 'id', value: 'A' },
							amount: 1,
							revenueType: 'YxC',
							startDate: '2025-01-01T00:00:00',
							endDate: '2025-12-31',
						},
						{ offerNameId: 'B', amount: 2, revenueType: 'PxC' },
					],
				},
				customerDetails: { vatNumber: 'DE128212199', zipCode: '82131', websiteUrl: '' },
				customerContacts: {
					contact: [
						{
							email: 'john.smith@world-company.com',
							firstName: 'John',
							lastName: 'Smith',
							jobTitle: 'CTO',
							phoneNumber: '',
						},
					],
				},
				partnerContacts: {
					contact: [
						{
							salesRepEmail: 'jane@partner.com',
							salesRepFirstName: 'Jane',
							salesRepLastName: 'Doe',
						},
					],
				},
			}),
		});
		expect(body).toEqual({
			partnerId: '200000000099999',
			leadOpportunity: {
				partnerLeadOpportunityId: 'OPPY-1004526',
				name: 'Transformation Project at NewCustomer',
				status: 'OPPY_OPEN',
				// A day: 18:46Z is 1 June in the workflow's zone (UTC here), sent as its midnight.
				closeDate: '2025-06-01T00:00:00.000Z',
				currency: 'USD',
				dsOwnerEmail: 'john.doe@3ds.com',
				forecastCategory: 'COMMIT',
				cometCampaignCode: 'OC2DE17TAQ1C13018',
				reasonWon: ['STRNG_VAL_PROP'],
				reasonLost: ['NO_PROJECT', 'DUP_LEAD'],
				competitors: ['Siemens', 'PTC'],
				reasonWonLostComment: 'n/a',
				gtmTacticId: 'GTM-1',
				description: 'Pilot',
				nextMilestone: 'Demo',
				nextMilestoneDate: '2025-05-01T00:00:00.000Z',
			},
			offerLines: [
				{
					offerNameId: 'A',
					amount: 1,
					revenueType: 'YxC',
					startDate: '2025-01-01',
					endDate: '2025-12-31',
				},
				{ offerNameId: 'B', amount: 2, revenueType: 'PxC' },
			],
			customerLegalEntity: {
				name: 'NEW CUSTOMER CORPORATION',
				city: 'Stockdorf',
				country: 'Germany',
				vatNumber: 'DE128212199',
				zipCode: '82131',
			},
			customerContacts: [
				{
					email: 'john.smith@world-company.com',
					firstName: 'John',
					lastName: 'Smith',
					jobTitle: 'CTO',
				},
			],
			partnerContacts: [
				{ salesRepEmail: 'jane@partner.com', salesRepFirstName: 'Jane', salesRepLastName: 'Doe' },
			],
		});
	});

	it('POSTs v0 with the v0 revenue types', async () => {
		const scope = nock(TEST_BASE_URL)
			.post(`${API}/v0/leads-opportunities`, {
				...expectedCreateBody,
				offerLines: [
					{
						offerNameId: 'CLASS00002_ONPR_PRTF077_SOL001277',
						amount: 5490,
						revenueType: 'RENTAL_BOOKING',
					},
				],
			})
			.reply(201, created('5ZOQ-LF35OK'));
		const parameters = createParameters({ apiVersion: 'v0' });
		(parameters.offerLines as any).offerLine[0].revenueTypeV0 = 'RENTAL_BOOKING';
		await runNode({ parameters });
		scope.done();
	});

	it('takes a JSON body (string or object), fills partnerId from the credential, and validates it the same way', async () => {
		const { partnerId: _omit, ...withoutPartner } = expectedCreateBody;
		nock(TEST_BASE_URL)
			.post(`${API}/v1/leads-opportunities`, expectedCreateBody)
			.twice()
			.reply(201, created('5ZOQ-LF35OK'));
		await runNode({
			parameters: {
				...createParameters(),
				inputMode: 'json',
				jsonBody: JSON.stringify(withoutPartner),
			},
		});
		await runNode({
			parameters: { ...createParameters(), inputMode: 'json', jsonBody: withoutPartner },
		});
		await expect(
			runNode({
				parameters: {
					...createParameters(),
					inputMode: 'json',
					jsonBody: {
						...withoutPartner,
						leadOpportunity: { ...withoutPartner.leadOpportunity, closeDate: 'tomorrow' },
					},
				},
			}),
		).rejects.toThrow('Close Date (leadOpportunity.closeDate) must be a day: ');
		await expect(
			runNode({
				parameters: { ...createParameters(), inputMode: 'json', jsonBody: '{"leadOpportunity":' },
			}),
		).rejects.toThrow('JSON Body in item 0 is not valid JSON');
		await expect(
			runNode({
				parameters: {
					...createParameters(),
					inputMode: 'json',
					jsonBody: { ...withoutPartner, partnerLeadOpportunityID: 'typo' },
				},
			}),
		).rejects.toThrow("Unrecognized key(s) in object: 'partnerLeadOpportunityID'");
	});

	describe('invalid input never reaches the API', () => {
		const cases: Array<[string, Record<string, unknown>, string]> = [
			['no name', { name: '' }, 'Name (leadOpportunity.name) must not be empty'],
			[
				'an unknown currency',
				{ currency: 'XYZ' },
				'Currency (leadOpportunity.currency) "XYZ" is not an ISO 4217 currency code',
			],
			[
				'an impossible close date',
				{ closeDate: '2025-02-30' },
				'Close Date (leadOpportunity.closeDate) must be a day: ',
			],
			['an unknown status', { status: 'OPEN' }, 'Status (leadOpportunity.status) must be one of'],
			['no offer line', { offerLines: {} }, 'Offer Lines (offerLines) is required'],
			[
				'no partner id anywhere',
				{ additionalFields: {} },
				'Partner ID (set it in the credential or under Additional Fields) (partnerId)',
			],
			[
				'a bad owner email',
				{ additionalFields: { dsOwnerEmail: 'john' } },
				'PSM Email (3DS Owner) (leadOpportunity.dsOwnerEmail) must be an email address',
			],
			[
				'dates on an upfront offer line',
				{
					offerLines: {
						offerLine: [
							{ offerNameId: 'A', amount: 1, revenueType: 'PxC', startDate: '2025-01-01' },
						],
					},
				},
				'Revenue Type (offerLines[0].revenueType) start and end dates are only used for YxC or QxC',
			],
			[
				'an offer that ends before it starts',
				{
					offerLines: {
						offerLine: [
							{
								offerNameId: 'A',
								revenueType: 'QxC',
								startDate: '2025-02-01',
								endDate: '2025-01-01',
							},
						],
					},
				},
				'End Date (offerLines[0].endDate) must not be before the start date 2025-02-01',
			],
			[
				'an offer line without offer',
				{
					offerLines: {
						offerLine: [{ offerNameId: { __rl: true, mode: 'list', value: '' }, amount: 1 }],
					},
				},
				'Offer (offerLines[0].offerNameId) is required',
			],
		];
		it.each(cases)(
			'rejects %s naming the field and the item',
			async (_case, overrides, message) => {
				const credentials =
					_case === 'no partner id anywhere'
						? { apiKey: TEST_API_KEY, environment: 'custom', baseUrl: TEST_BASE_URL, partnerId: '' }
						: undefined;
				const error = await runNode({ parameters: createParameters(overrides), credentials }).catch(
					(e) => e,
				);
				expect(error).toBeInstanceOf(NodeOperationError);
				expect(error.message).toContain('item 0');
				expect(error.message).toContain(message);
				expect(error.description).toContain('Nothing was sent to 3DS');
				expect(error.context.itemIndex).toBe(0);
			},
		);
	});

	it('explains a duplicate partner id (400 ERR801) and suggests Create or Update', async () => {
		nock(TEST_BASE_URL)
			.post(`${API}/v1/leads-opportunities`)
			.reply(
				400,
				errorBody(
					400,
					'ERR801',
					'Leverage with this Partner External ID DSLeadOpportunityID already exists.',
				),
				RATE_HEADERS,
			);
		const error = await runNode({ parameters: createParameters() }).catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			'A lead-opportunity with this partner lead-opportunity ID already exists in 3DS [item 0]',
		);
		expect(error.description).toMatch(/^Use 'Update' or 'Create or Update' instead/);
		expect(error.description).toContain('3DS code ERR801');
		expect(error.description).toContain('traceId 3d29ece30a064ea68c3f5f4a9f785c6f');
		expect(error.httpCode).toBe('400');
	});

	it('names the date fields on 406 ERR805', async () => {
		nock(TEST_BASE_URL)
			.post(`${API}/v1/leads-opportunities`)
			.reply(406, {
				info: info406,
				error: {
					code: 'ERR805',
					message:
						'Incorrect Close Date/next milestone date Format. Provide date in ISO8601 format.',
				},
				data: { partnerLeadOpportunityId: null, dsLeadOpportunityId: null, action: null },
			});
		await expect(runNode({ parameters: createParameters() })).rejects.toThrow(
			/closeDate or nextMilestoneDate/,
		);
	});

	it('is idempotent: a create applied but whose answer was lost is found by partner id, not created twice', async () => {
		nock(TEST_BASE_URL)
			.post(`${API}/v1/leads-opportunities`)
			.replyWithError({ code: 'ECONNRESET', message: 'socket hang up' })
			.post(`${API}/v1/leads-opportunities`)
			.reply(
				400,
				errorBody(
					400,
					'ERR801',
					'Leverage with this Partner External ID DSLeadOpportunityID already exists.',
				),
			)
			.post(`${API}/v0/leads-opportunities/search`, {
				data: [{ partnerLeadOpportunityId: ['OPPY-1004526'] }],
			})
			.reply(200, searchResult('5ZOQ-LF35OK'));
		const output = await runNode({ parameters: createParameters() });
		expect(output[0].json).toEqual({
			dsLeadOpportunityId: '5ZOQ-LF35OK',
			partnerLeadOpportunityId: 'OPPY-1004526',
			action: 'create',
		});
	});
});

const info406 = {
	success: false,
	statusCode: 406,
	timeStamp: '2025-06-30T12:36:46.556Z',
	traceId: 'abc',
};
