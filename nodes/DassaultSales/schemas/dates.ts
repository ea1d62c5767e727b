/**
 * Dates as the API wants them: date-times in ISO 8601 UTC with `Z` (search bounds, close date,
 * next milestone date) and plain `YYYY-MM-DD` dates (offer line start/end). Users hand us what n8n
 * gives them: ISO strings with or without an offset, JS Dates, Luxon DateTimes. Parsing is strict on
 * purpose: `Date.parse` accepts "1" or "March 7", which would become silent wrong data in 3DS.
 */

const ISO_DATE_TIME =
	/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

interface DateTimeLike {
	isValid: boolean;
	toISO: () => string | null;
}

const isDateTimeLike = (value: unknown): value is DateTimeLike =>
	typeof value === 'object' &&
	value !== null &&
	typeof (value as DateTimeLike).toISO === 'function' &&
	typeof (value as DateTimeLike).isValid === 'boolean';

/** The calendar parts exist (no 31 February, no hour 25). */
const isRealDate = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0): boolean => {
	const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
	return (
		date.getUTCFullYear() === y &&
		date.getUTCMonth() === mo - 1 &&
		date.getUTCDate() === d &&
		date.getUTCHours() === h &&
		date.getUTCMinutes() === mi &&
		date.getUTCSeconds() === s
	);
};

/**
 * Reads a date-time and returns it as `YYYY-MM-DDTHH:mm:ss.sssZ` in UTC, or undefined when it is
 * not one. A value without a zone is read as UTC (documented in the README).
 */
export function toUtcDateTime(value: unknown): string | undefined {
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
	if (isDateTimeLike(value)) return value.isValid ? toUtcDateTime(value.toISO()) : undefined;
	if (typeof value !== 'string') return undefined;
	const match = ISO_DATE_TIME.exec(value.trim());
	if (!match) return undefined;
	const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone = 'Z'] = match;
	if (!isRealDate(+y, +mo, +d, +h, +mi, +s)) return undefined;
	let offsetMinutes = 0;
	if (zone.toUpperCase() !== 'Z') {
		const digits = zone.replace(':', '');
		const hours = Number(digits.slice(1, 3));
		const minutes = Number(digits.slice(3, 5));
		if (hours > 23 || minutes > 59) return undefined;
		offsetMinutes = (digits[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
	}
	const ms = Number(fraction.padEnd(3, '0').slice(0, 3));
	const epoch = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, ms) - offsetMinutes * 60_000;
	const result = new Date(epoch);
	// Years before 0000 or after 9999 have no four-digit ISO form.
	return Number.isNaN(epoch) || result.getUTCFullYear() > 9999 || result.getUTCFullYear() < 0
		? undefined
		: result.toISOString();
}

/**
 * Reads a calendar date and returns `YYYY-MM-DD`. A date-time keeps the date as written (its
 * offset is not applied): an offer that starts "2025-01-01T00:00+02:00" starts on 1 January.
 */
export function toIsoDate(value: unknown): string | undefined {
	if (value instanceof Date)
		return Number.isNaN(value.getTime()) ? undefined : value.toISOString().slice(0, 10);
	if (isDateTimeLike(value)) return value.isValid ? toIsoDate(value.toISO()) : undefined;
	if (typeof value !== 'string') return undefined;
	const trimmed = value.trim();
	if (!ISO_DATE_TIME.test(trimmed) || toUtcDateTime(trimmed) === undefined) return undefined;
	return trimmed.slice(0, 10);
}
