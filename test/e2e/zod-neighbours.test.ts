// Another community package in the same `~/.n8n/nodes` can hoist its own zod into
// `~/.n8n/nodes/node_modules`, where Node finds it before n8n's copy. With a zod 4 there (the MCP
// SDK depends on one), every write and every date search used to fail ("def.innerType._zod.run is
// not a function"). Here the real n8n 2.41.1 runs every operation (operations-suite.ts) and one
// trigger poll with a zod 4 and with a zod 3 older than the `zod/v3` subpath beside our package;
// operations.test.ts runs the same suite with n8n's own zod.
import { createRequire } from 'node:module';
import path from 'node:path';

import {
	createInstance,
	PACKAGE_NAME,
	repoRoot,
	sandboxCredential,
	TRIGGER_NODE_TYPE,
	executionNodes,
	type N8nInstance,
	type N8nServer,
	type WorkflowInput,
} from '../../e2e/harness';
import { startSandbox, type RunningSandbox } from '../../sandbox';
import {
	errorsWorkflow,
	operationsContext,
	operationsSuite,
	operationsWorkflow,
	type OperationsContext,
} from './operations-suite';

const CREDENTIAL = { id: 'e2eZodCredent01', name: 'Zod sandbox' };
const POLL_WORKFLOW_ID = 'e2eZodTriggerPol';

/** The trigger with every change of the past hour: the activation poll emits the suite's leads. */
const pollWorkflow = (): WorkflowInput => ({
	id: POLL_WORKFLOW_ID,
	name: 'zod neighbour: one poll',
	nodes: [
		{
			id: 'z1',
			name: '3DS Changes',
			type: TRIGGER_NODE_TYPE,
			typeVersion: 1,
			position: [0, 0],
			credentials: { dassaultSalesApi: CREDENTIAL },
			parameters: {
				pollTimes: { item: [{ mode: 'everyHour' }] },
				event: 'leadOpportunityUpdated',
				options: { startFrom: 'lastHour' },
			},
		},
	],
	connections: {},
});

describe.each([
	['a zod 4 (4.6.7)', 'zod-v4', '4.6.7'],
	['a zod 3 without the zod/v3 subpath (3.22.4)', 'zod-v3-22', '3.22.4'],
])('with %s beside the package in ~/.n8n/nodes/node_modules', (_, neighbour, version) => {
	let sandbox: RunningSandbox;
	let n8n: N8nInstance;
	let context: OperationsContext;

	beforeAll(async () => {
		sandbox = await startSandbox({ port: 0, seed: 31 });
		context = operationsContext(sandbox, CREDENTIAL);
		n8n = await createInstance({
			name: `zod-${neighbour}`,
			neighbours: { zod: path.join(repoRoot, 'node_modules', neighbour) },
		});
		await n8n.importCredentials([sandboxCredential(sandbox.url, CREDENTIAL)]);
		await n8n.importWorkflows([
			operationsWorkflow(context),
			errorsWorkflow(context),
			pollWorkflow(),
		]);
	}, 180_000);

	afterAll(async () => {
		await n8n?.dispose();
		await sandbox?.stop();
	});

	test(`Node's lookup from our installed package finds zod ${version}`, () => {
		const installed = path.join(n8n.userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME);
		const found = createRequire(path.join(installed, 'package.json'))('zod/package.json') as {
			version: string;
		};
		expect(found.version).toBe(version);
	});

	operationsSuite({
		context: () => context,
		run: async (workflowId) => await n8n.execute(workflowId),
	});

	describe('the trigger', () => {
		let server: N8nServer;

		beforeAll(async () => {
			server = await n8n.start();
			await server.setupOwner();
		}, 180_000);

		afterAll(async () => {
			await server?.stop();
		});

		test('a poll searches by date and emits the changes of the past hour', async () => {
			await server.activate(POLL_WORKFLOW_ID);
			const [execution] = await server.waitForExecutions(POLL_WORKFLOW_ID, 1, 90_000);
			expect(execution.status).toBe('success');
			const emitted = executionNodes(execution)['3DS Changes'].items;
			const created = sandbox.admin
				.listLeads()
				.filter((lead) => lead.partnerLeadOpportunityId?.startsWith('E2E-OPS-'))
				.map((lead) => lead.dsLeadOpportunityId);
			expect(created.length).toBeGreaterThan(0);
			expect(emitted.map((item) => item.dsLeadOpportunityId)).toEqual(
				expect.arrayContaining(created),
			);
		}, 120_000);
	});
});
