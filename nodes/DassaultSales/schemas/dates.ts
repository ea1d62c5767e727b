/**
 * Dates as n8n users mean them, and as the API wants them.
 *
 * Two kinds of field. An *instant* (search bounds, the trigger's start) goes to 3DS as ISO 8601 UTC
 * with `Z`. A *day* (close date, next milestone date, offer line start/end) goes as that calendar
 * day: midnight UTC for the date-time fields (the spec's `2024-12-31T00:00:00.000Z`), `YYYY-MM-DD`
 * for offer lines (`format: date`).
 *
 * How a value is read, given the workflow's time zone (`zone`, an IANA name):
 * - without an offset (n8n's date picker `2026-11-20T09:00:00`, `2026-11-20 09:00`, `2026-11-20`):
 *   in `zone`, as n8n's own nodes do; as a day, its own calendar date;
 * - with `Z` or an offset, a JS Date, a Luxon DateTime, milliseconds since the epoch: that instant;
 *   as a day, its calendar date in `zone`, except a value at exactly midnight in its own offset
 *   (`2026-12-31T00:00:00.000Z`, how 3DS, HubSpot date properties and `new Date('2026-12-31')`
 *   write a day), which is that day: otherwise a Get → Update round trip in a zone west of UTC
 *   would move every close date one day back.
 *
 * Luxon (n8n's date library, through n8n-workflow) parses and applies the zone and its DST rules.
 * We do not call n8n-workflow's `tryToParseDateTime`: after ISO, HTTP, RFC 2822 and SQL it falls
 * back on `Date.parse`, which reads "1" as 2001 and "March 7" as a date, and Luxon's `fromISO` and
 * `fromSQL` alone take "2026" (1 January, or 20:26 today), week dates and a bare time (today). That
 * would be silent wrong data in 3DS, so a string must first have a calendar date's shape (`SHAPE`).
 */
import { DateTime, Info } from 'luxon';

/** `YYYY-MM-DD`, then optionally a time (`T` or a space) and an offset. */
const SHAPE =
	/^(\d{4}-\d{2}-\d{2})(?:[T ]((?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?)(?: ?(Z|[+-](?:[01]\d|2[0-3])(?::?[0-5]\d)?))?)?$/i;

const DIGITS = /^\d+$/;

/**
 * Milliseconds since the epoch are accepted from 2000-01-01 on: a smaller number ("1", "2026",
 * seconds since the epoch) read as milliseconds would be a day of 1970, never what was meant.
 */
const MIN_EPOCH_MS = Date.UTC(2000, 0, 1);
/** 9999-12-31T23:59:59.999Z: later instants have no four-digit ISO year. */
const MAX_EPOCH_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** What was read: the instant, and its calendar date when the value was written without an offset. */
interface Reading {
	at: DateTime;
	writtenDay?: string;
}

/** Whether Luxon knows the zone (`Asia/Tokyo`, `UTC`, `Etc/GMT+5`). */
export const isKnownTimeZone = (zone: string): boolean => {
	const normalised = Info.normalizeZone(zone);
	return normalised !== null && normalised.isValid;
};

interface DateTimeLike {
	isValid: boolean;
	toMillis: () => number;
	zoneName?: string | null;
	offset?: number;
}

/** A Luxon DateTime from any copy of Luxon (n8n's expressions may hand over another one's). */
const isDateTimeLike = (value: unknown): value is DateTimeLike =>
	typeof value === 'object' &&
	value !== null &&
	typeof (value as DateTimeLike).toMillis === 'function' &&
	typeof (value as DateTimeLike).isValid === 'boolean';

const fromEpoch = (ms: number): Reading | undefined =>
	Number.isInteger(ms) && ms >= MIN_EPOCH_MS && ms <= MAX_EPOCH_MS
		? { at: DateTime.fromMillis(ms, { zone: 'UTC' }) }
		: undefined;

function fromString(text: string, zone: string): Reading | undefined {
	if (DIGITS.test(text)) return fromEpoch(Number(text));
	const match = SHAPE.exec(text);
	if (match) {
		const [, day, time = '00:00', offset] = match;
		const at = DateTime.fromISO(`${day}T${time}${offset ?? ''}`, { zone, setZone: true });
		return at.isValid ? { at, writtenDay: offset === undefined ? day : undefined } : undefined;
	}
	// Mail and HTTP dates always carry their zone; Luxon reads them strictly.
	const mail = DateTime.fromRFC2822(text, { setZone: true });
	if (mail.isValid) return { at: mail };
	const http = DateTime.fromHTTP(text, { setZone: true });
	return http.isValid ? { at: http } : undefined;
}

/** Reads any accepted form; undefined when it is none (or `zone` is unknown). */
function read(value: unknown, zone: string): Reading | undefined {
	let reading: Reading | undefined;
	if (typeof value === 'string') reading = fromString(value.trim(), zone);
	else if (typeof value === 'number') reading = fromEpoch(value);
	else if (value instanceof Date) reading = { at: DateTime.fromJSDate(value, { zone: 'UTC' }) };
	else if (isDateTimeLike(value) && value.isValid) {
		// Kept in its own zone, so that midnight there is recognised as a day.
		const own = value.zoneName ?? 'UTC';
		const at = DateTime.fromMillis(value.toMillis());
		reading = { at: at.setZone(isKnownTimeZone(own) ? own : 'UTC') };
	}
	if (reading === undefined || !reading.at.isValid || !isKnownTimeZone(zone)) return undefined;
	const year = reading.at.toUTC().year;
	return year >= 0 && year <= 9999 ? reading : undefined;
}

/**
 * Values already in the form 3DS gets (`2026-12-31T15:00:00.000Z`, `2026-12-31`) are what the
 * rules above make of them in any zone; checked by a round trip through Date, they skip Luxon,
 * whose zone arithmetic costs tens of µs (validation reads every date twice: helpers, then schema).
 */
const UTC_FORM = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const DAY_FORM = /^\d{4}-\d{2}-\d{2}$/;
const isUtcForm = (value: unknown): value is string =>
	typeof value === 'string' &&
	UTC_FORM.test(value) &&
	!Number.isNaN(Date.parse(value)) &&
	new Date(value).toISOString() === value;
const isDayForm = (value: unknown): value is string =>
	typeof value === 'string' && DAY_FORM.test(value) && isUtcForm(`${value}T00:00:00.000Z`);

/** A date-time as `YYYY-MM-DDTHH:mm:ss.sssZ` in UTC, or undefined when it is not one. */
export function toUtcDateTime(value: unknown, zone: string): string | undefined {
	if (isUtcForm(value) && isKnownTimeZone(zone)) return value;
	return read(value, zone)?.at.toUTC().toISO() ?? undefined;
}

/** The calendar day of a value as `YYYY-MM-DD` (see the rules above), or undefined. */
export function toIsoDate(value: unknown, zone: string): string | undefined {
	if (isDayForm(value) && isKnownTimeZone(zone)) return value;
	if (isUtcForm(value) && value.endsWith('T00:00:00.000Z') && isKnownTimeZone(zone))
		return value.slice(0, 10);
	// Read in UTC: a zoneless value's day is the one written, so only an instant needs `zone`.
	const reading = isKnownTimeZone(zone) ? read(value, 'UTC') : undefined;
	if (reading === undefined) return undefined;
	if (reading.writtenDay !== undefined) return reading.writtenDay;
	const { at } = reading;
	const midnight = at.hour === 0 && at.minute === 0 && at.second === 0 && at.millisecond === 0;
	return (midnight ? at : at.setZone(zone)).toISODate() ?? undefined;
}

/** A day as the spec's date-time fields hold one: `YYYY-MM-DDT00:00:00.000Z`, or undefined. */
export function toUtcMidnight(value: unknown, zone: string): string | undefined {
	const day = toIsoDate(value, zone);
	return day === undefined ? undefined : `${day}T00:00:00.000Z`;
}
