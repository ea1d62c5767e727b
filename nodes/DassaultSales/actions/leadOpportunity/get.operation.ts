import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	apiVersionField,
	dsLeadOpportunityIdField,
	responseMetadataOption,
	v0Notice,
} from '../../descriptions/common';
import { validateInput } from '../../helpers/validate';
import { dsLeadOpportunityId as idSchema } from '../../schemas';
import { getLeadOpportunity, type DassaultSalesClient } from '../../transport';
import { toItem } from '../output';
import { apiVersionParameter, objectParameter } from '../../helpers/parameters';

const properties: INodeProperties[] = [
	apiVersionField,
	v0Notice,
	dsLeadOpportunityIdField,
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
	{ show: { resource: ['leadOpportunity'], operation: ['get'] } },
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
	const { record, response } = await getLeadOpportunity(client, version, id, itemIndex);
	const { includeResponseMetadata } = objectParameter.call(
		this,
		'options',
		itemIndex,
		'Options',
	) as {
		includeResponseMetadata?: boolean;
	};
	return [toItem(record, itemIndex, response, includeResponseMetadata)];
}
