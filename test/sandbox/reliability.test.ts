/**
 * Nothing lost or doubled under faults: 1,000 "Create or Update" items against a sandbox that
 * answers 10 % 503, 5 % spurious 429, 2 % connection resets (half before the write is applied,
 * half after) and a tight quota. Waiting is on a virtual clock shared by the node's `sleep` and
 * the sandbox, so the run takes seconds while every wait is honoured as asked.
 */
import type { RunningSandbox } from '../../sandbox';
import { createParameters } from '../helpers/fixtures';
import { runNode, testCredentials } from '../helpers/n8n';
import { start } from './helpers';

const clock = { offset: 0, waits: 0 };
const now = () => Date.now() + clock.offset;

jest.mock('n8n-workflow', () => ({
	...jest.requireActual('n8n-workflow'),
	sleep: jest.fn(async (ms: number) => {
		clock.offset += Math.max(0, ms);
		clock.waits++;
		await new Promise((resolve) => setImmediate(resolve));
	}),
}));

jest.setTimeout(180_000);

const MARKER_KEY = 'marker-key-7f3a9c0e5d1b';
const ITEMS = 1000;
const EXISTING = 200;

describe('bulk Create or Update under faults', () => {
	let sandbox: RunningSandbox;
	beforeAll(async () => {
		sandbox = await start({ seed: 42, now, apiKeys: [MARKER_KEY], quota: 50, windowMs: 2000 });
	});
	afterAll(async () => await sandbox.stop());

	it('ends every item as exactly one success or error item, in order, and the store as expected', async () => {
		const credentials = testCredentials({ baseUrl: sandbox.url, apiKey: MARKER_KEY });
		const partnerId = (i: number) => `BULK-${String(i).padStart(4, '0')}`;
		const offer = sandbox.admin.portfolioItems()[5].salesPortfolioId;
		const parameters = (name: string) => (i: number) =>
			createParameters({
				operation: 'upsert',
				partnerLeadOpportunityId: partnerId(i),
				name: `${name} ${i}`,
				offerLines: { offerLine: [{ offerNameId: offer, amount: i, revenueType: 'PxC' }] },
			});
		// Some lead-opportunities exist before the sync, so both paths of the upsert run.
		await runNode({
			parameters: parameters('Before'),
			items: Array.from({ length: EXISTING }, () => ({ json: {} })),
			credentials,
		});

		sandbox.admin.configure({
			faults: {
				unavailable: { probability: 0.1 },
				rateLimited: { probability: 0.05 },
				resetBeforeWrite: { probability: 0.01 },
				resetAfterWrite: { probability: 0.01 },
			},
		});
		const before = sandbox.admin.counters();
		const output = await runNode({
			parameters: parameters('Synced'),
			items: Array.from({ length: ITEMS }, () => ({ json: {} })),
			credentials,
			continueOnFail: true,
		});
		const after = sandbox.admin.counters();
		const faults = Object.fromEntries(
			Object.entries(after.faults).map(([k, v]) => [
				k,
				v - before.faults[k as keyof typeof before.faults],
			]),
		);
		const errors = output.filter((item) => item.json.error !== undefined);

		// One output item per input item, in input order, each paired with its input.
		expect(output).toHaveLength(ITEMS);
		expect(output.map((item) => item.pairedItem)).toEqual(
			Array.from({ length: ITEMS }, (_, i) => ({ item: i })),
		);
		expect(errors).toEqual([]);
		output.forEach((item, i) =>
			expect(item.json).toMatchObject({
				partnerLeadOpportunityId: partnerId(i),
				action: i < EXISTING ? 'update' : 'create',
			}),
		);

		// The store holds each partner id once, with the fields as sent.
		const bulk = sandbox.admin
			.listLeads()
			.filter((l) => l.partnerLeadOpportunityId?.startsWith('BULK-'));
		const byPartner = new Map<string, number>();
		for (const l of bulk)
			byPartner.set(
				l.partnerLeadOpportunityId as string,
				(byPartner.get(l.partnerLeadOpportunityId as string) ?? 0) + 1,
			);
		const duplicates = [...byPartner.values()].filter((n) => n > 1).length;
		const missing = Array.from({ length: ITEMS }, (_, i) => partnerId(i)).filter(
			(id) => !byPartner.has(id),
		).length;
		expect(duplicates).toBe(0);
		expect(missing).toBe(0);
		expect(bulk).toHaveLength(ITEMS);
		for (const [i, item] of output.entries()) {
			const stored = sandbox.admin.getLead(item.json.dsLeadOpportunityId as string);
			expect(stored).toMatchObject({
				partnerLeadOpportunityId: partnerId(i),
				name: `Synced ${i}`,
				currency: 'EUR',
			});
			expect(stored?.offerLines?.[0]).toMatchObject({ offerNameId: offer, amount: i });
		}
		expect(sandbox.admin.violations()).toEqual([]);

		// The marker key appears nowhere in what the node produced.
		expect(JSON.stringify(output)).not.toContain(MARKER_KEY);

		const requests =
			Object.values(after.requests).reduce((a, b) => a + b, 0) -
			Object.values(before.requests).reduce((a, b) => a + b, 0);
		console.log(
			`reliability: ${ITEMS} items, ${requests} requests, faults injected ${JSON.stringify(faults)}, quota 429s ${after.rateLimited - before.rateLimited}, ` +
				`errors ${errors.length}, duplicates ${duplicates}, missing ${missing}, virtual wait ${Math.round(clock.offset / 1000)} s`,
		);
		expect(faults.unavailable).toBeGreaterThan(100);
		expect(faults.resetAfterWrite).toBeGreaterThan(5);
	});
});
