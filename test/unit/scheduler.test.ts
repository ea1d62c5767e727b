/**
 * The scheduler alone (utils/scheduler.ts): it reads items in input order ahead of their runs,
 * queues items that share a key in input order whatever their reads cost, fails a bad read at
 * its turn, stops reading once the runs are over, and keeps at most `limit` under way.
 */
import {
	mapWithConcurrency,
	scheduleItems,
	type ScheduledItem,
} from '../../nodes/DassaultSales/utils/scheduler';

const wait = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

describe('scheduleItems', () => {
	it('reads in input order, and items sharing a key run one after the other in input order', async () => {
		const reads: number[] = [];
		const runs: string[] = [];
		let running = 0;
		let mostAtOnce = 0;
		// Odd items are slow to read and fast to run: neither may reorder the shared key "k".
		const read = async (index: number): Promise<ScheduledItem<number>> => {
			await wait(index % 2 ? 15 : 0);
			reads.push(index);
			return {
				keys: index < 4 ? ['k'] : [`own-${index}`],
				run: async () => {
					running++;
					mostAtOnce = Math.max(mostAtOnce, running);
					runs.push(`start ${index}`);
					await wait(index % 2 ? 0 : 20);
					runs.push(`end ${index}`);
					running--;
					return index * 10;
				},
			};
		};
		let allRead = 0;
		const outcomes = await scheduleItems({
			count: 8,
			read,
			allRead: () => allRead++,
			limit: 3,
			stopOnFailure: true,
		});
		expect(reads).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
		expect(allRead).toBe(1);
		expect(outcomes).toEqual([0, 10, 20, 30, 40, 50, 60, 70].map((value) => ({ ok: true, value })));
		const shared = runs.filter((r) => /^(start|end) [0-3]$/.test(r));
		expect(shared).toEqual([
			'start 0',
			'end 0',
			'start 1',
			'end 1',
			'start 2',
			'end 2',
			'start 3',
			'end 3',
		]);
		expect(mostAtOnce).toBeLessThanOrEqual(3);
		expect(mostAtOnce).toBeGreaterThan(1);
	});

	it('a failed read fails at its turn: earlier items run, later ones do not start', async () => {
		const ran: number[] = [];
		const outcomes = await scheduleItems({
			count: 4,
			read: async (index) => {
				if (index === 1) throw new Error('bad input in item 1');
				return { keys: [], run: async () => ran.push(index) };
			},
			allRead: () => undefined,
			limit: 1,
			stopOnFailure: true,
		});
		expect(ran).toEqual([0]);
		expect(outcomes[0]).toEqual({ ok: true, value: 1 });
		expect(outcomes[1]).toMatchObject({ ok: false, error: { message: 'bad input in item 1' } });
		expect(outcomes.slice(2)).toEqual([undefined, undefined]);
	});

	it('without stopping, every item runs and failures stay in place', async () => {
		const outcomes = await scheduleItems({
			count: 3,
			read: async (index) => ({
				keys: [],
				run: async () => {
					if (index === 1) throw new Error('item 1 failed');
					return index;
				},
			}),
			allRead: () => undefined,
			limit: 2,
			stopOnFailure: false,
		});
		expect(outcomes.map((o) => o?.ok)).toEqual([true, false, true]);
	});

	it('stops reading once the runs are over, and reads nothing after it returns', async () => {
		let reads = 0;
		let allRead = 0;
		const outcomes = await scheduleItems({
			count: 1000,
			read: async (index) => {
				reads++;
				await wait(1);
				return {
					keys: [],
					run: async () => {
						if (index === 0) throw new Error('first item failed');
						return index;
					},
				};
			},
			allRead: () => allRead++,
			limit: 1,
			stopOnFailure: true,
		});
		const readWhenReturned = reads;
		await wait(50);
		expect(outcomes[0]?.ok).toBe(false);
		expect(readWhenReturned).toBeLessThan(1000);
		expect(reads).toBe(readWhenReturned);
		expect(allRead).toBe(1);
	});
});

describe('mapWithConcurrency', () => {
	it('keeps input order with at most `limit` under way, and throws the first failure after the others finish', async () => {
		let running = 0;
		let mostAtOnce = 0;
		const results = await mapWithConcurrency([30, 5, 20, 1, 10], 2, async (ms, index) => {
			running++;
			mostAtOnce = Math.max(mostAtOnce, running);
			await wait(ms);
			running--;
			return index;
		});
		expect(results).toEqual([0, 1, 2, 3, 4]);
		expect(mostAtOnce).toBe(2);

		let finished = 0;
		const failing = mapWithConcurrency([0, 1, 2, 3], 2, async (index) => {
			if (index === 1) throw new Error('second failed');
			await wait(20);
			finished++;
			return index;
		});
		await expect(failing).rejects.toThrow('second failed');
		// Item 0 was under way and finished; items 2 and 3 never started.
		expect(finished).toBe(1);
	});
});
