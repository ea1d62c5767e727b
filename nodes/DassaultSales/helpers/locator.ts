/**
 * The lead-opportunity locator's "By Partner Lead-Opportunity ID" mode: the CRM id becomes the 3DS
 * id with one search, the same search Create or Update makes.
 */
import { NodeOperationError } from 'n8n-workflow';

import { findByPartnerId, type DassaultSalesClient } from '../transport';

/** The one 3DS id holding this partner id; none or several is the user's to settle, so it says how. */
export async function resolvePartnerLeadOpportunityId(
	client: DassaultSalesClient,
	partnerLeadOpportunityId: string,
	itemIndex: number,
): Promise<string> {
	const ids = await findByPartnerId(client, partnerLeadOpportunityId, itemIndex);
	if (ids.length === 1) return ids[0];
	const { environment } = await client.resolveCredentials();
	if (ids.length === 0) {
		throw new NodeOperationError(
			client.node,
			`No lead-opportunity has the partner lead-opportunity ID "${partnerLeadOpportunityId}" in the ${environment.name} environment [item ${itemIndex}]`,
			{
				itemIndex,
				description: `The search by partner ID found nothing in ${environment.url}. Check the CRM ID in 'Lead-Opportunity', and that the credential points at the environment the lead was reported to. A lead created seconds ago can take a moment to be searchable; by its 3DS ID it is found at once.`,
			},
		);
	}
	throw new NodeOperationError(
		client.node,
		`Several 3DS lead-opportunities have the partner ID "${partnerLeadOpportunityId}" (${ids.join(', ')}) [item ${itemIndex}]`,
		{
			itemIndex,
			description:
				"Pick the one you mean in 'Lead-Opportunity' by its 3DS ID (By 3DS ID, or From List).",
		},
	);
}

/** The 3DS id a lead-opportunity locator points at: as given, or found by its partner id. */
export async function targetId(
	client: DassaultSalesClient,
	target: { id: string } | { partnerLeadOpportunityId: string },
	itemIndex: number,
): Promise<string> {
	return 'id' in target
		? target.id
		: await resolvePartnerLeadOpportunityId(client, target.partnerLeadOpportunityId, itemIndex);
}
