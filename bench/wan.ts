/**
 * The WAN profile: 3DS an internet away, quota 50 per 2 s, round trips of 150 ms ± 50 or 400 ms ±
 * 100 (uniform). By default on the sandbox's wire (sandbox/wire.ts): each round trip split in half
 * each way (the quota counted when the request arrives, every answer, 429s included, half a round
 * trip later) and every request paying a new connection's TCP and TLS handshakes, as n8n opens a
 * connection per request (the harness does the same). `model: 'lab'` is the previous release's
 * model (the answer delayed after the quota was counted, 429s at once, connections free), kept
 * only to show the difference. Every run uses the node's default settings (Options left empty):
 * the node must find its pacing itself.
 *
 * Floor = (⌈minimum requests ÷ 50⌉ − 1) × 2 s: the last window's requests are taken as instant.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { startSandbox, type Counters, type RunningSandbox } from '../sandbox';
import { createParameters } from '../test/helpers/fixtures';
import { runNode, testCredentials } from '../test/helpers/n8n';
import { ms } from './lib';
import { QUOTA, WINDOW_MS } from './quota';

/** How the node is run: in one run, or as Loop Over Items drives it (batches, one node context). */
export type Shape = { kind: 'one run' } | { kind: 'loop'; batch: number };
export const ONE_RUN: Shape = { kind: 'one run' };
export const LOOP_OF_100: Shape = { kind: 'loop', batch: 100 };

/** What the gateway looks like: the wire (default) or the old model, and its rate-limit headers. */
export interface Gateway {
	model?: 'wire' | 'lab';
	rateLimitHeaders?: 'seconds' | 'epoch' | 'none';
}

export const shapeName = (shape: Shape) =>
	shape.kind === 'one run' ? 'one run' : `Loop Over Items of ${shape.batch}`;

export interface Latency {
	name: string;
	minMs: number;
	maxMs: number;
}

export const WAN: Latency[] = [
	{ name: '150 ms', minMs: 100, maxMs: 200 },
	{ name: '400 ms', minMs: 300, maxMs: 500 },
];
export const LAN: Latency = { name: '10 ms', minMs: 10, maxMs: 10 };

/** Partner ids per chunk search of Create or Update (actions/leadOpportunity/upsertLookup.ts). */
const CHUNK = 50;

export const floorMs = (requests: number) =>
	Math.max(0, Math.ceil(requests / QUOTA) - 1) * WINDOW_MS;

const total = (c: Counters) => Object.values(c.requests).reduce((a, b) => a + b, 0);
const rateLimited = (c: Counters) => c.rateLimited + c.faults.rateLimited;

type Kind = 'new' | 'changed' | 'identical';
/** 4 in 10 new, 3 changed, 3 identical, interleaved as a CRM export would mix them. */
const kindOf = (i: number): Kind => (i % 10 < 4 ? 'new' : i % 10 < 7 ? 'changed' : 'identical');

async function withSandbox<T>(seed: number, run: (sandbox: RunningSandbox) => Promise<T>) {
	// Seeding runs without quota or latency; the profile is switched on before the measured run.
	const sandbox = await startSandbox({
		port: 0,
		seed,
		quota: 1_000_000,
		windowMs: WINDOW_MS,
		leadCount: 10,
	});
	try {
		return await run(sandbox);
	} finally {
		await sandbox.stop();
	}
}

async function applyProfile(
	sandbox: RunningSandbox,
	latency: Latency,
	quota: number,
	gateway: Gateway = {},
) {
	sandbox.admin.configure(
		gateway.model === 'lab'
			? {
					quota,
					faults: {
						latency:
							latency.minMs === latency.maxMs
								? { distribution: 'fixed', ms: latency.minMs }
								: { distribution: 'uniform', minMs: latency.minMs, maxMs: latency.maxMs },
					},
				}
			: {
					quota,
					wire: { minMs: latency.minMs, maxMs: latency.maxMs, handshakeRoundTrips: 2 },
					rateLimitHeaders: gateway.rateLimitHeaders ?? 'seconds',
				},
	);
	// A fresh quota window for the measured run.
	await new Promise((resolve) => setTimeout(resolve, WINDOW_MS + 100));
}

/**
 * Runs the node on `count` items in the given shape. Loop Over Items hands the node one batch per
 * run, with the same node context (`getContext('node')`) for every run, as n8n does; the output is
 * put back in input order with pairedItem pointing at the input.
 */
async function runShaped(
	shape: Shape,
	count: number,
	parameters: (i: number) => IDataObject,
	credentials: ReturnType<typeof testCredentials>,
): Promise<INodeExecutionData[]> {
	const batch = shape.kind === 'loop' ? shape.batch : count;
	const nodeContext: IDataObject = {};
	const output: INodeExecutionData[] = [];
	for (let start = 0; start < count; start += batch) {
		const size = Math.min(batch, count - start);
		const items = await runNode({
			parameters: (j) => parameters(start + j),
			items: Array.from({ length: size }, () => ({ json: {} })),
			credentials,
			continueOnFail: true,
			checkContract: false,
			nodeContext,
		});
		for (const item of items) {
			const paired = item.pairedItem as { item: number } | undefined;
			output.push({ ...item, pairedItem: { item: (paired?.item ?? -1) + start } });
		}
	}
	return output;
}

const leadParameters = (operation: string, partnerId: string, offer: string, amount: number) =>
	createParameters({
		operation,
		partnerLeadOpportunityId: partnerId,
		offerLines: { offerLine: [{ offerNameId: offer, amount, revenueType: 'PxC' }] },
	});

export interface UpsertRun {
	wallMs: number;
	floorMs: number;
	requests: number;
	minimumRequests: number;
	rateLimited: number;
	windows: number;
	failed: number;
	duplicates: number;
	wrongValues: number;
	wrongOrder: number;
	/** Requests by operation (search, GET, POST, PATCH). */
	byOperation: Record<string, number>;
	/** TCP connections the sandbox accepted per request served. */
	connectionsPerRequest: number;
	/** Output actions by the item's class: e.g. changed → { update: 300 }. */
	actions: Record<Kind, Record<string, number>>;
}

/** 1. Create or Update: `items` items (4/10 new, 3/10 changed, 3/10 identical) under the profile. */
export async function wanUpsert(
	items: number,
	latency: Latency,
	seed: number,
	shape: Shape = ONE_RUN,
	gateway: Gateway = {},
): Promise<UpsertRun> {
	return await withSandbox(seed, async (sandbox) => {
		const offer = sandbox.admin.portfolioItems()[0].salesPortfolioId;
		const credentials = testCredentials({ baseUrl: sandbox.url, apiKey: 'sandbox-key' });
		const partnerId = (i: number) => `WAN-${seed}-${i}`;
		const existing = Array.from({ length: items }, (_, i) => i).filter((i) => kindOf(i) !== 'new');
		// Changed leads hold another amount than the item will send; identical ones the same.
		await runNode({
			parameters: (j) =>
				leadParameters(
					'create',
					partnerId(existing[j]),
					offer,
					kindOf(existing[j]) === 'changed' ? existing[j] + 100_000 : existing[j],
				),
			items: existing.map(() => ({ json: {} })),
			credentials,
			checkContract: false,
		});
		await applyProfile(sandbox, latency, QUOTA, gateway);
		const before = sandbox.admin.counters();
		const started = process.hrtime.bigint();
		const output = await runShaped(
			shape,
			items,
			(i) => leadParameters('upsert', partnerId(i), offer, i),
			credentials,
		);
		const wallMs = ms(started);
		const after = sandbox.admin.counters();
		const counts = { new: 0, changed: 0, identical: 0 };
		for (let i = 0; i < items; i++) counts[kindOf(i)]++;
		const minimumRequests =
			counts.new + 2 * counts.changed + counts.identical + Math.ceil(items / CHUNK);
		const byPartnerId = new Map<string, Array<Record<string, unknown>>>();
		for (const lead of sandbox.admin.listLeads() as unknown as Array<Record<string, unknown>>) {
			const id = String(lead.partnerLeadOpportunityId);
			byPartnerId.set(id, [...(byPartnerId.get(id) ?? []), lead]);
		}
		const actions: UpsertRun['actions'] = { new: {}, changed: {}, identical: {} };
		let wrongOrder = 0;
		let wrongValues = 0;
		let duplicates = 0;
		for (let i = 0; i < items; i++) {
			const item = output[i];
			const action = String(item?.json.action ?? 'failed');
			actions[kindOf(i)][action] = (actions[kindOf(i)][action] ?? 0) + 1;
			const paired = item?.pairedItem as { item: number } | undefined;
			if (
				paired?.item !== i ||
				(item.json.error === undefined && item.json.partnerLeadOpportunityId !== partnerId(i))
			)
				wrongOrder++;
			const stored = byPartnerId.get(partnerId(i)) ?? [];
			if (stored.length > 1) duplicates++;
			const lines = (stored[0]?.offerLines ?? []) as Array<Record<string, unknown>>;
			if (stored.length === 0 || lines.length !== 1 || lines[0].amount !== i) wrongValues++;
		}
		const byOperation: Record<string, number> = {};
		for (const [operation, n] of Object.entries(after.requests))
			byOperation[operation] = n - (before.requests[operation] ?? 0);
		return {
			wallMs,
			floorMs: floorMs(minimumRequests),
			requests: total(after) - total(before),
			minimumRequests,
			rateLimited: rateLimited(after) - rateLimited(before),
			windows: Math.ceil(wallMs / WINDOW_MS),
			failed: output.filter((item) => item.json.error !== undefined).length,
			duplicates,
			wrongValues,
			wrongOrder: wrongOrder + Math.abs(output.length - items),
			byOperation,
			actions,
			connectionsPerRequest:
				(after.connections - before.connections) / (total(after) - total(before)),
		};
	});
}

export interface CreateRun {
	wallMs: number;
	floorMs: number;
	requests: number;
	rateLimited: number;
	/** 429s after the first window that sent any (the window a client without headers learns from). */
	rateLimitedAfterFirst: number;
	/** The 429s of each quota window that sent any, oldest first. */
	rateLimitedPerWindow: number[];
	windows: number;
	failed: number;
	wrongOrder: number;
	connectionsPerRequest: number;
}

/**
 * `items` Create (all new) under the profile, by `executions` executions at once on one API key
 * (each its own share of the items, as a schedule overlapping a manual run): one POST per item is
 * the minimum, the floor that of all executions' requests together.
 */
export async function wanCreate(
	items: number,
	latency: Latency,
	seed: number,
	shape: Shape = ONE_RUN,
	gateway: Gateway = {},
	executions = 1,
): Promise<CreateRun> {
	return await withSandbox(seed, async (sandbox) => {
		const offer = sandbox.admin.portfolioItems()[0].salesPortfolioId;
		await applyProfile(sandbox, latency, QUOTA, gateway);
		const credentials = testCredentials({ baseUrl: sandbox.url, apiKey: 'sandbox-key' });
		const partnerId = (e: number, i: number) => `WANC-${seed}-${e}-${i}`;
		const before = sandbox.admin.counters();
		const started = process.hrtime.bigint();
		const outputs = await Promise.all(
			Array.from({ length: executions }, (_, e) =>
				runShaped(
					shape,
					items,
					(i) => leadParameters('create', partnerId(e, i), offer, i),
					credentials,
				),
			),
		);
		const wallMs = ms(started);
		const after = sandbox.admin.counters();
		const requests = total(after) - total(before);
		const perWindow = after.rateLimitedPerWindow.slice(before.rateLimitedPerWindow.length);
		return {
			wallMs,
			floorMs: floorMs(items * executions),
			requests,
			rateLimited: rateLimited(after) - rateLimited(before),
			rateLimitedAfterFirst: perWindow.slice(1).reduce((a, b) => a + b, 0),
			rateLimitedPerWindow: perWindow,
			windows: Math.ceil(wallMs / WINDOW_MS),
			failed: outputs.flat().filter((item) => item.json.error !== undefined).length,
			wrongOrder: outputs
				.map(
					(output, e) =>
						Math.abs(output.length - items) +
						output.filter(
							(item, i) =>
								(item.pairedItem as { item: number }).item !== i ||
								item.json.partnerLeadOpportunityId !== partnerId(e, i),
						).length,
				)
				.reduce((a, b) => a + b, 0),
			connectionsPerRequest: (after.connections - before.connections) / requests,
		};
	});
}

/** `items` Get by id under the latency, without quota, at the given Concurrency (0: default). */
export async function wanGet(items: number, latency: Latency, concurrency: number, seed = 5) {
	const sandbox = await startSandbox({ port: 0, seed, leadCount: items, quota: 1_000_000 });
	try {
		const ids = sandbox.admin.listLeads().map((lead) => lead.dsLeadOpportunityId);
		await applyProfile(sandbox, latency, 1_000_000);
		const started = process.hrtime.bigint();
		const output = await runNode({
			parameters: (i) => ({
				resource: 'leadOpportunity',
				operation: 'get',
				apiVersion: 'v1',
				dsLeadOpportunityId: ids[i],
				options: concurrency ? { concurrency } : {},
			}),
			items: ids.map(() => ({ json: {} })),
			credentials: testCredentials({ baseUrl: sandbox.url, apiKey: 'sandbox-key' }),
			checkContract: false,
		});
		const wallMs = ms(started);
		const inOrder = output.every((item, i) => item.json.dsLeadOpportunityId === ids[i]);
		return { wallMs, perItemMs: wallMs / items, inOrder, records: output.length };
	} finally {
		await sandbox.stop();
	}
}
