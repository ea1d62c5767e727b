import { existsSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { DassaultSalesTrigger } from '../../nodes/DassaultSalesTrigger/DassaultSalesTrigger.node';
import { simplifyLeadOpportunity } from '../../nodes/DassaultSales/shared';
import { OVERLAP_MS } from '../../nodes/DassaultSalesTrigger/windows';
import { MAX_SEEN } from '../../nodes/DassaultSalesTrigger/state';
import { API } from '../helpers/fixtures';
import { TEST_BASE_URL } from '../helpers/n8n';
import { FakeLeadsApi, pollAt, pollFunctions, pollNode } from '../helpers/poll';

const T0 = Date.parse('2025-06-02T10:00:00.000Z');
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const keys = (output: INodeExecutionData[][] | null) =>
	(output?.[0] ?? []).map((item) => `${item.json.dsLeadOpportunityId}@${item.json.modifiedDate}`);

/** An item of a lead the trigger sees for the first time: it says so, and claims no change. */
const firstSight = (json: IDataObject) => ({
	json: { changedFields: [], previous: null, firstSeen: true, ...json },
});

/** A trigger with its own static data and clock, polling the fake API. */
function trigger(parameters: IDataObject = {}, budgetMs?: number | null) {
	const staticData: IDataObject = {};
	const clock = { now: T0 };
	const ctx = pollFunctions({
		parameters: { event: 'leadOpportunityUpdated', simplify: false, options: {}, ...parameters },
		staticData,
		budgetMs,
	});
	const api = new FakeLeadsApi(TEST_BASE_URL, API);
	return {
		staticData,
		clock,
		api,
		poll: async (at?: number) => {
			if (at !== undefined) clock.now = at;
			return await pollAt(ctx, { now: () => clock.now });
		},
		manual: async () =>
			await pollAt(
				pollFunctions({
					parameters: {
						event: 'leadOpportunityUpdated',
						simplify: false,
						options: {},
						...parameters,
					},
					staticData,
					mode: 'manual',
				}),
				{ now: () => clock.now },
			),
	};
}

describe('trigger node description', () => {
	const { description } = new DassaultSalesTrigger();

	it('is a polling trigger on the shared credential, not a tool', () => {
		expect(description).toMatchObject({
			name: 'dassaultSalesTrigger',
			displayName: 'Dassault Systèmes Sales Trigger',
			polling: true,
			inputs: [],
			outputs: ['main'],
			group: ['trigger'],
			credentials: [{ name: 'dassaultSalesApi', required: true }],
		});
		expect(description.usableAsTool).toBeUndefined();
		expect(description.subtitle).toBeTruthy();
		const icon = description.icon as { light: string; dark: string };
		for (const file of [icon.light, icon.dark]) {
			expect(
				existsSync(join(__dirname, '../../nodes/DassaultSalesTrigger', file.replace('file:', ''))),
			).toBe(true);
		}
		expect(
			existsSync(
				join(__dirname, '../../nodes/DassaultSalesTrigger/DassaultSalesTrigger.node.json'),
			),
		).toBe(true);
	});

	it('offers the six events, the fields of Field Changed and the six options', () => {
		const event = description.properties.find((p) => p.name === 'event');
		expect(event?.options?.map((o) => ('value' in o ? o.value : undefined))).toEqual([
			'fieldChanged',
			'leadOpportunityCreated',
			'leadOpportunityUpdated',
			'unassignedLead',
			'statusChanged',
			'wonOrLost',
		]);
		expect(event?.default).toBe('leadOpportunityUpdated');
		const fields = description.properties.find((p) => p.name === 'fields');
		expect(fields?.displayOptions).toEqual({ show: { event: ['fieldChanged'] } });
		expect(fields?.options?.map((o) => ('value' in o ? o.value : undefined))).toEqual(
			expect.arrayContaining(['approvalStatus', 'poStatus', 'forecastCategory', 'dsOwnerEmail']),
		);
		const options = description.properties.find((p) => p.name === 'options');
		expect(options?.options?.map((o) => o.name)).toEqual([
			'emitEveryChange',
			'statuses',
			'output',
			'startFrom',
			'startFromDateTime',
			'toStatuses',
		]);
	});
});

describe('trigger: first activation and steady polling', () => {
	it('first poll emits nothing, makes no call, and sets the cursor to now', async () => {
		const t = trigger();
		t.api.put('OLD-1', T0 - 5 * MIN);
		expect(await t.poll()).toBeNull();
		expect(t.api.calls).toEqual([]);
		expect(t.staticData).toEqual({
			version: 1,
			event: 'leadOpportunityUpdated',
			cursor: iso(T0),
			seen: {},
			since: iso(T0),
		});
	});

	it.each([
		['simplified (the default)', {}, simplifyLeadOpportunity],
		['whole with Simplify off', { simplify: false }, (record: IDataObject) => record],
		['as IDs Only whatever Simplify says', { simplify: true, options: { output: 'ids' } }, null],
	] as const)('runs through the node class with the real clock, %s', async (_, extra, shape) => {
		const now = jest.spyOn(Date, 'now').mockReturnValue(T0);
		try {
			const staticData: IDataObject = {};
			const api = new FakeLeadsApi(TEST_BASE_URL, API);
			const parameters = { event: 'leadOpportunityUpdated', options: {}, ...extra };
			const ctx = pollFunctions({ staticData, parameters });
			expect(await pollNode(ctx)).toBeNull();
			expect(staticData.cursor).toBe(iso(T0));
			const record = api.put('HCRQ-F1LLDE', T0 + 30_000);
			now.mockReturnValue(T0 + 2 * MIN);
			const json = shape
				? shape(record)
				: { dsLeadOpportunityId: 'HCRQ-F1LLDE', modifiedDate: record.modifiedDate };
			expect(await pollNode(ctx)).toEqual([[firstSight(json)]]);
			expect(staticData.cursor).toBe(iso(T0 + 2 * MIN));
		} finally {
			now.mockRestore();
		}
	});

	it('emits each change once, oldest first (modifiedDate, then id), as the full Get record', async () => {
		const t = trigger();
		await t.poll();
		const a = t.api.put('A', T0 + 70_000, { status: 'WON' });
		const c = t.api.put('C', T0 + 10_000);
		const b = t.api.put('B', T0 + 10_000);
		t.api.put('OLD', T0 - 2 * MIN);
		const out = await t.poll(T0 + 2 * MIN);
		expect(out).toEqual([[firstSight(b), firstSight(c), firstSight(a)]]);
		expect(t.api.searches().map((s) => s.detail)).toEqual([
			`${iso(T0 - OVERLAP_MS)}..${iso(T0 + 2 * MIN)}`,
		]);
		expect(t.api.searches()[0].unassigned).toBe(false);
		expect(t.staticData.cursor).toBe(iso(T0 + 2 * MIN));
		// Only what the next poll's overlap can return is remembered.
		expect(t.staticData.seen).toEqual({ A: iso(T0 + 70_000) });
	});

	it('"from now": a change made shortly before the activation is not emitted, though the overlap finds it', async () => {
		// Seen in queue mode: 300 leads written 20 s before the activation came out of its first poll.
		const t = trigger();
		t.api.put('BEFORE', T0 - 20_000);
		await t.poll(); // the activation
		const after = t.api.put('AFTER', T0 + 5_000);
		expect(await t.poll(T0 + 30_000)).toEqual([[firstSight(after)]]);
		expect(t.staticData.since).toBe(iso(T0));
		// The next overlap still reaches back before the activation: still not emitted.
		expect(await t.poll(T0 + 50_000)).toBeNull();
		// Once no overlap reaches back before the activation, the state forgets it.
		await t.poll(T0 + 3 * MIN);
		expect(t.staticData.since).toBeUndefined();
	});

	it('returns null, and moves the cursor, when nothing changed', async () => {
		const t = trigger();
		await t.poll();
		expect(await t.poll(T0 + 5 * MIN)).toBeNull();
		expect(t.staticData.cursor).toBe(iso(T0 + 5 * MIN));
		expect(t.api.gets()).toEqual([]);
	});

	it('never repeats an event of the overlap, and does not GET it again', async () => {
		const t = trigger();
		await t.poll();
		t.api.put('A', T0 + MIN + 40_000); // in the last minute before the next cursor
		t.api.put('B', T0 + MIN + 40_000); // same date: shares the cut
		t.api.put('C', T0 + 30_000); // before the overlap of the next poll
		expect(keys(await t.poll(T0 + 2 * MIN))).toEqual([
			`C@${iso(T0 + 30_000)}`,
			`A@${iso(T0 + MIN + 40_000)}`,
			`B@${iso(T0 + MIN + 40_000)}`,
		]);
		t.api.reset();
		expect(await t.poll(T0 + 3 * MIN)).toBeNull();
		// The window [cursor - 60 s, now] is cut at A's and B's date: found in the part that ends
		// there, they cannot have moved.
		expect(t.api.searches().map((s) => s.detail)).toEqual([
			`${iso(T0 + MIN)}..${iso(T0 + MIN + 40_000)}`,
			`${iso(T0 + MIN + 40_000)}..${iso(T0 + 3 * MIN)}`,
		]);
		expect(t.api.gets()).toEqual([]);
	});

	it('emits a lead modified twice twice, once per modifiedDate', async () => {
		const t = trigger();
		await t.poll();
		t.api.put('A', T0 + 30_000, { status: 'OPPY_OPEN' });
		expect(keys(await t.poll(T0 + MIN))).toEqual([`A@${iso(T0 + 30_000)}`]);
		t.api.put('A', T0 + MIN + 20_000, { status: 'VALIDATED' });
		const out = await t.poll(T0 + 2 * MIN);
		expect(keys(out)).toEqual([`A@${iso(T0 + MIN + 20_000)}`]);
		expect(out?.[0][0].json.status).toBe('VALIDATED');
		expect(await t.poll(T0 + 3 * MIN)).toBeNull();
	});

	it('catches a change committed late into the overlap of a lead it already fetched', async () => {
		// The naive rule "fetched after the cursor and absent from the newer part, so unchanged"
		// would miss this: the second change is stamped before the cursor but only became visible
		// after the poll that fetched the first one.
		const t = trigger();
		await t.poll();
		t.api.put('A', T0 + MIN + 10_000);
		expect(keys(await t.poll(T0 + 2 * MIN))).toEqual([`A@${iso(T0 + MIN + 10_000)}`]);
		t.api.put('A', T0 + MIN + 50_000, { status: 'WON' }); // committed at T0 + 2:30, stamped 1:50
		t.api.reset();
		expect(keys(await t.poll(T0 + 3 * MIN))).toEqual([`A@${iso(T0 + MIN + 50_000)}`]);
		expect(t.api.gets().map((g) => g.detail)).toEqual(['A']);
	});

	it('catches a change made while the poll runs, in the next poll, once', async () => {
		const t = trigger();
		await t.poll();
		t.api.put('A', T0 + 20_000);
		t.api.put('B', T0 + 30_000);
		t.api.beforeReply = (call) => {
			// B changes between the search and its GET, stamped before the poll's upper bound.
			if (call.kind === 'get' && call.detail === 'A')
				t.api.put('B', T0 + MIN + 55_000, { status: 'LOST' });
		};
		const first = keys(await t.poll(T0 + 2 * MIN));
		t.api.beforeReply = undefined;
		const second = keys(await t.poll(T0 + 3 * MIN));
		expect([...first, ...second].sort()).toEqual([
			`A@${iso(T0 + 20_000)}`,
			`B@${iso(T0 + MIN + 55_000)}`,
		]);
	});

	it('gets about one GET per change over many polls (exactly one here)', async () => {
		const t = trigger();
		await t.poll();
		let changes = 0;
		let emitted = 0;
		let now = T0;
		for (let i = 0; i < 30; i++) {
			const next = now + MIN;
			// Three changes per minute, one in the last seconds before the poll, two sharing a date.
			t.api.put(`L${i % 7}`, now + 5_000 + (i % 3));
			t.api.put(`M${i % 5}`, next - 2_000);
			t.api.put(`N${i % 4}`, next - 2_000);
			changes += 3;
			emitted += keys(await t.poll(next)).length;
			now = next;
		}
		expect(emitted).toBe(changes);
		expect(t.api.gets()).toHaveLength(changes);
		// One search for the new part, one per remembered date in the overlap.
		expect(t.api.searches().length).toBeLessThanOrEqual(30 * 3);
	});
});

describe('trigger: options and events', () => {
	it('looks back when asked to, on the first activation only', async () => {
		const t = trigger({ options: { startFrom: 'lastDay' } });
		t.api.put('A', T0 - 23 * 60 * MIN);
		t.api.put('B', T0 - 25 * 60 * MIN);
		expect(keys(await t.poll())).toEqual([`A@${iso(T0 - 23 * 60 * MIN)}`]);
		expect(t.api.searches().map((s) => s.detail)).toEqual([
			`${iso(T0 - 24 * 60 * MIN)}..${iso(T0)}`,
		]);
		expect(t.staticData.cursor).toBe(iso(T0));
		expect(await t.poll(T0 + MIN)).toBeNull();
	});

	it('looks back 30 days in 7-day windows', async () => {
		const t = trigger({ options: { startFrom: 'last30Days' } });
		const ids = [29, 22, 15, 8, 1].map(
			(days) => t.api.put(`D${days}`, T0 - days * 24 * 60 * MIN).dsLeadOpportunityId,
		);
		expect(keys(await t.poll()).map((k) => k.split('@')[0])).toEqual(ids);
		const windows = t.api.searches().map((s) => s.detail.split('..').map(Date.parse));
		expect(windows).toHaveLength(5);
		expect(windows[0][0]).toBe(T0 - 30 * 24 * 60 * MIN);
		expect(windows[4][1]).toBe(T0);
		for (const [i, [from, to]] of windows.entries()) {
			expect(to - from).toBeLessThanOrEqual(7 * 24 * 60 * MIN);
			if (i > 0) expect(from).toBe(windows[i - 1][1]);
		}
	});

	it('New Unassigned Lead searches for an empty partner id and skips leads claimed meanwhile', async () => {
		const t = trigger({ event: 'unassignedLead' });
		await t.poll();
		const lead = t.api.put('MKT-1', T0 + 10_000, { partnerLeadOpportunityId: '' });
		t.api.put('MKT-2', T0 + 20_000, { partnerLeadOpportunityId: undefined });
		t.api.put('CRM-1', T0 + 30_000);
		t.api.beforeReply = (call) => {
			// The partner claims MKT-2 between the search and the GET.
			if (call.kind === 'get' && call.detail === 'MKT-2')
				t.api.put('MKT-2', T0 + MIN + 30_000, { partnerLeadOpportunityId: 'OPPY-9' });
		};
		expect(await t.poll(T0 + 2 * MIN)).toEqual([[{ json: lead }]]);
		expect(t.api.searches().every((s) => s.unassigned)).toBe(true);
		expect(
			t.api
				.gets()
				.map((g) => g.detail)
				.sort(),
		).toEqual(['MKT-1', 'MKT-2']);
	});

	it('a state kept for another event starts afresh', async () => {
		const t = trigger();
		await t.poll();
		const other = pollFunctions({
			parameters: { event: 'unassignedLead', simplify: false, options: {} },
			staticData: t.staticData,
		});
		t.api.put('MKT-1', T0 + 10_000, { partnerLeadOpportunityId: '' });
		expect(await pollAt(other, { now: () => T0 + MIN })).toBeNull();
		expect(t.staticData).toMatchObject({ event: 'unassignedLead', cursor: iso(T0 + MIN) });
	});

	it('emits only the chosen statuses, and remembers the others without fetching them again', async () => {
		const t = trigger({ options: { statuses: ['WON', 'LOST'] } });
		await t.poll();
		const won = t.api.put('A', T0 + MIN + 30_000, { status: 'WON' });
		t.api.put('B', T0 + MIN + 40_000, { status: 'OPPY_OPEN' });
		expect(await t.poll(T0 + 2 * MIN)).toEqual([[firstSight(won)]]);
		t.api.reset();
		expect(await t.poll(T0 + 3 * MIN)).toBeNull();
		expect(t.api.gets()).toEqual([]);
		const lost = t.api.put('B', T0 + 3 * MIN + 5_000, { status: 'LOST' });
		// B was seen (and left out) before: its item says what changed since that version.
		expect(await t.poll(T0 + 4 * MIN)).toEqual([
			[
				{
					json: {
						changedFields: ['status'],
						previous: { status: 'OPPY_OPEN' },
						firstSeen: false,
						...lost,
					},
				},
			],
		]);
	});

	it('IDs Only emits the id and modifiedDate of each change, deduped exactly (it still GETs)', async () => {
		const t = trigger({ options: { output: 'ids' } });
		await t.poll();
		t.api.put('A', T0 + 30_000);
		expect(await t.poll(T0 + MIN)).toEqual([
			[firstSight({ dsLeadOpportunityId: 'A', modifiedDate: iso(T0 + 30_000) })],
		]);
		expect(await t.poll(T0 + 2 * MIN)).toBeNull();
		t.api.put('A', T0 + 2 * MIN + 1);
		// Modified again, none of the watched fields changed: said so, nothing invented.
		expect(await t.poll(T0 + 3 * MIN)).toEqual([
			[
				{
					json: {
						changedFields: [],
						previous: {},
						firstSeen: false,
						dsLeadOpportunityId: 'A',
						modifiedDate: iso(T0 + 2 * MIN + 1),
					},
				},
			],
		]);
	});

	it('refuses unknown statuses with a NodeOperationError', async () => {
		const t = trigger({ options: { statuses: ['WON', 'won'] } });
		await expect(t.poll()).rejects.toThrow(NodeOperationError);
		await expect(t.poll()).rejects.toThrow('Unknown status "won"');
	});
});

describe('trigger: state', () => {
	it('keeps the dedupe memory small: only what the next overlap can return, at most 10,000', async () => {
		expect(MAX_SEEN).toBe(10_000);
		const t = trigger();
		await t.poll();
		t.api.put('EARLY', T0 + 10_000);
		t.api.put('LATE', T0 + 4 * MIN + 30_000);
		await t.poll(T0 + 5 * MIN);
		expect(t.staticData.seen).toEqual({ LATE: iso(T0 + 4 * MIN + 30_000) });
	});

	it('starts afresh on a state it cannot read', async () => {
		const t = trigger();
		Object.assign(t.staticData, { cursor: 'yesterday', seen: 'x' });
		expect(await t.poll()).toBeNull();
		expect(t.staticData).toEqual({
			version: 1,
			event: 'leadOpportunityUpdated',
			since: iso(T0),
			cursor: iso(T0),
			seen: {},
		});
	});

	it('refuses a record without modifiedDate rather than guess, and leaves the state alone', async () => {
		const t = trigger();
		await t.poll();
		t.api.put('A', T0 + 10_000);
		const b = t.api.put('B', T0 + 20_000);
		const before = structuredClone(t.staticData);
		t.api.beforeReply = (call) => {
			// Found by the search, then fetched without a modifiedDate.
			if (call.kind === 'get' && call.detail === 'B')
				t.api.leads.set('B', { ...b, modifiedDate: null });
		};
		const error = await t.poll(T0 + MIN).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as Error).message).toMatch(/modifiedDate/);
		expect(t.staticData).toEqual(before);
	});
	it('skips a lead that left the partner scope between search and GET (ERROR_048), and goes on', async () => {
		const t = trigger();
		await t.poll();
		t.api.put('GONE', T0 + 10_000);
		const kept = t.api.put('KEPT', T0 + 20_000);
		t.api.beforeReply = (call) => {
			if (call.kind === 'get' && call.detail === 'GONE') t.api.leads.delete('GONE');
		};
		expect(await t.poll(T0 + MIN)).toEqual([[firstSight(kept)]]);
		expect(t.staticData.cursor).toBe(iso(T0 + MIN));
	});

	it('a refused key fails the poll at once with a NodeApiError and leaves the cursor and memory', async () => {
		// Since issue 17 the state also records the streak (see trigger-faults.test.ts).
		const t = trigger();
		await t.poll();
		t.api.put('A', T0 + 10_000);
		const before = structuredClone(t.staticData);
		t.api.failNext('get', 403);
		const error = await t.poll(T0 + MIN).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).failure).toEqual({ cause: 'credential-invalid' });
		expect(t.staticData).toEqual({
			...before,
			streak: {
				since: iso(T0 + MIN),
				polls: 1,
				cause: 'credential-invalid',
				reported: [],
				message: expect.stringContaining('The API key was refused'),
			},
		});
		expect(keys(await t.poll(T0 + 2 * MIN))).toEqual([`A@${iso(T0 + 10_000)}`]);
		expect(t.staticData.streak).toBeUndefined();
	});

	it('other API errors (an answer it cannot read) fail every poll and leave the state', async () => {
		const t = trigger();
		await t.poll();
		t.api.put('A', T0 + 10_000);
		const before = structuredClone(t.staticData);
		t.api.failNext('get', 500, 2);
		for (const at of [T0 + MIN, T0 + 2 * MIN]) {
			const error = await t.poll(at).catch((e: unknown) => e);
			expect(error).toBeInstanceOf(NodeApiError);
			expect((error as NodeApiError).httpCode).toBe('500');
			expect(t.staticData).toEqual(before);
		}
		expect(keys(await t.poll(T0 + 3 * MIN))).toEqual([`A@${iso(T0 + 10_000)}`]);
	});
});

describe('trigger: Fetch Test Event (manual mode)', () => {
	it('returns the most recent matching record of the last 7 days and leaves the state alone', async () => {
		const t = trigger();
		await t.poll();
		const before = structuredClone(t.staticData);
		for (let i = 0; i < 40; i++) t.api.put(`L${i}`, T0 - (i + 1) * 60 * MIN);
		const latest = t.api.put('NEWEST', T0 - 30 * MIN);
		t.api.put('TOO-OLD', T0 - 8 * 24 * 60 * MIN);
		expect(await t.manual()).toEqual([[firstSight(latest)]]);
		expect(t.staticData).toEqual(before);
		// It narrowed the range instead of fetching all 41.
		expect(t.api.gets().length).toBeLessThanOrEqual(10);
		expect(t.api.searches()[0].detail).toBe(`${iso(T0 - 7 * 24 * 60 * MIN)}..${iso(T0)}`);
	});

	it('applies the event and the statuses, and says so when nothing matches', async () => {
		const t = trigger({ options: { statuses: ['WON'] } });
		t.api.put('A', T0 - 10 * MIN, { status: 'OPPY_OPEN' });
		const won = t.api.put('B', T0 - 3 * 24 * 60 * MIN, { status: 'WON' });
		expect(await t.manual()).toEqual([[firstSight(won)]]);
		t.api.put('B', T0 - 5 * MIN, { status: 'LOST' });
		const error = await t.manual().catch((e: unknown) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toBe('No data with the current filter could be found');
		expect((error as NodeOperationError).description).toMatch(/last 7 days/);
		expect(t.staticData).toEqual({});
	});
});
