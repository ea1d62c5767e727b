import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	apiVersionField,
	dsLeadOpportunityIdField,
	inputModeField,
	responseMetadataOption,
	v0Notice,
} from '../../descriptions/common';
import { jsonBodyField, updateFields } from '../../descriptions/leadOpportunityFields';
import { readUpdateBody } from '../../helpers/leadOpportunityBody';
import { validateInput } from '../../helpers/validate';
import { dsLeadOpportunityId as idSchema, updateBody } from '../../schemas';
import { updateLeadOpportunity, type DassaultSalesClient } from '../../transport';
import { toItem } from '../output';
import { apiVersionParameter, objectParameter } from '../../helpers/parameters';

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
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [responseMetadataOption],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['leadOpportunity'], operation: ['update'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	client: DassaultSalesClient,
): Promise<INodeExecutionData[]> {
	const version = apiVersionParameter.call(
		this,
		this.getNodeParameter('apiVersion', itemIndex),
		itemIndex,
	);
	const id = validateInput(
		idSchema,
		this.getNodeParameter('dsLeadOpportunityId', itemIndex),
		this.getNode(),
		itemIndex,
		'3DS Lead-Opportunity ID',
	);
	const { partnerId } = await client.resolveCredentials();
	const raw = readUpdateBody.call(this, itemIndex, version, partnerId);
	const body = validateInput(updateBody(version), raw, this.getNode(), itemIndex, 'update');
	const { response, ...result } = await updateLeadOpportunity(client, version, id, body, itemIndex);
	const { includeResponseMetadata } = objectParameter.call(
		this,
		'options',
		itemIndex,
		'Options',
	) as {
		includeResponseMetadata?: boolean;
	};
	return [toItem(result, itemIndex, response, includeResponseMetadata)];
}
