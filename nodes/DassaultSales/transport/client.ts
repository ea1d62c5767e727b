/**
 * The one place that talks HTTP to the 3DS API, for the action node, its list searches and the
 * trigger: base URL from the credential, `httpRequestWithAuthentication` (the credential adds
 * `X-API-Key`), retries, pacing and error mapping. Callers give a path from `paths` and a body that
 * a zod schema already validated; they get the parsed body back or a `NodeApiError`.
 */
import type {
	Failure,
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

import { ConcurrencyController, RequestSlots } from './concurrency';
import { CREDENTIAL_TYPE, ENVIRONMENTS, type EnvironmentKey } from './environments';
import { apiError, networkError } from './errors';
import {
	RateLimitGate,
	readRateLimitHeaders,
	RESET_MARGIN_MS,
	type RateLimitHeaders,
} from './rateLimit';
import { classify, RetryBudget, type SendOutcome } from './retry';

export { networkErrorCode } from './retry';

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
	/** A fixed number of requests in flight (the Concurrency option); learned when absent. */
	concurrency?: number;
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

export class DassaultSalesClient {
	private credentials?: Promise<ResolvedCredentials>;

	private readonly policy: RetryPolicy;

	private readonly sleep: (ms: number) => Promise<void>;

	private readonly now: () => number;

	readonly gate: RateLimitGate;

	/** How many requests this execution keeps in flight (learned, or the user's Concurrency). */
	readonly concurrency: ConcurrencyController;

	private readonly slots: RequestSlots;

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
		this.concurrency = new ConcurrencyController(options.concurrency);
		this.slots = new RequestSlots(this.concurrency);
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

	/**
	 * Sends one call, with retries and pacing; returns the parsed body of a 2xx or throws
	 * `NodeApiError`. Each attempt is sent (`send`), its outcome classified (`classify`), and the
	 * call's retry budget decides whether a retryable outcome is tried again.
	 */
	async request(call: ApiCall): Promise<ApiResponse> {
		const { environment } = await this.resolveCredentials();
		const node = this.ctx.getNode();
		const budget = new RetryBudget(this.policy);
		for (let attempt = 1; ; attempt++) {
			const fail = (statusCode: number, body: unknown, failure?: Failure, attempts = attempt) =>
				apiError({
					node,
					itemIndex: call.itemIndex,
					action: call.action,
					statusCode,
					body,
					environment,
					dsLeadOpportunityId: call.dsLeadOpportunityId,
					attempts,
					retriedAfterUncertainFailure: budget.uncertain,
					failure,
				});
			// The quota may reset later than this caller may wait (a poll must end within its interval).
			// (The gate adds its margin past the announced reset: a reset of exactly the maximum is waited.)
			const quotaWaitMs = this.gate.pendingWaitMs();
			if (quotaWaitMs > this.policy.maxRateLimitWaitMs + RESET_MARGIN_MS) {
				throw fail(
					429,
					{ message: `The quota resets in ${Math.ceil(quotaWaitMs / 1000)} s` },
					{
						cause: 'rate-limited',
						retryAfterMs: quotaWaitMs,
						resetsAtEpochMs: this.now() + quotaWaitMs,
					},
					attempt - 1,
				);
			}
			const outcome = await this.send(call);
			const verdict = classify(outcome, call.safeToRetry);
			switch (verdict.kind) {
				case 'ok':
					return {
						statusCode: verdict.statusCode,
						body: verdict.body,
						rateLimit: verdict.rateLimit,
						attempts: attempt,
						retriedAfterUncertainFailure: budget.uncertain,
					};
				case 'refused':
					// Not a network failure: n8n refused the request itself (credential missing, bad option).
					throw new NodeOperationError(node, `Could not ${call.action}: ${verdict.message}`, {
						itemIndex: call.itemIndex,
					});
				case 'network': {
					const waitMs = budget.network(verdict);
					if (waitMs === undefined)
						throw networkError(
							node,
							verdict.code,
							call.action,
							environment,
							call.itemIndex,
							attempt,
						);
					await this.sleep(waitMs);
					continue;
				}
				case 'rate-limited': {
					const waitMs = budget.rateLimited(verdict.resetSeconds);
					if (waitMs.give) {
						throw fail(verdict.statusCode, verdict.body, {
							cause: 'rate-limited',
							retryAfterMs: waitMs.ms,
							resetsAtEpochMs: this.now() + waitMs.ms,
						});
					}
					this.gate.block(this.now() + waitMs.ms + RESET_MARGIN_MS);
					continue;
				}
				case 'unavailable': {
					const waitMs = budget.unavailable(verdict);
					if (waitMs === undefined)
						throw fail(verdict.statusCode, verdict.body, { cause: 'temporarily-unavailable' });
					await this.sleep(waitMs);
					continue;
				}
				case 'failed':
					throw fail(verdict.statusCode, verdict.body);
			}
		}
	}

	/**
	 * One attempt on the wire: a request slot (the execution's concurrency), the rate-limit gate,
	 * the HTTP call. What came back is recorded for pacing (gate) and sizing (controller).
	 */
	private async send(call: ApiCall): Promise<SendOutcome> {
		const { baseUrl } = await this.resolveCredentials();
		await this.slots.acquire();
		try {
			const ticket = await this.gate.acquire();
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
			const started = this.now();
			let response: IN8nHttpFullResponse;
			try {
				response = (await this.ctx.helpers.httpRequestWithAuthentication.call(
					this.ctx,
					CREDENTIAL_TYPE,
					options,
				)) as IN8nHttpFullResponse;
			} catch (error) {
				return { kind: 'thrown', error };
			}
			const rateLimit = readRateLimitHeaders(response.headers as Record<string, unknown>);
			this.gate.release(ticket, rateLimit);
			this.concurrency.observe(this.now() - started, rateLimit);
			return {
				kind: 'answered',
				statusCode: Number(response.statusCode),
				body: parseBody(response.body),
				rateLimit,
			};
		} finally {
			this.slots.release();
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
}
