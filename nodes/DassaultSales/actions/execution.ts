/**
 * What the items of one execution share while they run in parallel: the client (one rate-limit
 * gate, one concurrency controller) and Create or Update's partner-id lookups, one per API version.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { ParallelItem } from '../utils/concurrency';
import { PartnerIdLookup } from '../helpers/partnerIdLookup';
import type { ApiVersion } from '../schemas';
import type { DassaultSalesClient } from '../transport';

export class Execution {
	private readonly lookups = new Map<ApiVersion, PartnerIdLookup>();

	constructor(readonly client: DassaultSalesClient) {}

	lookup(version: ApiVersion): PartnerIdLookup {
		let lookup = this.lookups.get(version);
		if (!lookup) {
			lookup = new PartnerIdLookup(this.client, version);
			if (this.complete) lookup.allRegistered();
			this.lookups.set(version, lookup);
		}
		return lookup;
	}

	/** Every item is read: the lookups may search partial chunks now. */
	allRead(): void {
		this.complete = true;
		for (const lookup of this.lookups.values()) lookup.allRegistered();
	}

	private complete = false;

	/** Searches sent by the lookups (for the benchmarks). */
	get searches(): number {
		return [...this.lookups.values()].reduce((sum, lookup) => sum + lookup.searches, 0);
	}
}

/** An item read and validated, ready to run: what it touches and how to send it. */
export type PreparedItem = ParallelItem<INodeExecutionData[]>;

/**
 * Reads and validates one item (no request yet, so that every item's keys and partner ids are
 * known before the first one is sent).
 */
export type Prepare = (
	this: IExecuteFunctions,
	itemIndex: number,
	execution: Execution,
) => Promise<PreparedItem>;

/** Keys of `runItemsInParallel`: a partner lead-opportunity id and a 3DS id never collide. */
export const partnerKey = (partnerLeadOpportunityId: string) => `p:${partnerLeadOpportunityId}`;
export const dsKey = (dsLeadOpportunityId: string) => `d:${dsLeadOpportunityId}`;
