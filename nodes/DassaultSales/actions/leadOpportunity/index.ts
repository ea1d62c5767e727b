import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as get from './get.operation';
import * as search from './search.operation';
import * as update from './update.operation';
import * as upsert from './upsert.operation';

export { create, get, search, update, upsert };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['leadOpportunity'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create a lead opportunity',
				description: 'Report a new lead or opportunity to 3DS',
			},
			{
				name: 'Create or Update',
				value: 'upsert',
				action: 'Create or update a lead opportunity',
				description: 'Create a new record, or update the current one if it already exists (upsert)',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a lead opportunity',
				description: 'Get a lead-opportunity by its 3DS ID (e.g. HCRQ-F1LLDE)',
			},
			{
				name: 'Search',
				value: 'search',
				action: 'Search lead opportunities',
				description:
					'Find lead-opportunities modified in a date range of any length, by your CRM IDs, or unassigned',
			},
			{
				name: 'Update',
				value: 'update',
				action: 'Update a lead opportunity',
				description: 'Change some fields of a lead-opportunity',
			},
		],
		default: 'create',
	},
	...create.description,
	...get.description,
	...update.description,
	...search.description,
	...upsert.description,
];
