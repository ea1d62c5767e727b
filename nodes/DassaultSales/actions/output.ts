/** The last step of "… → transport → output": items with their pairedItem and optional metadata. */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { objectParameter } from '../helpers/parameters';
import type { ApiResponse } from '../transport';
import { selectLeadOpportunityFields, simplifyLeadOpportunity } from '../utils/simplify';

/** Whether "Options › Include Response Metadata" is on for this item. */
export function metadataWanted(this: IExecuteFunctions, itemIndex: number): boolean {
	return (
		objectParameter.call(this, 'options', itemIndex, 'Options').includeResponseMetadata === true
	);
}

export function toItem(
	json: IDataObject,
	itemIndex: number,
	response?: ApiResponse,
	includeMetadata = false,
): INodeExecutionData {
	const body = response?.body as IDataObject | undefined;
	return {
		json:
			includeMetadata && response
				? {
						...json,
						info: (body?.info as IDataObject) ?? null,
						rateLimit: { ...response.rateLimit },
					}
				: json,
		pairedItem: { item: itemIndex },
	};
}

/**
 * How Get and Search give a record: as a node, Simplify (on by default); as an AI tool, Output
 * (Simplified, Raw or Selected Fields). Each is hidden where the other shows, and a hidden
 * parameter reads as its fallback, so '' tells that the node is not a tool.
 */
export function recordShape(
	this: IExecuteFunctions,
	itemIndex: number,
): (record: IDataObject) => IDataObject {
	const toolOutput = this.getNodeParameter('toolOutput', itemIndex, '') as unknown;
	if (toolOutput === 'raw') return (record) => record;
	if (toolOutput === 'selected') {
		const fields = this.getNodeParameter('toolFields', itemIndex, []) as unknown;
		const chosen = Array.isArray(fields) ? fields.map(String) : [];
		return (record) => selectLeadOpportunityFields(record, chosen);
	}
	if (toolOutput === 'simplified') return simplifyLeadOpportunity;
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as unknown;
	return simplify === false || simplify === 'false' ? (record) => record : simplifyLeadOpportunity;
}
