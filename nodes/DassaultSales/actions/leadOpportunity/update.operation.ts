import type { IDataObject, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	apiVersionField,
	dsLeadOpportunityIdField,
	inputModeField,
	v0Notice,
	writeOptions,
} from '../../descriptions/common';
import { jsonBodyField, updateFields } from '../../descriptions/leadOpportunityFields';
import { readBody } from '../../helpers/leadOpportunityBody';
import { targetId } from '../../helpers/locator';
import { isSet, readTarget } from '../../helpers/parameters';
import { validateInput } from '../../helpers/validate';
import { diffLeadOpportunity } from '../../helpers/leadOpportunityDiff';
import {
	carryOut,
	dryRunWanted,
	preview,
	WouldBeWritten,
	type Decision,
	type Outcome,
} from '../../helpers/writePlan';
import { updateBody, type ApiVersion, type CreateBody } from '../../schemas';
import type { DassaultSalesClient } from '../../transport';
import { dsKey, partnerKey, type Prepare } from '../operation';
import { metadataWanted, toItem } from '../output';

const properties: INodeProperties[] = [
	apiVersionField,
	v0Notice,
	dsLeadOpportunityIdField,
	inputModeField,
	{
		...jsonBodyField(
			'patch_leads-opportunities_data: leadOpportunity.partnerLeadOpportunityId and the fields to change',
		),
		default:
			'{\n  "leadOpportunity": {\n    "partnerLeadOpportunityId": "",\n    "status": "QUALIFIED"\n  }\n}',
	},
	...updateFields,
	writeOptions,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['leadOpportunity'], operation: ['update'] } },
	properties,
);

/**
 * A dry Update reads the record (a real one need not): to show each changed field's current value,
 * and to fail on an unknown id with the real run's error (3DS answers ERROR_048 to the GET as to
 * the PATCH). The action stays wouldUpdate when no value differs: Update always sends its PATCH.
 */
async function previewUpdate(
	client: DassaultSalesClient,
	version: ApiVersion,
	decision: Decision & { action: 'update' },
	state: WouldBeWritten,
	itemIndex: number,
): Promise<Outcome> {
	const stored = await state.read(client, decision.dsLeadOpportunityId, itemIndex);
	// The diff takes the update body as it takes a create body: it compares only what the body holds.
	const { changedFields } = diffLeadOpportunity(
		decision.patch as unknown as CreateBody,
		stored.record,
		version,
	);
	return preview({ ...decision, stored, changedFields }, state, version);
}

export const prepare: Prepare = async function (this, itemIndex, execution) {
	const { client } = execution;
	const target = readTarget.call(this, itemIndex);
	const { version } = target;
	const { partnerId } = await client.resolveCredentials();
	const raw = readBody.call(this, 'update', itemIndex, version, partnerId);
	// By partner id, the body's partner id (which the API requires) may be left to the locator.
	if ('partnerLeadOpportunityId' in target && raw.leadOpportunity !== undefined) {
		const lead = raw.leadOpportunity as IDataObject;
		if (!isSet(lead.partnerLeadOpportunityId))
			lead.partnerLeadOpportunityId = target.partnerLeadOpportunityId;
	}
	const body = validateInput(updateBody(version), raw, this.getNode(), itemIndex, 'update');
	const wantsMetadata = metadataWanted.call(this, itemIndex);
	const partnerLeadOpportunityId = body.leadOpportunity.partnerLeadOpportunityId;
	const dryRun = dryRunWanted.call(this, itemIndex) ? execution.wouldBeWritten(version) : undefined;
	return {
		keys: [
			'id' in target ? dsKey(target.id) : partnerKey(target.partnerLeadOpportunityId),
			partnerKey(partnerLeadOpportunityId),
		],
		run: async (): Promise<INodeExecutionData[]> => {
			const id = await targetId(client, target, itemIndex);
			const decision: Decision = { action: 'update', dsLeadOpportunityId: id, patch: body };
			const { json, response } = dryRun
				? await previewUpdate(client, version, decision, dryRun, itemIndex)
				: await carryOut(client, version, decision, itemIndex);
			return [toItem(json, itemIndex, response, wantsMetadata)];
		},
	};
};
