// The lead-opportunity locator of Get and Update: From List and By 3DS ID give the 3DS id, By
// Partner Lead-Opportunity ID resolves the CRM id with one search, and a plain string saved before
// the field was a locator still reads as a 3DS id.
import { readFileSync } from 'node:fs';
import path from 'node:path';

import nock from 'nock';

import { DS_ID_REGEX } from '../../nodes/DassaultSales/descriptions/common';
import { API, getResult, leadRecord, searchResult, updated } from '../helpers/fixtures';
import { runNode, TEST_BASE_URL, type SentRequest } from '../helpers/n8n';

const locator = (mode: string, value: string) => ({ __rl: true, mode, value });

const lead = (operation: string, parameters: Record<string, unknown>) => ({
	resource: 'leadOpportunity',
	operation,
	apiVersion: 'v1',
	simplify: false,
	options: {},
	...parameters,
});

const GET = (id: string) => `${API}/v1/leads-opportunities/${id}`;
const SEARCH = `${API}/v0/leads-opportunities/search`;

describe('lead-opportunity locator', () => {
	it.each([
		['From List', locator('list', 'HCRQ-F1LLDE')],
		['By 3DS ID (trimmed)', locator('id', ' HCRQ-F1LLDE ')],
		['a plain string (saved before the locator)', 'HCRQ-F1LLDE'],
	])('Get %s reads the record by its 3DS id, without a search', async (_, value) => {
		const sent: SentRequest[] = [];
		const record = leadRecord('HCRQ-F1LLDE');
		nock(TEST_BASE_URL).get(GET('HCRQ-F1LLDE')).reply(200, getResult(record));
		const output = await runNode({ parameters: lead('get', { dsLeadOpportunityId: value }), sent });
		expect(output).toEqual([{ json: record, pairedItem: { item: 0 } }]);
		expect(sent.map((request) => request.method)).toEqual(['GET']);
	});

	it('loads the Get node of a workflow JSON saved before the change, with its defaults', async () => {
		const file = path.join(
			__dirname,
			'..',
			'fixtures',
			'workflows',
			'get-update-before-locator.json',
		);
		const workflow = JSON.parse(readFileSync(file, 'utf8')) as {
			nodes: Array<{ name: string; parameters: Record<string, unknown> }>;
		};
		const saved = workflow.nodes.find((node) => node.name === 'Get')!.parameters;
		expect(typeof saved.dsLeadOpportunityId).toBe('string');
		const record = leadRecord('HCRQ-F1LLDE');
		nock(TEST_BASE_URL).get(GET('HCRQ-F1LLDE')).reply(200, getResult(record));
		// n8n fills the parameters a saved node leaves out with their defaults: resource, version, Simplify.
		const [item] = await runNode({
			parameters: { resource: 'leadOpportunity', apiVersion: 'v1', ...saved },
		});
		expect(item.json).toEqual({
			dsLeadOpportunityId: 'HCRQ-F1LLDE',
			partnerLeadOpportunityId: 'OPPY-1004526',
			name: 'Transformation Project at NewCustomer',
			status: 'OPPY_OPEN',
			amount: 5490,
			currency: 'EUR',
			closeDate: '2025-06-01T00:00:00.000Z',
			customerName: 'NEW CUSTOMER CORPORATION',
			dsOwnerEmail: null,
			modifiedDate: '2025-06-02T10:00:00.000Z',
		});
	});

	it('Get By Partner Lead-Opportunity ID searches the CRM id, then reads the one it finds', async () => {
		const sent: SentRequest[] = [];
		const record = leadRecord('HCRQ-F1LLDE');
		nock(TEST_BASE_URL)
			.post(SEARCH, { data: [{ partnerLeadOpportunityId: ['OPPY-1004526'] }] })
			.reply(200, searchResult('HCRQ-F1LLDE'))
			.get(GET('HCRQ-F1LLDE'))
			.reply(200, getResult(record));
		const output = await runNode({
			parameters: lead('get', { dsLeadOpportunityId: locator('partnerId', 'OPPY-1004526') }),
			sent,
		});
		expect(output).toEqual([{ json: record, pairedItem: { item: 0 } }]);
		expect(sent.map((request) => request.method)).toEqual(['POST', 'GET']);
	});

	it('By Partner Lead-Opportunity ID, none found: names the id and the environment, sends nothing else', async () => {
		const sent: SentRequest[] = [];
		nock(TEST_BASE_URL).post(SEARCH).reply(200, searchResult());
		const error = (await runNode({
			parameters: lead('get', { dsLeadOpportunityId: locator('partnerId', 'OPPY-404') }),
			sent,
		}).catch((e: unknown) => e)) as { message: string; description: string; context: object };
		expect(error.message).toBe(
			'No lead-opportunity has the partner lead-opportunity ID "OPPY-404" in the custom environment [item 0]',
		);
		expect(error.description).toContain(TEST_BASE_URL);
		expect(error.context).toMatchObject({ itemIndex: 0 });
		expect(sent).toHaveLength(1);
	});

	it('By Partner Lead-Opportunity ID, several found: lists them, and updates none', async () => {
		const sent: SentRequest[] = [];
		nock(TEST_BASE_URL).post(SEARCH).reply(200, searchResult('AAAA-111111', 'BBBB-222222'));
		const error = (await runNode({
			parameters: lead('update', {
				dsLeadOpportunityId: locator('partnerId', 'OPPY-TWICE'),
				partnerLeadOpportunityId: 'OPPY-TWICE',
				updateFields: { status: 'QUALIFIED' },
			}),
			sent,
		}).catch((e: unknown) => e)) as { message: string; description: string };
		expect(error.message).toBe(
			'Several 3DS lead-opportunities have the partner ID "OPPY-TWICE" (AAAA-111111, BBBB-222222) [item 0]',
		);
		expect(error.description).toContain('By 3DS ID');
		expect(sent.map((request) => request.method)).toEqual(['POST']);
	});

	it('Update By Partner Lead-Opportunity ID PATCHes the record found, its partner id taken from the locator', async () => {
		const sent: SentRequest[] = [];
		nock(TEST_BASE_URL)
			.post(SEARCH)
			.reply(200, searchResult('HCRQ-F1LLDE'))
			.patch(GET('HCRQ-F1LLDE'))
			.reply(200, updated('HCRQ-F1LLDE'));
		const [item] = await runNode({
			parameters: lead('update', {
				dsLeadOpportunityId: locator('partnerId', 'OPPY-1004526'),
				partnerLeadOpportunityId: '',
				updateFields: { status: 'QUALIFIED' },
			}),
			sent,
		});
		expect(item.json).toMatchObject({ dsLeadOpportunityId: 'HCRQ-F1LLDE', action: 'update' });
		expect(sent[1].body).toMatchObject({
			leadOpportunity: { partnerLeadOpportunityId: 'OPPY-1004526', status: 'QUALIFIED' },
		});
	});

	it.each([
		['From List', locator('list', '')],
		['By 3DS ID', locator('id', '   ')],
		['By Partner Lead-Opportunity ID', locator('partnerId', '')],
		['a plain string', ''],
	])(
		'an empty %s is refused before any request, naming the field and the item',
		async (_, value) => {
			const sent: SentRequest[] = [];
			const error = (await runNode({
				parameters: lead('get', { dsLeadOpportunityId: value }),
				sent,
			}).catch((e: unknown) => e)) as Error;
			expect(error.message).toMatch(/^Invalid Lead-Opportunity \(.+\) in item 0: is required/);
			expect(sent).toEqual([]);
		},
	);

	it("By 3DS ID's regex accepts every id of the spec's examples and flags other shapes", () => {
		const regex = new RegExp(DS_ID_REGEX);
		const spec = readFileSync(
			path.join(__dirname, '..', 'fixtures', 'dassault-sales-api4partners-2.0.0.yaml'),
			'utf8',
		);
		const examples = [...spec.matchAll(/dsLeadOpportunityId:\s*([A-Z0-9-]{6,})/g)].map((m) => m[1]);
		expect(examples.length).toBeGreaterThanOrEqual(3);
		for (const id of [...examples, 'HCRQ-F1LLDE', '9YEL-Y3W56Q', 'BYTK-COL4A0'])
			expect(id).toMatch(regex);
		for (const id of ['OPPY-1004526x', 'hcrq-f1llde', 'HCRQF1LLDE', 'HCRQ-F1LLD', ' HCRQ-F1LLDE'])
			expect(id).not.toMatch(regex);
	});
});
