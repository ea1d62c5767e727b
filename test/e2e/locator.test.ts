// The lead-opportunity locator and Simplify in the real n8n 2.41.1, against the local sandbox:
// Get and Update by partner (CRM) id, a Get whose partner id 3DS does not know, Simplify on and
// off, a workflow JSON saved before the field was a locator (a plain string), and the From List
// mode answered through n8n's own `/rest/dynamic-node-parameters/resource-locator-results`.
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { startSandbox, type RunningSandbox } from '../../sandbox';
import {
	createInstance,
	CREDENTIAL_ID,
	NODE_TYPE,
	sandboxCredential,
	type N8nInstance,
	type N8nServer,
	type WorkflowInput,
} from '../../e2e/harness';
import { SIMPLIFIED_FIELDS } from '../../nodes/DassaultSales/utils/simplify';
import { createLeadViaApi } from './workflow-helpers';

type Json = Record<string, unknown>;

const WORKFLOW_ID = 'e2eLocator000001';
const FIXTURE_ID = 'e2eLocatorOld001';
const CRM_ID = `LOC-${Date.now()}`;
const credentials = { dassaultSalesApi: { id: CREDENTIAL_ID, name: '3DS Sandbox' } };

let sandbox: RunningSandbox;
let n8n: N8nInstance;
let dsId: string;

const node = (name: string, x: number, parameters: Json, extra: Json = {}) => ({
	id: `loc-${name.replace(/\W/g, '')}`,
	name,
	type: NODE_TYPE,
	typeVersion: 1,
	position: [x, 0],
	credentials,
	parameters: { resource: 'leadOpportunity', apiVersion: 'v1', options: {}, ...parameters },
	...extra,
});

function locatorWorkflow(): WorkflowInput {
	const nodes = [
		{
			id: 'loc-start',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		node('Get by Partner ID', 200, {
			operation: 'get',
			dsLeadOpportunityId: { __rl: true, mode: 'partnerId', value: CRM_ID },
		}),
		node('Get Raw by 3DS ID', 400, {
			operation: 'get',
			dsLeadOpportunityId: { __rl: true, mode: 'id', value: '={{ $json.dsLeadOpportunityId }}' },
			simplify: false,
		}),
		node('Update by Partner ID', 600, {
			operation: 'update',
			dsLeadOpportunityId: { __rl: true, mode: 'partnerId', value: CRM_ID },
			inputMode: 'fields',
			partnerLeadOpportunityId: '',
			updateFields: { nextMilestone: 'Locator e2e workshop' },
		}),
		node(
			'Get Unknown Partner ID',
			800,
			{
				operation: 'get',
				dsLeadOpportunityId: { __rl: true, mode: 'partnerId', value: 'NO-SUCH-CRM-ID' },
			},
			{ onError: 'continueRegularOutput' },
		),
	];
	const chain = nodes.map((n) => n.name);
	return {
		id: WORKFLOW_ID,
		name: 'Locator e2e',
		nodes,
		connections: Object.fromEntries(
			chain
				.slice(0, -1)
				.map((name, i) => [name, { main: [[{ node: chain[i + 1], type: 'main', index: 0 }]] }]),
		),
		settings: { executionOrder: 'v1' },
	} as WorkflowInput;
}

/** The workflow JSON saved before the change, as it is, but for the 3DS id of its Get. */
function savedBeforeTheLocator(): WorkflowInput {
	const file = path.join(
		__dirname,
		'..',
		'fixtures',
		'workflows',
		'get-update-before-locator.json',
	);
	const workflow = JSON.parse(readFileSync(file, 'utf8')) as WorkflowInput & { nodes: Json[] };
	const get = workflow.nodes.find((n) => n.name === 'Get')!;
	expect((get.parameters as Json).dsLeadOpportunityId).toBe('HCRQ-F1LLDE');
	(get.parameters as Json).dsLeadOpportunityId = dsId;
	return { ...workflow, id: FIXTURE_ID };
}

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 21 });
	const offer = sandbox.admin.portfolioItems().find((item) => item.salesPortfolioisOrderable)!;
	dsId = await createLeadViaApi(sandbox.url, {
		partnerLeadOpportunityId: CRM_ID,
		name: 'Locator Kinetics - 3DEXPERIENCE pilot',
		offerNameId: offer.salesPortfolioId,
		amount: 12_345.5,
	});
	n8n = await createInstance({ name: 'locator' });
	await n8n.importCredentials([sandboxCredential(sandbox.url)]);
	await n8n.importWorkflows([locatorWorkflow(), savedBeforeTheLocator()]);
});

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.stop();
});

test('Get and Update by partner id, Simplify on and off, and the unknown partner id', async () => {
	const run = await n8n.execute(WORKFLOW_ID);
	if (run.error) process.stdout.write(`${run.stdout.slice(-4000)}\n${run.stderr.slice(-4000)}`);
	expect(run.error).toBeUndefined();
	const stored = sandbox.admin.getLead(dsId)!;

	const [simple] = run.nodes['Get by Partner ID'].items;
	expect(Object.keys(simple)).toEqual([...SIMPLIFIED_FIELDS]);
	expect(simple).toMatchObject({
		dsLeadOpportunityId: dsId,
		partnerLeadOpportunityId: CRM_ID,
		name: 'Locator Kinetics - 3DEXPERIENCE pilot',
		amount: 12_345.5,
		customerName: 'Nordwerk Fahrzeugtechnik GmbH',
	});

	const [raw] = run.nodes['Get Raw by 3DS ID'].items;
	expect(raw.dsLeadOpportunityId).toBe(dsId);
	expect(raw.offerLines).toEqual([expect.objectContaining({ amount: 12_345.5 })]);
	expect(Object.keys(raw).length).toBeGreaterThan(30);
	process.stdout.write(
		`\n[locator] Get simplified: ${JSON.stringify(simple).length} characters, raw: ${JSON.stringify(raw).length} characters\n`,
	);

	expect(run.nodes['Update by Partner ID'].items).toEqual([
		expect.objectContaining({
			dsLeadOpportunityId: dsId,
			partnerLeadOpportunityId: CRM_ID,
			action: 'update',
		}),
	]);
	expect(sandbox.admin.getLead(dsId)?.nextMilestone).toBe('Locator e2e workshop');
	expect(stored.partnerLeadOpportunityId).toBe(CRM_ID);

	const [unknown] = run.nodes['Get Unknown Partner ID'].items;
	expect(String(unknown.error)).toBe(
		'No lead-opportunity has the partner lead-opportunity ID "NO-SUCH-CRM-ID" in the custom environment [item 0]',
	);
});

test('a workflow saved before the locator (plain-string ids) still runs', async () => {
	const run = await n8n.execute(FIXTURE_ID);
	expect(run.error).toBeUndefined();
	expect(run.nodes.Get.items).toEqual([expect.objectContaining({ dsLeadOpportunityId: dsId })]);
	expect(Object.keys(run.nodes.Get.items[0])).toEqual([...SIMPLIFIED_FIELDS]);
	expect(run.nodes.Update.items).toEqual([
		expect.objectContaining({ dsLeadOpportunityId: dsId, action: 'update' }),
	]);
	expect(sandbox.admin.getLead(dsId)?.nextMilestone).toBe('Demo to the customer');
});

describe('From List, through n8n', () => {
	let server: N8nServer;

	beforeAll(async () => {
		server = await n8n.start();
		await server.setupOwner();
	});

	afterAll(async () => {
		await server?.stop();
	});

	const list = async (filter?: string, paginationToken?: string) =>
		await server.rest<{ results: Json[]; paginationToken?: string }>(
			'POST',
			'/dynamic-node-parameters/resource-locator-results',
			{
				path: 'dsLeadOpportunityId',
				nodeTypeAndVersion: { name: NODE_TYPE, version: 1 },
				methodName: 'searchLeadOpportunities',
				currentNodeParameters: {
					resource: 'leadOpportunity',
					operation: 'get',
					dsLeadOpportunityId: { __rl: true, mode: 'list', value: '' },
				},
				credentials,
				...(filter === undefined ? {} : { filter }),
				...(paginationToken === undefined ? {} : { paginationToken }),
			},
		);

	test('answers the recently modified leads, name and status, filtered by the typed text, paged', async () => {
		const first = await list();
		expect(first.results.length).toBeGreaterThanOrEqual(20);
		expect(first.paginationToken).toEqual(expect.any(String));
		for (const entry of first.results)
			expect(entry).toEqual({
				name: expect.stringMatching(/ — [A-Z_]+ \(/),
				value: expect.stringMatching(/^[A-Z0-9]{4}-[A-Z0-9]{6}$/),
				description: expect.stringContaining('3DS ID '),
			});

		const next = await list(undefined, first.paginationToken);
		const firstIds = new Set(first.results.map((entry) => entry.value));
		expect(next.results.some((entry) => firstIds.has(entry.value))).toBe(false);

		const found = await list('locator KINETICS');
		expect(found.results).toEqual([
			{
				name: 'Locator Kinetics - 3DEXPERIENCE pilot — QUALIFIED (-5 Qualified)',
				value: dsId,
				description: `3DS ID ${dsId} · CRM ID ${CRM_ID} · Nordwerk Fahrzeugtechnik GmbH`,
			},
		]);
	});
});
