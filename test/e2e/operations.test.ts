// Every operation of the Dassault Systèmes Sales node, run by the real n8n 2.41.1 (`n8n execute`)
// against a sandbox on a free port: the workflows and checks of operations-suite.ts (shared with
// the queue-mode layer), and the credential's test through a started n8n's REST API.
// execute.test.ts covers Portfolio Get Many with a limit and a refused key.
import { startSandbox, type RunningSandbox } from '../../sandbox';
import {
	createInstance,
	CREDENTIAL_TYPE,
	sandboxCredential,
	type N8nInstance,
	type N8nServer,
} from '../../e2e/harness';
import {
	errorsWorkflow,
	operationsContext,
	operationsSuite,
	operationsWorkflow,
	type OperationsContext,
} from './operations-suite';

type Json = Record<string, unknown>;

const GOOD = { id: 'e2eOpsGoodCred01', name: 'Ops sandbox' };
const BAD = { id: 'e2eOpsBadCred001', name: 'Ops wrong key' };
const WRONG_KEY = 'e2e-ops-wrong-key-3c9d';

let sandbox: RunningSandbox;
let n8n: N8nInstance;
let context: OperationsContext;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 23 });
	context = operationsContext(sandbox, GOOD);
	n8n = await createInstance({ name: 'operations' });
	await n8n.importCredentials([
		sandboxCredential(sandbox.url, GOOD),
		sandboxCredential(sandbox.url, { ...BAD, data: { apiKey: WRONG_KEY } }),
	]);
	await n8n.importWorkflows([operationsWorkflow(context), errorsWorkflow(context)]);
});

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.stop();
});

const { runs } = operationsSuite({
	context: () => context,
	run: async (workflowId) => await n8n.execute(workflowId),
});

test('n8n execute exits 0 for the operations, 1 for the run an invalid item stopped', () => {
	expect(runs.operations?.exitCode).toBe(0);
	expect(runs.errors?.exitCode).toBe(1);
});

describe("the credential's Test button (POST /rest/credentials/test on a started n8n)", () => {
	let server: N8nServer;

	beforeAll(async () => {
		server = await n8n.start();
		await server.setupOwner();
	});

	afterAll(async () => {
		await server?.stop();
	});

	async function testCredential(credential: { id: string; name: string }) {
		// What the editor sends: the stored credential (secrets redacted, merged back by n8n).
		const stored = await server.rest<{ data: Json }>(
			'GET',
			`/credentials/${credential.id}?includeData=true`,
		);
		return await server.rest<{ status: string; message: string }>('POST', '/credentials/test', {
			credentials: { ...credential, type: CREDENTIAL_TYPE, data: stored.data },
		});
	}

	test('a good key passes', async () => {
		const before = sandbox.admin.counters().requests.searchPortfolioItems ?? 0;
		expect(await testCredential(GOOD)).toMatchObject({ status: 'OK' });
		// It really asked the sandbox (the portfolio search of the credential's test request).
		expect(sandbox.admin.counters().requests.searchPortfolioItems ?? 0).toBe(before + 1);
	});

	test('a refused key fails with a clear message, and the key is never shown', async () => {
		const forbiddenBefore = sandbox.admin.counters().forbidden;
		const result = await testCredential(BAD);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/403|forbidden|not allowed|credentials/i);
		expect(JSON.stringify(result)).not.toContain(WRONG_KEY);
		expect(sandbox.admin.counters().forbidden).toBe(forbiddenBefore + 1);
		expect(n8n.log()).not.toContain(WRONG_KEY);
	});
});
