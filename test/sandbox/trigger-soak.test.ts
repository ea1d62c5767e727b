// The trigger against the sandbox over real HTTP, in simulated time, while the sandbox's admin API
// changes leads as 3DS would (between polls, during polls, some committed late into the past),
// with faults injected. Several triggers poll side by side; what each emitted must equal the
// sandbox's change log exactly, and each reports its failed polls (error executions), the polls a
// fault ended quietly and the requests it spent per emitted event.
//
// Two scenarios:
// 1. 200 rounds of 1-10 minutes with 503s, spurious 429s (short resets), connection resets and a
//    deactivation gap of 9 days.
// 2. Issue 17: polls every 10 s to 2 min, 5 % of calls answered 429 with resets of up to 60 s
//    and 5 % answered 503, n8n restarts (static data reloaded as n8n saved it), and two outages
//    (every call 503) of 25 minutes: at most 1 failed poll per 10, exactly one per outage.
//
// Besides the change events (Lead-Opportunity Updated, New Unassigned Lead), scenario 1 runs the
// events that compare fields (Status Changed, to WON, Won or Lost, Field Changed) and Created:
// each must emit exactly its events, and every item's changedFields and previous values must be
// the truth of the sandbox (an event for a field that did not change is phantom).
//
// One rule keeps the log observable: a lead is not changed again until every trigger has finished
// a complete poll started after its last change (3DS keeps only the current version of a lead, so
// two changes between two looks can only ever be seen as one, by any client).
import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { pollTrigger, type PollOutcome } from '../../nodes/DassaultSalesTrigger/poll';
import {
	MAX_KEPT_VALUE_LENGTH,
	WATCHABLE_FIELDS,
} from '../../nodes/DassaultSalesTrigger/watchedFields';
import { type RunningSandbox, startSandbox } from '../../sandbox';
import type { FaultsConfig } from '../../sandbox/faults';
import { Rng } from '../../sandbox/prng';
import { LEAD_STATUSES, type LeadStatus } from '../../sandbox/types';
import { testCredentials, type SentRequest } from '../helpers/n8n';
import { N8nStaticData, pollFunctions } from '../helpers/poll';

jest.setTimeout(180_000);

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const MAX_LAG_MS = 45_000; // commit lag and clock skew, under the trigger's 60 s overlap
const SIM_START = Date.parse('2025-09-01T08:00:00.000Z');
const OWNERS = [
	'anna.keller@3ds.com',
	'paul.martin@3ds.com',
	'li.wei@3ds.com',
	'sara.costa@3ds.com',
];
const FILTER: LeadStatus[] = ['QUALIFIED', 'WON', 'LOST', 'VALIDATED'];
const iso = (ms: number) => new Date(ms).toISOString();
const keyOf = (id: string, modifiedDate: string) => `${id}@${modifiedDate}`;

interface Change {
	id: string;
	modifiedDate: string;
	/** Sim time the change became visible. */
	madeAt: number;
	status: string;
	unassigned: boolean;
	/** The lead before the change (undefined for a lead created by it) and after it. */
	before?: IDataObject;
	after: IDataObject;
	/** No earlier change of the lead since the activation: the triggers' first sight of it. */
	firstSight: boolean;
	created: boolean;
}

interface TriggerSpec {
	name: string;
	parameters: IDataObject;
	/** The changes it must emit (every change, or each lead once: see `once`). */
	expects: (change: Change) => boolean;
	/** The changes its searches can return (what it GETs for). */
	scope?: (change: Change) => boolean;
	/** New Unassigned Lead's default: each expected lead id once, whichever of its versions. */
	once?: boolean;
	/** The fields its items compare (their changedFields and previous values are checked). */
	watched?: readonly string[];
}

interface Scenario {
	seed: number;
	/** Sandbox quota window: a spurious 429 says "reset in 0 .. windowMs". */
	windowMs: number;
	budgetMs: number;
	rounds: number;
	/** Sim ms between the polls of a round and the next (changes fall in between). */
	interval: (round: number, rng: Rng) => number;
	changes: (round: number, rng: Rng) => number;
	faults: FaultsConfig;
	/** Rounds (inclusive) during which every call is answered 503. */
	outages?: Array<[number, number]>;
	/** Chance per round that n8n restarts (outside outages). */
	restartChance?: number;
	triggers: TriggerSpec[];
}

interface Trigger extends TriggerSpec {
	data: N8nStaticData;
	ctx: IPollFunctions;
	sent: SentRequest[];
	emitted: string[];
	/** What each emitted item said changed, by id@modifiedDate. */
	said: Map<string, IDataObject>;
	polls: number;
	/** Polls that threw: error executions in n8n. */
	failed: number;
	failedDuringOutage: number;
	/** Polls a passing fault ended early without an error. */
	faultStops: number;
	budgetStops: number;
	/** Sim time at which the last complete poll (all windows resolved) started. */
	lastCompleteStart: number;
}

interface SoakResult {
	triggers: Trigger[];
	summary: string;
}

async function soak(scenario: Scenario): Promise<SoakResult> {
	const rng = new Rng(scenario.seed);
	const clock = { sim: SIM_START, offset: 0 };
	let duringPoll: (() => void) | undefined;
	const changes = new Map<string, Change>();
	/** Lead id -> sim time of its change not yet seen by every trigger. */
	const pending = new Map<string, number>();
	let lagged = 0;
	let concurrent = 0;
	let slept = 0;
	let restarts = 0;
	let outage = false;

	const sandbox: RunningSandbox = await startSandbox({
		host: '127.0.0.1',
		port: 0,
		seed: 42,
		now: () => clock.sim + clock.offset,
		windowMs: scenario.windowMs,
		log: () => {
			clock.sim += rng.int(20, 150); // time passes while requests are served
			duringPoll?.();
		},
	});
	try {
		const triggers: Trigger[] = scenario.triggers.map((spec) => {
			const data = new N8nStaticData();
			const sent: SentRequest[] = [];
			return {
				...spec,
				data,
				sent,
				ctx: pollFunctions({
					parameters: spec.parameters,
					staticData: data.live,
					sent,
					budgetMs: scenario.budgetMs,
					credentials: testCredentials({ apiKey: 'sandbox-key', baseUrl: sandbox.url }),
				}),
				emitted: [],
				said: new Map(),
				polls: 0,
				failed: 0,
				failedDuringOutage: 0,
				faultStops: 0,
				budgetStops: 0,
				lastCompleteStart: -Infinity,
			};
		});

		const changedLeads = new Set<string>();
		const record = (id: string, modifiedDate: string, before?: IDataObject) => {
			const lead = sandbox.admin.getLead(id);
			if (!lead) throw new Error(`lead ${id} vanished`);
			changes.set(keyOf(id, modifiedDate), {
				id,
				modifiedDate,
				madeAt: clock.sim,
				status: lead.status,
				unassigned: !lead.partnerLeadOpportunityId,
				before,
				after: lead as unknown as IDataObject,
				firstSight: !changedLeads.has(id),
				created: before === undefined,
			});
			changedLeads.add(id);
			pending.set(id, clock.sim);
		};

		/** Changes one lead every trigger has seen since its last change; `lagMs` stamps it in the past. */
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
								nextMilestoneDate: iso(clock.sim + rng.int(1, 30) * DAY),
							};
			clock.offset = -lag;
			const entry = sandbox.admin.changeLead(lead.dsLeadOpportunityId, change);
			clock.offset = 0;
			if (lag > 0) lagged++;
			record(entry.id, entry.modifiedDate, lead as unknown as IDataObject);
			return true;
		};

		const createMarketingLeads = (count: number) => {
			for (const lead of sandbox.admin.createMarketingLeads(count))
				record(lead.dsLeadOpportunityId, lead.modifiedDate);
		};

		const poll = async (trigger: Trigger) => {
			const start = clock.sim;
			trigger.polls++;
			let output: INodeExecutionData[][] | null = null;
			let outcome: PollOutcome | undefined;
			try {
				output = await pollTrigger(trigger.ctx, {
					now: () => clock.sim,
					sleep: async (ms) => {
						clock.sim += ms;
						slept += ms;
					},
					onOutcome: (o) => (outcome = o),
				});
			} catch (error) {
				// n8n records an error execution; a plain Error would be stored as {}.
				expect(error).toBeInstanceOf(NodeApiError);
				trigger.data.afterPoll(null, true);
				trigger.failed++;
				if (outage) trigger.failedDuringOutage++;
				return;
			}
			trigger.data.afterPoll(output);
			const items = output?.[0] ?? [];
			const dates = items.map(
				(item) => `${item.json.modifiedDate}|${item.json.dsLeadOpportunityId}`,
			);
			expect(dates).toEqual([...dates].sort());
			for (const item of items) {
				const key = keyOf(String(item.json.dsLeadOpportunityId), String(item.json.modifiedDate));
				trigger.emitted.push(key);
				trigger.said.set(key, item.json);
			}
			if (outcome?.fault) trigger.faultStops++;
			else if (outcome?.stats.stoppedEarly) trigger.budgetStops++;
			if (trigger.data.live.cursor === iso(start)) trigger.lastCompleteStart = start;
		};

		const releaseSeen = () => {
			const seenUpTo = Math.min(...triggers.map((t) => t.lastCompleteStart));
			for (const [id, madeAt] of pending) if (madeAt < seenUpTo) pending.delete(id);
		};

		// Seeded leads were modified before SIM_START; the first activation starts later, at "now".
		clock.sim += 5 * MIN;
		for (const trigger of triggers) await poll(trigger);
		expect(triggers.map((t) => t.emitted.length)).toEqual(triggers.map(() => 0));

		const faults = (down: boolean): FaultsConfig =>
			down
				? { ...scenario.faults, unavailable: { probability: 1, operations: ['search', 'get'] } }
				: scenario.faults;
		sandbox.admin.configure({ faults: faults(false) });
		duringPoll = () => {
			// 3DS keeps working while the trigger polls; some changes commit late, stamped in the past.
			if (rng.chance(0.02)) {
				concurrent++;
				changeRandomLead(rng.chance(0.5) ? rng.int(1, MAX_LAG_MS) : 0);
			}
		};

		for (let round = 1; round <= scenario.rounds; round++) {
			const down = (scenario.outages ?? []).some(([from, to]) => round >= from && round <= to);
			if (down !== outage) {
				outage = down;
				sandbox.admin.configure({ faults: faults(down) });
			}
			const interval = scenario.interval(round, rng);
			const end = clock.sim + interval;
			const count = scenario.changes(round, rng);
			const times = Array.from({ length: count }, () => rng.int(clock.sim + 1, end - 1)).sort(
				(a, b) => a - b,
			);
			for (const at of times) {
				clock.sim = Math.max(clock.sim + 1, at);
				if (rng.chance(0.1)) createMarketingLeads(rng.int(1, 2));
				else changeRandomLead(rng.chance(0.3) ? rng.int(1, MAX_LAG_MS) : 0);
			}
			clock.sim = Math.max(clock.sim + 1, end);
			if (!outage && scenario.restartChance && rng.chance(scenario.restartChance)) {
				// n8n restarts: each trigger's static data is what n8n last saved (with items).
				restarts++;
				for (const trigger of triggers) trigger.data.restart();
			}
			for (const trigger of triggers) await poll(trigger);
			releaseSeen();
		}

		// Quiet down: no faults, no new changes, until every change has been seen by every trigger.
		duringPoll = undefined;
		outage = false;
		sandbox.admin.configure({
			faults: { unavailable: null, rateLimited: null, resetBeforeWrite: null, latency: null },
		});
		let quiet = 0;
		while (pending.size > 0 && quiet < 10) {
			quiet++;
			clock.sim += 2 * MIN;
			for (const trigger of triggers) await poll(trigger);
			releaseSeen();
		}
		expect(pending.size).toBe(0);

		// The sandbox's own log is the reference; our bookkeeping only adds each change's status.
		const log = sandbox.admin.changes();
		expect(log.map((e) => keyOf(e.id, e.modifiedDate)).sort()).toEqual([...changes.keys()].sort());
		const changeOf = (e: { id: string; modifiedDate: string }) =>
			changes.get(keyOf(e.id, e.modifiedDate)) as Change;

		const report: string[] = [];
		let requests = 0;
		let events = 0;
		for (const trigger of triggers) {
			const expectedChanges = log.filter((e) => trigger.expects(changeOf(e)));
			// Once: each lead id once (its first version the trigger saw); else each change.
			const expected = trigger.once
				? [...new Set(expectedChanges.map((e) => e.id))]
				: expectedChanges.map((e) => keyOf(e.id, e.modifiedDate));
			const got = trigger.once ? trigger.emitted.map((k) => k.split('@')[0]) : trigger.emitted;
			const counts = new Map<string, number>();
			for (const key of got) counts.set(key, (counts.get(key) ?? 0) + 1);
			const missing = expected.filter((key) => !counts.has(key));
			const expectedSet = new Set(expected);
			const duplicated = [...counts].reduce(
				(n, [key, c]) => n + (expectedSet.has(key) ? c - 1 : c),
				0,
			);
			const phantom = trigger.watched ? phantoms(trigger, changeOf) : [];
			// The state's size, scaled to 10,000 leads from the leads whose values it holds.
			const values = Object.keys((trigger.data.live.values ?? {}) as IDataObject).length;
			const stateBytes = JSON.stringify(trigger.data.live).length;
			const perTenThousand =
				values > 0
					? ` state ${stateBytes} B with ${values} leads' values, ${Math.round(((JSON.stringify(trigger.data.live.values).length / values) * 10_000) / 1024)} kB per 10,000 leads;`
					: '';
			const gets = trigger.sent.filter((r) => r.method.toUpperCase() === 'GET').length;
			const inScope = log.filter((e) => (trigger.scope ?? (() => true))(changeOf(e))).length;
			requests += trigger.sent.length;
			events += trigger.emitted.length;
			report.push(
				`${trigger.name}: ${trigger.polls} polls (${trigger.failed} failed, ${trigger.faultStops} ended quietly by a fault, ${trigger.budgetStops} budget stops), ${trigger.emitted.length}/${expected.length} events, missing ${missing.length}, duplicated ${duplicated}, phantom ${phantom.length},${perTenThousand} ${(trigger.sent.length / Math.max(1, trigger.emitted.length)).toFixed(2)} requests/event (${gets} GETs, ${trigger.sent.length - gets} searches; ${inScope} changes in scope)`,
			);
			expect({ trigger: trigger.name, missing, duplicated, phantom }).toEqual({
				trigger: trigger.name,
				missing: [],
				duplicated: 0,
				phantom: [],
			});
		}
		const counters = sandbox.admin.counters();
		const summary =
			`${scenario.rounds} rounds (+${quiet} quiet) x ${triggers.length} triggers = ${triggers.reduce((n, t) => n + t.polls, 0)} polls over ${((clock.sim - SIM_START) / DAY).toFixed(2)} simulated days, ${restarts} n8n restarts, ${(scenario.outages ?? []).length} outages; ` +
			`${log.length} changes (${lagged} committed late, ${concurrent} during polls), ${events} events, 0 missing, 0 duplicated, 0 phantom; ` +
			`${triggers.reduce((n, t) => n + t.failed, 0)} failed polls, ${triggers.reduce((n, t) => n + t.faultStops, 0)} ended quietly by a fault; ` +
			`faults seen: ${counters.faults.unavailable} x 503, ${counters.faults.rateLimited} x spurious 429, ${counters.faults.resetBeforeWrite} resets, ${counters.faults.latency} delayed, ${Math.round(slept / 1000)} s slept (simulated); ` +
			`${requests} requests for ${events} events: ${(requests / Math.max(1, events)).toFixed(2)} per event | ${report.join(' | ')}`;
		expect(sandbox.admin.violations()).toEqual([]);
		return { triggers, summary };
	} finally {
		await sandbox.stop();
	}
}

/** A value as the trigger compares it: empty (null, undefined, '') is one value. */
const norm = (value: unknown) =>
	value === null || value === undefined || value === '' ? null : JSON.stringify(value);
const differs = (c: Change, field: string) => norm(c.before?.[field]) !== norm(c.after[field]);
/** A value the trigger keeps only as a hash (watchedFields.ts): no previous value to show. */
const hashed = (value: unknown) => {
	const text = typeof value === 'string' ? value : JSON.stringify(value);
	return text.length > MAX_KEPT_VALUE_LENGTH || text.includes('|');
};

/**
 * Items whose account of the change is not the sandbox's truth: a first sight claimed for a lead
 * seen before (or the reverse), a changed field that did not change or a change left out, a
 * previous value that was not the previous one.
 */
function phantoms(trigger: Trigger, changeOf: (e: { id: string; modifiedDate: string }) => Change) {
	const wrong: string[] = [];
	for (const [key, json] of trigger.said) {
		const [id, modifiedDate] = key.split('@');
		const c = changeOf({ id, modifiedDate });
		if (json.firstSeen !== c.firstSight) {
			wrong.push(`${key}: firstSeen ${String(json.firstSeen)}`);
			continue;
		}
		if (c.firstSight) continue;
		const truth = (trigger.watched ?? []).filter((field) => differs(c, field));
		if (JSON.stringify(json.changedFields) !== JSON.stringify(truth))
			wrong.push(
				`${key}: changedFields ${JSON.stringify(json.changedFields)}, truly ${JSON.stringify(truth)}`,
			);
		const previous = (json.previous ?? {}) as IDataObject;
		for (const field of truth) {
			const was = c.before?.[field];
			if (!(field in previous) ? !hashed(was) : norm(previous[field]) !== norm(was))
				wrong.push(
					`${key}: previous.${field} ${JSON.stringify(previous[field])}, truly ${JSON.stringify(was)}`,
				);
		}
	}
	return wrong;
}

const ALL_FIELDS = WATCHABLE_FIELDS.map((field) => field.name);
/** The events that compare fields, and Created (soak 1). */
const comparing: TriggerSpec[] = [
	{
		name: 'status changed',
		parameters: { event: 'statusChanged', options: {} },
		expects: (c) => !c.firstSight && differs(c, 'status'),
		watched: ['status'],
	},
	{
		name: 'status changed to WON',
		parameters: { event: 'statusChanged', options: { toStatuses: ['WON'] } },
		expects: (c) => c.status === 'WON' && (c.firstSight || differs(c, 'status')),
		watched: ['status'],
	},
	{
		name: 'won or lost',
		parameters: { event: 'wonOrLost', options: {} },
		expects: (c) => ['WON', 'LOST'].includes(c.status) && (c.firstSight || differs(c, 'status')),
		watched: ['status'],
	},
	{
		name: 'field changed (owner, next milestone date)',
		parameters: {
			event: 'fieldChanged',
			fields: ['dsOwnerEmail', 'nextMilestoneDate'],
			options: {},
		},
		expects: (c) =>
			!c.firstSight && (differs(c, 'dsOwnerEmail') || differs(c, 'nextMilestoneDate')),
		watched: ['dsOwnerEmail', 'nextMilestoneDate'],
	},
	{
		name: 'created',
		parameters: { event: 'leadOpportunityCreated', options: {} },
		expects: (c) => c.created,
		watched: [],
	},
];

const anyChange = () => true;
const unassigned = (c: Change) => c.unassigned;
/** In both soaks: New Unassigned Lead in its default (each lead once), and a status filter. */
const onceAndStatuses: TriggerSpec[] = [
	{
		name: 'unassigned, once',
		parameters: { event: 'unassignedLead', options: {} },
		expects: unassigned,
		scope: unassigned,
		once: true,
	},
	{
		name: 'statuses',
		parameters: { event: 'leadOpportunityUpdated', options: { statuses: FILTER } },
		expects: (c) => FILTER.includes(c.status as LeadStatus),
	},
];

describe('trigger soak against the sandbox', () => {
	it('200 rounds, faults and a 9-day gap: exactly the change log, 0 missing, 0 duplicated, 0 phantom per event', async () => {
		const GAP_ROUND = 120;
		const { triggers, summary } = await soak({
			seed: 20251122,
			windowMs: 10_000, // a spurious 429 says "reset in 0-10 s": a poll waits up to 4 s, or stops
			budgetMs: 12_000, // short, so that the long catch-up meets it
			rounds: 200,
			interval: (round, rng) => (round === GAP_ROUND ? 9 * DAY : rng.int(1, 10) * MIN),
			changes: (round, rng) => (round === GAP_ROUND ? 150 : rng.int(0, 6)),
			faults: {
				unavailable: { probability: 0.04 },
				rateLimited: { probability: 0.015 },
				resetBeforeWrite: { probability: 0.02 },
				latency: { probability: 0.2, distribution: 'uniform', minMs: 0, maxMs: 10 },
			},
			triggers: [
				{
					name: 'all',
					parameters: { event: 'leadOpportunityUpdated', options: {} },
					expects: anyChange,
					watched: ALL_FIELDS,
				},
				{
					name: 'unassigned, every change, ids',
					parameters: {
						event: 'unassignedLead',
						options: { output: 'ids', emitEveryChange: true },
					},
					expects: unassigned,
					scope: unassigned,
				},
				...onceAndStatuses,
				...comparing,
			],
		});
		// eslint-disable-next-line no-console
		console.log(`trigger soak 1: ${summary}`);
		// The paths under test were taken: polls ended by a fault and resumed, polls cut short by the budget.
		expect(triggers.some((t) => t.faultStops > 0)).toBe(true);
		expect(triggers.some((t) => t.budgetStops > 0)).toBe(true);
		// Passing faults are quiet: no error execution.
		expect(triggers.map((t) => t.failed)).toEqual(triggers.map(() => 0));
	}, 400_000); // nine triggers: twice the time of the other scenario on a shared machine

	it('5 % 429 with resets up to 60 s, 5 % 503, restarts, two 25-minute outages: <= 1 failed poll in 10, one per outage', async () => {
		const OUTAGES: Array<[number, number]> = [
			[60, 84],
			[140, 164],
		];
		const inOutage = (round: number) => OUTAGES.some(([from, to]) => round >= from && round <= to);
		const { triggers, summary } = await soak({
			seed: 20251129,
			windowMs: 60_000,
			budgetMs: 45_000,
			rounds: 220,
			// Every 10 s to 2 min (as the soak), every minute through the outages.
			interval: (round, rng) => (inOutage(round) ? MIN : rng.int(1, 12) * 10_000),
			changes: (_round, rng) => rng.int(0, 4),
			faults: {
				unavailable: { probability: 0.05 },
				rateLimited: { probability: 0.05 },
				latency: { probability: 1, distribution: 'fixed', ms: 1 },
			},
			outages: OUTAGES,
			restartChance: 0.03,
			triggers: [
				{
					name: 'all',
					parameters: { event: 'leadOpportunityUpdated', options: {} },
					expects: anyChange,
				},
				...onceAndStatuses,
			],
		});
		// eslint-disable-next-line no-console
		console.log(`trigger soak 2: ${summary}`);
		for (const trigger of triggers) {
			expect({
				trigger: trigger.name,
				failed: trigger.failed,
				inOutages: trigger.failedDuringOutage,
			}).toEqual({
				trigger: trigger.name,
				failed: OUTAGES.length,
				inOutages: OUTAGES.length,
			});
			expect(trigger.failed * 10).toBeLessThanOrEqual(trigger.polls);
			expect(trigger.faultStops).toBeGreaterThan(0);
		}
	});
});
