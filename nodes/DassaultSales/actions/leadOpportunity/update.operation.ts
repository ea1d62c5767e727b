import type { IDataObject, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	apiVersionField,
	dsLeadOpportunityIdField,
	inputModeField,
	metadataOptions,
	v0Notice,
} from '../../descriptions/common';
import { jsonBodyField, updateFields } from '../../descriptions/leadOpportunityFields';
import { readBody } from '../../helpers/leadOpportunityBody';
import { resolvePartnerLeadOpportunityId } from '../../helpers/locator';
import { isSet, readTarget } from '../../helpers/parameters';
import { validateInput } from '../../helpers/validate';
import { updateBody } from '../../schemas';
import { updateLeadOpportunity } from '../../transport';
import { dsKey, partnerKey, type Prepare } from '../execution';
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
	metadataOptions,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['leadOpportunity'], operation: ['update'] } },
	properties,
);

export const prepare: Prepare = async function (this, itemIndex, { client }) {
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
	return {
		keys: [
			'id' in target ? dsKey(target.id) : partnerKey(target.partnerLeadOpportunityId),
			partnerKey(partnerLeadOpportunityId),
		],
		run: async (): Promise<INodeExecutionData[]> => {
			const id =
				'id' in target
					? target.id
					: await resolvePartnerLeadOpportunityId(
							client,
							target.partnerLeadOpportunityId,
							itemIndex,
						);
			const { response, ...result } = await updateLeadOpportunity(
				client,
				version,
				id,
				body,
				itemIndex,
			);
			return [toItem(result, itemIndex, response, wantsMetadata)];
		},
	};
};
