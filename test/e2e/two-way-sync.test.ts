// Two-way sync without echo, in a real n8n 2.41.1 (issue 12, item 3). Two published workflows
// point at one CRM:
// - "3DS → CRM": our trigger (polling every 10 s) → HTTP Request PUT of the CRM deal;
// - "CRM → 3DS": the CRM's change webhook → HTTP Request GET of the deal → Create or Update.
// The CRM is a small HTTP server this test starts on 127.0.0.1 (no third-party account). Like
// HubSpot or Salesforce, it notifies only when a PUT really changes a deal.
//
// One change made in 3DS must give exactly one trigger event, one CRM change, one Create or Update
// that writes nothing (`action: "unchanged"`), zero 3DS writes after it, and then silence: the loop
// stops after one round. It needs Create or Update to diff before writing
// (helpers/leadOpportunityDiff.ts): an upsert that always writes moves modifiedDate, the trigger
// emits the lead a second time, and this test fails on the count of trigger events.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { startSandbox, type RunningSandbox } from '../../sandbox';
import {
	createInstance,
	executionNodes,
	NODE_TYPE,
	sandboxCredential,
	sleep,
	TRIGGER_NODE_TYPE,
	type Execution,
	type N8nInstance,
	type N8nServer,
	type WorkflowInput,
} from '../../e2e/harness';
import { createLeadViaApi } from './workflow-helpers';

type Json = Record<string, unknown>;

const TO_CRM_ID = 'twoWaySync3dsCrm';
const TO_3DS_ID = 'twoWaySyncCrm3ds';
const HOOK_PATH = 'crm-deal-changed';
const DEAL_ID = 'DEAL-7001';
/** The trigger's poll times: every 10 s (n8n refuses a sub-minute cron, not six minute ones). */
const POLL_SECONDS = [0, 10, 20, 30, 40, 50];

interface Deal {
	id: string;
	name: string;
	stage: string;
	closeDate: string;
	currency: string;
	offerNameId: string;
	amount: number;
	customerName: string;
	customerCity: string;
	customerCountry: string;
}

/** The CRM stand-in: deals by id, a PUT that merges, and a change webhook like a real CRM's. */
class Crm {
	readonly deals = new Map<string, Deal>();
	/** Every PUT, and the fields each one changed (empty: nothing changed, no notification). */
	readonly puts: Array<{ id: string; changed: string[] }> = [];
	readonly notifications: Array<{ dealId: string; status: number }> = [];
	hookUrl?: string;
	url = '';
	private readonly server: Server = createServer((req, res) => {
		void this.handle(req).then(
			({ status, body }) => {
				res.writeHead(status, { 'content-type': 'application/json' });
				res.end(JSON.stringify(body));
			},
			(error: unknown) => {
				res.writeHead(500, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ message: String(error) }));
			},
		);
	});
	private readonly pending = new Set<Promise<void>>();

	async start(): Promise<void> {
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
	}

	/** Stops listening once every notification in flight has ended. */
	async stop(): Promise<void> {
		await Promise.allSettled([...this.pending]);
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
		const id = decodeURIComponent(/^\/deals\/([^/?]+)/.exec(req.url ?? '')?.[1] ?? '');
		const deal = this.deals.get(id);
		if (!deal) return { status: 404, body: { message: `no deal ${id}` } };
		if (req.method === 'GET') return { status: 200, body: deal };
		if (req.method !== 'PUT') return { status: 405, body: { message: 'GET or PUT' } };
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const update = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Partial<Deal>;
		const changed = Object.entries(update)
			.filter(([key, value]) => key in deal && deal[key as keyof Deal] !== value)
			.map(([key]) => key);
		Object.assign(deal, Object.fromEntries(changed.map((key) => [key, update[key as keyof Deal]])));
		this.puts.push({ id, changed });
		if (changed.length > 0) this.notify(id);
		return { status: 200, body: deal };
	}

	/** After answering, as CRMs do: the change webhook is sent on its own. */
	private notify(dealId: string): void {
		const sent = (async () => {
			await sleep(200);
			const res = await fetch(this.hookUrl!, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ dealId, event: 'deal.changed' }),
			});
			await res.text();
			this.notifications.push({ dealId, status: res.status });
		})().catch(() => {
			this.notifications.push({ dealId, status: 0 });
		});
		this.pending.add(sent);
		void sent.finally(() => this.pending.delete(sent));
	}
}

let sandbox: RunningSandbox;
let crm: Crm;
let n8n: N8nInstance;
let server: N8nServer;
let leadId: string;
let offerId: string;

const CREDENTIAL = { id: sandboxCredential('').id, name: '3DS Sandbox' };

const node = (name: string, type: string, typeVersion: number, x: number, parameters: Json) => ({
	id: `${name.replace(/\W/g, '')}-${x}`,
	name,
	type,
	typeVersion,
	position: [x, 0],
	parameters,
});

const workflow = (id: string, nodes: Json[], chain: string[]): WorkflowInput => ({
	id,
	name: id,
	nodes,
	connections: Object.fromEntries(
		chain
			.slice(0, -1)
			.map((from, i) => [from, { main: [[{ node: chain[i + 1], type: 'main', index: 0 }]] }]),
	),
	settings: { executionOrder: 'v1' },
});

/** 3DS → CRM: each changed lead-opportunity updates the deal whose id is its partner id. */
function toCrmWorkflow(): WorkflowInput {
	const body =
		'={{ JSON.stringify({ name: $json.name, stage: $json.status, closeDate: $json.closeDate, ' +
		'currency: $json.currency, amount: $json.amount }) }}'; // Simplify (the default) sums the offer lines
	return workflow(
		TO_CRM_ID,
		[
			{
				...node('3DS Changes', TRIGGER_NODE_TYPE, 1, 0, {
					pollTimes: {
						item: POLL_SECONDS.map((second) => ({
							mode: 'custom',
							cronExpression: `${second} * * * * *`,
						})),
					},
					event: 'leadOpportunityUpdated',
					options: {},
				}),
				credentials: { dassaultSalesApi: CREDENTIAL },
			},
			node('Update CRM Deal', 'n8n-nodes-base.httpRequest', 4.2, 220, {
				method: 'PUT',
				url: `=${crm.url}/deals/{{ encodeURIComponent($json.partnerLeadOpportunityId) }}`,
				sendBody: true,
				contentType: 'json',
				specifyBody: 'json',
				jsonBody: body,
				options: {},
			}),
		],
		['3DS Changes', 'Update CRM Deal'],
	);
}

/** CRM → 3DS: the deal the CRM says changed, read and sent with Create or Update. */
function to3dsWorkflow(): WorkflowInput {
	const field = (name: string) => `={{ $json.${name} }}`;
	return workflow(
		TO_3DS_ID,
		[
			{
				...node('CRM Deal Changed', 'n8n-nodes-base.webhook', 2, 0, {
					httpMethod: 'POST',
					path: HOOK_PATH,
					responseMode: 'onReceived',
					options: {},
				}),
				webhookId: 'c6f1e0a4-2b7d-4d84-9a51-3f0e2d7b9a11',
			},
			node('Get CRM Deal', 'n8n-nodes-base.httpRequest', 4.2, 220, {
				url: `=${crm.url}/deals/{{ encodeURIComponent($json.body.dealId) }}`,
				options: {},
			}),
			{
				...node('Create or Update in 3DS', NODE_TYPE, 1, 440, {
					resource: 'leadOpportunity',
					operation: 'upsert',
					apiVersion: 'v1',
					inputMode: 'fields',
					partnerLeadOpportunityId: field('id'),
					name: field('name'),
					status: field('stage'),
					closeDate: field('closeDate'),
					currency: field('currency'),
					offerLines: {
						offerLine: [
							{
								offerNameId: { __rl: true, mode: 'id', value: field('offerNameId') },
								amount: field('amount'),
								revenueType: 'PxC',
							},
						],
					},
					customerName: field('customerName'),
					customerCity: field('customerCity'),
					customerCountry: field('customerCountry'),
					additionalFields: {},
					options: {},
				}),
				credentials: { dassaultSalesApi: CREDENTIAL },
			},
		],
		['CRM Deal Changed', 'Get CRM Deal', 'Create or Update in 3DS'],
	);
}

/** The 3DS writes the sandbox has answered (create and update, v0 and v1). */
function writes(): number {
	const { requests } = sandbox.admin.counters();
	return Object.entries(requests)
		.filter(([operation]) => /^(create|update)/.test(operation))
		.reduce((sum, [, count]) => sum + count, 0);
}

const finished = async (workflowId: string): Promise<Execution[]> =>
	(await server.listExecutions(workflowId)).filter((e) => e.stoppedAt);

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 12 });
	offerId = sandbox.admin
		.portfolioItems()
		.filter((item) => item.salesPortfolioisOrderable)[5].salesPortfolioId;
	crm = new Crm();
	await crm.start();

	// In sync before the test: the deal in the CRM and the lead-opportunity in 3DS hold the same values.
	const deal: Deal = {
		id: DEAL_ID,
		name: 'Nordwerk - DELMIA line planning',
		stage: 'QUALIFIED',
		closeDate: '2026-11-20T00:00:00.000Z',
		currency: 'EUR',
		offerNameId: offerId,
		amount: 48_000,
		customerName: 'Nordwerk Fahrzeugtechnik GmbH',
		customerCity: 'Wolfsburg',
		customerCountry: 'Germany',
	};
	crm.deals.set(DEAL_ID, deal);
	leadId = await createLeadViaApi(sandbox.url, {
		partnerLeadOpportunityId: deal.id,
		name: deal.name,
		status: deal.stage,
		closeDate: deal.closeDate,
		currency: deal.currency,
		offerNameId: deal.offerNameId,
		amount: deal.amount,
		customer: { name: deal.customerName, city: deal.customerCity, country: deal.customerCountry },
	});

	n8n = await createInstance({ name: 'two-way-sync' });
	await n8n.importCredentials([sandboxCredential(sandbox.url)]);
	await n8n.importWorkflows([toCrmWorkflow(), to3dsWorkflow()]);
	server = await n8n.start();
	crm.hookUrl = `${server.url}/webhook/${HOOK_PATH}`;
	await server.setupOwner();
	await server.createApiKey();
	await server.activate(TO_3DS_ID);
	// Activation polls once from "now": the lead created above is not a change to report.
	await server.activate(TO_CRM_ID);
}, 180_000);

afterAll(async () => {
	await server?.stop();
	await n8n?.dispose();
	await crm?.stop();
	await sandbox?.stop();
});

test('one change made in 3DS: one trigger event, one CRM change, zero 3DS writes after it, then silence', async () => {
	// Whatever the activation did (nothing, by design), only what follows the change counts.
	await sleep(2_000);
	const triggerRunsBefore = (await finished(TO_CRM_ID)).length;
	expect(crm.puts).toEqual([]);
	const writesBefore = writes();
	const changesBefore = sandbox.admin.changes().length;

	const change = sandbox.admin.changeLead(leadId, { status: 'VALIDATED' });

	// The round: a poll (≤ 10 s) → the CRM PUT → the CRM's webhook → Create or Update.
	const [round] = await server.waitForExecutions(TO_3DS_ID, 1, 90_000);
	expect(round.status).toBe('success');
	// Then three more poll times: an echo would show up as a second trigger event.
	await sleep(3 * 10_000 + 5_000);

	const triggerRuns = (await finished(TO_CRM_ID)).slice(0, -triggerRunsBefore || undefined);
	const emitted = triggerRuns.flatMap((run) => executionNodes(run)['3DS Changes'].items);
	expect(triggerRuns.map((run) => run.status)).toEqual(['success']);
	expect(emitted).toHaveLength(1);
	expect(emitted[0]).toMatchObject({
		dsLeadOpportunityId: leadId,
		partnerLeadOpportunityId: DEAL_ID,
		status: 'VALIDATED',
		modifiedDate: change.modifiedDate,
	});

	// The CRM took the change once and notified once.
	expect(crm.puts).toEqual([{ id: DEAL_ID, changed: ['stage'] }]);
	expect(crm.deals.get(DEAL_ID)?.stage).toBe('VALIDATED');
	expect(crm.notifications).toEqual([{ dealId: DEAL_ID, status: 200 }]);

	// The CRM's change came back to 3DS once, and 3DS already held it: nothing written.
	const syncRuns = await finished(TO_3DS_ID);
	expect(syncRuns).toHaveLength(1);
	const nodes = executionNodes(syncRuns[0]);
	expect(nodes['Get CRM Deal'].items).toEqual([crm.deals.get(DEAL_ID)]);
	const upserted = nodes['Create or Update in 3DS'].items;
	expect(upserted).toHaveLength(1);
	expect(upserted[0]).toMatchObject({
		dsLeadOpportunityId: leadId,
		partnerLeadOpportunityId: DEAL_ID,
		action: 'unchanged',
	});
	expect(writes()).toBe(writesBefore);
	expect(sandbox.admin.changes().slice(changesBefore)).toEqual([change]);
	expect(sandbox.admin.getLead(leadId)?.modifiedDate).toBe(change.modifiedDate);
	expect(sandbox.admin.violations()).toEqual([]);
}, 180_000);
