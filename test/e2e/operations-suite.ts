// The operations of the Dassault Systèmes Sales node as two workflows, and what n8n must make of
// them, shared by the layers that run them in real n8n: test/e2e/operations.test.ts (`n8n
// execute`, one process) and test/queue/queue.test.ts (queue mode: a worker runs them). Batched
// into two workflows because one run costs several seconds:
//
//   operations: Start -> Create -> Get -> Get (v0) -> Update -> Get After Update
//                         -> Upsert Existing (JSON body) -> Upsert New (fields)
//                     -> Search by Partner IDs (ids)
//                     -> Search Records (modified in 20 days, limit 5)
//                     -> Search IDs (modified in 20 days, all)
//                     -> Search Unassigned
//                     -> Portfolio (filtered, raw)
//   errors:     Start -> three items -> Create (continue on fail: the middle item is invalid)
//                     -> Get Unknown (continue on fail) -> Create Invalid (stops the run)
//
// With the "v1" execution order, n8n runs the branches of Start one after the other, top first.
import { randomUUID } from 'node:crypto';

import { NODE_TYPE, type NodeResult, type WorkflowInput } from '../../e2e/harness';
import type { LeadOpportunity, RunningSandbox } from '../../sandbox';
import { replaceTrigger, type Workflow, type WorkflowNode } from './workflow-helpers';

type Json = Record<string, unknown>;

export const OPERATIONS_WORKFLOW_ID = 'e2eOperations001';
export const ERRORS_WORKFLOW_ID = 'e2eOperationsErr';

export interface CredentialRef {
	id: string;
	name: string;
}

/** What the workflows are built from: the sandbox they run against and its credential. */
export interface OperationsContext {
	sandbox: RunningSandbox;
	credential: CredentialRef;
	/** Two orderable offers of the sandbox's portfolio. */
	offerA: string;
	offerB: string;
}

/** A finished run of a workflow, however it was run. */
export interface WorkflowRun {
	ok: boolean;
	nodes: Record<string, NodeResult>;
	error?: string;
	lastNodeExecuted?: string;
}

export function operationsContext(
	sandbox: RunningSandbox,
	credential: CredentialRef,
): OperationsContext {
	const orderable = sandbox.admin.portfolioItems().filter((item) => item.salesPortfolioisOrderable);
	return {
		sandbox,
		credential,
		offerA: orderable[10].salesPortfolioId,
		offerB: orderable[500].salesPortfolioId,
	};
}

// ---------------------------------------------------------------------------------------------
// Workflows

/** A Dassault Systèmes Sales node using `credential`. */
export const ours = (
	credential: CredentialRef,
	name: string,
	position: [number, number],
	parameters: Json,
	settings: Json = {},
): WorkflowNode => ({
	id: randomUUID(),
	name,
	type: NODE_TYPE,
	typeVersion: 1,
	position,
	parameters,
	credentials: { dassaultSalesApi: credential },
	...settings,
});

const start: WorkflowNode = {
	id: randomUUID(),
	name: 'Start',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** Connections of a workflow: each list is a chain; chains sharing a first node branch off it. */
function connect(...chains: string[][]): Json {
	const connections: Record<
		string,
		{ main: Array<Array<{ node: string; type: string; index: number }>> }
	> = {};
	for (const chain of chains) {
		for (let i = 0; i < chain.length - 1; i++) {
			connections[chain[i]] ??= { main: [[]] };
			const targets = connections[chain[i]].main[0];
			if (!targets.some((t) => t.node === chain[i + 1]))
				targets.push({ node: chain[i + 1], type: 'main', index: 0 });
		}
	}
	return connections;
}

const lead = { resource: 'leadOpportunity', apiVersion: 'v1' };
const rl = (value: string, mode = 'id') => ({ __rl: true, mode, value });

/** Every operation, chained and branched off one Start (see the file comment). */
export function operationsWorkflow({
	credential,
	offerA,
	offerB,
}: OperationsContext): WorkflowInput {
	const row = (y: number, names: string[], parameters: Json[]) =>
		names.map((name, i) => ours(credential, name, [220 * (i + 1), y], parameters[i]));
	const chain1 = [
		'Create',
		'Get',
		'Get (v0)',
		'Update',
		'Get After Update',
		'Upsert Existing',
		'Upsert New',
	];
	const createdId = "={{ $('Create').item.json.dsLeadOpportunityId }}";
	const since20Days = '={{ $now.minus({ days: 20 }).toISO() }}';
	const nodes = [
		start,
		...row(0, chain1, [
			{
				...lead,
				operation: 'create',
				inputMode: 'fields',
				partnerLeadOpportunityId: 'E2E-OPS-0001',
				name: 'Nordwerk - CATIA composites design',
				status: 'QUALIFIED',
				closeDate: '2026-10-31T00:00:00',
				currency: 'EUR',
				offerLines: {
					offerLine: [
						{ offerNameId: rl(offerA), amount: 25000, revenueType: 'PxC' },
						{
							offerNameId: rl(offerB, 'list'),
							amount: 12000.5,
							revenueType: 'YxC',
							startDate: '2026-11-01',
							endDate: '2027-10-31',
						},
					],
				},
				customerName: 'Nordwerk Fahrzeugtechnik GmbH',
				customerCity: 'Wolfsburg',
				customerCountry: 'Germany',
				additionalFields: {
					description: 'Composite body panels, 8 seats',
					nextMilestone: 'Demo to the design team',
					nextMilestoneDate: '2026-03-02T10:00:00+01:00',
					competitors: 'Siemens NX, PTC Creo',
					dsOwnerEmail: 'anna.schmidt@3ds.com',
				},
				customerDetails: {
					zipCode: '38440',
					websiteUrl: 'www.nordwerk.de',
					vatNumber: 'DE812345678',
				},
				customerContacts: {
					contact: [
						{
							firstName: 'Jonas',
							lastName: 'Keller',
							email: 'jonas.keller@nordwerk.de',
							jobTitle: 'Head of Design',
						},
					],
				},
				partnerContacts: {
					contact: [
						{
							salesRepEmail: 'lea.martin@best-partner.com',
							salesRepFirstName: 'Léa',
							salesRepLastName: 'Martin',
						},
					],
				},
				options: { includeResponseMetadata: true },
			},
			{
				...lead,
				operation: 'get',
				dsLeadOpportunityId: '={{ $json.dsLeadOpportunityId }}',
				simplify: false, // the whole record, checked field by field below
				options: {},
			},
			{
				...lead,
				operation: 'get',
				apiVersion: 'v0',
				dsLeadOpportunityId: '={{ $json.dsLeadOpportunityId }}',
				simplify: false,
				options: {},
			},
			{
				...lead,
				operation: 'update',
				dsLeadOpportunityId: createdId,
				inputMode: 'fields',
				partnerLeadOpportunityId: 'E2E-OPS-0001',
				updateFields: {
					status: 'OPPY_OPEN',
					forecastCategory: 'COMMIT',
					nextMilestone: 'Benchmark on customer parts',
				},
				options: {},
			},
			{ ...lead, operation: 'get', dsLeadOpportunityId: createdId, simplify: false, options: {} },
			{
				...lead,
				operation: 'upsert',
				inputMode: 'json',
				jsonBody: JSON.stringify({
					leadOpportunity: {
						partnerLeadOpportunityId: 'E2E-OPS-0001',
						name: 'Nordwerk - CATIA composites design',
						status: 'VALIDATED',
						closeDate: '2026-12-15T12:00:00Z',
						currency: 'EUR',
					},
					offerLines: [{ offerNameId: offerA, amount: 31000, revenueType: 'PxC' }],
					customerLegalEntity: {
						name: 'Nordwerk Fahrzeugtechnik GmbH',
						city: 'Wolfsburg',
						country: 'Germany',
					},
				}),
				options: {},
			},
			{
				...lead,
				operation: 'upsert',
				inputMode: 'fields',
				partnerLeadOpportunityId: 'E2E-OPS-0002',
				name: 'Alpenglas - SOLIDWORKS seats',
				status: 'LEAD_OPEN',
				closeDate: '2026-09-01T00:00:00Z',
				currency: 'CHF',
				offerLines: { offerLine: [{ offerNameId: rl(offerB), amount: 8000, revenueType: 'PxC' }] },
				customerName: 'Alpenglas AG',
				customerCity: 'Chur',
				customerCountry: 'Switzerland',
				options: {},
			},
		]),
		// Each search and the portfolio on a branch of its own, off Start's single item (chained,
		// a search would run once per record of the previous one).
		...[
			[
				'Search by Partner IDs',
				{
					...lead,
					operation: 'search',
					filters: { partnerLeadOpportunityIds: 'E2E-OPS-0001, E2E-OPS-0002' },
					output: 'ids',
					returnAll: true,
					options: {},
				},
			],
			[
				'Search Records',
				{
					...lead,
					operation: 'search',
					filters: { modifiedAfter: since20Days },
					output: 'records',
					simplify: false,
					returnAll: false,
					limit: 5,
					options: { concurrency: 3 },
				},
			],
			[
				'Search IDs',
				{
					...lead,
					operation: 'search',
					filters: { modifiedAfter: since20Days },
					output: 'ids',
					returnAll: true,
					options: {},
				},
			],
			[
				'Search Unassigned',
				{
					...lead,
					operation: 'search',
					filters: { unassignedOnly: true },
					output: 'records',
					simplify: false,
					returnAll: false,
					limit: 3,
					options: {},
				},
			],
			[
				'Portfolio (Filtered, Raw)',
				{
					resource: 'portfolioItem',
					operation: 'getMany',
					returnAll: true,
					filters: { level1: 'solidworks', orderableOnly: true },
					simplify: false,
				},
			],
		].map(([name, parameters], i) =>
			ours(credential, name as string, [220, 200 + 150 * i], parameters as Json),
		),
	];
	return {
		id: OPERATIONS_WORKFLOW_ID,
		name: 'e2e operations',
		nodes,
		connections: connect(
			['Start', ...chain1],
			['Start', 'Search by Partner IDs'],
			['Start', 'Search Records'],
			['Start', 'Search IDs'],
			['Start', 'Search Unassigned'],
			['Start', 'Portfolio (Filtered, Raw)'],
		),
		settings: { executionOrder: 'v1' },
	};
}

/** A create body, valid unless told otherwise. */
const body = (offerA: string, partnerLeadOpportunityId: string, currency = 'EUR') => ({
	leadOpportunity: {
		partnerLeadOpportunityId,
		name: `Continue-on-fail ${partnerLeadOpportunityId}`,
		status: 'LEAD_OPEN',
		closeDate: '2026-08-31T00:00:00Z',
		currency,
	},
	offerLines: [{ offerNameId: offerA, amount: 5000 }],
	customerLegalEntity: { name: 'Lindqvist Marin AB', city: 'Göteborg', country: 'Sweden' },
});

export function errorsWorkflow({ credential, offerA }: OperationsContext): Workflow {
	const once = { executeOnce: true };
	const onFail = { onError: 'continueRegularOutput' };
	const workflow: Workflow = {
		id: ERRORS_WORKFLOW_ID,
		name: 'e2e operation errors',
		nodes: [
			{ ...start, id: randomUUID(), name: 'Items' },
			ours(
				credential,
				'Create (Continue On Fail)',
				[440, 0],
				{
					...lead,
					operation: 'create',
					inputMode: 'json',
					jsonBody: '={{ $json.body }}',
					options: {},
				},
				onFail,
			),
			ours(
				credential,
				'Get Unknown (Continue On Fail)',
				[660, 0],
				{ ...lead, operation: 'get', dsLeadOpportunityId: 'ZZZZ-ZZZZZZ', options: {} },
				{ ...onFail, ...once },
			),
			ours(
				credential,
				'Create Invalid',
				[880, 0],
				{
					...lead,
					operation: 'create',
					inputMode: 'json',
					jsonBody: JSON.stringify({
						leadOpportunity: {
							partnerLeadOpportunityId: 'E2E-BAD-0001',
							name: 'Invalid',
							status: 'PENDING',
							closeDate: '31/12/2026',
							currency: 'EUR',
						},
						offerLines: [],
						customerLegalEntity: {
							name: 'Lindqvist Marin AB',
							city: 'Göteborg',
							country: 'Sweden',
						},
					}),
					options: {},
				},
				once,
			),
		],
		connections: connect([
			'Items',
			'Create (Continue On Fail)',
			'Get Unknown (Continue On Fail)',
			'Create Invalid',
		]),
		settings: { executionOrder: 'v1' },
	};
	// 'Items': Manual Trigger -> the three items (the trigger swap of the examples test).
	replaceTrigger(workflow, 'Items', [
		{ body: body(offerA, 'E2E-COF-0001') },
		{ body: body(offerA, 'E2E-COF-0002', 'EURO') },
		{ body: body(offerA, 'E2E-COF-0003') },
	]);
	return workflow;
}

// ---------------------------------------------------------------------------------------------
// What n8n must make of them

export interface OperationsSetup<R extends WorkflowRun> {
	/** Read in the suite's first beforeAll: the caller's own beforeAll has set it up by then. */
	context: () => OperationsContext;
	/** Runs an imported workflow to its end, the caller's way. */
	run: (workflowId: string) => Promise<R>;
}

/**
 * The suite, as jest describes: runs the operations workflow, then the errors workflow, and checks
 * each node's output and the sandbox's state. `runs` holds the runs for the caller's own checks.
 */
export function operationsSuite<R extends WorkflowRun>(
	setup: OperationsSetup<R>,
): { runs: { operations?: R; errors?: R } } {
	const runs: { operations?: R; errors?: R } = {};
	let sandbox: RunningSandbox;
	let offerA: string;
	let offerB: string;
	let operations: WorkflowRun;
	let operationsStartedAt: number;
	let run: WorkflowRun;
	const leadByPartnerId = (id: string): LeadOpportunity | undefined =>
		sandbox.admin.listLeads().find((l) => l.partnerLeadOpportunityId === id);

	describe('one workflow with every operation', () => {
		beforeAll(async () => {
			({ sandbox, offerA, offerB } = setup.context());
			operationsStartedAt = Date.now();
			operations = runs.operations = await setup.run(OPERATIONS_WORKFLOW_ID);
		});

		test('runs to the end without an error', () => {
			const errors = Object.entries(operations.nodes)
				.filter(([, r]) => r.error)
				.map(([name, r]) => `${name}: ${r.error} ${r.errorDescription ?? ''}`);
			expect(errors).toEqual([]);
			expect(operations.error).toBeUndefined();
			expect(operations.ok).toBe(true);
		});

		test('Create (fields, v1) stores every field and returns the ids with the response metadata', () => {
			const [created] = operations.nodes.Create.items;
			expect(created).toMatchObject({ partnerLeadOpportunityId: 'E2E-OPS-0001', action: 'create' });
			expect(created.dsLeadOpportunityId).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{6}$/);
			expect(created.info).toEqual(expect.objectContaining({ success: true }));
			expect(created.rateLimit).toEqual(
				expect.objectContaining({ limit: expect.any(Number), remaining: expect.any(Number) }),
			);

			// As Get returned it right after the create (the stored record, v1 shape).
			const [got] = operations.nodes.Get.items;
			expect(got).toMatchObject({
				dsLeadOpportunityId: created.dsLeadOpportunityId,
				partnerLeadOpportunityId: 'E2E-OPS-0001',
				name: 'Nordwerk - CATIA composites design',
				status: 'QUALIFIED',
				closeDate: '2026-10-31T00:00:00.000Z', // a day: its own date, as midnight UTC
				currency: 'EUR',
				description: 'Composite body panels, 8 seats',
				nextMilestone: 'Demo to the design team',
				nextMilestoneDate: '2026-03-02T00:00:00.000Z', // a day: 10:00+01:00 is 2 March
				competitors: ['Siemens NX', 'PTC Creo'],
				dsOwnerEmail: 'anna.schmidt@3ds.com',
				offerLines: [
					{ offerNameId: offerA, amount: 25000, revenueType: 'PxC' },
					{
						offerNameId: offerB,
						amount: 12000.5,
						revenueType: 'YxC',
						startDate: '2026-11-01',
						endDate: '2027-10-31',
					},
				],
				customerLegalEntity: {
					name: 'Nordwerk Fahrzeugtechnik GmbH',
					city: 'Wolfsburg',
					country: 'Germany',
					zipCode: '38440',
					websiteUrl: 'www.nordwerk.de',
					vatNumber: 'DE812345678',
				},
				customerContact: [
					{
						firstName: 'Jonas',
						lastName: 'Keller',
						email: 'jonas.keller@nordwerk.de',
						jobTitle: 'Head of Design',
					},
				],
				partnerContact: [
					{
						salesRepEmail: 'lea.martin@best-partner.com',
						salesRepFirstName: 'Léa',
						salesRepLastName: 'Martin',
					},
				],
			});
			// Get in v0 names the revenue types the v0 way.
			const [gotV0] = operations.nodes['Get (v0)'].items;
			expect((gotV0.offerLines as Json[]).map((l) => l.revenueType)).toEqual([
				'UPFRONT',
				'RENTAL_BOOKING',
			]);
		});

		test('Update changes only the fields set', () => {
			const [created] = operations.nodes.Create.items;
			expect(operations.nodes.Update.items).toEqual([
				expect.objectContaining({
					dsLeadOpportunityId: created.dsLeadOpportunityId,
					partnerLeadOpportunityId: 'E2E-OPS-0001',
					action: 'update',
				}),
			]);
			const [after] = operations.nodes['Get After Update'].items;
			const [before] = operations.nodes.Get.items;
			expect(after).toMatchObject({
				status: 'OPPY_OPEN',
				forecastCategory: 'COMMIT',
				nextMilestone: 'Benchmark on customer parts',
				name: before.name,
				offerLines: before.offerLines,
				customerLegalEntity: before.customerLegalEntity,
			});
			expect(Date.parse(String(after.modifiedDate))).toBeGreaterThanOrEqual(
				Date.parse(String(before.modifiedDate)),
			);
		});

		test('Create or Update updates the lead with that partner id, and creates a new one', () => {
			const [created] = operations.nodes.Create.items;
			expect(operations.nodes['Upsert Existing'].items).toEqual([
				expect.objectContaining({
					dsLeadOpportunityId: created.dsLeadOpportunityId,
					partnerLeadOpportunityId: 'E2E-OPS-0001',
					action: 'update',
				}),
			]);
			const [fresh] = operations.nodes['Upsert New'].items;
			expect(fresh).toMatchObject({ partnerLeadOpportunityId: 'E2E-OPS-0002', action: 'create' });
			expect(fresh.dsLeadOpportunityId).not.toBe(created.dsLeadOpportunityId);

			expect(sandbox.admin.getLead(String(created.dsLeadOpportunityId))).toMatchObject({
				status: 'VALIDATED',
				closeDate: '2026-12-15T00:00:00.000Z', // 12:00Z sent as its day
				offerLines: [{ offerNameId: offerA, amount: 31000, revenueType: 'PxC' }],
			});
			expect(leadByPartnerId('E2E-OPS-0002')).toMatchObject({
				dsLeadOpportunityId: fresh.dsLeadOpportunityId,
				name: 'Alpenglas - SOLIDWORKS seats',
				currency: 'CHF',
				customerLegalEntity: { name: 'Alpenglas AG', city: 'Chur', country: 'Switzerland' },
			});
			expect(
				sandbox.admin.listLeads().filter((l) => l.partnerLeadOpportunityId === 'E2E-OPS-0001'),
			).toHaveLength(1);
		});

		test('Search: by partner ids, by modified date (records with a limit, all ids), unassigned only', () => {
			const [created] = operations.nodes.Create.items;
			const [fresh] = operations.nodes['Upsert New'].items;
			expect(
				operations.nodes['Search by Partner IDs'].items.map((i) => i.dsLeadOpportunityId).sort(),
			).toEqual([created.dsLeadOpportunityId, fresh.dsLeadOpportunityId].sort());
			expect(Object.keys(operations.nodes['Search by Partner IDs'].items[0])).toEqual([
				'dsLeadOpportunityId',
			]);

			// 20 days: three 7-day windows, merged. Every lead modified since then, each once.
			const ids = operations.nodes['Search IDs'].items.map((i) => String(i.dsLeadOpportunityId));
			const since = operationsStartedAt - 20 * 24 * 3600_000;
			const expected = sandbox.admin
				.listLeads()
				.filter((l) => Date.parse(l.modifiedDate) >= since + 60_000) // away from the boundary
				.map((l) => l.dsLeadOpportunityId);
			expect(new Set(ids).size).toBe(ids.length);
			expect(ids).toEqual(expect.arrayContaining(expected));
			expect(ids.length).toBeGreaterThan(10);

			const records = operations.nodes['Search Records'].items;
			expect(records).toHaveLength(5);
			expect(records.map((r) => r.dsLeadOpportunityId)).toEqual(ids.slice(0, 5));
			for (const record of records) {
				expect(Date.parse(String(record.modifiedDate))).toBeGreaterThanOrEqual(since - 60_000);
				expect(record).toHaveProperty('offerLines');
			}

			const unassigned = operations.nodes['Search Unassigned'].items;
			expect(unassigned).toHaveLength(3);
			for (const record of unassigned) expect(record.partnerLeadOpportunityId ?? '').toBe('');
		});

		test('Portfolio Get Many: every page, filtered by the node, raw items', () => {
			const expected = sandbox.admin
				.portfolioItems()
				.filter(
					(item) =>
						item.salesPortfolioisOrderable &&
						item.salesPortfolioLevel1.toLowerCase().includes('solidworks'),
				);
			expect(expected.length).toBeGreaterThan(5);
			expect(operations.nodes['Portfolio (Filtered, Raw)'].items).toEqual(expected);
		});
	});

	describe('errors', () => {
		beforeAll(async () => {
			run = runs.errors = await setup.run(ERRORS_WORKFLOW_ID);
		});

		test('Continue On Fail: the invalid item becomes an error item, the others are created', () => {
			const items = run.nodes['Create (Continue On Fail)'].items;
			expect(items).toHaveLength(3);
			expect(items[0]).toMatchObject({
				partnerLeadOpportunityId: 'E2E-COF-0001',
				action: 'create',
			});
			expect(items[2]).toMatchObject({
				partnerLeadOpportunityId: 'E2E-COF-0003',
				action: 'create',
			});
			expect(items[1]).toEqual({
				error: expect.stringMatching(
					/^Invalid lead-opportunity in item 1: Currency \(leadOpportunity\.currency\) "EURO" is not an ISO 4217 currency code/,
				),
				description: expect.stringContaining('Nothing was sent to 3DS'),
				httpCode: null,
			});
			expect(leadByPartnerId('E2E-COF-0001')).toBeDefined();
			expect(leadByPartnerId('E2E-COF-0002')).toBeUndefined();
			expect(leadByPartnerId('E2E-COF-0003')).toBeDefined();

			// An API error under Continue On Fail: an item naming the id, with the HTTP code.
			expect(run.nodes['Get Unknown (Continue On Fail)'].items).toEqual([
				expect.objectContaining({
					error: expect.stringContaining(
						'Lead-opportunity "ZZZZ-ZZZZZZ" was not found or is not in your scope',
					),
					httpCode: '500',
				}),
			]);
		});

		test('invalid input stops the run with the node error, and nothing is sent', () => {
			expect(run.ok).toBe(false);
			expect(run.lastNodeExecuted).toBe('Create Invalid');
			const failed = run.nodes['Create Invalid'];
			expect(failed.error).toMatch(
				/^Invalid lead-opportunity in item 0: Status \(leadOpportunity\.status\) must be one of the API's status values/,
			);
			expect(failed.errorDescription).toContain('Nothing was sent to 3DS');
			expect(failed.errorDescription).toContain('Close Date (leadOpportunity.closeDate)');
			expect(failed.errorDescription).toContain('Offer Lines (offerLines)');
			expect(leadByPartnerId('E2E-BAD-0001')).toBeUndefined();
			expect(sandbox.admin.violations()).toEqual([]);
		});
	});
	return { runs };
}
