// Our nodes in n8n queue mode, the way users scale out: one main (schedules the trigger's polls,
// receives webhooks), Redis, two workers (run the executions), PostgreSQL (e2e/queue.ts), every
// process loading the packed package, the sandbox as the API.
//
// - the operations workflows of the e2e layer (operations-suite.ts), started by webhook, run on a
//   worker and give the same results as in one process;
// - two bulk "Create or Update" executions at once, one per worker, against one sandbox quota:
//   no item fails (each execution paces itself; the 429s of the other one are retried);
// - the trigger: polls run on the main only, each change is emitted exactly once, and when a
//   worker is killed (SIGKILL) in the middle of an event's execution, n8n records that execution
//   as failed and the trigger does not emit the event again. What n8n keeps of it is asserted and
//   reported: docs/running-at-scale.md.
//
// Workers run one execution at a time, so two executions at once run on both workers. The Bull lock
// settings are shortened so that a killed worker's job is found stalled in seconds, not minutes.
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import type { ChangeLogEntry, RunningSandbox } from '../../sandbox';
import { startSandbox } from '../../sandbox';
import {
	executionRun,
	sandboxCredential,
	sleep,
	TRIGGER_NODE_TYPE,
	type Execution,
	type N8nServer,
	type WorkflowInput,
} from '../../e2e/harness';
import { startQueueCluster, type QueueCluster } from '../../e2e/queue';
import {
	ERRORS_WORKFLOW_ID,
	errorsWorkflow,
	OPERATIONS_WORKFLOW_ID,
	operationsContext,
	operationsSuite,
	operationsWorkflow,
	ours,
	type OperationsContext,
} from '../e2e/operations-suite';
import { manualToWebhook } from '../e2e/workflow-helpers';

type Json = Record<string, unknown>;

const CREDENTIAL = { id: 'queueSandboxCred', name: 'Queue sandbox' };
const BULK_WORKFLOW_ID = 'queueBulkUpsert1';
const TRIGGER_WORKFLOW_ID = 'queueTrigger0001';
const TRIGGER_NAME = '3DS Changes';
const RECOVERY_WORKFLOW_ID = 'queueRecovery001';
/** Bull's lock on a job, renewed by the worker that runs it; a killed worker stops renewing it. */
const LOCK_ENV = {
	QUEUE_WORKER_LOCK_DURATION: '10000',
	QUEUE_WORKER_LOCK_RENEW_TIME: '5000',
	QUEUE_WORKER_STALLED_INTERVAL: '5000',
};

let sandbox: RunningSandbox;
let cluster: QueueCluster;
let main: N8nServer;
let context: OperationsContext;
/** Execution id -> the worker that ran it, read from the workers' logs. */
const ranOn = new Map<string, string>();

const webhookPath = (workflowId: string) => `queue-${workflowId}`;

/**
 * Calls the workflow's webhook once per body, all at once; resolves with the executions this
 * started (as many as bodies) once all have finished, oldest first.
 */
async function runByWebhook(workflowId: string, ...bodies: unknown[]): Promise<Execution[]> {
	if (bodies.length === 0) bodies = [{}];
	const before = new Set(
		(await main.listExecutions(workflowId, { includeData: false })).map((e) => e.id),
	);
	const answers = await Promise.all(
		bodies.map((body) => main.webhook(webhookPath(workflowId), body)),
	);
	for (const res of answers)
		if (res.status !== 200) throw new Error(`webhook of ${workflowId}: ${res.status} ${res.body}`);
	for (const deadline = Date.now() + 240_000; Date.now() < deadline; await sleep(500)) {
		const fresh = (await main.listExecutions(workflowId, { includeData: false })).filter(
			(e) => !before.has(e.id),
		);
		if (fresh.length > bodies.length)
			throw new Error(`${fresh.length} executions of ${workflowId} for ${bodies.length} calls`);
		if (fresh.length === bodies.length && fresh.every((e) => e.stoppedAt)) {
			const ids = fresh.map((e) => e.id).sort((a, b) => Number(a) - Number(b));
			return await Promise.all(ids.map(async (id) => recordWorker(await main.getExecution(id))));
		}
	}
	throw new Error(`the executions of ${workflowId} did not finish within 240 s`);
}

function recordWorker(execution: Execution): Execution {
	// The worker logs the start before it runs anything; a finished execution's line is there.
	const worker = cluster.workerOf(execution.id);
	if (worker) ranOn.set(execution.id, worker);
	return execution;
}

async function waitFor<T>(
	what: string,
	probe: () => Promise<T | undefined>,
	timeoutMs = 180_000,
): Promise<T> {
	for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(500)) {
		const value = await probe();
		if (value !== undefined) return value;
	}
	throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

// ---------------------------------------------------------------------------------------------
// Workflows beside the operations suite's

/** Webhook { items: [{ partnerId, amount }] } -> Split Out -> Create or Update each. */
function bulkWorkflow(): WorkflowInput {
	return {
		id: BULK_WORKFLOW_ID,
		name: 'queue bulk create or update',
		nodes: [
			{
				id: 'b1',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: 'b1c2d3e4-0000-4000-8000-000000000001',
				parameters: {
					httpMethod: 'POST',
					path: webhookPath(BULK_WORKFLOW_ID),
					responseMode: 'onReceived',
					options: {},
				},
			},
			{
				id: 'b2',
				name: 'Items',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [220, 0],
				parameters: { fieldToSplitOut: 'body.items', include: 'noOtherFields', options: {} },
			},
			ours(
				CREDENTIAL,
				'Create or Update',
				[440, 0],
				{
					resource: 'leadOpportunity',
					operation: 'upsert',
					apiVersion: 'v1',
					inputMode: 'fields',
					partnerLeadOpportunityId: '={{ $json.partnerId }}',
					name: '={{ "Queue bulk " + $json.partnerId }}',
					status: 'LEAD_OPEN',
					closeDate: '2026-12-31T00:00:00Z',
					currency: 'EUR',
					offerLines: {
						offerLine: [
							{
								offerNameId: { __rl: true, mode: 'id', value: context.offerA },
								amount: '={{ $json.amount }}',
								revenueType: 'PxC',
							},
						],
					},
					customerName: 'Queue Test GmbH',
					customerCity: 'Stuttgart',
					customerCountry: 'Germany',
					options: {},
				},
				{ onError: 'continueRegularOutput' },
			),
		],
		connections: {
			Webhook: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: 'Create or Update', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/**
 * The trigger, polling every 15 s (four once-a-minute times: n8n refuses a sub-minute cron), then a
 * Wait that lasts 30 s for changes marked SLOW (time to kill the worker) and no time otherwise.
 */
function triggerWorkflow(): WorkflowInput {
	return {
		id: TRIGGER_WORKFLOW_ID,
		name: 'queue trigger',
		nodes: [
			{
				id: 't1',
				name: TRIGGER_NAME,
				type: TRIGGER_NODE_TYPE,
				typeVersion: 1,
				position: [0, 0],
				credentials: { dassaultSalesApi: CREDENTIAL },
				parameters: {
					pollTimes: {
						item: [0, 15, 30, 45].map((second) => ({
							mode: 'custom',
							cronExpression: `${second} * * * * *`,
						})),
					},
					event: 'leadOpportunityUpdated',
					simplify: false, // Slow Down reads nextMilestone, which Simplify leaves out
					options: {},
				},
			},
			{
				id: 't2',
				name: 'Slow Down',
				type: 'n8n-nodes-base.wait',
				typeVersion: 1.1,
				position: [220, 0],
				parameters: {
					resume: 'timeInterval',
					amount: "={{ String($json.nextMilestone ?? '').startsWith('SLOW') ? 30 : 0 }}",
					unit: 'seconds',
				},
			},
		],
		connections: { [TRIGGER_NAME]: { main: [[{ node: 'Slow Down', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1', errorWorkflow: RECOVERY_WORKFLOW_ID },
	};
}

/**
 * The trigger workflow's Error Workflow, as docs/running-at-scale.md recommends: when an execution
 * fails, search the ids of what changed in the last 10 minutes (more than the poll interval plus the
 * time n8n takes to give up on a dead worker: one request per 7 days, cheap on the quota) and
 * process them again; the CRM side must be an upsert.
 */
function recoveryWorkflow(): WorkflowInput {
	return {
		id: RECOVERY_WORKFLOW_ID,
		name: 'queue trigger recovery',
		nodes: [
			{
				id: 'r1',
				name: 'Error Trigger',
				type: 'n8n-nodes-base.errorTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			ours(CREDENTIAL, 'Changed Recently', [220, 0], {
				resource: 'leadOpportunity',
				operation: 'search',
				apiVersion: 'v1',
				filters: { modifiedAfter: '={{ $now.minus({ minutes: 10 }).toISO() }}' },
				output: 'ids',
				returnAll: true,
				options: {},
			}),
		],
		connections: {
			'Error Trigger': { main: [[{ node: 'Changed Recently', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

// ---------------------------------------------------------------------------------------------

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 29 });
	context = operationsContext(sandbox, CREDENTIAL);
	cluster = await startQueueCluster({
		workers: 2,
		concurrency: 1,
		env: { N8N_LOG_LEVEL: 'debug', ...LOCK_ENV },
	});
	main = cluster.main;
	await main.setupOwner();
	await main.createApiKey();
	await cluster.mainInstance.importCredentials([sandboxCredential(sandbox.url, CREDENTIAL)]);
	await cluster.mainInstance.importWorkflows([
		manualToWebhook(operationsWorkflow(context), webhookPath(OPERATIONS_WORKFLOW_ID)),
		manualToWebhook(errorsWorkflow(context), webhookPath(ERRORS_WORKFLOW_ID)),
		bulkWorkflow(),
		triggerWorkflow(),
		recoveryWorkflow(),
	]);
	// n8n runs an Error Workflow only when it is published (active).
	for (const id of [
		OPERATIONS_WORKFLOW_ID,
		ERRORS_WORKFLOW_ID,
		BULK_WORKFLOW_ID,
		RECOVERY_WORKFLOW_ID,
	])
		await main.activate(id);
	console.log(
		`queue mode: main ready in ${main.startupMs} ms, workers in ${cluster.workers.map((w) => w.process.startupMs).join(' / ')} ms; ` +
			`the cluster's processes use ${(cluster.rssBytes() / 2 ** 30).toFixed(2)} GiB`,
	);
}, 600_000);

afterAll(async () => {
	if (process.env.E2E_KEEP === '1' && cluster) {
		// Every execution with its data, beside the kept logs, for a post-mortem.
		const all: Execution[] = [];
		for (const w of [
			OPERATIONS_WORKFLOW_ID,
			ERRORS_WORKFLOW_ID,
			BULK_WORKFLOW_ID,
			TRIGGER_WORKFLOW_ID,
			RECOVERY_WORKFLOW_ID,
		])
			all.push(...(await main.listExecutions(w).catch(() => [])));
		writeFileSync(
			path.join(cluster.mainInstance.userFolder, 'executions.json'),
			JSON.stringify(all, null, 1),
		);
	}
	await cluster?.stop();
	await sandbox?.stop();
});

describe('the operations workflows, run by a worker', () => {
	operationsSuite({
		context: () => context,
		run: async (workflowId) => executionRun((await runByWebhook(workflowId))[0]),
	});

	test('ran on a worker, not on the main', () => {
		const operationRuns = [...ranOn.keys()];
		expect(operationRuns.length).toBeGreaterThanOrEqual(2);
		for (const id of operationRuns) expect(['w1', 'w2']).toContain(ranOn.get(id));
		expect(cluster.mainInstance.log()).not.toMatch(/Worker started execution/);
	});
});

describe('the trigger: polled by the main, each change emitted once, a killed worker recorded', () => {
	const changes: ChangeLogEntry[] = [];
	const pollsIn = (log: string) =>
		(log.match(/Poll trigger initiated for workflow "queue trigger"/g) ?? []).length;
	let killed: Execution;
	/** The events of the slow execution as stored when the poll created it, before the kill. */
	let handedToN8n: string[];
	let retryOutcome: string;
	let recovery: Execution;

	/** Each trigger execution's events (`dsLeadOpportunityId@modifiedDate`), from its run data or queue. */
	function eventsOf(execution: Execution): string[] {
		const data = (execution.data ?? {}) as {
			resultData?: {
				runData?: Record<string, Array<{ data?: { main?: Array<Array<{ json: Json }>> } }>>;
			};
			executionData?: {
				nodeExecutionStack?: Array<{
					node: { name: string };
					data: { main: Array<Array<{ json: Json }>> };
				}>;
			};
		};
		const ran = data.resultData?.runData?.[TRIGGER_NAME]?.[0]?.data?.main?.[0];
		const queued = data.executionData?.nodeExecutionStack?.find((s) => s.node.name === TRIGGER_NAME)
			?.data.main[0];
		return (ran ?? queued ?? []).map(
			(i) => `${String(i.json.dsLeadOpportunityId)}@${String(i.json.modifiedDate)}`,
		);
	}

	/** Every ended execution of the trigger workflow, with its data (one request). */
	const triggerExecutions = async () => await main.listExecutions(TRIGGER_WORKFLOW_ID);

	beforeAll(async () => {
		// The activation polls once ("from now": remembers where it starts, emits nothing); changes
		// count from that poll, which may end after activate() answered: wait for the next one.
		await main.activate(TRIGGER_WORKFLOW_ID);
		await waitFor('the first scheduled poll', async () =>
			pollsIn(cluster.mainInstance.log()) >= 2 ? true : undefined,
		);
		const leads = sandbox.admin.listLeads().slice(0, 6);

		// Five changes; the next poll emits them, a worker runs the execution.
		for (const lead of leads.slice(0, 5))
			changes.push(
				sandbox.admin.changeLead(lead.dsLeadOpportunityId, { nextMilestone: 'Quick check' }),
			);
		await waitFor('the five changes to be processed', async () => {
			const done = (await triggerExecutions()).filter((e) => e.status === 'success');
			const seen = new Set(done.flatMap(eventsOf));
			return changes.every((c) => seen.has(`${c.id}@${c.modifiedDate}`)) ? true : undefined;
		});

		// One change whose execution lasts 30 s: the worker running it is killed meanwhile.
		changes.push(
			sandbox.admin.changeLead(leads[5].dsLeadOpportunityId, {
				nextMilestone: 'SLOW: kill the worker',
			}),
		);
		const slow = `${changes[5].id}@${changes[5].modifiedDate}`;
		const running = await waitFor('the slow execution to start on a worker', async () => {
			const [started] = cluster.running(TRIGGER_WORKFLOW_ID);
			return started ? { id: started[0], worker: started[1] } : undefined;
		});
		ranOn.set(running.id, running.worker);
		// What the poll stored in the execution when it created it (read before the kill).
		handedToN8n = await waitFor(
			"the slow execution's stored trigger data",
			async () => {
				const events = eventsOf(await main.getExecution(running.id));
				return events.length ? events : undefined;
			},
			15_000,
		);
		await cluster.workers.find((w) => w.name === running.worker)!.process.kill();
		killed = await waitFor(
			'n8n to give up on the killed execution',
			async () => {
				const e = await main.getExecution(running.id);
				return e.stoppedAt ? e : undefined;
			},
			120_000,
		);
		expect(handedToN8n).toEqual([slow]);

		// What a user would try next: retrying the failed execution.
		try {
			const retry = await main.retryExecution(killed.id);
			const retried = await waitFor('the retry to finish', async () => {
				const e = await main.getExecution(retry.id);
				return e.stoppedAt ? e : undefined;
			});
			retryOutcome = `retried as ${retried.id}: ${retried.status}, events ${eventsOf(retried).join()}`;
		} catch (error) {
			retryOutcome = `refused: ${(error as Error).message}`;
		}

		// The Error Workflow ran for the failed execution.
		recovery = await waitFor('the Error Workflow to run for it', async () => {
			const done = (await main.listExecutions(RECOVERY_WORKFLOW_ID)).filter(
				(e) =>
					e.stoppedAt && Date.parse(e.startedAt) >= Date.parse(String(killed.stoppedAt)) - 1000,
			);
			return done[done.length - 1]; // the oldest after the kill
		});

		// Two more polls: nothing is emitted again.
		const polls = pollsIn(cluster.mainInstance.log());
		await waitFor('two more polls', async () =>
			pollsIn(cluster.mainInstance.log()) >= polls + 2 ? true : undefined,
		);
		await sleep(3000); // an execution those polls started would be listed by now

		// The tests that follow: the trigger off (its polls would compete for the quota), and a new
		// worker in place of the killed one.
		await main.deactivate(TRIGGER_WORKFLOW_ID);
		await cluster.addWorker('w3');
	}, 600_000);

	test('the killed execution is recorded as failed, never silently dropped (what n8n does)', () => {
		const error = (killed.data as { resultData?: { error?: { message?: string } } } | undefined)
			?.resultData?.error?.message;
		console.log(
			`queue mode, worker ${ranOn.get(killed.id)} killed during execution ${killed.id}: n8n recorded it as ` +
				`"${killed.status}" (${error}) after ${Math.round((Date.parse(String(killed.stoppedAt)) - Date.parse(killed.startedAt)) / 1000)} s; ` +
				`events kept in the record: ${eventsOf(killed).length} of ${handedToN8n.length}; retry ${retryOutcome}`,
		);
		expect(killed.status).toBe('error');
		expect(error).toMatch(/failed to be processed too many times/);
		// n8n 2.41 replaces the record's data by the error: the event is no longer in it, and its
		// retry has nothing to run. If n8n starts keeping the data, these two lines change.
		expect(eventsOf(killed)).toEqual([]);
		expect(retryOutcome).toMatch(/^(refused: |retried as \d+: error, events $)/);
	});

	test("the trigger workflow's Error Workflow finds the lost change again with Search", () => {
		const run = executionRun(recovery);
		expect(run.ok).toBe(true);
		const found = run.nodes['Changed Recently'].items.map((i) => String(i.dsLeadOpportunityId));
		expect(found).toEqual(expect.arrayContaining(handedToN8n.map((e) => e.split('@')[0])));
	});

	test('each change was emitted exactly once, oldest first; no poll failed', async () => {
		const executions = await triggerExecutions();
		const failed = executions
			// A failed poll is recorded as a failed "trigger" execution (the retry above is "retry").
			.filter((e) => e.mode === 'trigger' && e.status !== 'success' && e.id !== killed.id)
			.map(
				(e) =>
					`${e.id} ${e.mode} ${e.status}: ${JSON.stringify((e.data as Json | undefined)?.resultData ?? {}).slice(0, 300)}`,
			);
		expect(failed).toEqual([]);
		const emitted = executions
			.filter((e) => e.mode === 'trigger' && e.id !== killed.id)
			.sort((a, b) => Number(a.id) - Number(b.id))
			.flatMap(eventsOf);
		// The slow change went into the killed execution only (handedToN8n), never again.
		expect([...emitted, ...handedToN8n]).toEqual(
			[...changes]
				.sort((a, b) => (a.modifiedDate + a.id < b.modifiedDate + b.id ? -1 : 1))
				.map((c) => `${c.id}@${c.modifiedDate}`),
		);
	});

	test('polls ran on the main only, never on a worker', () => {
		expect(pollsIn(cluster.mainInstance.log())).toBeGreaterThanOrEqual(4);
		for (const worker of cluster.workers) expect(pollsIn(worker.instance.log())).toBe(0);
		expect(sandbox.admin.violations()).toEqual([]);
	});
});

describe('two bulk executions at once, one per worker, one API quota', () => {
	const PER_EXECUTION = 150;
	const QUOTA = { quota: 50, windowMs: 2000 };
	let executions: Execution[];
	let wallMs: number;
	let rateLimited: number;
	let requests: number;

	beforeAll(async () => {
		sandbox.admin.configure(QUOTA);
		const before = sandbox.admin.counters();
		const started = Date.now();
		const batch = (tag: string) => ({
			items: Array.from({ length: PER_EXECUTION }, (_, i) => ({
				partnerId: `QUEUE-${tag}-${String(i).padStart(4, '0')}`,
				amount: 1000 + i,
			})),
		});
		executions = await runByWebhook(BULK_WORKFLOW_ID, batch('A'), batch('B'));
		wallMs = Date.now() - started;
		const after = sandbox.admin.counters();
		rateLimited = after.rateLimited - before.rateLimited;
		const sum = (c: typeof after) => Object.values(c.requests).reduce((a, b) => a + b, 0);
		requests = sum(after) - sum(before);
		sandbox.admin.configure({ quota: 1000, windowMs: 60_000 });
	});

	test('every item is created once, none failed', () => {
		for (const execution of executions) {
			const run = executionRun(execution);
			expect(run.ok).toBe(true);
			const items = run.nodes['Create or Update'].items;
			expect(items).toHaveLength(PER_EXECUTION);
			expect(items.filter((i) => i.error !== undefined)).toEqual([]);
			for (const item of items) expect(item).toMatchObject({ action: 'create' });
		}
		const leads = sandbox.admin
			.listLeads()
			.filter((l) => /^QUEUE-[AB]-/.test(l.partnerLeadOpportunityId ?? ''));
		expect(leads).toHaveLength(2 * PER_EXECUTION);
		expect(new Set(leads.map((l) => l.partnerLeadOpportunityId)).size).toBe(2 * PER_EXECUTION);
		expect(sandbox.admin.violations()).toEqual([]);
	});

	test('the two executions ran on different workers, and the figures are reported', () => {
		const workers = executions.map((e) => ranOn.get(e.id));
		expect(workers.every((w) => w !== undefined)).toBe(true);
		expect(new Set(workers).size).toBe(2);
		const floorMs = (requests / QUOTA.quota) * QUOTA.windowMs;
		console.log(
			`queue mode, 2 x ${PER_EXECUTION} Create or Update at ${QUOTA.quota} requests per ${QUOTA.windowMs / 1000} s: ` +
				`${requests} requests, ${rateLimited} answered 429, wall ${(wallMs / 1000).toFixed(1)} s ` +
				`(${(wallMs / floorMs).toFixed(2)} x the quota floor of ${(floorMs / 1000).toFixed(1)} s), 0 items failed; ` +
				`the cluster's processes use ${(cluster.rssBytes() / 2 ** 30).toFixed(2)} GiB`,
		);
		expect(wallMs / floorMs).toBeLessThan(2);
	});
});
