// Issue 20's three rows in real n8n, with the workflow's time zone set to Asia/Tokyo (Workflow
// settings › Timezone), checked on what the sandbox received:
//   1. Search, Modified After picked as 2026-11-20 09:00 → 3DS searches from 2026-11-20T00:00:00.000Z;
//   2. Create, Close Date from a CRM instant 2026-12-30T15:00:00.000Z (31 Dec 00:00 in Tokyo) →
//      3DS gets the day 2026-12-31 (as midnight UTC; offer line days as YYYY-MM-DD);
//   3. Trigger, Start From picked as a local time → the first poll starts at that local time.
// The sandbox's search bounds are inclusive, so leads modified one millisecond either side of each
// bound show the exact instants it received; for the create, its store (admin API) holds the value
// received (days stored as sent), and Get's output keeps the API's own value.
import { DateTime } from 'luxon';

import { startSandbox, type RunningSandbox } from '../../sandbox';
import {
	createInstance,
	executionNodes,
	NODE_TYPE,
	sandboxCredential,
	TRIGGER_NODE_TYPE,
	type N8nInstance,
	type N8nServer,
	type WorkflowInput,
} from '../../e2e/harness';
import { createLeadViaApi } from './workflow-helpers';

type Json = Record<string, unknown>;

const ZONE = 'Asia/Tokyo';
const CREDENTIAL = { id: sandboxCredential('').id, name: '3DS Sandbox' };
const SEARCH_ID = 'timezoneSearch01';
const CREATE_ID = 'timezoneCreate01';
const TRIGGER_ID = 'timezoneTrigger1';
/** Every 10 s (six minute crons: n8n refuses a sub-minute one). */
const POLL_SECONDS = [0, 10, 20, 30, 40, 50];

/** The trigger's start: 09:00 in Tokyo three days ago, as n8n's date picker writes it. */
const startLocal = DateTime.now().setZone(ZONE).minus({ days: 3 }).startOf('day').set({ hour: 9 });
const START_PICKED = startLocal.toFormat("yyyy-MM-dd'T'HH:mm:ss");
const START_MS = startLocal.toMillis();

let sandbox: RunningSandbox;
let n8n: N8nInstance;
let server: N8nServer | undefined;
/** The sandbox's clock, which stamps modifiedDate: set while a lead is written, else real time. */
let frozen: number | undefined;
const leadIds: Record<string, string> = {};
let offerId: string;

const node = (name: string, type: string, x: number, parameters: Json) => ({
	id: `${name.replace(/\W/g, '')}-${x}`,
	name,
	type,
	typeVersion: 1,
	position: [x, 0],
	parameters,
	credentials: { dassaultSalesApi: CREDENTIAL },
});

const manual = {
	id: 'start',
	name: 'Start',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	position: [-220, 0],
	parameters: {},
};

const workflow = (id: string, nodes: Json[]): WorkflowInput => ({
	id,
	name: id,
	nodes,
	connections: Object.fromEntries(
		nodes
			.slice(0, -1)
			.map((from, i) => [
				from.name,
				{ main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] },
			]),
	),
	settings: { executionOrder: 'v1', timezone: ZONE },
});

/** A lead written by another tool, modified at `at`. */
async function leadModifiedAt(name: string, at: string | number) {
	frozen = typeof at === 'number' ? at : Date.parse(at);
	try {
		leadIds[name] = await createLeadViaApi(sandbox.url, {
			partnerLeadOpportunityId: `TZ-${name}`,
			name,
			offerNameId: offerId,
		});
	} finally {
		frozen = undefined;
	}
}

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, leadCount: 0, now: () => frozen ?? Date.now() });
	offerId = sandbox.admin
		.portfolioItems()
		.filter((item) => item.salesPortfolioisOrderable)[0].salesPortfolioId;
	// Row 1: 09:00 and 10:00 in Tokyo are 00:00Z and 01:00Z on 20 November.
	await leadModifiedAt('BEFORE_FROM', '2026-11-19T23:59:59.999Z');
	await leadModifiedAt('AT_FROM', '2026-11-20T00:00:00.000Z');
	await leadModifiedAt('AT_TO', '2026-11-20T01:00:00.000Z');
	await leadModifiedAt('AFTER_TO', '2026-11-20T01:00:00.001Z');
	// Row 3: the picked start, read in Tokyo.
	await leadModifiedAt('BEFORE_START', START_MS - 1);
	await leadModifiedAt('AT_START', START_MS);

	n8n = await createInstance({ name: 'timezone' });
	await n8n.importCredentials([sandboxCredential(sandbox.url)]);
	await n8n.importWorkflows([
		workflow(SEARCH_ID, [
			manual,
			node('Search', NODE_TYPE, 0, {
				resource: 'leadOpportunity',
				operation: 'search',
				output: 'ids',
				returnAll: true,
				filters: { modifiedAfter: '2026-11-20T09:00:00', modifiedBefore: '2026-11-20T10:00:00' },
				options: {},
			}),
		]),
		workflow(CREATE_ID, [
			manual,
			node('Create', NODE_TYPE, 0, {
				resource: 'leadOpportunity',
				operation: 'create',
				apiVersion: 'v1',
				inputMode: 'fields',
				partnerLeadOpportunityId: 'TZ-CREATE',
				name: 'Close day from a CRM',
				status: 'OPPY_OPEN',
				closeDate: '={{ "2026-12-30T15:00:00.000Z" }}',
				currency: 'JPY',
				offerLines: {
					offerLine: [
						{
							offerNameId: { __rl: true, mode: 'id', value: offerId },
							amount: 1000,
							revenueType: 'YxC',
							// The date picker's value, and a CRM instant (1 Jan 00:00 in Tokyo).
							startDate: '2027-01-01',
							endDate: '={{ "2027-12-30T15:00:00.000Z" }}',
						},
					],
				},
				customerName: 'Tokyo Precision KK',
				customerCity: 'Tokyo',
				customerCountry: 'Japan',
				additionalFields: { nextMilestoneDate: '2027-01-15' },
				customerDetails: {},
				customerContacts: {},
				partnerContacts: {},
				options: {},
			}),
			node('Get', NODE_TYPE, 220, {
				resource: 'leadOpportunity',
				operation: 'get',
				apiVersion: 'v1',
				dsLeadOpportunityId: '={{ $json.dsLeadOpportunityId }}',
				// The whole record: next milestone date is not one of Simplify's ten fields.
				simplify: false,
				options: {},
			}),
		]),
		workflow(TRIGGER_ID, [
			node('3DS Changes', TRIGGER_NODE_TYPE, 0, {
				pollTimes: {
					item: POLL_SECONDS.map((second) => ({
						mode: 'custom',
						cronExpression: `${second} * * * * *`,
					})),
				},
				event: 'leadOpportunityUpdated',
				options: { output: 'ids', startFrom: 'dateTime', startFromDateTime: START_PICKED },
			}),
		]),
	]);
}, 180_000);

afterAll(async () => {
	await server?.stop();
	await n8n?.dispose();
	await sandbox?.stop();
});

test('Search: Modified After/Before picked as 09:00/10:00 in Tokyo search 00:00Z to 01:00Z', async () => {
	const run = await n8n.execute(SEARCH_ID);
	expect(run.error).toBeUndefined();
	expect(run.nodes.Search.items.map((item) => item.dsLeadOpportunityId).sort()).toEqual(
		[leadIds.AT_FROM, leadIds.AT_TO].sort(),
	);
});

test('Create: a close date given as the CRM instant of 31 Dec 00:00 in Tokyo reaches 3DS as 31 Dec', async () => {
	const run = await n8n.execute(CREATE_ID);
	expect(run.error).toBeUndefined();
	const id = String(run.nodes.Create.items[0].dsLeadOpportunityId);
	// What the sandbox received (it stores days as sent, normalised to UTC).
	const stored = sandbox.admin.getLead(id);
	expect(stored).toMatchObject({
		closeDate: '2026-12-31T00:00:00.000Z',
		nextMilestoneDate: '2027-01-15T00:00:00.000Z',
		offerLines: [expect.objectContaining({ startDate: '2027-01-01', endDate: '2027-12-31' })],
	});
	// Get's output keeps the API's own values.
	expect(run.nodes.Get.items[0]).toMatchObject({
		closeDate: '2026-12-31T00:00:00.000Z',
		nextMilestoneDate: '2027-01-15T00:00:00.000Z',
	});
	expect(sandbox.admin.violations()).toEqual([]);
});

test('Trigger: Start From picked as 09:00 in Tokyo starts the first poll at that local time', async () => {
	server = await n8n.start();
	await server.setupOwner();
	await server.createApiKey();
	await server.activate(TRIGGER_ID);
	const [run] = await server.waitForExecutions(TRIGGER_ID, 1, 90_000);
	expect(run.status).toBe('success');
	const emitted = executionNodes(run)['3DS Changes'].items;
	// From 09:00 Tokyo on, oldest first: the lead modified at that instant, then only later ones
	// (the Create test's), never the one a millisecond before nor row 1's (November 2026).
	// A lead the trigger sees for the first time says so and claims no change (the trigger events).
	expect(emitted[0]).toEqual({
		changedFields: [],
		previous: null,
		firstSeen: true,
		dsLeadOpportunityId: leadIds.AT_START,
		modifiedDate: new Date(START_MS).toISOString(),
	});
	for (const item of emitted)
		expect(Date.parse(String(item.modifiedDate))).toBeGreaterThanOrEqual(START_MS);
	expect(emitted.map((item) => item.dsLeadOpportunityId)).not.toContain(leadIds.BEFORE_START);
	expect(sandbox.admin.violations()).toEqual([]);
}, 180_000);
