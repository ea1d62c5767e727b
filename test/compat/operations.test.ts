// The core operations in n8n 1.123.81 (`n8n execute`), against a sandbox on a free port: the same
// workflows and checks as the e2e layer's operations.test.ts (test/e2e/operations-suite.ts):
// Create, Get (v1, v0), Update, Create or Update both ways, Search by partner ids, by modified date
// over 7-day windows and unassigned, Portfolio Get Many; then continue-on-fail and invalid input.
import { startSandbox, type RunningSandbox } from '../../sandbox';
import {
	SANDBOX_API_KEY,
	sandboxCredential,
	type N8nInstance,
	type WorkflowInput,
} from '../../e2e/harness';
import {
	errorsWorkflow,
	operationsContext,
	operationsSuite,
	operationsWorkflow,
	type OperationsContext,
} from '../e2e/operations-suite';
import { createInstance1 } from './n8n1';

const CREDENTIAL = { id: 'compatOpsCred001', name: 'Compat sandbox' };

let sandbox: RunningSandbox;
let n8n: N8nInstance;
let context: OperationsContext;

/**
 * The suite's stand-in nodes for n8n 1.x: its Set node goes up to version 3.4 (2.x has 3.5, which
 * 1.x cannot load: "Cannot read properties of undefined (reading 'execute')"). Our nodes are
 * unchanged.
 */
function forN8n1(workflow: WorkflowInput): WorkflowInput {
	const nodes = (workflow.nodes as Array<{ type: string; typeVersion: number }>).map((node) =>
		node.type === 'n8n-nodes-base.set' && node.typeVersion > 3.4
			? { ...node, typeVersion: 3.4 }
			: node,
	);
	return { ...workflow, nodes };
}

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 29 });
	context = operationsContext(sandbox, CREDENTIAL);
	n8n = await createInstance1({ name: 'compat-operations' });
	await n8n.importCredentials([sandboxCredential(sandbox.url, CREDENTIAL)]);
	await n8n.importWorkflows([operationsWorkflow(context), forN8n1(errorsWorkflow(context))]);
});

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.stop();
});

const { runs } = operationsSuite({
	context: () => context,
	// N8nInstance.execute writes n8n's output to files, not pipes (large run data stays whole).
	run: async (workflowId) => await n8n.execute(workflowId),
});

// The load check (no warning about the package) is trigger.test.ts's: this log holds, on purpose,
// the invalid-input error the errors workflow ends with.
test('n8n 1.x exits 0 for the operations, 1 for the run an invalid item stopped, and never logs the API key', () => {
	expect(runs.operations?.exitCode).toBe(0);
	expect(runs.errors?.exitCode).toBe(1);
	expect(n8n.log()).toContain('Invalid lead-opportunity in item 0');
	expect(n8n.log()).not.toContain(SANDBOX_API_KEY);
});
