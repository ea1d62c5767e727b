// Options › Dry Run (issue 25) in the real n8n 2.41.1 (`n8n execute`) against a sandbox on a free
// port: a first load as the README's recipe runs it. The dry run's workflow writes nothing to the
// sandbox; the same items through the real run's workflow then do exactly what it predicted.
//
//   dry run:  Items -> Create or Update (Dry Run, continue on fail)
//   real run: Items -> Create or Update (continue on fail)
import { randomUUID } from 'node:crypto';

import { startSandbox, type RunningSandbox } from '../../sandbox';
import {
	createInstance,
	NODE_TYPE,
	SANDBOX_API_KEY,
	SANDBOX_PARTNER_ID,
	sandboxCredential,
	type ExecuteResult,
	type N8nInstance,
} from '../../e2e/harness';
import { call } from '../sandbox/helpers';
import { replaceTrigger, type Workflow } from './workflow-helpers';

type Json = Record<string, unknown>;

const CREDENTIAL = { id: 'e2eDryRunCred001', name: 'Dry run sandbox' };
const DRY_ID = 'e2eDryRunFirst01';
const REAL_ID = 'e2eDryRunThen001';
const NODE = 'Create or Update';

let sandbox: RunningSandbox;
let n8n: N8nInstance;
let offer: string;

/** A create body for the JSON Body input mode. */
const body = (partnerLeadOpportunityId: string, extra: Json = {}) => ({
	leadOpportunity: {
		partnerLeadOpportunityId,
		name: `First load ${partnerLeadOpportunityId}`,
		status: 'OPPY_OPEN',
		closeDate: '2026-11-30T00:00:00Z',
		currency: 'EUR',
		...extra,
	},
	offerLines: [{ offerNameId: offer, amount: 9000, revenueType: 'PxC' }],
	customerLegalEntity: { name: 'Halvorsen Subsea AS', city: 'Bergen', country: 'Norway' },
});

/** New, changed, identical, invalid, and one partner id created then changed then identical. */
const mixedSet = () => [
	{ body: body('E2E-DRY-NEW') },
	{ body: body('E2E-DRY-CHANGED', { name: 'Renamed in the CRM' }) },
	{ body: body('E2E-DRY-SAME') },
	{ body: body('E2E-DRY-BAD', { currency: 'EURO' }) },
	{ body: body('E2E-DRY-TWICE') },
	{ body: body('E2E-DRY-TWICE', { status: 'VALIDATED' }) },
	{ body: body('E2E-DRY-TWICE', { status: 'VALIDATED' }) },
];

function workflow(id: string, dryRun: boolean): Workflow {
	const built: Workflow = {
		id,
		name: dryRun ? 'e2e first load: dry run' : 'e2e first load: real run',
		nodes: [
			{
				id: randomUUID(),
				name: 'Items',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: randomUUID(),
				name: NODE,
				type: NODE_TYPE,
				typeVersion: 1,
				position: [440, 0],
				parameters: {
					resource: 'leadOpportunity',
					operation: 'upsert',
					apiVersion: 'v1',
					inputMode: 'json',
					jsonBody: '={{ $json.body }}',
					options: dryRun ? { dryRun: true } : {},
				},
				credentials: { dassaultSalesApi: CREDENTIAL },
				onError: 'continueRegularOutput',
			},
		],
		connections: { Items: { main: [[{ node: NODE, type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
	replaceTrigger(built, 'Items', mixedSet());
	return built;
}

/** A real run's action and the dry run's word for it. */
const PREDICTION: Record<string, string> = {
	create: 'wouldCreate',
	update: 'wouldUpdate',
	unchanged: 'unchanged',
};

const outcomes = (run: ExecuteResult) =>
	run.nodes[NODE].items.map((item) =>
		item.error !== undefined
			? { error: item.error }
			: { action: PREDICTION[String(item.action)] ?? item.action },
	);

beforeAll(async () => {
	sandbox = await startSandbox({ host: '127.0.0.1', port: 0, seed: 25 });
	offer = sandbox.admin
		.portfolioItems()
		.filter((item) => item.salesPortfolioisOrderable)[3].salesPortfolioId;
	// 3DS already holds two of the items' leads: one as the item gives it, one under another name.
	for (const partnerLeadOpportunityId of ['E2E-DRY-CHANGED', 'E2E-DRY-SAME']) {
		const created = await call(sandbox.url, 'POST', '/sales/api4partners/v1/leads-opportunities', {
			key: SANDBOX_API_KEY,
			body: { partnerId: SANDBOX_PARTNER_ID, ...body(partnerLeadOpportunityId) },
		});
		expect(created.status).toBe(201);
	}
	n8n = await createInstance({ name: 'dry-run' });
	await n8n.importCredentials([sandboxCredential(sandbox.url, CREDENTIAL)]);
	await n8n.importWorkflows([workflow(DRY_ID, true), workflow(REAL_ID, false)]);
});

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.stop();
});

test('a dry run in n8n writes nothing; the real run then does what it predicted', async () => {
	const writesBefore = sandbox.admin.changes().length;
	const dry = await n8n.execute(DRY_ID);
	expect(dry.nodes[NODE]?.error).toBeUndefined();
	expect(sandbox.admin.changes()).toHaveLength(writesBefore);
	const predicted = outcomes(dry);
	expect(predicted.map((o) => o.action ?? 'error')).toEqual([
		'wouldCreate',
		'wouldUpdate',
		'unchanged',
		'error',
		'wouldCreate',
		'wouldUpdate',
		'unchanged',
	]);
	const [, changed] = dry.nodes[NODE].items;
	expect(changed).toMatchObject({
		dryRun: true,
		changedFields: ['leadOpportunity.name'],
		changes: [
			{
				field: 'leadOpportunity.name',
				current: 'First load E2E-DRY-CHANGED',
				new: 'Renamed in the CRM',
			},
		],
		body: {
			leadOpportunity: { partnerLeadOpportunityId: 'E2E-DRY-CHANGED', name: 'Renamed in the CRM' },
		},
	});

	const real = await n8n.execute(REAL_ID);
	expect(outcomes(real)).toEqual(predicted);
	expect(sandbox.admin.changes().length - writesBefore).toBe(4);
});
