import type { INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { apiVersionField, inputModeField, v0Notice, writeOptions } from '../../descriptions/common';
import { createFields, jsonBodyField } from '../../descriptions/leadOpportunityFields';
import { readCreateInput } from '../../helpers/leadOpportunityBody';
import {
	alreadyExists,
	carryOut,
	dryRunWanted,
	preview,
	WouldBeWritten,
	type Decision,
	type Outcome,
} from '../../helpers/writePlan';
import type { ApiVersion } from '../../schemas';
import type { DassaultSalesClient } from '../../transport';
import { partnerKey, type Prepare } from '../operation';
import { metadataWanted, toItem } from '../output';
import type { UpsertLookup } from './upsertLookup';

/** Shared with Create or Update, which takes the same input. */
export const createProperties: INodeProperties[] = [
	apiVersionField,
	v0Notice,
	inputModeField,
	jsonBodyField('post_leads-opportunities_data'),
	...createFields,
	writeOptions,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['leadOpportunity'], operation: ['create'] } },
	createProperties,
);

/**
 * A dry Create looks the partner id up (a real one need not: 3DS refuses a duplicate with ERR801)
 * to predict that refusal, for a lead 3DS holds or one an earlier item would create.
 */
async function previewCreate(
	client: DassaultSalesClient,
	version: ApiVersion,
	decision: Decision & { action: 'create' },
	dryRun: { lookup: UpsertLookup; state: WouldBeWritten },
	itemIndex: number,
): Promise<Outcome> {
	const partnerLeadOpportunityId = decision.body.leadOpportunity.partnerLeadOpportunityId;
	const ids = await dryRun.lookup.find(partnerLeadOpportunityId);
	if (ids.length > 0) throw alreadyExists(client, partnerLeadOpportunityId, ids, itemIndex);
	dryRun.lookup.remember(
		partnerLeadOpportunityId,
		WouldBeWritten.plannedId(partnerLeadOpportunityId),
	);
	return preview(decision, dryRun.state, version);
}

export const prepare: Prepare = async function (this, itemIndex, execution) {
	const { client } = execution;
	const { partnerId } = await client.resolveCredentials();
	const { version, body } = readCreateInput.call(this, itemIndex, partnerId);
	const wantsMetadata = metadataWanted.call(this, itemIndex);
	const partnerLeadOpportunityId = body.leadOpportunity.partnerLeadOpportunityId;
	const decision: Decision = { action: 'create', body };
	const dryRun = dryRunWanted.call(this, itemIndex)
		? { lookup: execution.lookup(version), state: execution.wouldBeWritten(version) }
		: undefined;
	dryRun?.lookup.register(partnerLeadOpportunityId, itemIndex);
	return {
		keys: [partnerKey(partnerLeadOpportunityId)],
		run: async (): Promise<INodeExecutionData[]> => {
			const { json, response } = dryRun
				? await previewCreate(client, version, decision, dryRun, itemIndex)
				: await carryOut(client, version, decision, itemIndex);
			return [toItem(json, itemIndex, response, wantsMetadata)];
		},
	};
};
