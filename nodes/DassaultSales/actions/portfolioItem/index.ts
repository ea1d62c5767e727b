import type { INodeProperties } from 'n8n-workflow';

import * as getMany from './getMany.operation';

export { getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['portfolioItem'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getMany',
				action: 'Get many portfolio items',
				description: 'List the offers of the 3DS sales portfolio',
			},
		],
		default: 'getMany',
	},
	...getMany.description,
];
