/**
 * 4. Per-item overhead: the node's own CPU per "Create" item (parameters → body → validation →
 * transport → output) with the HTTP call answered at once in process, so no server, socket or JSON
 * over the wire is counted.
 *
 * Timed in each run, as CPU time (user + system, `process.cpuUsage`), each part after a full GC so
 * that none pays for another's garbage:
 * - total: one execution of "Create" over the items against the tests' mock execution context
 *   (`test/helpers/n8n.ts`), whose `getNodeParameter` and stubbed HTTP call do work of their own
 *   that in n8n is n8n's, not the node's;
 * - harness: every call that execution makes to the context (each `getNodeParameter` with its
 *   name and item index, `getNode`, `getCredentials`, each HTTP call), recorded from an identical
 *   untimed execution and replayed in order through the same mock without the node, minus the
 *   same replay loop over no-op functions (the loop's own cost), each three times, averaged;
 * - node = total − harness: the figure.
 */
import type { IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { DassaultSales } from '../nodes/DassaultSales/DassaultSales.node';
import { createParameters } from '../test/helpers/fixtures';
import { executeFunctions } from '../test/helpers/n8n';

const answer = {
	statusCode: 201,
	// No quota headers: a fixed "remaining" would be a server that never counts, and the gate would wait.
	headers: {},
	body: {
		partnerLeadOpportunityId: 'P',
		dsLeadOpportunityId: 'ABCD-123456',
		action: 'create',
		info: { success: true, statusCode: 201 },
		error: null,
	},
};

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** The mock context with the HTTP call answered at once, in process. */
function stubbedContext(parameters: Record<string, unknown>, items: number) {
	const ctx = executeFunctions({
		parameters,
		items: Array.from({ length: items }, () => ({ json: {} })),
	});
	(ctx.helpers as unknown as Record<string, unknown>).httpRequestWithAuthentication = async (
		_type: string,
		_options: IHttpRequestOptions,
	) => answer;
	return ctx;
}

type Call = { fn: (...args: unknown[]) => unknown; args: unknown[] };

/** Wraps every function of the context (and of its helpers) to record each call the node makes. */
function recording(ctx: IExecuteFunctions): Call[] {
	const calls: Call[] = [];
	for (const target of [ctx, ctx.helpers] as unknown as Array<Record<string, unknown>>) {
		for (const [key, value] of Object.entries(target)) {
			if (typeof value !== 'function') continue;
			const fn = value as Call['fn'];
			target[key] = (...args: unknown[]) => {
				calls.push({ fn, args });
				return fn(...args);
			};
		}
	}
	return calls;
}

/**
 * The calls again, in order. A promise the mock returns is created (that is the mock's work) but not
 * awaited: awaiting is the node's work, and it awaits n8n's helpers the same way. The mock's
 * functions ignore `this`.
 */
function replay(calls: Call[]) {
	for (let i = 0; i < calls.length; i++) calls[i].fn.apply(undefined, calls[i].args);
}

/**
 * The same calls with each function replaced by a no-op of its own (so the call site sees as many
 * functions as in the replay): the replay loop's own cost, taken off the harness.
 */
const emptied = (calls: Call[]): Call[] => {
	const noops = new Map<Call['fn'], Call['fn']>();
	return calls.map(({ fn, args }) => {
		if (!noops.has(fn)) noops.set(fn, () => undefined);
		return { fn: noops.get(fn) as Call['fn'], args };
	});
};

const cpuMicroseconds = async (work: () => unknown) => {
	gc();
	const start = process.cpuUsage();
	await work();
	const used = process.cpuUsage(start);
	return used.user + used.system;
};

export interface OverheadRun {
	/** Node and mock context together. */
	totalMicrosecondsPerItem: number;
	/** The mock context alone: the same calls replayed without the node. */
	harnessMicrosecondsPerItem: number;
	/** total − harness. */
	nodeMicrosecondsPerItem: number;
	/** The replay loop over no-op functions, already taken off `harness`. */
	replayLoopMicrosecondsPerItem: number;
	callsPerItem: number;
}

const REPLAYS = 3;

/** Executions before the first timed one of the process (then one per run). */
let warmUps = 3;

export async function perItemOverhead(items: number): Promise<OverheadRun> {
	const parameters = createParameters();
	const node = new DassaultSales();
	// Warm-up at full size, as in a running n8n: JIT tiers and the heap's young generation settle
	// (with a single one, a process's first run still came out about 25 % higher than the next).
	for (; warmUps > 0; warmUps--) await node.execute.call(stubbedContext(parameters, items));
	warmUps = 1;

	const ctx = stubbedContext(parameters, items);
	let output: Awaited<ReturnType<DassaultSales['execute']>>[0] = [];
	const total = await cpuMicroseconds(async () => {
		[output] = await node.execute.call(ctx);
	});
	if (
		output.length !== items ||
		output.some((item) => item.json.dsLeadOpportunityId !== 'ABCD-123456')
	)
		throw new Error('overhead run produced wrong output');

	const recorded = stubbedContext(parameters, items);
	const calls = recording(recorded);
	await node.execute.call(recorded);
	const empty = emptied(calls);
	replay(calls.slice(0, 1000)); // warm-up of the replay itself
	replay(empty.slice(0, 1000));
	// Each timed REPLAYS times, alternately, and averaged: a replay takes tens of milliseconds, where
	// a busy machine's noise is a few.
	let replayed = 0;
	let loop = 0;
	for (let i = 0; i < REPLAYS; i++) {
		replayed += (await cpuMicroseconds(() => replay(calls))) / REPLAYS;
		loop += (await cpuMicroseconds(() => replay(empty))) / REPLAYS;
	}
	const harness = replayed - loop;

	return {
		totalMicrosecondsPerItem: total / items,
		harnessMicrosecondsPerItem: harness / items,
		nodeMicrosecondsPerItem: (total - harness) / items,
		replayLoopMicrosecondsPerItem: loop / items,
		callsPerItem: calls.length / items,
	};
}
