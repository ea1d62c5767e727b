// `npm start` (scripts/start.mjs) as a person runs it: it prints a login, n8n and the sandbox
// answer, the "3DS Sandbox" credential is there and passes n8n's credential test against the
// sandbox, the examples are imported, and Ctrl-C (SIGINT) stops everything.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

import {
	freePort,
	N8nInstance,
	N8nServer,
	repoRoot,
	testRoot,
	CREDENTIAL_TYPE,
	sleep,
} from '../../e2e/harness';

const folder = path.join(testRoot, `npm-start-${Date.now()}`);
let child: ChildProcess;
let output = '';
let n8nPort: number;
let sandboxPort: number;

function waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
	return new Promise((resolve, reject) => {
		const timer = setInterval(() => {
			const match = output.match(pattern);
			if (match) {
				clearInterval(timer);
				resolve(match);
			} else if (child.exitCode !== null || Date.now() > deadline) {
				clearInterval(timer);
				reject(
					new Error(`no ${pattern} in npm start's output (exit ${child.exitCode}):\n${output}`),
				);
			}
		}, 200);
		const deadline = Date.now() + timeoutMs;
	});
}

beforeAll(async () => {
	n8nPort = await freePort();
	sandboxPort = await freePort();
	child = spawn(process.execPath, [path.join(repoRoot, 'scripts', 'start.mjs')], {
		cwd: repoRoot,
		// E2E_PACKAGE_DIR (set by the global setup) spares it a second build; CI=true, no stdin.
		env: {
			...process.env,
			CI: 'true',
			N8N_PORT: String(n8nPort),
			SANDBOX_PORT: String(sandboxPort),
			N8N_LOCAL_FOLDER: folder,
		},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	child.stdout!.setEncoding('utf8').on('data', (d: string) => (output += d));
	child.stderr!.setEncoding('utf8').on('data', (d: string) => (output += d));
});

afterAll(async () => {
	if (child && child.exitCode === null) child.kill('SIGKILL');
	if (process.env.E2E_KEEP !== '1') rmSync(folder, { recursive: true, force: true });
});

test('prints the editor URL and a login, and both servers answer', async () => {
	await waitFor(/n8n is ready: (\S+)/, 240_000);
	expect(output).toContain(`n8n is ready: http://127.0.0.1:${n8nPort}`);
	expect(output).toContain(`http://127.0.0.1:${sandboxPort}`);
	expect(output).toMatch(/Try first:/);
	expect((await fetch(`http://127.0.0.1:${n8nPort}/healthz/readiness`)).status).toBe(200);
	expect((await fetch(`http://127.0.0.1:${sandboxPort}/__sandbox/config`)).status).toBeLessThan(
		500,
	);
});

test('the printed login works; the 3DS Sandbox credential exists and passes its test; examples are imported', async () => {
	const [, email, password] = output.match(/Log in as (\S+) \/ (\S+)/)!;
	const server = new N8nServer(new N8nInstance(folder), n8nPort);
	await server.login({ email, password });

	const credentials = await server.rest<{ id: string; name: string; type: string }[]>(
		'GET',
		'/credentials',
	);
	const sandboxCredential = credentials.find((c) => c.name === '3DS Sandbox');
	expect(sandboxCredential?.type).toBe(CREDENTIAL_TYPE);

	// n8n's own "Test" button: it sends the credential's test request to the sandbox.
	const full = await server.rest<{ data: Record<string, unknown> }>(
		'GET',
		`/credentials/${sandboxCredential!.id}?includeData=true`,
	);
	expect(full.data).toMatchObject({
		environment: 'custom',
		baseUrl: `http://127.0.0.1:${sandboxPort}`,
	});
	const tested = await server.rest<{ status: string; message: string }>(
		'POST',
		'/credentials/test',
		{
			credentials: {
				id: sandboxCredential!.id,
				name: '3DS Sandbox',
				type: CREDENTIAL_TYPE,
				data: full.data,
			},
		},
	);
	expect(tested).toMatchObject({ status: 'OK' });

	const examplesDir = path.join(repoRoot, 'examples');
	const examples = existsSync(examplesDir)
		? readdirSync(examplesDir).filter((f) => f.endsWith('.json'))
		: [];
	const workflows = await server.rest<unknown[]>('GET', '/workflows');
	expect(workflows.length).toBeGreaterThanOrEqual(examples.length);
});

test('Ctrl-C stops n8n and the sandbox', async () => {
	const exited = new Promise<number | null>((resolve) =>
		child.once('exit', (code) => resolve(code)),
	);
	child.kill('SIGINT');
	expect(await exited).toBe(0);
	expect(output).toContain('Stopped.');
	await sleep(500);
	await expect(fetch(`http://127.0.0.1:${n8nPort}/healthz`)).rejects.toThrow();
	await expect(fetch(`http://127.0.0.1:${sandboxPort}/`)).rejects.toThrow();
});
