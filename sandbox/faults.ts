// Injected faults, drawn from their own PRNG stream so that, for a given seed and configuration,
// the same sequence of requests meets the same sequence of faults.
import { Rng, standardNormal } from './prng';
import { OPERATION_KINDS, type Route, routeSelected } from './routes';

export interface FaultRule {
	/** Chance per request, 0..1. */
	probability: number;
	/** operationIds and/or kinds ('create', 'update', 'get', 'search', 'portfolio'); all when absent. */
	operations?: string[];
}

export type LatencyRule = {
	/** Chance per request that the latency is added, 0..1 (default 1). */
	probability?: number;
	operations?: string[];
} & (
	| { distribution: 'fixed'; ms: number }
	| { distribution: 'uniform'; minMs: number; maxMs: number }
	| { distribution: 'normal'; meanMs: number; stdDevMs: number }
);

export interface FaultsConfig {
	/** 503 ERR899 (only on operations whose spec declares a 503: not portfolio-items). */
	unavailable?: FaultRule;
	/** A 429 although the quota is not used up. */
	rateLimited?: FaultRule;
	/** Socket destroyed with no response, before the request is applied. */
	resetBeforeWrite?: FaultRule;
	/** Socket destroyed with no response, after the request was applied (a create did happen). */
	resetAfterWrite?: FaultRule;
	/**
	 * The old latency model: a delay inside the server, after the key and quota checks, so a 429
	 * comes back at once and connections cost nothing. Kept as is (tests rely on it); `wire`
	 * (wire.ts) models the internet: handshakes per connection, the quota counted on arrival.
	 */
	latency?: LatencyRule;
}

export type FaultName = keyof FaultsConfig;
export const FAULT_NAMES: readonly FaultName[] = [
	'unavailable',
	'rateLimited',
	'resetBeforeWrite',
	'resetAfterWrite',
	'latency',
];

export type FaultOutcome = Exclude<FaultName, 'latency'>;

export interface FaultDecision {
	outcome?: FaultOutcome;
	latencyMs: number;
}

function latencyMs(rule: LatencyRule, u1: number, u2: number): number {
	switch (rule.distribution) {
		case 'fixed':
			return rule.ms;
		case 'uniform':
			return rule.minMs + u1 * (rule.maxMs - rule.minMs);
		case 'normal':
			return Math.max(0, rule.meanMs + rule.stdDevMs * standardNormal(u1, u2));
	}
}

export class FaultInjector {
	constructor(
		private rng: Rng,
		private readonly config: () => FaultsConfig,
		/** Whether the spec lets this operation answer 503. */
		private readonly can503: (route: Route) => boolean,
	) {}

	reseed(seed: number): void {
		this.rng = new Rng(seed);
	}

	/**
	 * Always draws the same seven numbers per request, whatever is configured, so changing one
	 * fault does not shift the draws of the others. First matching outcome wins, in this order.
	 */
	decide(route: Route): FaultDecision {
		const [u503, u429, uBefore, uAfter, uLatency, u1, u2] = Array.from({ length: 7 }, () =>
			this.rng.next(),
		);
		const { unavailable, rateLimited, resetBeforeWrite, resetAfterWrite, latency } = this.config();
		const fires = (rule: FaultRule | undefined, u: number) =>
			!!rule && routeSelected(route, rule.operations) && u < rule.probability;
		const decision: FaultDecision = { latencyMs: 0 };
		if (
			latency &&
			routeSelected(route, latency.operations) &&
			uLatency < (latency.probability ?? 1)
		) {
			decision.latencyMs = Math.round(latencyMs(latency, u1, u2));
		}
		if (fires(unavailable, u503) && this.can503(route)) decision.outcome = 'unavailable';
		else if (fires(rateLimited, u429)) decision.outcome = 'rateLimited';
		else if (fires(resetBeforeWrite, uBefore)) decision.outcome = 'resetBeforeWrite';
		else if (fires(resetAfterWrite, uAfter)) decision.outcome = 'resetAfterWrite';
		return decision;
	}
}

/** Throws on a configuration that would silently do nothing or the wrong thing. */
export function assertFaultsConfig(
	faults: unknown,
	operationIds: readonly string[],
): asserts faults is FaultsConfig {
	if (typeof faults !== 'object' || faults === null || Array.isArray(faults))
		throw new Error('faults must be an object');
	const known = new Set<string>([...operationIds, ...OPERATION_KINDS]);
	for (const [name, rule] of Object.entries(faults)) {
		if (!FAULT_NAMES.includes(name as FaultName))
			throw new Error(`Unknown fault ${name} (known: ${FAULT_NAMES.join(', ')})`);
		if (rule === undefined) continue;
		if (typeof rule !== 'object' || rule === null)
			throw new Error(`faults.${name} must be an object`);
		const r = rule as Record<string, unknown>;
		const probability = r.probability ?? (name === 'latency' ? 1 : undefined);
		if (typeof probability !== 'number' || probability < 0 || probability > 1)
			throw new Error(`faults.${name}.probability must be a number in [0, 1]`);
		if (r.operations !== undefined) {
			if (!Array.isArray(r.operations))
				throw new Error(`faults.${name}.operations must be an array`);
			const unknown = r.operations.filter((op) => !known.has(op as string));
			if (unknown.length)
				throw new Error(`faults.${name}.operations: unknown ${unknown.join(', ')}`);
		}
		if (name === 'latency') assertLatency(r);
	}
}

function assertLatency(r: Record<string, unknown>): void {
	const nonNegative = (key: string) => {
		if (typeof r[key] !== 'number' || (r[key] as number) < 0)
			throw new Error(`faults.latency.${key} must be a number >= 0`);
	};
	if (r.distribution === 'fixed') nonNegative('ms');
	else if (r.distribution === 'uniform') {
		nonNegative('minMs');
		nonNegative('maxMs');
		if ((r.maxMs as number) < (r.minMs as number))
			throw new Error('faults.latency.maxMs must be >= minMs');
	} else if (r.distribution === 'normal') {
		nonNegative('meanMs');
		nonNegative('stdDevMs');
	} else throw new Error("faults.latency.distribution must be 'fixed', 'uniform' or 'normal'");
}
