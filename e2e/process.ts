// Running n8n processes: the one place that spawns and ends them. Each n8n process gets its own
// process group (its task runner goes with it), its output written to files, not pipes (n8n
// prints the whole run data of `execute` as one line and exits right after, and through a pipe a
// large one, ~1.5 MB, is often cut short), and the environment every n8n process shares.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

import { repoRoot } from './package';

// ---------------------------------------------------------------------------------------------
// Node 24

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
// Process groups

/** How a process ended: its exit code or signal, or the error that kept it from starting. */
export interface ProcessEnd {
	code: number | null;
	signal: NodeJS.Signals | null;
	error?: Error;
}

export interface SpawnOptions {
	cwd: string;
	env: NodeJS.ProcessEnv;
	/** The file stdout goes to. */
	stdout: string;
	/** The file stderr goes to; without it, stderr shares stdout's descriptor (one log, in order). */
	stderr?: string;
	/** `w` truncates the files, `a` appends to them (a log). */
	flags: 'w' | 'a';
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
 * A process spawned in its own process group, its output going to files. Every signal goes to the
 * whole group, so ending it ends the task runners it started too.
 */
export class ProcessGroup {
	readonly pid: number | undefined;
	/** Resolves when the process has exited, or failed to start. */
	readonly exited: Promise<ProcessEnd>;
	/** How it ended, once it has (set as soon as it is known). */
	ended?: ProcessEnd;

	private constructor(child: ChildProcess) {
		this.pid = child.pid;
		this.exited = new Promise((resolve) => {
			child.on('exit', (code, signal) => resolve((this.ended = { code, signal })));
			child.on('error', (error) => resolve((this.ended = { code: null, signal: null, error })));
		});
	}

	static spawn(command: string, args: string[], options: SpawnOptions): ProcessGroup {
		const outFd = openSync(options.stdout, options.flags);
		let errFd = outFd;
		try {
			if (options.stderr !== undefined) errFd = openSync(options.stderr, options.flags);
			const child = spawn(command, args, {
				cwd: options.cwd,
				env: options.env,
				stdio: ['ignore', outFd, errFd],
				detached: true, // its own process group: the task runner goes with it
			});
			return new ProcessGroup(child);
		} finally {
			closeSync(outFd);
			if (errFd !== outFd) closeSync(errFd);
		}
	}

	/**
	 * Waits for the process to end; past `timeoutMs` its process group is killed (SIGKILL) and
	 * `timedOut` is set. Whatever the group left behind is killed after.
	 */
	async wait(timeoutMs: number): Promise<{ end: ProcessEnd; timedOut: boolean }> {
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			killGroup(this.pid, 'SIGKILL');
		}, timeoutMs);
		const end = await this.exited;
		clearTimeout(timer);
		killGroup(this.pid, 'SIGKILL'); // leftovers of the group, if any
		return { end, timedOut };
	}

	/** Stops the process: SIGTERM to its process group, SIGKILL after `graceMs`. */
	async stop(graceMs = 15_000): Promise<void> {
		killGroup(this.pid, 'SIGTERM');
		let timer: NodeJS.Timeout | undefined;
		const timedOut = await Promise.race([
			this.exited.then(() => false),
			new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), graceMs))),
		]);
		clearTimeout(timer);
		if (timedOut) killGroup(this.pid, 'SIGKILL');
		await this.exited;
		killGroup(this.pid, 'SIGKILL'); // anything the group left behind
	}

	/** Kills the process group at once, as a crash or an OOM kill would (no shutdown). */
	async kill(): Promise<void> {
		killGroup(this.pid, 'SIGKILL');
		await this.exited;
	}
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The last `lines` lines of what a process printed. */
export function tail(text: string, lines = 40): string {
	return text.split('\n').slice(-lines).join('\n');
}
