/**
 * The action node against a started sandbox over real HTTP (no nock): the round trip a partner's
 * workflow makes, paging through the whole portfolio, and pacing at a tight quota.
 */
import type { RunningSandbox } from '../../sandbox';
import { createParameters } from '../helpers/fixtures';
import { runNode, testCredentials } from '../helpers/n8n';
import { start } from './helpers';

jest.setTimeout(60_000);

describe('the action node against the sandbox', () => {
	let sandbox: RunningSandbox;
	let credentials: ReturnType<typeof testCredentials>;
	beforeAll(async () => {
		sandbox = await start({ seed: 7 });
		credentials = testCredentials({ baseUrl: sandbox.url, apiKey: 'sandbox-key' });
	});
	afterAll(async () => await sandbox.stop());

	const lead = (operation: string, parameters: Record<string, unknown> = {}) => ({
		resource: 'leadOpportunity',
		operation,
		apiVersion: 'v1',
		simplify: false, // whole records: the checks below read nested fields
		options: {},
		...parameters,
	});

	it('create → get → update → search → create or update, in v1 and v0', async () => {
		const parameters = createParameters({
			partnerLeadOpportunityId: 'RT-0001',
			offerLines: {
				offerLine: [
					{
						offerNameId: sandbox.admin.portfolioItems()[0].salesPortfolioId,
						amount: 1200,
						revenueType: 'YxC',
						startDate: '2026-01-01',
						endDate: '2026-12-31',
					},
				],
			},
		});
		const [created] = await runNode({ parameters, credentials });
		const id = created.json.dsLeadOpportunityId as string;
		expect(id).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{6}$/);
		expect(created.json).toMatchObject({ partnerLeadOpportunityId: 'RT-0001', action: 'create' });

		const [got] = await runNode({
			parameters: lead('get', { dsLeadOpportunityId: id }),
			credentials,
		});
		expect(got.json).toMatchObject({
			dsLeadOpportunityId: id,
			name: parameters.name,
			status: 'OPPY_OPEN',
			currency: 'EUR',
		});
		expect(got.json.offerLines).toEqual([
			expect.objectContaining({
				amount: 1200,
				revenueType: 'YxC',
				startDate: '2026-01-01',
				endDate: '2026-12-31',
			}),
		]);

		const [updated] = await runNode({
			parameters: lead('update', {
				dsLeadOpportunityId: id,
				inputMode: 'fields',
				partnerLeadOpportunityId: 'RT-0001',
				updateFields: { status: 'VALIDATED', nextMilestone: 'Demo' },
			}),
			credentials,
		});
		expect(updated.json).toMatchObject({ dsLeadOpportunityId: id, action: 'update' });
		const [v0] = await runNode({
			parameters: lead('get', { apiVersion: 'v0', dsLeadOpportunityId: id }),
			credentials,
		});
		expect(v0.json).toMatchObject({
			status: 'VALIDATED',
			nextMilestone: 'Demo',
			name: parameters.name,
		});
		expect((v0.json.offerLines as Array<{ revenueType: string }>)[0].revenueType).toBe(
			'RENTAL_BOOKING',
		);

		const found = await runNode({
			parameters: lead('search', {
				filters: { partnerLeadOpportunityIds: 'RT-0001' },
				output: 'records',
				returnAll: true,
			}),
			credentials,
		});
		expect(found.map((item) => item.json.dsLeadOpportunityId)).toEqual([id]);

		const since = new Date(Date.now() - 60_000).toISOString();
		const recent = await runNode({
			parameters: lead('search', {
				filters: { modifiedAfter: since },
				output: 'ids',
				returnAll: true,
			}),
			credentials,
		});
		expect(recent.map((item) => item.json.dsLeadOpportunityId)).toContain(id);

		const [again] = await runNode({
			parameters: { ...parameters, operation: 'upsert', name: 'Renamed' },
			credentials,
		});
		expect(again.json).toMatchObject({ dsLeadOpportunityId: id, action: 'update' });
		expect(sandbox.admin.getLead(id)?.name).toBe('Renamed');
		const [fresh] = await runNode({
			parameters: { ...parameters, operation: 'upsert', partnerLeadOpportunityId: 'RT-0002' },
			credentials,
		});
		expect(fresh.json).toMatchObject({ partnerLeadOpportunityId: 'RT-0002', action: 'create' });
		expect(sandbox.admin.violations()).toEqual([]);
	});

	it('finds the unassigned marketing leads 3DS creates', async () => {
		const leads = sandbox.admin.createMarketingLeads(3, { emptyPartnerId: true });
		const found = await runNode({
			parameters: lead('search', {
				filters: {
					unassignedOnly: true,
					modifiedAfter: new Date(Date.now() - 3_600_000).toISOString(),
				},
				output: 'ids',
				returnAll: true,
			}),
			credentials,
		});
		expect(found.map((item) => item.json.dsLeadOpportunityId)).toEqual(
			expect.arrayContaining(leads.map((l) => l.dsLeadOpportunityId)),
		);
	});

	it('pages through every portfolio item', async () => {
		const output = await runNode({
			parameters: {
				resource: 'portfolioItem',
				operation: 'getMany',
				returnAll: true,
				filters: {},
				simplify: false,
			},
			credentials,
		});
		const all = sandbox.admin.portfolioItems();
		expect(output).toHaveLength(all.length);
		expect(output.map((item) => item.json.salesPortfolioId)).toEqual(
			all.map((item) => item.salesPortfolioId),
		);
	});

	it('reaches the quota and paces instead of failing', async () => {
		const paced = await start({ seed: 8, quota: 5, windowMs: 1000 });
		try {
			const ids = paced.admin
				.listLeads()
				.slice(0, 12)
				.map((l) => l.dsLeadOpportunityId);
			const started = Date.now();
			const output = await runNode({
				parameters: (i) => lead('get', { dsLeadOpportunityId: ids[i] }),
				items: ids.map(() => ({ json: {} })),
				credentials: testCredentials({ baseUrl: paced.url, apiKey: 'sandbox-key' }),
			});
			const elapsed = Date.now() - started;
			expect(output.map((item) => item.json.dsLeadOpportunityId)).toEqual(ids);
			const { rateLimited } = paced.admin.counters();
			console.log(`pacing: 12 GETs at 5 per 1 s in ${elapsed} ms, ${rateLimited} 429s`);
			// 12 requests at 5 per window need at least two resets; pacing leaves no 429 for sequential items.
			expect(elapsed).toBeGreaterThanOrEqual(1500);
			expect(rateLimited).toBe(0);
		} finally {
			await paced.stop();
		}
	});
});
