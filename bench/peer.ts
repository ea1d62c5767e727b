/**
 * 6. Peer comparison in real n8n: workloads 1 and 2 as workflows that `n8n execute` runs (n8n
 * 2.41), our node versus the same calls made with n8n's HTTP Request node configured as a careful
 * user would: the API's paths and bodies, header auth, Batching within the quota, Retry On Fail,
 * and failed items to the error output so that they are counted instead of stopping the run.
 *
 * Wall time is each execution's own, from the run data: from the end of its Code node (the inputs,
 * or the search windows) to stoppedAt; n8n's boot is not part of it. The sandbox is reset before
 * every execution, so both sides do the same work on the same store.
 */
import { randomUUID } from 'node:crypto';

import {
	createInstance,
	ensureN8n,
	NODE_TYPE,
	preparePackage,
	removePreparedPackage,
	SANDBOX_API_KEY,
	SANDBOX_PARTNER_ID,
	sandboxCredential,
	type ExecuteResult,
	type N8nInstance,
	type WorkflowInput,
} from '../e2e/harness';
import { startSandbox, type Counters, type RunningSandbox } from '../sandbox';
import { createParameters } from '../test/helpers/fixtures';
import { QUOTA, WINDOW_MS } from './quota';

type Json = Record<string, unknown>;

const API = '/sales/api4partners';
const OURS_1 = { id: 'benchPeerOurs001', name: '3DS bench quota' };
const OURS_2 = { id: 'benchPeerOurs002', name: '3DS bench latency' };
const HEADER = { id: 'benchPeerHeader1', name: 'X-API-Key header' };
/**
 * HTTP Request's batching in workload 1, tuned at 150 ms with 300 items, one run each (HTTP
 * Request wall time): 1 per 40 ms 48.0 s, 5 per 200 ms 37.2 s, 25 per 1 s 45.3 s, 50 per 2 s
 * 30.8 s, none with a 429 or a failed item in that run. But 50 per 2 s (a quota window's worth at
 * once) met 3 to 50 429s and 250 to 297 failed items in each of the three runs of a full bench
 * (its bursts land in one window at the hand-over from the search node to the create node, and
 * Retry On Fail re-runs the whole node): a user keeps the fastest setting that does not fail,
 * 5 per 200 ms. n8n sleeps between batches without waiting for the answers.
 */
export const BATCHING = { batchSize: 5, batchInterval: 200 };
/** Retry On Fail: 5 tries (n8n's maximum), 2 s apart. */
const RETRY = { retryOnFail: true, maxTries: 5, waitBetweenTries: 2000 };
const SEARCH_DAYS = 130;
/** Workload 1's sandbox seed and partner ids, as bench/quota.ts's first run. */
const SEED = 100;

/** The fields of bench/quota.ts's items (createParameters), per item as a CRM mapping gives them. */
const LEAD = {
	name: 'Transformation Project at NewCustomer',
	status: 'OPPY_OPEN',
	// A day, as 3DS stores it (midnight UTC): our node sends a close date as its calendar day, the
	// HTTP Request node sends what it is given, so a day value lets both store the same.
	closeDate: '2025-06-01T00:00:00.000Z',
	currency: 'EUR',
	customerName: 'NEW CUSTOMER CORPORATION',
	customerCity: 'Stockdorf',
	customerCountry: 'Germany',
};

export interface Side {
	/** From the end of the Code node (or the execution's startedAt) to its stoppedAt. */
	wallMs: number;
	/** Items n8n reports failed (error output, error items, or records not returned). */
	failed: number;
	/** 429s the sandbox answered (quota and spurious). */
	rateLimited: number;
	requests: number;
	/** The end state differs from what was asked by this many items (stored leads or records). */
	wrong: number;
}

export interface PeerRun {
	ours: Side;
	http: Side;
	/** HTTP Request wall time ÷ ours. */
	ratio: number;
}

/** Workload 1's latency: the WAN profile's 150 ms ± 50 (bench/wan.ts), as a partner's n8n meets 3DS. */
export const PEER_LATENCY = { minMs: 100, maxMs: 200 };

export interface PeerSizes {
	/** Workload 1: "Create or Update" items. */
	items: number;
	/** Workload 1: how many of them are leads that exist (updates); bench/quota.ts has none. */
	existing?: number;
	/** Workload 2: leads the search returns. */
	leads: number;
	/** The HTTP Request nodes' batching in workload 1 (default BATCHING). */
	batching?: { batchSize: number; batchInterval: number };
	runs: number;
}

// ---------------------------------------------------------------------------------------------
// Workflows

const node = (name: string, type: string, typeVersion: number, x: number, parameters: Json) => ({
	id: randomUUID(),
	name,
	type,
	typeVersion,
	position: [x, 0],
	parameters,
});

const trigger = node('Start', 'n8n-nodes-base.manualTrigger', 1, 0, {});

const code = (name: string, x: number, jsCode: string) =>
	node(name, 'n8n-nodes-base.code', 2, x, {
		mode: 'runOnceForAllItems',
		language: 'javaScript',
		jsCode,
	});

/** An HTTP Request node as the careful user sets it up (typeVersion 4.5, the editor's default). */
function http(
	name: string,
	x: number,
	method: string,
	url: string,
	body?: string,
	batch?: { batchSize: number; batchInterval: number },
) {
	// n8n ends an expression at the first "}}": a body must hold none but its last.
	if (body && body.indexOf('}}') !== body.length - 2) throw new Error(`"}}" inside ${body}`);
	return {
		...node(name, 'n8n-nodes-base.httpRequest', 4.5, x, {
			method,
			url,
			authentication: 'genericCredentialType',
			genericAuthType: 'httpHeaderAuth',
			...(body ? { sendBody: true, contentType: 'json', specifyBody: 'json', jsonBody: body } : {}),
			options: batch ? { batching: { batch } } : {},
		}),
		credentials: { httpHeaderAuth: HEADER },
		...RETRY,
		onError: 'continueErrorOutput',
	};
}

/** Connections: `[from, to, output?]`. */
function connect(...links: Array<[string, string, number?]>): Json {
	const connections: Record<string, { main: Json[][] }> = {};
	for (const [from, to, output = 0] of links) {
		const main = (connections[from] ??= { main: [] }).main;
		while (main.length <= output) main.push([]);
		main[output].push({ node: to, type: 'main', index: 0 });
	}
	return connections;
}

const workflow = (id: string, nodes: Json[], connections: Json): WorkflowInput => ({
	id,
	name: id,
	nodes,
	connections,
	settings: { executionOrder: 'v1' },
});

/** The Code node that makes workload 1's items: the first `existing` take seeded partner ids. */
function leadsCode(items: number, offer: string, existingIds: string[]) {
	const lead = JSON.stringify({ ...LEAD, offerNameId: offer });
	return code(
		'Leads',
		200,
		`const existing = ${JSON.stringify(existingIds)};\n` +
			`return Array.from({ length: ${items} }, (_, i) => ({ json: Object.assign(${lead}, ` +
			`{ partnerLeadOpportunityId: existing[i] ?? 'BENCH-${SEED}-' + i, amount: i }) }));`,
	);
}

function oursUpsert(id: string, leads: Json): WorkflowInput {
	const field = (name: string) => `={{ $json.${name} }}`;
	const upsert = {
		...node(
			'Create or Update',
			NODE_TYPE,
			1,
			400,
			createParameters({
				operation: 'upsert',
				partnerLeadOpportunityId: field('partnerLeadOpportunityId'),
				name: field('name'),
				status: field('status'),
				closeDate: field('closeDate'),
				currency: field('currency'),
				offerLines: {
					offerLine: [
						{
							offerNameId: { __rl: true, mode: 'id', value: field('offerNameId') },
							amount: field('amount'),
							revenueType: 'PxC',
						},
					],
				},
				customerName: field('customerName'),
				customerCity: field('customerCity'),
				customerCountry: field('customerCountry'),
			}),
		),
		credentials: { dassaultSalesApi: OURS_1 },
		onError: 'continueRegularOutput',
	};
	return workflow(
		id,
		[trigger, leads, upsert],
		connect(['Start', 'Leads'], ['Leads', 'Create or Update']),
	);
}

/** Find by partner id (the search "Create or Update" makes), If found PATCH it, else POST it. */
function httpUpsert(id: string, base: string, leads: Json, batching = BATCHING): WorkflowInput {
	const lead = "$('Leads').item.json";
	const body =
		`={{ ({ partnerId: '${SANDBOX_PARTNER_ID}', leadOpportunity: { partnerLeadOpportunityId: ${lead}.partnerLeadOpportunityId, ` +
		`name: ${lead}.name, status: ${lead}.status, closeDate: ${lead}.closeDate, currency: ${lead}.currency }, ` +
		`offerLines: [ { offerNameId: ${lead}.offerNameId, amount: ${lead}.amount, revenueType: 'PxC' } ], ` +
		`customerLegalEntity: { name: ${lead}.customerName, city: ${lead}.customerCity, country: ${lead}.customerCountry } }) }}`;
	const found = node('Found?', 'n8n-nodes-base.if', 2.2, 600, {
		conditions: {
			options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 },
			conditions: [
				{
					id: randomUUID(),
					leftValue: '={{ $json.data[0].dsLeadOpportunityId }}',
					rightValue: '',
					operator: { type: 'array', operation: 'notEmpty', singleValue: true },
				},
			],
			combinator: 'and',
		},
		options: {},
	});
	const nodes = [
		trigger,
		leads,
		http(
			'Find',
			400,
			'POST',
			`${base}${API}/v0/leads-opportunities/search`,
			`={{ ({ data: [ { partnerLeadOpportunityId: [ $json.partnerLeadOpportunityId ] } ] }) }}`,
			batching,
		),
		found,
		http(
			'Update',
			800,
			'PATCH',
			`=${base}${API}/v1/leads-opportunities/{{ $json.data[0].dsLeadOpportunityId[0] }}`,
			body,
			batching,
		),
		http('Create', 800, 'POST', `${base}${API}/v1/leads-opportunities`, body, batching),
	];
	return workflow(
		id,
		nodes,
		connect(
			['Start', 'Leads'],
			['Leads', 'Find'],
			['Find', 'Found?'],
			['Found?', 'Update', 0],
			['Found?', 'Create', 1],
		),
	);
}

function oursSearch(id: string): WorkflowInput {
	const search = {
		...node('Search', NODE_TYPE, 1, 200, {
			resource: 'leadOpportunity',
			operation: 'search',
			filters: { modifiedAfter: `={{ $now.minus({ days: ${SEARCH_DAYS} }).toISO() }}` },
			output: 'records',
			simplify: false, // whole records, as the compared HTTP Request flow returns them
			returnAll: true,
			options: {},
		}),
		credentials: { dassaultSalesApi: OURS_2 },
		onError: 'continueRegularOutput',
	};
	return workflow(id, [trigger, search], connect(['Start', 'Search']));
}

/** The API searches 7 days at most: a window per 7 days, a search per window, then a GET per id. */
function httpSearch(id: string, base: string): WorkflowInput {
	const windows = code(
		'Windows',
		200,
		`const DAY = 86400000, to = Date.now(), windows = [];\n` +
			`for (let start = to - ${SEARCH_DAYS} * DAY; start < to; start += 7 * DAY)\n` +
			`  windows.push({ json: { fromDate: new Date(start).toISOString(), toDate: new Date(Math.min(start + 7 * DAY - 1, to)).toISOString() } });\n` +
			`return windows;`,
	);
	const nodes = [
		trigger,
		windows,
		http(
			'Search',
			400,
			'POST',
			`${base}${API}/v0/leads-opportunities/search`,
			'={{ ({ data: [ { modifiedDate: { fromDate: $json.fromDate, toDate: $json.toDate } } ] }) }}',
		),
		node('Ids', 'n8n-nodes-base.splitOut', 1, 600, {
			fieldToSplitOut: 'data[0].dsLeadOpportunityId',
			include: 'noOtherFields',
			options: { destinationFieldName: 'dsLeadOpportunityId' },
		}),
		http(
			'Get',
			800,
			'GET',
			`=${base}${API}/v1/leads-opportunities/{{ $json.dsLeadOpportunityId }}`,
		),
	];
	return workflow(
		id,
		nodes,
		connect(['Start', 'Windows'], ['Windows', 'Search'], ['Search', 'Ids'], ['Ids', 'Get']),
	);
}

// ---------------------------------------------------------------------------------------------
// Runs

interface TaskTiming {
	startTime: number;
	executionTime: number;
}
const CODE_NODES = ['Leads', 'Windows'];

const requests = (c: Counters) => Object.values(c.requests).reduce((a, b) => a + b, 0);

/** One execution on a freshly reset sandbox; throws when n8n itself failed. */
async function execute(n8n: N8nInstance, sandbox: RunningSandbox, id: string) {
	sandbox.admin.reset();
	const run = await n8n.execute(id, { timeoutMs: 900_000 });
	if (!run.raw || run.error) throw new Error(`n8n execute ${id}: ${run.error ?? 'no run data'}`);
	const { startedAt, stoppedAt } = run.raw as { startedAt: string; stoppedAt: string };
	// The workload starts when the Code node (if any) has made its items: `n8n execute` starts n8n's
	// task runner cold for it, 1-3 s that have nothing to do with the work.
	const runData = (run.raw.data as { resultData: { runData: Record<string, TaskTiming[]> } })
		.resultData.runData;
	const coded = Object.entries(runData)
		.filter(([name]) => CODE_NODES.includes(name))
		.map(([, [task]]) => task.startTime + task.executionTime);
	const counters = sandbox.admin.counters();
	const measured = {
		wallMs: Date.parse(stoppedAt) - Math.max(Date.parse(startedAt), ...coded),
		rateLimited: counters.rateLimited + counters.faults.rateLimited,
		requests: requests(counters),
	};
	return { run, measured };
}

const errorOutputs = (run: ExecuteResult, names: string[]) =>
	names.reduce((sum, name) => sum + (run.nodes[name]?.outputs[1]?.length ?? 0), 0);

/** Input items whose partner id is not held by exactly one lead with the values sent. */
function wrongLeads(sandbox: RunningSandbox, ids: string[], offer: string): number {
	const byPartnerId = new Map<string, Json[]>();
	for (const lead of sandbox.admin.listLeads() as unknown as Json[]) {
		const id = String(lead.partnerLeadOpportunityId);
		byPartnerId.set(id, [...(byPartnerId.get(id) ?? []), lead]);
	}
	const shape = (lead: Json) => {
		const customer = lead.customerLegalEntity as Json;
		const lines = lead.offerLines as Json[];
		return JSON.stringify([
			lead.name,
			lead.status,
			lead.closeDate,
			lead.currency,
			customer.name,
			customer.city,
			customer.country,
			lines.map((l) => [l.offerNameId, l.amount, l.revenueType]),
		]);
	};
	return ids.filter((id, i) => {
		const found = byPartnerId.get(id) ?? [];
		const expected = [
			LEAD.name,
			LEAD.status,
			LEAD.closeDate,
			LEAD.currency,
			LEAD.customerName,
			LEAD.customerCity,
			LEAD.customerCountry,
			[[offer, i, 'PxC']],
		];
		return found.length !== 1 || shape(found[0]) !== JSON.stringify(expected);
	}).length;
}

/** Every lead's id in the search's order: modifiedDate ascending, then id (sandbox/README.md). */
const searchOrder = (sandbox: RunningSandbox) =>
	sandbox.admin
		.listLeads()
		.sort(
			(a, b) =>
				a.modifiedDate.localeCompare(b.modifiedDate) ||
				(a.dsLeadOpportunityId < b.dsLeadOpportunityId ? -1 : 1),
		)
		.map((l) => l.dsLeadOpportunityId);

/** Records returned out of place or missing, against the ids in the search's order. */
const wrongRecords = (ids: string[], expected: string[]) =>
	expected.filter((id, i) => ids[i] !== id).length + Math.max(0, ids.length - expected.length);

export async function peerComparison(
	sizes: PeerSizes,
	log: (line: string) => void = () => undefined,
): Promise<{ upsert: PeerRun[]; resolve: PeerRun[] }> {
	ensureN8n();
	preparePackage();
	const quota = await startSandbox({
		port: 0,
		seed: SEED,
		quota: QUOTA,
		windowMs: WINDOW_MS,
		leadCount: 10,
		// The internet as both nodes meet it (bench/wan.ts): n8n opens a connection per request,
		// ours and the HTTP Request node's alike, so each pays the TCP and TLS handshakes.
		wire: { ...PEER_LATENCY, handshakeRoundTrips: 2 },
	});
	const latency = await startSandbox({
		port: 0,
		seed: 3,
		leadCount: sizes.leads,
		quota: 1_000_000,
		// Workload 2 keeps the previous model (25 ms per GET inside the server, no quota): it
		// measures reading many records at once, where the wire adds the same cost to both sides.
		faults: { latency: { distribution: 'fixed', ms: 25, operations: ['get'] } },
	});
	let n8n: N8nInstance | undefined;
	try {
		n8n = await createInstance({ name: 'bench-peer' });
		await n8n.importCredentials([
			sandboxCredential(quota.url, OURS_1),
			sandboxCredential(latency.url, OURS_2),
			{ ...HEADER, type: 'httpHeaderAuth', data: { name: 'X-API-Key', value: SANDBOX_API_KEY } },
		]);
		const offer = quota.admin.portfolioItems()[0].salesPortfolioId;
		const existingIds = quota.admin
			.listLeads()
			.map((l) => l.partnerLeadOpportunityId)
			.filter((id): id is string => !!id)
			.slice(0, sizes.existing ?? 0);
		const partnerIds = Array.from(
			{ length: sizes.items },
			(_, i) => existingIds[i] ?? `BENCH-${SEED}-${i}`,
		);
		const leads = () => leadsCode(sizes.items, offer, existingIds);
		await n8n.importWorkflows([
			oursUpsert('benchPeerOursUps', leads()),
			httpUpsert('benchPeerHttpUps', quota.url, leads(), sizes.batching),
			oursSearch('benchPeerOursSea'),
			httpSearch('benchPeerHttpSea', latency.url),
		]);

		const upsert: PeerRun[] = [];
		for (let i = 0; i < sizes.runs; i++) {
			log(`6. peer, Create or Update, run ${i + 1}: our node`);
			const o = await execute(n8n, quota, 'benchPeerOursUps');
			const ours: Side = {
				...o.measured,
				failed: o.run.nodes['Create or Update'].items.filter((item) => item.error !== undefined)
					.length,
				wrong: wrongLeads(quota, partnerIds, offer),
			};
			log(`6. peer, Create or Update, run ${i + 1}: HTTP Request`);
			const h = await execute(n8n, quota, 'benchPeerHttpUps');
			const http: Side = {
				...h.measured,
				failed: errorOutputs(h.run, ['Find', 'Create', 'Update']),
				wrong: wrongLeads(quota, partnerIds, offer),
			};
			upsert.push({ ours, http, ratio: http.wallMs / ours.wallMs });
		}

		const resolve: PeerRun[] = [];
		const side = (measured: Omit<Side, 'failed' | 'wrong'>, ids: string[]): Side => {
			const expected = searchOrder(latency);
			return {
				...measured,
				failed: expected.length - ids.length,
				wrong: wrongRecords(ids, expected),
			};
		};
		for (let i = 0; i < sizes.runs; i++) {
			log(`6. peer, resolution, run ${i + 1}: our node`);
			const o = await execute(n8n, latency, 'benchPeerOursSea');
			const ours = side(
				o.measured,
				o.run.nodes.Search.items
					.filter((item) => item.error === undefined)
					.map((item) => String(item.dsLeadOpportunityId)),
			);
			log(`6. peer, resolution, run ${i + 1}: HTTP Request`);
			const h = await execute(n8n, latency, 'benchPeerHttpSea');
			const http = side(
				h.measured,
				(h.run.nodes.Get?.items ?? []).map((item) =>
					String(((item.data as Json).leadOpportunity as Json).dsLeadOpportunityId),
				),
			);
			resolve.push({ ours, http, ratio: http.wallMs / ours.wallMs });
		}
		return { upsert, resolve };
	} finally {
		await n8n?.dispose();
		await quota.stop();
		await latency.stop();
		removePreparedPackage();
	}
}
