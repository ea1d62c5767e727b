/** The last step of "… → transport → output": items with their pairedItem and optional metadata. */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { objectParameter } from '../helpers/parameters';
import type { ApiResponse } from '../transport';

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
