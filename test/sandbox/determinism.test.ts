// Same seed (and clock) → same store, same ids, same fault sequence; the seeded store looks like
// a partner's pipeline over the last 120 days.
import type { RunningSandbox } from '../../sandbox';
import { callOrReset, createBodyV1, start, V1 } from './helpers';

const NOW = Date.parse('2025-08-10T12:00:00.000Z');
const DAY = 24 * 3600_000;

describe('determinism under a seed', () => {
	const running: RunningSandbox[] = [];
	const open = async (seed: number, extra: object = {}) => {
		const sandbox = await start({ seed, now: () => NOW, ...extra });
		running.push(sandbox);
		return sandbox;
	};
	afterAll(() => Promise.all(running.map((s) => s.stop())));

	test('the same seed gives the same store and catalog; another seed does not', async () => {
		const [a, b, c] = [await open(42), await open(42), await open(43)];
		// Compared as JSON: deep equality over 3,000 items is slow in expect.
		const leads = (s: RunningSandbox) => JSON.stringify(s.admin.listLeads());
		const catalog = (s: RunningSandbox) => JSON.stringify(s.admin.portfolioItems());
		expect(leads(b)).toBe(leads(a));
		expect(catalog(b)).toBe(catalog(a));
		expect(leads(c)).not.toBe(leads(a));
		expect(catalog(c)).not.toBe(catalog(a));
	});

	test('reset goes back to the seeded state; reseed equals a start with that seed', async () => {
		const a = await open(5);
		const initial = a.admin.listLeads();
		a.admin.randomChanges(10);
		a.admin.createMarketingLeads(2);
		a.admin.reset();
		expect(a.admin.listLeads()).toEqual(initial);
		expect(a.admin.changes()).toEqual([]);
		a.admin.reseed(43);
		expect(a.admin.listLeads()).toEqual((await open(43)).admin.listLeads());
	});

	test('the same seed gives the same created ids and the same fault sequence', async () => {
		const faults = {
			unavailable: { probability: 0.2 },
			rateLimited: { probability: 0.1 },
			resetBeforeWrite: { probability: 0.1 },
			resetAfterWrite: { probability: 0.1 },
			latency: { distribution: 'uniform' as const, minMs: 0, maxMs: 3, probability: 0.5 },
		};
		const run = async (sandbox: RunningSandbox) => {
			const outcomes: Array<string | number> = [];
			for (let i = 0; i < 40; i++) {
				const res = await callOrReset(sandbox.url, 'POST', `${V1}/leads-opportunities`, {
					body: createBodyV1(`DET-${i}`),
				});
				outcomes.push(
					res === 'reset'
						? 'reset'
						: res.status === 201
							? res.body.dsLeadOpportunityId
							: res.status,
				);
			}
			return { outcomes, counters: sandbox.admin.counters().faults };
		};
		const first = await run(await open(7, { faults }));
		const second = await run(await open(7, { faults }));
		expect(second).toEqual(first);
		expect(
			new Set(first.outcomes.map((o) => (typeof o === 'string' && o !== 'reset' ? 'id' : o))),
		).toEqual(new Set(['id', 'reset', 503, 429]));
		expect((await run(await open(8, { faults }))).outcomes).not.toEqual(first.outcomes);
	});

	test('the fault sequence starts over on reset', async () => {
		const sandbox = await open(11, { faults: { unavailable: { probability: 0.5 } } });
		const statuses = async () => {
			const out: Array<number | 'reset'> = [];
			for (let i = 0; i < 12; i++) {
				const res = await callOrReset(
					sandbox.url,
					'GET',
					`/sales/api4partners/v0/leads-opportunities/X`,
				);
				out.push(res === 'reset' ? res : res.status);
			}
			return out;
		};
		const before = await statuses();
		sandbox.admin.reset();
		expect(await statuses()).toEqual(before);
		expect(before).toContain(503);
		expect(before).toContain(500);
	});

	describe('the seeded store', () => {
		let sandbox: RunningSandbox;
		beforeAll(async () => {
			sandbox = await open(1);
		});

		test('has a few hundred leads with 3DS ids, created and modified over the last 120 days', () => {
			const leads = sandbox.admin.listLeads();
			expect(leads).toHaveLength(300);
			expect(new Set(leads.map((l) => l.dsLeadOpportunityId)).size).toBe(300);
			const misfits = leads.filter((lead) => {
				const created = Date.parse(lead.createdDate);
				const modified = Date.parse(lead.modifiedDate);
				return (
					!/^[A-Z0-9]{4}-[A-Z0-9]{6}$/.test(lead.dsLeadOpportunityId) ||
					!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(lead.modifiedDate) ||
					created < NOW - 120 * DAY ||
					modified < created ||
					modified > NOW
				);
			});
			expect(misfits).toEqual([]);
			// Spread: recent changes for polling, old ones for catch-up.
			expect(
				leads.filter((l) => Date.parse(l.modifiedDate) > NOW - 7 * DAY).length,
			).toBeGreaterThan(20);
			expect(
				leads.filter((l) => Date.parse(l.modifiedDate) < NOW - 60 * DAY).length,
			).toBeGreaterThan(20);
		});

		test('has every status, unique partner ids, and unassigned marketing leads of both shapes', () => {
			const leads = sandbox.admin.listLeads();
			expect(new Set(leads.map((l) => l.status)).size).toBe(8);
			const partnerIds = leads.map((l) => l.partnerLeadOpportunityId).filter(Boolean);
			expect(new Set(partnerIds).size).toBe(partnerIds.length);
			const unassigned = leads.filter((l) => !l.partnerLeadOpportunityId);
			expect(unassigned.length).toBeGreaterThan(15);
			expect(unassigned.filter((l) => l.partnerLeadOpportunityId === '').length).toBeGreaterThan(3);
			expect(unassigned.filter((l) => !('partnerLeadOpportunityId' in l)).length).toBeGreaterThan(
				3,
			);
			expect(
				unassigned.every(
					(l) => l.cometCampaignCode && ['LEAD_OPEN', 'QUALIFIED'].includes(l.status),
				),
			).toBe(true);
		});

		test('offer lines point at orderable portfolio items and use every revenue type', () => {
			const orderable = new Set(
				sandbox.admin
					.portfolioItems()
					.filter((i) => i.salesPortfolioisOrderable)
					.map((i) => i.salesPortfolioId),
			);
			const lines = sandbox.admin.listLeads().flatMap((l) => l.offerLines);
			expect(lines.every((line) => orderable.has(line.offerNameId))).toBe(true);
			expect(new Set(lines.map((line) => line.revenueType))).toEqual(
				new Set(['PxC', 'YxC', 'QxC', 'SxC', 'SUPPORT_SERVICES', 'EMPTY']),
			);
			expect(
				lines
					.filter((line) => line.revenueType === 'YxC')
					.every((line) => line.startDate && line.endDate),
			).toBe(true);
			const currencies = new Set(Intl.supportedValuesOf('currency'));
			expect(sandbox.admin.listLeads().every((l) => currencies.has(l.currency))).toBe(true);
		});
	});
});
