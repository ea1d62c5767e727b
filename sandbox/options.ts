// Start options, the runtime configuration the admin API can change, and their defaults.
import { assertFaultsConfig, type FaultName, type FaultsConfig } from './faults';
import { RATE_LIMIT_HEADER_FORMS, type RateLimitHeaderForm } from './rate-limit';
import { assertWireConfig, type WireConfig } from './wire';

export interface SandboxOptions {
	/** Default 127.0.0.1. */
	host?: string;
	/** Default 4010; 0 picks a free port (tests). */
	port?: number;
	/** Seed of the store, the ids and the fault sequence. Default 1. */
	seed?: number;
	/** The sandbox's clock (epoch ms): seeded dates, created/modified dates, rate-limit windows. */
	now?: () => number;
	/** Accepted X-API-Key values. Default ['sandbox-key']. */
	apiKeys?: string[];
	/** Requests per window per key. Default 1000. */
	quota?: number;
	/** Rate-limit window length. Default 60000. */
	windowMs?: number;
	faults?: FaultsConfig;
	/** Seeded lead-opportunities. Default 300. */
	leadCount?: number;
	/** Seeded portfolio items. Default 3049 (the spec example's estimatedSearchCount). */
	portfolioItemCount?: number;
	/** The OpenAPI document. Default test/fixtures/dassault-sales-api4partners-2.0.0.yaml. */
	specPath?: string;
	/** Check every response against the spec and record violations (admin.violations()). Default true. */
	checkResponses?: boolean;
	/** Called with one line per request served. */
	log?: (line: string) => void;
	/** How closeDate / nextMilestoneDate are stored. Default 'as-sent'. */
	days?: DayStorage;
	/** The network between client and gateway (handshakes, round trips). Default off. */
	wire?: WireConfig;
	/** How the X-RateLimit-* headers are written. Default 'seconds'. */
	rateLimitHeaders?: RateLimitHeaderForm;
}

/**
 * How the sandbox stores the day fields closeDate and nextMilestoneDate. `as-sent`: the instant
 * sent, normalised to UTC. `midnight`: midnight UTC of its UTC day, as the GET's "(YYYY-MM-DD)"
 * and its example `2024-12-31T00:00:00.000Z` suggest 3DS does.
 */
export type DayStorage = 'as-sent' | 'midnight';

export const DAY_STORAGES: readonly DayStorage[] = ['as-sent', 'midnight'];

/** What the admin API can change while the sandbox runs. */
export interface SandboxConfig {
	seed: number;
	apiKeys: string[];
	quota: number;
	windowMs: number;
	faults: FaultsConfig;
	days: DayStorage;
	/** Absent when off (the default). */
	wire?: WireConfig;
	rateLimitHeaders: RateLimitHeaderForm;
}

/**
 * A change of configuration. `faults` merges per fault: an object replaces that fault, null
 * removes it. `wire`: an object replaces the wire, null switches it off.
 */
export interface ConfigPatch {
	apiKeys?: string[];
	quota?: number;
	windowMs?: number;
	faults?: { [K in FaultName]?: FaultsConfig[K] | null };
	days?: DayStorage;
	wire?: WireConfig | null;
	rateLimitHeaders?: RateLimitHeaderForm;
}

export const DEFAULTS = {
	host: '127.0.0.1',
	port: 4010,
	seed: 1,
	apiKeys: ['sandbox-key'],
	quota: 1000,
	windowMs: 60_000,
	leadCount: 300,
	portfolioItemCount: 3049,
} as const;

function positiveInteger(name: string, value: unknown): number {
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
		throw new Error(`${name} must be a positive integer`);
	return value;
}

/** The configuration after a patch; throws (leaving `config` untouched) when the patch is invalid. */
export function patchConfig(
	config: SandboxConfig,
	patch: ConfigPatch,
	operationIds: readonly string[],
): SandboxConfig {
	const next: SandboxConfig = structuredClone(config);
	if (patch.apiKeys !== undefined) {
		if (
			!Array.isArray(patch.apiKeys) ||
			patch.apiKeys.some((k) => typeof k !== 'string' || k === '')
		) {
			throw new Error('apiKeys must be an array of non-empty strings');
		}
		next.apiKeys = [...patch.apiKeys];
	}
	if (patch.quota !== undefined) next.quota = positiveInteger('quota', patch.quota);
	if (patch.windowMs !== undefined) next.windowMs = positiveInteger('windowMs', patch.windowMs);
	if (patch.days !== undefined) {
		if (!DAY_STORAGES.includes(patch.days))
			throw new Error(`days must be one of ${DAY_STORAGES.join(', ')}`);
		next.days = patch.days;
	}
	if (patch.wire !== undefined) {
		if (patch.wire === null) delete next.wire;
		else {
			assertWireConfig(patch.wire);
			next.wire = structuredClone(patch.wire);
		}
	}
	if (patch.rateLimitHeaders !== undefined) {
		if (!RATE_LIMIT_HEADER_FORMS.includes(patch.rateLimitHeaders))
			throw new Error(`rateLimitHeaders must be one of ${RATE_LIMIT_HEADER_FORMS.join(', ')}`);
		next.rateLimitHeaders = patch.rateLimitHeaders;
	}
	if (patch.faults !== undefined) {
		if (typeof patch.faults !== 'object' || patch.faults === null)
			throw new Error('faults must be an object');
		const faults: Record<string, unknown> = { ...next.faults };
		for (const [name, rule] of Object.entries(patch.faults)) {
			if (rule === null) delete faults[name];
			else faults[name] = rule;
		}
		assertFaultsConfig(faults, operationIds);
		next.faults = structuredClone(faults);
	}
	return next;
}

export function initialConfig(
	options: SandboxOptions,
	operationIds: readonly string[],
): SandboxConfig {
	const base: SandboxConfig = {
		seed: options.seed ?? DEFAULTS.seed,
		apiKeys: [...DEFAULTS.apiKeys],
		quota: DEFAULTS.quota,
		windowMs: DEFAULTS.windowMs,
		faults: {},
		days: 'as-sent',
		rateLimitHeaders: 'seconds',
	};
	if (!Number.isInteger(base.seed)) throw new Error('seed must be an integer');
	return patchConfig(
		base,
		{
			apiKeys: options.apiKeys,
			quota: options.quota,
			windowMs: options.windowMs,
			faults: options.faults,
			days: options.days,
			wire: options.wire,
			rateLimitHeaders: options.rateLimitHeaders,
		},
		operationIds,
	);
}
