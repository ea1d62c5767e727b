/**
 * What the trigger keeps between polls, in `getWorkflowStaticData('node')`, and the settings it
 * reads from its parameters. The poll reads a validated copy of the state and hands back a new one;
 * only the node glue writes it back, once the whole poll has succeeded.
 */
import type { IDataObject } from 'n8n-workflow';

export type TriggerEvent = 'leadOpportunityUpdated' | 'unassignedLead';

export type TriggerOutput = 'records' | 'ids';

export type StartFrom = 'now' | 'lastHour' | 'lastDay' | 'last7Days' | 'last30Days' | 'dateTime';

export interface TriggerSettings {
	event: TriggerEvent;
	/** Status values to emit (the GET record's `status`); empty: every status. */
	statuses: string[];
	output: TriggerOutput;
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
 * - `announced` (New Unassigned Lead without Emit Every Change): `dsLeadOpportunityId →
 *   modifiedDate` of the version with which the lead was emitted (or first seen before `since`).
 *   A lead in it is not emitted again, whatever 3DS changes while it stays unassigned. Kept
 *   `ANNOUNCED_KEEP_MS` after that date, at most `MAX_ANNOUNCED` (the most recent). An entry is
 *   added by the poll that emits the lead, and n8n saves the static data with that poll's items:
 *   a restart never forgets a lead it emitted.
 * - `streak`: polls in a row that met a fault and made no progress (see streak.ts). Such polls
 *   return no items, and n8n (2.41, default settings) saves static data only with items, or after
 *   an activation's poll: the streak lives in memory (n8n keeps the static-data object across
 *   polls), and a restart of n8n starts it from what was saved, usually none. So an outage that
 *   spans a restart is reported again 15 minutes after it; and a streak saved by an activation's
 *   poll, if no items follow before the next restart, comes back with its old `since`. (With
 *   N8N_POLLER_DURABLE_CURSORS_ENABLED, n8n commits the static data of every poll, and the streak
 *   survives restarts.)
 */
export interface TriggerState {
	version: 1;
	event: TriggerEvent;
	cursor: string;
	seen: Record<string, string>;
	since?: string;
	announced?: Record<string, string>;
	streak?: Streak;
}

/** Why polls make no progress: the `failure.cause` n8n knows, as the transport set it. */
export type StreakCause = 'rate-limited' | 'temporarily-unavailable' | 'credential-invalid';
export const STREAK_CAUSES: readonly StreakCause[] = [
	'rate-limited',
	'temporarily-unavailable',
	'credential-invalid',
];

export interface Streak {
	/** When the first poll without progress started (ISO 8601 UTC). */
	since: string;
	/** Polls in a row without progress. */
	polls: number;
	/** The cause met by the last of them. */
	cause: StreakCause;
	/** ['passing'] once a passing cause was reported in this streak (a refused key is, every poll). */
	reported: string[];
	/** The last fault's message, for the error that reports the streak. */
	message: string;
}

/** The dedupe memory's cap (the most recent modifiedDates are kept). */
export const MAX_SEEN = 10_000;
/** The "already emitted" memory of New Unassigned Lead: its cap, and how long an entry is kept. */
export const MAX_ANNOUNCED = 10_000;
export const ANNOUNCED_KEEP_MS = 90 * 24 * HOUR_MS;

const isIsoDate = (value: unknown): value is string =>
	typeof value === 'string' && !Number.isNaN(Date.parse(value));

/** The stored state if it is one this version wrote for this event; undefined starts afresh. */
export function readState(staticData: IDataObject, event: TriggerEvent): TriggerState | undefined {
	if (staticData.version !== 1 || staticData.event !== event || !isIsoDate(staticData.cursor)) {
		return undefined;
	}
	const seen = readDates(staticData.seen);
	const announced = readDates(staticData.announced);
	const since = isIsoDate(staticData.since) ? staticData.since : undefined;
	const streak = readStreak(staticData.streak);
	return {
		version: 1,
		event,
		cursor: staticData.cursor,
		seen,
		...(since ? { since } : {}),
		...(Object.keys(announced).length > 0 ? { announced } : {}),
		...(streak ? { streak } : {}),
	};
}

const isObject = (value: unknown): value is IDataObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** `id → ISO date` entries of a stored map; anything else is dropped. */
function readDates(stored: unknown): Record<string, string> {
	const dates: Record<string, string> = {};
	if (!isObject(stored)) return dates;
	for (const [id, date] of Object.entries(stored)) if (isIsoDate(date)) dates[id] = date;
	return dates;
}

function readStreak(stored: unknown): Streak | undefined {
	if (!isObject(stored) || !isIsoDate(stored.since)) return undefined;
	const { polls, cause, reported, message } = stored;
	if (typeof polls !== 'number' || !Number.isInteger(polls) || polls < 1) return undefined;
	if (!STREAK_CAUSES.includes(cause as StreakCause)) return undefined;
	return {
		since: stored.since,
		polls,
		cause: cause as StreakCause,
		reported: Array.isArray(reported) ? reported.map(String) : [],
		message: typeof message === 'string' ? message : '',
	};
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
		...(state.announced ? { announced: { ...state.announced } } : {}),
		...(state.streak ? { streak: { ...state.streak, reported: [...state.streak.reported] } } : {}),
	});
}
