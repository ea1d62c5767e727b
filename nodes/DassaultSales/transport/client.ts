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

import { CREDENTIAL_TYPE, ENVIRONMENTS, type EnvironmentKey } from './environments';
import { apiError, networkError } from './errors';
import {
	earlyStartMs,
	MAX_RESET_SECONDS,
	RateLimitGate,
	readRateLimitHeaders,
	RESET_MARGIN_MS,
	type RateLimitHeaders,
	type RateLimitMemory,
	type ReadRateLimit,
} from './rateLimit';
import { InFlightLimit, RequestSlots, type InFlightMemory } from './requestsInFlight';
import {
	classify,
	EXECUTION_RETRY_POLICY,
	RetryBudget,
	type Decision,
	type RetryableVerdict,
	type RetryPolicy,
	type SendOutcome,
} from './retry';

export type RequestContext = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions;

/** What one run of the node learned of the quota and the wire, for its next run in the execution. */
export interface PacingMemory {
	inFlight: InFlightMemory;
	rateLimit: RateLimitMemory;
}

export interface ClientOptions {
	retry?: Partial<RetryPolicy>;
	sleep?: (ms: number) => Promise<void>;
	now?: () => number;
	/** A fixed number of requests in flight (the Concurrency option); learned when absent. */
	concurrency?: number;
	/** What an earlier run of the node in this execution learned (`pacingMemory()`). */
	pacing?: PacingMemory;
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
	readonly inFlight: InFlightLimit;

	private readonly slots: RequestSlots;

	/** Requests sent in this client's lifetime (one execution or one poll): the trigger projects its costs from it. */
	readonly stats = { requests: 0 };

	/** Reset forms already told to the user in this execution (each once). */
	private readonly told = new Set<string>();

	constructor(
		private readonly ctx: RequestContext,
		options: ClientOptions = {},
	) {
		this.policy = { ...EXECUTION_RETRY_POLICY, ...options.retry };
		this.sleep = options.sleep ?? n8nSleep;
		this.now = options.now ?? Date.now;
		this.inFlight = new InFlightLimit(options.concurrency, undefined, options.pacing?.inFlight);
		this.gate = new RateLimitGate(
			this.sleep,
			this.now,
			{
				earlyMs: () => earlyStartMs(this.inFlight.shortestMs, this.inFlight.averageMs),
				spacingMs: () => this.inFlight.spacingMs(),
			},
			options.pacing?.rateLimit,
		);
		this.slots = new RequestSlots(this.inFlight);
	}

	/** What this client learned of the quota and the wire, for the node's next run. */
	pacingMemory(): PacingMemory {
		return { inFlight: this.inFlight.memory(), rateLimit: this.gate.memory() };
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
	 * call's retry budget decides (`decide`) whether it is tried again, and after how long.
	 */
	async request(call: ApiCall): Promise<ApiResponse> {
		const budget = new RetryBudget(this.policy);
		for (let attempt = 1; ; attempt++) {
			await this.checkQuotaWait(call, attempt - 1, budget);
			const verdict = classify(await this.send(call), call.safeToRetry);
			if (verdict.kind === 'ok')
				return {
					statusCode: verdict.statusCode,
					body: verdict.body,
					rateLimit: verdict.rateLimit,
					attempts: attempt,
					retriedAfterUncertainFailure: budget.uncertain,
				};
			if (verdict.kind === 'refused')
				// Not a network failure: n8n refused the request itself (credential missing, bad option).
				throw new NodeOperationError(this.node, `Could not ${call.action}: ${verdict.message}`, {
					itemIndex: call.itemIndex,
				});
			if (verdict.kind === 'failed')
				throw await this.failure(call, attempt, budget, verdict.statusCode, verdict.body);
			const decision = budget.decide(verdict);
			if (!decision.retry) throw await this.giveUp(call, attempt, budget, verdict, decision);
			if (verdict.kind === 'rate-limited') {
				// A 429 says the quota is spent for everyone: the whole execution waits at the gate.
				// Without rate-limit headers, once a learned rate paces the requests, the 429 is a
				// request or two past the window's end: the rate is cut and only this call waits; so
				// does a request sent early that the previous window refused.
				const paced = this.inFlight.paced;
				this.inFlight.rateLimited(this.now());
				const waitMs = paced
					? decision.waitMs
					: this.gate.block(this.now() + decision.waitMs + RESET_MARGIN_MS, verdict.ticket);
				if (waitMs > 0) await this.sleep(waitMs);
			} else await this.sleep(decision.waitMs);
		}
	}

	/** The quota may reset later than this caller may wait (a poll must end within its interval). */
	private async checkQuotaWait(
		call: ApiCall,
		attempts: number,
		budget: RetryBudget,
	): Promise<void> {
		// The gate adds its margin past the announced reset: a reset of exactly the maximum is waited.
		const quotaWaitMs = this.gate.pendingWaitMs();
		if (quotaWaitMs <= this.policy.maxRateLimitWaitMs + RESET_MARGIN_MS) return;
		throw await this.failure(
			call,
			attempts,
			budget,
			429,
			{ message: `The quota resets in ${Math.ceil(quotaWaitMs / 1000)} s` },
			{
				cause: 'rate-limited',
				retryAfterMs: quotaWaitMs,
				resetsAtEpochMs: this.now() + quotaWaitMs,
			},
		);
	}

	/** The error of a retryable outcome the budget gave up on. */
	private async giveUp(
		call: ApiCall,
		attempts: number,
		budget: RetryBudget,
		verdict: RetryableVerdict,
		decision: Decision,
	): Promise<Error> {
		switch (verdict.kind) {
			case 'network': {
				const { environment } = await this.resolveCredentials();
				return networkError(
					this.node,
					verdict.code,
					call.action,
					environment,
					call.itemIndex,
					attempts,
				);
			}
			case 'rate-limited':
				return await this.failure(call, attempts, budget, verdict.statusCode, verdict.body, {
					cause: 'rate-limited',
					retryAfterMs: decision.waitMs,
					resetsAtEpochMs: this.now() + decision.waitMs,
				});
			case 'unavailable':
				return await this.failure(call, attempts, budget, verdict.statusCode, verdict.body, {
					cause: 'temporarily-unavailable',
				});
		}
	}

	/** The `NodeApiError` of an answer that failed the call. */
	private async failure(
		call: ApiCall,
		attempts: number,
		budget: RetryBudget,
		statusCode: number,
		body: unknown,
		failure?: Failure,
	): Promise<Error> {
		const { environment } = await this.resolveCredentials();
		return apiError({
			node: this.node,
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
	}

	/**
	 * One attempt on the wire: a request slot (the execution's in-flight limit), the rate-limit
	 * gate, the HTTP call. What came back is recorded for pacing (gate) and sizing (the limit).
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
				this.gate.release(ticket, {});
				return { kind: 'thrown', error };
			}
			const rateLimit = readRateLimitHeaders(
				response.headers as Record<string, unknown>,
				this.now(),
			);
			this.tellResetForm(rateLimit);
			const admitted = Number(response.statusCode) !== 429;
			this.gate.release(ticket, rateLimit, admitted);
			this.inFlight.observe(this.now() - started, rateLimit, admitted, this.now());
			return {
				kind: 'answered',
				statusCode: Number(response.statusCode),
				body: parseBody(response.body),
				rateLimit,
				ticket,
			};
		} finally {
			this.slots.release();
		}
	}

	/**
	 * A Reset the node had to reinterpret is said once per execution, as an execution hint under
	 * the node's output (n8n's place for such notes; no log).
	 */
	private tellResetForm({ resetSent }: ReadRateLimit): void {
		if (!resetSent || this.told.has(resetSent.form)) return;
		this.told.add(resetSent.form);
		const ctx = this.ctx as Partial<IExecuteFunctions>;
		if (typeof ctx.addExecutionHints !== 'function') return;
		ctx.addExecutionHints({
			type: 'info',
			location: 'outputPane',
			message:
				resetSent.form === 'epoch'
					? `The 3DS gateway sent X-RateLimit-Reset as a point in time (${resetSent.value}), not as the seconds until the reset the API describes: the node paced with the seconds until that time.`
					: `The 3DS gateway sent an X-RateLimit-Reset of ${resetSent.value}, more than an hour: the node paced as if the quota reset within ${MAX_RESET_SECONDS} s.`,
		});
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
