/**
 * How long one poll may take, and how long it may wait inside. n8n does not serialise the polls of
 * a node: a poll that outlives its period runs beside the next one, and n8n releases the first
 * one's context under it ("No bridge acquired", see faults.ts). So a poll's budget is the smaller
 * of n8n's budget and a share of the node's own period (its Poll Times), and every wait inside it
 * (quota resets, backoffs, timeouts) is a share of that budget.
 */
import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import type { RetryPolicy } from '../DassaultSales/shared';

/** When n8n does not say (`getPollBudgetMs` is newer than some n8n versions). */
export const DEFAULT_POLL_BUDGET_MS = 45_000;
/** A poll plans to end within this share of its period (the rest is the margin of one last call). */
export const PERIOD_BUDGET_SHARE = 0.4;
/** After this share of the budget no new window starts... */
export const SOFT_BUDGET_SHARE = 0.7;
/** ...and after this share a window under way is abandoned (its GETs are redone next poll). */
export const HARD_BUDGET_SHARE = 0.9;

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** The shortest gap of a cron field (seconds or minutes): `*`, `*\/n`, `a/n`, `a,b,c`; else undefined. */
function cronFieldGap(field: string, size: number): number | undefined {
	if (field === '*') return 1;
	const step = /^(?:\*|\d+)\/(\d+)$/.exec(field);
	if (step) return Math.max(1, Number(step[1]));
	if (/^\d+(,\d+)+$/.test(field)) {
		const values = field
			.split(',')
			.map(Number)
			.sort((a, b) => a - b);
		const gaps = values.map((value, i) =>
			i === 0 ? size + value - values[values.length - 1] : value - values[i - 1],
		);
		return Math.max(1, Math.min(...gaps));
	}
	return undefined;
}

/** The period of a custom cron expression (5 fields, or 6 with seconds first); at most a day. */
function cronPeriodMs(expression: string): number {
	const fields = expression.trim().split(/\s+/);
	const [seconds, minutes] = fields.length === 6 ? fields : ['0', ...fields];
	const secondGap = cronFieldGap(seconds, 60);
	if (secondGap !== undefined && seconds !== '0' && /[*/,]/.test(seconds)) return secondGap * 1000;
	const minuteGap = minutes === undefined ? undefined : cronFieldGap(minutes, 60);
	return minuteGap !== undefined ? minuteGap * MINUTE_MS : DAY_MS;
}

const ENTRY_PERIOD_MS: Record<string, number> = {
	everyMinute: MINUTE_MS,
	everyHour: HOUR_MS,
	everyDay: DAY_MS,
	everyWeek: 7 * DAY_MS,
	everyMonth: 28 * DAY_MS,
};

/** The shortest period of the node's Poll Times (n8n adds the parameter to every polling node). */
export function pollPeriodMs(pollTimes: unknown): number | undefined {
	const entries = (pollTimes as { item?: unknown } | undefined)?.item;
	if (!Array.isArray(entries) || entries.length === 0) return undefined;
	const periods = entries.map((entry: IDataObject) => {
		if (entry.mode === 'everyX') {
			const value = Math.max(1, Number(entry.value) || 1);
			return value * (entry.unit === 'hours' ? HOUR_MS : MINUTE_MS);
		}
		if (entry.mode === 'custom') return cronPeriodMs(String(entry.cronExpression ?? ''));
		return ENTRY_PERIOD_MS[String(entry.mode)] ?? MINUTE_MS;
	});
	// Two entries that fire at different times still make the gap between polls smaller.
	return Math.min(...periods) / (entries.length > 1 ? entries.length : 1);
}

/** n8n's poll budget, capped by a share of the node's own period. */
export function pollBudgetMs(ctx: IPollFunctions): number {
	const read = (ctx as Partial<IPollFunctions>).getPollBudgetMs;
	const given = typeof read === 'function' ? read.call(ctx) : undefined;
	const budget =
		typeof given === 'number' && Number.isFinite(given) && given > 0
			? given
			: DEFAULT_POLL_BUDGET_MS;
	let period: number | undefined;
	try {
		period = pollPeriodMs(ctx.getNodeParameter('pollTimes', {}));
	} catch {
		period = undefined; // a context without the parameter (older n8n, tests): n8n's budget only
	}
	return period === undefined ? budget : Math.min(budget, Math.floor(period * PERIOD_BUDGET_SHARE));
}

/**
 * Retries inside one poll are short, and each wait a share of the budget: a 429/503 still there
 * after them ends the poll early and leaves the cursor for the next poll (see streak.ts).
 */
export function pollRetryPolicy(budgetMs: number): RetryPolicy {
	const third = Math.max(1_000, Math.floor(budgetMs / 3));
	return {
		rateLimitRetries: 2,
		rateLimitWaitBudgetMs: 2 * Math.min(20_000, third),
		maxRateLimitWaitMs: Math.min(20_000, third),
		unavailableRetries: 2,
		networkRetries: 2,
		backoffBaseMs: Math.min(500, Math.floor(third / 4)),
		backoffMaxMs: Math.min(4_000, Math.floor(third / 2)),
		// At least 2 s: a shorter timeout would fail a healthy but slow 3DS at every poll.
		timeoutMs: Math.min(20_000, Math.max(2_000, third)),
	};
}
