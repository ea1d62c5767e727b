// The in-memory lead-opportunity store shared by v0, v1 and the admin API, with its change log.
import { dsId } from './leads-seed';
import type { Rng } from './prng';
import { isoMs } from './time';
import type { ChangeLogEntry, LeadOpportunity } from './types';

/** One search criterion; a lead must match every criterion given (AND). */
export interface SearchCriterion {
	/** Inclusive window on modifiedDate, in epoch ms. */
	modified?: { from: number; to: number };
	/** Partner CRM ids; '' stands for "no partner id" (absent or empty). */
	partnerIds?: readonly unknown[];
}

export class LeadStore {
	private readonly leads = new Map<string, LeadOpportunity>();
	private readonly byPartnerId = new Map<string, string>();
	private readonly log: ChangeLogEntry[] = [];

	constructor(
		private readonly now: () => number,
		private readonly idRng: Rng,
	) {}

	/** A fresh 3DS id, unique in the store. */
	newId(): string {
		let id = dsId(this.idRng);
		while (this.leads.has(id)) id = dsId(this.idRng);
		return id;
	}

	/** Loads seeded leads as they are: seeding is not a change and logs nothing. */
	load(leads: readonly LeadOpportunity[]): void {
		for (const lead of leads) this.put(lead);
	}

	get(id: string): LeadOpportunity | undefined {
		return this.leads.get(id);
	}

	all(): LeadOpportunity[] {
		return [...this.leads.values()];
	}

	get size(): number {
		return this.leads.size;
	}

	/** The lead holding this partner CRM id, if any ('' belongs to nobody). */
	findByPartnerId(partnerLeadOpportunityId: string): LeadOpportunity | undefined {
		const id = partnerLeadOpportunityId
			? this.byPartnerId.get(partnerLeadOpportunityId)
			: undefined;
		return id === undefined ? undefined : this.leads.get(id);
	}

	/** Adds a new lead stamped with created/modified = now, and logs it. */
	insert(
		lead: Omit<LeadOpportunity, 'createdDate' | 'modifiedDate'> & Partial<LeadOpportunity>,
		change: string,
	): LeadOpportunity {
		const stamp = isoMs(this.now());
		const stored = { ...lead, createdDate: stamp, modifiedDate: stamp } as LeadOpportunity;
		this.put(stored);
		this.log.push({ id: stored.dsLeadOpportunityId, modifiedDate: stamp, change });
		return stored;
	}

	/** Applies `mutate` to a stored lead, bumps modifiedDate (never backwards) and logs it. */
	modify(id: string, change: string, mutate: (lead: LeadOpportunity) => void): LeadOpportunity {
		const lead = this.leads.get(id);
		if (!lead) throw new Error(`Unknown lead ${id}`);
		const previousPartnerId = lead.partnerLeadOpportunityId;
		mutate(lead);
		// The clock is injectable and may step back; a record's modifiedDate must not.
		lead.modifiedDate = isoMs(Math.max(this.now(), Date.parse(lead.modifiedDate)));
		if (previousPartnerId !== lead.partnerLeadOpportunityId) {
			if (previousPartnerId) this.byPartnerId.delete(previousPartnerId);
			if (lead.partnerLeadOpportunityId) this.byPartnerId.set(lead.partnerLeadOpportunityId, id);
		}
		this.log.push({ id, modifiedDate: lead.modifiedDate, change });
		return lead;
	}

	/** Ids of the leads matching every criterion, by modifiedDate ascending then id. */
	search(criteria: readonly SearchCriterion[]): string[] {
		const found = this.all().filter((lead) => criteria.every((c) => satisfies(lead, c)));
		return found
			.map((lead) => ({ id: lead.dsLeadOpportunityId, at: Date.parse(lead.modifiedDate) }))
			.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
			.map((m) => m.id);
	}

	changes(): ChangeLogEntry[] {
		return this.log.map((entry) => ({ ...entry }));
	}

	lastChange(): ChangeLogEntry | undefined {
		const entry = this.log[this.log.length - 1];
		return entry && { ...entry };
	}

	private put(lead: LeadOpportunity): void {
		this.leads.set(lead.dsLeadOpportunityId, lead);
		if (lead.partnerLeadOpportunityId)
			this.byPartnerId.set(lead.partnerLeadOpportunityId, lead.dsLeadOpportunityId);
	}
}

function satisfies(lead: LeadOpportunity, criterion: SearchCriterion): boolean {
	if (criterion.modified) {
		const at = Date.parse(lead.modifiedDate);
		if (at < criterion.modified.from || at > criterion.modified.to) return false;
	}
	if (criterion.partnerIds) {
		const own = lead.partnerLeadOpportunityId ?? '';
		if (!criterion.partnerIds.some((wanted) => wanted === own)) return false;
	}
	return true;
}
