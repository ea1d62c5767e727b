// n8n 1.123.81 loads the packed package with no warning, and runs the trigger: a workflow made
// active through the 1.x CLI (`n8n update:workflow --active=true`; 2.x has publish:workflow
// instead) is activated when `n8n start` boots, and its first poll emits the changes of the last
// hour as an execution. n8n 1.x has no getPollBudgetMs(): the trigger runs on its 45 s fallback.
import { randomUUID } from 'node:crypto';

import { startSandbox, type RunningSandbox } from '../../sandbox';
import {
	CREDENTIAL_TYPE,
	executionRun,
	NODE_TYPE,
	packageProblems,
	PACKAGE_NAME,
	SANDBOX_API_KEY,
	sandboxCredential,
	sleep,
	TRIGGER_NODE_TYPE,
	type N8nInstance,
	type N8nServer,
	type WorkflowInput,
} from '../../e2e/harness';
import { createLeadViaApi } from '../e2e/workflow-helpers';
import { createInstance1, N8N_1_VERSION } from './n8n1';

type Json = Record<string, unknown>;

const CREDENTIAL = { id: 'compatTrigCred01', name: 'Compat sandbox' };
const WORKFLOW_ID = 'compatTrigger001';

let sandbox: RunningSandbox;
let n8n: N8nInstance;
let server: N8nServer | undefined;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 31 });
	n8n = await createInstance1({ name: 'compat-trigger' });
	await n8n.importCredentials([sandboxCredential(sandbox.url, CREDENTIAL)]);
});

afterAll(async () => {
	await server?.stop();
	await n8n?.dispose();
	await sandbox?.stop();
});

async function waitForLog(instance: N8nInstance, text: string, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!instance.log().includes(text)) {
		if (Date.now() > deadline) throw new Error(`n8n did not log "${text}" within ${timeoutMs} ms`);
		await sleep(500);
	}
}

test(`n8n ${N8N_1_VERSION} lists both nodes, the AI tool variant and the credential, and logs no problem with the package`, async () => {
	expect((await n8n.cli(['--version'])).stdout).toContain(N8N_1_VERSION);
	const nodes = (await n8n.exportNodes()) as Array<{
		name: string;
		credentials?: { name: string }[];
	}>;
	const ours = nodes.filter((n) => n.name.startsWith(`${PACKAGE_NAME}.`));
	expect(ours.map((n) => n.name).sort()).toEqual(
		[NODE_TYPE, `${NODE_TYPE}Tool`, TRIGGER_NODE_TYPE].sort(),
	);
	for (const node of ours) expect(node.credentials?.map((c) => c.name)).toContain(CREDENTIAL_TYPE);
	expect(packageProblems(n8n.log())).toEqual([]);
});

test('a workflow activated with update:workflow --active=true polls when n8n starts, and emits each change once', async () => {
	const offer = sandbox.admin.portfolioItems().find((item) => item.salesPortfolioisOrderable)!;
	const ids = [
		await createLeadViaApi(sandbox.url, {
			partnerLeadOpportunityId: 'COMPAT-0001',
			name: 'Compat - CATIA seats',
			offerNameId: offer.salesPortfolioId,
		}),
		await createLeadViaApi(sandbox.url, {
			partnerLeadOpportunityId: 'COMPAT-0002',
			name: 'Compat - SOLIDWORKS PDM',
			offerNameId: offer.salesPortfolioId,
		}),
	];
	for (const id of ids) sandbox.admin.changeLead(id, { status: 'VALIDATED' });

	const workflow: WorkflowInput = {
		id: WORKFLOW_ID,
		name: 'compat trigger',
		nodes: [
			{
				id: randomUUID(),
				name: '3DS Changes',
				type: TRIGGER_NODE_TYPE,
				typeVersion: 1,
				position: [0, 0],
				parameters: {
					pollTimes: { item: [{ mode: 'everyX', value: 5, unit: 'minutes' }] },
					event: 'leadOpportunityUpdated',
					options: { startFrom: 'lastHour' },
				},
				credentials: { dassaultSalesApi: CREDENTIAL },
			},
		],
		connections: {},
		settings: { executionOrder: 'v1' },
	};
	await n8n.importWorkflows([workflow]);
	const activated = await n8n.cli(['update:workflow', `--id=${WORKFLOW_ID}`, '--active=true']);
	expect(activated.code).toBe(0);

	server = await n8n.start();
	// n8n 1.x answers /healthz/readiness before it mounts its REST API (POST /rest/owner/setup is a
	// 404 until then): wait for the line it logs once the editor and API are up.
	await waitForLog(n8n, 'Editor is now accessible', 120_000);
	await server.setupOwner();
	await server.createApiKey();
	const [execution] = await server.waitForExecutions(WORKFLOW_ID, 1, 90_000);
	expect(execution.mode).toBe('trigger');
	const run = executionRun(execution);
	expect(run.ok).toBe(true);
	const emitted = run.nodes['3DS Changes'].items as Json[];
	const emittedIds = emitted.map((i) => i.dsLeadOpportunityId);
	expect(emittedIds).toEqual(expect.arrayContaining(ids));
	expect(new Set(emittedIds).size).toBe(emittedIds.length);
	expect(emitted.find((i) => i.dsLeadOpportunityId === ids[0])).toMatchObject({
		partnerLeadOpportunityId: 'COMPAT-0001',
		status: 'VALIDATED',
	});

	await server.stop();
	const log = n8n.log();
	expect(log).toContain('Editor is now accessible');
	expect(packageProblems(log)).toEqual([]);
	expect(log).not.toContain(SANDBOX_API_KEY);
});
