// Status Changed to WON in a real n8n 2.41.1 (issue 22): the trigger polls every 10 s; the
// sandbox changes a lead as 3DS would. A change to another status, and a change of the owner, give
// no item; the move to WON gives exactly one, saying the status it came from.
import { startSandbox, type RunningSandbox } from '../../sandbox';
import {
	createInstance,
	executionNodes,
	sandboxCredential,
	sleep,
	TRIGGER_NODE_TYPE,
	type Execution,
	type N8nInstance,
	type N8nServer,
	type WorkflowInput,
} from '../../e2e/harness';

const WORKFLOW_ID = 'triggerStatusChangedWon';
/** Every 10 s (n8n refuses a sub-minute cron, not six minute ones). */
const POLL_SECONDS = [0, 10, 20, 30, 40, 50];
const POLL_MS = 10_000;
const CREDENTIAL = { id: sandboxCredential('').id, name: '3DS Sandbox' };

let sandbox: RunningSandbox;
let n8n: N8nInstance;
let server: N8nServer;

const statusChangedToWon = (): WorkflowInput => ({
	id: WORKFLOW_ID,
	name: WORKFLOW_ID,
	nodes: [
		{
			id: 'won-trigger',
			name: 'Won',
			type: TRIGGER_NODE_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: {
				pollTimes: {
					item: POLL_SECONDS.map((second) => ({
						mode: 'custom',
						cronExpression: `${second} * * * * *`,
					})),
				},
				event: 'statusChanged',
				options: { toStatuses: ['WON'] },
			},
			credentials: { dassaultSalesApi: CREDENTIAL },
		},
	],
	connections: {},
	settings: { executionOrder: 'v1' },
});

const finished = async (): Promise<Execution[]> =>
	(await server.listExecutions(WORKFLOW_ID)).filter((e) => e.stoppedAt);

/** Waits two poll periods and more, so that every change made before has been polled. */
const afterPolls = () => sleep(2 * POLL_MS + 3_000);

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 22 });
	n8n = await createInstance({ name: 'trigger-status-changed' });
	await n8n.importCredentials([sandboxCredential(sandbox.url)]);
	await n8n.importWorkflows([statusChangedToWon()]);
	server = await n8n.start();
	await server.setupOwner();
	await server.createApiKey();
	// Activation polls once from "now": the seeded leads are history.
	await server.activate(WORKFLOW_ID);
}, 180_000);

afterAll(async () => {
	await server?.stop();
	await n8n?.dispose();
	await sandbox?.stop();
});

test('Status Changed to WON: no item for other changes, one item when the sandbox moves a lead to WON', async () => {
	const leads = sandbox.admin.listLeads().filter((lead) => !['WON', 'LOST'].includes(lead.status));
	const lead = leads[0].dsLeadOpportunityId;
	const other = leads[1].dsLeadOpportunityId;
	await sleep(2_000);
	const before = (await finished()).length;

	// Seen first with another status (remembered, not emitted), then an owner change: no item.
	sandbox.admin.changeLead(lead, { status: 'VALIDATED' });
	await afterPolls();
	sandbox.admin.changeLead(lead, { dsOwnerEmail: 'li.wei@3ds.com' });
	sandbox.admin.changeLead(other, { status: 'LOST' });
	await afterPolls();
	expect((await finished()).length).toBe(before);

	const won = sandbox.admin.changeLead(lead, { status: 'WON' });
	await server.waitForExecutions(WORKFLOW_ID, before + 1, 60_000);
	await afterPolls(); // and no second item in the polls that follow
	const all = await finished();
	const runs = all.slice(0, all.length - before);
	expect(runs.map((r) => r.status)).toEqual(['success']);
	const items = runs.flatMap((r) => executionNodes(r).Won.items);
	expect(items).toHaveLength(1);
	expect(items[0]).toMatchObject({
		changedFields: ['status'],
		previous: { status: 'VALIDATED' },
		firstSeen: false,
		dsLeadOpportunityId: lead,
		status: 'WON',
		modifiedDate: won.modifiedDate,
	});
	expect(sandbox.admin.violations()).toEqual([]);
}, 240_000);
