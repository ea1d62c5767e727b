/**
 * How the node schedules work: one worker pool, used to map a list with bounded concurrency
 * (GETs of many ids) and to run the items of an execution (`scheduleItems`).
 */
import { sleep } from 'n8n-workflow';

/**
 * Calls `work(index)` for 0 … count-1, starting them in index order with at most `limit` under
 * way, until `stop()` says no more should start; resolves once every started call has finished.
 */
async function workerPool(
	count: number,
	limit: number,
	work: (index: number) => Promise<void>,
	stop: () => boolean,
): Promise<void> {
	let next = 0;
	const worker = async () => {
		while (!stop() && next < count) await work(next++);
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, count)) }, worker));
}

/**
 * Runs `task` over `items` with at most `limit` at once and returns the results in input order.
 * On the first failure no new task starts; the ones under way finish, then that failure is thrown
 * (nothing keeps running after the caller has moved on).
 */
export async function mapWithConcurrency<T, R>(
	items: readonly T[],
	limit: number,
	task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
	const results = new Array<R>(items.length);
	let failure: { error: unknown } | undefined;
	const work = async (index: number) => {
		try {
			results[index] = await task(items[index], index);
		} catch (error) {
			failure ??= { error };
		}
	};
	await workerPool(items.length, limit, work, () => failure !== undefined);
	if (failure !== undefined) throw failure.error;
	return results;
}

export type ItemOutcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

/** An item read and validated, ready to run. */
export interface ScheduledItem<R> {
	/** What the item touches (e.g. `p:<partner id>`, `d:<3DS id>`): items sharing a key run in input order, never at once. */
	keys: readonly string[];
	run: () => Promise<R>;
}

export interface ItemSchedule<R> {
	count: number;
	/**
	 * Reads item `index`; called in input order, ahead of the runs, so that an item can know the
	 * items after it. If it throws, the item fails at its turn, as it would have run.
	 */
	read: (index: number) => Promise<ScheduledItem<R>>;
	/** Called once reading has ended: every item read, or the runs are over. */
	allRead: () => void;
	/** Items under way at most. */
	limit: number;
	/** The first failure stops new items from starting (those under way finish). */
	stopOnFailure: boolean;
}

/** Items read between two yields to the event loop (to let answers in and requests out). */
const READ_BATCH = 10;

/** Reads item `index` and queues it behind the earlier items that share one of its keys. */
interface Queued<R> {
	item: ScheduledItem<R>;
	before: Array<Promise<void>>;
	finish: () => void;
}

/**
 * Reads the items one after the other while the first ones already run (reading an item costs
 * CPU that would otherwise delay the first request) and runs them with at most `limit` under way,
 * started in input order. Outcomes come back in input order; an item that never started has none.
 * Reading stops once the runs are over, so nothing is read after the caller has moved on.
 */
export async function scheduleItems<R>(
	schedule: ItemSchedule<R>,
): Promise<Array<ItemOutcome<R> | undefined>> {
	const { count, read, allRead, limit, stopOnFailure } = schedule;
	const outcomes = new Array<ItemOutcome<R> | undefined>(count);
	const lastByKey = new Map<string, Promise<void>>();
	let over = false;
	// Item i is read once item i-1 is: keys are queued in input order, whichever worker asks first.
	let previous: Promise<unknown> = Promise.resolve();
	const queued = Array.from({ length: count }, (_, index) => {
		const reading = previous.then(async (): Promise<Queued<R> | undefined> => {
			if (over) return undefined;
			if (index > 0 && index % READ_BATCH === 0) await sleep(0);
			const item = await read(index).catch(
				(error: unknown): ScheduledItem<R> => ({
					keys: [],
					run: async () => await Promise.reject(error),
				}),
			);
			const before = item.keys.flatMap((key) => lastByKey.get(key) ?? []);
			let finish!: () => void;
			const done = new Promise<void>((resolve) => (finish = resolve));
			for (const key of item.keys) lastByKey.set(key, done);
			return { item, before, finish };
		});
		previous = reading;
		return reading;
	});
	const readingEnds = previous.then(allRead);
	let stopped = false;
	const work = async (index: number) => {
		const { item, before, finish } = (await queued[index])!;
		try {
			await Promise.all(before);
			if (stopped) return;
			outcomes[index] = { ok: true, value: await item.run() };
		} catch (error) {
			outcomes[index] = { ok: false, error };
			if (stopOnFailure) stopped = true;
		} finally {
			finish();
		}
	};
	try {
		await workerPool(count, limit, work, () => stopped);
	} finally {
		over = true;
		await readingEnds;
	}
	return outcomes;
}
