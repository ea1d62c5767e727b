// Private PostgreSQL and Redis servers for the queue-mode tests: Debian's packages (`postgresql`,
// `redis-server`; `.ci/run` installs them), each started in a temp folder on a free 127.0.0.1 port
// and stopped with its folder. Nothing of the machine's own services is used or touched.
//
//   const pg = await startPostgres();   // { host, port, database, user, password, stop() }
//   const redis = await startRedis();   // { host, port, stop() }
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';

import { freePort, sleep } from './harness';

export interface Postgres {
	host: string;
	port: number;
	database: string;
	user: string;
	password: string;
	/** Its process group (the server and its helper processes). */
	pgid?: number;
	/** What the server printed so far. */
	log(): string;
	stop(): Promise<void>;
}

export interface Redis {
	host: string;
	port: number;
	/** Its process group. */
	pgid?: number;
	/** What the server printed so far. */
	log(): string;
	stop(): Promise<void>;
}

const HOST = '127.0.0.1';

/** Debian keeps PostgreSQL's server programs out of PATH, under /usr/lib/postgresql/<major>/bin. */
function postgresBin(program: string): string {
	const root = '/usr/lib/postgresql';
	if (existsSync(root)) {
		const majors = readdirSync(root)
			.filter((v) => existsSync(path.join(root, v, 'bin', program)))
			.sort((a, b) => Number(b) - Number(a));
		if (majors.length) return path.join(root, majors[0], 'bin', program);
	}
	const found = spawnSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' });
	if (found.status === 0 && found.stdout.trim()) return found.stdout.trim();
	throw new Error(
		`PostgreSQL's ${program} was not found: install Debian's postgresql package (apt-get install postgresql)`,
	);
}

/** PostgreSQL refuses to run as root: as root, its programs run as the `postgres` user. */
function asPostgresUser(command: string, args: string[]): [string, string[]] {
	return userInfo().uid === 0
		? ['runuser', ['-u', 'postgres', '--', command, ...args]]
		: [command, args];
}

function postgresUid(): { uid: number; gid: number } | undefined {
	if (userInfo().uid !== 0) return undefined;
	const id = (flag: string) =>
		Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
	return { uid: id('-u'), gid: id('-g') };
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
}

async function waitUntil(
	what: string,
	ready: () => boolean,
	child: ChildProcess,
	log: () => string,
) {
	const deadline = Date.now() + 30_000;
	while (!ready()) {
		if (child.exitCode !== null)
			throw new Error(`${what} ended (exit ${child.exitCode}):\n${log()}`);
		if (Date.now() > deadline) throw new Error(`${what} was not ready after 30 s:\n${log()}`);
		await sleep(100);
	}
}

/**
 * A throw-away PostgreSQL cluster: `initdb` into a temp folder (trust authentication, superuser
 * `postgres`), the server on 127.0.0.1 only, its socket in the same folder. ~1-2 s.
 */
export async function startPostgres(): Promise<Postgres> {
	const dir = mkdtempSync(path.join(tmpdir(), 'dassault-pg-'));
	const owner = postgresUid();
	if (owner) chownSync(dir, owner.uid, owner.gid);
	const data = path.join(dir, 'data');
	const [initCmd, initArgs] = asPostgresUser(postgresBin('initdb'), [
		'-D',
		data,
		'-U',
		'postgres',
		'--auth=trust',
		'--encoding=UTF8',
		'--no-sync',
	]);
	const init = spawnSync(initCmd, initArgs, { encoding: 'utf8' });
	if (init.status !== 0) {
		rmSync(dir, { recursive: true, force: true });
		throw new Error(`initdb failed (exit ${init.status}):\n${init.stdout}\n${init.stderr}`);
	}
	const port = await freePort();
	const [cmd, args] = asPostgresUser(postgresBin('postgres'), [
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
	child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
	child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
	const isReady = postgresBin('pg_isready');
	await waitUntil(
		'PostgreSQL',
		() => spawnSync(isReady, ['-h', HOST, '-p', String(port), '-q']).status === 0,
		child,
		() => output,
	);
	return {
		host: HOST,
		port,
		database: 'postgres',
		user: 'postgres',
		password: 'trust-auth-ignores-it',
		pgid: child.pid,
		log: () => output,
		stop: async () => {
			await stopChild(child, 'SIGINT'); // PostgreSQL's "fast" shutdown
			rmSync(dir, { recursive: true, force: true });
		},
	};
}

/** A throw-away Redis: no persistence, 127.0.0.1 only. Well under a second. */
export async function startRedis(): Promise<Redis> {
	const dir = mkdtempSync(path.join(tmpdir(), 'dassault-redis-'));
	const port = await freePort();
	let output = '';
	const child = spawn(
		'redis-server',
		['--port', String(port), '--bind', HOST, '--save', '', '--appendonly', 'no', '--dir', dir],
		{ detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
	);
	child.on(
		'error',
		(error) => (output += `${error.message}: install Debian's redis-server package`),
	);
	child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
	child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
	await waitUntil(
		'Redis',
		() => /Ready to accept connections/.test(output),
		child,
		() => output,
	);
	return {
		host: HOST,
		port,
		pgid: child.pid,
		log: () => output,
		stop: async () => {
			await stopChild(child, 'SIGTERM');
			rmSync(dir, { recursive: true, force: true });
		},
	};
}
