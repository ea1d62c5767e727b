/**
 * The trigger's settings, as read from its parameters: the event, what it watches, the options,
 * and the poll's time budget (from n8n's budget and the node's own Poll Times).
 */
import type { IDataObject, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isKnownTimeZone, statusOptions, toUtcDateTime } from '../DassaultSales/shared';
import { WATCHABLE_FIELDS, type WatchedField } from './watchedFields';

export type TriggerEvent =
	| 'leadOpportunityCreated'
	| 'leadOpportunityUpdated'
	| 'statusChanged'
	| 'fieldChanged'
	| 'wonOrLost'
	| 'unassignedLead';

export const EVENTS: readonly TriggerEvent[] = [
	'leadOpportunityCreated',
	'leadOpportunityUpdated',
	'statusChanged',
	'fieldChanged',
	'wonOrLost',
	'unassignedLead',
];

export type TriggerOutput = 'records' | 'ids';

export type StartFrom = 'now' | 'lastHour' | 'lastDay' | 'last7Days' | 'last30Days' | 'dateTime';

export interface TriggerSettings {
	event: TriggerEvent;
	/** Status values to emit (the GET record's `status` after the change); empty: every status. */
	statuses: string[];
	/** Status Changed, Won or Lost: the statuses a change must lead to; empty: any status. */
	toStatuses: string[];
	/** The fields whose values the trigger remembers and compares; empty for Created and Unassigned. */
	watched: WatchedField[];
	output: TriggerOutput;
	/** Records with the ten fields of the action node's Simplify (not with IDs Only). */
	simplify?: boolean;
	/** Where the first poll after the first activation starts. */
	startFrom: StartFrom;
	/** Start From "At a Date and Time": that instant (epoch ms), read in the workflow's time zone. */
	startAt?: number;
	/** New Unassigned Lead: emit every change of an unassigned lead, not only its first sighting. */
	emitEveryChange: boolean;
}

const HOUR_MS = 60 * 60 * 1000;

/** How far back the first poll looks, per start option (`dateTime`: from `startAt`). */
export const START_LOOK_BACK_MS: Record<Exclude<StartFrom, 'dateTime'>, number> = {
	now: 0,
	lastHour: HOUR_MS,
	lastDay: 24 * HOUR_MS,
	last7Days: 7 * 24 * HOUR_MS,
	last30Days: 30 * 24 * HOUR_MS,
};

/** How far before `now` the first poll starts (negative: a start still to come). */
export const lookBackMs = (settings: TriggerSettings, now: number): number =>
	settings.startFrom === 'dateTime'
		? now - (settings.startAt ?? now)
		: START_LOOK_BACK_MS[settings.startFrom];

/** Start From's date and time: zoneless in the workflow's time zone, as n8n's date picker gives it. */
function readStartAt(ctx: IPollFunctions, value: unknown): number {
	const zone = ctx.getTimezone();
	const iso = isKnownTimeZone(zone) ? toUtcDateTime(value, zone) : undefined;
	if (iso !== undefined) return Date.parse(iso);
	throw new NodeOperationError(ctx.getNode(), 'Start From Date and Time must be a date and time', {
		description: `Got ${JSON.stringify(value ?? '')?.slice(0, 40)}${isKnownTimeZone(zone) ? '' : ` (and the workflow's time zone "${zone}" is unknown)`}. Pick one, or give an ISO 8601 date-time such as 2026-11-20T09:00 (read in the workflow's time zone, ${zone}) or 2026-11-20T00:00:00Z, or milliseconds since the epoch.`,
	});
}

const STATUSES = new Set(statusOptions.map((option) => String(option.value)));
const ALL_FIELDS = WATCHABLE_FIELDS.map((field) => field.name);

/** The statuses of an option, refused with the field's name when one is unknown. */
function readStatuses(ctx: IPollFunctions, value: unknown, label: string): string[] {
	const statuses = (Array.isArray(value) ? value : []).map(String);
	const unknown = statuses.filter((status) => !STATUSES.has(status));
	if (unknown.length > 0) {
		throw new NodeOperationError(ctx.getNode(), `Unknown status "${unknown[0]}" in ${label}`, {
			description: `Statuses are: ${[...STATUSES].join(', ')}.`,
		});
	}
	return statuses;
}

/** Field Changed's fields (at least one, each known); every field for the other watching events. */
function readWatched(ctx: IPollFunctions, event: TriggerEvent): WatchedField[] {
	if (event === 'leadOpportunityCreated' || event === 'unassignedLead') return [];
	if (event === 'statusChanged' || event === 'wonOrLost') return ['status'];
	if (event === 'leadOpportunityUpdated') return ALL_FIELDS;
	const picked = (ctx.getNodeParameter('fields', []) as unknown[]).map(String);
	const unknown = picked.find((name) => !ALL_FIELDS.includes(name as WatchedField));
	if (picked.length === 0 || unknown !== undefined) {
		throw new NodeOperationError(
			ctx.getNode(),
			unknown ? `Unknown field "${unknown}" in Fields` : 'Choose at least one field in Fields',
			{ description: `Fields are: ${ALL_FIELDS.join(', ')}.` },
		);
	}
	// In the list's order, so that a state written for the same choice reads back the same.
	return ALL_FIELDS.filter((name) => picked.includes(name));
}

export function readSettings(ctx: IPollFunctions): TriggerSettings {
	const event = ctx.getNodeParameter('event', 'leadOpportunityUpdated') as TriggerEvent;
	if (!EVENTS.includes(event)) {
		throw new NodeOperationError(ctx.getNode(), `Unknown trigger event "${String(event)}"`, {
			description: `Choose one of: ${EVENTS.join(', ')}.`,
		});
	}
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const toStatuses =
		event === 'wonOrLost'
			? ['WON', 'LOST']
			: event === 'statusChanged'
				? readStatuses(ctx, options.toStatuses, 'To Statuses')
				: [];
	const startFrom = String(options.startFrom ?? 'now');
	const atDateTime = startFrom === 'dateTime';
	return {
		event,
		// (Hidden for the status events, whose To Statuses says it: a value left from another event is ignored.)
		statuses:
			event === 'statusChanged' || event === 'wonOrLost'
				? []
				: readStatuses(ctx, options.statuses, 'Statuses'),
		toStatuses,
		watched: readWatched(ctx, event),
		output: options.output === 'ids' ? 'ids' : 'records',
		simplify: ctx.getNodeParameter('simplify', true) !== false,
		startFrom: (atDateTime || startFrom in START_LOOK_BACK_MS ? startFrom : 'now') as StartFrom,
		startAt: atDateTime ? readStartAt(ctx, options.startFromDateTime) : undefined,
		emitEveryChange: options.emitEveryChange === true,
	};
}
