/**
 * What the items of one execution share: the client (one rate-limit gate, one concurrency
 * controller) and Create or Update's lookups, one per API version.
 */
import type { ApiVersion } from '../schemas';
import type { DassaultSalesClient } from '../transport';
import { UpsertLookup } from './leadOpportunity/upsertLookup';

export class Execution {
	private readonly lookups = new Map<ApiVersion, UpsertLookup>();

	private complete = false;

	constructor(readonly client: DassaultSalesClient) {}

	lookup(version: ApiVersion): UpsertLookup {
		let lookup = this.lookups.get(version);
		if (!lookup) {
			lookup = new UpsertLookup(this.client, version);
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
}
