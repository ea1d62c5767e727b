// An n8n instance: one user folder with our package in it, the n8n CLI commands run against it
// (import credentials and workflows, execute, publish, export nodes), and the servers and
// workers it starts (e2e/server.ts).
import { randomBytes } from 'node:crypto';
import {
	appendFileSync,
	cpSync,
	existsSync,
	mkdirSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import path from 'node:path';

import {
	CREDENTIAL_TYPE,
	ensureN8n,
	installPackage,
	n8nBin,
	n8nBinIn,
	n8nDir,
	testRoot,
} from './package';
import { freePort, n8nEnv, nodeBinary, ProcessGroup, tail } from './process';
import { parseExecuteOutput, summarizeRun, type ExecuteResult, type Json } from './run-data';
import { N8nProcess, N8nServer, type StartOptions, type WorkerOptions } from './server';

// ---------------------------------------------------------------------------------------------
// Credentials and workflows

export interface CredentialInput {
	id: string;
	name: string;
	type?: string;
	/** Plain values: n8n encrypts them on import. */
	data: Json;
}

export const SANDBOX_API_KEY = 'sandbox-key';
export const SANDBOX_PARTNER_ID = '200000000014442';
/**
 * The id of the credential `npm start` creates ("3DS Sandbox", or the real environment it was
 * pointed at); example workflows refer to it as `{ id: CREDENTIAL_ID, name: '3DS Sandbox' }`.
 */
export const CREDENTIAL_ID = 'dassault3dsCred1';

/** A `dassaultSalesApi` credential pointing at a sandbox (or any custom base URL). */
export function sandboxCredential(
	baseUrl: string,
	overrides: Partial<CredentialInput> & { data?: Json } = {},
): CredentialInput {
	return {
		id: overrides.id ?? CREDENTIAL_ID,
		name: overrides.name ?? '3DS Sandbox',
		type: CREDENTIAL_TYPE,
		data: {
			apiKey: SANDBOX_API_KEY,
			environment: 'custom',
			baseUrl,
			partnerId: SANDBOX_PARTNER_ID,
			...overrides.data,
		},
	};
}

export interface WorkflowInput {
	id: string;
	name: string;
	nodes: Json[];
	connections: Json;
	settings?: Json;
	[key: string]: unknown;
}

// ---------------------------------------------------------------------------------------------
// An n8n instance: one user folder, CLI commands, and at most one server

export interface CliResult {
	code: number;
	stdout: string;
	stderr: string;
	durationMs: number;
	/** Killed after the timeout. */
	timedOut: boolean;
}

export interface InstanceOptions {
	/** Prefix of the user folder name (under .n8n-test/). */
	name?: string;
	/** Use this user folder (kept as it is) instead of a fresh one; used by `npm start`. */
	userFolder?: string;
	/** Don't copy the package in (a caller that manages it itself). */
	skipPackage?: boolean;
	/** Extra environment for every n8n process of this instance. */
	env?: Record<string, string>;
	/**
	 * Packages placed beside ours in `.n8n/nodes/node_modules` (name → a package folder to copy), as
	 * another community package's hoisted dependencies would be: Node finds them before n8n's own.
	 */
	neighbours?: Record<string, string>;
	/** The n8n folder to run (default e2e/n8n, 2.41.1; e2e/n8n-1 is 1.123.81). */
	n8nDir?: string;
}

export class N8nInstance {
	readonly userFolder: string;
	readonly logFile: string;
	/** The n8n binary every command and server of this instance runs. */
	readonly n8nBin: string;
	private readonly env: Record<string, string>;
	private servers = new Set<N8nProcess>();

	constructor(userFolder: string, env: Record<string, string> = {}, bin: string = n8nBin) {
		this.userFolder = userFolder;
		this.logFile = path.join(userFolder, 'n8n.log');
		this.env = env;
		this.n8nBin = bin;
	}

	/** Everything n8n printed so far (all CLI commands and servers of this instance). */
	log(): string {
		return existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8') : '';
	}

	/**
	 * Runs `n8n <args>` to completion; its output is returned and appended to the log file. The
	 * output goes to files, not pipes: n8n prints the whole run data of `execute` as one line and
	 * exits right after, and through a pipe a large one (~1.5 MB) is often cut short.
	 * Past `timeoutMs` the command's process group is killed and `timedOut` is set.
	 */
	async cli(
		args: string[],
		env: Record<string, string> = {},
		{ timeoutMs = 300_000 }: { timeoutMs?: number } = {},
	): Promise<CliResult> {
		const started = Date.now();
		const base = path.join(this.userFolder, `cli-${started}-${randomBytes(3).toString('hex')}`);
		const group = ProcessGroup.spawn(nodeBinary(), [this.n8nBin, ...args], {
			cwd: this.userFolder,
			env: n8nEnv(this.userFolder, {
				N8N_RUNNERS_BROKER_PORT: String(await freePort()),
				...this.env,
				...env,
			}),
			stdout: `${base}.out`,
			stderr: `${base}.err`,
			flags: 'w',
		});
		const { end, timedOut } = await group.wait(timeoutMs);
		if (end.error) throw end.error;
		const code = end.code ?? (end.signal ? 128 : 1);
		const stdout = readFileSync(`${base}.out`, 'utf8');
		const stderr = readFileSync(`${base}.err`, 'utf8');
		rmSync(`${base}.out`, { force: true });
		rmSync(`${base}.err`, { force: true });
		const status = timedOut ? `killed after ${timeoutMs} ms` : `exit ${code}`;
		appendFileSync(this.logFile, `\n--- n8n ${args.join(' ')} (${status})\n${stdout}${stderr}`);
		return { code, stdout, stderr, durationMs: Date.now() - started, timedOut };
	}

	private async cliOk(args: string[]): Promise<CliResult> {
		const res = await this.cli(args);
		if (res.code !== 0)
			throw new Error(
				`n8n ${args.join(' ')} failed (exit ${res.code}):\n${res.stdout}\n${res.stderr}`,
			);
		return res;
	}

	private writeInput(kind: string, data: unknown): string {
		const dir = path.join(this.userFolder, 'imports');
		mkdirSync(dir, { recursive: true });
		const file = path.join(dir, `${kind}-${Date.now()}-${randomBytes(3).toString('hex')}.json`);
		writeFileSync(file, JSON.stringify(data, null, 2));
		return file;
	}

	/** `n8n import:credentials`: plain `data` is encrypted on import; the same id updates. */
	async importCredentials(credentials: CredentialInput[]): Promise<void> {
		const file = this.writeInput(
			'credentials',
			credentials.map((c) => ({ type: CREDENTIAL_TYPE, ...c })),
		);
		try {
			await this.cliOk(['import:credentials', `--input=${file}`]);
		} finally {
			rmSync(file, { force: true }); // the plain secrets don't stay on disk
		}
	}

	/** `n8n import:workflow` (keeps each JSON's `id`; imported inactive). */
	async importWorkflows(workflows: WorkflowInput[]): Promise<void> {
		const file = this.writeInput(
			'workflows',
			workflows.map((w) => ({ active: false, settings: {}, pinData: {}, ...w })),
		);
		await this.cliOk(['import:workflow', `--input=${file}`]);
	}

	/** `n8n import:workflow` of JSON files as they are (e.g. examples/*.json). */
	async importWorkflowFiles(files: string[]): Promise<void> {
		for (const file of files) await this.cliOk(['import:workflow', `--input=${file}`]);
	}

	/** `n8n publish:workflow --id` (activation happens when a server starts). */
	async publishWorkflow(id: string): Promise<void> {
		await this.cliOk(['publish:workflow', `--id=${id}`]);
	}

	/**
	 * `n8n execute --id --rawOutput`, parsed. Never polls a trigger (n8n polls only in a started server). Throws when n8n
	 * has not ended after `timeoutMs` (default 150 s), with the end of what it printed.
	 */
	async execute(
		id: string,
		{ timeoutMs = 150_000 }: { timeoutMs?: number } = {},
	): Promise<ExecuteResult> {
		const res = await this.cli(
			['execute', `--id=${id}`, '--rawOutput'],
			{ N8N_LOG_FORMAT: 'json' },
			{ timeoutMs },
		);
		if (res.timedOut) {
			throw new Error(
				`n8n execute --id=${id} did not end within ${timeoutMs} ms:\n${tail(res.stdout + res.stderr)}`,
			);
		}
		const raw = parseExecuteOutput(`${res.stdout}\n${res.stderr}`);
		const summary = summarizeRun(raw);
		if (!raw && res.code === 0) {
			throw new Error(`n8n execute --id=${id} printed no run data:\n${res.stdout}\n${res.stderr}`);
		}
		return {
			exitCode: res.code,
			ok: res.code === 0 && !summary.error,
			...summary,
			error: summary.error ?? (raw ? undefined : lastErrorLine(res.stdout + res.stderr)),
			raw,
			stdout: res.stdout,
			stderr: res.stderr,
			durationMs: res.durationMs,
		};
	}

	/** `n8n export:nodes`: every node type description n8n loaded. */
	async exportNodes(): Promise<Json[]> {
		const file = path.join(this.userFolder, `nodes-${Date.now()}.json`);
		await this.cliOk(['export:nodes', `--output=${file}`]);
		const nodes = JSON.parse(readFileSync(file, 'utf8')) as Json[];
		rmSync(file, { force: true });
		return nodes;
	}

	/** `n8n start` on a free (or the given) port; resolves once /healthz/readiness answers. */
	async start(options: StartOptions = {}): Promise<N8nServer> {
		const port = options.port ?? (await freePort());
		const server = new N8nServer(this, port);
		this.servers.add(server);
		await server.launch(
			{
				N8N_PORT: String(port),
				N8N_RUNNERS_BROKER_PORT: String(await freePort()),
				N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}`,
				WEBHOOK_URL: `http://127.0.0.1:${port}/`,
				...this.env,
				...options.env,
			},
			options.readyTimeoutMs ?? 120_000,
		);
		return server;
	}

	/**
	 * `n8n worker` (queue mode: the instance's env must say EXECUTIONS_MODE=queue, the database and
	 * Redis); resolves once its health server answers /healthz/readiness.
	 */
	async startWorker(options: WorkerOptions = {}): Promise<N8nProcess> {
		const healthPort = await freePort();
		const worker = new N8nProcess(
			this,
			['worker', `--concurrency=${options.concurrency ?? 5}`],
			`http://127.0.0.1:${healthPort}/healthz/readiness`,
		);
		this.servers.add(worker);
		await worker.launch(
			{
				QUEUE_HEALTH_CHECK_ACTIVE: 'true',
				QUEUE_HEALTH_CHECK_PORT: String(healthPort),
				N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
				N8N_RUNNERS_BROKER_PORT: String(await freePort()),
				...this.env,
				...options.env,
			},
			options.readyTimeoutMs ?? 120_000,
		);
		return worker;
	}

	/** Stops every server and worker of this instance and deletes the user folder (unless E2E_KEEP=1). */
	async dispose(): Promise<void> {
		await Promise.all([...this.servers].map((s) => s.stop()));
		if (process.env.E2E_KEEP !== '1' && this.userFolder.startsWith(testRoot)) {
			rmSync(this.userFolder, { recursive: true, force: true });
		}
	}
}

function lastErrorLine(text: string): string | undefined {
	const lines = text.split('\n').filter((l) => l.trim());
	return lines[lines.length - 1];
}

/** A fresh user folder under .n8n-test/ with the package extracted where n8n loads it. */
export async function createInstance(options: InstanceOptions = {}): Promise<N8nInstance> {
	const dir = options.n8nDir ?? n8nDir;
	if (!existsSync(n8nBinIn(dir))) ensureN8n(dir);
	const userFolder =
		options.userFolder ??
		path.join(testRoot, `${options.name ?? 'n8n'}-${Date.now()}-${randomBytes(3).toString('hex')}`);
	mkdirSync(userFolder, { recursive: true });
	if (!options.skipPackage) installPackage(userFolder);
	for (const [name, folder] of Object.entries(options.neighbours ?? {})) {
		cpSync(folder, path.join(userFolder, '.n8n', 'nodes', 'node_modules', name), {
			recursive: true,
		});
	}
	return new N8nInstance(userFolder, options.env, n8nBinIn(dir));
}
