// Real-n8n harness: runs our built package inside the n8n of e2e/n8n (2.41.1), headless.
//
//   const pkg = preparePackage();                 // npm run build + npm pack, once per run
//   const n8n = await createInstance();           // fresh user folder with the package in it
//   await n8n.importCredentials([sandboxCredential(url)]);
//   await n8n.importWorkflows([workflow]);
//   const run = await n8n.execute(workflow.id);   // n8n execute --id --rawOutput, parsed
//   const server = await n8n.start();             // n8n start on a free 127.0.0.1 port
//   await server.setupOwner(); await server.createApiKey(); await server.activate(id);
//   await server.waitForExecutions(id, 1);
//   const worker = await n8n.startWorker();       // `n8n worker` (queue mode: see e2e/queue.ts)
//   await server.stop(); await n8n.dispose();
//
// Every CLI call and the server append their output to `instance.logFile`, so a test can assert on
// what n8n said (no load error for our package, the API key never printed).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
	closeSync,
	cpSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	openSync,
	readFileSync,
	rmSync,
	writeFileSync,
	appendFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The repository root (found upwards, so this file also works compiled into .build/e2e/). */
export const repoRoot = ((): string => {
	for (let dir = __dirname; ; dir = path.dirname(dir)) {
		if (existsSync(path.join(dir, 'e2e', 'n8n', 'package.json'))) return dir;
		if (path.dirname(dir) === dir) throw new Error(`no repository root above ${__dirname}`);
	}
})();
export const PACKAGE_NAME = 'n8n-nodes-dassault-sales';
export const NODE_TYPE = `${PACKAGE_NAME}.dassaultSales`;
export const TRIGGER_NODE_TYPE = `${PACKAGE_NAME}.dassaultSalesTrigger`;
export const CREDENTIAL_TYPE = 'dassaultSalesApi';
export const n8nDir = path.join(repoRoot, 'e2e', 'n8n');
/** The n8n binary of an n8n folder (e2e/n8n, or e2e/n8n-1 of the compatibility layer). */
export const n8nBinIn = (dir: string): string =>
	path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
export const n8nBin = n8nBinIn(n8nDir);
/** Where fresh test user folders go (git-ignored). */
export const testRoot = path.join(repoRoot, '.n8n-test');

type Json = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// Node 24 and the n8n install

/**
 * n8n 2.x needs Node 24, and its native modules were built for the Node of the root dev dependency
 * `node`: that one, or the current Node when it is a 24 and the dependency is missing.
 */
export function nodeBinary(): string {
	const bin = path.join(repoRoot, 'node_modules', 'node', 'bin', 'node');
	if (existsSync(bin)) return bin;
	if (process.versions.node.split('.')[0] === '24') return process.execPath;
	throw new Error(`Node 24 not found at ${bin}: run "npm install" at the repository root`);
}

/** Installs an n8n folder (default e2e/n8n) on first need (scripts/ensure-n8n.mjs; a fast no-op when up to date). */
export function ensureN8n(dir: string = n8nDir): string {
	const res = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'ensure-n8n.mjs'), dir], {
		cwd: repoRoot,
		stdio: ['ignore', 'inherit', 'inherit'],
	});
	if (res.status !== 0)
		throw new Error(`scripts/ensure-n8n.mjs ${dir} failed (exit ${res.status})`);
	return n8nBinIn(dir);
}

// ---------------------------------------------------------------------------------------------
// The package under test

export interface PreparedPackage {
	/** The `npm pack` tarball (undefined when E2E_PACKAGE_DIR points at a ready folder). */
	tarball?: string;
	/** The tarball extracted: the folder n8n loads. */
	dir: string;
}

let prepared: PreparedPackage | undefined;

function run(cmd: string, args: string[], cwd: string): string {
	const res = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
	if (res.status !== 0) {
		throw new Error(
			`${cmd} ${args.join(' ')} failed (exit ${res.status}):\n${res.stdout}\n${res.stderr}`,
		);
	}
	return res.stdout;
}

/**
 * Builds and packs the package once per run: `npm run build`, `npm pack` into a temp folder, the
 * tarball extracted beside it. The jest global setup calls it and passes the folder to the test
 * workers as E2E_PACKAGE_DIR (set it yourself to load another folder, e.g. a throw-away package).
 */
export function preparePackage(): PreparedPackage {
	if (prepared) return prepared;
	const ready = process.env.E2E_PACKAGE_DIR;
	if (ready) {
		if (!existsSync(path.join(ready, 'package.json')))
			throw new Error(`E2E_PACKAGE_DIR=${ready} has no package.json`);
		return (prepared = { dir: ready, tarball: process.env.E2E_PACKAGE_TARBALL || undefined });
	}
	run('npm', ['run', 'build', '--silent'], repoRoot);
	const out = mkdtempSync(path.join(tmpdir(), 'dassault-pack-'));
	const packed = JSON.parse(
		run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', out], repoRoot),
	) as {
		filename: string;
	}[];
	const tarball = path.join(out, packed[0].filename);
	run('tar', ['-xzf', tarball, '-C', out], out); // -> out/package
	return (prepared = { tarball, dir: path.join(out, 'package') });
}

/**
 * Deletes the temp folder `npm pack` went to: the given one, or with no argument the one this
 * process packed (never a folder given as E2E_PACKAGE_DIR).
 */
export function removePreparedPackage(dir?: string): void {
	dir ??= process.env.E2E_PACKAGE_DIR ? undefined : prepared?.dir;
	if (!dir) return;
	const packDir = path.dirname(dir);
	if (path.dirname(packDir) === tmpdir() && path.basename(packDir).startsWith('dassault-pack-')) {
		rmSync(packDir, { recursive: true, force: true });
	}
	if (prepared?.dir === dir) prepared = undefined;
}

/** Copies the prepared package to where n8n loads community packages from. */
export function installPackage(
	userFolder: string,
	pkg: PreparedPackage = preparePackage(),
): string {
	const dest = path.join(userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME);
	rmSync(dest, { recursive: true, force: true });
	mkdirSync(path.dirname(dest), { recursive: true });
	cpSync(pkg.dir, dest, { recursive: true });
	return dest;
}

// ---------------------------------------------------------------------------------------------
// Environment

export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const srv = createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address() as { port: number };
			srv.close(() => resolve(port));
		});
	});
}

/** The environment every n8n process gets: offline, quiet, local, its own user folder. */
export function n8nEnv(userFolder: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = { ...process.env };
	for (const key of Object.keys(env)) {
		// Nothing of the caller's n8n or npm configuration leaks in (e.g. an N8N_PORT of `npm start`).
		if (key.startsWith('N8N_') || key.startsWith('DB_') || key.startsWith('npm_')) delete env[key];
	}
	// Jest's NODE_ENV=test silences n8n's logger (and more); n8n runs as it would for a user.
	delete env.NODE_ENV;
	delete env.JEST_WORKER_ID;
	return {
		...env,
		N8N_USER_FOLDER: userFolder,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_DISABLED_MODULES: 'mcp-registry,instance-ai,chat-hub,agents',
		N8N_VERIFIED_PACKAGES_ENABLED: 'false', // else the server asks api.n8n.io for community nodes
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_SECURE_COOKIE: 'false',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
		N8N_LOG_OUTPUT: 'console',
		...extra,
	};
}

// ---------------------------------------------------------------------------------------------
// Run data

export interface NodeResult {
	/** The `json` of every item of the node's first output (last run of the node). */
	items: Json[];
	/** Every output's items (`outputs[0]` is `items`). */
	outputs: Json[][];
	/** The node's error message, when it failed. */
	error?: string;
	errorDescription?: string;
	/** How many times the node ran. */
	runs: number;
}

export interface ExecuteResult {
	/** n8n's exit code: 0 success, 1 a node failed. */
	exitCode: number;
	ok: boolean;
	/** Per node name. */
	nodes: Record<string, NodeResult>;
	/** The workflow error (`resultData.error.message`), when it failed. */
	error?: string;
	lastNodeExecuted?: string;
	/** The whole IRun n8n printed (`data.resultData.runData` etc.), when it printed one. */
	raw?: Json;
	stdout: string;
	stderr: string;
	durationMs: number;
}

interface TaskData {
	data?: { main?: ({ json: Json }[] | null)[] };
	error?: { message?: string; description?: string };
}

/** Finds the IRun in `n8n execute --rawOutput` output logged as JSON lines. */
export function parseExecuteOutput(stdout: string): Json | undefined {
	for (const line of stdout.split('\n').reverse()) {
		if (!line.startsWith('{')) continue;
		let message: unknown;
		try {
			message = (JSON.parse(line) as { message?: unknown }).message;
		} catch {
			continue;
		}
		if (typeof message !== 'string' || !message.trimStart().startsWith('{')) continue;
		try {
			const parsed = JSON.parse(message) as { data?: { resultData?: { runData?: unknown } } };
			if (parsed?.data?.resultData?.runData) return parsed as Json;
		} catch {
			continue;
		}
	}
	return undefined;
}

export function summarizeRun(
	raw: Json | undefined,
): Pick<ExecuteResult, 'nodes' | 'error' | 'lastNodeExecuted'> {
	const resultData = ((raw?.data as Json | undefined)?.resultData ?? {}) as {
		runData?: Record<string, TaskData[]>;
		error?: { message?: string };
		lastNodeExecuted?: string;
	};
	const nodes: Record<string, NodeResult> = {};
	for (const [name, runs] of Object.entries(resultData.runData ?? {})) {
		const last = runs[runs.length - 1] ?? {};
		const outputs = (last.data?.main ?? []).map((items) => (items ?? []).map((i) => i.json));
		nodes[name] = {
			items: outputs[0] ?? [],
			outputs,
			error: last.error?.message,
			errorDescription: last.error?.description ?? undefined,
			runs: runs.length,
		};
	}
	return { nodes, error: resultData.error?.message, lastNodeExecuted: resultData.lastNodeExecuted };
}

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
		const outFd = openSync(`${base}.out`, 'w');
		const errFd = openSync(`${base}.err`, 'w');
		let child: ChildProcess;
		try {
			child = spawn(nodeBinary(), [this.n8nBin, ...args], {
				cwd: this.userFolder,
				env: n8nEnv(this.userFolder, {
					N8N_RUNNERS_BROKER_PORT: String(await freePort()),
					...this.env,
					...env,
				}),
				stdio: ['ignore', outFd, errFd],
				detached: true, // its own process group: the task runner goes with it
			});
		} finally {
			closeSync(outFd);
			closeSync(errFd);
		}
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			killGroup(child.pid, 'SIGKILL');
		}, timeoutMs);
		const code = await new Promise<number>((resolve, reject) => {
			child.on('error', reject);
			child.on('close', (c, signal) => resolve(c ?? (signal ? 128 : 1)));
		});
		clearTimeout(timer);
		killGroup(child.pid, 'SIGKILL'); // leftovers of the group, if any
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

// ---------------------------------------------------------------------------------------------
// The server

export interface StartOptions {
	port?: number;
	env?: Record<string, string>;
	readyTimeoutMs?: number;
}

export interface WorkerOptions {
	/** How many executions the worker runs at once (n8n's default is 10). */
	concurrency?: number;
	env?: Record<string, string>;
	readyTimeoutMs?: number;
}

export interface Owner {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

export interface Execution {
	id: string;
	status: string;
	mode: string;
	finished: boolean;
	startedAt: string;
	stoppedAt?: string;
	workflowId: string;
	data?: Json;
	[key: string]: unknown;
}

/** A password n8n accepts (8+ characters, a digit, an upper-case letter). */
export function generatePassword(): string {
	return `N8n-${randomBytes(9).toString('base64url')}-7`;
}

export function defaultOwner(): Owner {
	return {
		email: 'owner@example.com',
		password: generatePassword(),
		firstName: 'Test',
		lastName: 'Owner',
	};
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
	if (!pid) return;
	try {
		process.kill(-pid, signal);
	} catch {
		// already gone
	}
}

/**
 * One long-running n8n process of an instance (`n8n start`, `n8n worker`), in its own process
 * group, its output appended to the instance's log; ready once `readinessUrl` answers 2xx.
 */
export class N8nProcess {
	readonly instance: N8nInstance;
	/** The n8n command and its arguments, e.g. `['worker', '--concurrency=1']`. */
	readonly command: string[];
	readonly readinessUrl: string;
	/** Milliseconds from spawn to readiness. */
	startupMs = 0;
	private child?: ChildProcess;
	private exited?: Promise<void>;

	constructor(instance: N8nInstance, command: string[], readinessUrl: string) {
		this.instance = instance;
		this.command = command;
		this.readinessUrl = readinessUrl;
	}

	get pid(): number | undefined {
		return this.child?.pid;
	}

	/** Resolves when the n8n process has ended (stopped, or crashed). */
	whenExited(): Promise<void> {
		return this.exited ?? Promise.resolve();
	}

	/** @internal */
	async launch(env: Record<string, string>, readyTimeoutMs: number): Promise<void> {
		const started = Date.now();
		appendFileSync(
			this.instance.logFile,
			`\n--- n8n ${this.command.join(' ')} (${this.readinessUrl})\n`,
		);
		const fd = openSync(this.instance.logFile, 'a');
		try {
			this.child = spawn(nodeBinary(), [this.instance.n8nBin, ...this.command], {
				cwd: this.instance.userFolder,
				env: n8nEnv(this.instance.userFolder, env),
				stdio: ['ignore', fd, fd],
				detached: true, // its own process group, so stop() ends the task runners too
			});
		} finally {
			closeSync(fd);
		}
		const child = this.child;
		let exitInfo: string | undefined;
		this.exited = new Promise((resolve) => {
			child.on('exit', (code, signal) => {
				exitInfo = signal ?? `exit ${code}`;
				resolve();
			});
			child.on('error', (err) => {
				exitInfo = err.message;
				resolve();
			});
		});
		const deadline = Date.now() + readyTimeoutMs;
		for (;;) {
			if (exitInfo)
				throw new Error(
					`n8n ${this.command[0]} ended (${exitInfo}) before it was ready:\n${tail(this.instance.log())}`,
				);
			try {
				const res = await fetch(this.readinessUrl, { signal: AbortSignal.timeout(2000) });
				if (res.ok) break;
			} catch {
				// not listening yet
			}
			if (Date.now() > deadline) {
				await this.stop();
				throw new Error(
					`n8n ${this.command[0]} was not ready after ${readyTimeoutMs} ms:\n${tail(this.instance.log())}`,
				);
			}
			await sleep(250);
		}
		this.startupMs = Date.now() - started;
	}

	/** Stops the process: SIGTERM to its process group, SIGKILL after 15 s. */
	async stop(): Promise<void> {
		const child = this.child;
		if (!child?.pid || !this.exited) return;
		killGroup(child.pid, 'SIGTERM');
		let timer: NodeJS.Timeout | undefined;
		const timedOut = await Promise.race([
			this.exited.then(() => false),
			new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), 15_000))),
		]);
		clearTimeout(timer);
		if (timedOut) killGroup(child.pid, 'SIGKILL');
		await this.exited;
		killGroup(child.pid, 'SIGKILL'); // anything the group left behind
		this.child = undefined;
	}

	/** Kills the process group at once, as a crash or an OOM kill would (no shutdown). */
	async kill(): Promise<void> {
		const child = this.child;
		if (!child?.pid || !this.exited) return;
		killGroup(child.pid, 'SIGKILL');
		await this.exited;
		this.child = undefined;
	}
}

/** `n8n start`: the editor, REST and public API, webhooks; the scheduler of triggers. */
export class N8nServer extends N8nProcess {
	readonly port: number;
	readonly url: string;
	owner?: Owner;
	apiKey?: string;
	private cookie?: string;

	constructor(instance: N8nInstance, port: number) {
		super(instance, ['start'], `http://127.0.0.1:${port}/healthz/readiness`);
		this.port = port;
		this.url = `http://127.0.0.1:${port}`;
	}

	/** A request to any path of the server (e.g. `types/nodes.json`, an icon) with the login cookie. */
	async fetch(route: string, init: RequestInit = {}): Promise<Response> {
		return await fetch(`${this.url}/${route.replace(/^\//, '')}`, {
			...init,
			headers: {
				...(this.cookie ? { cookie: this.cookie } : {}),
				'browser-id': 'e2e-harness',
				...(init.headers as Record<string, string> | undefined),
			},
		});
	}

	/** A request to n8n's internal REST API (/rest/...), with the login cookie once logged in. */
	async rest<T = unknown>(method: string, route: string, body?: unknown): Promise<T> {
		const res = await fetch(`${this.url}/rest${route}`, {
			method,
			headers: {
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
				...(this.cookie ? { cookie: this.cookie } : {}),
				'browser-id': 'e2e-harness', // n8n ties the auth cookie to a browser id
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const cookies = res.headers.getSetCookie();
		const auth = cookies.find((c) => c.startsWith('n8n-auth='));
		if (auth) this.cookie = auth.split(';')[0];
		const text = await res.text();
		if (!res.ok) throw new Error(`${method} /rest${route}: ${res.status} ${text.slice(0, 500)}`);
		const json = text ? (JSON.parse(text) as { data?: T }) : {};
		return (json && typeof json === 'object' && 'data' in json ? json.data : json) as T;
	}

	/** Creates the owner account (first start of a user folder) and logs in as it. */
	async setupOwner(owner: Owner = defaultOwner()): Promise<Owner> {
		await this.rest('POST', '/owner/setup', owner);
		this.owner = owner;
		await this.login(owner);
		return owner;
	}

	async login(owner: Pick<Owner, 'email' | 'password'> = this.owner!): Promise<void> {
		await this.rest('POST', '/login', {
			emailOrLdapLoginId: owner.email,
			password: owner.password,
		});
	}

	/** Creates a public-API key with every scope the owner may have; later calls use it. */
	async createApiKey(label = 'e2e'): Promise<string> {
		const scopes = await this.rest<string[]>('GET', '/api-keys/scopes');
		const key = await this.rest<{ rawApiKey: string }>('POST', '/api-keys', {
			label,
			scopes,
			expiresAt: null,
		});
		this.apiKey = key.rawApiKey;
		return this.apiKey;
	}

	/** A request to the public API (/api/v1/...) with the API key (created on first need). */
	async api<T = Json>(method: string, route: string, body?: unknown): Promise<T> {
		if (!this.apiKey) await this.createApiKey();
		const res = await fetch(`${this.url}/api/v1${route}`, {
			method,
			headers: {
				'X-N8N-API-KEY': this.apiKey!,
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		if (!res.ok) throw new Error(`${method} /api/v1${route}: ${res.status} ${text.slice(0, 500)}`);
		return (text ? JSON.parse(text) : {}) as T;
	}

	/** Activates (publishes) a workflow on the running server: a polling trigger polls at once. */
	async activate(workflowId: string): Promise<Json> {
		return await this.api('POST', `/workflows/${workflowId}/activate`);
	}

	async deactivate(workflowId: string): Promise<Json> {
		return await this.api('POST', `/workflows/${workflowId}/deactivate`);
	}

	/** Calls a production webhook (of an active workflow); returns the HTTP status and body. */
	async webhook(route: string, body: unknown = {}): Promise<{ status: number; body: string }> {
		const res = await fetch(`${this.url}/webhook/${route.replace(/^\//, '')}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		return { status: res.status, body: await res.text() };
	}

	/** One execution, with its run data. */
	async getExecution(id: string): Promise<Execution> {
		return await this.api<Execution>('GET', `/executions/${id}?includeData=true`);
	}

	/** Retries a failed execution (public API); returns the new execution. */
	async retryExecution(id: string): Promise<Execution> {
		return await this.api<Execution>('POST', `/executions/${id}/retry`, {});
	}

	/** All executions of a workflow, newest first, with their run data by default. */
	async listExecutions(workflowId: string, { includeData = true } = {}): Promise<Execution[]> {
		const all: Execution[] = [];
		let cursor: string | undefined;
		do {
			const query = new URLSearchParams({
				workflowId,
				includeData: String(includeData),
				limit: '250',
			});
			if (cursor) query.set('cursor', cursor);
			const page = await this.api<{ data: Execution[]; nextCursor?: string | null }>(
				'GET',
				`/executions?${query}`,
			);
			all.push(...page.data);
			cursor = page.nextCursor ?? undefined;
		} while (cursor);
		return all;
	}

	/** Waits until a workflow has at least `count` finished executions (with data), newest first. */
	async waitForExecutions(
		workflowId: string,
		count: number,
		timeoutMs = 120_000,
	): Promise<Execution[]> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const done = (await this.listExecutions(workflowId)).filter((e) => e.stoppedAt);
			if (done.length >= count) return done;
			if (Date.now() > deadline) {
				throw new Error(
					`${done.length} of ${count} executions of ${workflowId} after ${timeoutMs} ms`,
				);
			}
			await sleep(1000);
		}
	}
}

/** Per node, the items and error of one execution fetched with includeData. */
export function executionNodes(execution: Execution): Record<string, NodeResult> {
	return summarizeRun(execution as unknown as Json).nodes;
}

/** An execution fetched with includeData, summarised like `execute`'s result. */
export function executionRun(
	execution: Execution,
): Pick<ExecuteResult, 'ok' | 'nodes' | 'error' | 'lastNodeExecuted'> {
	return { ok: execution.status === 'success', ...summarizeRun(execution as unknown as Json) };
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

function tail(text: string, lines = 40): string {
	return text.split('\n').slice(-lines).join('\n');
}

/** Lines of an n8n log that mention our package and look like a load error or warning. */
export function packageProblems(log: string): string[] {
	return log
		.split('\n')
		.filter((l) => l.includes(PACKAGE_NAME) || /dassault/i.test(l))
		.filter((l) => /error|warn|fail|could not|cannot|unrecognized|not found|invalid/i.test(l));
}
