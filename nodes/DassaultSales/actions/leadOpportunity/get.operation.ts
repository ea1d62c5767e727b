import type { INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	apiVersionField,
	dsLeadOpportunityIdField,
	metadataOptions,
	simplifyField,
	toolOutputFields,
	v0Notice,
} from '../../descriptions/common';
import { targetId } from '../../helpers/locator';
import { readTarget } from '../../helpers/parameters';
import { getLeadOpportunity } from '../../transport';
import { dsKey, partnerKey, type Prepare } from '../operation';
import { metadataWanted, recordShape, toItem } from '../output';

const properties: INodeProperties[] = [
	apiVersionField,
	v0Notice,
	dsLeadOpportunityIdField,
	simplifyField,
	...toolOutputFields,
	metadataOptions,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['leadOpportunity'], operation: ['get'] } },
	properties,
);

export const prepare: Prepare = async function (this, itemIndex, { client }) {
	const target = readTarget.call(this, itemIndex);
	const wantsMetadata = metadataWanted.call(this, itemIndex);
	const shape = recordShape.call(this, itemIndex);
	return {
		keys: ['id' in target ? dsKey(target.id) : partnerKey(target.partnerLeadOpportunityId)],
		run: async (): Promise<INodeExecutionData[]> => {
			const id = await targetId(client, target, itemIndex);
			const { record, response } = await getLeadOpportunity(client, target.version, id, itemIndex);
			return [toItem(shape(record), itemIndex, response, wantsMetadata)];
		},
	};
};
