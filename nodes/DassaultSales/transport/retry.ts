/**
 * What one attempt's outcome means (`classify`) and how many more attempts a call may make
 * (`RetryBudget`): the two halves of the client's retry loop, kept apart from the sending so each
 * can be read (and tested) alone.
 */
import type { IDataObject } from 'n8n-workflow';

import type { RetryPolicy } from './client';
import type { RateLimitHeaders } from './rateLimit';
import { isPlainObject as isObject } from '../utils/isPlainObject';

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
	| { kind: 'answered'; statusCode: number; body: unknown; rateLimit: RateLimitHeaders }
	| { kind: 'thrown'; error: unknown };

export type Verdict =
	| { kind: 'ok'; statusCode: number; body: IDataObject | undefined; rateLimit: RateLimitHeaders }
	/** n8n refused to send (credential missing, bad option): nothing to retry. */
	| { kind: 'refused'; message: string }
	/** A network failure; `notSent` when the request certainly never reached the server. */
	| { kind: 'network'; code: string; notSent: boolean; safeToRetry: boolean }
	| { kind: 'rate-limited'; statusCode: number; body: unknown; resetSeconds?: number }
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
		return { kind: 'rate-limited', statusCode, body, resetSeconds: rateLimit.reset };
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

/**
 * The retries one call may still make, per kind, and how long to wait before each. Returns the
 * wait, or undefined (`give` for 429s) when the call must give up.
 */
export class RetryBudget {
	private rateLimitRetries = 0;

	private rateLimitWaitedMs = 0;

	private unavailableRetries = 0;

	private networkRetries = 0;

	/** A previous attempt failed in a way that may have reached the server. */
	uncertain = false;

	constructor(private readonly policy: RetryPolicy) {}

	network(verdict: { notSent: boolean; safeToRetry: boolean }): number | undefined {
		if (!(verdict.safeToRetry || verdict.notSent)) return undefined;
		if (this.networkRetries >= this.policy.networkRetries) return undefined;
		this.networkRetries++;
		this.uncertain ||= !verdict.notSent;
		return this.backoff(this.networkRetries);
	}

	/** A 429: wait for the announced reset (within the budget), or back off when none is announced. */
	rateLimited(resetSeconds: number | undefined): { give: boolean; ms: number } {
		const announced = resetSeconds !== undefined;
		const ms = announced ? resetSeconds * 1000 : this.backoff(this.rateLimitRetries + 1);
		const give =
			ms > this.policy.maxRateLimitWaitMs ||
			(announced
				? this.rateLimitWaitedMs + ms > this.policy.rateLimitWaitBudgetMs
				: this.rateLimitRetries >= this.policy.rateLimitRetries);
		if (!give) {
			this.rateLimitRetries++;
			this.rateLimitWaitedMs += ms;
		}
		return { give, ms };
	}

	unavailable(verdict: { mayHaveApplied: boolean; safeToRetry: boolean }): number | undefined {
		if (!(verdict.safeToRetry || !verdict.mayHaveApplied)) return undefined;
		if (this.unavailableRetries >= this.policy.unavailableRetries) return undefined;
		this.unavailableRetries++;
		this.uncertain ||= verdict.mayHaveApplied;
		return this.backoff(this.unavailableRetries);
	}

	private backoff(attempt: number): number {
		return Math.min(this.policy.backoffMaxMs, this.policy.backoffBaseMs * 2 ** (attempt - 1));
	}
}
