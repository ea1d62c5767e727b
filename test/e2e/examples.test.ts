// The four shipped example workflows (examples/*.json), run by the real n8n 2.41.1 against the
// local sandbox, with no outside service called: the HubSpot, Salesforce and Schedule nodes are
// swapped in code for core nodes (see workflow-helpers.ts) while our nodes, their parameters and
// every mapping node run as shipped.
//
// Why two ways of running:
// - crm-deal-to-3ds and portfolio-catalog start with a third-party trigger: it becomes a Manual
//   Trigger feeding the same items, and `n8n execute` runs the workflow (a few seconds each).
// - 3ds-changes-to-crm and marketing-leads-to-crm start with OUR trigger. `n8n execute` never calls
//   poll(), and swapping the trigger for a Search would not test what ships. So they run as a user
//   runs them: imported, published on a started `n8n start`, where activation polls the trigger
//   once at once (n8n's "test the trigger" poll, whose items it emits). One server start (~20 s)
//   covers both, which keeps this file well under two minutes on two cores; the cost is a real
//   server, stopped in afterAll. The only change to the trigger: the changes workflow's Start From
//   is "Past Hour" instead of "Now" (a first activation from now emits nothing by design).
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { startSandbox, type LeadOpportunity, type RunningSandbox } from '../../sandbox';
import {
	createInstance,
	executionNodes,
	sandboxCredential,
	type Execution,
	type N8nInstance,
	type N8nServer,
	type NodeResult,
} from '../../e2e/harness';
import {
	createLeadViaApi,
	findNode,
	literal,
	loadExample,
	parameterLeaves,
	replaceTrigger,
	replaceWithEcho,
} from './workflow-helpers';

type Json = Record<string, unknown>;

let sandbox: RunningSandbox;
let n8n: N8nInstance;
let offerId: string;
let otherOfferId: string;

// ---------------------------------------------------------------------------------------------
// Realistic stand-in data

/** Deal A is new to 3DS; deal B was reported before (created below) and moved on in HubSpot. */
const DEAL_A = 31405872113;
const DEAL_B = 31405872999;
const COMPANY_A = 9876543210;
const COMPANY_B = 9876543311;
const PORTAL = 146812345;

/** HubSpot webhook events as the HubSpot Trigger emits them (it adds dealId). */
function hubspotEvents(): Json[] {
	const base = {
		portalId: PORTAL,
		appId: 3716842,
		attemptNumber: 0,
		changeSource: 'CRM_UI',
		sourceId: 'userId:75081125',
	};
	return [
		{
			...base,
			eventId: 1907353424,
			subscriptionId: 2873265,
			occurredAt: 1767960734127,
			subscriptionType: 'deal.creation',
			objectId: DEAL_A,
			changeFlag: 'CREATED',
			dealId: DEAL_A,
		},
		{
			...base,
			eventId: 1907353425,
			subscriptionId: 2873266,
			occurredAt: 1767960734351,
			subscriptionType: 'deal.propertyChange',
			objectId: DEAL_A,
			propertyName: 'dealstage',
			propertyValue: 'qualifiedtobuy',
			dealId: DEAL_A,
		},
		{
			...base,
			eventId: 1907353999,
			subscriptionId: 2873266,
			occurredAt: 1767960799012,
			subscriptionType: 'deal.propertyChange',
			objectId: DEAL_B,
			propertyName: 'dealstage',
			propertyValue: 'contractsent',
			dealId: DEAL_B,
		},
	];
}

/** A HubSpot v1 property: `{ value, timestamp, source, sourceId, versions }`. */
const prop = (value: string) => ({
	value,
	timestamp: 1767960734127,
	source: 'CRM_UI',
	sourceId: 'userId:75081125',
	versions: [{ name: 'x', value, timestamp: 1767960734127, source: 'CRM_UI' }],
});

/** GET /deals/v1/deal/:id as the HubSpot node returns it. */
function hubspotDeals(): Record<string, Json> {
	const deal = (dealId: number, companyId: number, properties: Record<string, string>) => ({
		portalId: PORTAL,
		dealId,
		isDeleted: false,
		associations: {
			associatedVids: [1051],
			associatedCompanyIds: [companyId],
			associatedDealIds: [],
			associatedTicketIds: [],
		},
		properties: Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, prop(v)])),
		imports: [],
		stateChanges: [],
	});
	return {
		[DEAL_A]: deal(DEAL_A, COMPANY_A, {
			dealname: 'Müller Maschinenbau - CATIA rollout',
			dealstage: 'qualifiedtobuy',
			pipeline: 'default',
			amount: '48000',
			closedate: String(Date.UTC(2026, 8, 30)),
			deal_currency_code: 'EUR',
			ds_offer_id: offerId,
			description: '12 seats for the new body-in-white team',
			hs_object_id: String(DEAL_A),
		}),
		[DEAL_B]: deal(DEAL_B, COMPANY_B, {
			dealname: 'Aerotech Composites - SIMULIA upgrade',
			dealstage: 'contractsent',
			pipeline: 'default',
			amount: '125000.5',
			closedate: String(Date.UTC(2026, 5, 15)),
			deal_currency_code: 'USD',
			ds_offer_id: otherOfferId,
			hs_object_id: String(DEAL_B),
		}),
	};
}

/** GET /companies/v2/companies/:id as the HubSpot node returns it. */
function hubspotCompanies(): Record<string, Json> {
	const company = (companyId: number, properties: Record<string, string>) => ({
		portalId: PORTAL,
		companyId,
		isDeleted: false,
		properties: Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, prop(v)])),
		additionalDomains: [],
		stateChanges: [],
		mergeAudits: [],
	});
	return {
		[COMPANY_A]: company(COMPANY_A, {
			name: 'Müller Maschinenbau GmbH',
			city: 'Stuttgart',
			country: 'Germany',
			domain: 'mueller-maschinenbau.de',
		}),
		[COMPANY_B]: company(COMPANY_B, {
			name: 'Aerotech Composites Inc.',
			city: 'Wichita',
			country: 'United States',
			domain: 'aerotech-composites.com',
		}),
	};
}

/** What the Schedule Trigger emits. */
const scheduleItem = {
	timestamp: '2026-01-12T06:00:00.000+00:00',
	'Readable date': 'January 12th 2026, 6:00:00 am',
	'Readable time': '6:00:00 am',
	'Day of week': 'Monday',
	Year: '2026',
	Month: 'January',
	'Day of month': '12',
	Hour: '06',
	Minute: '00',
	Second: '00',
	Timezone: 'UTC (UTC+00:00)',
};

/** A Salesforce id: a prefix (006 opportunity, 00Q lead), 15 characters after it in all. */
const salesforceId = (prefix: string, n: number) => `${prefix}8d00000${String(n).padStart(8, '0')}`;

// ---------------------------------------------------------------------------------------------
// The workflows as run here

function dealWorkflow() {
	const workflow = loadExample('crm-deal-to-3ds.json');
	replaceTrigger(workflow, 'HubSpot Trigger', hubspotEvents());
	replaceWithEcho(workflow, 'Get Deal', `(${literal(hubspotDeals())})[String($json.dealId)]`);
	replaceWithEcho(
		workflow,
		'Get Company',
		`(${literal(hubspotCompanies())})[String($json.associations.associatedCompanyIds[0])]`,
	);
	return workflow;
}

function portfolioWorkflow() {
	const workflow = loadExample('portfolio-catalog.json');
	replaceTrigger(workflow, 'Every Monday', [scheduleItem]);
	return workflow;
}

function changesWorkflow() {
	const workflow = loadExample('3ds-changes-to-crm.json');
	(findNode(workflow, '3DS Changes').parameters.options as Json).startFrom = 'lastHour';
	// PATCH /sobjects/opportunity/:id answers 204; the Salesforce node then outputs this.
	replaceWithEcho(workflow, 'Update Salesforce Opportunity', `({ "errors": [], "success": true })`);
	return workflow;
}

function marketingWorkflow() {
	const workflow = loadExample('marketing-leads-to-crm.json');
	// POST /sobjects/lead answers { id, success, errors }: one new lead id per item.
	replaceWithEcho(
		workflow,
		'Create Salesforce Lead',
		`({ "id": '00Q8d00000' + String(41000000 + $itemIndex), "success": true, "errors": [] })`,
	);
	return workflow;
}

const leadByPartnerId = (id: string): LeadOpportunity | undefined =>
	sandbox.admin.listLeads().find((lead) => lead.partnerLeadOpportunityId === id);

function expectNoNodeErrors(nodes: Record<string, NodeResult>): void {
	const errors = Object.entries(nodes)
		.filter(([, result]) => result.error)
		.map(([name, result]) => `${name}: ${result.error} ${result.errorDescription ?? ''}`);
	expect(errors).toEqual([]);
}

// ---------------------------------------------------------------------------------------------

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 11 });
	const orderable = sandbox.admin.portfolioItems().filter((item) => item.salesPortfolioisOrderable);
	offerId = orderable[3].salesPortfolioId;
	otherOfferId = orderable[42].salesPortfolioId;
	n8n = await createInstance({ name: 'examples' });
	// The credential `npm start` creates: the examples refer to it by this id and name.
	await n8n.importCredentials([sandboxCredential(sandbox.url)]);
	await n8n.importWorkflows([
		dealWorkflow(),
		portfolioWorkflow(),
		changesWorkflow(),
		marketingWorkflow(),
	]);
});

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.stop();
});

test('every example refers to the "3DS Sandbox" credential that npm start creates', () => {
	for (const file of [
		'crm-deal-to-3ds.json',
		'3ds-changes-to-crm.json',
		'marketing-leads-to-crm.json',
		'portfolio-catalog.json',
	]) {
		const ours = loadExample(file).nodes.filter((n) =>
			n.type.startsWith('n8n-nodes-dassault-sales.'),
		);
		expect(ours.length).toBeGreaterThan(0);
		for (const node of ours) {
			expect({ file, node: node.name, credentials: node.credentials }).toEqual({
				file,
				node: node.name,
				credentials: { dassaultSalesApi: { id: sandboxCredential('').id, name: '3DS Sandbox' } },
			});
		}
	}
});

/**
 * One mapping per workflow: the fields of the CRM record (or of the 3DS record), by the parameters
 * of the one node that maps them; each must be read by exactly one parameter, and no Set node
 * may sit in between to rename them first.
 */
test.each([
	['crm-deal-to-3ds.json', 'Create or Update in 3DS', /properties\.(\w+)/g, 10],
	['3ds-changes-to-crm.json', 'Update Salesforce Opportunity', /\$json\.(\w+)/g, 5],
	['marketing-leads-to-crm.json', 'Create Salesforce Lead', /\$json\.([\w?.[\]]*\w)/g, 13],
])('%s maps each field once, in %s, with no Set node', (file, mapper, field, count) => {
	const workflow = loadExample(file);
	expect(workflow.nodes.filter((n) => n.type === 'n8n-nodes-base.set')).toEqual([]);
	const readers = new Map<string, string[]>();
	for (const [at, value] of parameterLeaves(findNode(workflow, mapper).parameters as Json)) {
		if (typeof value !== 'string') continue;
		const fields = new Set([...value.matchAll(field)].map((m) => m[1].replace(/\?/g, '')));
		for (const name of fields) readers.set(name, [...(readers.get(name) ?? []), at]);
	}
	const twice = [...readers].filter(([, at]) => at.length > 1);
	expect(twice).toEqual([]);
	expect(readers.size).toBeGreaterThanOrEqual(count);
});

test('crm-deal-to-3ds: HubSpot deals are created or updated in 3DS with the mapped fields', async () => {
	// Deal B was reported to 3DS earlier, as QUALIFIED with another amount.
	const existingB = await createLeadViaApi(sandbox.url, {
		partnerLeadOpportunityId: String(DEAL_B),
		name: 'Aerotech Composites - SIMULIA upgrade',
		status: 'QUALIFIED',
		currency: 'USD',
		offerNameId: otherOfferId,
		amount: 90_000,
		customer: { name: 'Aerotech Composites Inc.', city: 'Wichita', country: 'United States' },
	});

	const run = await n8n.execute('exCrmDealTo3ds01');
	expect(run.error).toBeUndefined();
	expectNoNodeErrors(run.nodes);
	expect(run.exitCode).toBe(0);

	expect(run.nodes['HubSpot Trigger'].items).toHaveLength(3);
	expect(run.nodes['One Item per Deal'].items.map((i) => i.dealId)).toEqual([DEAL_A, DEAL_B]);
	expect(run.nodes['Get Deal'].items[0]._request).toMatchObject({
		'dealId.value': DEAL_A,
		authentication: 'appToken',
	});
	expect(run.nodes['Get Company'].items[1]._request).toMatchObject({
		'companyId.value': COMPANY_B,
	});

	// No mapping node in between: the 3DS node reads the HubSpot deal (and its company) itself.
	expect(run.nodes['Map Deal to 3DS']).toBeUndefined();

	const upserted = run.nodes['Create or Update in 3DS'].items;
	expect(upserted).toHaveLength(2);
	expect(upserted[0]).toMatchObject({ partnerLeadOpportunityId: String(DEAL_A), action: 'create' });
	expect(upserted[1]).toEqual(
		expect.objectContaining({
			dsLeadOpportunityId: existingB,
			partnerLeadOpportunityId: String(DEAL_B),
			action: 'update',
		}),
	);

	// The sandbox's store: A created with every mapped field, B updated in place.
	const a = leadByPartnerId(String(DEAL_A));
	expect(a).toMatchObject({
		dsLeadOpportunityId: upserted[0].dsLeadOpportunityId,
		name: 'Müller Maschinenbau - CATIA rollout',
		status: 'QUALIFIED',
		closeDate: '2026-09-30T00:00:00.000Z',
		currency: 'EUR',
		description: '12 seats for the new body-in-white team',
		offerLines: [{ offerNameId: offerId, amount: 48000, revenueType: 'PxC' }],
		customerLegalEntity: {
			name: 'Müller Maschinenbau GmbH',
			city: 'Stuttgart',
			country: 'Germany',
		},
	});
	const b = sandbox.admin.getLead(existingB);
	expect(b).toMatchObject({
		partnerLeadOpportunityId: String(DEAL_B),
		status: 'ESTABLISHED',
		closeDate: '2026-06-15T00:00:00.000Z',
		offerLines: [{ offerNameId: otherOfferId, amount: 125000.5, revenueType: 'PxC' }],
	});
	expect(
		sandbox.admin.listLeads().filter((l) => l.partnerLeadOpportunityId === String(DEAL_B)),
	).toHaveLength(1);
});

test('portfolio-catalog: every orderable portfolio item becomes a row of one CSV file', async () => {
	const run = await n8n.execute('exPortfolioCsv01');
	expect(run.error).toBeUndefined();
	expectNoNodeErrors(run.nodes);
	expect(run.exitCode).toBe(0);

	const orderable = sandbox.admin.portfolioItems().filter((item) => item.salesPortfolioisOrderable);
	expect(orderable.length).toBeGreaterThan(100);
	const items = run.nodes['Get Orderable Portfolio Items'].items;
	expect(items).toHaveLength(orderable.length);
	expect(items.every((item) => item.orderable === true)).toBe(true);
	expect(items[0]).toEqual({
		offerNameId: orderable[0].salesPortfolioId,
		name: [
			orderable[0].salesPortfolioLevel1,
			orderable[0].salesPortfolioLevel2,
			orderable[0].salesPortfolioLevel3,
		]
			.filter(Boolean)
			.join(' › '),
		level1: orderable[0].salesPortfolioLevel1,
		level2: orderable[0].salesPortfolioLevel2,
		level3: orderable[0].salesPortfolioLevel3,
		type: orderable[0].salesPortfolioType,
		infrastructure: orderable[0].salesPortfolioInfrastructure,
		orderable: true,
	});

	// One item carrying the file.
	const runData = (
		run.raw as {
			data: {
				resultData: {
					runData: Record<
						string,
						Array<{ data: { main: Array<Array<{ binary?: Record<string, Json> }>> } }>
					>;
				};
			};
		}
	).data.resultData.runData;
	const files = runData['Convert to CSV'][0].data.main[0];
	expect(files).toHaveLength(1);
	const file = files[0].binary?.data as Json;
	expect(file).toMatchObject({ mimeType: 'text/csv', fileExtension: 'csv' });
	expect(String(file.fileName)).toMatch(/^3ds-portfolio-\d{4}-\d{2}-\d{2}\.csv$/);
	const csv = readBinary(file).toString('utf8').trim().split('\n');
	expect(csv[0]).toBe('offerNameId,name,level1,level2,level3,type,infrastructure,orderable');
	expect(csv).toHaveLength(orderable.length + 1);
	expect(csv[1].startsWith(`${orderable[0].salesPortfolioId},`)).toBe(true);
	expect(
		csv[csv.length - 1].startsWith(`${orderable[orderable.length - 1].salesPortfolioId},`),
	).toBe(true);
});

/** A binary property of the run data: inline base64, or the file n8n stored (filesystem mode). */
function readBinary(binary: Json): Buffer {
	const id = String(binary.id ?? '');
	if (id.startsWith('filesystem-v2:')) {
		return readFileSync(
			path.join(n8n.userFolder, '.n8n', 'storage', id.slice('filesystem-v2:'.length)),
		);
	}
	return Buffer.from(String(binary.data), 'base64');
}

describe('workflows started by the Dassault Systèmes Sales Trigger, published on a running n8n', () => {
	let server: N8nServer;
	const sfOpportunityA = salesforceId('006', 1);
	const sfOpportunityB = salesforceId('006', 2);
	let leadA: string;
	let leadB: string;
	let marketing: LeadOpportunity[];

	beforeAll(async () => {
		// 3DS side, before the trigger's first poll: two opportunities from Salesforce that 3DS then
		// moved on, a lead from another CRM (filtered out), and new unassigned marketing leads.
		leadA = await createLeadViaApi(sandbox.url, {
			partnerLeadOpportunityId: sfOpportunityA,
			name: 'Nordwerk - DELMIA line planning',
			status: 'OPPY_OPEN',
			closeDate: '2026-11-20T00:00:00.000Z',
			offerNameId: offerId,
			amount: 30_000,
		});
		leadB = await createLeadViaApi(sandbox.url, {
			partnerLeadOpportunityId: sfOpportunityB,
			name: 'Helvetia Medical - SOLIDWORKS PDM',
			status: 'ESTABLISHED',
			currency: 'CHF',
			offerNameId: otherOfferId,
			amount: 18_500,
			customer: { name: 'Helvetia Medical AG', city: 'Basel', country: 'Switzerland' },
		});
		await createLeadViaApi(sandbox.url, {
			partnerLeadOpportunityId: 'PIPEDRIVE-4471',
			name: 'Other CRM deal',
			offerNameId: offerId,
		});
		sandbox.admin.changeLead(leadA, {
			status: 'VALIDATED',
			nextMilestone: 'Technical validation workshop',
			nextMilestoneDate: '2026-02-03T09:00:00.000Z',
		});
		sandbox.admin.changeLead(leadB, { status: 'WON' });
		marketing = sandbox.admin.createMarketingLeads(3, { seed: 5 });

		server = await n8n.start();
		await server.setupOwner();
		await server.createApiKey();
	});

	afterAll(async () => {
		await server?.stop();
	});

	async function activateAndWait(workflowId: string): Promise<Execution> {
		await server.activate(workflowId);
		const [execution] = await server.waitForExecutions(workflowId, 1, 90_000);
		return execution;
	}

	test('3ds-changes-to-crm: 3DS status changes update the Salesforce opportunities', async () => {
		const execution = await activateAndWait('ex3dsChangesCrm1');
		expect(execution.status).toBe('success');
		const nodes = executionNodes(execution);
		expectNoNodeErrors(nodes);

		// The trigger emits every change of the past hour (each lead once, as it is now)...
		const changed = nodes['3DS Changes'].items;
		const changedIds = changed.map((i) => i.dsLeadOpportunityId);
		expect(changedIds).toEqual(expect.arrayContaining([leadA, leadB]));
		expect(new Set(changedIds).size).toBe(changedIds.length);
		// ...and only the Salesforce opportunities go on.
		const kept = nodes['From Salesforce Only'].items;
		expect(kept.map((i) => i.partnerLeadOpportunityId).sort()).toEqual([
			sfOpportunityA,
			sfOpportunityB,
		]);

		const sent = nodes['Update Salesforce Opportunity'].items;
		expect(sent).toHaveLength(2);
		const byOpportunity = Object.fromEntries(
			sent.map((i) => [(i._request as Json).opportunityId, i]),
		);
		expect(byOpportunity[sfOpportunityA]).toEqual({
			errors: [],
			success: true,
			_request: {
				authentication: 'oAuth2',
				resource: 'opportunity',
				operation: 'update',
				opportunityId: sfOpportunityA,
				'updateFields.stageName': 'Proposal/Price Quote',
				'updateFields.closeDate': '2026-11-20',
				'updateFields.amount': 30000,
				'updateFields.nextStep': 'Technical validation workshop',
			},
		});
		expect(byOpportunity[sfOpportunityB]._request).toMatchObject({
			opportunityId: sfOpportunityB,
			'updateFields.stageName': 'Closed Won',
			'updateFields.amount': 18500,
		});
	});

	test('marketing-leads-to-crm: new unassigned leads become Salesforce leads and are claimed in 3DS', async () => {
		const execution = await activateAndWait('exMktLeadsToCrm1');
		expect(execution.status).toBe('success');
		const nodes = executionNodes(execution);
		expectNoNodeErrors(nodes);

		const found = nodes['New Unassigned Lead'].items;
		expect(found.map((i) => i.dsLeadOpportunityId)).toEqual(
			expect.arrayContaining(marketing.map((lead) => lead.dsLeadOpportunityId)),
		);
		expect(found.every((i) => !i.partnerLeadOpportunityId)).toBe(true);

		const created = nodes['Create Salesforce Lead'].items;
		expect(created).toHaveLength(found.length);
		found.forEach((lead, index) => {
			const customer = lead.customerLegalEntity as Json;
			const contact = ((lead.customerContact as Json[] | null) ?? [])[0];
			expect(created[index]).toMatchObject({
				id: `00Q8d00000${41000000 + index}`,
				success: true,
				_request: {
					resource: 'lead',
					operation: 'create',
					company: customer.name || 'Unknown company',
					lastname: contact?.lastName || 'Unknown',
					'additionalFields.email': contact?.email ?? '',
					'additionalFields.city': customer.city ?? '',
				},
			});
			expect(String((created[index]._request as Json)['additionalFields.description'])).toContain(
				String(lead.dsLeadOpportunityId),
			);
		});

		// Each lead now carries its Salesforce lead id in 3DS, so it is no longer unassigned.
		const claimed = nodes['Claim Lead in 3DS'].items;
		expect(claimed).toHaveLength(found.length);
		found.forEach((lead, index) => {
			const salesforceLeadId = created[index].id;
			expect(claimed[index]).toMatchObject({
				dsLeadOpportunityId: lead.dsLeadOpportunityId,
				partnerLeadOpportunityId: salesforceLeadId,
				action: 'update',
			});
			expect(
				sandbox.admin.getLead(String(lead.dsLeadOpportunityId))?.partnerLeadOpportunityId,
			).toBe(salesforceLeadId);
		});
		expect(sandbox.admin.violations()).toEqual([]);
	});
});
