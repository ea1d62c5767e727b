// New Unassigned Lead: "new" means once (nodes/DassaultSalesTrigger/poll.ts, point 8).
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { ANNOUNCED_KEEP_MS, MAX_ANNOUNCED } from '../../nodes/DassaultSalesTrigger/state';
import { API } from '../helpers/fixtures';
import { TEST_BASE_URL } from '../helpers/n8n';
import { FakeLeadsApi, N8nStaticData, pollAt, pollFunctions } from '../helpers/poll';

const T0 = Date.parse('2025-06-02T10:00:00.000Z');
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const iso = (ms: number) => new Date(ms).toISOString();
const keys = (output: INodeExecutionData[][] | null) =>
	(output?.[0] ?? []).map((item) => `${item.json.dsLeadOpportunityId}@${item.json.modifiedDate}`);
const UNASSIGNED = { partnerLeadOpportunityId: '' };

function trigger(options: IDataObject = {}) {
	const data = new N8nStaticData();
	const clock = { now: T0 };
	const ctx = pollFunctions({
		parameters: { event: 'unassignedLead', simplify: false, options },
		staticData: data.live,
	});
	const api = new FakeLeadsApi(TEST_BASE_URL, API);
	const emitted: string[] = [];
	const poll = async (at: number) => {
		clock.now = at;
		const output = await pollAt(ctx, { now: () => clock.now });
		data.afterPoll(output);
		emitted.push(...keys(output));
		return output;
	};
	return { data, api, poll, emitted };
}

describe('New Unassigned Lead: each lead once', () => {
	it('emits a marketing lead the first time, not when 3DS modifies it again, and does not GET it again', async () => {
		const t = trigger();
		await t.poll(T0);
		const first = t.api.put('MKT-1', T0 + 10_000, UNASSIGNED);
		expect(await t.poll(T0 + MIN)).toEqual([[{ json: first }]]);
		t.api.put('MKT-1', T0 + 90_000, { ...UNASSIGNED, status: 'QUALIFIED' });
		t.api.put('MKT-1', T0 + 150_000, { ...UNASSIGNED, dsOwnerEmail: 'li.wei@3ds.com' });
		t.api.reset();
		expect(await t.poll(T0 + 3 * MIN)).toBeNull();
		expect(t.api.gets()).toEqual([]);
		expect(t.emitted).toEqual([`MKT-1@${iso(T0 + 10_000)}`]);
	});

	it('Emit Every Change keeps emitting each version', async () => {
		const t = trigger({ emitEveryChange: true });
		await t.poll(T0);
		t.api.put('MKT-1', T0 + 10_000, UNASSIGNED);
		await t.poll(T0 + MIN);
		t.api.put('MKT-1', T0 + 90_000, UNASSIGNED);
		await t.poll(T0 + 2 * MIN);
		expect(t.emitted).toEqual([`MKT-1@${iso(T0 + 10_000)}`, `MKT-1@${iso(T0 + 90_000)}`]);
		expect(t.data.live.announced).toBeUndefined();
	});

	it('a lead seen twice in one poll, or created and modified during a 30-day gap, is emitted once', async () => {
		const t = trigger();
		await t.poll(T0);
		const before = t.api.put('MKT-OLD', T0 + 10_000, UNASSIGNED);
		expect(keys(await t.poll(T0 + MIN))).toEqual([`MKT-OLD@${before.modifiedDate}`]);
		// The trigger is deactivated for 30 days; meanwhile 3DS modifies MKT-OLD three times and
		// creates MKT-NEW, then modifies it twice (only its last version is visible).
		for (const day of [3, 11, 20]) t.api.put('MKT-OLD', T0 + day * DAY, UNASSIGNED);
		t.api.put('MKT-NEW', T0 + 5 * DAY, UNASSIGNED);
		t.api.put('MKT-NEW', T0 + 25 * DAY, UNASSIGNED);
		await t.poll(T0 + 30 * DAY);
		await t.poll(T0 + 30 * DAY + MIN);
		expect(t.emitted).toEqual([`MKT-OLD@${iso(T0 + 10_000)}`, `MKT-NEW@${iso(T0 + 25 * DAY)}`]);
	});

	it('a restart of n8n does not forget a lead it emitted (saved with the items that emitted it)', async () => {
		const t = trigger();
		await t.poll(T0);
		t.api.put('MKT-1', T0 + 10_000, UNASSIGNED);
		await t.poll(T0 + MIN);
		// Quiet polls: n8n does not save them, the in-memory state moves on.
		for (let m = 2; m <= 10; m++) await t.poll(T0 + m * MIN);
		expect(t.data.saved.announced).toEqual({ 'MKT-1': iso(T0 + 10_000) });
		t.data.restart();
		t.api.put('MKT-1', T0 + 11 * MIN, UNASSIGNED);
		t.api.put('MKT-2', T0 + 11 * MIN, UNASSIGNED);
		await t.poll(T0 + 12 * MIN);
		expect(t.emitted).toEqual([`MKT-1@${iso(T0 + 10_000)}`, `MKT-2@${iso(T0 + 11 * MIN)}`]);
	});

	it('outlives the dedupe memory: still known long after the overlap forgot its date', async () => {
		const t = trigger();
		await t.poll(T0);
		t.api.put('MKT-1', T0 + 10_000, UNASSIGNED);
		await t.poll(T0 + MIN);
		for (let h = 1; h <= 24; h++) await t.poll(T0 + h * 60 * MIN);
		expect(t.data.live.seen).toEqual({});
		expect(t.data.live.announced).toEqual({ 'MKT-1': iso(T0 + 10_000) });
		t.api.put('MKT-1', T0 + DAY + 30_000, UNASSIGNED);
		await t.poll(T0 + DAY + MIN);
		expect(t.emitted).toEqual([`MKT-1@${iso(T0 + 10_000)}`]);
	});

	it(`forgets after ${ANNOUNCED_KEEP_MS / DAY} days, and keeps at most ${MAX_ANNOUNCED} (the most recent)`, async () => {
		const t = trigger();
		await t.poll(T0);
		t.api.put('MKT-1', T0 + 10_000, UNASSIGNED);
		await t.poll(T0 + MIN);
		// Still unassigned 91 days later and modified: the memory has let it go, it is emitted again.
		await t.poll(T0 + ANNOUNCED_KEEP_MS + DAY);
		expect(t.data.live.announced).toBeUndefined();
		t.api.put('MKT-1', T0 + ANNOUNCED_KEEP_MS + DAY + 10_000, UNASSIGNED);
		await t.poll(T0 + ANNOUNCED_KEEP_MS + DAY + MIN);
		expect(t.emitted).toEqual([
			`MKT-1@${iso(T0 + 10_000)}`,
			`MKT-1@${iso(T0 + ANNOUNCED_KEEP_MS + DAY + 10_000)}`,
		]);

		// The cap: a full memory drops its oldest entries first.
		const now = T0 + ANNOUNCED_KEEP_MS + DAY + MIN;
		const announced: Record<string, string> = {};
		for (let i = 0; i < MAX_ANNOUNCED; i++)
			announced[`OLD-${String(i).padStart(5, '0')}`] = iso(now - DAY + i);
		t.data.live.announced = announced;
		t.api.put('MKT-2', now + 10_000, UNASSIGNED);
		await t.poll(now + MIN);
		const kept = Object.keys(t.data.live.announced as IDataObject);
		expect(kept).toHaveLength(MAX_ANNOUNCED);
		expect(kept).toContain('MKT-2');
		expect(kept).not.toContain('OLD-00000');
		expect(kept).toContain('OLD-00002');
	});

	it('with Only These Statuses, a lead is emitted once, when it first has one of them', async () => {
		const t = trigger({ statuses: ['QUALIFIED'] });
		await t.poll(T0);
		t.api.put('MKT-1', T0 + 10_000, { ...UNASSIGNED, status: 'OPPY_OPEN' });
		await t.poll(T0 + MIN);
		t.api.put('MKT-1', T0 + 90_000, { ...UNASSIGNED, status: 'QUALIFIED' });
		await t.poll(T0 + 2 * MIN);
		t.api.put('MKT-1', T0 + 150_000, { ...UNASSIGNED, status: 'QUALIFIED', nextMilestone: 'Call' });
		await t.poll(T0 + 3 * MIN);
		expect(t.emitted).toEqual([`MKT-1@${iso(T0 + 90_000)}`]);
	});

	it('a lead already waiting before the activation ("from now") is not new when 3DS modifies it later', async () => {
		const t = trigger();
		t.api.put('MKT-0', T0 - 20_000, UNASSIGNED);
		await t.poll(T0);
		await t.poll(T0 + 30_000); // its overlap finds MKT-0, from before the activation
		t.api.put('MKT-0', T0 + 5 * MIN, UNASSIGNED);
		await t.poll(T0 + 6 * MIN);
		expect(t.emitted).toEqual([]);
	});
});
