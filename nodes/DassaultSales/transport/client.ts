/**
 * The one place that talks HTTP to the 3DS API, for the action node, its list searches and the
 * trigger: base URL from the credential, `httpRequestWithAuthentication` (the credential adds
 * `X-API-Key`), retries, pacing and error mapping. Callers give a path from `paths` and a body that
 * a zod schema already validated; they get the parsed body back or a `NodeApiError`.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeOperationError, sleep as n8nSleep } from 'n8n-workflow';
import type { ZodType, ZodTypeDef } from '../schemas/zod';

import { CREDENTIAL_TYPE, ENVIRONMENTS, type EnvironmentKey } from './environments';
import { apiError, networkError } from './errors';
import {
	RateLimitGate,
	readRateLimitHeaders,
	RESET_MARGIN_MS,
	type RateLimitHeaders,
} from './rateLimit';

export type RequestContext = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions;

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

export interface ClientOptions {
	retry?: Partial<RetryPolicy>;
	sleep?: (ms: number) => Promise<void>;
	now?: () => number;
}

export interface ApiCall {
	method: IHttpRequestMethods;
	/** From `paths`: callers never build URLs. */
	path: string;
	body?: IDataObject;
	qs?: IDataObject;
	/** What the call is for, in the user's words ("create the lead-opportunity"). */
	action: string;
	itemIndex?: number;
	/** True when sending the request twice does no harm (reads, searches, PATCH of the same values). */
	safeToRetry: boolean;
	/** For "not found" messages. */
	dsLeadOpportunityId?: string;
}

export interface ApiResponse {
	statusCode: number;
	body: unknown;
	rateLimit: RateLimitHeaders;
	attempts: number;
	/** A previous attempt of this call failed in a way that may have reached the server. */
	retriedAfterUncertainFailure: boolean;
}

export interface ResolvedCredentials {
	baseUrl: string;
	environment: { name: string; url: string };
	partnerId: string;
}

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

/** Bodies arrive parsed or as text, depending on the content type the server (or a proxy) sent. */
function parseBody(raw: unknown): unknown {
	if (typeof raw !== 'string') return raw;
	const trimmed = raw.trim();
	if (trimmed === '') return undefined;
	try {
		return JSON.parse(trimmed);
	} catch {
		return raw;
	}
}

const isObject = (value: unknown): value is IDataObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

export class DassaultSalesClient {
	private credentials?: Promise<ResolvedCredentials>;

	private readonly policy: RetryPolicy;

	private readonly sleep: (ms: number) => Promise<void>;

	private readonly now: () => number;

	readonly gate: RateLimitGate;

	/** Requests sent in this client's lifetime (one execution or one poll): the trigger projects its costs from it. */
	readonly stats = { requests: 0 };

	constructor(
		private readonly ctx: RequestContext,
		options: ClientOptions = {},
	) {
		this.policy = { ...EXECUTION_RETRY_POLICY, ...options.retry };
		this.sleep = options.sleep ?? n8nSleep;
		this.now = options.now ?? Date.now;
		this.gate = new RateLimitGate(this.sleep, this.now);
	}

	get node() {
		return this.ctx.getNode();
	}

	resolveCredentials(): Promise<ResolvedCredentials> {
		this.credentials ??= this.readCredentials();
		return this.credentials;
	}

	private async readCredentials(): Promise<ResolvedCredentials> {
		const credentials = await this.ctx.getCredentials(CREDENTIAL_TYPE);
		const key = (credentials.environment ?? 'production') as EnvironmentKey;
		const partnerId = typeof credentials.partnerId === 'string' ? credentials.partnerId.trim() : '';
		if (key === 'custom') {
			const raw = typeof credentials.baseUrl === 'string' ? credentials.baseUrl.trim() : '';
			let url: URL | undefined;
			try {
				url = new URL(raw);
			} catch {
				url = undefined;
			}
			if (
				!url ||
				(url.protocol !== 'https:' && url.protocol !== 'http:') ||
				url.username ||
				url.password
			) {
				throw new NodeOperationError(
					this.ctx.getNode(),
					`The credential's Base URL "${raw.slice(0, 100)}" is not an http(s) URL`,
					{
						description:
							'Set the Base URL of the custom environment to something like https://apigw-ppt.3ds.com or http://127.0.0.1:4010 (no user or password in it).',
					},
				);
			}
			const baseUrl = url.origin + url.pathname.replace(/\/+$/, '');
			return { baseUrl, environment: { name: 'custom', url: baseUrl }, partnerId };
		}
		const environment = ENVIRONMENTS[key];
		if (!environment) {
			throw new NodeOperationError(
				this.ctx.getNode(),
				`Unknown 3DS environment "${String(key)}" in the credential`,
			);
		}
		return { baseUrl: environment.url, environment, partnerId };
	}

	/** Sends one call, with retries and pacing; returns the parsed body of a 2xx or throws `NodeApiError`. */
	async request(call: ApiCall): Promise<ApiResponse> {
		const { baseUrl, environment } = await this.resolveCredentials();
		const node = this.ctx.getNode();
		let rateLimitRetries = 0;
		let rateLimitWaitedMs = 0;
		let unavailableRetries = 0;
		let networkRetries = 0;
		let uncertain = false;
		for (let attempt = 1; ; attempt++) {
			// The quota may reset later than this caller may wait (a poll must end within its interval).
			// (The gate adds its margin past the announced reset: a reset of exactly the maximum is waited.)
			const quotaWaitMs = this.gate.pendingWaitMs();
			if (quotaWaitMs > this.policy.maxRateLimitWaitMs + RESET_MARGIN_MS) {
				throw apiError({
					node,
					itemIndex: call.itemIndex,
					action: call.action,
					statusCode: 429,
					body: { message: `The quota resets in ${Math.ceil(quotaWaitMs / 1000)} s` },
					environment,
					attempts: attempt - 1,
					failure: {
						cause: 'rate-limited',
						retryAfterMs: quotaWaitMs,
						resetsAtEpochMs: this.now() + quotaWaitMs,
					},
				});
			}
			await this.gate.acquire();
			let response: IN8nHttpFullResponse;
			const options: IHttpRequestOptions = {
				method: call.method,
				baseURL: baseUrl,
				url: call.path,
				qs: call.qs,
				body: call.body,
				json: true,
				headers: { Accept: 'application/json' },
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: this.policy.timeoutMs,
			};
			this.stats.requests++;
			try {
				response = (await this.ctx.helpers.httpRequestWithAuthentication.call(
					this.ctx,
					CREDENTIAL_TYPE,
					options,
				)) as IN8nHttpFullResponse;
			} catch (error) {
				this.gate.release({});
				const code = networkErrorCode(error);
				if (code === undefined) {
					// Not a network failure: n8n refused the request itself (credential missing, bad option).
					throw new NodeOperationError(
						node,
						`Could not ${call.action}: ${(error as Error)?.message ?? String(error)}`,
						{
							itemIndex: call.itemIndex,
						},
					);
				}
				const notSent = NOT_SENT_CODES.includes(code);
				if ((call.safeToRetry || notSent) && networkRetries < this.policy.networkRetries) {
					networkRetries++;
					uncertain ||= !notSent;
					await this.sleep(this.backoff(networkRetries));
					continue;
				}
				throw networkError(node, code, call.action, environment, call.itemIndex, attempt);
			}
			const rateLimit = readRateLimitHeaders(response.headers as Record<string, unknown>);
			this.gate.release(rateLimit);
			const statusCode = Number(response.statusCode);
			const body = parseBody(response.body);
			const fail = (extra: Partial<Parameters<typeof apiError>[0]> = {}) =>
				apiError({
					node,
					itemIndex: call.itemIndex,
					action: call.action,
					statusCode,
					body,
					environment,
					dsLeadOpportunityId: call.dsLeadOpportunityId,
					attempts: attempt,
					retriedAfterUncertainFailure: uncertain,
					...extra,
				});

			if (statusCode === 429) {
				const { reset } = rateLimit;
				const announced = reset !== undefined;
				const waitMs = announced ? reset * 1000 : this.backoff(rateLimitRetries + 1);
				if (
					waitMs > this.policy.maxRateLimitWaitMs ||
					(announced
						? rateLimitWaitedMs + waitMs > this.policy.rateLimitWaitBudgetMs
						: rateLimitRetries >= this.policy.rateLimitRetries)
				) {
					throw fail({
						failure: {
							cause: 'rate-limited',
							retryAfterMs: waitMs,
							resetsAtEpochMs: this.now() + waitMs,
						},
					});
				}
				rateLimitRetries++;
				rateLimitWaitedMs += waitMs;
				this.gate.block(this.now() + waitMs + RESET_MARGIN_MS);
				continue;
			}
			if (statusCode === 503 || statusCode === 502 || statusCode === 504) {
				// A 503 is refused before any work; a gateway's 502/504 may have let the request through.
				const mayHaveApplied = statusCode !== 503;
				if (
					(call.safeToRetry || !mayHaveApplied) &&
					unavailableRetries < this.policy.unavailableRetries
				) {
					unavailableRetries++;
					uncertain ||= mayHaveApplied;
					await this.sleep(this.backoff(unavailableRetries));
					continue;
				}
				throw fail({ failure: { cause: 'temporarily-unavailable' } });
			}
			if (statusCode < 200 || statusCode >= 300) throw fail();
			if (isObject(body) && isObject(body.info) && body.info.success === false) throw fail();
			if (body !== undefined && !isObject(body)) {
				throw apiError({
					node,
					itemIndex: call.itemIndex,
					action: call.action,
					statusCode,
					body,
					environment,
					attempts: attempt,
				});
			}
			return {
				statusCode,
				body,
				rateLimit,
				attempts: attempt,
				retriedAfterUncertainFailure: uncertain,
			};
		}
	}

	/**
	 * Sends one call and parses its 2xx body with `schema`: a body of another shape (a proxy page,
	 * a changed API) is an API error naming the call, never a crash further down.
	 */
	async requestParsed<T>(
		call: ApiCall,
		schema: ZodType<T, ZodTypeDef, unknown>,
	): Promise<{ data: T; response: ApiResponse }> {
		const response = await this.request(call);
		const parsed = schema.safeParse(response.body);
		if (parsed.success) return { data: parsed.data, response };
		const { environment } = await this.resolveCredentials();
		throw apiError({
			node: this.ctx.getNode(),
			itemIndex: call.itemIndex,
			action: call.action,
			statusCode: response.statusCode,
			body: response.body,
			environment,
			unexpectedShape: true,
		});
	}

	private backoff(attempt: number): number {
		return Math.min(this.policy.backoffMaxMs, this.policy.backoffBaseMs * 2 ** (attempt - 1));
	}
}
