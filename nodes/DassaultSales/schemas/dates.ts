/**
 * Dates as the API wants them: date-times in ISO 8601 UTC with `Z` (search bounds, close date,
 * next milestone date) and plain `YYYY-MM-DD` dates (offer line start/end). Users hand us what n8n
 * gives them: ISO strings with or without an offset, JS Dates, Luxon DateTimes. Parsing is strict on
 * purpose: `Date.parse` accepts "1" or "March 7", which would become silent wrong data in 3DS.
 */

const ISO_DATE_TIME =
	/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

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

/** The number written by the digits `value[from..to)` (the caller checked they are digits). */
const digitsAt = (value: string, from: number, to: number): number => {
	let number = 0;
	for (let i = from; i < to; i++) number = number * 10 + value.charCodeAt(i) - 48;
	return number;
};

const isLeapYear = (y: number) => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);

/** Days of month `mo` (1–12) of year `y` in the proleptic Gregorian calendar, as `Date` counts them. */
const daysInMonth = (y: number, mo: number): number =>
	mo === 2 ? (isLeapYear(y) ? 29 : 28) : mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;

/**
 * For a string matching CANONICAL: whether `new Date(value).toISOString() === value`, i.e. month
 * 1–12, a day its month has, hour 0–23, minute and second 0–59 (any year 0000–9999 and milliseconds).
 */
const isCanonicalInRange = (value: string): boolean => {
	const y = digitsAt(value, 0, 4);
	const mo = digitsAt(value, 5, 7);
	const d = digitsAt(value, 8, 10);
	return (
		mo >= 1 &&
		mo <= 12 &&
		d >= 1 &&
		d <= daysInMonth(y, mo) &&
		digitsAt(value, 11, 13) <= 23 &&
		digitsAt(value, 14, 16) <= 59 &&
		digitsAt(value, 17, 19) <= 59
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
	// Fast path: already the API's own form (what mapped CRM dates and n8n's fields usually are).
	// It is its own UTC form exactly when its parts are in range; checked without a Date, which
	// would cost more than all the rest of this function.
	if (CANONICAL.test(value)) return isCanonicalInRange(value) ? value : undefined;
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
