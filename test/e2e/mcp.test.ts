// Our node as an AI tool, end to end: the shipped example examples/mcp-server.json (n8n's MCP
// Server Trigger with bearer auth, six "Dassault Systèmes Sales Tool" nodes whose fields are
// `$fromAI()` expressions) published on a real n8n 2.41.1, and a real MCP client
// (@modelcontextprotocol/sdk, the version n8n bundles) driving it over streamable HTTP. No LLM:
// the MCP trigger answers tools/list from the `$fromAI()` calls and runs tools/call itself.
//
// What n8n 2.41.1 does (read in its code, seen here): a tool's name is its node name with `_` for
// every run of other characters; its input schema has one required property per `$fromAI` key,
// typed as declared (string, number, boolean; there is no enum type, so allowed values live in
// the description); a result is one text item, the JSON of the node's output items; a node error
// comes back as `isError: true` with its message and description; each call is one execution.
import path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import { startSandbox, type LeadOpportunity, type RunningSandbox } from '../../sandbox';
import {
	createInstance,
	SANDBOX_API_KEY,
	sandboxCredential,
	type N8nInstance,
	type N8nServer,
} from '../../e2e/harness';
import { LEAD_OPPORTUNITY_STATUS } from '../../nodes/DassaultSales/schemas/enums';
import {
	selectLeadOpportunityFields,
	simplifyLeadOpportunity,
} from '../../nodes/DassaultSales/utils/simplify';
import { createLeadViaApi, examplesDir, loadExample, type Workflow } from './workflow-helpers';

type Json = Record<string, unknown>;

const TOKEN = 'mcp-e2e-bearer-7f3c9a1d5e2b4c68';
const MCP_PATH = '3ds-sales';
const TOOL_TYPE = 'n8n-nodes-dassault-sales.dassaultSalesTool';

let sandbox: RunningSandbox;
let n8n: N8nInstance;
let server: N8nServer;
let client: Client;
let workflow: Workflow;
let offerId: string;
/** When this file's leads were made: the modified-date search starts here. */
let startedAt: string;
const crmIds = { a: 'OPPY-MCP-0001', b: 'OPPY-MCP-0002' };
const dsIds: Record<string, string> = {};

const mcpUrl = () => new URL(`${server.url}/mcp/${MCP_PATH}`);

async function connect(token: string | undefined): Promise<Client> {
	const mcp = new Client({ name: 'dassault-e2e', version: '1.0.0' });
	const transport = new StreamableHTTPClientTransport(mcpUrl(), {
		requestInit: token ? { headers: { Authorization: `Bearer ${token}` } } : {},
	});
	await mcp.connect(transport);
	return mcp;
}

/** The trigger's webhook is registered a moment after activation answers: until then, 404. */
async function waitForMcpWebhook(timeoutMs = 30_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const res = await fetch(mcpUrl(), { method: 'POST', body: '{}' });
		await res.text();
		if (res.status !== 404) return;
		if (Date.now() > deadline) throw new Error(`${mcpUrl().href} still 404 after ${timeoutMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

interface ToolResult {
	isError?: boolean;
	text: string;
}

/** Tool calls made, and how many of them failed: each should be one execution. */
const calls = { made: 0, failed: 0 };

async function call(name: string, args: Json): Promise<ToolResult> {
	calls.made++;
	const result = (await client.callTool({ name, arguments: args })) as {
		isError?: boolean;
		content: { type: string; text?: string }[];
	};
	expect(result.content).toHaveLength(1);
	expect(result.content[0].type).toBe('text');
	if (result.isError) calls.failed++;
	return { isError: result.isError, text: String(result.content[0].text) };
}

/** A successful call's output items (the tool's one text item is their JSON). */
async function callOk(name: string, args: Json): Promise<Json[]> {
	const result = await call(name, args);
	if (result.isError) throw new Error(`${name} failed: ${result.text}`);
	return JSON.parse(result.text) as Json[];
}

/** The lead as 3DS stores it, in the v1 GET shape the node outputs. */
const stored = (id: string): LeadOpportunity => {
	const lead = sandbox.admin.getLead(id);
	if (!lead) throw new Error(`no lead ${id} in the sandbox`);
	return lead;
};

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: 41 });
	offerId = sandbox.admin
		.portfolioItems()
		.filter((item) => item.salesPortfolioisOrderable)[7].salesPortfolioId;
	startedAt = new Date(Date.now() - 1000).toISOString();
	dsIds.a = await createLeadViaApi(sandbox.url, {
		partnerLeadOpportunityId: crmIds.a,
		name: 'ACME Industries - CATIA rollout',
		status: 'OPPY_OPEN',
		offerNameId: offerId,
		amount: 48_000,
		customer: { name: 'ACME Industries GmbH', city: 'Stuttgart', country: 'Germany' },
	});
	dsIds.b = await createLeadViaApi(sandbox.url, {
		partnerLeadOpportunityId: crmIds.b,
		name: 'Helvetia Medical - SOLIDWORKS PDM',
		status: 'QUALIFIED',
		currency: 'CHF',
		offerNameId: offerId,
		amount: 18_500,
		customer: { name: 'Helvetia Medical AG', city: 'Basel', country: 'Switzerland' },
	});
	// A change made on the 3DS side: the date search must see it as 3DS has it now.
	sandbox.admin.changeLead(dsIds.a, { status: 'VALIDATED', nextMilestone: 'Benchmark on site' });

	workflow = loadExample('mcp-server.json');
	n8n = await createInstance({ name: 'mcp' });
	await n8n.importCredentials([
		sandboxCredential(sandbox.url),
		{
			id: 'mcp3dsBearerCrd1',
			name: 'MCP Bearer Token',
			type: 'httpBearerAuth',
			data: { token: TOKEN },
		},
	]);
	// As a user imports them: the files as shipped.
	await n8n.importWorkflowFiles([
		path.join(examplesDir, 'mcp-server.json'),
		path.join(examplesDir, 'ask-your-3ds-pipeline.json'),
	]);
	server = await n8n.start();
	await server.setupOwner();
	await server.createApiKey();
	await server.activate(workflow.id);
	await waitForMcpWebhook();
	client = await connect(TOKEN);
});

afterAll(async () => {
	await client?.close().catch(() => undefined);
	await n8n?.dispose();
	await sandbox?.stop();
});

const toolNodes = () => workflow.nodes.filter((node) => node.type === TOOL_TYPE);
const toolName = (nodeName: string) => nodeName.replace(/[^a-zA-Z0-9_-]+/g, '_');

describe('tools/list', () => {
	let tools: { name: string; description?: string; inputSchema: Json }[];
	const byName = (name: string) => {
		const tool = tools.find((t) => t.name === name);
		if (!tool) throw new Error(`no tool ${name} in ${tools.map((t) => t.name).join(', ')}`);
		return tool;
	};
	/** `{ key: type }` of a tool's input schema, and its required keys. */
	const shape = (name: string) => {
		const schema = byName(name).inputSchema as {
			type: string;
			properties: Record<string, { type?: string; description?: string }>;
			required?: string[];
		};
		expect(schema.type).toBe('object');
		expect([...(schema.required ?? [])].sort()).toEqual(Object.keys(schema.properties).sort());
		return Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, v.type]));
	};
	const described = (name: string, key: string) =>
		String(
			(byName(name).inputSchema.properties as Record<string, { description?: string }>)[key]
				.description,
		);

	beforeAll(async () => {
		tools = (await client.listTools()).tools as typeof tools;
	});

	test('lists one tool per Dassault Systèmes Sales Tool node, with its description', () => {
		expect(tools.map((t) => t.name).sort()).toEqual(
			[
				'Create_or_Update_Lead',
				'Get_Lead_by_3DS_ID',
				'Preview_Create_or_Update',
				'Search_Leads_by_CRM_IDs',
				'Search_Leads_by_Modified_Date',
				'Search_Portfolio_Offers',
			].sort(),
		);
		for (const node of toolNodes()) {
			expect(byName(toolName(node.name)).description).toBe(node.parameters.toolDescription);
		}
	});

	test('each input schema has the $fromAI keys, typed as declared', () => {
		expect(shape('Search_Leads_by_Modified_Date')).toEqual({
			modifiedAfter: 'string',
			modifiedBefore: 'string',
		});
		expect(shape('Search_Leads_by_CRM_IDs')).toEqual({ partnerLeadOpportunityIds: 'string' });
		expect(shape('Get_Lead_by_3DS_ID')).toEqual({ dsLeadOpportunityId: 'string' });
		expect(shape('Create_or_Update_Lead')).toEqual({
			partnerLeadOpportunityId: 'string',
			name: 'string',
			status: 'string',
			closeDate: 'string',
			currency: 'string',
			offerNameId: 'string',
			amount: 'number',
			customerName: 'string',
			customerCity: 'string',
			customerCountry: 'string',
		});
		expect(shape('Search_Portfolio_Offers')).toEqual({ text: 'string', orderableOnly: 'boolean' });
		// The preview takes what the create-or-update tool takes.
		expect(shape('Preview_Create_or_Update')).toEqual(shape('Create_or_Update_Lead'));
	});

	test('the descriptions a model reads carry the formats and every status value', () => {
		expect(described('Get_Lead_by_3DS_ID', 'dsLeadOpportunityId')).toContain('HCRQ-F1LLDE');
		expect(described('Search_Leads_by_Modified_Date', 'modifiedAfter')).toMatch(
			/ISO 8601.*UTC.*2026-11-23T00:00:00Z/,
		);
		expect(described('Search_Leads_by_Modified_Date', 'modifiedAfter')).toMatch(/any range/i);
		expect(described('Create_or_Update_Lead', 'closeDate')).toMatch(/ISO 8601.*UTC/);
		// $fromAI has no enum type in n8n 2.41: the status values are listed in the description.
		const status = described('Create_or_Update_Lead', 'status');
		for (const value of Object.keys(LEAD_OPPORTUNITY_STATUS)) {
			expect(status).toMatch(new RegExp(`\\b${value}\\b`));
		}
	});
});

describe('tools/call, checked against the sandbox', () => {
	test('search by modified-date range: the leads changed since, as 3DS has them', async () => {
		const records = await callOk('Search_Leads_by_Modified_Date', {
			modifiedAfter: startedAt,
			modifiedBefore: '',
		});
		const expected = sandbox.admin
			.listLeads()
			.filter((lead) => String(lead.modifiedDate) >= startedAt)
			.map((lead) => lead.dsLeadOpportunityId)
			.sort();
		expect(expected).toEqual(expect.arrayContaining([dsIds.a, dsIds.b]));
		expect(records.map((r) => r.dsLeadOpportunityId).sort()).toEqual(expected);
		// The tool's Output is Selected Fields (mcp-server.json): the 3DS id and those fields.
		const fields = loadExample('mcp-server.json').nodes.find(
			(node) => node.name === 'Search Leads by Modified Date',
		)!.parameters.toolFields as string[];
		expect(fields).toContain('nextMilestone');
		for (const record of records)
			expect(record).toEqual(
				selectLeadOpportunityFields(
					stored(String(record.dsLeadOpportunityId)) as unknown as IDataObject,
					fields,
				),
			);
		process.stdout.write(
			`\n[mcp] Search by date as a tool (Selected Fields): ${records.length} records, ${JSON.stringify(records).length} characters\n`,
		);
		const a = records.find((r) => r.dsLeadOpportunityId === dsIds.a);
		expect(a).toMatchObject({ status: 'VALIDATED', nextMilestone: 'Benchmark on site' });
	});

	test('search by partner (CRM) ids: exactly those leads', async () => {
		const records = await callOk('Search_Leads_by_CRM_IDs', {
			partnerLeadOpportunityIds: `${crmIds.a}, ${crmIds.b}`,
		});
		expect(records.map((r) => r.partnerLeadOpportunityId).sort()).toEqual([crmIds.a, crmIds.b]);
		// Output Simplified: the 10 fields of Simplify.
		for (const record of records)
			expect(record).toEqual(
				simplifyLeadOpportunity(
					stored(String(record.dsLeadOpportunityId)) as unknown as IDataObject,
				),
			);
	});

	test('get by 3DS id: the stored record, simplified; its size as a tool result is printed', async () => {
		const result = await call('Get_Lead_by_3DS_ID', { dsLeadOpportunityId: dsIds.b });
		expect(result.isError).toBeFalsy();
		const records = JSON.parse(result.text) as Json[];
		expect(records).toEqual([simplifyLeadOpportunity(stored(dsIds.b) as unknown as IDataObject)]);
		const raw = JSON.stringify([stored(dsIds.b)]).length;
		expect(result.text.length).toBeLessThan(raw);
		process.stdout.write(
			`\n[mcp] Get as a tool (Output Simplified): ${result.text.length} characters for one lead-opportunity (${Object.keys(records[0]).length} top-level fields); the whole record: ${raw} characters\n`,
		);
	});

	test('create or update: creates, then updates the same lead by its CRM id', async () => {
		const crmId = 'OPPY-MCP-0100';
		const args = {
			partnerLeadOpportunityId: crmId,
			name: 'Nordwerk - call logged by an agent',
			status: 'LEAD_OPEN',
			closeDate: '2027-03-31',
			currency: 'EUR',
			offerNameId: offerId,
			amount: 12_500,
			customerName: 'Nordwerk Fahrzeugtechnik GmbH',
			customerCity: 'Wolfsburg',
			customerCountry: 'Germany',
		};
		const [created] = await callOk('Create_or_Update_Lead', args);
		expect(created).toMatchObject({ action: 'create', partnerLeadOpportunityId: crmId });
		const id = String(created.dsLeadOpportunityId);
		expect(stored(id)).toMatchObject({
			partnerLeadOpportunityId: crmId,
			name: args.name,
			status: 'LEAD_OPEN',
			closeDate: '2027-03-31T00:00:00.000Z',
			currency: 'EUR',
			customerLegalEntity: expect.objectContaining({
				name: 'Nordwerk Fahrzeugtechnik GmbH',
				city: 'Wolfsburg',
				country: 'Germany',
			}),
		});
		expect(stored(id).offerLines).toEqual([
			expect.objectContaining({ offerNameId: offerId, amount: 12_500, revenueType: 'PxC' }),
		]);

		const [updated] = await callOk('Create_or_Update_Lead', {
			...args,
			status: 'QUALIFIED',
			amount: 15_000,
		});
		expect(updated).toMatchObject({ action: 'update', dsLeadOpportunityId: id });
		expect(stored(id)).toMatchObject({ status: 'QUALIFIED' });
		expect(stored(id).offerLines).toEqual([expect.objectContaining({ amount: 15_000 })]);
		const withCrmId = sandbox.admin
			.listLeads()
			.filter((lead) => lead.partnerLeadOpportunityId === crmId);
		expect(withCrmId).toHaveLength(1);
	});

	test('preview create or update (Dry Run): what would change, and nothing written', async () => {
		const writesBefore = sandbox.admin.changes().length;
		const before = stored(dsIds.b);
		const args = {
			partnerLeadOpportunityId: crmIds.b,
			name: 'Helvetia Medical - SOLIDWORKS PDM',
			status: 'VALIDATED',
			closeDate: '2027-06-30',
			currency: 'CHF',
			offerNameId: offerId,
			amount: 18_500,
			customerName: 'Helvetia Medical AG',
			customerCity: 'Basel',
			customerCountry: 'Switzerland',
		};
		const [preview] = await callOk('Preview_Create_or_Update', args);
		expect(preview).toMatchObject({
			dryRun: true,
			action: 'wouldUpdate',
			dsLeadOpportunityId: dsIds.b,
			body: { leadOpportunity: { partnerLeadOpportunityId: crmIds.b, status: 'VALIDATED' } },
		});
		expect(preview.changes).toEqual(
			expect.arrayContaining([
				{ field: 'leadOpportunity.status', current: 'QUALIFIED', new: 'VALIDATED' },
			]),
		);
		const [fresh] = await callOk('Preview_Create_or_Update', {
			...args,
			partnerLeadOpportunityId: 'OPPY-MCP-PREVIEW',
		});
		expect(fresh).toMatchObject({ action: 'wouldCreate', dsLeadOpportunityId: null });
		expect(sandbox.admin.changes()).toHaveLength(writesBefore);
		expect(stored(dsIds.b)).toEqual(before);
		expect(
			sandbox.admin.listLeads().filter((l) => l.partnerLeadOpportunityId === 'OPPY-MCP-PREVIEW'),
		).toEqual([]);
	});

	test('portfolio offers matching a text: the ones the portfolio holds', async () => {
		const items = await callOk('Search_Portfolio_Offers', {
			text: 'catia v5',
			orderableOnly: true,
		});
		const expected = sandbox.admin
			.portfolioItems()
			.filter((item) => item.salesPortfolioisOrderable === true)
			.filter((item) => {
				// Every word, case-insensitive, in the id, type, infrastructure or levels.
				const text = [
					item.salesPortfolioId,
					item.salesPortfolioType,
					item.salesPortfolioInfrastructure,
					item.salesPortfolioLevel1,
					item.salesPortfolioLevel2,
					item.salesPortfolioLevel3,
				]
					.join(' ')
					.toLowerCase();
				return text.includes('catia') && text.includes('v5');
			})
			.slice(0, 20)
			.map((item) => item.salesPortfolioId);
		expect(expected.length).toBeGreaterThan(0);
		expect(items.map((i) => i.offerNameId)).toEqual(expected);
		for (const item of items) {
			expect(item).toMatchObject({ orderable: true, level2: 'CATIA V5' });
			expect(String(item.name)).toContain('CATIA V5');
		}
	});
});

describe('errors and access', () => {
	test("bad arguments: a tool error with the node's message and fix, no stack, no key", async () => {
		const before = sandbox.admin.counters().requests;
		const result = await call('Create_or_Update_Lead', {
			partnerLeadOpportunityId: 'OPPY-MCP-0200',
			name: 'Bad status',
			status: 'IN_PROGRESS',
			closeDate: '2027-01-31',
			currency: 'EUR',
			offerNameId: offerId,
			amount: 1000,
			customerName: 'ACME Industries GmbH',
			customerCity: 'Stuttgart',
			customerCountry: 'Germany',
		});
		process.stdout.write(
			`\n[mcp] what the client gets for status "IN_PROGRESS":\n${result.text}\n`,
		);
		expect(result.isError).toBe(true);
		expect(result.text).toMatch(/Invalid .* in item 0: Status \(leadOpportunity\.status\)/);
		expect(result.text).toContain('Nothing was sent to 3DS');
		expect(result.text).toContain('LEAD_OPEN'); // the fix lists the allowed values
		expect(result.text).not.toMatch(/\n\s+at /);
		expect(result.text).not.toContain(SANDBOX_API_KEY);
		// Rejected before the API: no create, update or search was sent.
		const after = sandbox.admin.counters().requests;
		for (const op of Object.keys(after)) {
			if (/create|update|post|patch/i.test(op)) expect(after[op]).toBe(before[op]);
		}
	});

	test('an unknown 3DS id: a tool error naming it, no stack, no key', async () => {
		const result = await call('Get_Lead_by_3DS_ID', { dsLeadOpportunityId: 'ZZZZ-000000' });
		expect(result.isError).toBe(true);
		expect(result.text).toContain('ZZZZ-000000');
		expect(result.text).not.toMatch(/\n\s+at /);
		expect(result.text).not.toContain(SANDBOX_API_KEY);
	});

	// n8n 2.41.1's bearer check answers 403 to a missing and to a wrong token alike.
	test('refused (403) without the bearer token and with a wrong one', async () => {
		const initialize = (headers: Record<string, string>) =>
			fetch(mcpUrl(), {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					accept: 'application/json, text/event-stream',
					...headers,
				},
				body: JSON.stringify({
					jsonrpc: '2.0',
					id: 1,
					method: 'initialize',
					params: {
						protocolVersion: '2025-03-26',
						capabilities: {},
						clientInfo: { name: 'no-token', version: '1' },
					},
				}),
			});
		expect((await initialize({})).status).toBe(403);
		expect((await initialize({ authorization: 'Bearer wrong-token' })).status).toBe(403);
		expect((await initialize({ authorization: `Bearer ${TOKEN}` })).status).toBe(200);
		await expect(connect(undefined)).rejects.toThrow();
	});

	test('each tool call is one execution, recorded as success even when the tool failed', async () => {
		expect(calls.failed).toBeGreaterThan(0);
		const executions = await server.waitForExecutions(workflow.id, calls.made, 60_000);
		expect(executions).toHaveLength(calls.made);
		expect(executions.map((e) => e.status)).toEqual(executions.map(() => 'success'));
	});

	test('the API key is in no n8n log line', () => {
		expect(n8n.log()).not.toContain(SANDBOX_API_KEY);
	});
});

describe('the examples import cleanly', () => {
	/** Every node type this n8n knows, as the editor loads them: `type@version`. */
	async function knownTypes(): Promise<Set<string>> {
		const res = await server.fetch('types/nodes.json');
		expect(res.status).toBe(200);
		const types = (await res.json()) as { name: string; version: number | number[] }[];
		return new Set(
			types.flatMap((t) => [t.version].flat().map((version) => `${t.name}@${version}`)),
		);
	}

	test.each(['mcp-server.json', 'ask-your-3ds-pipeline.json'])(
		'%s: imported as shipped, every node type and version known to n8n 2.41.1',
		async (file) => {
			const shipped = loadExample(file);
			const imported = await server.api<{ nodes: Json[]; connections: Json }>(
				'GET',
				`/workflows/${shipped.id}`,
			);
			expect(imported.nodes.map((n) => n.name).sort()).toEqual(
				shipped.nodes.map((n) => n.name).sort(),
			);
			expect(imported.connections).toEqual(shipped.connections);
			const known = await knownTypes();
			const used = shipped.nodes.map((node) => `${node.type}@${String(node.typeVersion)}`);
			expect(used.filter((type) => !known.has(type))).toEqual([]);
		},
	);

	test('the chat example offers the agent the same six tools as the MCP example', () => {
		const tools = (file: string) =>
			loadExample(file)
				.nodes.filter((node) => node.type === TOOL_TYPE)
				.map(({ name, parameters, credentials }) => ({ name, parameters, credentials }));
		expect(tools('ask-your-3ds-pipeline.json')).toEqual(tools('mcp-server.json'));
		const chat = loadExample('ask-your-3ds-pipeline.json');
		for (const { name } of tools('mcp-server.json')) {
			expect(chat.connections[name]).toEqual({
				ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]],
			});
		}
	});
});
