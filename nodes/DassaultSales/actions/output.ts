/** The last step of "… → transport → output": items with their pairedItem and optional metadata. */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { ApiResponse } from '../transport';

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
