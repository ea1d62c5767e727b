/**
 * What one attempt's outcome means (`classify`) and whether the call tries again (`RetryBudget`'s
 * `decide`): the two halves of the client's retry loop, kept apart from the sending so each can be
 * read (and tested) alone. The policy they follow is here too.
 */
import type { IDataObject } from 'n8n-workflow';

import type { RateLimitHeaders } from './rateLimit';
import { isPlainObject as isObject } from '../utils/isPlainObject';

export interface RetryPolicy {
	/** Retries after a 429 that does not say when the quota resets (backoff), before giving up. */
	rateLimitRetries: number;
	/**
	 * The total a call may wait for announced quota resets, however many 429s that takes: when
	 * several executions share one quota (queue-mode workers), a call can lose a few windows in a
	 * row, and each wait is progress, not a failure.
	 */
	rateLimitWaitBudgetMs: number;
	/** The longest single wait for a quota reset; a longer reset gives up at once. */
	maxRateLimitWaitMs: number;
	/** Retries after a 503 (ERR899) or a 502/504 from a gateway. */
	unavailableRetries: number;
	/** Retries after a network failure, for requests that are safe to send again. */
	networkRetries: number;
	/** Exponential backoff: base × 2^attempt, capped. */
	backoffBaseMs: number;
	backoffMaxMs: number;
	/** Per-request timeout. */
	timeoutMs: number;
}

/**
 * For executions: n8n's own "Retry On Fail" stops at 5 tries and 5 s, too little for a quota
 * window, so the node waits for resets itself (up to a minute each).
 */
export const EXECUTION_RETRY_POLICY: RetryPolicy = {
	rateLimitRetries: 5,
	rateLimitWaitBudgetMs: 300_000,
	maxRateLimitWaitMs: 60_000,
	unavailableRetries: 4,
	networkRetries: 3,
	backoffBaseMs: 500,
	backoffMaxMs: 8_000,
	timeoutMs: 60_000,
};

const NETWORK_CODES = [
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'EAI_AGAIN',
	'ENOTFOUND',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'UND_ERR_SOCKET',
];

/** Codes where the request certainly never reached the server, so even a create may be resent. */
const NOT_SENT_CODES = ['ECONNREFUSED', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH'];

/** Finds a network error code on an error or anything it wraps (n8n wraps axios errors in NodeApiError). */
export function networkErrorCode(error: unknown): string | undefined {
	const seen = new Set<unknown>();
	let current: unknown = error;
	while (current && typeof current === 'object' && !seen.has(current)) {
		seen.add(current);
		const candidate = current as { code?: unknown; message?: unknown; cause?: unknown };
		if (typeof candidate.code === 'string' && NETWORK_CODES.includes(candidate.code))
			return candidate.code;
		if (typeof candidate.message === 'string') {
			const found = NETWORK_CODES.find((code) => (candidate.message as string).includes(code));
			if (found) return found;
			if (/socket hang up/i.test(candidate.message)) return 'ECONNRESET';
			if (/timeout of \d+ms exceeded/i.test(candidate.message)) return 'ETIMEDOUT';
		}
		current = candidate.cause;
	}
	return undefined;
}

/** What `send` got back: an HTTP answer, or what the HTTP helper threw. */
export type SendOutcome =
	| {
			kind: 'answered';
			statusCode: number;
			body: unknown;
			rateLimit: RateLimitHeaders;
			/** The rate-limit gate's number of the request. */
			ticket?: number;
	  }
	| { kind: 'thrown'; error: unknown };

export type Verdict =
	| { kind: 'ok'; statusCode: number; body: IDataObject | undefined; rateLimit: RateLimitHeaders }
	/** n8n refused to send (credential missing, bad option): nothing to retry. */
	| { kind: 'refused'; message: string }
	/** A network failure; `notSent` when the request certainly never reached the server. */
	| { kind: 'network'; code: string; notSent: boolean; safeToRetry: boolean }
	| {
			kind: 'rate-limited';
			statusCode: number;
			body: unknown;
			resetSeconds?: number;
			ticket?: number;
	  }
	/** 503 (refused before any work) or a gateway's 502/504 (may have let the request through). */
	| {
			kind: 'unavailable';
			statusCode: number;
			body: unknown;
			mayHaveApplied: boolean;
			safeToRetry: boolean;
	  }
	| { kind: 'failed'; statusCode: number; body: unknown };

export function classify(outcome: SendOutcome, safeToRetry: boolean): Verdict {
	if (outcome.kind === 'thrown') {
		const code = networkErrorCode(outcome.error);
		if (code === undefined) {
			const error = outcome.error as Error | undefined;
			return { kind: 'refused', message: error?.message ?? String(outcome.error) };
		}
		return { kind: 'network', code, notSent: NOT_SENT_CODES.includes(code), safeToRetry };
	}
	const { statusCode, body, rateLimit } = outcome;
	if (statusCode === 429)
		return {
			kind: 'rate-limited',
			statusCode,
			body,
			resetSeconds: rateLimit.reset,
			ticket: outcome.ticket,
		};
	if (statusCode === 503 || statusCode === 502 || statusCode === 504)
		return {
			kind: 'unavailable',
			statusCode,
			body,
			mayHaveApplied: statusCode !== 503,
			safeToRetry,
		};
	if (statusCode < 200 || statusCode >= 300) return { kind: 'failed', statusCode, body };
	if (isObject(body) && isObject(body.info) && body.info.success === false)
		return { kind: 'failed', statusCode, body };
	// A 2xx that is not a JSON object (a proxy page, a cut answer) is a failure too.
	if (body !== undefined && !isObject(body)) return { kind: 'failed', statusCode, body };
	return { kind: 'ok', statusCode, body, rateLimit };
}

/** The outcomes a call may try again after. */
export type RetryableVerdict = Extract<
	Verdict,
	{ kind: 'network' | 'rate-limited' | 'unavailable' }
>;

/** Try again after `waitMs` (for a 429: the whole execution waits, at the gate), or give up. */
export interface Decision {
	retry: boolean;
	waitMs: number;
}

/** The retries one call may still make, per kind, and how long to wait before each (`decide`). */
export class RetryBudget {
	private rateLimitRetries = 0;

	private rateLimitWaitedMs = 0;

	private unavailableRetries = 0;

	private networkRetries = 0;

	/** A previous attempt failed in a way that may have reached the server. */
	uncertain = false;

	constructor(private readonly policy: RetryPolicy) {}

	decide(verdict: RetryableVerdict): Decision {
		switch (verdict.kind) {
			case 'network':
				return this.network(verdict);
			case 'rate-limited':
				return this.rateLimited(verdict.resetSeconds);
			case 'unavailable':
				return this.unavailable(verdict);
		}
	}

	private network(verdict: { notSent: boolean; safeToRetry: boolean }): Decision {
		if (!(verdict.safeToRetry || verdict.notSent)) return { retry: false, waitMs: 0 };
		if (this.networkRetries >= this.policy.networkRetries) return { retry: false, waitMs: 0 };
		this.networkRetries++;
		this.uncertain ||= !verdict.notSent;
		return { retry: true, waitMs: this.backoff(this.networkRetries) };
	}

	/** A 429: wait for the announced reset (within the budget), or back off when none is announced. */
	private rateLimited(resetSeconds: number | undefined): Decision {
		const announced = resetSeconds !== undefined;
		const waitMs = announced ? resetSeconds * 1000 : this.backoff(this.rateLimitRetries + 1);
		const retry = !(
			waitMs > this.policy.maxRateLimitWaitMs ||
			(announced
				? this.rateLimitWaitedMs + waitMs > this.policy.rateLimitWaitBudgetMs
				: this.rateLimitRetries >= this.policy.rateLimitRetries)
		);
		if (retry) {
			this.rateLimitRetries++;
			this.rateLimitWaitedMs += waitMs;
		}
		return { retry, waitMs };
	}

	private unavailable(verdict: { mayHaveApplied: boolean; safeToRetry: boolean }): Decision {
		if (!(verdict.safeToRetry || !verdict.mayHaveApplied)) return { retry: false, waitMs: 0 };
		if (this.unavailableRetries >= this.policy.unavailableRetries)
			return { retry: false, waitMs: 0 };
		this.unavailableRetries++;
		this.uncertain ||= verdict.mayHaveApplied;
		return { retry: true, waitMs: this.backoff(this.unavailableRetries) };
	}

	private backoff(attempt: number): number {
		return Math.min(this.policy.backoffMaxMs, this.policy.backoffBaseMs * 2 ** (attempt - 1));
	}
}
