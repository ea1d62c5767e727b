/**
 * What the items of one execution share: the client (one rate-limit gate, one concurrency
 * controller), Create or Update's lookups and a dry run's would-be writes, one per API version.
 */
import { WouldBeWritten } from '../helpers/writePlan';
import type { ApiVersion } from '../schemas';
import type { DassaultSalesClient } from '../transport';
import { UpsertLookup } from './leadOpportunity/upsertLookup';

export class Execution {
	private readonly lookups = new Map<ApiVersion, UpsertLookup>();

	private readonly dryRuns = new Map<ApiVersion, WouldBeWritten>();

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

	/** What this execution's dry-run items would have written so far. */
	wouldBeWritten(version: ApiVersion): WouldBeWritten {
		let state = this.dryRuns.get(version);
		if (!state) this.dryRuns.set(version, (state = new WouldBeWritten(version)));
		return state;
	}

	/** Every item is read: the lookups may search partial chunks now. */
	allRead(): void {
		this.complete = true;
		for (const lookup of this.lookups.values()) lookup.allRegistered();
	}
}
