/**
 * What the trigger keeps between polls, in `getWorkflowStaticData('node')`, and the settings it
 * reads from its parameters. The poll reads a validated copy of the state and hands back a new one;
 * only the node glue writes it back, once the whole poll has succeeded.
 */
import type { IDataObject } from 'n8n-workflow';

export type TriggerEvent = 'leadOpportunityUpdated' | 'unassignedLead';

export type TriggerOutput = 'records' | 'ids';

export type StartFrom = 'now' | 'lastHour' | 'lastDay' | 'last7Days' | 'last30Days';

export interface TriggerSettings {
	event: TriggerEvent;
	/** Status values to emit (the GET record's `status`); empty: every status. */
	statuses: string[];
	output: TriggerOutput;
	/** Where the first poll after the first activation starts. */
	startFrom: StartFrom;
}

const HOUR_MS = 60 * 60 * 1000;

/** How far back the first poll looks, per start option. */
export const START_LOOK_BACK_MS: Record<StartFrom, number> = {
	now: 0,
	lastHour: HOUR_MS,
	lastDay: 24 * HOUR_MS,
	last7Days: 7 * 24 * HOUR_MS,
	last30Days: 30 * 24 * HOUR_MS,
};

/**
 * The trigger's memory, as stored in the workflow's static data (plain JSON).
 *
 * - `cursor`: the upper bound (ISO 8601 UTC) up to which every change has been processed. The next
 *   poll searches from `cursor - overlap`.
 * - `seen`: the dedupe memory, `dsLeadOpportunityId → modifiedDate` of the last version processed
 *   (emitted, or filtered out by the options). Because a record's modifiedDate never goes back, the
 *   latest key per id stands for every older key of that id: a version is new exactly when its
 *   modifiedDate is later than `seen[id]`. Entries older than `cursor - overlap` are dropped (no
 *   search can return those versions again) and at most `MAX_SEEN` are kept.
 * - `event`: the event the state belongs to; another event starts afresh.
 * - `since`: where the first activation started (now, or Start From's look-back). Later polls look
 *   back `overlap` before their cursor, which right after an activation "from now" reaches changes
 *   made before it: those are remembered, never emitted.
 */
export interface TriggerState {
	version: 1;
	event: TriggerEvent;
	cursor: string;
	seen: Record<string, string>;
	since?: string;
}

/** The dedupe memory's cap (the most recent modifiedDates are kept). */
export const MAX_SEEN = 10_000;

const isIsoDate = (value: unknown): value is string =>
	typeof value === 'string' && !Number.isNaN(Date.parse(value));

/** The stored state if it is one this version wrote for this event; undefined starts afresh. */
export function readState(staticData: IDataObject, event: TriggerEvent): TriggerState | undefined {
	if (staticData.version !== 1 || staticData.event !== event || !isIsoDate(staticData.cursor)) {
		return undefined;
	}
	const seen: Record<string, string> = {};
	const stored = staticData.seen;
	if (typeof stored === 'object' && stored !== null && !Array.isArray(stored)) {
		for (const [id, modifiedDate] of Object.entries(stored as IDataObject)) {
			if (isIsoDate(modifiedDate)) seen[id] = modifiedDate;
		}
	}
	const since = isIsoDate(staticData.since) ? staticData.since : undefined;
	return { version: 1, event, cursor: staticData.cursor, seen, ...(since ? { since } : {}) };
}

/** Replaces the stored state in place (n8n keeps the same static-data object across polls). */
export function writeState(staticData: IDataObject, state: TriggerState): void {
	for (const key of Object.keys(staticData)) delete staticData[key];
	Object.assign(staticData, {
		version: state.version,
		event: state.event,
		cursor: state.cursor,
		seen: { ...state.seen },
		...(state.since ? { since: state.since } : {}),
	});
}
