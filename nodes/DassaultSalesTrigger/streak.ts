/**
 * Quiet under passing faults, loud under lasting ones.
 *
 * A poll that meets a fault that passes on its own (a 429 whose reset is longer than a poll may
 * wait, a 503 or a timeout still there after the transport's retries, n8n cutting the poll short)
 * ends early without an error: it emits its complete windows and the versions it fetched, keeps
 * the cursor at the last complete window, and the next poll goes on from there. Nothing is lost
 * or repeated, and the user's execution list stays green.
 *
 * Polls that make no progress in a row form a streak, kept in the static data next to the cursor.
 * The streak becomes one `NodeApiError` (saying since when and why) when it has lasted
 * `STREAK_MIN_POLLS` polls AND `STREAK_MIN_MS`:
 * - 15 minutes is well past anything that passes: a 3DS quota window is 60 s, and a 503 ERR899
 *   that outlives a quarter of an hour is an outage someone should know about;
 * - 3 polls keeps a slow schedule (hourly polls) from turning one unlucky poll, or two, into an
 *   error: with hourly polls the error comes after 2 hours, with 1-minute polls after 15 minutes.
 * A passing cause is reported once per streak; a poll that makes progress (or meets no fault)
 * ends the streak, and the next one is reported again.
 * A refused key (401/403, `credential-invalid`) does not pass by waiting: it is reported at once,
 * and at every poll until someone fixes it. Not once: n8n retries an activation whose poll throws
 * (1, 2, 4, 8 s later) with the static data of the failed try, so a refused key reported once
 * would make the retry succeed silently, and a reactivation with a revoked key would show nothing.
 * Which faults pass and which do not is faults.ts's `classifyFault`.
 * Other errors (an answer the node cannot read, a refused request) are thrown at every poll, as
 * they are defects to fix, not faults to wait out.
 */
import { NodeApiError, type INode, type JsonObject } from 'n8n-workflow';

import type { Fault } from './faults';
import type { Streak, StreakCause } from './state';

export const STREAK_MIN_POLLS = 3;
export const STREAK_MIN_MS = 15 * 60_000;

/**
 * The streak after a poll that started at `startedAt`: undefined when the poll made progress or
 * met no fault; else the previous streak one poll longer (or a new one).
 */
export function nextStreak(
	previous: Streak | undefined,
	startedAt: number,
	fault: Fault | undefined,
	progressed: boolean,
): Streak | undefined {
	if (fault === undefined || progressed) return undefined;
	return {
		since: previous?.since ?? new Date(startedAt).toISOString(),
		polls: (previous?.polls ?? 0) + 1,
		cause: fault.cause,
		reported: [...(previous?.reported ?? [])],
		message: fault.error.message,
	};
}

/** Whether this poll reports the streak (and marks it reported). */
export function takeReport(streak: Streak, now: number): boolean {
	if (streak.cause === 'credential-invalid') return true;
	if (streak.reported.includes('passing')) return false;
	const lasting =
		streak.polls >= STREAK_MIN_POLLS && now - Date.parse(streak.since) >= STREAK_MIN_MS;
	if (lasting) streak.reported.push('passing');
	return lasting;
}

const WHY: Record<StreakCause, string> = {
	'rate-limited': 'the 3DS API rate limit stays reached',
	'temporarily-unavailable': 'the 3DS API stays unavailable (503, gateway error or timeout)',
	'cut-short':
		'n8n keeps cutting the polls short (each outlives its Poll Times period, or the workflow stops)',
	'credential-invalid': 'the 3DS API refuses the API key',
};

const minutes = (ms: number) => Math.max(0, Math.round(ms / 60_000));

/** The one error of a streak: since when, why, and that nothing is lost. */
export function streakError(
	node: INode,
	streak: Streak,
	fault: Fault,
	cursor: string,
	now: number,
): NodeApiError {
	const httpCode = fault.error instanceof NodeApiError ? fault.error.httpCode : null;
	const response: JsonObject = { cause: streak.cause, ...(httpCode ? { httpCode } : {}) };
	const original = (fault.error as { description?: string | null }).description;
	return new NodeApiError(node, response, {
		message: `No lead-opportunity changes could be read since ${streak.since} (${streak.polls} poll${streak.polls > 1 ? 's' : ''}, ${minutes(now - Date.parse(streak.since))} min): ${WHY[streak.cause]}`,
		description: [
			`Last error: ${fault.error.message}`,
			original ? original : undefined,
			`Every change up to ${cursor} has been emitted. The trigger keeps polling from there and catches up on everything once 3DS answers again.`,
			streak.cause === 'credential-invalid'
				? 'Fix the API key (or environment) of the credential: this error comes at every poll until then.'
				: `This error is not repeated until a poll makes progress again. Reported after ${STREAK_MIN_POLLS} polls in a row and ${minutes(STREAK_MIN_MS)} minutes without progress; shorter faults only end a poll early.`,
		]
			.filter(Boolean)
			.join('\n'),
		...(httpCode ? { httpCode } : {}),
		// (n8n cutting polls short is no failure of 3DS: the error says so, with no cause of the API.)
		...(streak.cause === 'cut-short' ? {} : { failure: { cause: streak.cause } }),
	});
}
