// REPLACED AT MERGE by 12b's diff
/**
 * Interim version of the diff Create or Update uses to write only what changed: it treats every
 * field as changed (the "when in doubt, write" side), so the node stays correct until the real
 * comparison lands.
 */
import type { IDataObject } from 'n8n-workflow';

import type { ApiVersion, CreateBody, UpdateBody } from '../schemas';

export interface LeadOpportunityDiff {
	/** The PATCH body to send: identification (partnerId, leadOpportunity.partnerLeadOpportunityId) plus every
	 *  field that differs; undefined when the stored record already holds every value of `desired`. */
	patch: UpdateBody | undefined;
	/** Dotted names of what differs, e.g. ['leadOpportunity.status', 'offerLines'] (empty when unchanged). */
	changedFields: string[];
}

/** `stored` is the GET response's `data.leadOpportunity` exactly as the transport returns it (the `record`
 *  of getLeadOpportunity). When in doubt, a field counts as changed. */
export function diffLeadOpportunity(
	desired: CreateBody,
	stored: IDataObject,
	version: ApiVersion,
): LeadOpportunityDiff {
	void stored;
	void version;
	return {
		patch: desired as UpdateBody,
		changedFields: Object.keys(desired).filter(
			(key) => desired[key as keyof CreateBody] !== undefined,
		),
	};
}
