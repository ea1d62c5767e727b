import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	apiVersionField,
	inputModeField,
	responseMetadataOption,
	v0Notice,
} from '../../descriptions/common';
import { createFields, jsonBodyField } from '../../descriptions/leadOpportunityFields';
import { readCreateBody } from '../../helpers/leadOpportunityBody';
import { validateInput } from '../../helpers/validate';
import { createBody } from '../../schemas';
import { createLeadOpportunity, type DassaultSalesClient } from '../../transport';
import { toItem } from '../output';
import { apiVersionParameter, objectParameter } from '../../helpers/parameters';

const properties: INodeProperties[] = [
	apiVersionField,
	v0Notice,
	inputModeField,
	jsonBodyField('post_leads-opportunities_data'),
	...createFields,
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
	{ show: { resource: ['leadOpportunity'], operation: ['create'] } },
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
	const { partnerId } = await client.resolveCredentials();
	const raw = readCreateBody.call(this, itemIndex, version, partnerId);
	const body = validateInput(
		createBody(version),
		raw,
		this.getNode(),
		itemIndex,
		'lead-opportunity',
	);
	const { response, ...result } = await createLeadOpportunity(client, version, body, itemIndex);
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
