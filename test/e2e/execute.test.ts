// Workflows run headless by the real n8n (`n8n execute`) against the local sandbox: the harness's
// execute path, end to end. The operation-level workflows build on this.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { startSandbox, type RunningSandbox } from '../../sandbox';
import {
	createInstance,
	NODE_TYPE,
	sandboxCredential,
	type N8nInstance,
	type WorkflowInput,
} from '../../e2e/harness';

const WRONG_KEY = 'e2e-wrong-key-7f3a9c';

let sandbox: RunningSandbox;
let n8n: N8nInstance;

/** Manual Trigger -> one Dassault Systèmes Sales node. */
function workflow(
	id: string,
	credentialId: string,
	parameters: Record<string, unknown>,
): WorkflowInput {
	return {
		id,
		name: id,
		nodes: [
			{
				id: 'trigger',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'dassault',
				name: 'Dassault',
				type: NODE_TYPE,
				typeVersion: 1,
				position: [220, 0],
				parameters,
				credentials: { dassaultSalesApi: { id: credentialId, name: credentialId } },
			},
		],
		connections: { Start: { main: [[{ node: 'Dassault', type: 'main', index: 0 }]] } },
	};
}

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
	n8n = await createInstance({ name: 'execute' });
	await n8n.importCredentials([
		sandboxCredential(sandbox.url, { id: 'e2eSandboxCred01', name: 'e2eSandboxCred01' }),
		sandboxCredential(sandbox.url, {
			id: 'e2eWrongKeyCred1',
			name: 'e2eWrongKeyCred1',
			data: { apiKey: WRONG_KEY },
		}),
	]);
	await n8n.importWorkflows([
		workflow('e2ePortfolio0001', 'e2eSandboxCred01', {
			resource: 'portfolioItem',
			operation: 'getMany',
			returnAll: false,
			limit: 3,
		}),
		workflow('e2eWrongKey00001', 'e2eWrongKeyCred1', {
			resource: 'portfolioItem',
			operation: 'getMany',
			returnAll: false,
			limit: 3,
		}),
	]);
});

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.stop();
});

test('Portfolio Item > Get Many returns the sandbox items', async () => {
	const run = await n8n.execute('e2ePortfolio0001');
	expect(run.error).toBeUndefined();
	expect(run.exitCode).toBe(0);
	expect(run.nodes.Dassault.error).toBeUndefined();
	expect(run.nodes.Dassault.items).toHaveLength(3);
	expect(Object.keys(run.nodes.Dassault.items[0]).length).toBeGreaterThan(0);
});

test('a wrong API key fails the node with a credential error, and the key is never logged', async () => {
	const run = await n8n.execute('e2eWrongKey00001');
	expect(run.exitCode).toBe(1);
	expect(run.ok).toBe(false);
	expect(run.nodes.Dassault.error).toBeTruthy();
	expect(run.lastNodeExecuted).toBe('Dassault');
	const log = n8n.log();
	expect(log).not.toContain(WRONG_KEY);
	expect(log).not.toContain('sandbox-key');
	// Nor in what n8n stored: executions (with their run data and errors) and the encrypted credentials.
	const n8nFolder = path.join(n8n.userFolder, '.n8n');
	const stored = readdirSync(n8nFolder).filter((file) => file.startsWith('database.sqlite'));
	expect(stored).toContain('database.sqlite');
	for (const file of stored) {
		const bytes = readFileSync(path.join(n8nFolder, file));
		expect(bytes.includes(WRONG_KEY)).toBe(false);
		expect(bytes.includes('sandbox-key')).toBe(false);
	}
});
