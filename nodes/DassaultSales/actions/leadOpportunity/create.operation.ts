import type { INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	apiVersionField,
	inputModeField,
	metadataOptions,
	v0Notice,
} from '../../descriptions/common';
import { createFields, jsonBodyField } from '../../descriptions/leadOpportunityFields';
import { readCreateInput } from '../../helpers/leadOpportunityBody';
import { createLeadOpportunity } from '../../transport';
import { partnerKey, type Prepare } from '../operation';
import { metadataWanted, toItem } from '../output';

/** Shared with Create or Update, which takes the same input. */
export const createProperties: INodeProperties[] = [
	apiVersionField,
	v0Notice,
	inputModeField,
	jsonBodyField('post_leads-opportunities_data'),
	...createFields,
	metadataOptions,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['leadOpportunity'], operation: ['create'] } },
	createProperties,
);

export const prepare: Prepare = async function (this, itemIndex, { client }) {
	const { partnerId } = await client.resolveCredentials();
	const { version, body } = readCreateInput.call(this, itemIndex, partnerId);
	const wantsMetadata = metadataWanted.call(this, itemIndex);
	return {
		keys: [partnerKey(body.leadOpportunity.partnerLeadOpportunityId)],
		run: async (): Promise<INodeExecutionData[]> => {
			const { response, ...result } = await createLeadOpportunity(client, version, body, itemIndex);
			return [toItem(result, itemIndex, response, wantsMetadata)];
		},
	};
};
