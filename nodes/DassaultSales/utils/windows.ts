export interface SearchWindow {
	fromDate: string;
	toDate: string;
}

/**
 * Splits [from, to] into consecutive windows of at most `maxMs` (the API's 7 days:
 * `MAX_SEARCH_WINDOW_MS`), oldest first. Bounds are shared by neighbouring windows, since the API's
 * bounds are inclusive; callers dedupe.
 */
export function splitIntoWindows(fromMs: number, toMs: number, maxMs: number): SearchWindow[] {
	const windows: SearchWindow[] = [];
	for (let start = fromMs; start < toMs; start += maxMs) {
		const end = Math.min(start + maxMs, toMs);
		windows.push({ fromDate: new Date(start).toISOString(), toDate: new Date(end).toISOString() });
	}
	return windows;
}
