/**
 * One poll: the windows to search (windows.ts) are resolved oldest first within the budget
 * (budget.ts), the ids found are fetched (fetch.ts) and decided (changes.ts), and the cursor moves
 * to the end of the last complete window. Why this emits every change exactly once is written
 * once, in docs/trigger-exactness.md; the numbers in comments here refer to its sections.
 * The node glue at the bottom (`pollTrigger`) reads parameters and static data, and writes the
 * state back only after the poll has succeeded or ended quietly.
 */
import type { INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError, DassaultSalesClient, searchIds } from '../DassaultSales/shared';
import { HARD_BUDGET_SHARE, pollBudgetMs, pollRetryPolicy, SOFT_BUDGET_SHARE } from './budget';
import { ChangeMemory, type Emission } from './changes';
import { classifyFault, type Fault } from './faults';
import { fetchRecords, getChunk, NOT_FETCHED, readFetched } from './fetch';
import { toItems } from './items';
import { lookBackMs, readSettings, type TriggerSettings } from './settings';
import { readState, writeState, type Streak, type TriggerState } from './state';
import { nextStreak, streakError, takeReport } from './streak';
import { fetchTestEvent } from './testEvent';
import {
	criteria,
	halves,
	iso,
	MIN_SPLIT_MS,
	OVERLAP_MS,
	planWindows,
	type Window,
} from './windows';

/** A window with more ids to fetch is halved first (bounded work between two budget checks). */
export const MAX_GETS_PER_WINDOW = 200;

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
	/** New events, oldest first (modifiedDate, then id). */
	emissions: Emission[];
	/** The state to store. */
	state: TriggerState;
	stats: PollStats;
	/** The passing fault that ended the poll early, if one did. */
	fault?: Fault;
	/** Whether the cursor moved (a window was completed) or a new version was processed. */
	progressed: boolean;
}

/** A window's work: done (committed), halved (put back as two), or stopped (the poll ends). */
type WindowResult = 'done' | 'halved' | 'stopped';

/** The state of a first activation whose first poll starts at `cursor`. */
const freshState = (settings: TriggerSettings, cursor: number): TriggerState => ({
	version: 1,
	event: settings.event,
	cursor: iso(cursor),
	seen: {},
	since: iso(cursor),
	...(settings.event === 'leadOpportunityCreated' ? { createdFrom: iso(cursor) } : {}),
});

/** One poll over its windows: the loop of pollChanges, with what it has done so far. */
class PollRun {
	readonly stats: PollStats = { windows: 0, searches: 0, gets: 0, skipped: 0, stoppedEarly: false };
	readonly emitted: Emission[] = [];
	/** Ids this poll already proved unchanged or fetched. */
	private readonly resolved = new Set<string>();
	private readonly startedAt: number;
	committed: number;
	fault?: Fault;

	constructor(
		private readonly client: DassaultSalesClient,
		private readonly settings: TriggerSettings,
		readonly memory: ChangeMemory,
		private readonly options: PollOptions,
		cursor: number,
	) {
		this.startedAt = options.now();
		this.committed = cursor;
	}

	private deadline = (share: number) => this.startedAt + this.options.budgetMs * share;

	async run(queue: Window[]): Promise<void> {
		while (queue.length > 0) {
			if (this.stats.windows > 0 && this.options.now() >= this.deadline(SOFT_BUDGET_SHARE)) {
				this.stats.stoppedEarly = true;
				return;
			}
			const window = queue.shift() as Window;
			const result = await this.resolve(window);
			if (result === 'stopped') return;
			if (result === 'halved') queue.unshift(...halves(window));
		}
	}

	/** A passing fault ends the poll (7.); any other error is thrown, the state untouched. */
	private stop(error: unknown): 'stopped' {
		const fault = classifyFault(error, this.client.node);
		if (fault === undefined || !fault.passing) throw asNodeError(this.client.node, error);
		this.fault = fault;
		this.stats.stoppedEarly = true;
		return 'stopped';
	}

	/** Whether a window with `count` GETs to make is halved first (4.). */
	private tooBig(window: Window, count: number): boolean {
		if (count <= 1 || window.to - window.from < MIN_SPLIT_MS) return false;
		// Time per request so far, concurrency included (elapsed / requests sent): what n more cost.
		const elapsed = this.options.now() - this.startedAt;
		const projectedMs = (count * elapsed) / Math.max(1, this.client.stats.requests);
		return (
			count > MAX_GETS_PER_WINDOW ||
			this.options.now() + projectedMs > this.deadline(HARD_BUDGET_SHARE)
		);
	}

	private async resolve(window: Window): Promise<WindowResult> {
		let found: string[];
		try {
			found = await searchIds(this.client, criteria(this.settings, window));
		} catch (error) {
			return this.stop(error);
		}
		this.stats.searches++;
		const ids = found.filter((id) => !this.resolved.has(id));
		const toGet = ids.filter((id) => this.memory.needsGet(id, window));
		if (this.tooBig(window, toGet.length)) return 'halved';
		const halt: { fault?: Fault } = {};
		const fetched = await this.fetch(toGet, halt);
		if (fetched === 'abandoned') {
			this.stats.stoppedEarly = true;
			return 'stopped';
		}
		// A passing fault half-way (7.): what was fetched is decided, the window is not committed.
		for (const { id, record } of fetched) {
			const emission = this.memory.take(id, record);
			if (emission) this.emitted.push(emission);
		}
		if (halt.fault) {
			this.fault = halt.fault;
			this.stats.stoppedEarly = true;
			return 'stopped';
		}
		this.stats.skipped += ids.length - toGet.length;
		for (const id of ids) this.resolved.add(id);
		this.committed = Math.max(this.committed, window.to);
		this.stats.windows++;
		return 'done';
	}

	/** The GETs of a window in chunks, the budget checked between them (4.). */
	private async fetch(toGet: string[], halt: { fault?: Fault }) {
		const fetched: Awaited<ReturnType<typeof readFetched>> = [];
		for (let start = 0; start < toGet.length && !halt.fault; ) {
			if (this.options.now() >= this.deadline(HARD_BUDGET_SHARE)) return 'abandoned' as const;
			const chunk = toGet.slice(start, start + getChunk(this.client));
			start += chunk.length;
			const results = await fetchRecords(this.client, chunk, halt);
			this.stats.gets += results.filter((result) => result !== NOT_FETCHED).length;
			fetched.push(...(await readFetched(this.client, chunk, results)));
		}
		return fetched;
	}
}

/** One poll after the first activation: see docs/trigger-exactness.md for why it is exact. */
export async function pollChanges(
	client: DassaultSalesClient,
	settings: TriggerSettings,
	previous: TriggerState | undefined,
	options: PollOptions,
): Promise<PollOutcome> {
	const upper = options.now();
	const lookBack = lookBackMs(settings, upper);
	const stats: PollStats = { windows: 0, searches: 0, gets: 0, skipped: 0, stoppedEarly: false };
	if (previous === undefined && lookBack === 0) {
		// First activation, starting now: nothing to emit, no flood of history.
		return { emissions: [], state: freshState(settings, upper), stats, progressed: true };
	}
	const state = previous ?? freshState(settings, upper - lookBack);
	const cursor = Date.parse(state.cursor);
	const lower = previous === undefined ? cursor : cursor - OVERLAP_MS;
	if (upper <= lower) return { emissions: [], state, stats, progressed: false };
	const since = state.since === undefined ? -Infinity : Date.parse(state.since);
	const memory = new ChangeMemory(state, settings, since);
	const run = new PollRun(client, settings, memory, options, cursor);
	await run.run(planWindows(lower, upper, memory.seen));
	const keepFrom = run.committed - OVERLAP_MS;
	run.emitted.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
	return {
		emissions: run.emitted,
		state: {
			version: 1,
			event: settings.event,
			cursor: iso(run.committed),
			...memory.toState(run.committed),
			// Kept while the next poll's overlap still reaches back before it.
			...(state.since !== undefined && keepFrom < since ? { since: state.since } : {}),
		},
		stats: run.stats,
		...(run.fault ? { fault: run.fault } : {}),
		progressed: run.committed > cursor || memory.processed > 0,
	};
}

export interface PollEnvironment {
	/** Wall clock (epoch ms); tests run simulated time through it. */
	now?: () => number;
	/** How the client waits between retries; tests advance simulated time instead. */
	sleep?: (ms: number) => Promise<void>;
	/** Sees each poll's outcome before the state is written (tests and benchmarks count with it). */
	onOutcome?: (outcome: PollOutcome) => void;
}

/** Fetch Test Event: a sample item of the event; the trigger's state stays as it was. */
async function testEvent(
	ctx: IPollFunctions,
	client: DassaultSalesClient,
	settings: TriggerSettings,
	now: number,
): Promise<INodeExecutionData[][]> {
	const sample = await fetchTestEvent(client, settings, now);
	if (sample === undefined) {
		const what = settings.event === 'unassignedLead' ? 'unassigned lead' : 'lead-opportunity';
		const statuses = [...settings.statuses, ...settings.toStatuses];
		throw new NodeOperationError(ctx.getNode(), 'No data with the current filter could be found', {
			description: `No ${what}${
				statuses.length > 0 ? ` with status ${statuses.join(' or ')}` : ''
			} was ${settings.event === 'leadOpportunityCreated' ? 'created' : 'created or modified'} in the last 7 days. Change one in 3DS, or widen the options, and fetch again.`,
		});
	}
	return [toItems([sample], settings)];
}

/**
 * A poll that failed as a whole (a refused key, or a fault outside the windows): its work is
 * dropped (the state stays as it was) and the error raised, with the streak's since when there
 * is a state to keep the streak in; a passing fault ends it quietly.
 */
function failedPoll(
	ctx: IPollFunctions,
	previous: TriggerState | undefined,
	error: unknown,
	startedAt: number,
	now: () => number,
): null {
	const fault = classifyFault(error, ctx.getNode());
	if (fault === undefined || previous === undefined) throw asNodeError(ctx.getNode(), error);
	const streak = nextStreak(previous.streak, startedAt, fault, false) as Streak;
	const loud = takeReport(streak, now());
	writeState(ctx.getWorkflowStaticData('node'), { ...previous, streak });
	if (loud) throw streakError(ctx.getNode(), streak, fault, previous.cursor, now());
	return null;
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
		const retry = pollRetryPolicy(budgetMs);
		const client = new DassaultSalesClient(ctx, { retry, now, sleep: env.sleep });
		if (ctx.getMode() === 'manual') return await testEvent(ctx, client, settings, now());
		const staticData = ctx.getWorkflowStaticData('node');
		const previous = readState(staticData, settings.event);
		const startedAt = now();
		let outcome: PollOutcome;
		try {
			outcome = await pollChanges(client, settings, previous, { now, budgetMs });
		} catch (error) {
			return failedPoll(ctx, previous, error, startedAt, now);
		}
		env.onOutcome?.(outcome);
		const streak = nextStreak(previous?.streak, startedAt, outcome.fault, outcome.progressed);
		const state: TriggerState = streak ? { ...outcome.state, streak } : outcome.state;
		const loud = streak !== undefined && takeReport(streak, now());
		writeState(staticData, state);
		if (loud) throw streakError(ctx.getNode(), streak, outcome.fault as Fault, state.cursor, now());
		return outcome.emissions.length > 0 ? [toItems(outcome.emissions, settings)] : null;
	} catch (error) {
		throw asNodeError(ctx.getNode(), error);
	}
}
