// Every process a queue test starts is stopped on every path, a failed start included: Redis (or
// n8n) fails to start after PostgreSQL has started, and afterwards no PostgreSQL, Redis, n8n or
// sandbox of this test is left, checked by process group and by `ps`. (A PostgreSQL left behind
// kept jest from exiting, and CI ran into its time limit.)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';

import { startSandbox, type RunningSandbox } from '../../sandbox';
import { freePort } from '../../e2e/harness';
import { startQueueCluster, type QueueClusterOptions } from '../../e2e/queue';

interface Started {
	what: string;
	pgid?: number;
	dir?: string;
}

/** Whether a process group exists (signal 0 checks, sends nothing). */
function groupAlive(pgid: number): boolean {
	try {
		process.kill(-pgid, 0);
		return true;
	} catch {
		return false;
	}
}

/** `ps`: every process as pid, process group and command line. */
function processes(): { pid: number; pgid: number; args: string }[] {
	const ps = spawnSync('ps', ['-eo', 'pid=,pgid=,args='], { encoding: 'utf8' });
	return ps.stdout
		.split('\n')
		.map((l) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(l))
		.filter((m): m is RegExpExecArray => m !== null)
		.map((m) => ({ pid: Number(m[1]), pgid: Number(m[2]), args: m[3] }));
}

/** Processes whose environment names this n8n user folder (n8n, its task runners). */
function n8nProcessesOf(userFolder: string): number[] {
	const found: number[] = [];
	for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
		try {
			if (readFileSync(`/proc/${pid}/environ`, 'utf8').includes(`N8N_USER_FOLDER=${userFolder}`))
				found.push(Number(pid));
		} catch {
			// ended meanwhile, or not ours to read
		}
	}
	return found;
}

/** Nothing of what was started is left: no group, no process naming its folder, no folder. */
function expectAllGone(started: Started[]): void {
	const left = processes();
	for (const s of started) {
		if (s.pgid !== undefined) {
			expect({ what: s.what, alive: groupAlive(s.pgid) }).toEqual({ what: s.what, alive: false });
			expect(left.filter((p) => p.pgid === s.pgid || p.pid === s.pgid)).toEqual([]);
		}
		if (s.dir) {
			expect(left.filter((p) => p.args.includes(s.dir!))).toEqual([]);
			expect(n8nProcessesOf(s.dir)).toEqual([]);
			expect({ what: s.what, dir: existsSync(s.dir) }).toEqual({ what: s.what, dir: false });
		}
	}
	// And no child of this test process at all.
	expect(left.filter((p) => ppidOf(p.pid) === process.pid)).toEqual([]);
}

function ppidOf(pid: number): number | undefined {
	try {
		return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
	} catch {
		return undefined;
	}
}

/**
 * Starts a sandbox and a cluster that must fail, as a queue test does; stops the sandbox; returns
 * what had started and the error.
 */
async function failedStart(
	options: QueueClusterOptions,
): Promise<{ started: Started[]; error: Error }> {
	const started: Started[] = [];
	const sandbox: RunningSandbox = await startSandbox({ port: 0 });
	let error: Error | undefined;
	try {
		const cluster = await startQueueCluster({
			workers: 1,
			...options,
			onStart: (what, pgid, dir) => started.push({ what, pgid, dir }),
		});
		await cluster.stop(); // not expected: it started
	} catch (e) {
		error = e as Error;
	} finally {
		await sandbox.stop();
	}
	// The sandbox (in this process) is closed: nothing answers on its port.
	await expect(fetch(sandbox.url)).rejects.toThrow();
	if (!error) throw new Error('the cluster started: expected a failed start');
	return { started, error };
}

test('Redis fails to start (bad binary) after PostgreSQL started: PostgreSQL is stopped', async () => {
	const { started, error } = await failedStart({
		redis: { bin: '/nonexistent/redis-server' },
	});
	expect(error.message).toMatch(/^Redis ended .*ENOENT/s);
	// PostgreSQL had started (it takes longer than Redis's failure) and was stopped.
	expect(started.map((s) => s.what)).toEqual(['postgres']);
	expectAllGone(started);
});

test('Redis fails to start (port taken) after PostgreSQL started: both are stopped', async () => {
	const port = await freePort();
	const taken: Server = createServer();
	await new Promise<void>((resolve) => taken.listen(port, '127.0.0.1', resolve));
	try {
		const { started, error } = await failedStart({ redis: { port } });
		expect(error.message).toMatch(/^Redis ended .*Address already in use/s);
		expect(started.map((s) => s.what)).toEqual(['postgres']);
		expectAllGone(started);
	} finally {
		await new Promise((resolve) => taken.close(resolve));
	}
});

test('n8n fails to start after PostgreSQL and Redis started: all are stopped', async () => {
	// The main reaches no database (nothing listens on port 1), so it never gets ready.
	const { started, error } = await failedStart({
		env: { DB_POSTGRESDB_PORT: '1', DB_POSTGRESDB_CONNECTION_TIMEOUT: '2000' },
	});
	expect(error.message).toMatch(/n8n|exited|ready/i);
	expect(started.map((s) => s.what).sort()).toEqual(['main', 'postgres', 'redis']);
	expectAllGone(started);
});
