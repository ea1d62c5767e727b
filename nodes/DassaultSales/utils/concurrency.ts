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
	let next = 0;
	let failure: { error: unknown } | undefined;
	const worker = async () => {
		while (failure === undefined && next < items.length) {
			const index = next++;
			try {
				results[index] = await task(items[index], index);
			} catch (error) {
				failure ??= { error };
			}
		}
	};
	const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker);
	await Promise.all(workers);
	if (failure !== undefined) throw failure.error;
	return results;
}

export type ItemOutcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

export interface ParallelItem<R> {
	/** What the item touches (e.g. `p:<partner id>`, `d:<3DS id>`): items sharing a key run in input order, never at once. */
	keys: readonly string[];
	run: () => Promise<R>;
}

/**
 * Runs items with at most `limit` under way, in input order of start, and returns their outcomes in
 * input order. An item may be a promise (still being read), which must settle in input order. Items sharing a key wait for the earlier ones (so the last item wins). With
 * `stopOnFailure`, the first failure stops new items from starting (those under way finish) and
 * the failure of the lowest index is thrown: the one a sequential run would have met first.
 */
export async function runItemsInParallel<R>(
	items: ReadonlyArray<ParallelItem<R> | Promise<ParallelItem<R>>>,
	limit: number,
	stopOnFailure: boolean,
): Promise<Array<ItemOutcome<R>>> {
	const outcomes = new Array<ItemOutcome<R> | undefined>(items.length);
	const lastByKey = new Map<string, Promise<void>>();
	let next = 0;
	let stopped = false;
	const worker = async () => {
		while (!stopped && next < items.length) {
			const index = next++;
			// Items may still be being read (a promise): they become ready in input order, so the
			// keys below are still registered in input order.
			const item = await items[index];
			// Registered before any other await, so later items with the same key queue behind this one.
			const before = item.keys.map((key) => lastByKey.get(key)).filter(Boolean);
			let finish!: () => void;
			const done = new Promise<void>((resolve) => (finish = resolve));
			for (const key of item.keys) lastByKey.set(key, done);
			try {
				if (before.length > 0) await Promise.all(before);
				if (stopped) continue;
				outcomes[index] = { ok: true, value: await item.run() };
			} catch (error) {
				outcomes[index] = { ok: false, error };
				if (stopOnFailure) stopped = true;
			} finally {
				finish();
			}
		}
	};
	const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker);
	await Promise.all(workers);
	if (stopOnFailure) {
		const failed = outcomes.find((outcome) => outcome !== undefined && !outcome.ok);
		if (failed && !failed.ok) throw failed.error;
	}
	return outcomes as Array<ItemOutcome<R>>;
}
