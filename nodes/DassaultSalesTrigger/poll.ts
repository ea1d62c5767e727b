/**
 * The trigger's poll: which windows to search, which ids to GET, what to emit, where the cursor
 * goes. Pure logic over a `DassaultSalesClient` and a `TriggerState`; the node glue at the bottom
 * (`pollTrigger`) reads parameters and static data, and writes the state back only after every
 * call of the poll has succeeded.
 *
 * Exactness. Assumed of the API: a record's modifiedDate never goes back and has millisecond
 * precision; search bounds are inclusive; a change becomes visible to search at most OVERLAP after
 * the time it is stamped with (as our clock reads it).
 * 1. Every poll searches [cursor - OVERLAP, now]. A change stamped at or before `now` that 3DS
 *    only makes visible later (commit lag, clock skew; assumed under OVERLAP) is stamped after
 *    `now - OVERLAP`, so the next poll's window still covers it.
 * 2. Dedupe: `seen[id]` is the modifiedDate of the last version processed. A record's modifiedDate
 *    never goes back, so a GET showing `modifiedDate <= seen[id]` is a version already processed,
 *    and one showing a later date is new: each (id, modifiedDate) is emitted once, and a lead
 *    modified twice (seen by two polls) is emitted twice.
 * 3. GET saving: the window [cursor - OVERLAP, now] is cut at every remembered modifiedDate inside
 *    it. If the search of a window [from, to] returns an id with `to <= seen[id]`, that id's current
 *    modifiedDate is at most `to`, hence at most `seen[id]`, hence (it never goes back) equal to it:
 *    nothing new, no GET. Any id that moved is found only in windows ending after `seen[id]`, and is
 *    fetched, however late its change was committed (no "it would be in the newer part" timing
 *    argument, which commit lag breaks). The cut costs one search per remembered date where the
 *    naive poll pays one GET per remembered id; ids sharing a date share the cut.
 *    Within one poll an id is resolved once (proven unchanged, or fetched); a later window of the
 *    same poll returning it again is ignored. A change made after that resolution is a change made
 *    during this poll, so by 1. it is stamped after `now - OVERLAP` and the next poll, whose window
 *    starts at or before that, finds it with a date later than `seen[id]` and fetches it.
 * 4. Budget: windows are resolved oldest first; the cursor moves to the end of the last window
 *    whose ids were all resolved (never back). A window that would not fit the remaining budget is
 *    halved first; when the budget is nearly spent the poll stops between windows, emits what it
 *    has and the next poll continues from there. A window caught by the deadline half-way is
 *    dropped whole (its GETs are redone), so every poll's items are its windows' items.
 * 5. IDs Only output still GETs: without the record's modifiedDate two versions of a lead cannot
 *    be told apart (a search only says "somewhere in this window"), so exactness needs it.
 * 6. A GET answering ERROR_048 ("not in scope of requestor") between search and GET means the lead
 *    left the partner's scope: there is no version to emit, and the poll goes on.
 * 7. A passing fault (429, 503, timeout; see streak.ts) ends the poll: the complete windows are
 *    emitted and committed, and so are the versions the window under way did fetch, though not
 *    the window itself: the next poll searches it again, and by 2. and 3. (their dates are
 *    remembered, and cut the window) does not fetch or emit them again. Without this, a window
 *    with many ids would rarely get through 5 % of 429s, and grow with every poll that failed it.
 *    (The budget path drops such a window whole, so that a catch-up stays in order across polls;
 *    after a fault, an older change whose GET failed may come one poll after a newer one.)
 * 8. New Unassigned Lead emits a lead once: `announced[id]` remembers it (see state.ts). An id in
 *    it needs no GET, since no version of it will be emitted; a lead seen unassigned before
 *    `since` is remembered as announced without being emitted. A version left out by Only These
 *    Statuses is not announced: the lead is emitted once it reaches one of them.
 */
import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	apiError,
	apiErrorCode,
	asNodeError,
	DassaultSalesClient,
	getLeadOpportunity,
	searchIds,
	type ApiResponse,
	type RetryPolicy,
	MAX_SEARCH_WINDOW_MS,
	mapWithConcurrency,
	splitIntoWindows,
	statusOptions,
	type SearchCriteria,
	isKnownTimeZone,
	toUtcDateTime,
} from '../DassaultSales/shared';
import {
	MAX_SEEN,
	readState,
	lookBackMs,
	START_LOOK_BACK_MS,
	writeState,
	ANNOUNCED_KEEP_MS,
	MAX_ANNOUNCED,
	type StartFrom,
	type TriggerEvent,
	type Streak,
	type TriggerSettings,
	type TriggerState,
} from './state';
import { classifyFault, nextStreak, streakError, takeReport, type Fault } from './streak';

/** How far each poll looks back before its cursor: server clocks and commit lag. */
export const OVERLAP_MS = 60_000;
/** When n8n does not say (`getPollBudgetMs` is newer than some n8n versions). */
export const DEFAULT_POLL_BUDGET_MS = 45_000;
/** GETs in flight at once (as the action node's search). */
export const CONCURRENCY = 8;
/** At most this many extra cuts (one search each) per poll; ids beyond them are simply fetched. */
export const MAX_CUTS = 50;
/** A window with more ids to fetch is halved first (bounded work between two budget checks). */
export const MAX_GETS_PER_WINDOW = 200;
/** Windows shorter than this are not halved any more. */
export const MIN_SPLIT_MS = 1_000;
/** After this share of the budget no new window starts... */
export const SOFT_BUDGET_SHARE = 0.7;
/** ...and after this share a window under way is abandoned (its GETs are redone next poll). */
export const HARD_BUDGET_SHARE = 0.9;
/** Fetch Test Event looks this far back. */
export const MANUAL_LOOK_BACK_MS = 7 * 24 * 60 * 60 * 1000;
/** Fetch Test Event halves its range until a part holds at most this many ids, newest part first. */
export const MANUAL_MAX_GETS = 10;

const API_VERSION = 'v1';
/** GETs between two budget checks. */
const GET_CHUNK = CONCURRENCY * 2;

/**
 * Retries inside one poll are short: n8n does not serialise polls of a node, and overlapping polls
 * break each other, so a poll must end well inside its interval. A 429/503 still there after them
 * ends the poll early and leaves the cursor for the next poll (see streak.ts).
 */
export function pollRetryPolicy(budgetMs: number): RetryPolicy {
	const third = Math.max(1_000, Math.floor(budgetMs / 3));
	return {
		rateLimitRetries: 2,
		rateLimitWaitBudgetMs: 2 * Math.min(20_000, third),
		maxRateLimitWaitMs: Math.min(20_000, third),
		unavailableRetries: 2,
		networkRetries: 2,
		backoffBaseMs: 500,
		backoffMaxMs: 4_000,
		timeoutMs: Math.min(20_000, third),
	};
}

interface Window {
	from: number;
	to: number;
}

export interface PollOptions {
	/** Wall clock, epoch ms: the poll's upper bound and its budget. */
	now: () => number;
	budgetMs: number;
}

export interface PollStats {
	windows: number;
	searches: number;
	gets: number;
	/** Ids a search returned that needed no GET (known unchanged). */
	skipped: number;
	/** The budget ran out, or a passing fault came, before the last window: the cursor stops short of `now`. */
	stoppedEarly: boolean;
}

export interface PollOutcome {
	/** New versions, oldest first (modifiedDate, then id). */
	records: IDataObject[];
	/** The state to store. */
	state: TriggerState;
	stats: PollStats;
	/** The passing fault that ended the poll early, if one did. */
	fault?: Fault;
	/** Whether the cursor moved (a window was completed) or a new version was processed. */
	progressed: boolean;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The modifiedDate of a record in epoch ms, or undefined when it has none we can read. */
export function modifiedMs(record: IDataObject): number | undefined {
	const value = record.modifiedDate;
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const ms = Date.parse(value);
	return Number.isNaN(ms) ? undefined : ms;
}

const hasPartnerId = (record: IDataObject) =>
	typeof record.partnerLeadOpportunityId === 'string' &&
	record.partnerLeadOpportunityId.trim() !== '';

/** Whether a fetched record is an event of this trigger (the search already narrowed it down). */
export function matches(record: IDataObject, settings: TriggerSettings): boolean {
	if (settings.event === 'unassignedLead' && hasPartnerId(record)) return false;
	return settings.statuses.length === 0 || settings.statuses.includes(String(record.status));
}

function criteria(settings: TriggerSettings, window: Window): SearchCriteria {
	return {
		modifiedDate: { fromDate: iso(window.from), toDate: iso(window.to) },
		...(settings.event === 'unassignedLead' ? { partnerLeadOpportunityId: '' as const } : {}),
	};
}

/**
 * [lower, upper] cut at every remembered modifiedDate strictly inside it (at most MAX_CUTS, those
 * shared by most ids first), then into windows of at most 7 days. Bounds are inclusive and shared.
 */
export function planWindows(lower: number, upper: number, seen: Map<string, number>): Window[] {
	const idsAt = new Map<number, number>();
	for (const at of seen.values()) {
		if (at > lower && at < upper) idsAt.set(at, (idsAt.get(at) ?? 0) + 1);
	}
	const cuts = [...idsAt.keys()]
		.sort((a, b) => (idsAt.get(b) ?? 0) - (idsAt.get(a) ?? 0) || b - a)
		.slice(0, MAX_CUTS)
		.sort((a, b) => a - b);
	const points = [lower, ...cuts, upper];
	const windows: Window[] = [];
	for (let i = 1; i < points.length; i++) {
		for (const { fromDate, toDate } of splitIntoWindows(
			points[i - 1],
			points[i],
			MAX_SEARCH_WINDOW_MS,
		)) {
			windows.push({ from: Date.parse(fromDate), to: Date.parse(toDate) });
		}
	}
	return windows;
}

/** The 3DS code of a GET for an id that is unknown or out of the partner's scope (API-NOTES D.10). */
const NOT_IN_SCOPE = 'ERROR_048';

/** An id whose GET was not answered: a passing fault came first (`halt`). */
const NOT_FETCHED = Symbol('not fetched');

/**
 * GETs `ids` (v1, `CONCURRENCY` at once, in order); undefined for an id that left the scope. With
 * `halt`, a passing fault is kept there instead of thrown, no further GET starts, and the ids not
 * answered are NOT_FETCHED: the GETs that did succeed are not wasted.
 */
async function fetchRecords(
	client: DassaultSalesClient,
	ids: readonly string[],
	halt?: { fault?: Fault },
): Promise<Array<{ record: IDataObject; response: ApiResponse } | undefined | typeof NOT_FETCHED>> {
	return await mapWithConcurrency(ids, CONCURRENCY, async (id) => {
		if (halt?.fault) return NOT_FETCHED;
		try {
			return await getLeadOpportunity(client, API_VERSION, id);
		} catch (error) {
			if (apiErrorCode(error) === NOT_IN_SCOPE) return undefined;
			const fault = halt ? classifyFault(error) : undefined;
			if (halt && fault?.passing) {
				halt.fault ??= fault;
				return NOT_FETCHED;
			}
			throw asNodeError(client.node, error);
		}
	});
}

/**
 * The id was found in `window`, so its modifiedDate now is within it; if the window ends at or
 * before the modifiedDate already processed, that is the one it still has.
 */
const knownUnchanged = (seen: Map<string, number>, id: string, window: Window) => {
	const at = seen.get(id);
	return at !== undefined && window.to <= at;
};

/** One poll after the first activation: see the file comment for why it is exact. */
export async function pollChanges(
	client: DassaultSalesClient,
	settings: TriggerSettings,
	previous: TriggerState | undefined,
	options: PollOptions,
): Promise<PollOutcome> {
	const startedAt = options.now();
	const upper = startedAt;
	const stats: PollStats = { windows: 0, searches: 0, gets: 0, skipped: 0, stoppedEarly: false };
	const lookBack = lookBackMs(settings, upper);
	const fresh = (cursor: number): TriggerState => ({
		version: 1,
		event: settings.event,
		cursor: iso(cursor),
		seen: {},
		since: iso(cursor),
	});
	if (previous === undefined && lookBack === 0) {
		// First activation, starting now: nothing to emit, no flood of history.
		return { records: [], state: fresh(upper), stats, progressed: true };
	}
	const state = previous ?? fresh(upper - lookBack);
	const cursor = Date.parse(state.cursor);
	const lower = previous === undefined ? cursor : cursor - OVERLAP_MS;
	if (upper <= lower) return { records: [], state, stats, progressed: false };

	const since = state.since === undefined ? -Infinity : Date.parse(state.since);
	const seen = new Map<string, number>(
		Object.entries(state.seen).map(([id, at]) => [id, Date.parse(at)]),
	);
	const once = settings.event === 'unassignedLead' && !settings.emitEveryChange;
	const announced = new Map<string, number>(
		once ? Object.entries(state.announced ?? {}).map(([id, at]) => [id, Date.parse(at)]) : [],
	);
	const queue = planWindows(lower, upper, seen);
	const softDeadline = startedAt + options.budgetMs * SOFT_BUDGET_SHARE;
	const hardDeadline = startedAt + options.budgetMs * HARD_BUDGET_SHARE;
	const emitted: Array<{ id: string; at: number; record: IDataObject }> = [];
	/** New versions processed by this poll (emitted or filtered out). */
	let processed = 0;
	/** Ids this poll already proved unchanged or fetched. */
	const resolved = new Set<string>();
	let committed = cursor;
	let done = 0;
	let fault: Fault | undefined;
	/** A passing fault ends the poll (7. above); any other error is thrown, the state untouched. */
	const orStop = async <T>(call: () => Promise<T>): Promise<T | undefined> => {
		try {
			return await call();
		} catch (error) {
			const found = classifyFault(error);
			if (found === undefined || !found.passing) throw asNodeError(client.node, error);
			fault = found;
			stats.stoppedEarly = true;
			return undefined;
		}
	};

	while (queue.length > 0) {
		if (done > 0 && options.now() >= softDeadline) {
			stats.stoppedEarly = true;
			break;
		}
		const window = queue.shift() as Window;
		const found = await orStop(async () => await searchIds(client, criteria(settings, window)));
		if (found === undefined) break;
		const ids = found.filter((id) => !resolved.has(id));
		stats.searches++;
		const toGet = ids.filter((id) => !knownUnchanged(seen, id, window) && !announced.has(id));
		// Time per request so far, concurrency included (elapsed / requests sent): what n more cost.
		const projectedMs =
			(toGet.length * (options.now() - startedAt)) / Math.max(1, client.stats.requests);
		if (
			toGet.length > 1 &&
			window.to - window.from >= MIN_SPLIT_MS &&
			(toGet.length > MAX_GETS_PER_WINDOW || options.now() + projectedMs > hardDeadline)
		) {
			const middle = Math.floor((window.from + window.to) / 2);
			queue.unshift({ from: window.from, to: middle }, { from: middle, to: window.to });
			continue;
		}
		const fetched: Array<{ id: string; record: IDataObject }> = [];
		let abandoned = false;
		const halt: { fault?: Fault } = {};
		for (let start = 0; start < toGet.length && !halt.fault; start += GET_CHUNK) {
			if (options.now() >= hardDeadline) {
				abandoned = true;
				break;
			}
			const chunk = toGet.slice(start, start + GET_CHUNK);
			const results = await fetchRecords(client, chunk, halt);
			stats.gets += results.filter((result) => result !== NOT_FETCHED).length;
			for (const [index, result] of results.entries()) {
				if (result === undefined || result === NOT_FETCHED) continue;
				const { record, response } = result;
				if (modifiedMs(record) === undefined) {
					// Without a modifiedDate a version cannot be told from the next: refuse rather than guess.
					throw apiError({
						node: client.node,
						action: `read the modifiedDate of lead-opportunity "${chunk[index]}"`,
						statusCode: response.statusCode,
						body: response.body,
						environment: (await client.resolveCredentials()).environment,
						unexpectedShape: true,
					});
				}
				fetched.push({ id: chunk[index], record });
			}
		}
		if (abandoned) {
			stats.stoppedEarly = true;
			break;
		}
		// A passing fault half-way (7.): what was fetched is processed, the window is not committed.
		for (const { id, record } of fetched) {
			const at = modifiedMs(record) as number;
			const known = seen.get(id);
			if (known !== undefined && at <= known) continue;
			// A lead claimed meanwhile: the unassigned search cannot return this version, nothing to remember.
			if (settings.event === 'unassignedLead' && hasPartnerId(record)) continue;
			seen.set(id, at);
			processed++;
			if (at < since) {
				if (once) announced.set(id, at); // known before the activation: not new
			} else if (matches(record, settings)) {
				emitted.push({ id, at, record });
				if (once) announced.set(id, at);
			}
		}
		if (halt.fault) {
			fault = halt.fault;
			stats.stoppedEarly = true;
			break;
		}
		stats.skipped += ids.length - toGet.length;
		for (const id of ids) resolved.add(id);
		committed = Math.max(committed, window.to);
		done++;
		stats.windows++;
	}

	const keepFrom = committed - OVERLAP_MS;
	const kept = [...seen.entries()]
		.filter(([, at]) => at >= keepFrom)
		.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
		.slice(0, MAX_SEEN)
		.reverse();
	const announcedFrom = committed - ANNOUNCED_KEEP_MS;
	const announcedKept = [...announced.entries()]
		.filter(([, at]) => at >= announcedFrom)
		.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
		.slice(0, MAX_ANNOUNCED)
		.reverse();
	emitted.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
	return {
		records: emitted.map(({ record }) => record),
		state: {
			version: 1,
			event: settings.event,
			cursor: iso(committed),
			seen: Object.fromEntries(kept.map(([id, at]) => [id, iso(at)])),
			// Kept while the next poll's overlap still reaches back before it.
			...(state.since !== undefined && keepFrom < since ? { since: state.since } : {}),
			...(announcedKept.length > 0
				? { announced: Object.fromEntries(announcedKept.map(([id, at]) => [id, iso(at)])) }
				: {}),
		},
		stats,
		...(fault ? { fault } : {}),
		progressed: committed > cursor || processed > 0,
	};
}

/**
 * Fetch Test Event: the most recent matching lead-opportunity of the last 7 days. The range is
 * halved, newest half first, until a part holds few ids; those are fetched and the latest matching
 * one wins. Undefined when there is none.
 */
export async function fetchTestEvent(
	client: DassaultSalesClient,
	settings: TriggerSettings,
	now: number,
): Promise<IDataObject | undefined> {
	const latestIn = async (window: Window): Promise<IDataObject | undefined> => {
		const ids = await searchIds(client, criteria(settings, window));
		if (ids.length === 0) return undefined;
		if (ids.length > MANUAL_MAX_GETS && window.to - window.from >= MIN_SPLIT_MS) {
			const middle = Math.floor((window.from + window.to) / 2);
			return (
				(await latestIn({ from: middle, to: window.to })) ??
				(await latestIn({ from: window.from, to: middle }))
			);
		}
		const results = await fetchRecords(client, ids);
		let best: { record: IDataObject; at: number; id: string } | undefined;
		results.forEach((result, index) => {
			// (Without `halt` every id is answered or thrown: NOT_FETCHED cannot come here.)
			if (result === undefined || result === NOT_FETCHED || !matches(result.record, settings))
				return;
			const { record } = result;
			const at = modifiedMs(record) ?? Number.NEGATIVE_INFINITY;
			const id = ids[index];
			if (!best || at > best.at || (at === best.at && id > best.id)) best = { record, at, id };
		});
		return best?.record;
	};
	return await latestIn({ from: now - MANUAL_LOOK_BACK_MS, to: now });
}

/** Items as the trigger emits them: the GET record (as the action node's Get), or its id and date. */
export function toItems(
	records: IDataObject[],
	output: TriggerSettings['output'],
): INodeExecutionData[] {
	return records.map((record) => ({
		json:
			output === 'ids'
				? {
						dsLeadOpportunityId: record.dsLeadOpportunityId ?? null,
						modifiedDate: record.modifiedDate ?? null,
					}
				: record,
	}));
}

const EVENTS: TriggerEvent[] = ['leadOpportunityUpdated', 'unassignedLead'];
const STATUSES = new Set(statusOptions.map((option) => String(option.value)));

/** Start From's date and time: zoneless in the workflow's time zone, as n8n's date picker gives it. */
function readStartAt(ctx: IPollFunctions, value: unknown): number {
	const zone = ctx.getTimezone();
	const iso = isKnownTimeZone(zone) ? toUtcDateTime(value, zone) : undefined;
	if (iso !== undefined) return Date.parse(iso);
	throw new NodeOperationError(ctx.getNode(), 'Start From Date and Time must be a date and time', {
		description: `Got ${JSON.stringify(value ?? '')?.slice(0, 40)}${isKnownTimeZone(zone) ? '' : ` (and the workflow's time zone "${zone}" is unknown)`}. Pick one, or give an ISO 8601 date-time such as 2026-11-20T09:00 (read in the workflow's time zone, ${zone}) or 2026-11-20T00:00:00Z, or milliseconds since the epoch.`,
	});
}

export function readSettings(ctx: IPollFunctions): TriggerSettings {
	const event = ctx.getNodeParameter('event', 'leadOpportunityUpdated') as TriggerEvent;
	if (!EVENTS.includes(event)) {
		throw new NodeOperationError(ctx.getNode(), `Unknown trigger event "${String(event)}"`, {
			description: `Choose one of: ${EVENTS.join(', ')}.`,
		});
	}
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const statuses = (Array.isArray(options.statuses) ? options.statuses : []).map(String);
	const unknown = statuses.filter((status) => !STATUSES.has(status));
	if (unknown.length > 0) {
		throw new NodeOperationError(ctx.getNode(), `Unknown status "${unknown[0]}" in Statuses`, {
			description: `Statuses are: ${[...STATUSES].join(', ')}.`,
		});
	}
	const startFrom = String(options.startFrom ?? 'now');
	const atDateTime = startFrom === 'dateTime';
	return {
		event,
		statuses,
		output: options.output === 'ids' ? 'ids' : 'records',
		startFrom: (atDateTime || startFrom in START_LOOK_BACK_MS ? startFrom : 'now') as StartFrom,
		startAt: atDateTime ? readStartAt(ctx, options.startFromDateTime) : undefined,
		emitEveryChange: options.emitEveryChange === true,
	};
}

export function pollBudgetMs(ctx: IPollFunctions): number {
	const read = (ctx as Partial<IPollFunctions>).getPollBudgetMs;
	const budget = typeof read === 'function' ? read.call(ctx) : undefined;
	return typeof budget === 'number' && Number.isFinite(budget) && budget > 0
		? budget
		: DEFAULT_POLL_BUDGET_MS;
}

export interface PollEnvironment {
	/** Wall clock (epoch ms); tests run simulated time through it. */
	now?: () => number;
	/** How the client waits between retries; tests advance simulated time instead. */
	sleep?: (ms: number) => Promise<void>;
	/** Sees each poll's outcome before the state is written (tests and benchmarks count with it). */
	onOutcome?: (outcome: PollOutcome) => void;
}

/** The node's `poll()`: settings and state from n8n, one poll, the state written back on success. */
export async function pollTrigger(
	ctx: IPollFunctions,
	env: PollEnvironment = {},
): Promise<INodeExecutionData[][] | null> {
	const now = env.now ?? Date.now;
	try {
		const settings = readSettings(ctx);
		const budgetMs = pollBudgetMs(ctx);
		const client = new DassaultSalesClient(ctx, {
			retry: pollRetryPolicy(budgetMs),
			now,
			sleep: env.sleep,
		});
		if (ctx.getMode() === 'manual') {
			// Fetch Test Event: a sample, and the trigger's state stays as it was.
			const record = await fetchTestEvent(client, settings, now());
			if (record === undefined) {
				throw new NodeOperationError(
					ctx.getNode(),
					'No data with the current filter could be found',
					{
						description: `No ${settings.event === 'unassignedLead' ? 'unassigned lead' : 'lead-opportunity'}${
							settings.statuses.length > 0 ? ` with status ${settings.statuses.join(' or ')}` : ''
						} was created or modified in the last 7 days. Change one in 3DS, or widen the options, and fetch again.`,
					},
				);
			}
			return [toItems([record], settings.output)];
		}
		const staticData = ctx.getWorkflowStaticData('node');
		const previous = readState(staticData, settings.event);
		const startedAt = now();
		let outcome: PollOutcome;
		try {
			outcome = await pollChanges(client, settings, previous, { now, budgetMs });
		} catch (error) {
			// A refused key: the poll's work is dropped (the state stays as it was) and the error is
			// raised, with the streak's since when there is a state to keep the streak in.
			const fault = classifyFault(error);
			if (fault === undefined || previous === undefined) throw asNodeError(ctx.getNode(), error);
			const streak = nextStreak(previous.streak, startedAt, fault, false) as Streak;
			const loud = takeReport(streak, now());
			writeState(staticData, { ...previous, streak });
			if (loud) throw streakError(ctx.getNode(), streak, fault, previous.cursor, now());
			return null;
		}
		env.onOutcome?.(outcome);
		const streak = nextStreak(previous?.streak, startedAt, outcome.fault, outcome.progressed);
		const state: TriggerState = streak ? { ...outcome.state, streak } : outcome.state;
		const loud = streak !== undefined && takeReport(streak, now());
		writeState(staticData, state);
		if (loud) throw streakError(ctx.getNode(), streak, outcome.fault as Fault, state.cursor, now());
		return outcome.records.length > 0 ? [toItems(outcome.records, settings.output)] : null;
	} catch (error) {
		throw asNodeError(ctx.getNode(), error);
	}
}
