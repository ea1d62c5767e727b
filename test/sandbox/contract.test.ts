// Every response the sandbox sends, for every operation and every status the spec declares for
// it, validates against the spec's response schema (Ajv over the YAML), and carries the
// X-RateLimit-* headers exactly where the spec declares them.
import { loadSpec } from '../../sandbox/spec';
import {
	call,
	createBodyV0,
	createBodyV1,
	type HttpResult,
	partnerId,
	patchBody,
	PORTFOLIO,
	SEARCH,
	start,
	useSandbox,
	V0,
	V1,
	window,
} from './helpers';

const spec = loadSpec();

function expectContract(operationId: string, res: HttpResult, status: number): void {
	expect(res.status).toBe(status);
	const validate = spec.responseValidator(operationId, status);
	if (!validate) throw new Error(`${operationId} declares no ${status}`);
	validate(res.body);
	expect({ operationId, status, errors: validate.errors ?? null }).toEqual({
		operationId,
		status,
		errors: null,
	});
	const declared = spec.responseHeaders(operationId, status);
	for (const header of declared) {
		const raw = res.headers[header.toLowerCase()];
		expect(typeof raw).toBe('string');
		expect(String(Math.trunc(Number(raw)))).toBe(raw);
		expect(spec.headerValidator(operationId, status, header)(Number(raw))).toBe(true);
	}
	if (declared.length === 0)
		expect(Object.keys(res.headers).filter((h) => h.startsWith('x-ratelimit'))).toEqual([]);
}

/** Every operation, with a request that reaches it. */
const operations = [
	{
		id: 'createLeadsOpportunities',
		method: 'POST',
		path: () => `${V0}/leads-opportunities`,
		body: () => createBodyV0(partnerId()),
	},
	{
		id: 'createLeadsOpportunities_v1',
		method: 'POST',
		path: () => `${V1}/leads-opportunities`,
		body: () => createBodyV1(partnerId()),
	},
	{
		id: 'updateLeadOpportunitiesDetails',
		method: 'PATCH',
		path: (id: string) => `${V0}/leads-opportunities/${id}`,
		body: () => patchBody(partnerId()),
	},
	{
		id: 'updateLeadOpportunitiesDetails_v1',
		method: 'PATCH',
		path: (id: string) => `${V1}/leads-opportunities/${id}`,
		body: () => patchBody(partnerId()),
	},
	{
		id: 'getLeadsOpportunities',
		method: 'GET',
		path: (id: string) => `${V0}/leads-opportunities/${id}`,
		body: () => undefined,
	},
	{
		id: 'getLeadsOpportunities_v1',
		method: 'GET',
		path: (id: string) => `${V1}/leads-opportunities/${id}`,
		body: () => undefined,
	},
	{
		id: 'searchLeadsOpportunities',
		method: 'POST',
		path: () => SEARCH,
		body: () => ({ data: [{ partnerLeadOpportunityId: '' }] }),
	},
	{
		id: 'searchPortfolioItems',
		method: 'GET',
		path: () => `${PORTFOLIO}?top=3`,
		body: () => undefined,
	},
];

jest.setTimeout(20_000);

describe('response contract', () => {
	const env = useSandbox({ seed: 7 });
	let leadId: string;

	beforeAll(() => {
		leadId = env.sandbox.admin.listLeads()[0].dsLeadOpportunityId;
	});

	test('the spec declares the statuses this test covers, and no other', () => {
		const declared = Object.fromEntries(
			spec.operations.map((op) => [op.operationId, [...op.statuses].sort()]),
		);
		expect(declared).toEqual({
			createLeadsOpportunities: [201, 400, 401, 403, 406, 429, 503],
			createLeadsOpportunities_v1: [201, 400, 401, 403, 406, 429, 503],
			updateLeadOpportunitiesDetails: [200, 400, 401, 403, 406, 429, 503],
			updateLeadOpportunitiesDetails_v1: [200, 400, 401, 403, 406, 429, 503],
			getLeadsOpportunities: [200, 401, 403, 429, 500, 503],
			getLeadsOpportunities_v1: [200, 401, 403, 429, 500, 503],
			searchLeadsOpportunities: [200, 400, 401, 403, 429, 503],
			searchPortfolioItems: [200, 400, 401, 403, 429],
		});
	});

	test.each(operations)('$id: 401 without a key, 403 with an unknown key', async (op) => {
		expectContract(
			op.id,
			await call(env.sandbox.url, op.method, op.path(leadId), { body: op.body(), key: null }),
			401,
		);
		expectContract(
			op.id,
			await call(env.sandbox.url, op.method, op.path(leadId), {
				body: op.body(),
				key: 'not-a-key',
			}),
			403,
		);
	});

	test.each(operations)('$id: spurious 429 and, where declared, 503 ERR899', async (op) => {
		env.sandbox.admin.configure({
			faults: { rateLimited: { probability: 1, operations: [op.id] } },
		});
		expectContract(
			op.id,
			await call(env.sandbox.url, op.method, op.path(leadId), { body: op.body() }),
			429,
		);
		env.sandbox.admin.configure({
			faults: { rateLimited: null, unavailable: { probability: 1, operations: [op.id] } },
		});
		const res = await call(env.sandbox.url, op.method, op.path(leadId), { body: op.body() });
		if (spec.declares(op.id, 503)) {
			expectContract(op.id, res, 503);
			expect(res.body.error.code).toBe('ERR899');
		} else {
			// searchPortfolioItems declares no 503, so the fault passes it by.
			expectContract(op.id, res, 200);
		}
		env.sandbox.admin.configure({ faults: { unavailable: null } });
	});

	test('429 for a used-up quota, on every operation', async () => {
		const quota = await start({ quota: 1, apiKeys: operations.map((op) => op.id) });
		try {
			const id = quota.admin.listLeads()[0].dsLeadOpportunityId;
			for (const op of operations) {
				await call(quota.url, op.method, op.path(id), { body: op.body(), key: op.id });
				expectContract(
					op.id,
					await call(quota.url, op.method, op.path(id), { body: op.body(), key: op.id }),
					429,
				);
			}
			expect(quota.admin.violations()).toEqual([]);
		} finally {
			await quota.stop();
		}
	});

	test('create 201, 400 (schema, ERR801, currency, bad JSON), 406 in v0 and v1', async () => {
		for (const [id, path, body] of [
			['createLeadsOpportunities', `${V0}/leads-opportunities`, createBodyV0],
			['createLeadsOpportunities_v1', `${V1}/leads-opportunities`, createBodyV1],
		] as const) {
			const pid = partnerId();
			expectContract(id, await call(env.sandbox.url, 'POST', path, { body: body(pid) }), 201);
			expectContract(id, await call(env.sandbox.url, 'POST', path, { body: body(pid) }), 400);
			expectContract(
				id,
				await call(env.sandbox.url, 'POST', path, { body: { partnerId: '1' } }),
				400,
			);
			expectContract(
				id,
				await call(env.sandbox.url, 'POST', path, {
					body: body(partnerId(), { leadOpportunity: { currency: 'XYZ' } }),
				}),
				400,
			);
			expectContract(id, await call(env.sandbox.url, 'POST', path, { raw: '{"partnerId":' }), 400);
			expectContract(
				id,
				await call(env.sandbox.url, 'POST', path, {
					body: body(partnerId(), { leadOpportunity: { closeDate: '01/06/2025' } }),
				}),
				406,
			);
		}
	});

	test('update 200, 400 (schema, unknown id, ERR801), 406 in v0 and v1', async () => {
		const other = env.sandbox.admin
			.listLeads()
			.find((l) => l.partnerLeadOpportunityId)!.partnerLeadOpportunityId!;
		for (const [id, base] of [
			['updateLeadOpportunitiesDetails', V0],
			['updateLeadOpportunitiesDetails_v1', V1],
		] as const) {
			const path = `${base}/leads-opportunities/${leadId}`;
			const pid = env.sandbox.admin.getLead(leadId)!.partnerLeadOpportunityId ?? partnerId();
			expectContract(
				id,
				await call(env.sandbox.url, 'PATCH', path, {
					body: patchBody(pid, { status: 'QUALIFIED' }),
				}),
				200,
			);
			expectContract(
				id,
				await call(env.sandbox.url, 'PATCH', path, {
					body: { leadOpportunity: { partnerLeadOpportunityId: pid } },
				}),
				400,
			);
			expectContract(
				id,
				await call(env.sandbox.url, 'PATCH', `${base}/leads-opportunities/NOPE-000000`, {
					body: patchBody(pid),
				}),
				400,
			);
			expectContract(
				id,
				await call(env.sandbox.url, 'PATCH', path, { body: patchBody(other) }),
				other === pid ? 200 : 400,
			);
			expectContract(
				id,
				await call(env.sandbox.url, 'PATCH', path, {
					body: patchBody(pid, { nextMilestoneDate: 'tomorrow' }),
				}),
				406,
			);
		}
	});

	test('get 200 for every seeded lead, marketing lead and created lead, in v0 and v1; 500 for an unknown id', async () => {
		env.sandbox.admin.createMarketingLeads(4);
		await call(env.sandbox.url, 'POST', `${V0}/leads-opportunities`, {
			body: createBodyV0(partnerId(), { offerLines: [{ offerNameId: 'X' }] }),
		});
		await call(env.sandbox.url, 'POST', `${V1}/leads-opportunities`, {
			body: createBodyV1(partnerId(), {
				offerLines: [
					{ offerNameId: 'X', revenueType: 'QxC', startDate: '2025-01-01', endDate: '2025-12-31' },
				],
			}),
		});
		// Every unassigned, null-entity, marketing and created lead, and every third of the rest:
		// all shapes the seed makes, in a fraction of the requests (the server checks every
		// response it sends anyway: see afterEach).
		const leads = env.sandbox.admin.listLeads();
		const ids = leads
			.filter(
				(l, i) =>
					!l.partnerLeadOpportunityId ||
					l.customerLegalEntity.name === null ||
					i >= 300 ||
					i % 3 === 0,
			)
			.map((l) => l.dsLeadOpportunityId);
		expect(leads.length).toBeGreaterThanOrEqual(306);
		expect(ids.length).toBeGreaterThan(100);
		for (const id of ids) {
			expectContract(
				'getLeadsOpportunities',
				await call(env.sandbox.url, 'GET', `${V0}/leads-opportunities/${id}`),
				200,
			);
			expectContract(
				'getLeadsOpportunities_v1',
				await call(env.sandbox.url, 'GET', `${V1}/leads-opportunities/${id}`),
				200,
			);
		}
		expectContract(
			'getLeadsOpportunities',
			await call(env.sandbox.url, 'GET', `${V0}/leads-opportunities/NOPE-000000`),
			500,
		);
		expectContract(
			'getLeadsOpportunities_v1',
			await call(env.sandbox.url, 'GET', `${V1}/leads-opportunities/NOPE-000000`),
			500,
		);
	});

	test('search 200 and every 400', async () => {
		const id = 'searchLeadsOpportunities';
		const search = (body: unknown) => call(env.sandbox.url, 'POST', SEARCH, { body });
		expectContract(
			id,
			await search({ data: [window('2025-08-04T08:00:00Z', '2025-08-08T18:00:00Z')] }),
			200,
		);
		expectContract(
			id,
			await search({
				data: [
					{ partnerLeadOpportunityId: ['A', 'B'] },
					window('2025-08-04T08:00:00Z', '2025-08-08T18:00:00Z'),
				],
			}),
			200,
		);
		for (const body of [
			{ data: [{ modifiedDate: { fromDate: '2025-08-04T08:00:00Z' } }] },
			{ data: [{ other: 1 }] },
			{ data: [] },
			{ data: [window('2025-08-04T08:00:00+02:00', '2025-08-08T18:00:00Z')] },
			{ data: [window('2025-08-08T08:00:00Z', '2025-08-04T18:00:00Z')] },
			{ data: [window('2025-08-01T08:00:00Z', '2025-08-08T18:00:00Z')] },
		]) {
			expectContract(id, await search(body), 400);
		}
		expectContract(id, await call(env.sandbox.url, 'POST', SEARCH, { raw: 'nope' }), 400);
	});

	test('portfolio 200 and 400', async () => {
		const id = 'searchPortfolioItems';
		expectContract(id, await call(env.sandbox.url, 'GET', PORTFOLIO), 200);
		expectContract(id, await call(env.sandbox.url, 'GET', `${PORTFOLIO}?skip=3040&top=100`), 200);
		expectContract(id, await call(env.sandbox.url, 'GET', `${PORTFOLIO}?top=-5`), 400);
		expectContract(id, await call(env.sandbox.url, 'GET', `${PORTFOLIO}?skip=x`), 400);
	});
});
