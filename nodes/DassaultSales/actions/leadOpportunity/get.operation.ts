import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	apiVersionField,
	dsLeadOpportunityIdField,
	metadataOptions,
	v0Notice,
} from '../../descriptions/common';
import { readTarget } from '../../helpers/parameters';
import { getLeadOpportunity, type DassaultSalesClient } from '../../transport';
import { metadataWanted, toItem } from '../output';

const properties: INodeProperties[] = [
	apiVersionField,
	v0Notice,
	dsLeadOpportunityIdField,
	metadataOptions,
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
	const { version, id } = readTarget.call(this, itemIndex);
	const wantsMetadata = metadataWanted.call(this, itemIndex);
	const { record, response } = await getLeadOpportunity(client, version, id, itemIndex);
	return [toItem(record, itemIndex, response, wantsMetadata)];
}
