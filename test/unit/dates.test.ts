/**
 * Dates as n8n users mean them (schemas/dates.ts): each field class (instants, days sent as
 * midnight UTC, offer line days sent as YYYY-MM-DD) × each input form × three zones, plus the
 * DST boundaries of America/Los_Angeles and what must stay an error.
 */
import { DateTime } from 'luxon';

import {
	isKnownTimeZone,
	toIsoDate,
	toUtcDateTime,
	toUtcMidnight,
} from '../../nodes/DassaultSales/schemas/dates';

const ZONES = ['UTC', 'Asia/Tokyo', 'America/Los_Angeles'] as const;
type Zone = (typeof ZONES)[number];
type PerZone = Record<Zone, string>;

const same = (value: string): PerZone => ({
	UTC: value,
	'Asia/Tokyo': value,
	'America/Los_Angeles': value,
});

/** An input form, the instant it is in each zone, and the day it is in each zone. */
interface Case {
	form: string;
	value: () => unknown;
	instant: PerZone;
	day: PerZone;
}

const CASES: Case[] = [
	{
		form: 'zoneless (the date picker)',
		value: () => '2026-12-31T23:30:00',
		instant: {
			UTC: '2026-12-31T23:30:00.000Z',
			'Asia/Tokyo': '2026-12-31T14:30:00.000Z',
			'America/Los_Angeles': '2027-01-01T07:30:00.000Z',
		},
		day: same('2026-12-31'),
	},
	{
		form: 'zoneless with a space, no seconds',
		value: () => '2026-11-20 09:00',
		instant: {
			UTC: '2026-11-20T09:00:00.000Z',
			'Asia/Tokyo': '2026-11-20T00:00:00.000Z',
			'America/Los_Angeles': '2026-11-20T17:00:00.000Z',
		},
		day: same('2026-11-20'),
	},
	{
		form: 'Z (a CRM instant: midnight in Tokyo)',
		value: () => '2026-12-30T15:00:00.000Z',
		instant: same('2026-12-30T15:00:00.000Z'),
		day: { UTC: '2026-12-30', 'Asia/Tokyo': '2026-12-31', 'America/Los_Angeles': '2026-12-30' },
	},
	{
		form: 'Z (evening in Los Angeles)',
		value: () => '2027-01-01T03:00:00Z',
		instant: same('2027-01-01T03:00:00.000Z'),
		day: { UTC: '2027-01-01', 'Asia/Tokyo': '2027-01-01', 'America/Los_Angeles': '2026-12-31' },
	},
	{
		form: 'Z at midnight (how 3DS writes a day)',
		value: () => '2026-12-31T00:00:00.000Z',
		instant: same('2026-12-31T00:00:00.000Z'),
		day: same('2026-12-31'),
	},
	{
		form: 'offset',
		value: () => '2026-12-31T20:00:00-08:00',
		instant: same('2027-01-01T04:00:00.000Z'),
		day: { UTC: '2027-01-01', 'Asia/Tokyo': '2027-01-01', 'America/Los_Angeles': '2026-12-31' },
	},
	{
		form: 'offset at midnight (a day written in its own zone)',
		value: () => '2026-12-31T00:00:00+09:00',
		instant: same('2026-12-30T15:00:00.000Z'),
		day: same('2026-12-31'),
	},
	{
		form: 'Date',
		value: () => new Date('2026-12-30T15:00:00.000Z'),
		instant: same('2026-12-30T15:00:00.000Z'),
		day: { UTC: '2026-12-30', 'Asia/Tokyo': '2026-12-31', 'America/Los_Angeles': '2026-12-30' },
	},
	{
		form: "Date of a date-only string (new Date('2026-12-31'))",
		value: () => new Date('2026-12-31'),
		instant: same('2026-12-31T00:00:00.000Z'),
		day: same('2026-12-31'),
	},
	{
		form: 'Luxon DateTime',
		value: () => DateTime.fromISO('2026-12-31T09:00', { zone: 'Asia/Tokyo' }),
		instant: same('2026-12-31T00:00:00.000Z'),
		day: { UTC: '2026-12-31', 'Asia/Tokyo': '2026-12-31', 'America/Los_Angeles': '2026-12-30' },
	},
	{
		form: 'Luxon DateTime at midnight of its zone ($now.startOf("day"))',
		value: () => DateTime.fromISO('2026-12-31T00:00', { zone: 'Asia/Tokyo' }),
		instant: same('2026-12-30T15:00:00.000Z'),
		day: same('2026-12-31'),
	},
	{
		form: 'date-only',
		value: () => '2026-12-31',
		instant: {
			UTC: '2026-12-31T00:00:00.000Z',
			'Asia/Tokyo': '2026-12-30T15:00:00.000Z',
			'America/Los_Angeles': '2026-12-31T08:00:00.000Z',
		},
		day: same('2026-12-31'),
	},
	{
		form: 'epoch ms (number)',
		value: () => Date.parse('2026-12-30T15:00:00.000Z'),
		instant: same('2026-12-30T15:00:00.000Z'),
		day: { UTC: '2026-12-30', 'Asia/Tokyo': '2026-12-31', 'America/Los_Angeles': '2026-12-30' },
	},
	{
		form: 'epoch ms (numeric string, HubSpot legacy midnight UTC)',
		value: () => String(Date.parse('2026-12-31T00:00:00.000Z')),
		instant: same('2026-12-31T00:00:00.000Z'),
		day: same('2026-12-31'),
	},
	{
		form: 'RFC 2822 (mail date)',
		value: () => 'Thu, 31 Dec 2026 10:00:00 +0900',
		instant: same('2026-12-31T01:00:00.000Z'),
		day: { UTC: '2026-12-31', 'Asia/Tokyo': '2026-12-31', 'America/Los_Angeles': '2026-12-30' },
	},
];

describe.each(ZONES)('in the workflow time zone %s', (zone) => {
	describe.each(CASES)('$form', ({ value, instant, day }) => {
		it('an instant keeps its instant (zoneless: read in the zone), in UTC', () => {
			expect(toUtcDateTime(value(), zone)).toBe(instant[zone]);
		});
		it('a day is sent as midnight UTC of its calendar day', () => {
			expect(toUtcMidnight(value(), zone)).toBe(`${day[zone]}T00:00:00.000Z`);
		});
		it('an offer line day is sent as YYYY-MM-DD', () => {
			expect(toIsoDate(value(), zone)).toBe(day[zone]);
		});
	});
});

describe('DST boundaries (America/Los_Angeles)', () => {
	const zone = 'America/Los_Angeles';
	it.each([
		// Spring forward, 8 March 2026: 02:00–02:59 does not exist; Luxon moves it an hour on.
		['2026-03-08T01:59:00', '2026-03-08T09:59:00.000Z'],
		['2026-03-08T02:30:00', '2026-03-08T10:30:00.000Z'],
		['2026-03-08T03:00:00', '2026-03-08T10:00:00.000Z'],
		['2026-03-09T00:00:00', '2026-03-09T07:00:00.000Z'],
		// Fall back, 1 November 2026: 01:00–01:59 happens twice; Luxon takes the second (PST).
		['2026-11-01T00:30:00', '2026-11-01T07:30:00.000Z'],
		['2026-11-01T01:30:00', '2026-11-01T09:30:00.000Z'],
		['2026-11-01T02:00:00', '2026-11-01T10:00:00.000Z'],
	])('the zoneless %s is the instant %s', (value, expected) => {
		expect(toUtcDateTime(value, zone)).toBe(expected);
	});

	it.each([
		// Midnight is 08:00Z before the switch (PST) and 07:00Z after it (PDT).
		['2026-03-08T07:59:59.999Z', '2026-03-07'],
		['2026-03-08T08:00:00.000Z', '2026-03-08'],
		['2026-03-09T06:59:59.999Z', '2026-03-08'],
		['2026-03-09T07:00:00.000Z', '2026-03-09'],
		['2026-11-01T06:59:59.999Z', '2026-10-31'],
		['2026-11-01T07:00:00.000Z', '2026-11-01'],
		['2026-11-02T07:59:59.999Z', '2026-11-01'],
		['2026-11-02T08:00:00.000Z', '2026-11-02'],
	])('the instant %s is the day %s', (value, expected) => {
		expect(toIsoDate(value, zone)).toBe(expected);
		expect(toUtcMidnight(value, zone)).toBe(`${expected}T00:00:00.000Z`);
	});
});

describe('what is not a date stays an error (undefined), in every zone', () => {
	const GARBAGE: Array<[string, unknown]> = [
		['"1" (Date.parse: 2001)', '1'],
		['"March 7" (Date.parse: a date)', 'March 7'],
		['"Dec 31 2026"', 'Dec 31 2026'],
		['a year alone (Luxon fromISO: 1 January)', '2026'],
		['a month alone', '2026-12'],
		['a week date', '2026-W53'],
		['an ordinal date', '2026-365'],
		['a time alone (Luxon: today)', '09:00'],
		['a day/month/year', '31/12/2026'],
		['31 February', '2026-02-31'],
		['29 February of a common year, in the form 3DS gets', '2026-02-29T00:00:00.000Z'],
		['hour 24 in the form 3DS gets', '2026-11-20T24:00:00.000Z'],
		['hour 24', '2026-11-20T24:00'],
		['minute 60', '2026-11-20T09:60'],
		['an offset of 25 hours', '2026-11-20T09:00+25:00'],
		['a zone after a date without time', '2026-11-20Z'],
		['a compact ISO form', '20261120'],
		['an empty string', ''],
		['spaces', '   '],
		['text', 'tomorrow'],
		['a small number (1 ms after 1970)', 1],
		['a year as a number', 2026],
		['epoch seconds (a 1970 date as ms)', 1798675200],
		['a fraction of a ms', 1798675200000.5],
		['NaN', Number.NaN],
		['Infinity', Number.POSITIVE_INFINITY],
		['after 9999', Date.UTC(10000, 0, 1)],
		['an invalid Date', new Date('nope')],
		['an invalid DateTime', DateTime.fromISO('nope')],
		['null', null],
		['undefined', undefined],
		['true', true],
		['an object', { date: '2026-12-31' }],
		['a list', ['2026-12-31']],
	];
	describe.each(ZONES)('%s', (zone) => {
		it.each(GARBAGE)('%s', (_, value) => {
			expect(toUtcDateTime(value, zone)).toBeUndefined();
			expect(toUtcMidnight(value, zone)).toBeUndefined();
			expect(toIsoDate(value, zone)).toBeUndefined();
		});
	});

	it('an unknown zone reads nothing, rather than guessing one', () => {
		expect(isKnownTimeZone('Mars/Olympus_Mons')).toBe(false);
		expect(toUtcDateTime('2026-11-20T09:00', 'Mars/Olympus_Mons')).toBeUndefined();
		expect(isKnownTimeZone('Asia/Tokyo')).toBe(true);
		expect(isKnownTimeZone('UTC')).toBe(true);
	});
});
