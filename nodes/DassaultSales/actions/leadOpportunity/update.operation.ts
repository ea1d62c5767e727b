import type { INodeExecutionData, INodeProperties } from 'n8n-workflow';
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
import { readTarget } from '../../helpers/parameters';
import { validateInput } from '../../helpers/validate';
import { updateBody } from '../../schemas';
import { updateLeadOpportunity } from '../../transport';
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
	metadataOptions,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['leadOpportunity'], operation: ['update'] } },
	properties,
);

export const prepare: Prepare = async function (this, itemIndex, { client }) {
	const { version, id } = readTarget.call(this, itemIndex);
	const { partnerId } = await client.resolveCredentials();
	const raw = readBody.call(this, 'update', itemIndex, version, partnerId);
	const body = validateInput(updateBody(version), raw, this.getNode(), itemIndex, 'update');
	const wantsMetadata = metadataWanted.call(this, itemIndex);
	return {
		keys: [dsKey(id), partnerKey(body.leadOpportunity.partnerLeadOpportunityId)],
		run: async (): Promise<INodeExecutionData[]> => {
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
