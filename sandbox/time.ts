// Timestamp formats as the real API writes them (see README, "Spec choices").

export const DAY_MS = 24 * 60 * 60 * 1000;

/** `2025-08-13T12:35:03.775Z`: records and most envelopes. */
export function isoMs(ms: number): string {
	return new Date(ms).toISOString();
}

/** `2025-08-08T16:36:23Z`: the search envelope drops the milliseconds. */
export function isoSeconds(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `2025-08-14T06:24:04.000Z`: the portfolio envelope keeps a zero millisecond part. */
export function isoWholeSeconds(ms: number): string {
	return new Date(Math.floor(ms / 1000) * 1000).toISOString();
}

/** `2024-12-31T00:00:00.000Z`: close dates are days. */
export function isoMidnight(ms: number): string {
	return new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString();
}

/** `2024-12-31`: offer line start/end dates (`format: date`). */
export function isoDate(ms: number): string {
	return new Date(ms).toISOString().slice(0, 10);
}
