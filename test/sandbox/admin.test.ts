// The admin API, in process (startSandbox's `admin`) and over HTTP under /__sandbox/.
import { SandboxAdminError } from '../../sandbox';
import {
	call,
	createBodyV1,
	partnerId,
	patchBody,
	SEARCH,
	useSandbox,
	V0,
	V1,
	window,
} from './helpers';

const T0 = Date.parse('2025-08-10T12:00:00.000Z');

describe('admin', () => {
	const env = useSandbox({ clock: T0, reset: true });
	const admin = (method: string, path: string, body?: unknown) =>
		call(env.sandbox.url, method, `/__sandbox${path}`, { body, key: null });
	const search = async (...data: unknown[]) =>
		(await call(env.sandbox.url, 'POST', SEARCH, { body: { data } })).body.data[0]
			.dsLeadOpportunityId as string[];

	describe('in process', () => {
		test('changeLead applies a 3DS change, bumps modifiedDate and logs it', () => {
			const lead = env.sandbox.admin.listLeads().find((l) => l.status === 'OPPY_OPEN')!;
			env.clock = T0 + 5_000;
			const entry = env.sandbox.admin.changeLead(lead.dsLeadOpportunityId, { status: 'WON' });
			expect(entry).toEqual({
				id: lead.dsLeadOpportunityId,
				modifiedDate: '2025-08-10T12:00:05.000Z',
				change: 'status',
			});
			expect(env.sandbox.admin.getLead(lead.dsLeadOpportunityId)).toMatchObject({
				status: 'WON',
				forecastCategory: 'WON',
				modifiedDate: entry.modifiedDate,
			});
			const combined = env.sandbox.admin.changeLead(lead.dsLeadOpportunityId, {
				dsOwnerEmail: 'new.owner@3ds.com',
				nextMilestone: 'Kick-off',
				nextMilestoneDate: '2025-09-01T09:00:00Z',
			});
			expect(combined.change).toBe('owner+nextMilestone');
			expect(env.sandbox.admin.getLead(lead.dsLeadOpportunityId)).toMatchObject({
				dsOwnerEmail: 'new.owner@3ds.com',
				nextMilestone: 'Kick-off',
				nextMilestoneDate: '2025-09-01T09:00:00.000Z',
			});
		});

		test('changeLead refuses unknown ids and bad input', () => {
			const id = env.sandbox.admin.listLeads()[0].dsLeadOpportunityId;
			expect(() => env.sandbox.admin.changeLead('NOPE-000000', { status: 'WON' })).toThrow(
				SandboxAdminError,
			);
			expect(() => env.sandbox.admin.changeLead(id, { status: 'DONE' as never })).toThrow(
				'status must be one of',
			);
			expect(() => env.sandbox.admin.changeLead(id, {})).toThrow('at least one');
			expect(() => env.sandbox.admin.changeLead(id, { nextMilestoneDate: 'soon' })).toThrow(
				'date-time',
			);
		});

		test('randomChanges changes N distinct leads, the same ones for the same seed', async () => {
			env.clock = T0 + 60_000;
			const entries = env.sandbox.admin.randomChanges(12, 99);
			expect(entries).toHaveLength(12);
			expect(new Set(entries.map((e) => e.id)).size).toBe(12);
			for (const entry of entries) {
				expect(entry.modifiedDate).toBe('2025-08-10T12:01:00.000Z');
				expect(entry.change).toMatch(/^(status|owner|nextMilestone)$/);
				expect(env.sandbox.admin.getLead(entry.id)!.modifiedDate).toBe(entry.modifiedDate);
			}
			const afterFirst = env.sandbox.admin.listLeads();
			env.clock = T0; // the seeded dates are relative to the clock at reset
			env.sandbox.admin.reset();
			env.clock = T0 + 60_000;
			expect(env.sandbox.admin.randomChanges(12, 99)).toEqual(entries);
			expect(env.sandbox.admin.listLeads()).toEqual(afterFirst);
			// What a polling trigger would find: exactly the changed leads.
			expect((await search(window('2025-08-10T12:00:30Z', '2025-08-10T12:01:00Z'))).sort()).toEqual(
				entries.map((e) => e.id).sort(),
			);
		});

		test('createMarketingLeads adds unassigned leads that search "" finds', async () => {
			const empty = env.sandbox.admin.createMarketingLeads(2, { emptyPartnerId: true });
			const absent = env.sandbox.admin.createMarketingLeads(1, { emptyPartnerId: false });
			expect(empty.map((l) => l.partnerLeadOpportunityId)).toEqual(['', '']);
			expect(absent[0]).not.toHaveProperty('partnerLeadOpportunityId');
			for (const lead of [...empty, ...absent])
				expect(lead).toMatchObject({
					status: 'LEAD_OPEN',
					createdDate: '2025-08-10T12:00:00.000Z',
					partnerContact: null,
				});
			const found = await search({ partnerLeadOpportunityId: '' });
			for (const lead of [...empty, ...absent]) expect(found).toContain(lead.dsLeadOpportunityId);
			expect(env.sandbox.admin.changes().map((c) => c.change)).toEqual([
				'marketing-lead',
				'marketing-lead',
				'marketing-lead',
			]);
			const res = await call(
				env.sandbox.url,
				'GET',
				`${V1}/leads-opportunities/${absent[0].dsLeadOpportunityId}`,
			);
			expect(res.status).toBe(200);
		});

		test('the change log records creates, updates and admin changes in order, as GET sees them', async () => {
			const pid = partnerId();
			env.clock = T0 + 1;
			const created = (
				await call(env.sandbox.url, 'POST', `${V0}/leads-opportunities`, {
					body: createBodyV1(pid, { offerLines: [{ offerNameId: 'X' }] }),
				})
			).body.dsLeadOpportunityId;
			env.clock = T0 + 2;
			await call(env.sandbox.url, 'PATCH', `${V1}/leads-opportunities/${created}`, {
				body: patchBody(pid, { name: 'renamed' }),
			});
			env.clock = T0 + 3;
			env.sandbox.admin.changeLead(created, { status: 'QUALIFIED' });
			// A rejected write is not a change.
			await call(env.sandbox.url, 'POST', `${V1}/leads-opportunities`, { body: createBodyV1(pid) });
			expect(env.sandbox.admin.changes()).toEqual([
				{ id: created, modifiedDate: '2025-08-10T12:00:00.001Z', change: 'create' },
				{ id: created, modifiedDate: '2025-08-10T12:00:00.002Z', change: 'update' },
				{ id: created, modifiedDate: '2025-08-10T12:00:00.003Z', change: 'status' },
			]);
			const got = await call(env.sandbox.url, 'GET', `${V1}/leads-opportunities/${created}`);
			expect(got.body.data.leadOpportunity.modifiedDate).toBe('2025-08-10T12:00:00.003Z');
		});

		test('counters: requests per operation, statuses, 429s, faults, resets', async () => {
			const resetsBefore = env.sandbox.admin.counters().resets;
			env.sandbox.admin.configure({
				faults: { unavailable: { probability: 1, operations: ['search'] } },
			});
			await call(env.sandbox.url, 'POST', SEARCH, {
				body: { data: [{ partnerLeadOpportunityId: 'X' }] },
			});
			await call(env.sandbox.url, 'GET', `${V1}/leads-opportunities/NOPE`);
			await call(env.sandbox.url, 'GET', `${V1}/leads-opportunities/NOPE`, { key: null });
			await call(env.sandbox.url, 'GET', `${V1}/leads-opportunities/NOPE`, { key: 'wrong' });
			await call(env.sandbox.url, 'GET', '/nowhere');
			const counters = env.sandbox.admin.counters();
			expect(counters).toEqual({
				requests: { searchLeadsOpportunities: 1, getLeadsOpportunities_v1: 3 },
				statuses: { 503: 1, 500: 1, 401: 1, 403: 1 },
				unauthorized: 1,
				forbidden: 1,
				notFound: 1,
				rateLimited: 0,
				rateLimitedPerWindow: [],
				faults: {
					unavailable: 1,
					rateLimited: 0,
					resetBeforeWrite: 0,
					resetAfterWrite: 0,
					latency: 0,
				},
				resets: resetsBefore,
				connections: 5,
			});
			env.sandbox.admin.reset();
			expect(env.sandbox.admin.counters()).toMatchObject({
				requests: {},
				resets: resetsBefore + 1,
			});
		});

		test('getLead returns a copy, and undefined for an unknown id', () => {
			const [lead] = env.sandbox.admin.listLeads();
			const copy = env.sandbox.admin.getLead(lead.dsLeadOpportunityId)!;
			copy.name = 'mutated';
			expect(env.sandbox.admin.getLead(lead.dsLeadOpportunityId)!.name).toBe(lead.name);
			expect(env.sandbox.admin.getLead('NOPE')).toBeUndefined();
		});
	});

	describe('over HTTP, without an API key', () => {
		test('GET /__sandbox/ lists the routes', async () => {
			const res = await admin('GET', '/');
			expect(res.status).toBe(200);
			expect(res.body.routes).toContain('POST /__sandbox/reset');
		});

		test('reset and seed', async () => {
			const initial = env.sandbox.admin.listLeads();
			env.sandbox.admin.randomChanges(3);
			expect((await admin('POST', '/reset')).body).toEqual({ reset: true, seed: 1 });
			expect(env.sandbox.admin.listLeads()).toEqual(initial);
			expect((await admin('POST', '/seed', { seed: 2 })).body).toEqual({ reset: true, seed: 2 });
			expect(env.sandbox.admin.listLeads()).not.toEqual(initial);
			expect((await admin('POST', '/seed', {})).status).toBe(400);
			await admin('POST', '/seed', { seed: 1 });
		});

		test('config and counters', async () => {
			expect((await admin('GET', '/config')).body).toEqual({
				seed: 1,
				apiKeys: ['sandbox-key'],
				quota: 1000,
				windowMs: 60000,
				faults: {},
				days: 'as-sent',
				rateLimitHeaders: 'seconds',
			});
			const updated = await admin('POST', '/config', {
				quota: 5,
				apiKeys: ['sandbox-key', 'second'],
			});
			expect(updated.body).toMatchObject({ quota: 5, apiKeys: ['sandbox-key', 'second'] });
			const res = await call(
				env.sandbox.url,
				'GET',
				'/sales/api4partners/v0/portfolio-items/search?top=1',
				{ key: 'second' },
			);
			expect(res.headers['x-ratelimit-limit']).toBe('5');
			expect((await admin('GET', '/counters')).body.requests).toEqual({ searchPortfolioItems: 1 });
		});

		test('leads: list, read one, change one', async () => {
			const list = (await admin('GET', '/leads')).body;
			expect(list).toHaveLength(300);
			const id = list[0].dsLeadOpportunityId;
			expect((await admin('GET', `/leads/${id}`)).body).toEqual(list[0]);
			expect((await admin('GET', '/leads/NOPE')).status).toBe(404);
			env.clock = T0 + 1000;
			const changed = await admin('POST', `/leads/${id}/change`, { dsOwnerEmail: 'psm@3ds.com' });
			expect(changed.body).toEqual({
				id,
				modifiedDate: '2025-08-10T12:00:01.000Z',
				change: 'owner',
			});
			expect((await admin('POST', `/leads/${id}/change`, { status: 'NOPE' })).status).toBe(400);
			expect((await admin('POST', '/leads/NOPE/change', { status: 'WON' })).status).toBe(404);
		});

		test('random changes, marketing leads and the change log', async () => {
			const changes = await admin('POST', '/random-changes', { count: 4, seed: 3 });
			expect(changes.body).toHaveLength(4);
			const marketing = await admin('POST', '/marketing-leads', { count: 2 });
			expect(marketing.body).toHaveLength(2);
			const log = (await admin('GET', '/changes')).body;
			expect(log).toHaveLength(6);
			expect(log.slice(0, 4)).toEqual(changes.body);
			expect(log.slice(4).map((e: { change: string }) => e.change)).toEqual([
				'marketing-lead',
				'marketing-lead',
			]);
			expect((await admin('POST', '/marketing-leads', { count: 0 })).status).toBe(400);
		});

		test('violations, bad JSON and unknown admin routes', async () => {
			expect((await admin('GET', '/violations')).body).toEqual([]);
			const bad = await call(env.sandbox.url, 'POST', '/__sandbox/config', { raw: '{', key: null });
			expect(bad.status).toBe(400);
			expect((await admin('GET', '/nothing')).status).toBe(404);
		});
	});
});
