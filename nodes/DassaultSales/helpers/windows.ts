import { MAX_SEARCH_WINDOW_MS } from '../schemas';

export interface SearchWindow {
	fromDate: string;
	toDate: string;
}

/**
 * Splits [from, to] into consecutive windows of at most 7 days (the API's limit), oldest first.
 * Bounds are shared by neighbouring windows, since the API's bounds are inclusive; callers dedupe.
 */
export function splitIntoWindows(
	fromMs: number,
	toMs: number,
	maxMs: number = MAX_SEARCH_WINDOW_MS,
): SearchWindow[] {
	const windows: SearchWindow[] = [];
	for (let start = fromMs; start < toMs; start += maxMs) {
		const end = Math.min(start + maxMs, toMs);
		windows.push({ fromDate: new Date(start).toISOString(), toDate: new Date(end).toISOString() });
	}
	return windows;
}
