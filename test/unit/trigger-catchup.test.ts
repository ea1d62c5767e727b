import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { OVERLAP_MS } from '../../nodes/DassaultSalesTrigger/windows';
import { API } from '../helpers/fixtures';
import { TEST_BASE_URL } from '../helpers/n8n';
import { FakeLeadsApi, pollAt, pollFunctions } from '../helpers/poll';
import { sleeps } from '../helpers/sleep';

const T0 = Date.parse('2025-06-02T10:00:00.000Z');
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const WEEK = 7 * DAY;
const GAP_START = T0 - 90 * DAY;
const iso = (ms: number) => new Date(ms).toISOString();
const keys = (output: INodeExecutionData[][] | null) =>
	(output?.[0] ?? []).map((item) => `${item.json.dsLeadOpportunityId}@${item.json.modifiedDate}`);

/** A trigger deactivated 90 days ago, with 30 changes (two sharing a date) made meanwhile. */
async function deactivated(budgetMs?: number | null) {
	const staticData: IDataObject = {};
	const clock = { now: GAP_START };
	const ctx = pollFunctions({ staticData, budgetMs });
	const api = new FakeLeadsApi(TEST_BASE_URL, API);
	const poll = async (at?: number) => {
		if (at !== undefined) clock.now = at;
		return await pollAt(ctx, { now: () => clock.now });
	};
	await poll();
	const expected: string[] = [];
	for (let i = 0; i < 30; i++) {
		const at = GAP_START + 3 * i * DAY + 3_600_000 + (i === 11 ? -1 : 0);
		api.put(`G${String(i).padStart(2, '0')}`, at);
		expected.push(`G${String(i).padStart(2, '0')}@${iso(at)}`);
	}
	// G11 is not on the hour; G20 moves to G21's date (a tie).
	api.put('G20', GAP_START + 63 * DAY + 3_600_000);
	expected[20] = `G20@${iso(GAP_START + 63 * DAY + 3_600_000)}`;
	expected.sort(
		(a, b) => Date.parse(a.split('@')[1]) - Date.parse(b.split('@')[1]) || (a < b ? -1 : 1),
	);
	return { staticData, clock, api, poll, expected };
}

describe('trigger: catching up after 90 days', () => {
	it('searches the gap in contiguous 7-day windows and emits every change once, oldest first', async () => {
		const t = await deactivated();
		const out = await t.poll(T0);
		expect(keys(out)).toEqual(t.expected);
		const windows = t.api.searches().map((s) => s.detail.split('..').map(Date.parse));
		expect(windows.length).toBeGreaterThanOrEqual(13);
		expect(windows[0][0]).toBe(GAP_START - OVERLAP_MS);
		expect(windows[windows.length - 1][1]).toBe(T0);
		for (const [i, [from, to]] of windows.entries()) {
			expect(to - from).toBeLessThanOrEqual(WEEK);
			expect(to).toBeGreaterThan(from);
			if (i > 0) expect(from).toBe(windows[i - 1][1]);
		}
		expect(t.api.gets()).toHaveLength(30);
		expect(t.staticData.cursor).toBe(iso(T0));
		expect(await t.poll(T0 + MIN)).toBeNull();
	});

	it('an outage mid catch-up ends the poll quietly: it emits the complete windows, commits the last, the next poll goes on', async () => {
		// Before issue 17 this poll threw and emitted nothing; now it keeps what is complete.
		const t = await deactivated();
		t.api.beforeReply = (call) => {
			// The 6th window stays unavailable through every retry.
			const n = t.api.searches().length;
			if (call.kind === 'search' && n >= 6 && n <= 8) t.api.failNext('search', 503, 1);
		};
		const first = keys(await t.poll(T0));
		expect(t.api.searches()).toHaveLength(6 + 2);
		const fifthWindowEnd = t.api.searches()[4].detail.split('..')[1];
		expect(t.staticData.cursor).toBe(fifthWindowEnd);
		expect(t.staticData.streak).toBeUndefined(); // five windows were progress
		const done = t.expected.filter((key) => key.split('@')[1] <= fifthWindowEnd);
		expect(done.length).toBeGreaterThan(0);
		expect(first).toEqual(done);
		t.api.beforeReply = undefined;
		const second = keys(await t.poll(T0 + MIN));
		expect([...first, ...second]).toEqual(t.expected);
		expect(await t.poll(T0 + 2 * MIN)).toBeNull();
	});

	it('a persistent 429 ends the poll after bounded waits without an error, and leaves the cursor', async () => {
		const t = await deactivated();
		const before = structuredClone(t.staticData);
		t.api.beforeReply = (call) => {
			if (call.kind === 'get')
				t.api.failNext('get', 429, 1, {
					'X-RateLimit-Limit': '100',
					'X-RateLimit-Remaining': '0',
					'X-RateLimit-Reset': '5',
				});
		};
		expect(await t.poll(T0)).toBeNull();
		t.api.beforeReply = undefined;
		expect(t.staticData).toEqual({
			...before,
			streak: {
				since: iso(T0),
				polls: 1,
				cause: 'rate-limited',
				reported: [],
				message: expect.stringContaining('rate limit'),
			},
		});
		expect(Math.max(...sleeps())).toBeLessThanOrEqual(20_000);
		expect(keys(await t.poll(T0 + MIN))).toEqual(t.expected);
		expect(t.staticData.streak).toBeUndefined();
	});

	it('a quota reset longer than a poll may wait ends the poll at once, quietly', async () => {
		const t = await deactivated();
		const before = structuredClone(t.staticData);
		t.api.failNext('search', 429, 1, {
			'X-RateLimit-Limit': '100',
			'X-RateLimit-Remaining': '0',
			'X-RateLimit-Reset': '60',
		});
		expect(await t.poll(T0)).toBeNull();
		expect(t.api.calls).toHaveLength(1);
		expect(sleeps()).toEqual([]);
		expect(t.staticData).toMatchObject({
			cursor: before.cursor,
			streak: { cause: 'rate-limited' },
		});
		expect(keys(await t.poll(T0 + MIN))).toEqual(t.expected);
	});

	it('stays inside the poll budget: emits what it has, commits the last complete window, continues next poll', async () => {
		const budget = 10_000;
		const t = await deactivated(budget);
		t.api.beforeReply = () => {
			t.clock.now += 400; // every call takes 0.4 s
		};
		const emitted: string[] = [];
		const cursors: string[] = [];
		let start = T0;
		for (let polls = 1; ; polls++) {
			const out = await t.poll(start);
			const took = t.clock.now - start;
			expect(took).toBeLessThanOrEqual(budget);
			const batch = keys(out);
			// Each poll's items are oldest first, and continue where the last one stopped.
			expect(batch).toEqual(t.expected.slice(emitted.length, emitted.length + batch.length));
			emitted.push(...batch);
			cursors.push(t.staticData.cursor as string);
			if (t.staticData.cursor === iso(start)) break;
			expect(polls).toBeLessThan(20);
			start = t.clock.now + MIN;
		}
		expect(cursors.length).toBeGreaterThan(2);
		expect(emitted).toEqual(t.expected);
		// The cursor moved window by window, never back.
		expect([...cursors].sort()).toEqual(cursors);
	});

	it('assumes a 45 s budget where n8n has no getPollBudgetMs', async () => {
		const t = await deactivated(null);
		t.api.beforeReply = () => {
			t.clock.now += 1_000;
		};
		const out = await t.poll(T0);
		expect(t.clock.now - T0).toBeLessThanOrEqual(45_000);
		expect(t.staticData.cursor).not.toBe(iso(T0));
		expect(keys(out)).toEqual(t.expected.slice(0, keys(out).length));
		expect(keys(out).length).toBeGreaterThan(0);
	});
});
