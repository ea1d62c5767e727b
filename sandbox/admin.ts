// The admin handle: what tests (in process) and the /__sandbox/ HTTP API (admin-http.ts) use to
// reset, reconfigure and inspect the sandbox, and to change leads the way 3DS would.
import type { ContractViolation, SandboxCore } from './core';
import type { Counters } from './counters';
import { forecastFor, nextStatus } from './lead-rules';
import { buildLead } from './leads-seed';
import { type ConfigPatch, patchConfig, type SandboxConfig } from './options';
import { deriveSeed, Rng } from './prng';
import { MILESTONES, PSM_EMAILS } from './seed-data';
import { DAY_MS, isoMs } from './time';
import {
	type ChangeLogEntry,
	LEAD_STATUSES,
	type LeadOpportunity,
	type LeadStatus,
	type PortfolioItem,
} from './types';

/** A change 3DS makes on its side. Each present field is applied; at least one is needed. */
export interface LeadChange {
	status?: LeadStatus;
	dsOwnerEmail?: string;
	nextMilestone?: string;
	nextMilestoneDate?: string;
}

export interface MarketingLeadOptions {
	/** Seed of these leads' content (default: the sandbox's admin stream). */
	seed?: number;
	/** true: partnerLeadOpportunityId ''; false: absent; default: a mix of both. */
	emptyPartnerId?: boolean;
}

/** Invalid admin input (HTTP 400) or unknown lead (HTTP 404). */
export class SandboxAdminError extends Error {
	constructor(
		message: string,
		readonly status: 400 | 404,
	) {
		super(message);
	}
}

export interface SandboxAdmin {
	/** Back to the seeded state, as freshly started (current seed; start configuration). */
	reset(): void;
	/** Like reset, with a new seed. */
	reseed(seed: number): void;
	config(): SandboxConfig;
	/**
	 * Changes quota, window, API keys, faults, day storage, wire or rate-limit header form at
	 * runtime; returns the new configuration.
	 */
	configure(patch: ConfigPatch): SandboxConfig;
	/** Changes a lead as 3DS would (status, owner, next milestone); bumps modifiedDate. */
	changeLead(id: string, change: LeadChange): ChangeLogEntry;
	/** Changes `count` random leads (status, owner or next milestone), drawn from `seed` if given. */
	randomChanges(count: number, seed?: number): ChangeLogEntry[];
	/** Creates unassigned marketing leads (no partner id), created and modified now. */
	createMarketingLeads(count?: number, options?: MarketingLeadOptions): LeadOpportunity[];
	counters(): Counters;
	/** A stored lead (v1 GET shape), or undefined. */
	getLead(id: string): LeadOpportunity | undefined;
	listLeads(): LeadOpportunity[];
	/** Every create, update and admin change, in order. */
	changes(): ChangeLogEntry[];
	portfolioItems(): PortfolioItem[];
	/** Responses that did not match the spec (empty unless the sandbox has a bug). */
	violations(): ContractViolation[];
}

const CHANGE_KINDS: ReadonlyArray<readonly [keyof LeadChange, string]> = [
	['status', 'status'],
	['dsOwnerEmail', 'owner'],
	['nextMilestone', 'nextMilestone'],
	['nextMilestoneDate', 'nextMilestone'],
];

export class Admin implements SandboxAdmin {
	constructor(private readonly core: SandboxCore) {}

	reset(): void {
		this.reseed(this.core.config.seed);
	}

	reseed(seed: number): void {
		if (!Number.isInteger(seed)) throw new SandboxAdminError('seed must be an integer', 400);
		this.core.counters.resets++;
		this.core.rebuild(seed);
	}

	config(): SandboxConfig {
		return structuredClone(this.core.config);
	}

	configure(patch: ConfigPatch): SandboxConfig {
		try {
			this.core.config = patchConfig(this.core.config, patch, this.core.operationIds());
		} catch (error) {
			throw new SandboxAdminError((error as Error).message, 400);
		}
		return this.config();
	}

	changeLead(id: string, change: LeadChange): ChangeLogEntry {
		const lead = this.core.store.get(id);
		if (!lead) throw new SandboxAdminError(`Unknown lead ${id}`, 404);
		if (change.status !== undefined && !LEAD_STATUSES.includes(change.status)) {
			throw new SandboxAdminError(`status must be one of ${LEAD_STATUSES.join(', ')}`, 400);
		}
		for (const key of ['dsOwnerEmail', 'nextMilestone', 'nextMilestoneDate'] as const) {
			if (change[key] !== undefined && typeof change[key] !== 'string')
				throw new SandboxAdminError(`${key} must be a string`, 400);
		}
		if (change.nextMilestoneDate && Number.isNaN(Date.parse(change.nextMilestoneDate))) {
			throw new SandboxAdminError('nextMilestoneDate must be a date-time', 400);
		}
		const kinds = [
			...new Set(CHANGE_KINDS.filter(([key]) => change[key] !== undefined).map(([, kind]) => kind)),
		];
		if (kinds.length === 0)
			throw new SandboxAdminError(
				'Give at least one of status, dsOwnerEmail, nextMilestone, nextMilestoneDate',
				400,
			);
		this.core.store.modify(id, kinds.join('+'), (stored) => {
			if (change.status !== undefined) {
				stored.status = change.status;
				stored.forecastCategory = forecastFor(change.status, undefined, stored.forecastCategory);
			}
			if (change.dsOwnerEmail !== undefined) stored.dsOwnerEmail = change.dsOwnerEmail;
			if (change.nextMilestone !== undefined) stored.nextMilestone = change.nextMilestone;
			if (change.nextMilestoneDate !== undefined) {
				stored.nextMilestoneDate =
					change.nextMilestoneDate === '' ? '' : new Date(change.nextMilestoneDate).toISOString();
			}
		});
		return this.core.store.lastChange()!;
	}

	randomChanges(count: number, seed?: number): ChangeLogEntry[] {
		if (!Number.isInteger(count) || count < 0)
			throw new SandboxAdminError('count must be a non-negative integer', 400);
		const rng = this.rngFor(seed, 'changes');
		const picked = rng.sample(this.core.store.all(), count);
		return picked.map((lead) =>
			this.changeLead(lead.dsLeadOpportunityId, this.randomChange(rng, lead)),
		);
	}

	createMarketingLeads(count = 1, options: MarketingLeadOptions = {}): LeadOpportunity[] {
		if (!Number.isInteger(count) || count < 1)
			throw new SandboxAdminError('count must be a positive integer', 400);
		const rng = this.rngFor(options.seed, 'marketing');
		const orderable = this.core.portfolio.filter((item) => item.salesPortfolioisOrderable);
		const now = this.core.now();
		return Array.from({ length: count }, () => {
			const empty = options.emptyPartnerId ?? rng.chance(0.5);
			const draft = {
				partnerId: empty ? 'empty' : 'absent',
				status: 'LEAD_OPEN',
				createdMs: now,
				modifiedMs: now,
				marketing: true,
			} as const;
			const lead = this.core.store.insert(
				buildLead(rng, this.core.store.newId(), draft, orderable),
				'marketing-lead',
			);
			return structuredClone(lead);
		});
	}

	counters(): Counters {
		return {
			...structuredClone(this.core.counters),
			rateLimitedPerWindow: this.core.limiter.rateLimitedPerWindow(),
		};
	}

	getLead(id: string): LeadOpportunity | undefined {
		const lead = this.core.store.get(id);
		return lead && structuredClone(lead);
	}

	listLeads(): LeadOpportunity[] {
		return structuredClone(this.core.store.all());
	}

	changes(): ChangeLogEntry[] {
		return this.core.store.changes();
	}

	portfolioItems(): PortfolioItem[] {
		return structuredClone(this.core.portfolio);
	}

	violations(): ContractViolation[] {
		return structuredClone(this.core.violations);
	}

	private rngFor(seed: number | undefined, stream: string): Rng {
		if (seed === undefined) return this.core.adminRng;
		if (!Number.isInteger(seed)) throw new SandboxAdminError('seed must be an integer', 400);
		return new Rng(deriveSeed(seed, stream));
	}

	/** What 3DS typically does to a lead: moves its status on, hands it over, plans the next step. */
	private randomChange(rng: Rng, lead: LeadOpportunity): LeadChange {
		const kind = rng.weighted([
			['status', 2],
			['owner', 1],
			['nextMilestone', 1],
		] as const);
		const status = nextStatus(lead.status, rng.chance(0.2));
		if (kind === 'status' && status) return { status };
		if (kind === 'nextMilestone') {
			const at = this.core.now() + rng.int(1, 30) * DAY_MS;
			return {
				nextMilestone: rng.pick(MILESTONES),
				nextMilestoneDate: isoMs(at - (at % 3_600_000)),
			};
		}
		return { dsOwnerEmail: rng.pick(PSM_EMAILS.filter((email) => email !== lead.dsOwnerEmail)) };
	}
}
