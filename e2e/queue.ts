// n8n in queue mode, the way users scale out: one main (`n8n start`: editor, API, webhooks, the
// scheduler of triggers and pollers), Redis as the queue, workers (`n8n worker`) that run the
// executions, PostgreSQL as the shared database. Every process loads our packed package from its
// own user folder; all share one encryption key.
//
//   const cluster = await startQueueCluster({ workers: 2 });
//   await cluster.main.setupOwner();
//   ...
//   cluster.workerOf(executionId)   // 'w1' | 'w2' | undefined, from the workers' logs
//   await cluster.stop();
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { createInstance, type N8nInstance, type N8nProcess, type N8nServer } from './harness';
import {
	startPostgres,
	startRedis,
	type Postgres,
	type Redis,
	type RedisOptions,
} from './services';

export interface QueueWorker {
	name: string;
	instance: N8nInstance;
	process: N8nProcess;
}

export interface QueueCluster {
	postgres: Postgres;
	redis: Redis;
	/** The environment every process of the cluster shares (queue, database, Redis, key). */
	env: Record<string, string>;
	mainInstance: N8nInstance;
	main: N8nServer;
	workers: QueueWorker[];
	/** Starts one more worker (e.g. after one was killed). */
	addWorker(name: string): Promise<QueueWorker>;
	/** The worker whose log says it started this execution ("Worker started execution N"). */
	workerOf(executionId: string): string | undefined;
	/**
	 * Executions of a workflow a worker has started and not finished: id -> worker (the public API
	 * lists only ended executions).
	 */
	running(workflowId: string): Map<string, string>;
	/** Resident memory of every process of the cluster now (n8n, task runners, PostgreSQL, Redis). */
	rssBytes(): number;
	stop(): Promise<void>;
}

export interface QueueClusterOptions {
	workers?: number;
	/** Executions a worker runs at once. */
	concurrency?: number;
	/** More environment for every process (e.g. the Bull lock settings). */
	env?: Record<string, string>;
	/** How Redis is started (a test makes it fail with a bad binary or a taken port). */
	redis?: RedisOptions;
	/**
	 * Called as each server starts, with its process group and folder (n8n: called with its user
	 * folder before it starts, again with its process group once ready). Tests check they are gone.
	 */
	onStart?: (what: string, pgid: number | undefined, dir?: string) => void;
}

/** Stops everything given, each one even when another fails; rethrows the first failure. */
async function stopAll(items: Array<{ stop(): Promise<void> } | { dispose(): Promise<void> }>) {
	const results = await Promise.allSettled(
		items.map((i) => ('stop' in i ? i.stop() : i.dispose())),
	);
	const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
	if (failed) throw failed.reason;
}

/** Execution ids of a worker's "Worker started/finished execution N (job J)" lines, of one workflow. */
const idsIn = (log: string, verb: string, workflowId = '[^"]+') =>
	[
		...log.matchAll(
			new RegExp(`Worker ${verb} execution (\\d+) \\(job[^\\n]*"workflowId": "${workflowId}"`, 'g'),
		),
	].map((m) => m[1]);
const startedIn = (log: string, workflowId?: string) => idsIn(log, 'started', workflowId);
const finishedIn = (log: string) => idsIn(log, 'finished');

/** The summed RSS of the processes of these process groups (`ps`; every process n8n spawns stays in its group). */
function groupsRssBytes(groups: Array<number | undefined>): number {
	const wanted = new Set(groups.filter((g): g is number => g !== undefined));
	const ps = spawnSync('ps', ['-eo', 'pgid=,rss='], { encoding: 'utf8' });
	let kib = 0;
	for (const line of ps.stdout.split('\n')) {
		const [pgid, rss] = line.trim().split(/\s+/).map(Number);
		if (wanted.has(pgid)) kib += rss;
	}
	return kib * 1024;
}

export async function startQueueCluster(options: QueueClusterOptions = {}): Promise<QueueCluster> {
	const started: Array<{ stop(): Promise<void> }> = [];
	const instances: N8nInstance[] = [];
	try {
		// Both at once; each is registered for the stop as soon as it runs, so that a failed start
		// of one never leaves the other running.
		const note = <T extends Postgres | Redis>(what: string, service: T): T => {
			started.push(service);
			options.onStart?.(what, service.pgid, service.dir);
			return service;
		};
		const [pg, rd] = await Promise.allSettled([
			startPostgres().then((s) => note('postgres', s)),
			startRedis(options.redis).then((s) => note('redis', s)),
		]);
		if (pg.status === 'rejected') throw pg.reason;
		if (rd.status === 'rejected') throw rd.reason;
		const [postgres, redis] = [pg.value, rd.value];
		const env: Record<string, string> = {
			EXECUTIONS_MODE: 'queue',
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: postgres.host,
			DB_POSTGRESDB_PORT: String(postgres.port),
			DB_POSTGRESDB_DATABASE: postgres.database,
			DB_POSTGRESDB_USER: postgres.user,
			DB_POSTGRESDB_PASSWORD: postgres.password,
			QUEUE_BULL_REDIS_HOST: redis.host,
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			// Workers decrypt the credentials the main stored: one key for all.
			N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
			...options.env,
		};
		const mainInstance = await createInstance({ name: 'queue-main', env });
		instances.push(mainInstance);
		options.onStart?.('main', undefined, mainInstance.userFolder);
		// The main creates the schema; workers expect it, so they start after the main is ready.
		const main = await mainInstance.start();
		options.onStart?.('main', main.pid);
		const workers: QueueWorker[] = [];
		const addWorker = async (name: string): Promise<QueueWorker> => {
			const instance = await createInstance({ name: `queue-${name}`, env });
			instances.push(instance);
			options.onStart?.(name, undefined, instance.userFolder);
			const worker = {
				name,
				instance,
				process: await instance.startWorker({
					concurrency: options.concurrency,
					env: { WORKER_NAME: name },
				}),
			};
			workers.push(worker);
			options.onStart?.(name, worker.process.pid);
			return worker;
		};
		for (let i = 1; i <= (options.workers ?? 2); i++) await addWorker(`w${i}`);
		return {
			postgres,
			redis,
			env,
			mainInstance,
			main,
			workers,
			addWorker,
			workerOf: (executionId) =>
				workers.find((w) => startedIn(w.instance.log()).includes(executionId))?.name,
			running: (workflowId) => {
				const running = new Map<string, string>();
				for (const w of workers) {
					const log = w.instance.log();
					const finished = new Set(finishedIn(log));
					for (const id of startedIn(log, workflowId))
						if (!finished.has(id)) running.set(id, w.name);
				}
				return running;
			},
			rssBytes: () =>
				groupsRssBytes([main.pid, ...workers.map((w) => w.process.pid), postgres.pgid, redis.pgid]),
			stop: async () => {
				if (process.env.E2E_KEEP === '1') {
					// Kept user folders get the database's and Redis's logs too.
					writeFileSync(path.join(mainInstance.userFolder, 'postgres.log'), postgres.log());
					writeFileSync(path.join(mainInstance.userFolder, 'redis.log'), redis.log());
				}
				// n8n first (it holds connections to both), then PostgreSQL and Redis.
				try {
					await stopAll(instances);
				} finally {
					await stopAll(started);
				}
			},
		};
	} catch (error) {
		await stopAll(instances).catch(() => undefined); // the start's error is the one to see
		await stopAll(started).catch(() => undefined);
		throw error;
	}
}
