// The sandbox's state: configuration, store, portfolio, limiter, faults, wire and counters, and how
// to rebuild them from a seed. The HTTP server and the admin handle both work on one core.
import { generatePortfolio } from './catalog';
import { emptyCounters, type ServedCounters } from './counters';
import { FaultInjector } from './faults';
import type { HandlerContext } from './handlers';
import { seedLeads } from './leads-seed';
import { DEFAULTS, initialConfig, type SandboxConfig, type SandboxOptions } from './options';
import { deriveSeed, Rng } from './prng';
import { RateLimiter } from './rate-limit';
import { buildRoutes, type Route } from './routes';
import { loadSpec, type Spec } from './spec';
import { LeadStore } from './store';
import type { PortfolioItem } from './types';
import { Wire } from './wire';

/** A response that does not match the spec's schema for its operation and status. */
export interface ContractViolation {
	operationId: string;
	status: number;
	errors: string;
}

export class SandboxCore {
	readonly spec: Spec;
	readonly routes: Route[];
	readonly now: () => number;
	readonly limiter: RateLimiter;
	readonly faults: FaultInjector;
	readonly wire: Wire;
	readonly startConfig: SandboxConfig;
	config: SandboxConfig;
	store!: LeadStore;
	portfolio: PortfolioItem[] = [];
	counters: ServedCounters = emptyCounters();
	violations: ContractViolation[] = [];
	/** Draws of admin changes made without a seed of their own. */
	adminRng!: Rng;
	private traceRng!: Rng;
	private portfolioSeed?: number;

	constructor(readonly options: SandboxOptions) {
		this.spec = loadSpec(options.specPath);
		this.routes = buildRoutes(this.spec);
		this.now = options.now ?? Date.now;
		this.startConfig = initialConfig(options, this.operationIds());
		this.config = structuredClone(this.startConfig);
		this.limiter = new RateLimiter(this.now, () => this.config);
		this.faults = new FaultInjector(
			new Rng(0),
			() => this.config.faults,
			(route) => this.spec.declares(route.operationId, 503),
		);
		this.wire = new Wire(new Rng(0), () => this.config.wire);
		this.rebuild(this.config.seed);
	}

	operationIds(): string[] {
		return this.spec.operations.map((op) => op.operationId);
	}

	/**
	 * Back to the state of a fresh start with this seed: store, portfolio, every PRNG stream,
	 * rate-limit windows, counters and change log; configuration back to the start options.
	 */
	rebuild(seed: number): void {
		this.config = { ...structuredClone(this.startConfig), seed };
		// The portfolio is read-only and depends on the seed alone: keep it across resets.
		if (this.portfolioSeed !== seed) {
			this.portfolio = generatePortfolio(
				new Rng(deriveSeed(seed, 'portfolio')),
				this.options.portfolioItemCount ?? DEFAULTS.portfolioItemCount,
			);
			this.portfolioSeed = seed;
		}
		const orderable = this.portfolio.filter((item) => item.salesPortfolioisOrderable);
		this.store = new LeadStore(this.now, new Rng(deriveSeed(seed, 'ids')));
		const leadRng = new Rng(deriveSeed(seed, 'leads'));
		this.store.load(
			seedLeads(leadRng, this.options.leadCount ?? DEFAULTS.leadCount, this.now(), orderable, () =>
				this.store.newId(),
			),
		);
		this.faults.reseed(deriveSeed(seed, 'faults'));
		this.wire.reseed(deriveSeed(seed, 'wire'));
		this.traceRng = new Rng(deriveSeed(seed, 'trace'));
		this.adminRng = new Rng(deriveSeed(seed, 'admin'));
		this.limiter.clear();
		this.counters = emptyCounters(this.counters.resets);
		this.violations = [];
	}

	handlerContext(): HandlerContext {
		return {
			spec: this.spec,
			store: this.store,
			portfolio: this.portfolio,
			stamp: () => ({ now: this.now(), traceId: this.traceRng.chars(32, '0123456789abcdef') }),
			days: () => this.config.days,
		};
	}
}
