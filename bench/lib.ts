/** Figures: medians of several runs with min and max, ratios taken within one run. */
export interface Figure {
	name: string;
	unit: string;
	median: number;
	min: number;
	max: number;
	runs: number;
	goal?: string;
	met?: boolean;
}

export const median = (values: number[]) => {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

export function figure(
	name: string,
	unit: string,
	values: number[],
	goal?: { text: string; met: (median: number) => boolean },
): Figure {
	const m = median(values);
	return {
		name,
		unit,
		median: round(m),
		min: round(Math.min(...values)),
		max: round(Math.max(...values)),
		runs: values.length,
		goal: goal?.text,
		met: goal ? goal.met(m) : undefined,
	};
}

export const round = (value: number) => Math.round(value * 1000) / 1000;

export const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

/** Repeats `run` and returns its results; a run returns one value per figure it measures. */
export async function repeat<T>(times: number, run: (index: number) => Promise<T>): Promise<T[]> {
	const results: T[] = [];
	for (let i = 0; i < times; i++) results.push(await run(i));
	return results;
}
