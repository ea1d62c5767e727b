import type { INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	apiVersionField,
	dsLeadOpportunityIdField,
	metadataOptions,
	v0Notice,
} from '../../descriptions/common';
import { readTarget } from '../../helpers/parameters';
import { getLeadOpportunity } from '../../transport';
import { dsKey, type Prepare } from '../operation';
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

export const prepare: Prepare = async function (this, itemIndex, { client }) {
	const { version, id } = readTarget.call(this, itemIndex);
	const wantsMetadata = metadataWanted.call(this, itemIndex);
	return {
		keys: [dsKey(id)],
		run: async (): Promise<INodeExecutionData[]> => {
			const { record, response } = await getLeadOpportunity(client, version, id, itemIndex);
			return [toItem(record, itemIndex, response, wantsMetadata)];
		},
	};
};
