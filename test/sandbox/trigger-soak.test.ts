// The trigger against the sandbox over real HTTP, in simulated time: 200 poll rounds while the
// sandbox's admin API changes leads as 3DS would (between polls, during polls, some committed late
// into the past), with 503s, spurious 429s, connection resets and latency injected, and a
// deactivation gap of 9 days. Three triggers poll side by side (every event, unassigned leads as
// ids only, a status filter); what each emitted must equal the sandbox's change log exactly.
//
// One rule keeps the log observable: a lead is not changed again until every trigger has finished
// a complete poll started after its last change (3DS keeps only the current version of a lead, so
// two changes between two looks can only ever be seen as one, by any client).
import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { pollTrigger } from '../../nodes/DassaultSalesTrigger/poll';
import { type RunningSandbox, startSandbox } from '../../sandbox';
import { Rng } from '../../sandbox/prng';
import { LEAD_STATUSES, type LeadStatus } from '../../sandbox/types';
import { testCredentials, type SentRequest } from '../helpers/n8n';
import { pollFunctions } from '../helpers/poll';

jest.setTimeout(120_000);

const ROUNDS = 200;
const GAP_ROUND = 120;
const GAP_CHANGES = 150;
const GAP_MS = 9 * 24 * 60 * 60 * 1000;
const MIN = 60_000;
const BUDGET_MS = 12_000; // short, so that the long catch-up meets it
const MAX_LAG_MS = 45_000; // commit lag and clock skew, under the trigger's 60 s overlap
const SIM_START = Date.parse('2025-09-01T08:00:00.000Z');
const OWNERS = [
	'anna.keller@3ds.com',
	'paul.martin@3ds.com',
	'li.wei@3ds.com',
	'sara.costa@3ds.com',
];
const FILTER: LeadStatus[] = ['QUALIFIED', 'WON', 'LOST', 'VALIDATED'];

const rng = new Rng(20251122);
const clock = { sim: SIM_START, offset: 0 };
const iso = (ms: number) => new Date(ms).toISOString();
const keyOf = (id: string, modifiedDate: string) => `${id}@${modifiedDate}`;

interface Trigger {
	name: string;
	staticData: IDataObject;
	ctx: IPollFunctions;
	sent: SentRequest[];
	emitted: string[];
	polls: number;
	failed: number;
	stoppedEarly: number;
	/** GETs sent by polls that failed (their work is redone by the next poll). */
	wastedGets: number;
	/** Distinct ids fetched per successful poll (retries of one GET counted once). */
	fetchedIds: number;
	/** Sim time at which the last complete poll (all windows resolved) started. */
	lastCompleteStart: number;
	expects: (change: Change) => boolean;
	/** The changes its searches can return (what it GETs for). */
	scope: (change: Change) => boolean;
}

interface Change {
	id: string;
	modifiedDate: string;
	/** Sim time the change became visible. */
	madeAt: number;
	status: string;
	unassigned: boolean;
}

describe('trigger soak against the sandbox', () => {
	let sandbox: RunningSandbox;
	let duringPoll: (() => void) | undefined;
	const changes = new Map<string, Change>();
	/** Lead id -> sim time of its change not yet seen by every trigger. */
	const pending = new Map<string, number>();
	let lagged = 0;
	let concurrent = 0;
	let slept = 0;

	beforeAll(async () => {
		sandbox = await startSandbox({
			host: '127.0.0.1',
			port: 0,
			seed: 42,
			now: () => clock.sim + clock.offset,
			windowMs: 10_000, // a spurious 429 says "reset in 0-10 s": a poll waits up to 4 s, or gives up
			log: () => {
				clock.sim += rng.int(20, 150); // time passes while requests are served
				duringPoll?.();
			},
		});
	});
	afterAll(() => sandbox?.stop());

	const makeTrigger = (
		name: string,
		parameters: IDataObject,
		expects: Trigger['expects'],
		scope: Trigger['scope'] = () => true,
	): Trigger => {
		const staticData: IDataObject = {};
		const sent: SentRequest[] = [];
		const ctx = pollFunctions({
			parameters,
			staticData,
			sent,
			budgetMs: BUDGET_MS,
			credentials: testCredentials({ apiKey: 'sandbox-key', baseUrl: sandbox.url }),
		});
		return {
			name,
			staticData,
			ctx,
			sent,
			emitted: [],
			polls: 0,
			failed: 0,
			stoppedEarly: 0,
			wastedGets: 0,
			fetchedIds: 0,
			lastCompleteStart: -Infinity,
			expects,
			scope,
		};
	};

	/** Changes one lead that every trigger has seen since its last change; `lagMs` stamps it in the past. */
	const changeRandomLead = (lagMs = 0): boolean => {
		const leads = sandbox.admin
			.listLeads()
			.filter((lead) => !pending.has(lead.dsLeadOpportunityId));
		if (leads.length === 0) return false;
		const lead = leads[rng.int(0, leads.length - 1)];
		// The stamp must move past the lead's current one, or 3DS would show the same version twice.
		const lag = clock.sim - lagMs > Date.parse(lead.modifiedDate) ? lagMs : 0;
		if (clock.sim <= Date.parse(lead.modifiedDate)) return false;
		const kind = rng.int(0, 2);
		const change =
			kind === 0
				? {
						status: LEAD_STATUSES.filter((s) => s !== lead.status)[
							rng.int(0, LEAD_STATUSES.length - 2)
						],
					}
				: kind === 1
					? { dsOwnerEmail: OWNERS[rng.int(0, OWNERS.length - 1)] }
					: {
							nextMilestone: `Step ${rng.int(1, 99)}`,
							nextMilestoneDate: iso(clock.sim + rng.int(1, 30) * 86_400_000),
						};
		clock.offset = -lag;
		const entry = sandbox.admin.changeLead(lead.dsLeadOpportunityId, change);
		clock.offset = 0;
		if (lag > 0) lagged++;
		record(entry.id, entry.modifiedDate);
		return true;
	};

	const record = (id: string, modifiedDate: string) => {
		const lead = sandbox.admin.getLead(id);
		if (!lead) throw new Error(`lead ${id} vanished`);
		changes.set(keyOf(id, modifiedDate), {
			id,
			modifiedDate,
			madeAt: clock.sim,
			status: lead.status,
			unassigned: !lead.partnerLeadOpportunityId,
		});
		pending.set(id, clock.sim);
	};

	const createMarketingLeads = (count: number) => {
		for (const lead of sandbox.admin.createMarketingLeads(count))
			record(lead.dsLeadOpportunityId, lead.modifiedDate);
	};

	const poll = async (trigger: Trigger) => {
		const start = clock.sim;
		const sentBefore = trigger.sent.length;
		trigger.polls++;
		let output: INodeExecutionData[][] | null;
		try {
			output = await pollTrigger(trigger.ctx, {
				now: () => clock.sim,
				sleep: async (ms) => {
					clock.sim += ms;
					slept += ms;
				},
			});
		} catch {
			trigger.failed++;
			trigger.wastedGets += trigger.sent
				.slice(sentBefore)
				.filter((r) => r.method.toUpperCase() === 'GET').length;
			return;
		}
		trigger.fetchedIds += new Set(
			trigger.sent
				.slice(sentBefore)
				.filter((r) => r.method.toUpperCase() === 'GET')
				.map((r) => r.url),
		).size;
		const items = output?.[0] ?? [];
		const dates = items.map((item) => `${item.json.modifiedDate}|${item.json.dsLeadOpportunityId}`);
		expect(dates).toEqual([...dates].sort());
		trigger.emitted.push(
			...items.map((item) =>
				keyOf(String(item.json.dsLeadOpportunityId), String(item.json.modifiedDate)),
			),
		);
		if (trigger.staticData.cursor === iso(start)) trigger.lastCompleteStart = start;
		else trigger.stoppedEarly++;
	};

	const releaseSeen = (triggers: Trigger[]) => {
		const seenUpTo = Math.min(...triggers.map((t) => t.lastCompleteStart));
		for (const [id, madeAt] of pending) if (madeAt < seenUpTo) pending.delete(id);
	};

	it('emits exactly the change log: 0 missing, 0 duplicated', async () => {
		const triggers = [
			makeTrigger('all', { event: 'leadOpportunityUpdated', options: {} }, () => true),
			makeTrigger(
				'unassigned',
				{ event: 'unassignedLead', options: { output: 'ids' } },
				(c) => c.unassigned,
				(c) => c.unassigned,
			),
			makeTrigger(
				'statuses',
				{ event: 'leadOpportunityUpdated', options: { statuses: FILTER } },
				(c) => FILTER.includes(c.status as LeadStatus),
			),
		];
		// Seeded leads were modified before SIM_START; the first activation starts later, at "now".
		clock.sim += 5 * MIN;
		for (const trigger of triggers) await poll(trigger);
		expect(triggers.map((t) => t.emitted.length)).toEqual([0, 0, 0]);

		sandbox.admin.configure({
			faults: {
				unavailable: { probability: 0.04 },
				rateLimited: { probability: 0.015 },
				resetBeforeWrite: { probability: 0.02 },
				latency: { probability: 0.2, distribution: 'uniform', minMs: 0, maxMs: 10 },
			},
		});
		duringPoll = () => {
			// 3DS keeps working while the trigger polls; some changes commit late, stamped in the past.
			if (rng.chance(0.02)) {
				concurrent++;
				changeRandomLead(rng.chance(0.5) ? rng.int(1, MAX_LAG_MS) : 0);
			}
		};

		for (let round = 1; round <= ROUNDS; round++) {
			const interval = round === GAP_ROUND ? GAP_MS : rng.int(1, 10) * MIN;
			const end = clock.sim + interval;
			const count = round === GAP_ROUND ? GAP_CHANGES : rng.int(0, 6);
			const times = Array.from({ length: count }, () => rng.int(clock.sim + 1, end - 1)).sort(
				(a, b) => a - b,
			);
			for (const at of times) {
				clock.sim = Math.max(clock.sim + 1, at);
				if (rng.chance(0.1)) createMarketingLeads(rng.int(1, 2));
				else changeRandomLead(rng.chance(0.3) ? rng.int(1, MAX_LAG_MS) : 0);
			}
			clock.sim = Math.max(clock.sim + 1, end);
			for (const trigger of triggers) await poll(trigger);
			releaseSeen(triggers);
		}

		// Quiet down: no faults, no new changes, until every change has been seen by every trigger.
		duringPoll = undefined;
		sandbox.admin.configure({
			faults: { unavailable: null, rateLimited: null, resetBeforeWrite: null, latency: null },
		});
		let quiet = 0;
		while (pending.size > 0 && quiet < 10) {
			quiet++;
			clock.sim += 2 * MIN;
			for (const trigger of triggers) await poll(trigger);
			releaseSeen(triggers);
		}
		expect(pending.size).toBe(0);

		// The sandbox's own log is the reference; our bookkeeping only adds each change's status.
		const log = sandbox.admin.changes();
		expect(log.map((e) => keyOf(e.id, e.modifiedDate)).sort()).toEqual([...changes.keys()].sort());

		const report: string[] = [];
		let totalGets = 0;
		let totalInScope = 0;
		let totalWasted = 0;
		let totalFetched = 0;
		for (const trigger of triggers) {
			const expected = log
				.filter((e) => trigger.expects(changes.get(keyOf(e.id, e.modifiedDate)) as Change))
				.map((e) => keyOf(e.id, e.modifiedDate));
			const counts = new Map<string, number>();
			for (const key of trigger.emitted) counts.set(key, (counts.get(key) ?? 0) + 1);
			const missing = expected.filter((key) => !counts.has(key));
			const expectedSet = new Set(expected);
			const duplicated = [...counts].reduce(
				(n, [key, c]) => n + (expectedSet.has(key) ? c - 1 : c),
				0,
			);
			const gets = trigger.sent.filter((r) => r.method.toUpperCase() === 'GET').length;
			const searches = trigger.sent.length - gets;
			const inScope = log.filter((e) =>
				trigger.scope(changes.get(keyOf(e.id, e.modifiedDate)) as Change),
			).length;
			totalGets += gets;
			totalWasted += trigger.wastedGets;
			totalFetched += trigger.fetchedIds;
			totalInScope += inScope;
			report.push(
				`${trigger.name}: ${trigger.polls} polls (${trigger.failed} failed, ${trigger.stoppedEarly} budget stops), ${trigger.emitted.length}/${expected.length} events, missing ${missing.length}, duplicated ${duplicated}, ${gets} GETs for ${inScope} changes in scope (${(gets / Math.max(1, inScope)).toFixed(2)}/change; ${(trigger.fetchedIds / Math.max(1, inScope)).toFixed(2)} ids fetched/change in successful polls), ${searches} searches`,
			);
			expect({ trigger: trigger.name, missing, duplicated }).toEqual({
				trigger: trigger.name,
				missing: [],
				duplicated: 0,
			});
		}
		const { faults } = sandbox.admin.counters();
		const events = triggers.reduce((n, t) => n + t.emitted.length, 0);
		// eslint-disable-next-line no-console
		console.log(
			`trigger soak: ${ROUNDS} rounds (+${quiet} quiet) x ${triggers.length} triggers = ${triggers.reduce((n, t) => n + t.polls, 0)} polls over ${((clock.sim - SIM_START) / 86_400_000).toFixed(1)} simulated days (one ${GAP_MS / 86_400_000}-day gap), ` +
				`${log.length} changes (${lagged} committed late, ${concurrent} during polls), ${events} events, 0 missing, 0 duplicated; ` +
				`faults seen: ${faults.unavailable} x 503, ${faults.rateLimited} x spurious 429, ${faults.resetBeforeWrite} resets, ${faults.latency} delayed, ${Math.round(slept / 1000)} s slept (simulated); ` +
				`${totalGets} GETs for ${totalInScope} changes in scope: ${(totalGets / Math.max(1, totalInScope)).toFixed(2)} per change, ${((totalGets - totalWasted) / Math.max(1, totalInScope)).toFixed(2)} without the polls that failed, ${(totalFetched / Math.max(1, totalInScope)).toFixed(2)} ids fetched per change in successful polls (retries counted once) | ${report.join(' | ')}`,
		);
		expect(sandbox.admin.violations()).toEqual([]);
		// The paths under test were taken: polls that failed and resumed, polls cut short by the budget.
		expect(triggers.some((t) => t.failed > 0)).toBe(true);
		expect(triggers.some((t) => t.stoppedEarly > 0)).toBe(true);
		expect(faults.unavailable * faults.rateLimited * faults.resetBeforeWrite).toBeGreaterThan(0);
	});
});
