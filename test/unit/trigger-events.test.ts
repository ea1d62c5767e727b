// The trigger's events and what each item says changed (docs/trigger-exactness.md, 10.-14.).
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	MAX_VALUES,
	VALUES_KEEP_MS,
	CREATED_KEEP_MS,
	MAX_CREATED,
} from '../../nodes/DassaultSalesTrigger/state';
import { API } from '../helpers/fixtures';
import { TEST_BASE_URL } from '../helpers/n8n';
import { FakeLeadsApi, N8nStaticData, pollAt, pollFunctions } from '../helpers/poll';

const T0 = Date.parse('2025-06-02T10:00:00.000Z');
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const iso = (ms: number) => new Date(ms).toISOString();

/** What an item says changed, and its lead's id. */
const said = (output: INodeExecutionData[][] | null) =>
	(output?.[0] ?? []).map(({ json }) => ({
		id: json.dsLeadOpportunityId,
		changedFields: json.changedFields,
		previous: json.previous,
		firstSeen: json.firstSeen,
	}));

function trigger(parameters: IDataObject) {
	const data = new N8nStaticData();
	const clock = { now: T0 };
	const params = { simplify: false, options: {}, ...parameters };
	const ctx = pollFunctions({ parameters: params, staticData: data.live });
	const api = new FakeLeadsApi(TEST_BASE_URL, API);
	const poll = async (at: number) => {
		clock.now = at;
		const output = await pollAt(ctx, { now: () => clock.now });
		data.afterPoll(output);
		return output;
	};
	const manual = async () =>
		await pollAt(pollFunctions({ parameters: params, staticData: {}, mode: 'manual' }), {
			now: () => clock.now,
		});
	return { data, api, poll, manual, clock };
}

describe('Status Changed', () => {
	it('to WON: one item when a lead it saw moves there, saying the previous status', async () => {
		const t = trigger({ event: 'statusChanged', options: { toStatuses: ['WON'] } });
		await t.poll(T0);
		t.api.put('A', T0 + 10_000, { status: 'OPPY_OPEN' });
		expect(await t.poll(T0 + MIN)).toBeNull(); // first sight, not WON: remembered only
		t.api.put('A', T0 + MIN + 10_000, { dsOwnerEmail: 'li.wei@3ds.com' });
		expect(await t.poll(T0 + 2 * MIN)).toBeNull(); // the status did not change
		const won = t.api.put('A', T0 + 2 * MIN + 10_000, { status: 'WON', forecastCategory: 'WON' });
		const out = await t.poll(T0 + 3 * MIN);
		expect(out).toEqual([
			[
				{
					json: {
						changedFields: ['status'],
						previous: { status: 'OPPY_OPEN' },
						firstSeen: false,
						...won,
					},
				},
			],
		]);
		t.api.put('A', T0 + 3 * MIN + 10_000, { status: 'LOST' });
		expect(await t.poll(T0 + 4 * MIN)).toBeNull(); // changed, but not to WON
	});

	it('without To Statuses: every status change, and none for other changes', async () => {
		const t = trigger({ event: 'statusChanged' });
		await t.poll(T0);
		t.api.put('A', T0 + 10_000, { status: 'QUALIFIED' });
		expect(await t.poll(T0 + MIN)).toBeNull(); // first sight: nothing can be said to have changed
		t.api.put('A', T0 + MIN + 10_000, { status: 'ACCEPTED' });
		expect(said(await t.poll(T0 + 2 * MIN))).toEqual([
			{ id: 'A', changedFields: ['status'], previous: { status: 'QUALIFIED' }, firstSeen: false },
		]);
		t.api.put('A', T0 + 2 * MIN + 10_000, { nextMilestone: 'Demo' });
		expect(await t.poll(T0 + 3 * MIN)).toBeNull();
	});

	it('first sight: emitted, marked firstSeen and claiming no change, only when its status is one of To Statuses', async () => {
		const t = trigger({ event: 'statusChanged', options: { toStatuses: ['WON'] } });
		await t.poll(T0);
		t.api.put('NEW-WON', T0 + 10_000, { status: 'WON' });
		t.api.put('NEW-OPEN', T0 + 20_000, { status: 'OPPY_OPEN' });
		expect(said(await t.poll(T0 + MIN))).toEqual([
			{ id: 'NEW-WON', changedFields: [], previous: null, firstSeen: true },
		]);
		// Seen now: a later change of the WON lead that keeps it WON is no status change.
		t.api.put('NEW-WON', T0 + MIN + 10_000, { dsOwnerEmail: 'li.wei@3ds.com' });
		expect(await t.poll(T0 + 2 * MIN)).toBeNull();
	});

	it('two changes between polls coalesce: one item with the net change', async () => {
		const t = trigger({ event: 'statusChanged' });
		await t.poll(T0);
		t.api.put('A', T0 + 10_000, { status: 'OPPY_OPEN' });
		t.api.put('B', T0 + 10_000, { status: 'OPPY_OPEN' });
		await t.poll(T0 + MIN);
		// A: OPPY_OPEN → VALIDATED → ESTABLISHED; B: OPPY_OPEN → VALIDATED → OPPY_OPEN, between two polls.
		t.api.put('A', T0 + MIN + 10_000, { status: 'VALIDATED' });
		t.api.put('A', T0 + MIN + 20_000, { status: 'ESTABLISHED' });
		t.api.put('B', T0 + MIN + 10_000, { status: 'VALIDATED' });
		t.api.put('B', T0 + MIN + 20_000, { status: 'OPPY_OPEN' });
		expect(said(await t.poll(T0 + 2 * MIN))).toEqual([
			{ id: 'A', changedFields: ['status'], previous: { status: 'OPPY_OPEN' }, firstSeen: false },
		]);
	});

	it('Fetch Test Event shows a lead in one of To Statuses, as an item of the event', async () => {
		const t = trigger({ event: 'statusChanged', options: { toStatuses: ['WON'] } });
		t.api.put('A', T0 - 10 * MIN, { status: 'OPPY_OPEN' });
		const won = t.api.put('B', T0 - DAY, { status: 'WON' });
		expect(await t.manual()).toEqual([
			[{ json: { changedFields: [], previous: null, firstSeen: true, ...won } }],
		]);
	});

	it('refuses an unknown status in To Statuses', async () => {
		const t = trigger({ event: 'statusChanged', options: { toStatuses: ['won'] } });
		await expect(t.poll(T0)).rejects.toThrow('Unknown status "won" in To Statuses');
	});
});

describe('Won or Lost', () => {
	it('fires on a change to WON or LOST, not on other changes of a won lead', async () => {
		const t = trigger({ event: 'wonOrLost' });
		await t.poll(T0);
		t.api.put('A', T0 + 10_000, { status: 'ESTABLISHED' });
		t.api.put('B', T0 + 10_000, { status: 'VALIDATED' });
		expect(await t.poll(T0 + MIN)).toBeNull();
		t.api.put('A', T0 + MIN + 10_000, { status: 'WON' });
		t.api.put('B', T0 + MIN + 20_000, { status: 'LOST' });
		expect(said(await t.poll(T0 + 2 * MIN))).toEqual([
			{ id: 'A', changedFields: ['status'], previous: { status: 'ESTABLISHED' }, firstSeen: false },
			{ id: 'B', changedFields: ['status'], previous: { status: 'VALIDATED' }, firstSeen: false },
		]);
		t.api.put('A', T0 + 2 * MIN + 10_000, { poNumber: 'PO-1' });
		expect(await t.poll(T0 + 3 * MIN)).toBeNull();
	});

	it('first sight of a lead already WON: emitted once, marked firstSeen', async () => {
		const t = trigger({ event: 'wonOrLost' });
		await t.poll(T0);
		t.api.put('W', T0 + 10_000, { status: 'WON' });
		expect(said(await t.poll(T0 + MIN))).toEqual([
			{ id: 'W', changedFields: [], previous: null, firstSeen: true },
		]);
	});
});

describe('Field Changed', () => {
	const long = 'x'.repeat(80);

	it('fires on the chosen fields only, with their previous values; a long value is compared by hash', async () => {
		const t = trigger({
			event: 'fieldChanged',
			fields: ['poStatus', 'approvalStatus', 'dsComment'],
		});
		await t.poll(T0);
		t.api.put('A', T0 + 10_000, { approvalStatus: 'PENDING', dsComment: long });
		expect(await t.poll(T0 + MIN)).toBeNull(); // first sight
		t.api.put('A', T0 + MIN + 10_000, { dsOwnerEmail: 'li.wei@3ds.com', status: 'WON' });
		expect(await t.poll(T0 + 2 * MIN)).toBeNull(); // not a chosen field
		t.api.put('A', T0 + 2 * MIN + 10_000, {
			approvalStatus: 'APPROVED',
			poStatus: 'RECEIVED',
			dsComment: `${long}!`,
		});
		expect(said(await t.poll(T0 + 3 * MIN))).toEqual([
			{
				id: 'A',
				// In the list's order; the old comment was only kept as a hash.
				changedFields: ['approvalStatus', 'poStatus', 'dsComment'],
				previous: { approvalStatus: 'PENDING', poStatus: null },
				firstSeen: false,
			},
		]);
	});

	it('a date field and the offer lines: previous values come back as they were', async () => {
		const t = trigger({ event: 'fieldChanged', fields: ['closeDate', 'offerLines'] });
		await t.poll(T0);
		const first = t.api.put('A', T0 + 10_000);
		await t.poll(T0 + MIN);
		t.api.put('A', T0 + MIN + 10_000, {
			closeDate: '2025-09-30T00:00:00.000Z',
			offerLines: [{ offerNameId: 'X', amount: 1, revenueType: 'PxC' }],
		});
		const [item] = said(await t.poll(T0 + 2 * MIN));
		expect(item).toEqual({
			id: 'A',
			changedFields: ['closeDate', 'offerLines'],
			// The offer lines' JSON is longer than 40 characters: hashed, no previous value.
			previous: { closeDate: first.closeDate },
			firstSeen: false,
		});
	});

	it('needs at least one known field', async () => {
		await expect(trigger({ event: 'fieldChanged', fields: [] }).poll(T0)).rejects.toThrow(
			NodeOperationError,
		);
		await expect(trigger({ event: 'fieldChanged', fields: ['name'] }).poll(T0)).rejects.toThrow(
			'Unknown field "name" in Fields',
		);
	});

	it('another choice of fields starts the comparison afresh (first sight), never a false change', async () => {
		const data = new N8nStaticData();
		const api = new FakeLeadsApi(TEST_BASE_URL, API);
		const at = (fields: string[], now: number) =>
			pollAt(
				pollFunctions({
					parameters: { event: 'fieldChanged', simplify: false, fields, options: {} },
					staticData: data.live,
				}),
				{
					now: () => now,
				},
			);
		await at(['poStatus'], T0);
		api.put('A', T0 + 10_000, { poStatus: 'NONE' });
		await at(['poStatus'], T0 + MIN);
		expect(data.live.watch).toBe('poStatus');
		api.put('A', T0 + MIN + 10_000, { poStatus: 'RECEIVED', approvalStatus: 'APPROVED' });
		expect(await at(['approvalStatus'], T0 + 2 * MIN)).toBeNull();
		expect(data.live.watch).toBe('approvalStatus');
	});
});

describe('Lead-Opportunity Updated says what changed', () => {
	it('every watched field, the first sight included, and a change of no watched field', async () => {
		const t = trigger({ event: 'leadOpportunityUpdated' });
		await t.poll(T0);
		t.api.put('A', T0 + 10_000, { status: 'OPPY_OPEN', dsOwnerEmail: 'anna.keller@3ds.com' });
		expect(said(await t.poll(T0 + MIN))).toEqual([
			{ id: 'A', changedFields: [], previous: null, firstSeen: true },
		]);
		t.api.put('A', T0 + MIN + 10_000, { status: 'VALIDATED', dsOwnerEmail: 'li.wei@3ds.com' });
		expect(said(await t.poll(T0 + 2 * MIN))).toEqual([
			{
				id: 'A',
				changedFields: ['status', 'dsOwnerEmail'],
				previous: { status: 'OPPY_OPEN', dsOwnerEmail: 'anna.keller@3ds.com' },
				firstSeen: false,
			},
		]);
		t.api.put('A', T0 + 2 * MIN + 10_000, { name: 'Renamed' });
		expect(said(await t.poll(T0 + 3 * MIN))).toEqual([
			{ id: 'A', changedFields: [], previous: {}, firstSeen: false },
		]);
	});

	it('a version remembered before the activation is the baseline: its next change is compared with it', async () => {
		const t = trigger({ event: 'leadOpportunityUpdated' });
		t.api.put('A', T0 - 20_000, { status: 'QUALIFIED' });
		await t.poll(T0);
		expect(await t.poll(T0 + 30_000)).toBeNull(); // found by the overlap: remembered, not emitted
		t.api.put('A', T0 + 40_000, { status: 'ACCEPTED' });
		expect(said(await t.poll(T0 + MIN))).toEqual([
			{ id: 'A', changedFields: ['status'], previous: { status: 'QUALIFIED' }, firstSeen: false },
		]);
	});
});

describe('Lead-Opportunity Created', () => {
	it('each lead created since the activation, once; not a lead created before it', async () => {
		const t = trigger({ event: 'leadOpportunityCreated' });
		t.api.put('OLD', T0 - DAY, { createdDate: iso(T0 - 30 * DAY) });
		await t.poll(T0);
		const created = t.api.put('NEW', T0 + 10_000, { createdDate: iso(T0 + 10_000) });
		t.api.put('OLD', T0 + 20_000, { createdDate: iso(T0 - 30 * DAY), status: 'WON' });
		expect(await t.poll(T0 + MIN)).toEqual([
			[{ json: { changedFields: [], previous: null, firstSeen: true, ...created } }],
		]);
		t.api.put('NEW', T0 + MIN + 10_000, { createdDate: iso(T0 + 10_000), status: 'QUALIFIED' });
		t.api.reset();
		expect(await t.poll(T0 + 2 * MIN)).toBeNull();
		// NEW changed again, but it is decided: no GET (OLD did not change: no GET either).
		expect(t.api.gets()).toEqual([]);
	});

	it('a lead created in one poll and first seen in a later one (changed meanwhile) is still new, once', async () => {
		const t = trigger({ event: 'leadOpportunityCreated' });
		await t.poll(T0);
		// Created at 0:50 but first visible to the partner with its version of 1:30 (the poll at 1:00
		// never saw it): new all the same, its createdDate is after the activation.
		t.api.put('LATE', T0 + MIN + 30_000, { createdDate: iso(T0 + 50_000) });
		expect(await t.poll(T0 + MIN)).toBeNull();
		expect(said(await t.poll(T0 + 2 * MIN))).toEqual([
			{ id: 'LATE', changedFields: [], previous: null, firstSeen: true },
		]);
		expect(await t.poll(T0 + 3 * MIN)).toBeNull();
	});

	it('forgets old leads by moving createdFrom past them, so they cannot come back as new', async () => {
		expect([MAX_CREATED, CREATED_KEEP_MS]).toEqual([10_000, 90 * DAY]);
		const t = trigger({ event: 'leadOpportunityCreated' });
		await t.poll(T0);
		t.api.put('N1', T0 + 10_000, { createdDate: iso(T0 + 10_000) });
		await t.poll(T0 + MIN);
		expect(t.data.live.created).toEqual({ N1: iso(T0 + 10_000) });
		// 91 days later: N1 is forgotten, and createdFrom is past it.
		const later = T0 + 91 * DAY;
		t.api.put('N1', later - 30_000, { createdDate: iso(T0 + 10_000) });
		await t.poll(later - 20 * MIN); // a catch-up poll (the cursor was 91 days back)
		while (Date.parse(String(t.data.live.cursor)) < later - 20 * MIN)
			await t.poll(later - 20 * MIN);
		expect(await t.poll(later)).toBeNull();
		expect(t.data.live.created).toBeUndefined();
		expect(Date.parse(String(t.data.live.createdFrom))).toBeGreaterThan(T0 + 10_000);
	});
});

describe('the watched values: bounded, pruned, small', () => {
	it('kept 90 days after the modifiedDate, at most 10,000, one short string per lead', async () => {
		expect([MAX_VALUES, VALUES_KEEP_MS]).toEqual([10_000, 90 * DAY]);
		const t = trigger({ event: 'statusChanged' });
		await t.poll(T0);
		t.api.put('A', T0 + 10_000, { status: 'QUALIFIED' });
		await t.poll(T0 + MIN);
		expect(t.data.live.watch).toBe('status');
		expect(t.data.live.values).toEqual({ A: `${(T0 + 10_000).toString(36)}|QUALIFIED` });
		// Ninety days and a bit later A is forgotten: its next change is a first sight again.
		t.api.put('B', T0 + 91 * DAY - 30_000, { status: 'LOST' });
		for (let i = 0; i < 20 && Date.parse(String(t.data.live.cursor)) < T0 + 91 * DAY; i++)
			await t.poll(T0 + 91 * DAY);
		expect(Object.keys(t.data.live.values as IDataObject)).toEqual(['B']);
	});

	it('keeps the 10,000 most recent when more leads change', async () => {
		const t = trigger({ event: 'wonOrLost' });
		await t.poll(T0);
		// A state holding 10,000 leads' values (as 10,000 GETs would leave it), then 50 more leads.
		const values: Record<string, string> = {};
		for (let i = 0; i < MAX_VALUES; i++)
			values[`OLD${i}`] = `${(T0 - DAY + i).toString(36)}|OPPY_OPEN`;
		Object.assign(t.data.live, { watch: 'status', values });
		for (let i = 0; i < 50; i++) t.api.put(`NEW${i}`, T0 + 1_000 + i, { status: 'OPPY_OPEN' });
		await t.poll(T0 + MIN);
		const kept = t.data.live.values as IDataObject;
		expect(Object.keys(kept)).toHaveLength(MAX_VALUES);
		expect(kept.OLD49).toBeUndefined();
		expect(kept.OLD50).toBe(values.OLD50);
		expect(kept.NEW49).toBe(`${(T0 + 1_049).toString(36)}|OPPY_OPEN`);
	});
});
